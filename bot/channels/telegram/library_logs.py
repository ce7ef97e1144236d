"""Keep personal data and the bot token out of the libraries' own log lines.

python-telegram-bot logs request parameters and answers at DEBUG (message texts, chat ids,
names) and, when it cannot parse a getUpdates batch, the whole raw batch at CRITICAL; an HTTP
client may log a request URL, which holds the bot token; an exception's text (logged with its
traceback by PTB or APScheduler) may quote what a young person wrote. Levels alone do not
hold: anyone who turns on DEBUG to find a fault would see it all.

So every record of these libraries is rewritten where it is made (a log record factory, which
also covers loggers the libraries create later, and every handler): python-telegram-bot's
arguments are withheld, except the few known to be safe (method names, update ids); the bot
token is cut out of every line; an exception keeps its type and traceback, never its text.
Our own loggers are left alone: they never log content to begin with.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

WITHHELD = "…"
# python-telegram-bot's arguments are content unless listed here: template -> safe arguments.
_SAFE_ARGUMENTS: dict[str, frozenset[int]] = {
    "Calling Bot API endpoint `%s` with parameters `%s`": frozenset({0}),
    "Call to Bot API endpoint `%s` finished with return value `%s`": frozenset({0}),
    "Getting updates: %s": frozenset({0}),
}
_WITHHOLD_ARGUMENTS = ("telegram",)
_KEEP_ARGUMENTS = ("aiohttp", "httpx", "httpcore", "apscheduler")
_PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)
_TOKEN = re.compile(r"(?<=bot)\d+:[\w-]+")


def _library(name: str) -> str | None:
    for root in (*_WITHHOLD_ARGUMENTS, *_KEEP_ARGUMENTS):
        if name == root or name.startswith(root + "."):
            return root
    return None


def _withheld(template: str, args: Any) -> str:
    """The template with each argument replaced by WITHHELD, except the known safe ones."""
    safe = _SAFE_ARGUMENTS.get(template, frozenset())
    values = args if isinstance(args, tuple) else ()
    position = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal position
        spec = match.group(0)
        if spec == "%%":
            return "%"
        index, position = position, position + 1
        if index in safe and index < len(values):
            try:
                return spec % (values[index],)
            except (TypeError, ValueError):
                return WITHHELD
        return WITHHELD

    return _PLACEHOLDER.sub(substitute, template)


def _exception_text(error: BaseException) -> str:
    """Traceback and type of an exception and its causes, without any exception's text."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    lines: list[str] = []
    for item in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(item.__traceback__))
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}: (text withheld)\n")
    return "".join(lines).rstrip("\n")


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite one library record in place (others are returned unchanged)."""
    library = _library(record.name)
    if library is None:
        return record
    if library in _WITHHOLD_ARGUMENTS:
        if isinstance(record.msg, str):
            message = _withheld(record.msg, record.args)
        else:  # an object logged as the message (e.g. an exception): its type only
            message = f"({type(record.msg).__name__} withheld)"
    else:
        message = record.getMessage()
    record.msg = _TOKEN.sub("<token>", message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = _TOKEN.sub("<token>", _exception_text(record.exc_info[1]))
        record.exc_info = None
    return record


def protect_library_logs() -> None:
    """Install the rewriting for every logger (idempotent; keeps any factory set before)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "ungeguide_scrubs", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub(current(*args, **kwargs))

    factory.ungeguide_scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
