"""`ungeguide doctor`: check a configuration and say, on one screen, what is wrong and how to
fix it. Each check returns findings; nothing here changes anything (no database or key file
is created, no message is sent)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import InterpreterUnavailable
from bot.nlu.rasa import RasaInterpreter
from domain.alerts.email import check_connection
from domain.alerts.raising import duty_list
from domain.errors import MailError
from storage import Database
from storage.crypto import KEY_FILE, Keyring, read_key_file
from storage.errors import CryptoError
from ungeguide.app import smtp_settings
from ungeguide.cli.common import missing_sqlite_file
from ungeguide.settings import Settings

TIMEOUT_SECONDS = 10.0
CLOCK_DRIFT_SECONDS = 60
TELEGRAM_DEFAULT = "https://api.telegram.org/bot"


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    message: str
    fix: str = ""


def ok(topic: str, message: str) -> Finding:
    return Finding(Level.OK, topic, message)


def warning(topic: str, message: str, fix: str) -> Finding:
    return Finding(Level.WARNING, topic, message, fix)


def error(topic: str, message: str, fix: str) -> Finding:
    return Finding(Level.ERROR, topic, message, fix)


def check_all(settings: Settings, *, http: httpx.Client | None = None) -> list[Finding]:
    client = http or httpx.Client(timeout=TIMEOUT_SECONDS)
    checks: list[Callable[[], list[Finding]]] = [
        lambda: check_keys(settings),
        lambda: check_database(settings),
        lambda: check_clock(database_now=database_clock(settings)),
        lambda: check_times(settings),
        lambda: check_telegram(settings, client),
        lambda: check_smtp(settings),
        lambda: check_rasa(settings),
        lambda: check_permissions(settings),
    ]
    try:
        return [finding for check in checks for finding in check()]
    finally:
        if http is None:
            client.close()


def check_keys(settings: Settings) -> list[Finding]:
    topic = "Encryption keys"
    if settings.keys:
        source = "UNGEGUIDE_KEYS"
        keys = [part.strip() for part in settings.keys.split(",") if part.strip()]
    else:
        path = settings.data_dir / KEY_FILE
        source = str(path)
        if not path.exists():
            return [
                error(
                    topic,
                    f"no key file at {path} and UNGEGUIDE_KEYS is not set",
                    "Run `ungeguide db upgrade` once (it creates the key file), or set "
                    "UNGEGUIDE_KEYS to the keys you keep.",
                )
            ]
        try:
            keys = read_key_file(path)
        except OSError as problem:
            return [error(topic, f"{path} cannot be read ({problem.strerror})", "Fix its owner.")]
    try:
        Keyring(keys)
    except CryptoError as problem:
        return [error(topic, f"{source}: {problem}", "Use keys made by `ungeguide keys new`.")]
    return [
        ok(topic, f"{len(keys)} key(s) from {source}"),
        warning(
            topic,
            "without these keys the stored texts cannot be read",
            "Keep a copy of the keys apart from the database backups (not on this machine).",
        ),
    ]


def check_database(settings: Settings) -> list[Finding]:
    topic = "Database"
    missing = missing_sqlite_file(settings)
    if missing is not None:
        return [error(topic, f"no database at {missing}", "Run: ungeguide db upgrade")]
    database = Database(settings.database_url, tighten_files=False)
    try:
        status = database.schema_status()
    except SQLAlchemyError as problem:
        return [
            error(
                topic,
                f"cannot be reached ({type(problem).__name__})",
                "Check DATABASE_URL and that the database server runs.",
            )
        ]
    finally:
        database.dispose()
    if not status.up_to_date:
        at = status.current or "empty"
        return [error(topic, f"schema at {at}, needs {status.head}", "Run: ungeguide db upgrade")]
    return [
        ok(topic, f"reachable, schema current ({status.current})"),
        *check_someone_to_tell(settings),
    ]


def check_someone_to_tell(settings: Settings) -> list[Finding]:
    """An urgent alert with no coordinator (or one away) goes to the duty list, else the
    administrators: at least one of them must have an e-mail address, or the bot's "I have
    told your contact person" would be untrue."""
    database = Database(settings.database_url, tighten_files=False)
    try:
        with database.session() as session:
            fallback = duty_list(session)
    finally:
        database.dispose()
    if not fallback:
        return [
            error(
                "Alerts",
                "nobody is on the duty list and no administrator has an e-mail address",
                "Add one: ungeguide staff add EMAIL --name NAME --role admin --link",
            )
        ]
    return [ok("Alerts", f"with no coordinator, urgent alerts go to {len(fallback)} person(s)")]


def check_clock(now: datetime | None = None, database_now: datetime | None = None) -> list[Finding]:
    topic = "Clock"
    moment = now or datetime.now(UTC)
    findings: list[Finding] = []
    if not 2024 <= moment.year < 2100:
        findings.append(
            error(topic, f"the system clock says {moment:%Y-%m-%d}", "Set the time (NTP).")
        )
    try:
        ZoneInfo("Europe/Copenhagen")
    except ZoneInfoNotFoundError:
        findings.append(
            error(topic, "the time zone Europe/Copenhagen is unknown", "Install tzdata.")
        )
    if (
        database_now is not None
        and abs((database_now - moment).total_seconds()) > CLOCK_DRIFT_SECONDS
    ):
        findings.append(
            warning(topic, "the database server's clock differs by over a minute", "Use NTP.")
        )
    return findings or [ok(topic, f"{moment:%Y-%m-%d %H:%M} UTC, Europe/Copenhagen known")]


def check_times(settings: Settings) -> list[Finding]:
    """The quiet hours and staff hours parsed (from_env refuses unreadable ones); sanity."""
    topic = "Quiet and staff hours"
    quiet_from, quiet_until = settings.quiet_hours
    if quiet_from == quiet_until:
        return [error(topic, "UNGEGUIDE_QUIET_HOURS is an empty window", "Use e.g. 21:00-08:00.")]
    opens, closes = settings.staff_hours
    return [
        ok(
            topic,
            f"quiet {quiet_from:%H:%M}-{quiet_until:%H:%M}, staff {opens:%H:%M}-{closes:%H:%M} "
            "on working days",
        )
    ]


def check_telegram(settings: Settings, http: httpx.Client) -> list[Finding]:
    topic = "Telegram"
    token = settings.telegram_bot_token
    if not token:
        return [
            warning(topic, "TELEGRAM_BOT_TOKEN is not set", "Without it only the local chat runs.")
        ]
    base = (settings.telegram_api_url or TELEGRAM_DEFAULT) + token
    try:
        me = http.get(f"{base}/getMe")
    except httpx.HTTPError as problem:
        return [
            error(
                topic,
                f"the Bot API cannot be reached ({type(problem).__name__})",
                "Check the network and TELEGRAM_API_URL.",
            )
        ]
    if me.status_code == 401:
        return [
            error(topic, "the token is not valid (401)", "Copy the token from BotFather again.")
        ]
    if me.status_code != 200:
        return [
            error(topic, f"getMe answered {me.status_code}", "Try again; check TELEGRAM_API_URL.")
        ]
    username = me.json().get("result", {}).get("username", "?")
    findings = [ok(topic, f"the token works: @{username}")]
    if settings.telegram_bot_username and settings.telegram_bot_username != username:
        findings.append(
            error(
                topic,
                f"TELEGRAM_BOT_USERNAME is {settings.telegram_bot_username}, the bot is {username}",
                "Fix TELEGRAM_BOT_USERNAME: invitation links would lead to another bot.",
            )
        )
    return findings + _webhook(settings, http, base)


def _webhook(settings: Settings, http: httpx.Client, base: str) -> list[Finding]:
    topic = "Webhook"
    url = settings.telegram_webhook_url
    if not url:
        return [ok(topic, "not used: the bot polls (run one process only)")]
    if not url.startswith("https://"):
        return [error(topic, f"{url} is not HTTPS", "Telegram only posts to https:// URLs.")]
    try:
        info = http.get(f"{base}/getWebhookInfo").json().get("result", {})
    except (httpx.HTTPError, ValueError) as problem:
        return [error(topic, f"getWebhookInfo failed ({type(problem).__name__})", "Try again.")]
    findings: list[Finding] = []
    if info.get("last_error_message"):
        findings.append(
            error(
                topic,
                f"Telegram's last delivery failed: {info['last_error_message']}",
                "Check the reverse proxy, the certificate and TELEGRAM_WEBHOOK_SECRET.",
            )
        )
    if not settings.telegram_webhook_secret:
        findings.append(
            warning(
                topic,
                "no TELEGRAM_WEBHOOK_SECRET: each start makes up a new one",
                "Fine for one process; for more than one, set the same secret in every one "
                "(docs/deployment.md, Scaling out).",
            )
        )
    pending = int(info.get("pending_update_count") or 0)
    if pending > 100:
        findings.append(
            warning(topic, f"{pending} updates wait at Telegram", "Is `ungeguide run` running?")
        )
    return findings or [ok(topic, f"{url}, no delivery errors")]


def check_smtp(settings: Settings) -> list[Finding]:
    topic = "E-mail (SMTP)"
    smtp = smtp_settings(settings)
    if smtp is None:
        # With a bot running, nobody would hear of a cry for help outside the dashboard.
        report = error if settings.telegram_bot_token else warning
        return [
            report(
                topic,
                "UNGEGUIDE_SMTP_HOST is not set: urgent alerts are not e-mailed to anyone",
                "Set UNGEGUIDE_SMTP_HOST (and port, TLS, user, password).",
            )
        ]
    try:
        check_connection(smtp)
    except MailError as problem:
        return [
            error(
                topic,
                f"{smtp.host}:{smtp.port} does not work ({problem})",
                "Check the SMTP settings; urgent alerts wait in the outbox meanwhile.",
            )
        ]
    return [ok(topic, f"{smtp.host}:{smtp.port} ({smtp.tls}) answers, sender {smtp.sender}")]


def check_rasa(settings: Settings) -> list[Finding]:
    topic = "Rasa"
    if not settings.rasa_url:
        return [ok(topic, "not used: the embedded interpreter")]
    interpreter = RasaInterpreter(settings.rasa_url)
    try:
        interpreter.parse("hej")
    except InterpreterUnavailable as problem:
        return [
            error(
                topic,
                f"{settings.rasa_url} does not answer ({problem})",
                "Start it (make rasa-serve); the embedded interpreter answers meanwhile.",
            )
        ]
    finally:
        interpreter.close()
    return [ok(topic, f"{settings.rasa_url} answers")]


def check_permissions(settings: Settings) -> list[Finding]:
    topic = "Files"
    findings: list[Finding] = []
    data = settings.data_dir
    if data.exists() and not os.access(data, os.W_OK):
        findings.append(
            error(topic, f"{data} is not writable", "Give the service user write access.")
        )
    for path in (data / KEY_FILE, settings.default_database_file):
        if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            findings.append(error(topic, f"{path} can be read by others", f"Run: chmod 600 {path}"))
    return findings or [ok(topic, f"{data}: only the owner can read the keys and the database")]


def database_clock(settings: Settings) -> datetime | None:
    """The database server's time, for the drift check (PostgreSQL only)."""
    if not settings.database_url.startswith("postgresql"):
        return None
    database = Database(settings.database_url)
    try:
        with database.engine.connect() as connection:
            moment = connection.execute(text("SELECT now()")).scalar_one()
            return moment if isinstance(moment, datetime) else None
    except SQLAlchemyError:
        return None
    finally:
        database.dispose()
