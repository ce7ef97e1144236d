"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real
python-telegram-bot over HTTP.

The server side implements the methods the bot uses. The client side plays the young person:
it queues updates (texts, button presses, stickers, ...) and reads what the bot sent. Faults can
be injected per method: 429 with retry_after, 5xx, slow answers, 403, and a timeout after the
call was carried out.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from testing.bot_api_wire import (
    BOT_USER,
    TOKEN,
    Fault,
    Sent,
    error_response,
    ok_response,
    read_params,
)
from testing.local_server import LocalServer

__all__ = ["BOT_USER", "TOKEN", "FakeBotApi", "Fault", "Sent"]

# Telegram's own words when a second getUpdates caller cuts off the first one's long poll.
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class FakeBotApi:
    def __init__(self, *, token: str = TOKEN) -> None:
        self.token = token
        self._lock = threading.Lock()
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._callback_ids = itertools.count(1)
        self.sent: list[Sent] = []
        self._by_chat: dict[int, list[Sent]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.rejected: list[str] = []
        self.commands: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = {}
        self.blocked: set[int] = set()
        self.webhook: dict[str, Any] = {}
        # What getWebhookInfo reports beside the URL (e.g. last_error_message).
        self.webhook_info: dict[str, Any] = {}
        # False: getUpdates answers at once, ignoring its timeout (like some emulators).
        self.long_poll = True
        self.update_calls: list[float] = []  # when each getUpdates arrived (time.monotonic)
        # Like Telegram, a getUpdates ends one still waiting with 409 Conflict (two pollers).
        self._newest_poll = 0
        self.conflicts = 0  # getUpdates calls answered 409 that way
        self._local: LocalServer
        self.port = 0

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        app = Starlette(routes=[Route("/bot{token}/{method}", self._api, methods=["GET", "POST"])])
        self._local = LocalServer(app, "fake Bot API server")
        self._local.start()
        self.port = self._local.port
        return self

    def stop(self) -> None:
        self._local.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- the young person's side ---------------------------------------------------------

    def push_update(self, payload: dict[str, Any], *, update_id: int | None = None) -> int:
        with self._lock:
            number = update_id if update_id is not None else next(self._update_ids)
            self._pending.append({"update_id": number, **payload})
            return number

    def message_payload(
        self, chat_id: int, *, chat_type: str = "private", **content: Any
    ) -> dict[str, Any]:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Ung"
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Ung"},
            **content,
        }

    def user_sends(self, chat_id: int, text: str, **extra: Any) -> int:
        return self.push_update({"message": self.message_payload(chat_id, text=text, **extra)})

    def user_presses(self, chat_id: int, message: Sent, label: str) -> int:
        return self.user_presses_data(chat_id, message, message.button(label)["callback_data"])

    def user_presses_data(self, chat_id: int, message: Sent, data: str) -> int:
        query = {
            "id": f"cb{next(self._callback_ids)}",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ung"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message.message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Ung"},
                "text": message.text or "",
            },
        }
        return self.push_update({"callback_query": query})

    def block_changes(self, chat_id: int, *, blocked: bool) -> int:
        status = {"status": "kicked", "until_date": 0} if blocked else {"status": "member"}
        return self.push_update(
            {
                "my_chat_member": {
                    "chat": {"id": chat_id, "type": "private", "first_name": "Ung"},
                    "from": {"id": chat_id, "is_bot": False, "first_name": "Ung"},
                    "date": int(time.time()),
                    "old_chat_member": {"status": "member", "user": BOT_USER},
                    "new_chat_member": {**status, "user": BOT_USER},
                }
            }
        )

    def inject(self, method: str, fault: Fault, *, count: int = 1) -> None:
        with self._lock:
            self.faults.setdefault(method, []).extend([fault] * count)

    def messages(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return list(self._by_chat.get(chat_id, ()))

    def _record(self, sent: Sent) -> None:
        with self._lock:
            self.sent.append(sent)
            self._by_chat.setdefault(sent.chat_id, []).append(sent)

    def texts(self, chat_id: int) -> list[str]:
        return [
            m.text if m.text is not None else f"[foto] {m.caption}" for m in self.messages(chat_id)
        ]

    def last(self, chat_id: int) -> Sent:
        return self.messages(chat_id)[-1]

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    async def wait_for(
        self, condition: Callable[[], bool], *, within: float = 15, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.01)

    async def wait_for_text(
        self, chat_id: int, fragment: str, *, since: int = 0, within: float = 15
    ) -> Sent:
        """The newest message with `fragment`, among the chat's messages from index `since`."""

        def matching() -> list[Sent]:
            return [
                m for m in self.messages(chat_id)[since:] if fragment in (m.text or m.caption or "")
            ]

        await self.wait_for(
            lambda: bool(matching()), within=within, what=f"{fragment!r} in chat {chat_id}"
        )
        return matching()[-1]

    async def wait_idle(self, *, settle: float = 0.3, within: float = 15) -> None:
        """Wait until all updates were fetched and the bot has sent nothing for `settle` s."""
        deadline = time.monotonic() + within
        count = -1
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            with self._lock:
                now_count = (
                    len(self.sent)
                    + len(self.callback_answers)
                    + sum(len(s.edits) for s in self.sent)
                )
                pending = len(self._pending)
            if now_count != count or pending:
                count, quiet_since = now_count, time.monotonic()
            elif time.monotonic() - quiet_since >= settle:
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not go idle")

    # --- the server side -----------------------------------------------------------------

    async def _api(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return error_response(401, "Unauthorized")
        method = request.path_params["method"]
        params = await read_params(request)
        with self._lock:
            self.calls.append(method)
            if method == "getUpdates":
                self.update_calls.append(time.monotonic())
            faults = self.faults.get(method) or []
            fault = faults.pop(0) if faults else None
        if fault is not None and not fault.after_delivery:
            await asyncio.sleep(fault.delay)
            if fault.status == 429:
                return error_response(429, "Too Many Requests", retry_after=fault.retry_after or 1)
            if fault.status != 200:
                return error_response(fault.status, fault.description)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return error_response(404, f"Not Found: method {method}")
        response: JSONResponse = await handler(params)
        if response.status_code == 400:
            with self._lock:
                self.rejected.append(method)  # what real Telegram would refuse, too
        if fault is not None and fault.after_delivery:
            await asyncio.sleep(fault.delay)
        return response

    async def _m_getMe(self, params: dict[str, Any]) -> JSONResponse:
        return ok_response(BOT_USER)

    async def _m_getUpdates(self, params: dict[str, Any]) -> JSONResponse:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        deadline = time.monotonic() + (min(timeout, 2.0) if self.long_poll else 0.0)
        with self._lock:
            self._newest_poll += 1
            mine = self._newest_poll
        while True:
            with self._lock:
                if mine != self._newest_poll:
                    self.conflicts += 1
                    return error_response(409, CONFLICT)
                if offset:
                    self._pending = [u for u in self._pending if u["update_id"] >= offset]
                ready = list(self._pending)
            if ready or time.monotonic() >= deadline:
                return ok_response(ready)
            await asyncio.sleep(0.01)

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook = {}
        return ok_response(True)

    async def _m_setWebhook(self, params: dict[str, Any]) -> JSONResponse:
        self.webhook = params
        return ok_response(True)

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> JSONResponse:
        info = {"url": self.webhook.get("url", ""), "pending_update_count": self.pending()}
        return ok_response({**info, **self.webhook_info})

    async def _m_setMyCommands(self, params: dict[str, Any]) -> JSONResponse:
        self.commands = list(params.get("commands", []))
        return ok_response(True)

    async def _m_sendMessage(self, params: dict[str, Any]) -> JSONResponse:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return error_response(403, "Forbidden: bot was blocked by the user")
        text = str(params["text"])
        if not text or len(text) > 4096:
            return error_response(400, "Bad Request: message text is empty or too long")
        markup = params.get("reply_markup") or {}
        buttons = markup.get("inline_keyboard", [])
        for row in buttons:
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    return error_response(400, "Bad Request: BUTTON_DATA_INVALID")
        sent = Sent(chat_id, next(self._message_ids), text, buttons)
        self._record(sent)
        return ok_response(self._message_json(sent))

    async def _m_sendPhoto(self, params: dict[str, Any]) -> JSONResponse:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return error_response(403, "Forbidden: bot was blocked by the user")
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo.startswith(b"\x89PNG"):
            return error_response(400, "Bad Request: photo must be a PNG upload")
        sent = Sent(
            chat_id, next(self._message_ids), None, photo=photo, caption=params.get("caption")
        )
        self._record(sent)
        return ok_response(
            {
                **self._message_json(sent),
                "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
            }
        )

    async def _m_sendDocument(self, params: dict[str, Any]) -> JSONResponse:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return error_response(403, "Forbidden: bot was blocked by the user")
        document = params.get("document")
        if not isinstance(document, bytes):
            return error_response(400, "Bad Request: document must be an upload")
        sent = Sent(
            chat_id, next(self._message_ids), None, document=document, caption=params.get("caption")
        )
        self._record(sent)
        return ok_response(
            {**self._message_json(sent), "document": {"file_id": "d", "file_unique_id": "d"}}
        )

    def _target(self, params: dict[str, Any]) -> Sent | None:
        key = (int(params["chat_id"]), int(params["message_id"]))
        # Called with the lock held.
        chat = self._by_chat.get(key[0], ())
        return next((s for s in chat if s.message_id == key[1]), None)

    async def _m_editMessageText(self, params: dict[str, Any]) -> JSONResponse:
        with self._lock:
            target = self._target(params)
            if target is None:
                return error_response(400, "Bad Request: message to edit not found")
            if target.text == params["text"] and not target.buttons:
                return error_response(400, "Bad Request: message is not modified")
            target.text = str(params["text"])
            target.buttons = (params.get("reply_markup") or {}).get("inline_keyboard", [])
            target.edits.append(target.text)
        return ok_response(self._message_json(target))

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> JSONResponse:
        with self._lock:
            target = self._target(params)
            if target is None:
                return error_response(400, "Bad Request: message to edit not found")
            target.buttons = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        return ok_response(self._message_json(target))

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> JSONResponse:
        with self._lock:
            self.callback_answers.append(params)
        return ok_response(True)

    def _message_json(self, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": "private", "first_name": "Ung"},
            "from": BOT_USER,
        }
        if sent.text is not None:
            message["text"] = sent.text
        if sent.buttons:
            message["reply_markup"] = {"inline_keyboard": sent.buttons}
        return message
