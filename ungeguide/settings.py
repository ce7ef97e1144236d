"""The one settings registry. Only the CLI reads the environment; everything else gets Settings.

Every setting has a name, a default and a help text, and the README documents each one (a test
checks that).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from ungeguide.errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = "ungeguide.db"
SMTP_TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "UNGEGUIDE_DATA_DIR",
        "$XDG_DATA_HOME/ungeguide (~/.local/share/ungeguide)",
        "Folder for local data: the SQLite database. Created on first run.",
    ),
    Setting(
        "DATABASE_URL",
        f"sqlite:///<data dir>/{SQLITE_FILE}",
        "SQLAlchemy URL of the database. postgresql://user:pass@host/db uses PostgreSQL.",
    ),
    Setting(
        "UNGEGUIDE_DIALOGUES_DIR",
        "dialogues/ in the source tree",
        "Folder with the YAML content (questionnaires and texts).",
    ),
    Setting(
        "UNGEGUIDE_NLU_DIR",
        "nlu_data/ in the source tree",
        "Folder with the Rasa-format training data (nlu/) and the crisis lexicon.",
    ),
    Setting(
        "RASA_URL",
        "(none: the embedded interpreter)",
        "Base URL of a Rasa server (for example http://127.0.0.1:5005); free text is then parsed "
        "by its /model/parse, with the embedded interpreter as fallback when it is down.",
    ),
    Setting(
        "TELEGRAM_BOT_TOKEN",
        "(none)",
        "The bot's token from BotFather. Without it, `ungeguide run` starts the local chat.",
    ),
    Setting(
        "TELEGRAM_API_URL",
        "https://api.telegram.org/bot",
        "Base URL of the Bot API (a self-hosted Bot API server, or a local fake for testing).",
    ),
    Setting(
        "TELEGRAM_WEBHOOK_URL",
        "(none: polling)",
        "Public HTTPS base URL of this server. When set, Telegram posts updates to "
        "<url>/telegram/webhook instead of the bot polling for them.",
    ),
    Setting(
        "TELEGRAM_WEBHOOK_SECRET",
        "(random at each start)",
        "The secret Telegram must send with every webhook request (1-256 of A-Z a-z 0-9 _ -).",
    ),
    Setting(
        "UNGEGUIDE_QUIET_HOURS",
        "21:00-08:00",
        "No reminders in this Copenhagen wall-clock window; they move to its end.",
    ),
    Setting(
        "UNGEGUIDE_MESSAGES_PER_SECOND",
        "30",
        "The dispatcher's overall send rate (Telegram allows about 30 a second per bot).",
    ),
    Setting(
        "UNGEGUIDE_KEYS",
        "(a key file in the data dir, created on first run)",
        "Fernet keys for encryption at rest, comma-separated, newest first: the first encrypts, "
        "all decrypt. Add a new key in front, run `ungeguide keys rotate`, then drop the old.",
    ),
    Setting(
        "UNGEGUIDE_DELETION",
        "request",
        "How /slet deletes: 'immediate' (everything at once, an audit line without content "
        "remains) or 'request' (the coordinator completes it after archiving).",
    ),
    Setting(
        "UNGEGUIDE_RETENTION_DAYS",
        "365",
        "Young people with no activity for this many days (ended ones included) are deleted "
        "by the nightly retention job.",
    ),
    Setting(
        "TELEGRAM_BOT_USERNAME",
        "(none: invitations show a code to type after /start)",
        "The bot's username (without @), for invitation deep links and QR codes.",
    ),
    Setting(
        "UNGEGUIDE_DASHBOARD_URL",
        "http://<host>:<port>",
        "Public base URL of the dashboard, used in staff set-password links. With https:// the "
        "session cookie is marked Secure.",
    ),
    Setting(
        "UNGEGUIDE_HOST", "127.0.0.1", "Address the HTTP server (dashboard, webhook) listens on."
    ),
    Setting("UNGEGUIDE_PORT", "8080", "Port the HTTP server (dashboard, webhook) listens on."),
    Setting(
        "UNGEGUIDE_TRUSTED_PROXIES",
        "(none: X-Forwarded-For is ignored)",
        "Addresses or networks of reverse proxies in front of the HTTP server, comma-separated "
        "(for example 127.0.0.1,10.0.0.0/8). Only a request from one of them may name the "
        "client's address in X-Forwarded-For (and the scheme in X-Forwarded-Proto).",
    ),
    Setting(
        "UNGEGUIDE_MUNICIPALITY",
        "(none)",
        "The municipality's name (for example Aarhus Kommune); it heads the key-figure report "
        "and its downloads.",
    ),
    Setting(
        "UNGEGUIDE_METRICS_ALLOW",
        "(none)",
        "Addresses or networks, comma-separated, that may read /metrics (Prometheus). Without "
        "this and UNGEGUIDE_METRICS_TOKEN, /metrics answers 404.",
    ),
    Setting(
        "UNGEGUIDE_METRICS_TOKEN",
        "(none)",
        "A secret that lets a request with the header Authorization: Bearer <token> read "
        "/metrics from any address.",
    ),
    Setting(
        "UNGEGUIDE_SMTP_HOST",
        "(none: staff e-mails wait in the outbox)",
        "SMTP server for staff e-mails (urgent alerts within a minute, escalations, the daily "
        "digest). Without it, the dashboard shows every alert e-mail as not sent.",
    ),
    Setting("UNGEGUIDE_SMTP_PORT", "587", "Port of the SMTP server."),
    Setting(
        "UNGEGUIDE_SMTP_TLS",
        "starttls",
        "'starttls' (upgrade after connecting, port 587), 'ssl' (TLS from the start, port 465) "
        "or 'none' (only for a relay on the same machine).",
    ),
    Setting("UNGEGUIDE_SMTP_USER", "(none: no login)", "User name for the SMTP server."),
    Setting("UNGEGUIDE_SMTP_PASSWORD", "(none)", "Password for the SMTP server."),
    Setting(
        "UNGEGUIDE_MAIL_FROM",
        "ungeguide@<host of the dashboard URL>",
        "The sender address of staff e-mails.",
    ),
    Setting(
        "UNGEGUIDE_STAFF_HOURS",
        "08:00-16:00",
        "When staff are at work (Copenhagen time, Monday to Friday; Danish public holidays, "
        "24 and 31 December and 5 June off). Outside them the bot tells a young person when "
        "someone will see their message.",
    ),
    Setting(
        "UNGEGUIDE_ESCALATE_AFTER_MINUTES",
        "30",
        "An urgent alert nobody has acknowledged after this many minutes is e-mailed to the "
        "duty list (or, with none, the administrators).",
    ),
    Setting(
        "UNGEGUIDE_DIGEST_AT",
        "08:00",
        "When on working days each coordinator gets one e-mail about new non-urgent alerts.",
    ),
    Setting(
        "UNGEGUIDE_SESSION_IDLE_MINUTES",
        "45",
        "A dashboard login ends after this many minutes without a click.",
    ),
    Setting(
        "UNGEGUIDE_SESSION_HOURS",
        "10",
        "A dashboard login ends this many hours after logging in, however busy (a working day).",
    ),
)


@dataclass(frozen=True, kw_only=True)
class Settings:
    data_dir: Path
    database_url: str
    dialogues_dir: Path
    nlu_dir: Path = REPO_ROOT / "nlu_data"
    rasa_url: str | None = None
    telegram_bot_token: str | None = None
    telegram_api_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_bot_username: str | None = None
    dashboard_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    trusted_proxies: tuple[str, ...] = ()
    municipality: str | None = None
    metrics_allow: tuple[str, ...] = ()
    metrics_token: str | None = None
    quiet_hours: tuple[time, time] = (time(21, 0), time(8, 0))
    messages_per_second: float = 30.0
    deletion: str = "request"
    keys: str | None = None
    retention_days: int = 365
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str | None = None
    staff_hours: tuple[time, time] = (time(8, 0), time(16, 0))
    escalate_after_minutes: int = 30
    digest_at: time = time(8, 0)
    session_idle_minutes: int = 45
    session_hours: int = 10

    @property
    def dashboard_base_url(self) -> str:
        return self.dashboard_url or f"http://{self.host}:{self.port}"

    @property
    def secure_cookies(self) -> bool:
        return self.dashboard_base_url.startswith("https://")

    @property
    def mail_sender(self) -> str:
        host = urlsplit(self.dashboard_base_url).hostname or "localhost"
        return self.mail_from or f"ungeguide@{host}"

    @property
    def uses_default_database(self) -> bool:
        return self.database_url == _sqlite_url(self.data_dir)

    @property
    def default_database_file(self) -> Path:
        return self.data_dir / SQLITE_FILE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        data_dir = _data_dir(environ)
        return cls(
            data_dir=data_dir,
            database_url=environ.get("DATABASE_URL") or _sqlite_url(data_dir),
            dialogues_dir=Path(environ.get("UNGEGUIDE_DIALOGUES_DIR") or REPO_ROOT / "dialogues"),
            nlu_dir=Path(environ.get("UNGEGUIDE_NLU_DIR") or REPO_ROOT / "nlu_data"),
            rasa_url=(environ.get("RASA_URL") or "").rstrip("/") or None,
            telegram_bot_token=environ.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_url=environ.get("TELEGRAM_API_URL") or None,
            telegram_webhook_url=(environ.get("TELEGRAM_WEBHOOK_URL") or "").rstrip("/") or None,
            telegram_webhook_secret=environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
            telegram_bot_username=(environ.get("TELEGRAM_BOT_USERNAME") or "").lstrip("@") or None,
            dashboard_url=(environ.get("UNGEGUIDE_DASHBOARD_URL") or "").rstrip("/") or None,
            host=environ.get("UNGEGUIDE_HOST") or "127.0.0.1",
            port=_number(environ, "UNGEGUIDE_PORT", 8080, int),
            trusted_proxies=_networks(environ, "UNGEGUIDE_TRUSTED_PROXIES"),
            municipality=(environ.get("UNGEGUIDE_MUNICIPALITY") or "").strip() or None,
            metrics_allow=_networks(environ, "UNGEGUIDE_METRICS_ALLOW"),
            metrics_token=environ.get("UNGEGUIDE_METRICS_TOKEN") or None,
            quiet_hours=_window(
                environ, "UNGEGUIDE_QUIET_HOURS", "21:00-08:00", over_midnight=True
            ),
            messages_per_second=_number(environ, "UNGEGUIDE_MESSAGES_PER_SECOND", 30.0, float),
            deletion=_deletion(environ.get("UNGEGUIDE_DELETION") or "request"),
            keys=environ.get("UNGEGUIDE_KEYS") or None,
            retention_days=_number(environ, "UNGEGUIDE_RETENTION_DAYS", 365, int),
            smtp_host=environ.get("UNGEGUIDE_SMTP_HOST") or None,
            smtp_port=_number(environ, "UNGEGUIDE_SMTP_PORT", 587, int),
            smtp_tls=_choice(environ, "UNGEGUIDE_SMTP_TLS", "starttls", SMTP_TLS_MODES),
            smtp_user=environ.get("UNGEGUIDE_SMTP_USER") or None,
            smtp_password=environ.get("UNGEGUIDE_SMTP_PASSWORD") or None,
            mail_from=environ.get("UNGEGUIDE_MAIL_FROM") or None,
            staff_hours=_window(environ, "UNGEGUIDE_STAFF_HOURS", "08:00-16:00"),
            escalate_after_minutes=_number(environ, "UNGEGUIDE_ESCALATE_AFTER_MINUTES", 30, int),
            digest_at=_clock_time(environ, "UNGEGUIDE_DIGEST_AT", "08:00"),
            session_idle_minutes=_number(environ, "UNGEGUIDE_SESSION_IDLE_MINUTES", 45, int),
            session_hours=_number(environ, "UNGEGUIDE_SESSION_HOURS", 10, int),
        )


N = TypeVar("N", int, float)


def _number(environ: Mapping[str, str], name: str, default: N, kind: type[N]) -> N:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be above 0")
    return value


def _choice(environ: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = environ.get(name) or default
    if raw not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}")
    return raw


def _window(
    environ: Mapping[str, str], name: str, default: str, *, over_midnight: bool = False
) -> tuple[time, time]:
    """A wall-clock window like 08:00-16:00; quiet hours may run over midnight (21:00-08:00)."""
    raw = environ.get(name) or default
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        raise SettingsError(f"{name} must look like {default}, not {raw!r}") from None
    if not over_midnight and start >= end:
        raise SettingsError(f"{name} must start before it ends, not {raw!r}")
    return start, end


def _clock_time(environ: Mapping[str, str], name: str, default: str) -> time:
    raw = environ.get(name) or default
    try:
        return time.fromisoformat(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a time like {default}, not {raw!r}") from None


def _networks(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (10.0.0.0/8), each checked (uvicorn would not)."""
    found = []
    for part in (environ.get(name) or "").split(","):
        if not part.strip():
            continue
        try:
            found.append(str(ipaddress.ip_network(part.strip(), strict=False)))
        except ValueError:
            raise SettingsError(
                f"{name} must list IP addresses or networks like 10.0.0.0/8, not {part.strip()!r}"
            ) from None
    return tuple(found)


def _deletion(raw: str) -> str:
    if raw not in ("immediate", "request"):
        raise SettingsError(f"UNGEGUIDE_DELETION must be immediate or request, not {raw!r}")
    return raw


def _data_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("UNGEGUIDE_DATA_DIR"):
        return Path(environ["UNGEGUIDE_DATA_DIR"]).expanduser()
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "ungeguide"


def _sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / SQLITE_FILE}"
