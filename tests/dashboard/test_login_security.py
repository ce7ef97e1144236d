"""Attacks on the login: parallel guessing, locking someone out, copied cookies, and the audit.

Each test performs the attack against the real dashboard (ASGI, real database, argon2) and counts
what really happened: the passwords the server checked (`LoginGuard.checked`, counted where
argon2 runs) and the audit lines each check leaves.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import httpx
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from dashboard.app import dashboard_app
from storage.models import AuditEvent, LoginCounter
from tests.auxil.web import log_in, parse, post_form

WRONG = "helt-forkert-gæt-42"


@asynccontextmanager
async def _client(web, address="127.0.0.1"):
    transport = httpx.ASGITransport(app=web, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        yield client


async def _guess(client, email, password, token=None):
    if token is None:
        token = parse((await client.get("/login")).text).csrf()
    return await client.post("/login", data={"csrf": token, "email": email, "password": password})


def _checked(web):
    return web.state.dashboard.guard.checked


def _audit(database, *actions):
    with database.session() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.staff_user_id, e.action, e.detail) for e in events if e.action in actions]


async def test_sixty_parallel_guesses_get_at_most_five_passwords_checked(
    web, client, database, coordinator
):
    token = parse((await client.get("/login")).text).csrf()
    answers = await asyncio.gather(
        *(_guess(client, coordinator.email, f"{WRONG}-{n}", token) for n in range(60))
    )
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [400] * 5 + [429] * 55
    assert _checked(web) == 5
    assert len(_audit(database, "login_failed")) == 5
    # The lock holds for the right password too, from this (unknown) device.
    assert (await _guess(client, coordinator.email, coordinator.password, token)).status_code == 429
    assert _checked(web) == 5


async def test_two_processes_share_the_count(database, content, clock, coordinator):
    """Two dashboards on one database (as two worker processes would be): 2 x 30 guesses at once
    still get only 5 passwords checked between them."""
    first, second = (
        dashboard_app(database, content, session_secret="test-secret", clock=clock)
        for _ in range(2)
    )
    async with _client(first) as one, _client(second) as two:
        tokens = [parse((await c.get("/login")).text).csrf() for c in (one, two)]
        await asyncio.gather(
            *(
                _guess(c, coordinator.email, f"{WRONG}-{n}", token)
                for n in range(30)
                for c, token in zip((one, two), tokens, strict=True)
            )
        )
    assert _checked(first) + _checked(second) == 5


async def test_pauses_grow_and_the_password_is_not_checked_meanwhile(
    web, client, coordinator, clock
):
    token = parse((await client.get("/login")).text).csrf()
    for _ in range(5):
        assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 400
    paused = await _guess(client, coordinator.email, coordinator.password, token)
    assert paused.status_code == 429
    assert "For mange forsøg. Prøv igen senere." in parse(paused.text).text
    clock.advance(minutes=1)  # the first pause: 1 minute
    for _ in range(5):
        assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 400
    clock.advance(minutes=1, seconds=59)  # the second: 2 minutes
    assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 429
    assert _checked(web) == 10
    clock.advance(seconds=1)
    assert (await _guess(client, coordinator.email, coordinator.password, token)).status_code == 303


async def test_one_address_guessing_many_accounts_is_paused(web, client):
    token = parse((await client.get("/login")).text).csrf()
    for n in range(20):
        answer = await _guess(client, f"person{n}@kommune.invalid", WRONG, token)
        assert answer.status_code == 400
    answer = await _guess(client, "another@kommune.invalid", WRONG, token)
    assert answer.status_code == 429
    assert _checked(web) == 20


async def test_a_stranger_hammering_the_admin_cannot_lock_the_admin_out(
    web, client, database, admin, clock
):
    await log_in(client, admin)  # the admin's own computer: it now carries a device cookie
    assert "ungeguide_device" in client.cookies
    await post_form(client, "/logout", {}, page="/personale")
    async with _client(web, "203.0.113.66") as stranger:
        token = parse((await stranger.get("/login")).text).csrf()
        for round_ in range(3):  # parallel bursts, each as soon as the pause allows
            await asyncio.gather(*(_guess(stranger, admin.email, WRONG, token) for _ in range(25)))
            clock.advance(minutes=1 + round_)
        assert _checked(web) == 1 + 5 + 5 + 5  # the admin's login, then 5 per pause
        again = await _guess(stranger, admin.email, admin.password, token)
        assert again.status_code == 429  # an unknown device waits, even with the password
    back = await _guess(client, admin.email, admin.password)
    assert back.status_code == 303
    assert (await client.get("/revision")).status_code == 200
    # The same from the stranger's address: the device, not the address, is what is trusted.
    async with _client(web, "203.0.113.66") as travelling:
        travelling.cookies.set("ungeguide_device", client.cookies["ungeguide_device"])
        assert (await _guess(travelling, admin.email, admin.password)).status_code == 303
    locks = _audit(database, "login_locked")
    assert locks[0] == (admin.id, "login_locked", "kontoen, fra ukendte enheder")


async def test_a_known_device_has_its_own_limit_and_a_forged_one_none(
    web, client, coordinator, other_coordinator
):
    await log_in(client, coordinator)
    device = client.cookies["ungeguide_device"]
    client.cookies.delete("ungeguide_session")
    token = parse((await client.get("/login")).text).csrf()
    for _ in range(5):
        assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 400
    assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 429
    # Sara's device cookie is worth nothing for Jonas's account, and a forged one for nobody.
    async with _client(web, "198.51.100.7") as other:
        other.cookies.set("ungeguide_device", device)
        token = parse((await other.get("/login")).text).csrf()
        for _ in range(5):
            await _guess(other, other_coordinator.email, WRONG, token)
        assert (await _guess(other, other_coordinator.email, WRONG, token)).status_code == 429
        # Jonas's id, signed with another key: if it were trusted it would get fresh attempts.
        forged = URLSafeTimedSerializer("not-the-key", salt="known device")
        other.cookies.set("ungeguide_device", forged.dumps([other_coordinator.id, "x"]))
        assert (await _guess(other, other_coordinator.email, WRONG, token)).status_code == 429


async def test_failed_logins_are_audited_without_what_was_typed(client, database, coordinator):
    unknown = "ukendt.person@kommune.invalid"
    assert (await _guess(client, coordinator.email, WRONG)).status_code == 400
    assert (await _guess(client, unknown, WRONG)).status_code == 400
    await log_in(client, coordinator)
    await post_form(client, "/logout", {}, page="/unge")
    assert _audit(database, "login", "login_failed", "logout") == [
        (coordinator.id, "login_failed", ""),
        (None, "login_failed", "ukendt e-mail"),
        (coordinator.id, "login", ""),
        (coordinator.id, "logout", ""),
    ]
    with database.session() as session:
        stored = " ".join(
            f"{e.action} {e.detail} {e.young_person_ref}"
            for e in session.scalars(select(AuditEvent))
        )
        keys = " ".join(session.scalars(select(LoginCounter.key)))
    for typed in (WRONG, coordinator.password, unknown, "ukendt.person", "127.0.0.1"):
        assert typed not in stored
        assert typed not in keys


async def test_a_calm_day_forgets_the_counters_and_the_pauses(
    web, client, database, coordinator, clock
):
    token = parse((await client.get("/login")).text).csrf()
    for pause in (1, 2, 4):  # three pauses: the next would be 8 minutes
        for _ in range(5):
            await _guess(client, coordinator.email, WRONG, token)
        clock.advance(minutes=pause)
    clock.advance(days=1, minutes=30)  # a day after the last pause and its window
    await _guess(client, "someone.else@kommune.invalid", WRONG, token)  # any attempt sweeps
    with database.session() as session:
        assert len(session.scalars(select(LoginCounter)).all()) == 2  # just this attempt's
    for _ in range(5):
        assert (await _guess(client, coordinator.email, WRONG, token)).status_code == 400
    clock.advance(minutes=1)  # the first pause again: 1 minute, not 8
    assert (await _guess(client, coordinator.email, coordinator.password, token)).status_code == 303
