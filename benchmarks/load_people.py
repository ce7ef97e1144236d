"""The load benchmark's simulated young people and the fake Bot API they talk to.

They live in the benchmark's process, apart from the measured bot. A person waits for the bot's
answer on an event the server thread sets when a message for their chat arrives, so 50 waiting
people cost the benchmark's process next to nothing while the bot works.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.responses import JSONResponse

from testing.fake_bot_api import FakeBotApi, Sent

REPLY_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
    }
)

# The button a young person presses on each kind of message of a first check-in, in order of
# preference: the consent, the offer of the first check-in, the WHO-5's answers, "talk next time".
PRESSES = ("Ja, det er okay", "Ja, lad os prøve", "Ja, lad os starte", "Det meste af tiden")
SKIP = "Spring over"
GOODBYE = "Vi ses"
MOST_STEPS = 30  # a check-in that needs more went wrong


class BenchBotApi(FakeBotApi):
    """The fake Bot API, waking whoever waits for a chat's next message, and counting the
    updates it hands out (an update not yet confirmed comes back with every poll)."""

    def __init__(self) -> None:
        super().__init__()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived: dict[int, asyncio.Event] = {}
        self.fetched = 0  # updates in all getUpdates answers

    def reply_calls(self) -> int:
        """The bot's calls that answer the young person (sends, edits, button answers)."""
        with self._lock:
            return sum(1 for method in self.calls if method in REPLY_METHODS)

    async def _m_getUpdates(self, params: dict[str, Any]) -> JSONResponse:
        response = await super()._m_getUpdates(params)
        self.fetched += len(json.loads(bytes(response.body)).get("result", []))  # 409: none
        return response

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def _record(self, sent: Sent) -> None:
        super()._record(sent)  # called in the server's thread
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake, sent.chat_id)

    def _wake(self, chat: int) -> None:
        event = self._arrived.get(chat)
        if event is not None:
            event.set()

    async def next_message(
        self, chat: int, since: int, wanted: Callable[[Sent], bool], *, within: float
    ) -> Sent:
        """The first message of `chat` from index `since` that is `wanted`."""
        event = self._arrived.setdefault(chat, asyncio.Event())
        deadline = time.monotonic() + within
        while True:
            event.clear()
            found = next((m for m in self.messages(chat)[since:] if wanted(m)), None)
            if found is not None:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no answer in chat {chat} within {within} s")
            try:
                await asyncio.wait_for(event.wait(), left)
            except TimeoutError:
                continue


def _echoes(text: str, message: Sent) -> bool:
    return message.text == f"{text}!"


def _labels(message: Sent) -> list[str]:
    return [button["text"] for row in message.buttons for button in row]


def _next_press(message: Sent) -> str:
    labels = _labels(message)
    for label in (*PRESSES, SKIP):
        if label in labels:
            return label
    raise AssertionError(f"nothing to press on {message.text!r}: {labels}")


class Walker:
    """One simulated young person; `latencies` gets the seconds from each update the person
    sends to the bot's answer to it."""

    def __init__(self, api: BenchBotApi, chat: int, latencies: list[float]) -> None:
        self.api, self.chat, self.latencies = api, chat, latencies
        self.updates = 0

    async def _step(self, send: Callable[[], object], wanted: Callable[[Sent], bool]) -> Sent:
        since = len(self.api.messages(self.chat))
        started = time.perf_counter()
        send()
        answer = await self.api.next_message(self.chat, since, wanted, within=300)
        self.latencies.append(time.perf_counter() - started)
        self.updates += 1
        return answer

    async def checkin(self, code: str) -> None:
        """Join with the invite, consent, answer a WHO-5 by buttons, skip the last question."""

        def next_thing(message: Sent) -> bool:
            return bool(message.buttons) or GOODBYE in (message.text or "")

        api, chat = self.api, self.chat
        reply = await self._step(lambda: api.user_sends(chat, f"/start {code}"), next_thing)
        while GOODBYE not in (reply.text or ""):
            if self.updates >= MOST_STEPS:
                raise AssertionError(f"the check-in in chat {chat} did not end")
            press = partial(api.user_presses, chat, reply, _next_press(reply))
            reply = await self._step(press, next_thing)

    async def echo(self, updates: int) -> None:
        """Send `updates` texts, each after the echo of the one before."""
        for number in range(updates):
            text = f"hej {number}"
            await self._step(partial(self.api.user_sends, self.chat, text), partial(_echoes, text))
