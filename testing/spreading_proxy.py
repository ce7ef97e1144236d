"""A small reverse proxy for tests: each request goes to a backend chosen at random.

Like a real load balancer it tries another backend when one refuses the connection (a process
that is down), and answers 502 when a backend drops a request it had already received (a process
killed mid-request): that request may have been carried out, so it is never sent twice; the
caller (Telegram) sends it again. Backends can be swapped while it runs (a restarted process on
a new port).
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from testing.local_server import LocalServer

# Hop-by-hop headers a proxy does not pass on (RFC 9110, 7.6.1), and what httpx sets itself
# (the length, and the encoding of a body it has already decoded).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
    }
)


class SpreadingProxy:
    def __init__(self, ports: list[int], *, seed: int = 1, timeout: float = 60.0) -> None:
        self._ports = list(ports)
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._timeout = timeout
        self.forwarded: Counter[int] = Counter()  # requests answered, by backend port
        self.refused = 0  # connections refused (a backend down): tried on another one
        self.dropped = 0  # requests a backend took and never answered: 502 to the caller
        self._local: LocalServer
        self.port = 0

    def start(self) -> SpreadingProxy:
        routes = [Route("/{path:path}", self._forward, methods=["GET", "POST"])]
        self._local = LocalServer(Starlette(routes=routes), "spreading proxy")
        self._local.start()
        self.port = self._local.port
        return self

    def stop(self) -> None:
        self._local.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replace(self, old: int, new: int) -> None:
        """A backend moved from port `old` to `new` (a restarted process)."""
        with self._lock:
            self._ports[self._ports.index(old)] = new

    def _order(self) -> list[int]:
        with self._lock:
            ports = list(self._ports)
            self._rng.shuffle(ports)
        return ports

    async def _forward(self, request: Request) -> Response:
        body = await request.body()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        # A fresh connection per request: every request is spread on its own, as by a proxy
        # without keep-alive to its backends.
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            for port in self._order():
                try:
                    answer = await client.request(
                        request.method,
                        f"http://127.0.0.1:{port}{target}",
                        content=body,
                        headers=headers,
                    )
                except httpx.ConnectError:
                    self.refused += 1
                    continue
                except httpx.TransportError:
                    self.dropped += 1
                    return Response(status_code=502)
                self.forwarded[port] += 1
                kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
                return Response(answer.content, status_code=answer.status_code, headers=kept)
        return Response(status_code=502)  # every backend refused
