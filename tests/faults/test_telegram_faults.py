"""Telegram faults at a rate, CI size: 429, 5xx, a hanging server and a timeout after delivery
cause delay only; nothing is lost, and nothing is duplicated beyond the at-least-once rule for
timeouts. The full run: `python -m benchmarks.faults_telegram --people 20`."""

from __future__ import annotations

from benchmarks.faults_telegram import WHO5_ITEMS, report, run

PEOPLE = 3
RATE = 0.05
TIMEOUT = 1.0


async def test_telegram_faults_delay_only_and_nothing_lost_or_duplicated(tmp_path):
    results = await run(
        people=PEOPLE,
        rate=RATE,
        client_timeout=TIMEOUT,
        parallel=True,
        database_url=f"sqlite:///{tmp_path / 'f.db'}",
    )
    print()  # noqa: T201 - these tests print their figures
    print(report(results, rate=RATE, timeout=TIMEOUT))  # noqa: T201
    kinds = [f.kind for f in results]
    assert kinds == ["baseline", "429", "5xx", "hang", "timeout-after-delivery"]
    for figures in results:
        assert (figures.kind, figures.stuck, figures.lost, figures.duplicated) == (
            figures.kind,
            0,
            0,
            0,
        )
        assert (figures.kind, figures.incomplete, figures.answers_stored) == (
            figures.kind,
            0,
            PEOPLE * WHO5_ITEMS,
        )
        if figures.kind != "baseline":
            assert sum(figures.injected.values()) > 0, figures.kind
    by_rule = {f.kind: f.duplicated_by_rule for f in results}
    assert by_rule == {**dict.fromkeys(kinds, 0), "timeout-after-delivery": by_rule[kinds[-1]]}
    # The rule's duplicates come from sends that timed out after delivery, one each at most.
    assert by_rule["timeout-after-delivery"] <= results[-1].injected["sendMessage"]
