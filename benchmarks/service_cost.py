"""The conversation service's own cost per event, in process: no Telegram, no HTTP.

    python -m benchmarks.service_cost [--people 50] [--runs 5] [--database sqlite|postgresql]

Each young person joins with an invite, consents and answers a whole WHO-5 by buttons, the
same nine events as `benchmarks.load`, through `ConversationService.handle_chat` (the Telegram
channel's entry: the processed-update claim, the chat lookup, the locked state row, the engine,
the effects, the commit), one event after another in this thread. Prints the CPU time per event
(`time.process_time`, so a busy machine slows it less than wall time would) and the SQL
statements per event; the median of --runs runs, each on a new database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import event

from benchmarks.load import _invite, fresh_database, postgres_url
from benchmarks.load_people import PRESSES
from bot.engine import Command, Event, Message, Press, Reply
from bot.nlu.build import default_understander
from bot.service import ConversationService
from core.content import load_content
from storage import Database
from storage.crypto import Keyring, use_keyring

DIALOGUES = Path(__file__).resolve().parent.parent / "dialogues"
FIRST_CHAT = 10_000


def _press(messages: tuple[Message, ...]) -> Press | None:
    """The button a person presses on the bot's newest keyboard (load_people's preferences)."""
    buttons = [b for m in messages if isinstance(m, Reply) for row in m.buttons for b in row]
    for label in PRESSES:
        for button in buttons:
            if button.label == label:
                return Press(button.data)
    return None


def one_run(database_url: str, people: int) -> tuple[float, float, int]:
    """(CPU ms per event, statements per event, events) for `people` whole check-ins."""
    codes = _invite(database_url, people)
    database = Database(database_url)
    service = ConversationService(
        database, load_content(DIALOGUES), understander=default_understander()
    )
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(database.engine, "before_cursor_execute", count)
    events = 0
    update_id = 0
    cpu = 0.0
    try:
        for n, code in enumerate(codes):
            chat = FIRST_CHAT + n
            step: Event | None = Command("start", code)
            while step is not None:
                update_id += 1
                started = time.process_time()
                messages = service.handle_chat(chat, step, update_id=update_id)
                cpu += time.process_time() - started
                events += 1
                step = _press(messages)
    finally:
        database.dispose()
    return cpu / events * 1000, statements / events, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url")
    options = parser.parse_args()
    use_keyring(Keyring([Fernet.generate_key().decode()]))
    with tempfile.TemporaryDirectory() as folder:
        if options.database == "sqlite":
            urls = [fresh_database(None, Path(folder) / str(run)) for run in range(options.runs)]
            figures = [one_run(url, options.people) for url in urls]
        else:
            with postgres_url(options.database_url) as url:
                figures = []
                for _ in range(options.runs):
                    figures.append(one_run(fresh_database(url, Path(folder)), options.people))
    cpu = [f[0] for f in figures]
    print(
        f"{options.database}: {figures[0][2]} events, CPU per event "
        f"{statistics.median(cpu):.2f} ms (runs: {', '.join(f'{c:.2f}' for c in cpu)}), "
        f"{figures[0][1]:.1f} SQL statements per event"
    )


if __name__ == "__main__":
    main()
