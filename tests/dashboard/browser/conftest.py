"""The real dashboard over HTTP in headless Chromium (Debian's, driven by Playwright).

The browser tests run on PostgreSQL, the production database; the in-process page tests cover
SQLite as well.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright
from starlette.applications import Starlette

from storage import Database
from testing.local_server import LocalServer
from tests.auxil.web import Staff
from tests.conftest import _empty


@cache
def _axe_source() -> str:
    """axe-core's minified script (MPL-2.0, notice at its top), as shipped in the PyPI package
    axe-playwright-python (a test extra), so no npm is needed."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def _chromium() -> str:
    # The test command (scripts/test.py) installs Debian's chromium when it is missing; a missing
    # browser is a failure, never a skip.
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed (python3 scripts/test.py installs it)"
    return found


@pytest.fixture
def database_url(postgres_migrated: str) -> str:
    database = Database(postgres_migrated)
    _empty(database)
    database.dispose()
    return postgres_migrated


@pytest.fixture
def server(web: Starlette) -> Iterator[str]:
    served = LocalServer(web, "dashboard")
    served.start()
    yield f"http://127.0.0.1:{served.port}"
    served.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, server: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=server, locale="da-DK", accept_downloads=True)
    opened = await context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: dialogs.append(dialog.message))
    opened.dialogs = dialogs  # type: ignore[attr-defined]
    yield opened
    await context.close()


async def log_in(page: Page, staff: Staff, *, landing: str = "**/unge") -> None:
    await page.goto("/login")
    await page.get_by_label("E-mail").fill(staff.email)
    await page.get_by_label("Adgangskode").fill(staff.password)
    await page.get_by_role("button", name="Log ind").click()
    await page.wait_for_url(landing)


SERIOUS = ("serious", "critical")


async def axe_violations(page: Page) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the page as it is now."""
    # Evaluated through the DevTools protocol: a <script> tag would be an inline script, which
    # the dashboard's Content-Security-Policy refuses (dashboard/security_headers.py).
    await page.evaluate(_axe_source())
    found: list[dict[str, object]] = await page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [violation for violation in found if violation["impact"] in SERIOUS]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $SCREENSHOTS to look at them, else the test's own folder."""
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def look(page: Page, shot: Path) -> None:
    """Keep a screenshot, and fail on an axe violation or a page wider than the window."""
    await page.screenshot(path=shot, full_page=True)
    violations = await axe_violations(page)
    assert violations == [], (page.url, violations)
    wide = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, page.url
