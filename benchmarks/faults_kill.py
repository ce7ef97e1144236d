"""SIGKILL of the bot at random points during N simulated check-ins, with restarts.

The bot runs as a real process (`python -m ungeguide run`) against the fake Bot API on
loopback, which lives in this process and so survives every kill: what the young people send
while the bot is dead waits there, as it would at Telegram. Simulated young people join with
their invite, accept, and answer a whole WHO-5 by buttons, each with their own intended answers.
At seeded random moments, spread over the run by the number of replies so far, the bot gets
SIGKILL (no clean-up, no flush), stays dead for a moment and is started again.

A young person reacts to the newest message with buttons that arrived after what they did last.
Without one within `patience` seconds they try again the way a person would without typing
an answer twice: first the same press (or `/start <code>`) again, then `/tjek` to resume. A
typed "4" is never resent: it would answer whatever question is current by then.

Afterwards the stored answers are compared with what each person meant: lost (an intended
answer not stored), duplicated (a second row for an item, or a second questionnaire response),
wrong (a stored value that was not meant), and check-ins completed. Every update the fake
server handed out must be handled in the end: the bot confirms an update to Telegram only once
it is handled, so what a kill interrupts is delivered again after the restart.

    python -m benchmarks.faults_kill [--checkins 200] [--kills 10] [--database-url URL] [--seed N]

Without --database-url the database is a fresh SQLite file in a temporary folder; a given
database (a scratch PostgreSQL one) has its tables dropped and created again first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse

from benchmarks.faults_postgres import free_port, start_bot
from core.content import Content, load_content
from domain.people import create_young_person, issue_invite
from storage import Answer, Database, ProcessedUpdate, QuestionnaireResponse, ResponseStatus
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import FakeBotApi, Sent
from ungeguide.settings import REPO_ROOT

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
        if f"q|{QUESTIONNAIRE}" in datas:
            # The offer of a first check-in, or the menu after /tjek: a menu once the last
            # question was answered means that the check-in is over and its goodbye was lost.
            return None if self._pressed_last else press(f"q|{QUESTIONNAIRE}")
        raise AssertionError(f"chat {chat}: no known button on {message.text!r}: {datas}")


@dataclass
class KillReport:
    backend: str
    checkins: int
    kills: int = 0
    restarts: int = 0
    answers_expected: int = 0
    answers_stored: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong: int = 0
    completed: int = 0
    stuck: int = 0  # people who found no way forward in time
    updates: int = 0
    updates_dropped: int = 0  # handed to the bot and never handled (lost in a kill)
    cut_off: int = 0  # Bot API calls whose request a kill cut off (never carried out)
    interrupted: int = 0  # people waiting for a reply at the moment of a kill (summed)
    tally: Tally = field(default_factory=Tally)
    stale_notices: int = 0
    resumed: int = 0  # "Vi fortsætter ved spørgsmål n af 5" after a /tjek
    answering_s: list[float] = field(default_factory=list)  # restart → first reply
    moving_s: list[float] = field(default_factory=list)  # restart → all interrupted moved on
    moving_cut: int = 0  # restarts where the next kill came before everyone moved on
    tracebacks: int = 0
    elapsed_s: float = 0.0
    problems: list[str] = field(default_factory=list)  # why the first stuck people stopped

    def lines(self) -> list[str]:
        return [
            f"database: {self.backend}; check-ins: {self.checkins}; run: {self.elapsed_s:.1f} s",
            f"SIGKILLs: {self.kills}; restarts: {self.restarts}; people waiting for a reply at "
            f"a kill: {self.interrupted}",
            f"answers expected: {self.answers_expected}; stored: {self.answers_stored}; "
            f"lost: {self.lost}; duplicated: {self.duplicated}; wrong: {self.wrong}",
            f"check-ins completed: {self.completed} of {self.checkins}; stuck: {self.stuck}",
            f"restart → bot answering again: p50 {_ms(self.answering_s, 0.5)} ms, "
            f"max {_ms(self.answering_s, 1.0)} ms",
            f"restart → every interrupted check-in moving again: p50 {_ms(self.moving_s, 0.5)} "
            f"ms, max {_ms(self.moving_s, 1.0)} ms ({len(self.moving_s)} restarts; "
            f"{self.moving_cut} cut short by the next kill)",
            f"updates: {self.updates}; taken by the bot and never handled (lost in a kill): "
            f"{self.updates_dropped}; bot calls cut off half-way: {self.cut_off}",
            f"people's retries: {self.tally.repeats} same press again, {self.tally.resumes} "
            f"/tjek; check-ins resumed at their question: {self.resumed}; 'Den knap virker "
            f"ikke længere.': {self.stale_notices}; talk question ended by /tjek: "
            f"{self.tally.ended_by_menu}",
            f"tracebacks in the bot's log: {self.tracebacks}",
            *(f"stuck: {problem}" for problem in self.problems),
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _ms(values: list[float], fraction: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000:.0f}"


def invite(database: Database, checkins: int) -> list[tuple[int, str]]:
    now = datetime.now(UTC)
    made = []
    with database.session() as session:
        for n in range(checkins):
            person = create_young_person(session, pseudonym=f"K{n}", birth_year=2007, now=now)
            made.append((person.id, issue_invite(session, person, now=now)))
    return made


def count_stored(
    database: Database, people: list[tuple[int, dict[str, int]]], report: KillReport
) -> None:
    """Compare the stored responses and answers with what each person meant."""
    with database.session() as session:
        for person_id, intended in people:
            responses = session.scalars(
                select(QuestionnaireResponse).where(
                    QuestionnaireResponse.young_person_id == person_id
                )
            ).all()
            rows = session.execute(
                select(Answer.item_id, Answer.value)
                .join(QuestionnaireResponse)
                .where(QuestionnaireResponse.young_person_id == person_id)
            ).all()
            report.answers_stored += len(rows)
            report.duplicated += max(0, len(responses) - 1)
            for item, value in intended.items():
                values = [v for i, v in rows if i == item]
                report.lost += not values
                report.duplicated += max(0, len(values) - 1)
                report.wrong += sum(v != value for v in values)
            report.wrong += sum(i not in intended for i, _ in rows)
            done = [r for r in responses if r.status == ResponseStatus.COMPLETED]
            report.completed += len(done) == 1 and len(rows) == len(intended)


async def _killer(
    bot: list[subprocess.Popen[str]],
    restart: Callable[[], subprocess.Popen[str]],
    api: KillBotApi,
    tally: Tally,
    people: list[KillPerson],
    marks: list[int],
    rng: random.Random,
    report: KillReport,
    events: list[tuple[float, float, list[KillPerson]]],
) -> None:
    """At each mark (replies so far), SIGKILL the bot, wait a moment and start it again."""

    def done() -> bool:
        return all(p.finished for p in people)

    def answered_since_restart() -> bool:
        return not events or bool(api.replies_at and api.replies_at[-1] > events[-1][1])

    for mark in marks:
        # Polls counters the people update; an Event would need every step to set it.
        while tally.replies < mark and not done():  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        # Not before the bot answered after the last restart: kills during start-up alone
        # would test nothing of the check-ins.
        while not answered_since_restart() and not done():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        if done():
            return
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        waiting = [p for p in people if p.waiting and not p.finished]
        killed_at = time.monotonic()
        os.kill(bot[0].pid, signal.SIGKILL)
        await asyncio.to_thread(bot[0].wait, 30)
        report.kills += 1
        report.interrupted += len(waiting)
        await asyncio.sleep(rng.uniform(0.1, 0.5))
        bot[0] = restart()
        report.restarts += 1
        events.append((killed_at, time.monotonic(), waiting))


def _recovery(
    api: KillBotApi, events: list[tuple[float, float, list[KillPerson]]], report: KillReport
) -> None:
    for number, (killed_at, started, waiting) in enumerate(events):
        next_kill = events[number + 1][0] if number + 1 < len(events) else float("inf")
        answered = [t for t in api.replies_at if started < t < next_kill]
        if answered:
            report.answering_s.append(min(answered) - started)
        moved = [next((t for t in p.moved_at if t > killed_at), None) for p in waiting]
        if all(t is not None and t < next_kill for t in moved):
            report.moving_s.append(
                max([t for t in moved if t is not None], default=started) - started
            )
        else:
            report.moving_cut += 1


async def run(
    database_url: str,
    *,
    checkins: int,
    kills: int,
    seed: int = 1,
    workdir: Path,
    concurrency: int = 25,
    patience: float = 2.0,
    pace: float = 0.05,
    within: float = 300.0,
) -> KillReport:
    """Run `checkins` check-ins through a bot process that gets `kills` SIGKILLs.

    `database_url` must point to a migrated, empty database; UNGEGUIDE_KEYS in the environment
    must hold the key this process uses (the bot process inherits it).
    """
    started = time.monotonic()
    rng = random.Random(seed)
    content = load_content(REPO_ROOT / "dialogues")
    questionnaire = content.questionnaires[QUESTIONNAIRE]
    values = [option.value for option in questionnaire.scale]
    report = KillReport(
        "PostgreSQL" if database_url.startswith("postgresql") else "SQLite", checkins
    )
    database = Database(database_url)
    api = KillBotApi()
    api.start()
    tally = report.tally
    invited = invite(database, checkins)
    intended = [{item.id: rng.choice(values) for item in questionnaire.items} for _ in invited]
    people = [
        KillPerson(
            api,
            content,
            FIRST_CHAT + n,
            code,
            intended[n],
            tally,
            patience=patience,
            pace=pace,
            rng=random.Random(rng.random()),
        )
        for n, (_, code) in enumerate(invited)
    ]
    # Replies per check-in: info, offer, before, 5 questions, talk, goodbye.
    steps = checkins * (5 + len(questionnaire.items))
    marks = sorted(rng.sample(range(max(1, steps // 20), max(2, steps * 9 // 10)), kills))
    log_path = workdir / "bot.log"
    events: list[tuple[float, float, list[KillPerson]]] = []
    with log_path.open("a") as log:

        def restart() -> subprocess.Popen[str]:
            # A fresh port each start: the dead process's may linger.
            return start_bot(
                database_url=database_url, api=api, data_dir=workdir, port=free_port(), log=log
            )

        bot = [restart()]
        gate = asyncio.Semaphore(concurrency)

        async def one(person: KillPerson) -> None:
            try:
                async with gate:
                    await person.checkin(within=within)
            finally:
                person.finished = True  # done or given up: no longer under way

        try:
            await api.wait_for(lambda: bool(api.commands), within=60, what="the bot to start")
            killer = asyncio.create_task(
                _killer(bot, restart, api, tally, people, marks, rng, report, events)
            )
            results = await asyncio.gather(*(one(p) for p in people), return_exceptions=True)
            await killer  # it ends once everyone is done, after a restart it began
            problems = [r for r in results if isinstance(r, BaseException)]
            report.stuck = len(problems)
            report.problems = [str(p) for p in problems[:5]]
            await api.wait_idle(settle=1.0, within=60)
        finally:
            if bot[0].poll() is None:
                os.kill(bot[0].pid, signal.SIGKILL)
            bot[0].wait(timeout=30)
            api.stop()
    try:
        count_stored(database, [(p, intended[n]) for n, (p, _) in enumerate(invited)], report)
        report.answers_expected = sum(len(i) for i in intended)
        with database.session() as session:
            handled = set(session.scalars(select(ProcessedUpdate.update_id)))
    finally:
        database.dispose()
    report.updates = len(api.pushed)
    report.cut_off = api.cut_off
    report.updates_dropped = sum(number not in handled for number in api.pushed)
    stale = content.texts.stale_button
    report.stale_notices = sum(a.get("text") == stale for a in api.callback_answers)
    resumed = content.texts.checkin.resumed.split("{")[0]
    report.resumed = sum(resumed in (m.text or "") for m in api.sent)
    _recovery(api, events, report)
    report.tracebacks = log_path.read_text().count("Traceback")
    report.elapsed_s = time.monotonic() - started
    return report


def fresh_database(url: str | None, folder: Path) -> str:
    """A migrated, empty database: a new SQLite file, or `url` with its tables made anew."""
    url = url or f"sqlite:///{folder / 'kill.db'}"
    database = Database(url)
    try:
        tables = MetaData()  # a given database starts empty each time
        tables.reflect(bind=database.engine)
        tables.drop_all(bind=database.engine)
        database.upgrade()
    finally:
        database.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkins", type=int, default=200)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=25, help="check-ins under way at once")
    args = parser.parse_args()
    key = new_key()  # a throwaway key: the data is thrown away, too
    os.environ["UNGEGUIDE_KEYS"] = key
    use_keyring(Keyring([key]))
    with tempfile.TemporaryDirectory(prefix="ungeguide-kill-") as folder:
        url = fresh_database(args.database_url, Path(folder))
        report = asyncio.run(
            run(
                url,
                checkins=args.checkins,
                kills=args.kills,
                seed=args.seed,
                workdir=Path(folder),
                concurrency=args.concurrency,
            )
        )
    print(report)
    faults = (report.lost, report.duplicated, report.wrong, report.stuck, report.updates_dropped)
    ok = faults == (0, 0, 0, 0, 0)
    sys.exit(0 if ok and report.completed == report.checkins else 1)


if __name__ == "__main__":
    main()
