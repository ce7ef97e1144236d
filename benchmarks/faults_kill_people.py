"""The SIGKILL benchmark's simulated young people and the fake Bot API they talk to."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse

from core.content import Content
from domain.people import create_young_person, issue_invite
from storage import Database
from testing.fake_bot_api import FakeBotApi, Sent

QUESTIONNAIRE = "who5"
FIRST_CHAT = 8_000_000
REPLY_METHODS = frozenset({"sendMessage", "sendPhoto", "editMessageText", "answerCallbackQuery"})


class KillBotApi(FakeBotApi):
    """The fake Bot API, noting every update id it was given and when the bot last replied."""

    def __init__(self) -> None:
        super().__init__()
        self.pushed: list[int] = []
        self.replies_at: list[float] = []  # time.monotonic() of each reply call of the bot
        self.cut_off = 0  # calls whose request the kill cut off half-way: nothing was done

    def push_update(self, payload: dict[str, Any], *, update_id: int | None = None) -> int:
        number = super().push_update(payload, update_id=update_id)
        self.pushed.append(number)
        return number

    async def _api(self, request: Request) -> JSONResponse:
        try:
            response = await super()._api(request)
        except ClientDisconnect:
            self.cut_off += 1
            return JSONResponse({"ok": False, "error_code": 499}, status_code=499)
        if request.path_params["method"] in REPLY_METHODS:
            self.replies_at.append(time.monotonic())
        return response


@dataclass
class Tally:
    """Shared counters of the simulated people."""

    replies: int = 0  # steps that moved on: a new message with buttons, or the goodbye
    repeats: int = 0  # the same press (or /start <code>) sent again
    resumes: int = 0  # /tjek sent to resume
    # After the last answer, the person's /tjek ended the optional "talk about next time"
    # question (its goodbye never came) and showed the menu: the check-in is over.
    ended_by_menu: int = 0


class KillPerson:
    """One young person: join, accept, WHO-5 by buttons with fixed intended answers, goodbye."""

    def __init__(
        self,
        api: KillBotApi,
        content: Content,
        chat: int,
        code: str,
        intended: dict[str, int],
        tally: Tally,
        *,
        patience: float,
        pace: float,
        rng: random.Random,
    ) -> None:
        self.api, self.content, self.chat, self.code = api, content, chat, code
        self.intended = intended
        self.tally = tally
        self.patience, self.pace, self.rng = patience, pace, rng
        self.last_item = content.questionnaires[QUESTIONNAIRE].items[-1].id
        self.goodbye = content.texts.checkin.goodbye
        self.waiting = False  # sent something and has no new message with buttons yet
        self.moved_at: list[float] = []  # time.monotonic() of each step that moved on
        self.finished = False
        self._since = 0
        self._repeat: Callable[[], object] = self._join
        self._pressed_last = False

    def _join(self) -> None:
        self.api.user_sends(self.chat, f"/start {self.code}")

    def _send(self, action: Callable[[], object]) -> None:
        self._since = len(self.api.messages(self.chat))
        self._repeat = action
        self.waiting = True
        action()

    def _fresh(self) -> tuple[list[Sent], Sent | None]:
        """Messages since the last action, and the newest of them with buttons."""
        new = self.api.messages(self.chat)[self._since :]
        with_buttons = [m for m in new if m.buttons]
        return new, with_buttons[-1] if with_buttons else None

    async def checkin(self, *, within: float) -> None:
        """The whole check-in; raises AssertionError when not done `within` seconds."""
        deadline = time.monotonic() + within
        self._send(self._join)
        nudges = 0
        while True:
            try:
                await self.api.wait_for(self._moved_on, within=self.patience, what="a reply")
            except AssertionError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"chat {self.chat}: no way forward") from None
                nudges += 1
                self._nudge(nudges)
                continue
            self.waiting = False
            self.moved_at.append(time.monotonic())
            self.tally.replies += 1
            nudges = 0
            await asyncio.sleep(self.pace * self.rng.uniform(0.0, 2.0))
            new, actionable = self._fresh()  # read after the pause: the newest counts
            if any(self.goodbye in (m.text or "") for m in new):
                self.finished = True
                return
            assert actionable is not None  # noqa: S101 - _moved_on said so
            press = self._choose(actionable)
            if press is None:  # the menu after the last answer: the check-in is over
                self.tally.ended_by_menu += 1
                self.finished = True
                return
            self._send(press)

    def _moved_on(self) -> bool:
        new, actionable = self._fresh()
        return actionable is not None or any(self.goodbye in (m.text or "") for m in new)

    def _nudge(self, count: int) -> None:
        """Odd tries repeat the last action, even ones ask to resume (once joined)."""
        joined = any(m.buttons for m in self.api.messages(self.chat))
        if count % 2 == 1 or not joined:
            self.tally.repeats += 1
            self._repeat()
        else:
            self.tally.resumes += 1
            self.api.user_sends(self.chat, "/tjek")

    def _choose(self, message: Sent) -> Callable[[], object] | None:
        """The press this person makes on `message`, judged by the buttons' data."""
        datas = [b["callback_data"] for row in message.buttons for b in row]
        chat, api = self.chat, self.api

        def press(data: str) -> Callable[[], object]:
            return lambda: api.user_presses_data(chat, message, data)

        for data in datas:
            parts = data.split("|")
            if parts[0] == "o" and parts[1] == "accept":
                return press(data)
            if parts[0] == "a" and len(parts) == 4 and parts[3] == str(self.intended[parts[2]]):
                self._pressed_last |= parts[2] == self.last_item
                return press(data)
            if parts[0] == "c" and parts[2:] in (["-", "begin"], ["-", "skip"]):
                return press(data)
        offer = [d for d in datas if d in (f"q|{QUESTIONNAIRE}", f"q|{QUESTIONNAIRE}|now")]
        if offer:
            # The offer of a first check-in ("now" starts at once), or the menu after /tjek: a
            # menu once the last question was answered means that the check-in is over and its
            # goodbye was lost.
            return None if self._pressed_last else press(offer[0])
        raise AssertionError(f"chat {chat}: no known button on {message.text!r}: {datas}")


def invite(database: Database, checkins: int) -> list[tuple[int, str]]:
    now = datetime.now(UTC)
    made = []
    with database.session() as session:
        for n in range(checkins):
            person = create_young_person(session, pseudonym=f"K{n}", birth_year=2007, now=now)
            made.append((person.id, issue_invite(session, person, now=now)))
    return made
