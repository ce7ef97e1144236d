"""Sending to Telegram with the delivery rules we promise.

- 429 (RetryAfter): wait as long as Telegram says, then send again.
- Network errors, timeouts and 5xx: retry with exponential backoff.
  Rule for timeouts: a send that timed out may still have reached Telegram; it is sent again,
  because a lost message is worse than a rare duplicate. Stored data is never duplicated, since
  the answer was committed before anything was sent.
- 403 (Forbidden): the young person blocked the bot; raise Unreachable and send nothing more.
- Texts over Telegram's 4,096 characters are split at paragraph, line or word boundaries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.charts import render
from bot.engine import Button, MarkChosen, Message, Reply, Toast
from bot.engine.messages import Document, LineChart, RemoveButtons, SpiderChart
from domain.errors import Unreachable

logger = logging.getLogger(__name__)

T = TypeVar("T")
TEXT_LIMIT = 4000  # under Telegram's 4,096, leaving room for entities
Sleep = Callable[[float], Awaitable[None]]


async def with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int = 6,
    base_delay: float = 0.5,
    max_delay: float = 30.0,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Run `call`, honouring RetryAfter and retrying network trouble with backoff."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except Forbidden as error:
            raise Unreachable from error
        except RetryAfter as error:
            delay = retry_seconds(error)
            logger.info("Telegram asked us to wait %.1f s", delay)
        except BadRequest:
            raise  # our request is wrong; sending it again will not help
        except NetworkError as error:
            delay = min(max_delay, base_delay * 2 ** (attempt - 1))
            logger.info(
                "network trouble (%s); retry %d in %.1f s", type(error).__name__, attempt, delay
            )
        if attempt == attempts:
            break
        await sleep(delay)
    raise NetworkError(f"gave up after {attempts} attempts")


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

    def __init__(self, bot: Bot, chat_id: int, *, sleep: Sleep = asyncio.sleep) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.sleep = sleep

    async def answer_callback(self, callback_id: str, messages: tuple[Message, ...]) -> None:
        """Every button press is answered, with the engine's short notice if it has one."""
        toast = next((m.text for m in messages if isinstance(m, Toast)), None)
        bot = self.bot
        try:
            await self._retry(partial(bot.answer_callback_query, callback_id, text=toast))
        except BadRequest:
            logger.info("a button press was too old to answer")  # Telegram allows ~15 minutes

    async def send(self, messages: tuple[Message, ...], *, pressed_message_id: int | None) -> None:
        bot = self.bot
        chat_id = self.chat_id
        for message in messages:
            if isinstance(message, MarkChosen) and pressed_message_id is not None:
                await self._edit(pressed_message_id, message.text)
            elif isinstance(message, RemoveButtons) and pressed_message_id is not None:
                await self._remove_buttons(pressed_message_id)
            elif isinstance(message, Reply):
                pieces = split_text(message.text)
                for index, piece in enumerate(pieces):
                    markup = keyboard(message.buttons) if index == len(pieces) - 1 else None
                    await self._retry(
                        partial(bot.send_message, chat_id, piece, reply_markup=markup)
                    )
            elif isinstance(message, Document):
                upload = InputFile(message.data, filename=message.filename)
                await self._retry(
                    partial(bot.send_document, chat_id, upload, caption=message.caption)
                )
            elif isinstance(message, LineChart | SpiderChart):
                photo = InputFile(render(message), filename="udvikling.png")
                await self._retry(partial(bot.send_photo, chat_id, photo, caption=message.title))

    async def _edit(self, message_id: int, text: str) -> None:
        bot = self.bot
        try:
            await self._retry(
                partial(bot.edit_message_text, text, chat_id=self.chat_id, message_id=message_id)
            )
        except BadRequest:
            # Already edited (a repeated press) or too old to edit: the answer is stored anyway.
            logger.info("could not mark the chosen answer on the question")

    async def _remove_buttons(self, message_id: int) -> None:
        bot = self.bot
        try:
            await self._retry(
                partial(bot.edit_message_reply_markup, chat_id=self.chat_id, message_id=message_id)
            )
        except BadRequest:
            logger.info("could not remove the buttons of an answered reminder")

    async def _retry(self, call: Callable[[], Awaitable[object]]) -> object:
        return await with_retry(call, sleep=self.sleep)
