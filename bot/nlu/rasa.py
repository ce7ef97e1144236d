"""An interpreter backed by a Rasa server's /model/parse (see scripts/rasa/)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.errors import InterpreterUnavailable
from bot.nlu.parse import FALLBACK, Entity, IntentScore, Parse

TIMEOUT_SECONDS = 3.0
# Below this confidence the parse is a fallback (DIET's confidences: see benchmarks/RESULTS.md).
DEFAULT_THRESHOLD = 0.3


class RasaInterpreter:
    name = "rasa"

    def __init__(
        self,
        url: str,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._client = httpx.Client(
            base_url=url.rstrip("/"), timeout=TIMEOUT_SECONDS, transport=transport
        )
        self.threshold = threshold

    def close(self) -> None:
        self._client.close()

    def parse(self, text: str) -> Parse:
        try:
            response = self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise InterpreterUnavailable(f"Rasa server: {type(error).__name__}") from None
        return to_parse(text, body, self.threshold)


def to_parse(text: str, body: Any, threshold: float) -> Parse:
    """Rasa's JSON as a Parse; anything malformed counts as the server being unavailable."""
    try:
        intent = body.get("intent") or {}
        name = str(intent.get("name") or FALLBACK)
        confidence = float(intent.get("confidence") or 0.0)
        ranking = tuple(
            IntentScore(str(item["name"]), float(item["confidence"]))
            for item in body.get("intent_ranking") or ()
        )
        entities = tuple(
            Entity(str(e["entity"]), str(e["value"]), int(e["start"]), int(e["end"]))
            for e in body.get("entities") or ()
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise InterpreterUnavailable(f"Rasa server: unexpected answer ({error})") from None
    if confidence < threshold:
        name = FALLBACK
    return Parse(text, name, confidence, ranking or (IntentScore(name, confidence),), entities)
