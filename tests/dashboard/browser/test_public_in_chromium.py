"""The public idea page in headless Chromium on a phone-sized screen: hostile ideas stay inert
text, and every public page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect

from dashboard.public_limits import IDEAS_PER_DEVICE, PublicLimits, idea_limits
from domain.workshops import create_workshop
from tests.dashboard.browser.conftest import axe_violations

PHONE = {"width": 375, "height": 740}
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)> og window.hacked",
    '<a href="javascript:alert(1)">klik her</a>',
    '"><svg onload="window.hacked=1"> javascript:alert(1)',
]


async def _accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], page.url


def _workshop(database, clock) -> str:
    with database.session() as session:
        return create_workshop(
            session,
            title="Ungeværksted <b>i</b> Nordby",
            question="Hvad mangler der for unge?",
            themes=["Fællesskab", "Bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=None,
            now=clock(),
        ).code


async def _send(page: Page, code: str, idea: str) -> None:
    await page.goto(f"/v/{code}")
    await page.get_by_label("Bolig").check()
    await page.get_by_label("Din idé").fill(idea)
    await page.get_by_role("button", name="Send idé").click()


async def test_hostile_ideas_stay_inert_text_and_the_pages_pass_axe(page, database, clock):
    await page.set_viewport_size(PHONE)
    code = _workshop(database, clock)

    await page.goto("/v")
    await _accessible(page)
    await page.get_by_label("Værkstedets kode").fill(code.lower())
    await page.get_by_role("button", name="Gå til værkstedet").click()
    await page.wait_for_url(f"**/v/{code}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ungeværksted <b>i</b> Nordby")
    await expect(
        page.get_by_text("Idéerne bliver vist her, når der er kommet mindst 3.")
    ).to_be_visible()
    send = page.get_by_role("button", name="Send idé")
    box = await send.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb can hit it
    await _accessible(page)

    await page.get_by_role("button", name="Send idé").click()  # empty, and no theme chosen
    await expect(page.locator("#idea-error")).to_have_text("Skriv din idé først.")
    await expect(page.locator("#theme-error")).to_have_text("Vælg et tema, eller »Andet«.")
    await _accessible(page)

    for payload in PAYLOADS:
        await _send(page, code, payload)
        await expect(page.get_by_role("heading", name="Tak for din idé!")).to_be_visible()
    await expect(page.get_by_text("Vi gemmer ikke dit navn")).to_be_visible()
    await _accessible(page)

    await page.get_by_role("link", name="Tilbage til idéerne").click()
    ideas = page.locator(".public-idea-text")
    await expect(ideas).to_have_count(len(PAYLOADS))
    assert sorted(await ideas.all_inner_texts()) == sorted(PAYLOADS)
    main = page.locator("main")
    assert await main.locator("script, img, svg, .public-idea a").count() == 0
    assert await page.evaluate("window.hacked === undefined")
    await _accessible(page)

    first = page.locator(".public-idea").first
    await first.get_by_role("button", name="Stem").click()
    await expect(first).to_contain_text("Du har stemt")
    await expect(first).to_contain_text("Stemmer: 1")
    await _accessible(page)

    await page.goto("/v/UKENDT")
    await expect(
        page.get_by_text("Vi kender ikke den kode. Tjek den, og prøv igen.")
    ).to_be_visible()
    await _accessible(page)

    assert page.dialogs == []


SMALL_PHONE = {"width": 390, "height": 844}


async def test_the_limit_messages_are_kind_and_true_on_a_phone(
    browser, server, web, database, clock, shots
):
    """Two phones on one wi-fi whose ceiling is 5 ideas: the one that sent 5 is told it sent
    many; the one that sent nothing is told many ideas are coming in. Both keep their text."""
    web.state.public_limits = PublicLimits(ideas=idea_limits(network=IDEAS_PER_DEVICE))
    code = _workshop(database, clock)
    phones = [await browser.new_context(base_url=server, locale="da-DK") for _ in range(2)]
    try:
        busy, quiet = [await phone.new_page() for phone in phones]
        for page in (busy, quiet):
            await page.set_viewport_size(SMALL_PHONE)
        for n in range(IDEAS_PER_DEVICE):
            await _send(busy, code, f"Idé nummer {n + 1}")
            await expect(busy.get_by_role("heading", name="Tak for din idé!")).to_be_visible()
        for page, name, told in (
            (busy, "own", "Du har sendt mange idéer på kort tid. Vent lidt, og prøv igen."),
            (quiet, "shared", "Der bliver sendt mange idéer lige nu. Vent lidt, og prøv igen."),
        ):
            await _send(page, code, "En skaterbane ved havnen")
            alert = page.get_by_role("alert")
            await expect(alert).to_have_text(
                f"{told} Din idé er ikke sendt endnu. Den står stadig i feltet herunder."
            )
            await expect(alert).to_be_in_viewport()
            await expect(page.get_by_label("Din idé")).to_have_value("En skaterbane ved havnen")
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= SMALL_PHONE["width"]  # nothing to scroll sideways
            await page.screenshot(path=shots / f"public_limit_{name}_390.png")
            await _accessible(page)
        await expect(quiet.get_by_text("Du har sendt mange idéer")).to_have_count(0)
    finally:
        for phone in phones:
            await phone.close()
