"""The scheduler moves pooled ideas onto the boards: a job of its own, every few minutes, in a
transaction of its own."""

from __future__ import annotations

from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from domain.idea_pool import MixReport, pool_idea
from domain.workshops import create_workshop
from scheduler.runner import MIX_EVERY_MINUTES, Planner, start_scheduler
from storage.models import Idea


async def test_the_mixer_is_a_job_of_its_own(database, content, clock, dispatcher):
    scheduler = start_scheduler(dispatcher, Planner(database, content, clock=clock))
    try:
        job = scheduler.get_job("mix_ideas")
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval == timedelta(minutes=MIX_EVERY_MINUTES)
    finally:
        scheduler.shutdown(wait=False)


def test_the_planner_mixes_pooled_ideas_onto_the_board(database, content, clock):
    with database.session() as session:
        workshop = create_workshop(
            session,
            title="Ungeværksted",
            question="Hvad mangler du?",
            themes=["Fritid"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=1),
            created_by=None,
            now=clock(),
        )
        for idea in ("Flere bænke", "Gratis kaffe", "Lektiecafé"):
            pool_idea(session, workshop, theme="Fritid", text=idea, now=clock())
    assert Planner(database, content, clock=clock).mix_ideas() == MixReport(moved=3)
    with database.session() as session:
        assert len(session.scalars(select(Idea)).all()) == 3
