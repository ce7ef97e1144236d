"""Dispatch N due reminders through the real Telegram channel against the fake Bot API on
loopback, and report the achieved rate against the configured limit, plus peak memory.

    python -m benchmarks.dispatch [--reminders 10000] [--limit 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.service import ConversationService
from bot.service.reminders import reminder_composer
from core.content import load_content
from scheduler.dispatcher import Dispatcher
from scheduler.ratelimit import RateLimiter
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import Reminder, ReminderStatus
from testing.fake_bot_api import TOKEN, FakeBotApi
from testing.seed import seed_due_reminders
from ungeguide.settings import REPO_ROOT


async def run(count: int, limit: float, database_url: str | None) -> None:
    use_keyring(Keyring([new_key()]))  # a throwaway key: the data is thrown away, too
    folder = tempfile.mkdtemp(prefix="ungeguide-bench-")
    url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
    database = Database(url)
    database.upgrade()
    now = datetime.now(UTC)
    seed_due_reminders(database, now, people=count)
    content = load_content(REPO_ROOT / "dialogues")
    server = FakeBotApi().start()
    service = ConversationService(database, content)
    channel = TelegramChannel(service, content, Connection(token=TOKEN, base_url=server.base_url))
    await channel.application.initialize()
    dispatcher = Dispatcher(
        database,
        reminder_composer(content),
        channel,
        clock=lambda: datetime.now(UTC),
        limiter=RateLimiter(overall=limit, per_chat=1.0),
        batch=500,
    )
    started = time.perf_counter()
    while True:
        report = await dispatcher.dispatch_once()
        if not (report.sent or report.retried):
            break
    elapsed = time.perf_counter() - started
    with database.session() as session:
        sent = session.scalar(select(func.count()).where(Reminder.status == ReminderStatus.SENT))
    await channel.application.shutdown()
    server.stop()
    database.dispose()
    rate = (sent or 0) / elapsed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database:        {'PostgreSQL' if database_url else 'SQLite'}")
    print(f"reminders sent:  {sent} of {count} (messages at the fake Bot API: {len(server.sent)})")
    print(f"elapsed:         {elapsed:.1f} s")
    print(f"achieved rate:   {rate:.1f} messages/s")
    print(f"configured limit:{limit:.1f} messages/s  (ratio {rate / limit:.3f})")
    print(f"peak RSS:        {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0, help="messages per second overall")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    asyncio.run(run(args.reminders, args.limit, args.database_url))


if __name__ == "__main__":
    main()
