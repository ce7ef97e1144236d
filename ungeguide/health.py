"""/healthz, /readyz and /metrics in front of the served app (webhook + dashboard, or the
dashboard alone).

- /healthz: 200 while the process answers at all: "ok", and while `ungeguide run` is still
  loading parts after it began taking updates (ungeguide/server.py), a second line naming them
  ("loading: NLU, dashboard"). The bot takes updates by then; a free text waits for the NLU.
- /readyz: 200 when every readiness check passes (the database is reachable and migrated,
  Telegram's Bot API answers) and nothing is loading any more, else 503 naming what failed or
  is loading (never a secret or a person).
- /metrics: Prometheus' text format, for the addresses in `allow` or a bearer `token`; anyone
  else gets the same 404 as an unknown path. The figures are counts (core/metrics.py and the
  outbox and alert counts below); no label holds a person, chat or name.

The paths are answered by a small ASGI wrapper rather than as routes of the wrapped app, so
its lifespan (the bot's start and stop) runs exactly as without them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send
from telegram import Bot
from telegram.error import TelegramError

from core.clock import Clock
from core.metrics import REGISTRY
from storage import Database
from storage.models import (
    Alert,
    AlertStatus,
    NotificationStatus,
    Reminder,
    ReminderStatus,
    StaffNotification,
)
from ungeguide.settings import Settings

# A check answers None when all is well, or a short reason (for the operator) when not.
ReadinessCheck = Callable[[], Awaitable[str | None]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LATE_AFTER = timedelta(minutes=5)  # a reminder this far behind its time counts as late
RECENT = timedelta(days=1)  # failed, skipped and missed reminders are counted for a day
TELEGRAM_CHECK_SECONDS = 30  # /readyz asks Telegram at most this often
ALERT_AGES = (("under_30m", timedelta(minutes=30)), ("30m_to_1d", timedelta(days=1)))


@dataclass(frozen=True, kw_only=True)
class MetricsAccess:
    """Who may read /metrics: addresses or networks in `allow`, or a bearer `token`."""

    allow: tuple[Network, ...] = ()
    token: str | None = None

    @classmethod
    def parse(cls, allow: Iterable[str], token: str | None) -> MetricsAccess:
        """From the settings: addresses and networks (ValueError on a wrong one), a token."""
        networks = tuple(ipaddress.ip_network(part, strict=False) for part in allow)
        return cls(allow=networks, token=token or None)

    def permits(self, request: Request) -> bool:
        given = request.headers.get("authorization", "")
        if self.token and secrets.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            return True
        host = request.client.host if request.client else ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.allow)


def database_ready(database: Database) -> ReadinessCheck:
    async def check() -> str | None:
        try:
            status = await asyncio.to_thread(database.schema_status)
        except (SQLAlchemyError, OSError):
            return "database unreachable"
        return None if status.up_to_date else "database schema not up to date"

    return check


def telegram_ready(bot: Bot) -> ReadinessCheck:
    """Telegram's Bot API answers getMe with this token."""

    async def check() -> str | None:
        try:
            await bot.get_me()
        except TelegramError as error:
            return f"Telegram Bot API: {type(error).__name__}"
        return None

    return check


def cached(check: ReadinessCheck, *, seconds: float) -> ReadinessCheck:
    """The check's answer reused for `seconds` (a probe every second must not call Telegram
    every second)."""
    last: list[tuple[float, str | None]] = []

    async def reuse() -> str | None:
        if last and time.monotonic() - last[0][0] < seconds:
            return last[0][1]
        answer = await check()
        last[:] = [(time.monotonic(), answer)]
        return answer

    return reuse


@dataclass(frozen=True, kw_only=True)
class Health:
    """What /readyz checks and what /metrics shows (the process's own registry and, for
    example, a registry holding `StoredCounts` for this app's database)."""

    checks: Sequence[ReadinessCheck]
    access: MetricsAccess = field(default_factory=MetricsAccess)
    registries: tuple[CollectorRegistry, ...] = (REGISTRY,)
    timeout: float = 5.0
    loading: Callable[[], Sequence[str]] = tuple  # the parts still loading (none by default)

    def still_loading(self) -> str | None:
        """The line naming the parts still loading ("loading: NLU, dashboard"), or None."""
        pending = self.loading()
        return f"loading: {', '.join(pending)}" if pending else None

    async def ready(self) -> list[str]:
        async def run(check: ReadinessCheck) -> str | None:
            try:
                return await asyncio.wait_for(check(), self.timeout)
            except TimeoutError:
                return "a readiness check timed out"

        answers = [self.still_loading()]
        answers += await asyncio.gather(*(run(check) for check in self.checks))
        return [answer for answer in answers if answer is not None]


def with_health(app: ASGIApp, health: Health) -> ASGIApp:
    """`app`, with /healthz, /readyz and /metrics answered before it."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in ("/healthz", "/readyz", "/metrics"):
            await app(scope, receive, send)
            return
        request = Request(scope, receive)
        response = await _answer(request, health)
        await response(scope, receive, send)

    return serve


async def _answer(request: Request, health: Health) -> Response:
    path = request.url.path
    if request.method not in ("GET", "HEAD"):
        return PlainTextResponse("Method Not Allowed", status_code=405)
    if path == "/healthz":
        loading = health.still_loading()
        return PlainTextResponse(f"ok\n{loading}\n" if loading else "ok\n")
    if path == "/readyz":
        problems = await health.ready()
        if problems:
            return PlainTextResponse("\n".join(problems) + "\n", status_code=503)
        return PlainTextResponse("ready\n")
    if not health.access.permits(request):
        return PlainTextResponse("Not Found", status_code=404)
    body = b"".join(
        [await asyncio.to_thread(generate_latest, registry) for registry in health.registries]
    )
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def stored_counts(database: Database, *, clock: Clock) -> CollectorRegistry:
    """A registry of its own for one database's counts (one per app, so two apps in one
    process, as in the tests, never clash)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(StoredCounts(database, clock=clock))
    return registry


class StoredCounts(Collector):
    """The outbox and the care loop, counted from the database at each scrape."""

    def __init__(self, database: Database, *, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return ()  # counted only when scraped, never at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        with self.database.session() as session:
            outbox = _outbox(session, now)
            alerts = _open_alerts(session, now)
            unsent = session.scalar(
                select(func.count()).where(
                    StaffNotification.status.in_(
                        (NotificationStatus.PENDING, NotificationStatus.SENDING)
                    ),
                    StaffNotification.due_at <= now,
                )
            )
        family = GaugeMetricFamily(
            "ungeguide_outbox_messages",
            "Messages to young people in the outbox: due (time has come), late (more than 5 "
            "minutes behind), and failed, skipped and missed in the last 24 hours.",
            labels=["state"],
        )
        for state, count in outbox.items():
            family.add_metric([state], count)
        yield family
        family = GaugeMetricFamily(
            "ungeguide_alerts_open",
            "Open alerts nobody has taken yet, by urgency and age.",
            labels=["urgent", "age"],
        )
        for (urgent, age), count in alerts.items():
            family.add_metric([str(urgent).lower(), age], count)
        yield family
        yield GaugeMetricFamily(
            "ungeguide_staff_notifications_unsent",
            "Staff e-mails whose time has come but that are not sent yet.",
            value=unsent or 0,
        )


def _outbox(session: Session, now: datetime) -> dict[str, int]:
    waiting = Reminder.status == ReminderStatus.PENDING
    recent = Reminder.due_at >= now - RECENT
    row = session.execute(
        select(
            func.count().filter(waiting, Reminder.due_at <= now),
            func.count().filter(waiting, Reminder.due_at <= now - LATE_AFTER),
            func.count().filter(Reminder.status == ReminderStatus.FAILED, recent),
            func.count().filter(Reminder.status == ReminderStatus.SKIPPED, recent),
            func.count().filter(Reminder.status == ReminderStatus.MISSED, recent),
        )
    ).one()
    return dict(zip(("due", "late", "failed", "skipped", "missed"), row, strict=True))


def _open_alerts(session: Session, now: datetime) -> dict[tuple[bool, str], int]:
    age = case(
        *((Alert.created_at > now - limit, name) for name, limit in ALERT_AGES),
        else_="over_1d",
    )
    counts = {
        (urgent, name): 0 for urgent in (True, False) for name in (*dict(ALERT_AGES), "over_1d")
    }
    rows = session.execute(
        select(Alert.urgent, age, func.count())
        .where(Alert.status == AlertStatus.OPEN)
        .group_by(Alert.urgent, age)
    )
    for urgent, name, count in rows:
        counts[(bool(urgent), name)] = count
    return counts


def health_for(
    settings: Settings,
    database: Database,
    *,
    clock: Clock,
    bot: Bot | None = None,
    loading: Callable[[], Sequence[str]] = tuple,
) -> Health:
    """What `ungeguide run` (with its bot and the parts it loads after it started) and
    `ungeguide dashboard` (without) answer."""
    checks = [database_ready(database)]
    if bot is not None:
        checks.append(cached(telegram_ready(bot), seconds=TELEGRAM_CHECK_SECONDS))
    return Health(
        checks=tuple(checks),
        access=MetricsAccess.parse(settings.metrics_allow, settings.metrics_token),
        registries=(REGISTRY, stored_counts(database, clock=clock)),
        loading=loading,
    )
