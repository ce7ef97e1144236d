"""The facilitator's tools of issue 18 point 7 in Chromium, under the dashboard's strict
Content-Security-Policy, at desktop width and at 390 px, with axe: the projector's QR code and
join code, undoing a merge, the close-the-loop preview, and the public page's theme choice and
outcome message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, ViewportSize, expect
from sqlalchemy import select

from domain import workshops
from domain.people import create_young_person
from storage.models import Idea, PersonStatus
from tests.dashboard.browser.conftest import axe_violations, log_in

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
IDEAS = ["Billige boliger", "billige boliger!!", "Et ungehus", "En skaterbane", "Gratis bus"]


def _refusals(page: Page) -> list[str]:
    """What the browser refused under the Content-Security-Policy, as it logs it."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


async def _fits(page: Page, size: ViewportSize, shot: Path) -> None:
    await page.set_viewport_size(size)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], page.url  # nothing to scroll sideways
    await page.screenshot(path=shot, full_page=True)
    assert await axe_violations(page) == [], page.url


def _workshop(database, clock, facilitator) -> tuple[int, str, list[int]]:
    with database.session() as session:
        people = [
            create_young_person(session, pseudonym=f"P{n}", birth_year=2008, now=clock())
            for n in range(2)
        ]
        for person in people:
            person.status = PersonStatus.ACTIVE
        made = workshops.create_workshop(
            session,
            title="Godt ungeliv i Nordby",
            question="Hvad skal der til for et godt ungeliv?",
            themes=["Bolig", "Fællesskab"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=facilitator.id,
            now=clock(),
        )
        ids = [
            workshops.add_idea(
                session, made, theme="Bolig", text=text, now=clock(), follower=people[n % 2].id
            ).id
            for n, text in enumerate(IDEAS)
        ]
        return made.id, made.code, ids


async def test_projector_merge_undo_and_close_the_loop(page, facilitator, database, clock, shots):
    refused = _refusals(page)
    workshop_id, code, ids = _workshop(database, clock, facilitator)
    await log_in(page, facilitator, landing="**/vaerksteder")
    board = f"/vaerksteder/{workshop_id}"

    await page.goto(f"{board}/projektor")
    qr = page.get_by_role("img", name="QR-kode til idé-siden")
    await expect(qr).to_be_visible()
    await expect(page.locator("#join-code")).to_have_text(code)
    box = await qr.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 300  # readable far off
    await _fits(page, DESKTOP, shots / "projector_desktop.png")
    await _fits(page, PHONE, shots / "projector_390.png")

    await page.set_viewport_size(DESKTOP)
    await page.goto(board)
    duplicate = page.locator(f"#idea-{ids[1]}")
    await duplicate.get_by_text("Behandl idé").click()
    await duplicate.get_by_label("Slå sammen med (dubletter)").select_option(str(ids[0]))
    await duplicate.get_by_role("button", name="Slå sammen").click()
    await expect(page.locator("#notice")).to_contain_text("Idéerne er slået sammen.")
    await expect(page.locator("p.idea-text", has_text="billige boliger!!")).to_have_count(0)
    undo = page.get_by_role("button", name="Fortryd sammenlægning")
    await expect(undo).to_have_count(1)
    await _fits(page, DESKTOP, shots / "board_merged_desktop.png")
    await _fits(page, PHONE, shots / "board_merged_390.png")
    await undo.click()
    await expect(page.locator("#notice")).to_have_text(
        "Sammenlægningen er fortrudt: idéen står for sig selv igen."
    )
    await expect(page.locator("p.idea-text", has_text="billige boliger!!")).to_have_count(1)

    first = page.locator(f"#idea-{ids[0]}")
    await first.get_by_text("Behandl idé").click()
    await first.get_by_label("Hvad skete der med den").select_option("taken_forward")
    await first.get_by_label("Kort note").fill("Med i boligplanen")
    await first.get_by_role("button", name="Gem").click()
    await page.get_by_role("link", name="Se beskeden, og hvem der får den").click()
    await expect(page.locator("#recipients")).to_have_text(
        "Unge, der sendte idéer gennem botten og får beskeden fra den: 2."
    )
    await expect(page.locator("#outcome-preview")).to_contain_text(
        "Billige boliger – Med i boligplanen"
    )
    await _fits(page, DESKTOP, shots / "outcome_preview_desktop.png")
    await _fits(page, PHONE, shots / "outcome_preview_390.png")
    await page.get_by_role("button", name="Send beskeden").click()
    await expect(page.locator("#notice")).to_have_text(
        "Beskeden er på vej. Unge, der får den fra botten: 2."
    )

    clock.advance(hours=3)  # the workshop closes: its public page tells what happened
    await page.goto(f"/v/{code}")
    await expect(page.locator("#outcome")).to_contain_text("Billige boliger – Med i boligplanen")
    await _fits(page, PHONE, shots / "public_closed_outcome_390.png")
    assert refused == []
    assert page.dialogs == []


async def test_the_public_page_asks_for_a_theme_and_keeps_the_idea(
    page, facilitator, database, clock, shots
):
    refused = _refusals(page)
    with database.session() as session:
        code = workshops.create_workshop(
            session,
            title="Godt ungeliv",
            question="Hvad mangler du?",
            themes=["Bolig", "Fællesskab"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=None,
            now=clock(),
        ).code
    await page.set_viewport_size(PHONE)
    await page.goto(f"/v/{code}")
    for name in ("Bolig", "Fællesskab", "Andet"):
        await expect(page.get_by_label(name, exact=True)).not_to_be_checked()
    await page.get_by_label("Din idé").fill("En cykelsti til skolen")
    await page.get_by_role("button", name="Send idé").click()
    await expect(page.locator("#theme-error")).to_have_text("Vælg et tema, eller »Andet«.")
    await expect(page.get_by_label("Din idé")).to_have_value("En cykelsti til skolen")
    await _fits(page, PHONE, shots / "public_theme_missing_390.png")
    await _fits(page, DESKTOP, shots / "public_theme_missing_desktop.png")
    await page.get_by_label("Andet", exact=True).check()
    await page.get_by_role("button", name="Send idé").click()
    await expect(page.get_by_role("heading", name="Tak for din idé!")).to_be_visible()
    with database.session() as session:
        stored = [(idea.theme, idea.text) for idea in session.scalars(select(Idea))]
    assert stored == [("Andet", "En cykelsti til skolen")]
    assert refused == []
