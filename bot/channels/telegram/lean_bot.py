"""python-telegram-bot's bot, plus calls whose answer we do not read.

`Bot.send_message` and `Bot.edit_message_text` turn Telegram's answer (the whole sent message)
into a `telegram.Message`: about a tenth of a button press's CPU in a py-spy profile, for an
object nothing here reads. `post` makes the same request through the same layers (the request
object, the error mapping, no None parameters) and returns nothing.
"""

from __future__ import annotations

from telegram.ext import ExtBot


class LeanBot(ExtBot[None]):
    async def post(self, method: str, **parameters: object) -> None:
        """Call the Bot API `method` (e.g. "sendMessage"); raises like the library's methods."""
        await self._post(method, dict(parameters))
