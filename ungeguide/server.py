"""How the HTTP server runs: the uvicorn options of `ungeguide run` and `ungeguide dashboard`,
and what it answers while parts of it are still loading.

A request's X-Forwarded-For (the client's address) and X-Forwarded-Proto are believed only when
it comes from an address in UNGEGUIDE_TRUSTED_PROXIES; with none set, from nobody. (uvicorn's own
default believes any peer on 127.0.0.1, so anything on the machine could choose the address the
dashboard's per-address limits count.)

`ungeguide run` starts taking updates and answering /healthz before its NLU and its dashboard
are loaded, so it is ready without waiting for NumPy, Jinja and the dashboard's pages: they load
in a thread of their own once the server listens (`Loading`; started earlier, the thread would
hold the GIL while the port is bound). Until then a free text waits for the NLU (bot/nlu/build.py
LoadingUnderstander) and a dashboard request waits a few seconds, or gets a short Danish 503
with Retry-After (`LoadingApp`). A part that fails to load stops the process (exit 2), as it
did when everything was loaded before serving: nothing waiting for it is answered without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import TypedDict

import uvicorn
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dashboard.security_headers import HEADERS
from ungeguide.settings import Settings

logger = logging.getLogger(__name__)

STARTUP_FAILURE = 3  # uvicorn's exit status when the server could not start (its port taken)

LOADING_WAIT = 5.0  # seconds a request waits for the part still loading before a 503
RETRY_AFTER = 2  # seconds, in the 503's Retry-After
STARTING_PAGE = """<!doctype html>
<html lang="da">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="{retry}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ungeguide starter op</title></head>
<body><p>Ungeguide starter op. Prøv igen om et øjeblik.</p></body>
</html>
"""


class ServerOptions(TypedDict):
    host: str
    port: int
    log_level: str
    proxy_headers: bool
    forwarded_allow_ips: list[str]


def server_options(settings: Settings) -> ServerOptions:
    trusted = list(settings.trusted_proxies)
    return ServerOptions(
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=bool(trusted),  # without proxies, the header middleware is not even there
        forwarded_allow_ips=trusted,
    )


def server_config(app: ASGIApp, settings: Settings) -> uvicorn.Config:
    """What `serve` runs; `config.load()` builds the app exactly as uvicorn serves it."""
    return uvicorn.Config(app, **server_options(settings))


def serve(app: ASGIApp, settings: Settings, *, started: Callable[[], None] | None = None) -> None:
    """Serve `app` until Ctrl+C or a signal; call `started` once the server listens."""
    if started is None:
        uvicorn.run(app, **server_options(settings))
        return
    server = _Server(server_config(app, settings), started=started)
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


class _Server(uvicorn.Server):
    """uvicorn's server, which calls `started` once it listens (after the app's lifespan
    started the bot): uvicorn.run without reload or workers, plus that one hook."""

    def __init__(self, config: uvicorn.Config, *, started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()


# A part to load: its name (for /healthz and the log) and what loads it.
Step = tuple[str, Callable[[], None]]


def stop_now(name: str, error: BaseException) -> None:
    """A part could not be loaded: stop at once with exit 2. An update waiting for it is
    neither answered nor confirmed to Telegram, which sends it again to the next start (a
    graceful stop would first wait for that update, for ever); one already handled is known
    there by its stored id."""
    traceback.print_exception(error, file=sys.stderr)
    sys.stderr.write(f"Could not load {name}: {error}\n")
    sys.stderr.flush()
    os._exit(2)


class Loading:
    """Loads the steps one after the other in a thread of its own, once `start` is called."""

    def __init__(
        self, steps: Sequence[Step], *, on_failure: Callable[[str, BaseException], None] = stop_now
    ) -> None:
        self.steps = tuple(steps)
        self.on_failure = on_failure
        self._done: set[str] = set()
        self._thread: threading.Thread | None = None
        self.seconds: float | None = None  # how long loading took, once done

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self.run, name="ungeguide-loading", daemon=True)
            self._thread.start()

    def run(self) -> None:
        started = time.perf_counter()
        for name, load in self.steps:
            try:
                load()
            except BaseException as error:  # whatever it is, the process stops (stop_now)
                self.on_failure(name, error)
                return
            self._done.add(name)
        self.seconds = time.perf_counter() - started
        logger.info("loaded %s in %.2f s", ", ".join(self.loaded), self.seconds)

    @property
    def loaded(self) -> list[str]:
        return [name for name, _ in self.steps if name in self._done]

    @property
    def pending(self) -> list[str]:
        """The parts not loaded yet, in loading order."""
        return [name for name, _ in self.steps if name not in self._done]

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


class LoadingApp:
    """An ASGI app loaded later: `set` it from any thread. Until then an HTTP request waits up
    to `wait` seconds for it, then gets a short Danish page with 503 and Retry-After (a browser
    tries again by itself); never a 500."""

    def __init__(self, *, wait: float = LOADING_WAIT) -> None:
        self.wait = wait
        self._app: ASGIApp | None = None
        self._lock = threading.Lock()
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def set(self, app: ASGIApp) -> None:
        with self._lock:
            self._app = app
            waiting, self._waiting = self._waiting, []
        for loop, arrived in waiting:
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
                loop.call_soon_threadsafe(arrived.set)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app or await self._wait()
        if app is not None:
            await app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # a websocket is not accepted (the dashboard has none)
        starting = HTMLResponse(
            STARTING_PAGE.format(retry=RETRY_AFTER),
            status_code=503,
            headers={**HEADERS, "Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
        )
        await starting(scope, receive, send)

    async def _wait(self) -> ASGIApp | None:
        arrived = asyncio.Event()
        with self._lock:
            if self._app is not None:
                return self._app
            self._waiting.append((asyncio.get_running_loop(), arrived))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(arrived.wait(), self.wait)
        return self._app
