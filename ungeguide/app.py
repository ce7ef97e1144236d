"""The composition root: the one place that wires content, storage and the conversation service."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.content import Content, load_content
from bot.service import Clock, ConversationService, utc_now
from storage import Database
from ungeguide.settings import Settings


@dataclass(frozen=True)
class App:
    settings: Settings
    content: Content
    database: Database
    conversations: ConversationService

    def close(self) -> None:
        self.database.dispose()


def build_app(settings: Settings, *, clock: Clock = utc_now) -> App:
    """Load and check the content, open the database and check its schema, wire the service.

    Raises ContentError for broken dialogues and SchemaOutOfDate for an old database.
    """
    content = load_content(settings.dialogues_dir)
    database = Database(settings.database_url)
    try:
        database.require_current_schema()
    except Exception:
        database.dispose()
        raise
    conversations = ConversationService(database, content, clock=clock)
    return App(settings=settings, content=content, database=database, conversations=conversations)


def telegram_channel(app: App) -> TelegramChannel:
    """The Telegram channel on the app's conversation service (needs TELEGRAM_BOT_TOKEN)."""
    settings = app.settings
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    connection = Connection(token=settings.telegram_bot_token, base_url=settings.telegram_api_url)
    return TelegramChannel(app.conversations, app.content, connection)
