"""The fake Bot API's wire format: what the bot sent (Sent), injected faults, the token, and
reading PTB's requests and writing Telegram's answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Ungeguide", "username": "UngeguideBot"}
# Parameters that are plain strings (all others arrive JSON encoded from PTB).
_STRING_PARAMS = {"text", "caption", "callback_query_id", "url", "secret_token", "parse_mode"}


@dataclass
class Sent:
    chat_id: int
    message_id: int
    text: str | None
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    photo: bytes | None = None
    document: bytes | None = None
    caption: str | None = None
    edits: list[str] = field(default_factory=list)

    def button(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for button in row:
                if button["text"] == label:
                    return button
        raise AssertionError(f"no button {label!r} on message {self.text!r}")


@dataclass
class Fault:
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0
    # Carry the call out, then answer only after `delay` (the client times out first).
    after_delivery: bool = False
    # What Telegram says in the error's "description".
    description: str = "Injected fault"


async def read_params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    params: dict[str, Any] = {}
    async with request.form() as form:
        for name, value in form.multi_items():
            if not isinstance(value, str):
                params[name] = await value.read()
            elif name in _STRING_PARAMS:
                params[name] = value
            else:
                try:
                    params[name] = json.loads(value)
                except ValueError:
                    params[name] = value
    # PTB sends an upload as "attach://<name>" plus a file part.
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[name] = params.get(value.removeprefix("attach://"))
    return params


def ok_response(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def error_response(
    status: int, description: str, *, retry_after: int | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)
