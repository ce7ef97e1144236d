"""Sessions live on the server: a copied cookie dies with the session, and sessions expire.

The attack: someone copies a logged-in browser's session cookie into another client. That copy
must stop working when the owner logs out, when the password changes, when the account is closed
or its role changes, and when the session times out (idle, or its absolute limit on a fake clock).
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from dashboard.accounts import issue_setup_link
from dashboard.app import SESSION_COOKIE, dashboard_app
from storage.models import StaffSession, StaffUser
from tests.auxil.web import log_in, post_form
from ungeguide.settings import Settings


@pytest.fixture
async def thief(web):
    """Another browser, into which the session cookie is copied."""
    transport = httpx.ASGITransport(app=web, client=("198.51.100.23", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        yield client


def _copy(source, target):
    target.cookies.set(SESSION_COOKIE, source.cookies[SESSION_COOKIE])


async def _works(client, url="/unge"):
    answer = await client.get(url)
    if answer.status_code == 200:
        return True
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")
    return False


def _sessions(database, staff):
    with database.session() as session:
        return session.scalar(select(func.count()).where(StaffSession.staff_user_id == staff.id))


async def test_a_copied_cookie_stops_at_logout(client, thief, database, coordinator):
    await log_in(client, coordinator)
    _copy(client, thief)
    assert await _works(thief)
    out = await post_form(client, "/logout", {}, page="/unge")
    assert out.headers["location"] == "/login"
    assert not await _works(thief)
    assert not await _works(client)
    assert _sessions(database, coordinator) == 0


async def test_logging_out_ends_only_that_browser(client, thief, database, coordinator):
    await log_in(client, coordinator)
    await log_in(thief, coordinator)  # the same person on a second computer
    await post_form(client, "/logout", {}, page="/unge")
    assert await _works(thief)
    assert _sessions(database, coordinator) == 1


async def test_a_copied_cookie_stops_when_the_password_changes(
    client, thief, web, database, coordinator, clock
):
    await log_in(client, coordinator)
    _copy(client, thief)
    with database.session() as session:
        token = issue_setup_link(session, session.get(StaffUser, coordinator.id), now=clock())
    # The owner chooses a new password (in a third browser, from a link): every session ends.
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as owner:
        new = "et-helt-nyt-kodeord-til-kontoret"
        done = await post_form(owner, f"/adgangskode/{token}", {"password": new, "repeat": new})
        assert done.status_code == 303
        assert await _works(owner)
    assert not await _works(thief)
    assert not await _works(client)


async def test_a_copied_cookie_stops_when_the_account_is_closed_or_its_role_changes(
    client, thief, web, admin, coordinator
):
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as boss:
        await log_in(boss, admin)
        await log_in(client, coordinator)
        _copy(client, thief)
        role = await post_form(
            boss, f"/personale/{coordinator.id}/rolle", {"role": "facilitator"}, page="/personale"
        )
        assert role.status_code == 303
        assert not await _works(thief, "/")
        await log_in(client, coordinator)
        _copy(client, thief)
        assert await _works(thief, "/vaerksteder")
        closed = await post_form(boss, f"/personale/{coordinator.id}/luk", {}, page="/personale")
        assert closed.status_code == 303
        assert not await _works(thief, "/vaerksteder")
        assert not await _works(client, "/vaerksteder")


async def test_a_session_ends_after_45_idle_minutes(client, coordinator, clock):
    await log_in(client, coordinator)
    for _ in range(3):
        clock.advance(minutes=44)
        assert await _works(client)  # each request starts the idle time again
    clock.advance(minutes=45)
    assert not await _works(client)


async def test_a_busy_session_still_ends_10_hours_after_the_login(client, coordinator, clock):
    await log_in(client, coordinator)
    for _ in range(19):
        clock.advance(minutes=30)
        assert await _works(client)
    clock.advance(minutes=29)
    assert await _works(client)  # 9 h 59 min
    clock.advance(minutes=1)
    assert not await _works(client)  # 10 h: nothing renews this limit
    await log_in(client, coordinator)
    assert await _works(client)


async def test_the_limits_are_settings(database, content, clock, coordinator):
    settings = Settings.from_env(
        {"UNGEGUIDE_SESSION_IDLE_MINUTES": "30", "UNGEGUIDE_SESSION_HOURS": "8"}
    )
    assert (settings.session_idle_minutes, settings.session_hours) == (30, 8)
    assert (Settings.from_env({}).session_idle_minutes, Settings.from_env({}).session_hours) == (
        45,
        10,
    )
    web = dashboard_app(
        database,
        content,
        session_secret="test-secret",
        clock=clock,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        session_limit=timedelta(hours=settings.session_hours),
    )
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        answer = await log_in(client, coordinator)
        assert "max-age=28800" in answer.headers["set-cookie"].lower()
        clock.advance(minutes=30)
        assert not await _works(client)


async def test_a_token_hash_read_from_the_database_is_no_session(
    client, thief, database, coordinator
):
    """The table keeps only SHA-256 hashes: a database reader who signs a cookie with one (even
    knowing the signing key) does not get in."""
    await log_in(client, coordinator)
    with database.session() as session:
        stored = session.scalars(select(StaffSession.token_hash)).one()
    forged = base64.b64encode(json.dumps({"sid": stored}).encode())
    thief.cookies.set(SESSION_COOKIE, TimestampSigner("test-secret").sign(forged).decode())
    assert not await _works(thief)
    assert await _works(client)
