"""Every route, with every role, and with another coordinator's ids.

A coordinator sees only their own young people, an admin everyone, a facilitator no personal
data; what someone may not see is a 404 (not a 403), so its existence is not revealed.
"""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from dashboard.app import ROUTES
from tests.auxil.web import log_in, parse, path_ids

PUBLIC = {"/login", "/adgangskode/{token}", "/logout"}
PUBLIC_PAGES = re.compile(r"^/v(/|$)")  # the anonymous idea page: no login by design
WORKSHOPS = re.compile(r"^/vaerksteder")
# Routes with personal data; everything else (the front page, the key figures) is for everyone.
PERSONAL = re.compile(r"^/(unge|alarmer|revision|personale)")
ADMIN_ONLY = {"/revision", "/revision.{format:str}"}


def _routes() -> list[tuple[str, str]]:
    found = []
    for route in ROUTES:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((route.path, method))
    return found


@pytest.fixture
def owned(database, clock, coordinator):
    """A young person of `coordinator`, with a meeting, an agreement and an alert."""
    return path_ids(database, clock(), coordinator, pseudonym="Privat")


def _url(path: str, ids: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


async def _request(client, method, url, csrf):
    if method == "GET":
        return await client.get(url)
    return await client.post(url, data={"csrf": csrf})


def test_the_walk_covers_every_route():
    paths = {path for path, _ in _routes()}
    assert len(paths) >= 15
    assert "/unge/{person_id:int}/moeder/{meeting_id:int}/aflys" in paths


async def test_without_login_nothing_but_the_public_pages(client, owned):
    for path, method in _routes():
        if path in PUBLIC or PUBLIC_PAGES.match(path):
            continue
        response = await _request(client, method, _url(path, owned), "x")
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", ["other_coordinator", "facilitator"])
async def test_others_get_404_for_every_personal_route(request, client, owned, role):
    staff = request.getfixturevalue(role)
    await log_in(client, staff)
    csrf = parse((await client.get("/rapport")).text).csrf()
    for path, method in _routes():
        if path in PUBLIC or not PERSONAL.match(path):
            continue
        if role == "other_coordinator" and path in {"/unge", "/unge/ny", "/alarmer", "/personale"}:
            continue  # their own (empty) lists and their own absence: checked below
        response = await _request(client, method, _url(path, owned), csrf)
        assert response.status_code == 404, (role, method, path, response.status_code)
        assert "Privat" not in response.text
    if role == "other_coordinator":
        for url in ("/unge", "/alarmer", "/personale"):
            page = await client.get(url)
            assert page.status_code == 200 and "Privat" not in page.text, url
        found = parse((await client.get("/unge?q=Privat")).text).by_id("people")
        assert "Privat" not in found.text


async def test_the_owner_and_an_admin_reach_every_personal_route(request, client, owned):
    for role in ("coordinator", "admin"):
        client.cookies.clear()
        await log_in(client, request.getfixturevalue(role))
        for path, method in _routes():
            if path in PUBLIC or not PERSONAL.match(path) or method != "GET":
                continue
            if path in ADMIN_ONLY and role != "admin":
                continue
            response = await client.get(_url(path, owned))
            assert response.status_code == 200, (role, path, response.status_code)


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator"])
async def test_coordinators_get_404_for_every_workshop_route(request, client, owned, role):
    await log_in(client, request.getfixturevalue(role))
    csrf = parse((await client.get("/rapport")).text).csrf()
    for path, method in _routes():
        if WORKSHOPS.match(path):
            response = await _request(client, method, _url(path, owned), csrf)
            assert response.status_code == 404, (role, method, path, response.status_code)


async def test_facilitators_and_admins_reach_every_workshop_page(request, client, owned):
    for role in ("facilitator", "admin"):
        client.cookies.clear()
        await log_in(client, request.getfixturevalue(role))
        for path, method in _routes():
            if WORKSHOPS.match(path) and method == "GET":
                response = await client.get(_url(path, owned))
                assert response.status_code == 200, (role, path, response.status_code)


async def test_unknown_ids_are_404(client, coordinator, facilitator, owned):
    await log_in(client, coordinator)
    missing: dict[str, object] = dict.fromkeys(owned, 999999)
    missing |= {"format": "pdf", "token": "x", "code": "NOPE99"}
    for path, method in _routes():
        if method != "GET" or "{" not in path or path in PUBLIC:
            continue
        if WORKSHOPS.match(path):
            continue  # checked as a facilitator below
        response = await client.get(_url(path, missing))
        assert response.status_code == 404, path
    client.cookies.clear()
    await log_in(client, facilitator)
    for path, method in _routes():
        if method != "GET" or "{" not in path or not WORKSHOPS.match(path):
            continue
        response = await client.get(_url(path, missing))
        assert response.status_code == 404, path
