"""Telegram faults: simulated young people go through a whole check-in (join, consent, WHO-5,
"talk about next time") while the fake Bot API answers a share of the bot's calls with a fault.
Each fault kind runs after a no-fault baseline in the same run, and the figures are printed:
reply latency p50/p95/max and what the fault added, messages lost, and messages duplicated.

Fault kinds (see bot/channels/telegram/delivery.py for the rules they test):

- ``429``: "Too Many Requests" with ``retry_after``; the bot waits as told and sends again.
- ``5xx``: 500/502/503 in turn; the bot retries with exponential backoff.
- ``hang``: the server takes the request and does not answer within the client's timeouts (it
  answers 500 only long after); the bot's read timeout fires and it retries. Nothing was
  carried out, so nothing may be duplicated.
- ``timeout-after-delivery``: the server carries the call out, then answers after the client's
  timeout. The documented rule is at-least-once: the bot sends again, so the young person may
  see that message twice. Those duplicates are counted apart; stored answers are never doubled.

    python -m benchmarks.faults_telegram [--people 20] [--rate 0.1] [--timeout 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse

from benchmarks.load import FIRST_CHAT, Person
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.service import ConversationService
from core.content import Content, load_content
from domain.people import create_young_person, issue_invite
from storage import Answer, Database, QuestionnaireResponse, ResponseStatus
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import TOKEN, FakeBotApi, Fault, Sent
from ungeguide.settings import REPO_ROOT

# The calls a check-in makes; getUpdates is faulted, too (the poller retries it).
METHODS = ("sendMessage", "editMessageText", "answerCallbackQuery", "getUpdates")
WHO5_ITEMS = 5
HANG_FACTOR = 4  # a hanging call answers only after this many client timeouts


def fault_kinds(timeout: float) -> dict[str, Callable[[int], Fault] | None]:
    """Fault kind → the fault for the n-th injection (None: the baseline)."""
    statuses = (500, 502, 503)
    return {
        "baseline": None,
        "429": lambda _: Fault(status=429, retry_after=1),
        "5xx": lambda n: Fault(status=statuses[n % len(statuses)]),
        "hang": lambda _: Fault(status=500, delay=timeout * HANG_FACTOR),
        "timeout-after-delivery": lambda _: Fault(
            status=200, delay=timeout + 1, after_delivery=True
        ),
    }


class FaultyBotApi(FakeBotApi):
    """The fake Bot API, faulting each call of METHODS with probability `rate` (seeded)."""

    def __init__(
        self, make: Callable[[int], Fault] | None, *, rate: float, seed: int, first_update: int
    ) -> None:
        super().__init__()
        # The bot remembers handled update ids in the database, which the kinds share.
        self._update_ids = itertools.count(first_update)
        self.make = make
        self.rate = rate
        self.random = random.Random(seed)
        self.injected: Counter[str] = Counter()

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if self.make is not None and method in METHODS and self.random.random() < self.rate:
            self.inject(method, self.make(sum(self.injected.values())))
            self.injected[method] += 1
        return await super()._api(request)


class PatientPerson(Person):
    """A simulated young person who gives up after `patience` s without the expected answer."""

    patience = 120.0

    async def step(self, send: Callable[[], object], expect: str) -> Sent:
        since = len(self.api.messages(self.chat))
        started = time.perf_counter()
        send()
        answer = await self.api.wait_for_text(self.chat, expect, since=since, within=self.patience)
        self.latencies.append(time.perf_counter() - started)
        return answer


@dataclass
class Figures:
    kind: str
    people: int
    latencies: list[float] = field(default_factory=list)
    injected: Counter[str] = field(default_factory=Counter)
    stuck: int = 0  # people who never got an expected answer
    lost: int = 0  # messages of the expected transcript that never arrived
    duplicated: int = 0  # extra messages beyond the documented rule
    duplicated_by_rule: int = 0  # extra messages allowed by the at-least-once rule
    incomplete: int = 0  # people whose check-in is not stored completed with 5 answers
    answers_stored: int = 0
    elapsed_s: float = 0.0

    def pct(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def invite_people(database: Database, people: int, prefix: str) -> list[tuple[int, str]]:
    """(person id, invite code) for `people` new young people."""
    now = datetime.now(UTC)
    made = []
    with database.session() as session:
        for n in range(people):
            person = create_young_person(
                session, pseudonym=f"{prefix}{n}", birth_year=2007, now=now
            )
            made.append((person.id, issue_invite(session, person, now=now)))
    return made


def stored_checkins(database: Database, person_ids: list[int]) -> tuple[int, int]:
    """(answers stored, people whose one check-in is completed with exactly 5 answers)."""
    complete = total = 0
    with database.session() as session:
        for person_id in person_ids:
            responses = session.scalars(
                select(QuestionnaireResponse).where(
                    QuestionnaireResponse.young_person_id == person_id
                )
            ).all()
            answers = session.scalar(
                select(func.count(Answer.id))
                .join(QuestionnaireResponse)
                .where(QuestionnaireResponse.young_person_id == person_id)
            )
            total += answers or 0
            done = [r for r in responses if r.status == ResponseStatus.COMPLETED]
            complete += len(responses) == 1 and len(done) == 1 and answers == WHO5_ITEMS
    return total, complete


async def run_kind(
    database: Database,
    content: Content,
    kind: str,
    make: Callable[[int], Fault] | None,
    *,
    people: int,
    rate: float,
    client_timeout: float,
    seed: int,
    first_chat: int = FIRST_CHAT,
) -> tuple[Figures, list[list[str]]]:
    """Run `people` check-ins under one fault kind; returns the figures (lost and duplicated
    not counted yet) and each person's transcript."""
    invited = invite_people(database, people, prefix=f"F{first_chat}-")
    api = FaultyBotApi(make, rate=rate, seed=seed, first_update=first_chat)
    api.start()
    service = ConversationService(database, content)
    connection = Connection(
        token=TOKEN, base_url=api.base_url, timeout=client_timeout, poll_timeout=1
    )
    channel = TelegramChannel(service, content, connection)
    figures = Figures(kind, people)
    await channel.start()
    started = time.perf_counter()
    try:
        results = await asyncio.gather(
            *(
                PatientPerson(api, first_chat + n, figures.latencies).checkin(code)
                for n, (_, code) in enumerate(invited)
            ),
            return_exceptions=True,
        )
        figures.elapsed_s = time.perf_counter() - started
        # Late resends (after a timeout) still count: wait until the bot has been quiet.
        await api.wait_idle(settle=client_timeout + 1.5, within=120)
    finally:
        await channel.stop()
        api.stop()
    figures.stuck = sum(isinstance(r, BaseException) for r in results)
    figures.injected = api.injected
    figures.answers_stored, complete = stored_checkins(database, [p for p, _ in invited])
    figures.incomplete = people - complete
    return figures, [api.texts(first_chat + n) for n in range(people)]


def count_lost_and_duplicated(
    figures: Figures, transcripts: list[list[str]], expected: list[str]
) -> None:
    """Compare each person's transcript with the baseline's, message by message."""
    want = Counter(expected)
    for transcript in transcripts:
        got = Counter(transcript)
        figures.lost += sum((want - got).values())
        extra = sum((got - want).values())
        if figures.kind == "timeout-after-delivery":
            allowed = min(extra, figures.injected["sendMessage"] - figures.duplicated_by_rule)
            figures.duplicated_by_rule += allowed
            extra -= allowed
        figures.duplicated += extra


async def run(
    *,
    people: int,
    rate: float,
    client_timeout: float,
    seed: int = 9,
    kinds: list[str] | None = None,
    database_url: str | None = None,
    parallel: bool = False,
) -> list[Figures]:
    """The baseline, then each fault kind, on one database: one after another, or all at once
    (`parallel`, quicker, for CI; the kinds then share the CPU)."""
    use_keyring(Keyring([new_key()]))  # a throwaway key: the data is thrown away, too
    folder = tempfile.mkdtemp(prefix="ungeguide-faults-")
    database = Database(database_url or f"sqlite:///{Path(folder) / 'faults.db'}")
    database.upgrade()
    content = load_content(REPO_ROOT / "dialogues")
    all_kinds = fault_kinds(client_timeout)
    order = ["baseline", *(k for k in kinds or all_kinds if k != "baseline")]
    runs = [
        run_kind(
            database,
            content,
            kind,
            all_kinds[kind],
            people=people,
            rate=rate,
            client_timeout=client_timeout,
            seed=seed,
            first_chat=FIRST_CHAT + index * 100_000,
        )
        for index, kind in enumerate(order)
    ]
    try:
        if parallel:
            done = await asyncio.gather(*runs)
        else:
            done = [await each for each in runs]
    finally:
        database.dispose()
    expected = done[0][1][0]  # the baseline's first person
    for figures, transcripts in done:
        count_lost_and_duplicated(figures, transcripts, expected)
    return [figures for figures, _ in done]


def report(results: list[Figures], *, rate: float, timeout: float) -> str:
    base = results[0]
    lines = [
        f"people per kind: {base.people}; fault rate per call: {rate:.0%}; "
        f"client timeout: {timeout:g} s; faulted calls: {', '.join(METHODS)}",
        f"{'kind':<24}{'faults':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'+p50 ms':>9}"
        f"{'+p95 ms':>9}{'lost':>6}{'dup':>5}{'dup(rule)':>10}{'stuck':>6}{'incompl.':>9}",
    ]
    for f in results:
        lines.append(
            f"{f.kind:<24}{sum(f.injected.values()):>7}{f.pct(0.5):>9.0f}{f.pct(0.95):>9.0f}"
            f"{f.pct(1.0):>9.0f}{f.pct(0.5) - base.pct(0.5):>9.0f}"
            f"{f.pct(0.95) - base.pct(0.95):>9.0f}{f.lost:>6}{f.duplicated:>5}"
            f"{f.duplicated_by_rule:>10}{f.stuck:>6}{f.incomplete:>9}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--rate", type=float, default=0.1, help="share of calls faulted")
    parser.add_argument("--timeout", type=float, default=2.0, help="the client's timeouts, s")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--parallel", action="store_true", help="run the kinds at once")
    args = parser.parse_args()
    results = asyncio.run(
        run(
            people=args.people,
            rate=args.rate,
            client_timeout=args.timeout,
            seed=args.seed,
            database_url=args.database_url,
            parallel=args.parallel,
        )
    )
    print(report(results, rate=args.rate, timeout=args.timeout))


if __name__ == "__main__":
    main()
