"""Fixtures for the domain tests: the scheduler's recording sender and dispatcher, and a
young person taking part, so a test can follow a change all the way to the message sent."""

from __future__ import annotations

import pytest

from storage.models import StaffRole, StaffUser
from tests.scheduler.conftest import active_person, dispatcher, sender

__all__ = ["active_person", "coordinators", "dispatcher", "sender"]


@pytest.fixture
def coordinators(database, clock) -> list[int]:
    """Two coordinators (Kim, Sara) and a closed account (Bo), by id."""
    with database.session() as session:
        staff = [
            StaffUser(
                email=f"{name.lower()}@kommune.dk",
                display_name=name,
                role=StaffRole.COORDINATOR,
                created_at=clock(),
                disabled_at=clock() if name == "Bo" else None,
            )
            for name in ("Kim", "Sara", "Bo")
        ]
        session.add_all(staff)
        session.flush()
        return [member.id for member in staff]
