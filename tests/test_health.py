"""/healthz, /readyz and /metrics (ungeguide/health.py), over HTTP on the real app wrapper."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from telegram import Bot
from telegram.request import HTTPXRequest

from domain.alerts.raising import raise_alert
from storage import Database
from storage.models import Reminder, ReminderStatus, StaffUser
from testing.fake_bot_api import TOKEN, FakeBotApi
from tests.conftest import REPO
from ungeguide.errors import SettingsError
from ungeguide.health import (
    Health,
    MetricsAccess,
    cached,
    database_ready,
    health_for,
    stored_counts,
    telegram_ready,
    with_health,
)
from ungeguide.settings import Settings

INNER = Starlette(routes=[Route("/", lambda _: PlainTextResponse("the dashboard"))])
TOKEN_HEADER = {"Authorization": "Bearer s3cret-metrics-token"}


def client(health: Health, *, address: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=with_health(INNER, health), client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://ungeguide.test")


async def test_healthz_answers_and_every_other_path_reaches_the_app():
    async with client(Health(checks=())) as http:
        assert (await http.get("/healthz")).text == "ok\n"
        assert (await http.get("/")).text == "the dashboard"
        assert (await http.post("/healthz")).status_code == 405


async def test_while_parts_load_healthz_names_them_and_readyz_is_not_ready(database: Database):
    loading = ["NLU", "dashboard"]  # what `ungeguide run` loads after it takes updates
    health = Health(checks=(database_ready(database),), loading=lambda: loading)
    async with client(health) as http:
        alive = await http.get("/healthz")
        ready = await http.get("/readyz")
        loading.remove("NLU")
        halfway = await http.get("/readyz")
        loading.clear()
        after = [await http.get("/healthz"), await http.get("/readyz")]
    assert (alive.status_code, alive.text) == (200, "ok\nloading: NLU, dashboard\n")
    assert (ready.status_code, ready.text) == (503, "loading: NLU, dashboard\n")
    assert (halfway.status_code, halfway.text) == (503, "loading: dashboard\n")
    assert [(a.status_code, a.text) for a in after] == [(200, "ok\n"), (200, "ready\n")]


async def test_readyz_is_ready_on_a_migrated_database(database: Database):
    async with client(Health(checks=(database_ready(database),))) as http:
        answer = await http.get("/readyz")
    assert (answer.status_code, answer.text) == (200, "ready\n")


async def test_readyz_names_an_unmigrated_and_an_unreachable_database(tmp_path):
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    gone = Database("postgresql://nobody@127.0.0.1:1/none")
    try:
        health = Health(checks=(database_ready(empty), database_ready(gone)))
        async with client(health) as http:
            answer = await http.get("/readyz")
    finally:
        empty.dispose()
        gone.dispose()
    assert answer.status_code == 503
    assert answer.text == "database schema not up to date\ndatabase unreachable\n"


async def test_readyz_asks_telegram_and_says_when_the_token_is_refused():
    api = FakeBotApi().start()
    requests = [HTTPXRequest(), HTTPXRequest()]
    good = Bot(TOKEN, base_url=api.base_url, request=requests[0])
    bad = Bot("1:wrong", base_url=api.base_url, request=requests[1])
    try:
        async with client(Health(checks=(telegram_ready(good),))) as http:
            assert (await http.get("/readyz")).status_code == 200
        async with client(Health(checks=(telegram_ready(bad),))) as http:
            answer = await http.get("/readyz")
    finally:
        for request in requests:
            await request.shutdown()  # Bot.shutdown() skips a bot never initialize()d
        api.stop()
    assert answer.status_code == 503
    assert answer.text.startswith("Telegram Bot API: ")


async def test_a_cached_check_asks_once_within_its_time():
    asked = []

    async def check() -> str | None:
        asked.append(1)
        return None

    reused = cached(check, seconds=60)
    assert [await reused(), await reused()] == [None, None]
    assert len(asked) == 1


@pytest.mark.parametrize(
    ("access", "address", "headers", "status"),
    [
        (MetricsAccess(), "127.0.0.1", {}, 404),  # nobody is allowed without a setting
        (MetricsAccess(), "127.0.0.1", TOKEN_HEADER, 404),
        (MetricsAccess.parse(["10.0.0.0/24"], None), "10.0.0.5", {}, 200),
        (MetricsAccess.parse(["10.0.0.0/24"], None), "10.0.1.5", {}, 404),
        (MetricsAccess.parse([], "s3cret-metrics-token"), "203.0.113.9", TOKEN_HEADER, 200),
        (MetricsAccess.parse([], "s3cret-metrics-token"), "203.0.113.9", {}, 404),
        (
            MetricsAccess.parse([], "s3cret-metrics-token"),
            "203.0.113.9",
            {"Authorization": "Bearer s3cret-metrics-tokenX"},
            404,
        ),
    ],
)
async def test_metrics_only_for_configured_addresses_or_the_token(access, address, headers, status):
    async with client(Health(checks=(), access=access), address=address) as http:
        answer = await http.get("/metrics", headers=headers)
    assert answer.status_code == status
    if status == 404:
        assert answer.text == "Not Found"


def test_a_wrong_address_in_the_setting_is_an_error():
    with pytest.raises(SettingsError, match="UNGEGUIDE_METRICS_ALLOW must list IP addresses"):
        Settings.from_env({"UNGEGUIDE_METRICS_ALLOW": "10.0.0.5, intranet"})


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format, read by its own parser."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    raise AssertionError(f"no sample {name} {labels} in /metrics")


async def test_metrics_count_the_outbox_and_open_alerts_without_personal_data(
    database: Database, person_id: int, clock
):
    now = clock()
    with database.session() as session:
        rows = [
            (ReminderStatus.PENDING, now - timedelta(minutes=10)),  # due and late
            (ReminderStatus.PENDING, now - timedelta(minutes=1)),  # due
            (ReminderStatus.PENDING, now + timedelta(hours=1)),  # not yet
            (ReminderStatus.FAILED, now - timedelta(hours=2)),
            (ReminderStatus.SKIPPED, now - timedelta(days=3)),  # too old to count
        ]
        session.execute(
            insert(Reminder),
            [
                {
                    "young_person_id": person_id,
                    "kind": "meeting_day_before",
                    "subject": f"meeting:{n}",
                    "due_at": due,
                    "latest_at": due + timedelta(hours=2),
                    "status": status,
                    "dedup_key": f"test:{n}",
                }
                for n, (status, due) in enumerate(rows)
            ],
        )
        # With no coordinator and no duty list, an urgent alert's e-mail goes to the admins.
        session.add(
            StaffUser(email="it@example.dk", display_name="IT", role="admin", created_at=now)
        )
        session.flush()
        raise_alert(session, person_id, "crisis", now=now, urgent=True)
        raise_alert(session, person_id, "cannot_come", now=now - timedelta(hours=2))
    health = Health(
        checks=(),
        access=MetricsAccess.parse(["127.0.0.1"], None),
        registries=(stored_counts(database, clock=clock),),
    )
    async with client(health) as http:
        text = (await http.get("/metrics")).text
    assert sample(text, "ungeguide_outbox_messages", state="due") == 2
    assert sample(text, "ungeguide_outbox_messages", state="late") == 1
    assert sample(text, "ungeguide_outbox_messages", state="failed") == 1
    assert sample(text, "ungeguide_outbox_messages", state="skipped") == 0
    assert sample(text, "ungeguide_alerts_open", urgent="true", age="under_30m") == 1
    assert sample(text, "ungeguide_alerts_open", urgent="false", age="30m_to_1d") == 1
    assert sample(text, "ungeguide_alerts_open", urgent="true", age="over_1d") == 0
    # The urgent alert's e-mail to the admin is due and waits (no SMTP here).
    assert sample(text, "ungeguide_staff_notifications_unsent") == 1
    assert "Mille" not in text
    assert f'person_id="{person_id}"' not in text
    assert "young_person" not in text


async def test_the_process_metrics_are_there():
    health = Health(checks=(), access=MetricsAccess.parse(["127.0.0.1"], None))
    async with client(health) as http:
        text = (await http.get("/metrics")).text
    assert "# TYPE ungeguide_update_handling_seconds histogram" in text
    assert "process_resident_memory_bytes" in text


async def test_the_served_app_reads_access_from_the_settings(database: Database, clock):
    settings = Settings.from_env({"UNGEGUIDE_METRICS_TOKEN": "s3cret-metrics-token"})
    health = health_for(settings, database, clock=clock)
    async with client(health, address="203.0.113.9") as http:
        assert (await http.get("/readyz")).status_code == 200
        assert (await http.get("/metrics")).status_code == 404
        text = (await http.get("/metrics", headers=TOKEN_HEADER)).text
    assert sample(text, "ungeguide_outbox_messages", state="due") == 0


async def test_every_metric_the_deployment_guide_names_is_served(database: Database, clock):
    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(ungeguide_[a-z_]+)", guide))
    assert len(named) >= 6
    health = health_for(
        Settings.from_env({"UNGEGUIDE_METRICS_ALLOW": "127.0.0.1"}), database, clock=clock
    )
    async with client(health) as http:
        text = (await http.get("/metrics")).text
    assert {name for name in named if name not in text} == set()
