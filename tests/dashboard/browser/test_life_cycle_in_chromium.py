"""A young person's course in Chromium, on a desktop and a 390 px phone, with axe-core on every
state and no page wider than the screen: the invitation's nickname warning and its refresh, an
overdue agreement marked done, attendance after a meeting, moving a meeting, pause and resume,
ending with an outcome, erasing. Screenshots go to $SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from core.locale import local
from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.people import create_young_person
from storage.models import MeetingKind, YoungPerson
from tests.dashboard.browser.conftest import log_in, look

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"course-{name}.png")


def _course(database, clock, coordinator) -> tuple[int, int, int, int]:
    """An active young person with an overdue agreement, a meeting that was yesterday and
    one in three days."""
    earlier = clock() - timedelta(days=5)
    with database.session() as session:
        person = create_young_person(
            session, pseudonym="Mille", birth_year=2008, now=earlier, coordinator_id=coordinator.id
        )
        person.status, person.information_version = "active", 1
        session.flush()
        agreement = create_agreement(
            session,
            person.id,
            AgreementDetails(
                goal="Søge job",
                action="Skrive to ansøgninger",
                responsible="Mille",
                deadline=local(earlier).date() + timedelta(days=2),
            ),
            now=earlier,
        )
        past = create_meeting(
            session,
            person.id,
            MeetingDetails(
                kind=MeetingKind.INDIVIDUAL, starts_at=clock() - timedelta(days=1), place="Kontoret"
            ),
            now=earlier,
        )
        ahead = create_meeting(
            session,
            person.id,
            MeetingDetails(
                kind=MeetingKind.INDIVIDUAL, starts_at=clock() + timedelta(days=3), place="Kontoret"
            ),
            now=clock(),
        )
        return person.id, agreement.id, past.id, ahead.id


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_inviting_with_a_full_name_and_refreshing_the_invitation(
    page, database, coordinator, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    await log_in(page, coordinator)
    await page.goto("/unge/ny")
    await page.get_by_label("Kaldenavn eller initialer").fill("Mads Hansen")
    await page.get_by_label("Fødselsår").fill("2008")
    await page.get_by_role("button", name="Lav invitation").click()
    await expect(page.locator("#nickname-warning")).to_contain_text("ligner et fuldt navn")
    await _look(page, shots, f"{width}-1-nickname-warning")
    await page.get_by_label("Kaldenavnet er hverken et CPR-nummer eller et fuldt navn").check()
    await page.get_by_role("button", name="Lav invitation").click()
    await page.wait_for_url("**/invitation")
    await expect(page.locator("#invite-link")).to_be_visible()
    await _look(page, shots, f"{width}-2-invitation")
    await page.reload()
    await expect(page.locator("#invitation-shown")).to_contain_text("vist én gang")
    await _look(page, shots, f"{width}-3-invitation-refreshed")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 1


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_a_week_of_the_course_on_the_person_page(
    page, database, clock, coordinator, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    person, agreement, past, ahead = _course(database, clock, coordinator)
    await log_in(page, coordinator)
    await page.goto(f"/unge/{person}")
    row = page.locator(f"#agreement-{agreement}")
    await expect(row).to_contain_text("Fristen er overskredet")
    await _look(page, shots, f"{width}-4-person")

    await row.get_by_role("button", name="Gennemført", exact=True).click()
    await expect(page.locator("#notice")).to_have_text(
        "Aftalens udfald er gemt. Dens påmindelser er stoppet."
    )
    await expect(row).to_contain_text("registreret af koordinatoren")
    await _look(page, shots, f"{width}-5-agreement-done")

    meeting = page.locator(f"#meeting-{past}")
    await meeting.get_by_label("Kom den unge?").select_option(label="Kom ikke")
    await meeting.get_by_role("button", name="Gem").click()
    await expect(page.locator("#notice")).to_have_text("Gemt, om den unge kom.")
    await expect(page.locator(f"#meeting-{past}")).to_contain_text("Fremmøde: Kom ikke")

    await page.goto(f"/unge/{person}/moeder/{ahead}")
    await expect(page.locator("#change-message")).to_contain_text("én kort besked")
    await _look(page, shots, f"{width}-6-meeting-form")
    await page.locator("#at").fill("15:30")
    await page.get_by_role("button", name="Gem møde").click()
    await expect(page.locator("#notice")).to_have_text(
        "Mødet er gemt. Den unge får en kort besked med det nye tidspunkt og sted."
    )

    await page.get_by_role("button", name="Sæt forløbet på pause").click()
    await expect(page.locator("#notice")).to_contain_text("sat på pause")
    await _look(page, shots, f"{width}-7-paused")
    await page.get_by_role("button", name="Genoptag forløbet").click()
    await expect(page.locator("#notice")).to_contain_text("genoptaget")

    await page.get_by_role("link", name="Afslut forløbet").click()
    await page.get_by_role("radio", name="Andet").check()
    await page.get_by_role("button", name="Afslut forløbet").click()
    await expect(page.locator("#note-error")).to_be_visible()
    await _look(page, shots, f"{width}-8-end-needs-a-note")
    await page.locator("#note").fill("Flyttet til sin far")
    await page.get_by_role("button", name="Afslut forløbet").click()
    await expect(page.locator("#end-outcome")).to_contain_text("Andet")

    await page.get_by_role("link", name="Slet alt om den unge").click()
    await expect(page.locator("#erase-rows")).to_contain_text("Aftaler: 1")
    await page.get_by_role("button", name="Slet for altid").click()
    await expect(page.locator("#confirm-error")).to_be_visible()
    await _look(page, shots, f"{width}-9-erase-confirm")
    await page.get_by_label("Ja, slet alt om Mille").check()
    await page.get_by_role("button", name="Slet for altid").click()
    await page.wait_for_url("**/kvittering")
    await expect(page.locator(".notice")).to_have_text("Alt om Mille er slettet.")
    await _look(page, shots, f"{width}-10-erased")
    with database.session() as session:
        assert session.get(YoungPerson, person) is None
