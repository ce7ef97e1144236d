"""The composition root: the one place that wires content, storage and the conversation service.

`ungeguide run` (`bot_server`) takes updates before its NLU and dashboard are loaded: they load
in a thread right after (ungeguide/server.py), so this module imports neither the dashboard's
pages nor the embedded interpreter at the top.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from starlette.applications import Starlette
from starlette.types import ASGIApp

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.channels.telegram.webhook import webhook_app
from bot.engine import Message
from bot.nlu import Understander, Understands
from bot.nlu.build import LoadingUnderstander, build_understander
from bot.service import ConversationService
from bot.service.reminders import reminder_composer
from core.clock import Clock, utc_now
from core.content import Content, load_content
from dashboard.mail import render_mail
from domain import workshops
from domain.alerts.email import Mail, SmtpSettings, Tls, send_mail
from domain.alerts.escalation import CarePolicy
from domain.alerts.staff_hours import StaffHours
from domain.reminder_timing import ReminderRules
from scheduler.dispatcher import Dispatcher, Sender
from scheduler.notifier import Mailer, Notifier
from scheduler.ratelimit import RateLimiter
from scheduler.runner import Planner, start_scheduler
from storage import Database
from storage.crypto import Keyring, keyring, load_keys, use_keyring
from ungeguide.health import health_for, with_health
from ungeguide.server import Loading, LoadingApp
from ungeguide.settings import Settings

NLU = "NLU"  # the parts `ungeguide run` loads after it started, as /healthz names them
DASHBOARD = "dashboard"


@dataclass(frozen=True)
class App:
    settings: Settings
    content: Content
    database: Database
    conversations: ConversationService
    clock: Clock

    def close(self) -> None:
        self.conversations.understander.close()
        self.database.dispose()


def configure_keys(settings: Settings) -> Path | None:
    """Activate the encryption keys; returns the key file if it was just created."""
    keys, created = load_keys(settings.keys, settings.data_dir)
    use_keyring(Keyring(keys))
    return created


def configure_review_words(settings: Settings) -> None:
    """Read the ideas' review words from the NLU folder of the settings (UNGEGUIDE_NLU_DIR).
    Raises OSError or ValueError for a missing or broken file."""
    workshops.REVIEW_WORDS.use(settings.nlu_dir / workshops.REVIEW_WORDS_FILE)


def build_app(
    settings: Settings, *, clock: Clock = utc_now, understander: Understands | None = None
) -> App:
    """Load and check the content, open the database and check its schema, wire the service
    with `understander`, else with the NLU of the settings, built now.

    Raises ContentError for broken dialogues and SchemaOutOfDate for an old database (and
    TrainingDataError or LexiconError for the NLU's files, when it is built now).
    """
    configure_keys(settings)
    content = load_content(settings.dialogues_dir)
    understander = understander or nlu(settings)
    database = Database(settings.database_url)
    try:
        database.require_current_schema()
    except Exception:
        database.dispose()
        raise
    conversations = ConversationService(
        database,
        content,
        clock=clock,
        understander=understander,
        rules=reminder_rules(settings),
        erasure_mode=settings.deletion,
        staff_hours=staff_hours(settings),
    )
    return App(
        settings=settings,
        content=content,
        database=database,
        conversations=conversations,
        clock=clock,
    )


def nlu(settings: Settings) -> Understander:
    """The NLU of the settings: the embedded interpreter, or Rasa beside it."""
    return build_understander(
        settings.nlu_dir, rasa_url=settings.rasa_url, cache_dir=settings.data_dir / "cache"
    )


def loading_nlu(settings: Settings) -> LoadingUnderstander:
    """The NLU of the settings, built when its `load` is called (see `bot_server`)."""
    return LoadingUnderstander(partial(nlu, settings))


def web_dashboard(
    settings: Settings, database: Database, content: Content, *, clock: Clock = utc_now
) -> Starlette:
    """The coordinators' dashboard on this database. The session cookie's signing key is
    derived from the encryption keys, so there is no separate secret to keep."""
    from dashboard.app import dashboard_app  # its pages, Jinja and segno: ~0.2 s of CPU

    return dashboard_app(
        database,
        content,
        session_secret=keyring().blind_index("dashboard session cookie"),
        clock=clock,
        rules=reminder_rules(settings),
        bot_username=settings.telegram_bot_username,
        municipality=settings.municipality,
        base_url=settings.dashboard_base_url,
        secure_cookies=settings.secure_cookies,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        session_limit=timedelta(hours=settings.session_hours),
    )


@dataclass(frozen=True)
class BotServer:
    """What `ungeguide run` serves: the webhook (or nothing, when polling), the dashboard and
    the health paths on one port, and the parts it loads once the bot takes updates."""

    asgi: ASGIApp
    channel: TelegramChannel
    loading: Loading


def bot_server(app: App, nlu_later: LoadingUnderstander) -> BotServer:
    """The bot, the dashboard and the scheduler on one server. When the server starts, the
    channel starts taking updates and the scheduler runs; once it listens, `loading.start()`
    loads the NLU (`nlu_later`, the service's understander: free texts wait for it) and then
    the dashboard (its requests wait, or get 503, meanwhile) in a thread. /healthz and /readyz
    say what is loading."""
    settings = app.settings
    channel = telegram_channel(app)
    secret = None
    if settings.telegram_webhook_url:
        secret = settings.telegram_webhook_secret or secrets.token_urlsafe(32)
    dashboard = LoadingApp()
    loading = Loading(
        [
            (NLU, nlu_later.load),
            (DASHBOARD, lambda: dashboard.set(_dashboard(app))),
        ]
    )

    web = webhook_app(
        channel,
        secret=secret,
        public_url=settings.telegram_webhook_url,
        background=lambda: start_scheduler(*reminders(app, channel), notifier(app)),
        dashboard=dashboard,
    )
    health = health_for(
        settings,
        app.database,
        clock=app.clock,
        bot=channel.application.bot,
        loading=lambda: loading.pending,
    )
    return BotServer(asgi=with_health(web, health), channel=channel, loading=loading)


def _dashboard(app: App) -> Starlette:
    return web_dashboard(app.settings, app.database, app.content, clock=app.clock)


def reminder_rules(settings: Settings) -> ReminderRules:
    quiet_from, quiet_until = settings.quiet_hours
    return ReminderRules(quiet_from=quiet_from, quiet_until=quiet_until)


def telegram_channel(app: App) -> TelegramChannel:
    """The Telegram channel on the app's conversation service (needs TELEGRAM_BOT_TOKEN)."""
    settings = app.settings
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    connection = Connection(token=settings.telegram_bot_token, base_url=settings.telegram_api_url)
    return TelegramChannel(app.conversations, app.content, connection)


def reminders(
    app: App, sender: Sender[Message], *, only_person: int | None = None
) -> tuple[Dispatcher[Message], Planner]:
    """The reminder dispatcher (sending through `sender`) and the check-in planner."""
    settings = app.settings
    rules = reminder_rules(settings)
    dispatcher = Dispatcher(
        app.database,
        reminder_composer(app.content),
        sender,
        clock=app.clock,
        rules=rules,
        limiter=RateLimiter(overall=settings.messages_per_second),
        only_person=only_person,
    )
    return dispatcher, planner(app)


def planner(app: App) -> Planner:
    """The check-in planner, which also runs retention."""
    return Planner(
        app.database,
        app.content,
        clock=app.clock,
        rules=reminder_rules(app.settings),
        keep_for=timedelta(days=app.settings.retention_days),
    )


def staff_hours(settings: Settings) -> StaffHours:
    opens, closes = settings.staff_hours
    return StaffHours(opens=opens, closes=closes)


def care_policy(settings: Settings) -> CarePolicy:
    return CarePolicy(
        escalate_after=timedelta(minutes=settings.escalate_after_minutes),
        digest_at=settings.digest_at,
        staff_hours=staff_hours(settings),
    )


def smtp_settings(settings: Settings) -> SmtpSettings | None:
    if not settings.smtp_host:
        return None
    return SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        tls=Tls(settings.smtp_tls),
        user=settings.smtp_user,
        password=settings.smtp_password,
        sender=settings.mail_sender,
    )


def notifier(app: App, *, mailer: Mailer | None = None) -> Notifier:
    """The care loop's clock job: held alerts, escalation, the digest, and staff e-mails over
    SMTP (or through `mailer`). Without an SMTP host, e-mails wait in the outbox."""
    settings = app.settings
    policy = care_policy(settings)
    smtp = smtp_settings(settings)
    if mailer is None and smtp is not None:
        mailer = partial(_send, smtp)
    return Notifier(
        app.database,
        render=partial(
            render_mail, base_url=settings.dashboard_base_url, escalate_after=policy.escalate_after
        ),
        mailer=mailer,
        clock=app.clock,
        policy=policy,
    )


def _send(smtp: SmtpSettings, mail: Mail) -> None:
    send_mail(smtp, mail)
