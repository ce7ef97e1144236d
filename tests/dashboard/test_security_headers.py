"""Every answer of every route carries the security headers, for every role, also on the bot's
port; and no template holds what the Content-Security-Policy forbids (inline script or style)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from starlette.routing import Mount, Route

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import Connection
from bot.channels.telegram.webhook import WEBHOOK_PATH, webhook_app
from dashboard.app import ROUTES
from testing.fake_bot_api import TOKEN
from tests.auxil.web import log_in, parse, path_ids

TEMPLATES = Path(__file__).parents[2] / "dashboard" / "templates"
EXPECTED = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _routes() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in ROUTES:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        found.extend((route.path, m) for m in sorted(route.methods or {"GET"}) if m != "HEAD")
    return found


def _url(path: str, ids: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


def assert_protected(response: httpx.Response, *, cached: bool = False) -> None:
    where = (response.request.method, response.request.url.path, response.status_code)
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (*where, name)
    if cached:
        assert "cache-control" not in response.headers, where
    else:
        assert response.headers.get("cache-control") == "no-store", where


@pytest.fixture
def ids(database, clock, coordinator):
    return path_ids(database, clock(), coordinator, pseudonym="H")


@pytest.mark.parametrize("role", [None, "admin", "coordinator", "facilitator"])
async def test_every_route_answers_with_the_headers(request, client, ids, role):
    csrf = "x"
    if role is not None:
        await log_in(client, request.getfixturevalue(role))
        csrf = parse((await client.get("/rapport")).text).csrf()
    statuses = set()
    for path, method in _routes():
        if path == "/logout":
            continue  # would end the session the walk needs; checked last
        url = _url(path, ids)
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={"csrf": csrf})
        assert_protected(response)
        statuses.add(response.status_code)
    assert_protected(await client.post("/logout", data={"csrf": csrf}))
    assert_protected(await client.get("/findes/ikke"))
    assert 200 in statuses or role is None  # the walk reached real pages, not only errors


async def test_own_files_may_be_cached_but_keep_the_other_headers(client):
    for name in ("enhance.js", "style.css"):
        response = await client.get(f"/static/{name}")
        assert response.status_code == 200
        assert_protected(response, cached=True)


async def test_the_headers_hold_on_the_bots_port_too(service, web, coordinator):
    # The webhook server of `ungeguide run` mounts the dashboard on every other path.
    connection = Connection(token=TOKEN, base_url="http://127.0.0.1:9/bot")
    channel = TelegramChannel(service, service.content, connection)
    app = webhook_app(channel, secret="s3cret", public_url=None, dashboard=web)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        assert_protected(await client.get("/login"))
        await log_in(client, coordinator)
        assert_protected(await client.get("/unge"))
        assert_protected(await client.get("/findes/ikke"))
        assert_protected(await client.get("/static/enhance.js"), cached=True)
        refused = await client.post(WEBHOOK_PATH, json={}, headers={"x-x": "y"})
        assert refused.status_code == 403  # the webhook itself still answers only Telegram


class _InlineFinder(HTMLParser):
    """Inline script and style, which the policy blocks: <script> without src, <style>,
    style="..." and on...="..." attributes, and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found.extend(f"{name}=" for name in names if name == "style" or name.startswith("on"))
        for name, value in attrs:
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f"{name}=javascript:")


def test_no_template_holds_inline_script_or_style():
    checked = 0
    for template in sorted(TEMPLATES.glob("*.html")):
        finder = _InlineFinder()
        finder.feed(template.read_text(encoding="utf-8"))
        assert finder.found == [], template.name
        checked += 1
    assert checked >= 25
