"""One round of the check-in planner, as the scheduler runs it, for tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.content import Content
from domain.checkins import plan_checkins
from storage import Database


def plan(database: Database, content: Content, clock: Callable[[], datetime]) -> None:
    """One round of the check-in planner at the clock's time."""
    with database.session() as session:
        plan_checkins(
            session,
            now=clock(),
            questionnaires=set(content.questionnaires),
            default_plan=content.default_plan,
        )
