"""The command menu (setMyCommands): nice to have, so never a reason not to start.

A failure at start is a warning, and the menu is tried again in the background with a growing
pause, until Telegram takes it. The bot serves updates all the while.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram import Bot, BotCommand

from bot.channels.telegram.request import describe, forget_call

logger = logging.getLogger(__name__)

FIRST_RETRY = 5.0  # seconds after a failed attempt
MAX_RETRY = 600.0


class CommandMenu:
    def __init__(
        self,
        bot: Bot,
        commands: Sequence[BotCommand],
        *,
        first_retry: float = FIRST_RETRY,
        max_retry: float = MAX_RETRY,
    ) -> None:
        self.bot = bot
        self.commands = list(commands)
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.registered = False
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """One attempt now; if it fails, keep trying in the background."""
        if not await self._attempt(next_pause=self.first_retry):
            self._task = asyncio.create_task(self._keep_trying(), name="ungeguide:menu")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _attempt(self, *, next_pause: float) -> bool:
        forget_call()
        try:
            await self.bot.set_my_commands(self.commands)
        except Exception as error:  # the menu must never stop the bot
            logger.warning(
                "could not set the command menu (%s); trying again in %.1f s",
                describe(error),
                next_pause,
            )
            return False
        self.registered = True
        return True

    async def _keep_trying(self) -> None:
        pause = self.first_retry
        while True:
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.max_retry)
            if await self._attempt(next_pause=pause):
                logger.info("the command menu is set")
                return
