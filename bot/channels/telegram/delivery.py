"""Sending to Telegram with the delivery rules we promise.

- 429 (RetryAfter): wait as long as Telegram says, then send again.
- Network errors, timeouts and 5xx: retry with exponential backoff. Each retry is logged with
  what failed: method, HTTP status, Telegram's description, attempt n of m (never a parameter).
  Rule for timeouts: a send that timed out may still have reached Telegram; it is sent again,
  because a lost message is worse than a rare duplicate. Stored data is never duplicated, since
  the answer was committed before anything was sent.
- 403 (Forbidden): the young person blocked the bot; raise Unreachable and send nothing more.
- Texts over Telegram's 4,096 characters are split at paragraph, line or word boundaries.
- An upload (a chart, the /mine_data file) is tried twice; if it still fails, a short text
  says so and the rest of the reply follows in order: the picture is a bonus, the question
  after it is not.
- When a text still fails after its retries, `Undelivered` carries it and everything after it,
  so the channel can hold them for the chat (see held.py) instead of dropping them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.channels.telegram.lean_bot import LeanBot
from bot.channels.telegram.request import describe, forget_call
from bot.charts import render
from bot.engine import Button, MarkChosen, Message, Reply, Toast
from bot.engine.messages import Document, LineChart, RemoveButtons, SpiderChart
from core.content.models import ChannelTexts
from domain.errors import Unreachable

logger = logging.getLogger(__name__)

T = TypeVar("T")
TEXT_LIMIT = 4000  # under Telegram's 4,096, leaving room for entities
RETRY_DELAY = 0.5  # seconds before the second attempt; doubled for each one after
UPLOAD_ATTEMPTS = 2  # then the text fallback: a picture is not worth a stuck chat
Sleep = Callable[[float], Awaitable[None]]
Upload = Document | LineChart | SpiderChart


class GaveUp(NetworkError):
    """A call still failed after all its attempts; `what` says how the last one failed."""

    def __init__(self, what: str, *, attempts: int) -> None:
        super().__init__(f"gave up after {attempts} attempts ({what})")
        self.what = what


def failure(error: Exception) -> str:
    """What failed, for a log line (see request.describe)."""
    return error.what if isinstance(error, GaveUp) else describe(error)


class Undelivered(Exception):
    """A reply stopped at a message that could not be delivered: `rest` is that message and
    everything after it, in order."""

    def __init__(self, rest: tuple[Message, ...]) -> None:
        super().__init__(f"{len(rest)} messages not delivered")
        self.rest = rest


async def with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int = 6,
    base_delay: float = RETRY_DELAY,
    max_delay: float = 30.0,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Run `call`, honouring RetryAfter and retrying network trouble with backoff."""
    what = "a Bot API call"
    for attempt in range(1, attempts + 1):
        forget_call()
        try:
            return await call()
        except Forbidden as error:
            raise Unreachable from error
        except RetryAfter as error:
            delay = retry_seconds(error)
            what = describe(error)
        except BadRequest:
            raise  # our request is wrong; sending it again will not help
        except NetworkError as error:
            delay = min(max_delay, base_delay * 2 ** (attempt - 1))
            what = describe(error)
        if attempt == attempts:
            logger.warning("%s; attempt %d of %d, giving up", what, attempt, attempts)
            break
        logger.info("%s; attempt %d of %d, again in %.1f s", what, attempt, attempts, delay)
        await sleep(delay)
    raise GaveUp(what, attempts=attempts)


def retry_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at the last paragraph, line or space."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


class Outbox:
    """Sends one update's messages to one chat, in order."""

    def __init__(
        self,
        bot: LeanBot,
        chat_id: int,
        *,
        texts: ChannelTexts,
        retry_delay: float = RETRY_DELAY,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.texts = texts
        self.retry_delay = retry_delay
        self.sleep = sleep

    async def answer_callback(self, callback_id: str, messages: tuple[Message, ...]) -> None:
        """Every button press is answered, with the engine's short notice if it has one."""
        toast = next((m.text for m in messages if isinstance(m, Toast)), None)
        bot = self.bot
        try:
            await self._retry(partial(bot.answer_callback_query, callback_id, text=toast))
        except BadRequest:
            logger.info("a button press was too old to answer")  # Telegram allows ~15 minutes
        except NetworkError:
            logger.info("a button press could not be answered; the reply follows anyway")

    async def send(self, messages: tuple[Message, ...], *, pressed_message_id: int | None) -> None:
        """Send in order. Raises Undelivered with the rest when a text cannot be delivered,
        Unreachable when the bot is blocked."""
        for index, message in enumerate(messages):
            if isinstance(message, Upload) and not await self._upload(message):
                message = Reply(self._upload_failed(message))
            try:
                await self._send_one(message, pressed_message_id)
            except NetworkError as error:
                raise Undelivered((message, *messages[index + 1 :])) from error

    async def _send_one(self, message: Message, pressed_message_id: int | None) -> None:
        bot = self.bot
        if isinstance(message, MarkChosen) and pressed_message_id is not None:
            await self._edit(pressed_message_id, message.text)
        elif isinstance(message, RemoveButtons) and pressed_message_id is not None:
            await self._remove_buttons(pressed_message_id)
        elif isinstance(message, Reply):
            pieces = split_text(message.text)
            for index, piece in enumerate(pieces):
                markup = keyboard(message.buttons) if index == len(pieces) - 1 else None
                await self._retry(
                    partial(
                        bot.post,
                        "sendMessage",
                        chat_id=self.chat_id,
                        text=piece,
                        reply_markup=markup,
                    )
                )

    async def _upload(self, message: Upload) -> bool:
        """Send a chart or a file; False when it could not be sent (the caller says so)."""
        bot = self.bot
        if isinstance(message, Document):
            upload = InputFile(message.data, filename=message.filename)
            call = partial(bot.send_document, self.chat_id, upload, caption=message.caption)
        else:
            photo = InputFile(render(message), filename="udvikling.png")
            call = partial(bot.send_photo, self.chat_id, photo, caption=message.title)
        try:
            await with_retry(
                call, attempts=UPLOAD_ATTEMPTS, base_delay=self.retry_delay, sleep=self.sleep
            )
        except (BadRequest, NetworkError) as error:
            logger.warning("an upload failed (%s); its text fallback is sent", failure(error))
            return False
        return True

    def _upload_failed(self, message: Upload) -> str:
        return self.texts.file_failed if isinstance(message, Document) else self.texts.chart_failed

    async def _edit(self, message_id: int, text: str) -> None:
        bot = self.bot
        try:
            await self._retry(
                partial(
                    bot.post,
                    "editMessageText",
                    chat_id=self.chat_id,
                    message_id=message_id,
                    text=text,
                )
            )
        except (BadRequest, NetworkError):
            # Already edited (a repeated press), too old to edit, or Telegram is away: the
            # answer is stored anyway, and the next question follows.
            logger.info("could not mark the chosen answer on the question")

    async def _remove_buttons(self, message_id: int) -> None:
        bot = self.bot
        try:
            await self._retry(
                partial(bot.edit_message_reply_markup, chat_id=self.chat_id, message_id=message_id)
            )
        except (BadRequest, NetworkError):
            logger.info("could not remove the buttons of an answered reminder")

    async def _retry(self, call: Callable[[], Awaitable[object]]) -> object:
        return await with_retry(call, base_delay=self.retry_delay, sleep=self.sleep)
