"""The baseline of benchmarks/load.py: a minimal echo bot on python-telegram-bot alone.

It imports nothing from this project, so its process holds only what a bare bot needs. It polls
the Bot API at TELEGRAM_API_URL with TELEGRAM_BOT_TOKEN, handles updates concurrently (as ours
does, chat by chat) and answers each text with one sendMessage. It prints "ready" once polling.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT/bot python benchmarks/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(f"{message.text}!")


async def ready(_: Application) -> None:  # type: ignore[type-arg]
    print("ready", flush=True)


def main() -> None:
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .concurrent_updates(True)
        .post_init(ready)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(poll_interval=0, timeout=1, drop_pending_updates=False)


if __name__ == "__main__":
    main()
