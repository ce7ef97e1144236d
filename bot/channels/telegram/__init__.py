"""The Telegram channel on python-telegram-bot v22: polling or a webhook on our own server."""

import os

# Opt in to python-telegram-bot v23's timedelta durations now (PTB's documented switch), so
# PTB 22 does not warn on every RetryAfter; delivery.py handles both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.channels.telegram.channel import TelegramChannel

__all__ = ["TelegramChannel"]
