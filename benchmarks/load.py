"""Load: N simulated young people, each joining, accepting and answering a whole WHO-5 by
buttons, concurrently, through the real python-telegram-bot against the fake Bot API on
loopback. The same run measures a minimal python-telegram-bot echo bot against the same server
with the same number of updates, and prints ours ÷ echo.

    python -m benchmarks.load [--people 100] [--database-url URL]

Each mode runs in its own process, so the peak RSS is that bot's (plus the fake server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.service import ConversationService
from core.content import load_content
from domain.people import create_young_person, issue_invite
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from testing.fake_bot_api import TOKEN, FakeBotApi, Sent
from ungeguide.settings import REPO_ROOT

UPDATES_PER_PERSON = 10
FIRST_CHAT = 7_000_000


class Person:
    """One simulated young person: an update, then the bot's answer, ten times."""

    def __init__(self, api: FakeBotApi, chat: int, latencies: list[float]) -> None:
        self.api, self.chat, self.latencies = api, chat, latencies

    async def step(self, send: Callable[[], object], expect: str) -> Sent:
        since = len(self.api.messages(self.chat))
        started = time.perf_counter()
        send()
        answer = await self.api.wait_for_text(self.chat, expect, since=since, within=300)
        self.latencies.append(time.perf_counter() - started)
        return answer

    async def checkin(self, code: str) -> None:
        api, chat = self.api, self.chat
        info = await self.step(lambda: api.user_sends(chat, f"/start {code}"), "Er det okay")
        offer = await self.step(lambda: api.user_presses(chat, info, "Ja, det er okay"), "første")
        question = await self.step(
            lambda: api.user_presses(chat, offer, "Ja, lad os prøve"), "Spørgsmål 1 af 5"
        )
        for number in range(2, 6):
            question = await self.answer(question, f"Spørgsmål {number} af 5")
        talk = await self.step(
            lambda: api.user_presses(chat, question, "Det meste af tiden"), "næste gang"
        )
        await self.step(lambda: api.user_presses(chat, talk, "Spring over"), "Vi ses")

    async def answer(self, question: Sent, expect: str) -> Sent:
        return await self.step(
            lambda: self.api.user_presses(self.chat, question, "Det meste af tiden"), expect
        )

    async def echo(self) -> None:
        for number in range(UPDATES_PER_PERSON):
            await self.step(partial(self.api.user_sends, self.chat, f"hej {number}"), f"{number}!")


async def _drive(
    api: FakeBotApi, people: int, each: Callable[[Person, int], Awaitable[None]]
) -> dict[str, Any]:
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(each(Person(api, FIRST_CHAT + n, latencies), n) for n in range(people)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000

    return {
        "updates": len(latencies),
        "elapsed_s": elapsed,
        "updates_per_s": len(latencies) / elapsed,
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


async def run_ours(people: int, database_url: str | None) -> dict[str, Any]:
    use_keyring(Keyring([new_key()]))  # a throwaway key: the data is thrown away, too
    folder = tempfile.mkdtemp(prefix="ungeguide-load-")
    database = Database(database_url or f"sqlite:///{Path(folder) / 'load.db'}")
    database.upgrade()
    codes = []
    with database.session() as session:
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        for n in range(people):
            person = create_young_person(session, pseudonym=f"L{n}", birth_year=2007, now=now)
            codes.append(issue_invite(session, person, now=now))
    content = load_content(REPO_ROOT / "dialogues")
    api = FakeBotApi().start()
    service = ConversationService(database, content)
    channel = TelegramChannel(service, content, Connection(token=TOKEN, base_url=api.base_url))
    await channel.start()
    try:
        return await _drive(api, people, lambda person, n: person.checkin(codes[n]))
    finally:
        await channel.stop()
        api.stop()
        database.dispose()


async def run_echo(people: int) -> dict[str, Any]:
    api = FakeBotApi().start()

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(f"{update.effective_message.text}!")

    async def press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query:
            await update.callback_query.answer()

    application = (
        Application.builder().token(TOKEN).base_url(api.base_url).concurrent_updates(True).build()
    )
    application.add_handler(MessageHandler(filters.ALL, echo))
    application.add_handler(CallbackQueryHandler(press))
    await application.initialize()
    await application.start()
    assert application.updater is not None  # noqa: S101 - built with an updater
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        return await _drive(api, people, lambda person, _: person.echo())
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        api.stop()


def _in_subprocess(mode: str, people: int, database_url: str | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.load", "--mode", mode, "--people", str(people)]
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--mode", choices=["both", "ours", "echo"], default="both")
    args = parser.parse_args()
    if args.mode == "ours":
        print(json.dumps(asyncio.run(run_ours(args.people, args.database_url))))
        return
    if args.mode == "echo":
        print(json.dumps(asyncio.run(run_echo(args.people))))
        return
    ours = _in_subprocess("ours", args.people, args.database_url)
    echo = _in_subprocess("echo", args.people, None)
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; people: {args.people}")
    print(f"{'':<18}{'ours':>12}{'echo bot':>12}{'ours ÷ echo':>14}")
    for key, label in (
        ("updates_per_s", "updates/s"),
        ("p50_ms", "latency p50 ms"),
        ("p95_ms", "latency p95 ms"),
        ("p99_ms", "latency p99 ms"),
        ("peak_rss_mb", "peak RSS MB"),
    ):
        ratio = ours[key] / echo[key] if echo[key] else float("nan")
        print(f"{label:<18}{ours[key]:>12.1f}{echo[key]:>12.1f}{ratio:>14.2f}")
    print(f"updates: {ours['updates']} ours, {echo['updates']} echo")


if __name__ == "__main__":
    main()
