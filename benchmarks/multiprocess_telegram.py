"""Telegram in webhook mode, played by the test: updates are POSTed to the bots, not fetched.

Like the Bot API server (tdlib/telegram-bot-api, WebhookActor), each chat has its own queue
and at most one update of a chat is on its way at a time: the next one goes only after the
bot answered the previous one with 2xx. A refused or failed delivery (a 502 from the proxy
when a process was killed mid-request) is sent again after a growing pause. Updates of
different chats go out in parallel. What the bots send back still arrives at the fake Bot API
(its server side is unchanged), so the simulated young people read replies as before.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

import httpx

from benchmarks.faults_kill_people import QUESTIONNAIRE, KillBotApi, KillPerson
from bot.channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from testing.fake_bot_api import Sent

FIRST_RETRY = 0.2  # seconds before a failed delivery is tried again (Telegram: about 1 s)
MAX_RETRY = 2.0


def chat_of(update: dict[str, Any]) -> int:
    if "message" in update:
        return int(update["message"]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["from"]["id"])
    return int(update["my_chat_member"]["chat"]["id"])


class WebhookTelegram(KillBotApi):
    """The fake Bot API for the bots' calls, plus per-chat webhook delivery to `url`."""

    def __init__(self, *, url: str, secret: str) -> None:
        super().__init__()
        self.url = url + WEBHOOK_PATH
        self.secret = secret
        self._queues: dict[int, deque[dict[str, Any]]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._client = httpx.AsyncClient(
            timeout=120, limits=httpx.Limits(max_connections=200, max_keepalive_connections=0)
        )
        self.delivered: list[int] = []  # update ids answered with 2xx, in that order
        self.delivery_s: list[float] = []  # the successful POST's round trip (handling time)
        self.failed_deliveries = 0  # non-2xx answers or broken connections, each sent again
        self.failures: Counter[str] = Counter()  # why: HTTP status or the connection's error
        self.order_problems = 0  # a chat's update delivered before an older one of it
        # When a list: updates are kept here, not delivered (a test sends them itself).
        self.held_back: list[dict[str, Any]] | None = None

    def push_update(self, payload: dict[str, Any], *, update_id: int | None = None) -> int:
        with self._lock:
            number = update_id if update_id is not None else next(self._update_ids)
        self.pushed.append(number)
        update = {"update_id": number, **payload}
        if self.held_back is not None:
            self.held_back.append(update)
            return number
        chat = chat_of(update)
        self._queues.setdefault(chat, deque()).append(update)
        worker = self._workers.get(chat)
        if worker is None or worker.done():
            self._workers[chat] = asyncio.get_running_loop().create_task(self._deliver(chat))
        return number

    def undelivered(self) -> int:
        return sum(len(queue) for queue in self._queues.values())

    async def drain(self, *, within: float) -> None:
        what = f"delivery ({self.undelivered()} waiting; failures: {dict(self.failures)})"
        await self.wait_for(lambda: not self.undelivered(), within=within, what=what)

    async def close(self) -> None:
        for worker in self._workers.values():
            worker.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)
        await self._client.aclose()

    async def _deliver(self, chat: int) -> None:
        queue = self._queues[chat]
        pause = FIRST_RETRY
        last = 0
        while queue:
            update = queue[0]
            started = time.monotonic()
            try:
                answer = await self._client.post(
                    self.url, json=update, headers={SECRET_HEADER: self.secret}
                )
                ok = 200 <= answer.status_code < 300
                why = f"HTTP {answer.status_code}"
            except httpx.TransportError as error:
                ok, why = False, type(error).__name__
            if not ok:
                self.failed_deliveries += 1
                self.failures[why] += 1
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_RETRY)
                continue
            pause = FIRST_RETRY
            self.delivery_s.append(time.monotonic() - started)
            self.order_problems += update["update_id"] < last
            last = update["update_id"]
            self.delivered.append(update["update_id"])
            queue.popleft()


class TimedPerson(KillPerson):
    """A KillPerson that also notes how long each step took, from its action to the reply."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acted_at: list[float] = []

    def _send(self, action: Any) -> None:
        self.acted_at.append(time.monotonic())
        super()._send(action)

    def _choose(self, message: Sent) -> Callable[[], object] | None:
        # The offer of a first check-in may carry more than the questionnaire in its data
        # ("q|who5|now"): take whichever starts it, as KillPerson does with "q|who5".
        datas = [b["callback_data"] for row in message.buttons for b in row]
        starts = [d for d in datas if d.startswith(f"q|{QUESTIONNAIRE}|")]
        if starts and not any(d.startswith(("a|", "c|", "o|accept")) for d in datas):
            if self._pressed_last:
                return None
            chat, api = self.chat, self.api
            return lambda: api.user_presses_data(chat, message, starts[0])
        return super()._choose(message)

    def step_latencies(self) -> list[float]:
        """Each step's wait: from the action (or its first try) to the reply that moved on."""
        latencies = []
        for moved in self.moved_at:
            before = [t for t in self.acted_at if t <= moved]
            if before:
                latencies.append(moved - before[-1])
        return latencies
