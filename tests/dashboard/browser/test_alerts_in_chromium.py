"""The care loop in Chromium: the menu's count, the inbox and the alert page, on a desktop and a
390 px phone, with axe-core. Screenshots go to $SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from domain.alerts.kinds import AlertKind
from domain.alerts.raising import raise_alert
from domain.people import create_young_person
from storage.models import Alert, AlertStatus, StaffNotification, StaffUser
from tests.dashboard.browser.conftest import log_in, look

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"{name}.png")


def _alerts(database, clock, coordinator) -> tuple[int, int]:
    with database.session() as session:
        person = create_young_person(
            session, pseudonym="Noor", birth_year=2008, now=clock(), coordinator_id=coordinator.id
        )
        other = create_young_person(
            session, pseudonym="Mads", birth_year=2007, now=clock(), coordinator_id=coordinator.id
        )
        crisis = raise_alert(
            session,
            person.id,
            AlertKind.CRISIS,
            now=clock(),
            urgent=True,
            details={"text": "Jeg orker ikke mere. Det hele er for meget lige nu.", "source": "x"},
        )
        mail = session.scalars(select(StaffNotification)).one()
        mail.attempts, mail.last_error = 3, "SMTP: Connection refused (smtp.kommune.invalid:587)"
        raise_alert(session, other.id, AlertKind.CRISIS_POSSIBLE, now=clock(), urgent=True)
        raise_alert(
            session, other.id, AlertKind.WHO5_DROP, now=clock(), details={"score": 36, "before": 52}
        )
        raise_alert(
            session, person.id, AlertKind.TALK_TOPIC, now=clock(), details={"text": "Min lejlighed"}
        )
        return crisis.id, person.id


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_the_count_the_inbox_and_the_alert_page(
    page, coordinator, database, clock, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    clock.advance(minutes=-20)
    crisis_id, person_id = _alerts(database, clock, coordinator)
    clock.advance(minutes=20)
    await log_in(page, coordinator)
    nav = page.locator("#nav-alerts")
    await expect(nav).to_have_text(re.compile(r"Alarmer\s*\(4 åbne, 2 haster\)"))
    await _look(page, shots, f"{width}-1-people")

    await nav.click()
    card = page.locator(f"#alert-{crisis_id}")
    await expect(card).to_contain_text("Forsøg indtil nu: 3 (alle fejlede)")
    await expect(card.locator(".mails .trouble")).to_contain_text("Obs:")
    await _look(page, shots, f"{width}-2-inbox")

    await card.get_by_role("link", name="Krise-ord").click()
    await page.wait_for_url(f"**/alarmer/{crisis_id}")
    await expect(page.locator("#words")).to_be_visible()
    await expect(page.locator(".words blockquote")).to_contain_text("Jeg orker ikke mere")
    await _look(page, shots, f"{width}-3-alert")

    await page.get_by_role("button", name="Jeg tager den").click()
    await page.wait_for_url(f"**/alarmer/{crisis_id}")
    await expect(page.locator("#alert-status")).to_have_text("Taget af Sara Holm kl. 14.00.")
    await expect(page.locator("#nav-alerts")).to_have_text(re.compile(r"\(3 åbne, 1 haster\)"))
    await page.get_by_role("button", name="Markér som løst").click()  # no note yet
    await expect(page.locator(f"#note-{crisis_id}-error")).to_be_visible()
    await _look(page, shots, f"{width}-4-alert-error")
    await page.get_by_label("Hvad har du gjort?").fill("Ringet til Noor. Vi ses i morgen kl. 10.")
    await page.get_by_role("button", name="Markér som løst").click()
    await expect(page.locator("#alert-status")).to_have_text("Løst af Sara Holm kl. 14.00.")
    await _look(page, shots, f"{width}-5-alert-resolved")
    with database.session() as session:
        alert = session.get(Alert, crisis_id)
        assert alert.status == AlertStatus.RESOLVED
        assert alert.young_person_id == person_id


async def test_staff_and_absence_pages(
    page, admin, coordinator, other_coordinator, database, shots
):
    await page.set_viewport_size({"width": 390, "height": 844})
    await log_in(page, admin)
    await page.get_by_role("link", name="Personale og vagt").click()
    await _look(page, shots, "phone-6-staff")
    row = page.locator(f"#staff-{coordinator.id}")
    await row.get_by_label("Fraværende (ferie, sygdom, kursus)").check()
    await row.get_by_label("Stedfortræder under fravær").select_option(label="Jonas Berg")
    await row.get_by_role("button", name="Gem").click()
    await expect(page.locator(f"#staff-{coordinator.id}")).to_contain_text(
        "Alarmerne går til Jonas Berg."
    )
    await _look(page, shots, "phone-7-staff-saved")
    with database.session() as session:
        saved = session.get(StaffUser, coordinator.id)
        assert (saved.absent, saved.stand_in_id) == (True, other_coordinator.id)
