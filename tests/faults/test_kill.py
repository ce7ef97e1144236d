"""SIGKILL of the bot, CI size: a real `ungeguide run` process is killed at seeded random
moments while simulated young people are mid check-in, and started again each time. Every
answer is stored exactly once, as meant, every check-in is resumed and completed, and every
update the bot took before a kill is delivered again and handled.
The full run: `python -m benchmarks.faults_kill --checkins 200`."""

from __future__ import annotations

from pathlib import Path

from benchmarks.faults_kill import run

CHECKINS = 8
KILLS = 3


async def test_sigkill_mid_checkin_loses_and_duplicates_no_answer(
    database_url: str, tmp_path: Path
) -> None:
    report = await run(database_url, checkins=CHECKINS, kills=KILLS, seed=3, workdir=tmp_path)
    figures = str(report)
    print()  # noqa: T201 - these tests print their figures
    print(figures)  # noqa: T201
    assert (report.kills, report.restarts) == (KILLS, KILLS), figures
    assert report.interrupted > 0, "the kills must fall while people wait for replies\n" + figures
    assert (report.lost, report.duplicated, report.wrong, report.stuck) == (0, 0, 0, 0), figures
    assert report.answers_stored == report.answers_expected == CHECKINS * 5, figures
    assert report.completed == CHECKINS, figures
    assert report.updates_dropped == 0, figures
    assert report.tracebacks == 0, figures
