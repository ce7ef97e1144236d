"""The dashboard in process, on a real database, with the test clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from core.content import Content
from dashboard.app import dashboard_app
from storage import Database
from storage.models import StaffRole
from tests.auxil.web import Staff, add_staff
from tests.conftest import Clock

BOT = "UngeguideTestBot"


@pytest.fixture
def web(database: Database, content: Content, clock: Clock) -> Starlette:
    return dashboard_app(
        database, content, session_secret="test-secret", clock=clock, bot_username=BOT
    )


@pytest.fixture
async def client(web: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        yield client


@pytest.fixture
def coordinator(database: Database, clock: Clock) -> Staff:
    return add_staff(database, StaffRole.COORDINATOR, name="Sara Holm", now=clock())


@pytest.fixture
def other_coordinator(database: Database, clock: Clock) -> Staff:
    return add_staff(database, StaffRole.COORDINATOR, name="Jonas Berg", now=clock())


@pytest.fixture
def admin(database: Database, clock: Clock) -> Staff:
    return add_staff(database, StaffRole.ADMIN, name="Ida Admin", now=clock())


@pytest.fixture
def facilitator(database: Database, clock: Clock) -> Staff:
    return add_staff(database, StaffRole.FACILITATOR, name="Ali Facilitator", now=clock())
