"""How the HTTP server runs: the uvicorn options of `ungeguide run` and `ungeguide dashboard`.

A request's X-Forwarded-For (the client's address) and X-Forwarded-Proto are believed only when
it comes from an address in UNGEGUIDE_TRUSTED_PROXIES; with none set, from nobody. (uvicorn's own
default believes any peer on 127.0.0.1, so anything on the machine could choose the address the
dashboard's per-address limits count.)
"""

from __future__ import annotations

from typing import TypedDict

import uvicorn
from starlette.types import ASGIApp

from ungeguide.settings import Settings


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


def serve(app: ASGIApp, settings: Settings) -> None:
    """Serve `app` until Ctrl+C or a signal."""
    uvicorn.run(app, **server_options(settings))
