"""PostgreSQL restarted during load, CI size: a private server is stopped and started again
while the bot (a real `ungeguide run` process) serves young people mid check-in. The bot
recovers by itself; every answer is stored once, nothing is lost or sent twice.
The full run: `python -m benchmarks.faults_postgres --people 50`."""

from __future__ import annotations

from benchmarks.faults_postgres import report, run
from benchmarks.faults_telegram import WHO5_ITEMS

PEOPLE = 4


async def test_a_postgresql_restart_under_load_loses_nothing_and_the_bot_recovers():
    figures = await run(people=PEOPLE, down=2.0, pause=0.3)
    print()  # noqa: T201 - these tests print their figures
    print(report(figures))  # noqa: T201
    assert figures.outage_s >= 2.0
    assert figures.during_outage(), "the outage must fall while people are waiting for replies"
    assert (figures.stuck, figures.lost, figures.duplicated) == (0, 0, 0)
    # It waits the outage out itself: no one is asked to send again.
    assert figures.error_replies == 0
    assert (figures.answers_stored, figures.incomplete) == (PEOPLE * WHO5_ITEMS, 0)
    assert (figures.alive_after, figures.answering_after) == (True, True)
