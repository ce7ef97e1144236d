"""The offers pages in headless Chromium under the CSP, on a desktop and a 390 px phone, with
axe-core on every state: an admin adds and retires an offer, a coordinator records one for a young
person, ends it, and gets a Danish message for an end before the start. Screenshots go to
$SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from domain.people import create_young_person
from tests.dashboard.browser.conftest import log_in, look

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"offers-{name}.png")


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_keeping_the_list_and_recording_an_offer(
    page, database, clock, admin, coordinator, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    with database.session() as session:
        person = create_young_person(
            session, pseudonym="Mille", birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id
    await log_in(page, admin)
    await page.goto("/tilbud")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tilbud")
    await _look(page, shots, f"{width}-1-list")
    await page.get_by_label("Tilbuddets navn").fill("Jobcoach")
    await page.get_by_role("button", name="Tilføj", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("Jobcoach er på listen.")
    await page.get_by_role("button", name="Tag STU ud af brug").click()
    await expect(page.get_by_role("status")).to_contain_text("STU er taget ud af brug")
    await page.get_by_label("Tilbuddets navn").fill("mentor")
    await page.get_by_role("button", name="Tilføj", exact=True).click()
    await expect(page.locator("#name-error")).to_have_text(
        "Der er allerede et tilbud med det navn."
    )
    await _look(page, shots, f"{width}-2-list-error")

    await log_in(page, coordinator)
    await page.goto(f"/unge/{person}/tilbud")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Tilbud til Mille")
    options = await page.get_by_label("Tilbud", exact=True).locator("option").all_inner_texts()
    assert "Jobcoach" in options
    assert "STU" not in options  # retired
    await _look(page, shots, f"{width}-3-person-empty")
    await page.get_by_label("Tilbud", exact=True).select_option(label="Jobcoach")
    await page.locator("#starts_on").fill("2026-09-01")
    await page.get_by_role("button", name="Notér tilbuddet").click()
    await expect(page.get_by_role("status")).to_have_text("Jobcoach er noteret.")
    await expect(page.get_by_role("row", name="Jobcoach")).to_contain_text(
        "Fra 1. sep. 2026, løber stadig"
    )
    row = page.get_by_role("row", name="Jobcoach")
    await row.get_by_label("Slutdag (tom: løber stadig)").fill("2026-08-01")
    await row.get_by_role("button", name="Gem dagene for Jobcoach").click()
    await expect(page.get_by_text("Slutdagen kan ikke ligge før startdagen.")).to_be_visible()
    await _look(page, shots, f"{width}-4-person-error")
    row = page.get_by_role("row", name="Jobcoach")
    await row.get_by_label("Slutdag (tom: løber stadig)").fill("2026-11-20")
    await row.get_by_role("button", name="Gem dagene for Jobcoach").click()
    await expect(page.get_by_role("status")).to_have_text("Dagene er gemt.")
    await expect(page.get_by_role("row", name="Jobcoach")).to_contain_text(
        "1. sep. 2026 til 20. nov. 2026"
    )
    await _look(page, shots, f"{width}-5-person-ended")
