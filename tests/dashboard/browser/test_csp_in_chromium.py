"""Every page under the Content-Security-Policy in headless Chromium: the browser refuses
nothing (no `securitypolicyviolation` event, no "Refused to ..." in the console) for any role or
the public, and what enhance.js does still works (the people filter, the confirm before
cancelling, the projector fetching new ideas)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from starlette.routing import Mount, Route

from dashboard.app import ROUTES
from domain import workshops
from storage.models import Workshop
from tests.auxil.web import person_with_plans
from tests.dashboard.browser.conftest import log_in

LANDING = {"admin": "**/unge", "coordinator": "**/unge", "facilitator": "**/vaerksteder"}
DOWNLOADS = re.compile(r"\.\{format")  # exports: a file, not a page
# Runs before any script of the page, through the DevTools protocol (the policy does not apply).
WATCH = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__refused.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _pages() -> list[str]:
    found = []
    for route in ROUTES:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        if "GET" in (route.methods or ()) and not DOWNLOADS.search(route.path):
            found.append(route.path)
    return found


@pytest.fixture
def ids(database, clock, coordinator) -> dict[str, object]:
    found: dict[str, object] = {**person_with_plans(database, clock(), coordinator, pseudonym="Li")}
    with database.session() as session:
        workshop = workshops.create_workshop(
            session,
            title="Ungeværksted",
            question="Hvad mangler der?",
            themes=["bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(days=1),
            created_by=None,
            now=clock(),
        )
        workshops.add_idea(session, workshop, theme="bolig", text="Et værested", now=clock())
        return found | {"workshop_id": workshop.id, "code": workshop.code, "token": "forkert"}


class Watched:
    """A browser tab whose refusals under the policy are collected, from both sources."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message: object) -> None:
        text = getattr(message, "text", "")
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(text)

    async def refused(self) -> list[str]:
        events: list[str] = await self.page.evaluate("window.__refused || []")
        return events + self.console

    async def visit(self, url: str) -> None:
        response = await self.page.goto(url)
        assert response is not None, url
        assert "content-security-policy" in response.headers, url
        await self.page.wait_for_load_state("load")
        assert await self.refused() == [], url


@pytest.fixture
async def context(browser: Browser, server: str) -> AsyncIterator[BrowserContext]:
    opened = await browser.new_context(base_url=server, locale="da-DK")  # no bypass_csp
    await opened.add_init_script(script=WATCH)
    yield opened
    await opened.close()


async def _tab(context: BrowserContext) -> Watched:
    return Watched(await context.new_page())


def _url(path: str, ids: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


@pytest.mark.parametrize("role", ["admin", "coordinator", "facilitator"])
async def test_no_staff_page_breaks_the_policy(request, context, ids, role):
    tab = await _tab(context)
    await tab.visit("/login")
    await log_in(tab.page, request.getfixturevalue(role), landing=LANDING[role])
    assert await tab.refused() == []
    visited = 0
    for path in _pages():
        await tab.visit(_url(path, ids))
        visited += 1
    assert visited >= 20


async def test_the_public_pages_keep_the_policy(context, ids):
    tab = await _tab(context)
    await tab.visit("/v")
    await tab.page.locator("#kode").fill(str(ids["code"]))
    await tab.page.locator("form.public-form button[type=submit]").click()
    await tab.page.wait_for_url(f"**/v/{ids['code']}")
    assert await tab.refused() == []
    await tab.page.locator("input[name=theme]").first.check()
    await tab.page.locator("#idea").fill("Flere bænke i parken")
    await tab.page.locator("form.public-form button[type=submit]").click()
    await tab.page.wait_for_load_state("load")
    assert "/v/" in tab.page.url
    assert await tab.refused() == []
    await tab.visit("/adgangskode/forkert")


async def test_the_people_filter_and_the_confirm_still_work(context, ids, coordinator):
    tab = await _tab(context)
    await tab.visit("/login")
    await log_in(tab.page, coordinator)
    await tab.page.locator("input[data-filter]").fill("ingen-hedder-sådan")
    await expect(tab.page.locator("tbody tr[data-name]").first).to_be_hidden()
    await tab.page.locator("input[data-filter]").fill("li")
    await expect(tab.page.locator("tbody tr[data-name]").first).to_be_visible()

    await tab.visit(f"/unge/{ids['person_id']}")
    asked: list[str] = []

    async def answer(dialog):  # "no" to the confirm: nothing is cancelled
        asked.append(dialog.message)
        await dialog.dismiss()

    tab.page.on("dialog", answer)
    await tab.page.get_by_role("button", name="Aflys møde").click()
    assert len(asked) == 1
    await expect(tab.page).to_have_url(re.compile(rf"/unge/{ids['person_id']}$"))
    assert await tab.refused() == []


async def test_the_projector_still_fetches_new_ideas(context, ids, facilitator, database, clock):
    tab = await _tab(context)
    await tab.visit("/login")
    await log_in(tab.page, facilitator, landing=LANDING["facilitator"])
    await tab.visit(f"/vaerksteder/{ids['workshop_id']}/projektor")
    await expect(tab.page.locator("li", has_text="Et værested")).to_have_count(0)
    with database.session() as session:
        workshop = session.get(Workshop, ids["workshop_id"])
        for text in ("Et ungehus", "Gratis fitness"):
            workshops.add_idea(session, workshop, theme="bolig", text=text, now=clock())
    # The third idea lifts the threshold; enhance.js fetches the board every 5 seconds.
    await expect(tab.page.locator("li", has_text="Et ungehus")).to_have_count(1, timeout=12_000)
    assert await tab.refused() == []
