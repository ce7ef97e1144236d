"""The load benchmark at CI size: a few people through whole check-ins next to the echo bot,
on SQLite and PostgreSQL. The full run is `make bench-load` (figures in benchmarks/RESULTS.md)."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmarks.load import UPDATES_PER_PERSON, run_echo, run_ours
from storage import Answer, Database

PEOPLE = 3


async def test_a_few_people_check_in_under_load_and_every_answer_is_stored(database_url):
    ours = await run_ours(PEOPLE, database_url)
    echo = await run_echo(PEOPLE)
    figures = (
        f"ours {ours['updates_per_s']:.1f} updates/s, p95 {ours['p95_ms']:.0f} ms; "
        f"echo {echo['updates_per_s']:.1f} updates/s, p95 {echo['p95_ms']:.0f} ms"
    )
    print("\n" + figures)  # noqa: T201 - the fault and load tests print their figures
    assert ours["updates"] == echo["updates"] == PEOPLE * UPDATES_PER_PERSON
    database = Database(database_url)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Answer)) == PEOPLE * 5
    database.dispose()
