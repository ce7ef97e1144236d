"""A stand-in for a Rasa server's /model/parse over real HTTP, answering what a test sets.

A real Rasa 3.6 server takes a separate environment (scripts/rasa/), too heavy for every CI run;
`ungeguide nlu compare` measures against the real one.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from testing.local_server import LocalServer


class FakeRasa:
    def __init__(self) -> None:
        self.intents: dict[str, tuple[str, float]] = {}  # text -> (intent, confidence)
        self.entities: dict[str, list[dict[str, Any]]] = {}
        self.status = 200
        self.garbage = False
        self.texts: list[str] = []
        app = Starlette(routes=[Route("/model/parse", self._parse, methods=["POST"])])
        self._server = LocalServer(app, "fake Rasa server")

    def __enter__(self) -> FakeRasa:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    async def _parse(self, request: Request) -> Response:
        text = (await request.json())["text"]
        self.texts.append(text)
        if self.status != 200:
            return PlainTextResponse("unavailable", status_code=self.status)
        if self.garbage:
            return JSONResponse({"intent": "not a dict"})
        intent, confidence = self.intents.get(text, ("out_of_scope", 0.9))
        ranking = [{"name": intent, "confidence": confidence}]
        ranking.append({"name": "greet", "confidence": round(1 - confidence, 4)})
        return JSONResponse(
            {
                "text": text,
                "intent": {"name": intent, "confidence": confidence},
                "intent_ranking": ranking,
                "entities": self.entities.get(text, []),
            }
        )
