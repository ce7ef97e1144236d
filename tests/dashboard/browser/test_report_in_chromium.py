"""The key-figure report's period list in headless Chromium, with axe-core on every state."""

from __future__ import annotations

from playwright.async_api import expect

from tests.auxil.keyfigures_fixture import store_known_data
from tests.dashboard.browser.conftest import axe_violations, log_in


async def test_choosing_a_quarter_or_a_half_year_from_the_list(page, database):
    known = store_known_data(database)
    await log_in(page, known.coordinator)
    await page.goto("/rapport")
    period = page.get_by_label("Periode")
    await period.select_option(label="2. kvartal 2026")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_url("**/rapport?periode=2026-K2")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nøgletal, 2. kvartal 2026")
    await expect(page.get_by_text("Et kvartal viser kun antal.")).to_be_visible()
    await expect(page.get_by_role("row", name="Møder afholdt 5")).to_be_visible()
    assert await page.get_by_text("Første måling, gennemsnit").count() == 0
    assert await axe_violations(page) == []

    await page.get_by_label("Periode").select_option(label="1. halvår 2026")
    await page.get_by_role("button", name="Vis").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nøgletal, 1. halvår 2026")
    await expect(page.get_by_role("row", name="Første måling, gennemsnit 50,7")).to_be_visible()
    href = await page.get_by_role("link", name="Hent CSV").get_attribute("href")
    assert href == "/rapport.csv?periode=2026-H1"
    assert await axe_violations(page) == []


async def test_a_period_that_is_not_offered_shows_the_list_and_a_message(page, database):
    known = store_known_data(database)
    await log_in(page, known.coordinator)
    answer = await page.goto("/rapport?fra=0001-01-01&til=9999-12-31")
    assert answer is not None
    assert answer.status == 400
    message = page.locator("#periode-error")
    await expect(message).to_have_text(
        "Der er kun nøgletal for hele kvartaler og halvår, fra en uge efter de er slut. "
        "Vælg en periode på listen."
    )
    await expect(page.get_by_label("Periode")).to_have_value("2026-H1")
    assert await axe_violations(page) == []
