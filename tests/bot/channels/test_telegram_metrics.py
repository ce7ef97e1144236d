"""What the channel counts for /metrics (core/metrics.py): handled updates with their time,
the lag behind Telegram, and skipped unreadable updates; never a chat or a text."""

from __future__ import annotations

from prometheus_client import generate_latest

from core.metrics import REGISTRY
from tests.bot.channels.test_telegram_update_faults import NOT_LINKED, unreadable_updates


def value(name: str) -> float:
    found = REGISTRY.get_sample_value(name)
    return found or 0.0


async def test_handled_and_skipped_updates_are_counted(channel, fake_api):
    handled = value("ungeguide_update_handling_seconds_count")
    skipped = value("ungeguide_updates_skipped_total")
    fake_api.user_sends(7201, "hej")
    [fake_api.push_update(raw) for raw in unreadable_updates(fake_api, 7202)]
    fake_api.user_sends(7203, "hej")
    await fake_api.wait_for_text(7201, NOT_LINKED)
    await fake_api.wait_for_text(7203, NOT_LINKED)
    await fake_api.wait_for(lambda: fake_api.pending() == 0, what="every update confirmed")
    assert value("ungeguide_update_handling_seconds_count") - handled == 2
    assert value("ungeguide_updates_skipped_total") - skipped == 2
    assert 0 <= value("ungeguide_update_lag_seconds") < 60  # the fake sends "now"
    ours = [line for line in generate_latest(REGISTRY).decode().splitlines() if "ungeguide" in line]
    exposed = "\n".join(ours)
    for private in ("7201", "7202", "Zenia", "hej"):
        assert private not in exposed
