"""Staff accounts in headless Chromium: an admin makes a new password link, the person chooses a
password on the link's page (a common one is refused in Danish), logs out; axe-core on each page."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.dashboard.browser.conftest import axe_violations, log_in


async def _accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], page.url


async def test_a_new_password_link_from_the_staff_page(page, browser, server, admin, coordinator):
    await log_in(page, admin)
    await page.goto("/personale")
    await _accessible(page)
    sara = page.locator(f"#staff-{coordinator.id}")
    await sara.get_by_role("button", name="Nyt link til adgangskode").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nyt link til adgangskode for Sara Holm"
    )
    await _accessible(page)
    link = await page.locator("#setup-link").get_attribute("href")
    assert link is not None

    context = await browser.new_context(base_url=server, locale="da-DK")
    own = await context.new_page()
    await own.goto(link)
    await _accessible(own)
    await own.get_by_label("Ny adgangskode (mindst 12 tegn)").fill("password1234")
    await own.get_by_label("Den samme adgangskode igen").fill("password1234")
    await own.get_by_role("button", name="Gem og log ind").click()
    await expect(own.locator("#setup-error")).to_contain_text("Adgangskoden er for nem at gætte.")
    await _accessible(own)
    await own.get_by_label("Ny adgangskode (mindst 12 tegn)").fill("blå-cykel-under-æbletræet")
    await own.get_by_label("Den samme adgangskode igen").fill("blå-cykel-under-æbletræet")
    await own.get_by_role("button", name="Gem og log ind").click()
    await own.wait_for_url("**/unge")
    await own.get_by_role("button", name="Log ud").click()
    await own.wait_for_url("**/login")
    await own.goto("/unge")
    await own.wait_for_url("**/login?next=/unge")
    await context.close()

    await page.goto("/personale")
    closing = page.locator(f"#staff-{coordinator.id}")
    await closing.get_by_role("button", name="Luk kontoen").click()
    await expect(page.locator(f"#account-{coordinator.id}-state")).to_contain_text("Lukket siden")
    await _accessible(page)
