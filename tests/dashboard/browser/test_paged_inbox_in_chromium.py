"""The paged and searchable alert inbox and people list in Chromium on a 390 px phone, under the
dashboard's Content-Security-Policy, with axe-core (issue 20 point 4). Screenshots go to
$SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, expect

from dashboard.alert_inbox import PAGE
from domain.alerts.kinds import AlertKind
from domain.people import create_young_person
from storage.models import Alert
from tests.dashboard.browser.conftest import log_in, look


def _watch_policy(page: Page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("Refused to")
            else None
        ),
    )
    return refused


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"paged-{name}.png")


def _seed(database, clock, coordinator) -> None:
    with database.session() as session:
        for n in range(PAGE + 5):
            person = create_young_person(
                session,
                pseudonym=f"Ung {n:02d}" if n else "Noor Kristensen-Abdullahi",
                birth_year=2008,
                now=clock(),
                coordinator_id=coordinator.id,
            )
            session.add(
                Alert(
                    young_person_id=person.id,
                    kind=AlertKind.CANNOT_COME if n % 2 else AlertKind.WHO5_LOW,
                    urgent=False,
                    created_at=clock() - timedelta(minutes=n),
                    details={"score": 40},
                )
            )


async def test_the_paged_inbox_and_its_search_on_a_phone(page, database, clock, coordinator, shots):
    await page.set_viewport_size({"width": 390, "height": 844})
    refused = _watch_policy(page)
    _seed(database, clock, coordinator)
    await log_in(page, coordinator)
    await page.goto("/alarmer")
    cards = page.locator("ul.inbox > li")
    await expect(cards).to_have_count(PAGE)
    await expect(page.locator("#inbox-count")).to_contain_text("Alarm 1-50 af 55.")
    await _look(page, shots, "1-inbox-page-1")

    await page.get_by_role("link", name="Næste side").click()
    await page.wait_for_url("**/alarmer?side=2")
    await expect(cards).to_have_count(5)
    await expect(page.get_by_text("Side 2 af 2")).to_be_visible()
    await _look(page, shots, "2-inbox-page-2")

    await page.get_by_label("Kaldenavn").fill("noor")
    await page.get_by_label("Slags alarm").select_option(label="Lav trivsel (WHO-5)")
    await page.get_by_role("button", name="Søg").click()
    await page.wait_for_url(re.compile(r".*/alarmer\?q=noor&slags=who5_low$"))
    await expect(cards).to_have_count(1)
    await expect(cards.first).to_contain_text("Noor Kristensen-Abdullahi")
    await _look(page, shots, "3-inbox-search")

    # Taking it from the search comes back to the same search.
    await cards.first.get_by_role("button", name="Jeg tager den").click()
    await page.wait_for_url(re.compile(r".*/alarmer\?q=noor&slags=who5_low#alert-\d+$"))
    await expect(page.locator("#taken-heading")).to_contain_text("(1)")

    await page.goto("/unge")
    await expect(page.locator("#people tbody tr")).to_have_count(PAGE)
    await page.get_by_role("link", name="Næste side").click()
    await expect(page.locator("#people tbody tr")).to_have_count(5)
    await _look(page, shots, "4-people-page-2")
    assert refused == []
