"""The Bot API request layer (transport.py), with two additions of ours.

- Every call notes its Bot API method and the HTTP status of the answer, so a retry log can say
  what failed ("sendPhoto: HTTP 500, Injected fault") without logging any parameter. PTB's
  errors carry only Telegram's description; the status is noted in a context variable, which
  is per asyncio task, so concurrent calls never see each other's.
- `UpdatesRequest`, used for getUpdates only, sets aside an update python-telegram-bot cannot
  read (see unreadable.py) before PTB parses the batch: otherwise one such update fails the
  whole batch, forever, and PTB logs the raw batch with the young person's text. It also drops
  an update it passed on before and Telegram sends again until it is confirmed: between
  parsing a batch and the poller taking it there is no await, so "passed on" is "taken".
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError
from telegram.request import RequestData

from bot.channels.telegram.transport import AiohttpRequest
from bot.channels.telegram.unreadable import Unreadable

DESCRIPTION_LIMIT = 200  # characters of Telegram's description kept in a log line


@dataclass(frozen=True)
class Call:
    """The last Bot API call of the current task: its method and, once answered, the status."""

    method: str
    status: int | None = None


_last_call: ContextVar[Call | None] = ContextVar("ungeguide_last_bot_api_call", default=None)


def forget_call() -> None:
    """Start a new attempt: what the previous call noted no longer applies."""
    _last_call.set(None)


def last_call() -> Call | None:
    return _last_call.get()


def describe(error: Exception) -> str:
    """What failed, for a log line: method, HTTP status and Telegram's description.

    Telegram's descriptions name the problem ("Bad Request: chat not found"), never a message's
    content; PTB adds the raw body only when it could not parse it, and that part is cut off.
    """
    call = last_call()
    method = call.method if call is not None else "a Bot API call"
    status = f"HTTP {call.status}" if call is not None and call.status is not None else "no answer"
    text = error.message if isinstance(error, TelegramError) else ""
    text = text.split(". Parsing the server response", 1)[0][:DESCRIPTION_LIMIT]
    kind = type(error).__name__
    if text.startswith(kind):  # Telegram's own words may name the kind ("Conflict: ...")
        return f"{method}: {status}, {text}"
    return f"{method}: {status}, {kind}" + (f": {text}" if text else "")


class BotApiRequest(AiohttpRequest):
    """The request layer (transport.py), noting method and status of each call for `describe`."""

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        # The request data and timeouts go through unchanged (transport.py's do_request).
        call = Call(method=url.rsplit("/", 1)[-1])
        _last_call.set(call)
        status, payload = await super().do_request(url, method, *args, **kwargs)
        _last_call.set(Call(method=call.method, status=status))
        return status, payload


class UpdatesRequest(BotApiRequest):
    """The request layer for getUpdates: unreadable updates are set aside before PTB parses."""

    def __init__(self, *, unreadable: Unreadable, **options: Any) -> None:
        super().__init__(**options)
        self.unreadable = unreadable

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        offset = request_data.parameters.get("offset") if request_data is not None else None
        self.unreadable.polling_from(offset if isinstance(offset, int) else 0)
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        # PTB's documented hook for reading an answer (post() itself is final); the base is a
        # staticmethod, this one needs the instance's Unreadable.
        answer = super().parse_json_payload(payload)
        result = answer.get("result")
        if answer.get("ok") is True and isinstance(result, list):
            answer["result"] = self.unreadable.sift(result)
        return answer
