"""The Telegram channel: PTB Application wiring, one entry point for every update."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import BotCommand, Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram.delivery import RETRY_DELAY, Outbox, Undelivered
from bot.channels.telegram.held import REDELIVER_EVERY, Held, Redelivery
from bot.channels.telegram.incoming import Incoming, Membership, read_update
from bot.channels.telegram.lean_bot import LeanBot
from bot.channels.telegram.library_logs import protect_library_logs
from bot.channels.telegram.menu import FIRST_RETRY, CommandMenu
from bot.channels.telegram.polling import InFlight, Poller
from bot.channels.telegram.processor import PerChatUpdateProcessor
from bot.channels.telegram.request import BotApiRequest, UpdatesRequest
from bot.channels.telegram.unreadable import Unreadable
from bot.engine import Message, Reply, Text
from bot.service import ConversationService
from core.content import Content
from core.metrics import UPDATE_LAG_SECONDS, UPDATE_SECONDS
from core.text import clean
from domain.errors import Unreachable

logger = logging.getLogger(__name__)

# httpx logs every request URL at INFO, and the URL holds the bot token; PTB logs request
# parameters (message texts, chat ids) at DEBUG. Neither is wanted in our logs, and
# library_logs.py cuts both out of any line that is still made (e.g. with DEBUG on).
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("telegram").setLevel(logging.INFO)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
UPDATES_POOL = 1  # one getUpdates at a time, as python-telegram-bot's own default
# Connections for every other call. httpcore looks at each pooled connection on every request
# (a socket check per idle one): with 256 (python-telegram-bot's default), once 50 chats had
# opened many, that was a third of the CPU inside httpcore. 16 carry hundreds of calls a second.
REQUEST_POOL = 16
TELEGRAM_API = "https://api.telegram.org/bot"


@dataclass(frozen=True, kw_only=True)
class Connection:
    token: str
    # For tests and self-hosted Bot API servers: e.g. "http://127.0.0.1:8081/bot".
    base_url: str | None = None
    timeout: float = 10.0
    poll_timeout: int = 30
    menu_retry: float = FIRST_RETRY  # seconds until a failed command menu is tried again
    retry_delay: float = RETRY_DELAY  # first pause before a failed send is tried again
    redeliver_every: float = REDELIVER_EVERY  # seconds between tries of held replies


class TelegramChannel:
    def __init__(
        self, service: ConversationService, content: Content, connection: Connection
    ) -> None:
        self.service = service
        self.content = content
        self.connection = connection
        protect_library_logs()
        self.unreadable = Unreadable()
        self.application = self._build()
        # Updates taken and not yet handled: never confirmed to Telegram (see polling.py).
        self.in_flight = InFlight()
        self.poller: Poller | None = None
        self.held = Held()
        self.redelivery = Redelivery(
            self.held, self._deliver_held, every=connection.redeliver_every
        )
        commands = [BotCommand(name, text) for name, text in content.texts.commands.items()]
        self.menu = CommandMenu(self.application.bot, commands, first_retry=connection.menu_retry)

    def _build(self) -> Application:  # type: ignore[type-arg]
        connection = self.connection
        timeout = connection.timeout
        base_url = connection.base_url or TELEGRAM_API
        bot = LeanBot(
            connection.token,
            base_url=base_url,
            base_file_url=base_url.replace("/bot", "/file/bot"),
            request=BotApiRequest(
                connection_pool_size=REQUEST_POOL,
                connect_timeout=timeout,
                read_timeout=timeout,
                pool_timeout=timeout,  # a burst waits for a free connection, not 1 s
            ),
            get_updates_request=UpdatesRequest(
                unreadable=self.unreadable,
                connection_pool_size=UPDATES_POOL,
                connect_timeout=timeout,
                read_timeout=timeout + connection.poll_timeout,
            ),
        )
        builder = (
            Application.builder()
            .bot(bot)
            .updater(None)  # our Poller: it confirms an update only once it is handled
            .concurrent_updates(PerChatUpdateProcessor())
        )
        application = builder.build()
        application.add_handler(TypeHandler(Update, self.on_update))
        application.add_error_handler(self._on_error)
        return application

    async def start(self, *, polling: bool = True) -> None:
        """Connect, register the Danish commands (or keep trying in the background), and start
        fetching updates (when polling)."""
        application = self.application
        await application.initialize()
        await self.menu.start()
        await application.start()
        if polling:
            self.poller = Poller(
                application.bot,
                application.update_queue,
                self.in_flight,
                timeout=self.connection.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                unreadable=self.unreadable,
            )
            await self.poller.start()
        self.redelivery.start()
        logger.info("Telegram channel started (%s)", "polling" if polling else "webhook")

    async def stop(self) -> None:
        """Stop taking updates, handle those already taken, then confirm them to Telegram."""
        application = self.application
        await self.menu.stop()
        await self.redelivery.stop()
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
        started = time.monotonic()
        if update.message is not None:  # a press carries no time of its own
            UPDATE_LAG_SECONDS.set((datetime.now(UTC) - update.message.date).total_seconds())
        try:
            await self._on_update(update, context)
        finally:
            self.in_flight.finish(update.update_id)
            UPDATE_SECONDS.observe(time.monotonic() - started)

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        read = read_update(update)
        if isinstance(read, Membership):
            await asyncio.to_thread(
                self.service.set_reachable, read.chat_id, reachable=read.reachable
            )
            return
        if read is None:
            return
        async with self.held.sending(read.chat_id):
            missed = self.held.take(read.chat_id)
            if missed and isinstance(read.event, Text) and not await self._worrying(read.event):
                # Written before the young person saw our last reply: not an answer to it.
                messages: tuple[Message, ...] = (Reply(self.content.texts.channel.missed),)
                order = (*messages, *missed)
            else:
                messages = await self._answer(read, update.update_id)
                order = (*missed, *messages)
            outbox = self._outbox(read.chat_id)
            if read.callback_id is not None:
                await outbox.answer_callback(read.callback_id, messages)
            await self._deliver(outbox, order, pressed_message_id=read.message_id)

    async def _answer(self, read: Incoming, update_id: int) -> tuple[Message, ...]:
        try:
            return await self._messages_for(read, update_id)
        except Exception as error:
            # Never leave the young person with silence or a spinning button.
            logger.exception("could not handle an update: %s", type(error).__name__)
            return (Reply(self.content.texts.channel.error),)

    async def _worrying(self, event: Text) -> bool:
        """Whether the safety net flags a text (then it is never set aside)."""
        try:
            understood = await asyncio.to_thread(
                self.service.understander.understand, clean(event.text)
            )
        except Exception:  # when in doubt, the conversation (and its safety net) gets it
            return True
        return understood.crisis is not None

    def _outbox(self, chat_id: int) -> Outbox:
        return Outbox(
            self.application.bot,
            chat_id,
            texts=self.content.texts.channel,
            retry_delay=self.connection.retry_delay,
        )

    async def _deliver(
        self, outbox: Outbox, messages: tuple[Message, ...], *, pressed_message_id: int | None
    ) -> None:
        """Send, holding what cannot be delivered now (see held.py)."""
        try:
            await outbox.send(messages, pressed_message_id=pressed_message_id)
        except Undelivered as undelivered:
            self.held.hold(outbox.chat_id, undelivered.rest)
        except Unreachable:
            self.held.forget(outbox.chat_id)
            await asyncio.to_thread(self.service.set_reachable, outbox.chat_id, reachable=False)

    async def _deliver_held(self, chat_id: int, messages: tuple[Message, ...]) -> None:
        await self._deliver(self._outbox(chat_id), messages, pressed_message_id=None)

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[Message, ...]
    ) -> None:
        """Send a reminder (the dispatcher's Sender), after any held reply. Raises Unreachable
        for a blocked bot, and Undelivered when it could not be sent (the dispatcher tries the
        reminder again later)."""
        if chat_id is None:
            raise Unreachable(f"person {person_id} has no chat")
        async with self.held.sending(chat_id):
            outbox = self._outbox(chat_id)
            missed = self.held.take(chat_id)
            try:
                await outbox.send(missed, pressed_message_id=None)
            except Undelivered as undelivered:
                self.held.hold(chat_id, undelivered.rest)
                raise
            await outbox.send(messages, pressed_message_id=None)

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
