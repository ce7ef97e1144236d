"""The load benchmark at CI size: a few people through whole check-ins with `ungeguide run` as
its own process, then the bare echo bot, on SQLite and PostgreSQL. Nothing here is timed; the
full run is `make bench-load` (figures in benchmarks/RESULTS.md)."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmarks.load import run_echo, run_ours
from bot.nlu.build import DEFAULT_NLU_DIR, TRAINING_SUBDIR
from bot.nlu.embedded import EmbeddedInterpreter
from storage import Answer, Database

PEOPLE = 3


async def test_both_bot_processes_answer_every_update_and_every_answer_is_stored(
    database_url, tmp_path
):
    EmbeddedInterpreter.from_path(DEFAULT_NLU_DIR / TRAINING_SUBDIR, cache_dir=tmp_path / "cache")
    ours = await run_ours(PEOPLE, database_url, data_dir=tmp_path)
    echo = await run_echo(PEOPLE, ours.updates // PEOPLE)
    print(f"\nours {ours.figures()}\necho {echo.figures()}")  # noqa: T201 - the figures
    assert ours.updates == echo.updates == len(ours.latencies) == len(echo.latencies)
    assert ours.updates >= PEOPLE * 8  # join, consent, the offer, five answers, at least
    for run in (ours, echo):
        assert run.cpu_s > 0
        assert 0 < run.idle_rss_mb <= run.peak_rss_mb
    database = Database(database_url)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Answer)) == PEOPLE * 5
    database.dispose()
