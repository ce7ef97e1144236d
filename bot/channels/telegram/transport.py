"""python-telegram-bot's HTTP requests, made with aiohttp instead of httpx.

Why: per Bot API call, PTB's httpx layer (httpx, httpcore, anyio) cost about three times the
CPU of aiohttp here (benchmarks/RESULTS.md, issue 20): httpcore checks every pooled connection
on each request through anyio's socket attributes (a getpeername per idle connection) and
writes headers and body in two system calls, where aiohttp's C parser writes one. A button
press makes three calls, so this is the larger part of the bot's own cost per update.

The behaviour PTB expects of a request layer (`BaseRequest.do_request`) is kept: the same
form-encoded parameters and multipart uploads as PTB's HTTPXRequest, the same timeouts per
call (connect, read, and the wait for a free connection), a timeout raised as `TimedOut`
and any other transport failure as `NetworkError`, so the delivery rules in delivery.py and
PTB's own error mapping apply unchanged.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Seconds an idle connection is kept: less than servers commonly keep one (uvicorn 5 s), so a
# call is not sent on a connection the server is closing at that moment (aiohttp does not
# resend a POST that met a closed connection). httpx's default was 5 s.
KEEPALIVE = 4.0
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: all connections in the pool are busy; the request was not sent."
)


class AiohttpRequest(BaseRequest):
    """A PTB request layer on one aiohttp session with a pool of `connection_pool_size`."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self.connection_pool_size = connection_pool_size
        # No write timeout: aiohttp has none, and a stalled upload ends at the read timeout
        # that follows it (PTB's per-call write_timeout is accepted and not used).
        self._read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        self.pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        # Made here, inside the running event loop, as aiohttp requires.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self.connection_pool_size, keepalive_timeout=KEEPALIVE
            )
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=self._given(pool_timeout, self.pool_timeout),
            sock_connect=self._given(connect_timeout, self.connect_timeout),
            sock_read=self._given(read_timeout, self._read_timeout),
        )
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(POOL_TIMEOUT_MESSAGE) from error
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(_failure(error)) from error

    @staticmethod
    def _given(value: Any, default: float | None) -> float | None:
        return default if value is BaseRequest.DEFAULT_NONE else value


def _failure(error: aiohttp.ClientError) -> str:
    """The error's kind and, for a socket error, the system's reason: never aiohttp's own
    text, which may quote the URL and so the bot token."""
    reason = getattr(error, "strerror", None) or getattr(
        getattr(error, "os_error", None), "strerror", None
    )
    kind = f"aiohttp.{type(error).__name__}"
    return f"{kind}: {reason}" if reason else kind


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB's HTTPXRequest sends them; multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(fields)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
