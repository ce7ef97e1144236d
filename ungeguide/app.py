"""The composition root: the one place that wires content, storage and the conversation service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from starlette.applications import Starlette

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.engine import Message
from bot.nlu.build import build_understander
from bot.service import ConversationService
from bot.service.reminders import reminder_composer
from core.clock import Clock, utc_now
from core.content import Content, load_content
from dashboard.app import dashboard_app
from dashboard.mail import render_mail
from domain.alerts.email import Mail, SmtpSettings, Tls, send_mail
from domain.alerts.escalation import CarePolicy
from domain.alerts.staff_hours import StaffHours
from domain.reminder_timing import ReminderRules
from scheduler.dispatcher import Dispatcher, Sender
from scheduler.notifier import Mailer, Notifier
from scheduler.ratelimit import RateLimiter
from scheduler.runner import Planner
from storage import Database
from storage.crypto import Keyring, keyring, load_keys, use_keyring
from ungeguide.settings import Settings


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


def build_app(settings: Settings, *, clock: Clock = utc_now) -> App:
    """Load and check the content, open the database and check its schema, wire the service.

    Raises ContentError for broken dialogues and SchemaOutOfDate for an old database.
    """
    configure_keys(settings)
    content = load_content(settings.dialogues_dir)
    understander = build_understander(
        settings.nlu_dir, rasa_url=settings.rasa_url, cache_dir=settings.data_dir / "cache"
    )
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


def web_dashboard(
    settings: Settings, database: Database, content: Content, *, clock: Clock = utc_now
) -> Starlette:
    """The coordinators' dashboard on this database. The session cookie's signing key is
    derived from the encryption keys, so there is no separate secret to keep."""
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
