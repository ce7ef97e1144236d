"""The Telegram channel: PTB Application wiring, one entry point for every update."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial

from telegram import BotCommand, Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram.delivery import Outbox, with_retry
from bot.channels.telegram.incoming import Incoming, Membership, read_update
from bot.channels.telegram.polling import InFlight, Poller
from bot.channels.telegram.processor import PerChatUpdateProcessor
from bot.engine import Message, Reply
from bot.service import ConversationService
from core.content import Content
from domain.errors import Unreachable

logger = logging.getLogger(__name__)

# httpx logs every request URL at INFO, and the URL holds the bot token; PTB logs request
# parameters (message texts, chat ids) at DEBUG. Neither may reach our logs.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("telegram").setLevel(logging.INFO)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


@dataclass(frozen=True, kw_only=True)
class Connection:
    token: str
    # For tests and self-hosted Bot API servers: e.g. "http://127.0.0.1:8081/bot".
    base_url: str | None = None
    timeout: float = 10.0
    poll_timeout: int = 30


class TelegramChannel:
    def __init__(
        self, service: ConversationService, content: Content, connection: Connection
    ) -> None:
        self.service = service
        self.content = content
        self.connection = connection
        self.application = self._build()
        # Updates taken and not yet handled: never confirmed to Telegram (see polling.py).
        self.in_flight = InFlight()
        self.poller: Poller | None = None

    def _build(self) -> Application:  # type: ignore[type-arg]
        connection = self.connection
        builder = (
            Application.builder()
            .token(connection.token)
            .updater(None)  # our Poller: it confirms an update only once it is handled
            .concurrent_updates(PerChatUpdateProcessor())
            .connect_timeout(connection.timeout)
            .read_timeout(connection.timeout)
            .write_timeout(connection.timeout)
            .get_updates_read_timeout(connection.timeout + connection.poll_timeout)
        )
        if connection.base_url:
            file_url = connection.base_url.replace("/bot", "/file/bot")
            builder = builder.base_url(connection.base_url).base_file_url(file_url)
        application = builder.build()
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self._on_error)
        return application

    async def start(self, *, polling: bool = True) -> None:
        """Connect, register the Danish commands, and start fetching updates (when polling)."""
        application = self.application
        await application.initialize()
        commands = [BotCommand(name, text) for name, text in self.content.texts.commands.items()]
        await with_retry(partial(application.bot.set_my_commands, commands))
        await application.start()
        if polling:
            self.poller = Poller(
                application.bot,
                application.update_queue,
                self.in_flight,
                timeout=self.connection.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
            )
            await self.poller.start()
        logger.info("Telegram channel started (%s)", "polling" if polling else "webhook")

    async def stop(self) -> None:
        """Stop taking updates, handle those already taken, then confirm them to Telegram."""
        application = self.application
        if self.poller is not None:
            await self.poller.stop()
        if application.running:
            await application.stop()
        if self.poller is not None:
            await self.poller.confirm()
            self.poller = None
        await application.shutdown()

    async def handle(self, update: Update) -> None:
        """Queue a webhook update and return once it is handled, so Telegram sends it again
        if we die first. A resent update that is still in flight is not queued twice."""
        if self.in_flight.begin(update.update_id):
            await self.application.update_queue.put(update)
        await self.in_flight.handled(update.update_id)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self._on_update(update, context)
        finally:
            self.in_flight.finish(update.update_id)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        read = read_update(update)
        if isinstance(read, Membership):
            await asyncio.to_thread(
                self.service.set_reachable, read.chat_id, reachable=read.reachable
            )
            return
        if read is None:
            return
        outbox = Outbox(context.bot, read.chat_id)
        try:
            messages = await self._messages_for(read, update.update_id)
        except Exception as error:
            # Never leave the young person with silence or a spinning button.
            logger.exception("could not handle an update: %s", type(error).__name__)
            messages = (Reply(self.content.texts.channel.error),)
        try:
            if read.callback_id is not None:
                await outbox.answer_callback(read.callback_id, messages)
            await outbox.send(messages, pressed_message_id=read.message_id)
        except Unreachable:
            await asyncio.to_thread(self.service.set_reachable, read.chat_id, reachable=False)

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[Message, ...]
    ) -> None:
        """Send a reminder (the dispatcher's Sender). Raises Unreachable for a blocked bot."""
        if chat_id is None:
            raise Unreachable(f"person {person_id} has no chat")
        await Outbox(self.application.bot, chat_id).send(messages, pressed_message_id=None)

    async def _messages_for(self, read: Incoming, update_id: int) -> tuple[Message, ...]:
        if read.refusal is not None:
            return (Reply(getattr(self.content.texts.channel, read.refusal.value)),)
        assert read.event is not None  # noqa: S101 - an Incoming without refusal has an event
        return await asyncio.to_thread(
            self.service.handle_chat, read.chat_id, read.event, update_id=update_id
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never log the update itself: it holds the young person's text and chat id.
        error = context.error
        logger.error(
            "error while handling an update: %s",
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
