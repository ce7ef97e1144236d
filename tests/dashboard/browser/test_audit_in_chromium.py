"""The audit log's filters and its download in Chromium, on a desktop and a 390 px phone, with
axe-core on every state. Screenshots go to $SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from domain.people import create_young_person
from storage.models import AuditEvent
from tests.dashboard.browser.conftest import log_in, look

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"audit-{name}.png")


def _log(database, clock, coordinator, other_coordinator) -> tuple[int, int]:
    """Two young people, and lines about them by two coordinators over the last hour."""
    with database.session() as session:
        mille = create_young_person(
            session, pseudonym="Mille", birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id
        ali = create_young_person(
            session, pseudonym="Ali", birth_year=2007, now=clock(), coordinator_id=coordinator.id
        ).id
        lines = [
            (coordinator.id, "view_person", mille, ""),
            (coordinator.id, "plan_meeting", mille, "3"),
            (coordinator.id, "view_person", ali, ""),
            (other_coordinator.id, "refused", mille, f"GET /unge/{mille}"),
        ]
        for minutes, (staff, action, person, detail) in enumerate(lines):
            session.add(
                AuditEvent(
                    at=clock() - timedelta(minutes=60 - minutes),
                    staff_user_id=staff,
                    action=action,
                    young_person_ref=person,
                    detail=detail,
                )
            )
    return mille, ali


def _rows(page: Page):
    return page.locator("#audit tbody tr")


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_filtering_the_audit_log_and_downloading_it(
    page, database, clock, coordinator, other_coordinator, admin, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    mille, _ali = _log(database, clock, coordinator, other_coordinator)
    await log_in(page, admin)
    await page.goto("/revision")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Adgangslog")
    await _look(page, shots, f"{width}-1-everything")

    await page.get_by_label("Ung nr.").fill(str(mille))
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_url(f"**/revision?ung={mille}&personale=")
    await expect(page.locator("#audit-count")).to_contain_text("Antal linjer: 3.")
    await expect(_rows(page)).to_have_count(3)
    await expect(_rows(page).first).to_contain_text("Jonas Berg")
    await expect(_rows(page).first).to_contain_text("Fik afvist en side")
    await _look(page, shots, f"{width}-2-one-young-person")

    await page.get_by_label("Medarbejder").select_option(label="Sara Holm")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_url(f"**/revision?ung={mille}&personale={coordinator.id}")
    await expect(_rows(page)).to_have_count(2)
    for row in await _rows(page).all():
        await expect(row).to_contain_text("Sara Holm")
    await expect(page.get_by_label("Medarbejder")).to_have_value(str(coordinator.id))
    await _look(page, shots, f"{width}-3-and-one-staff-member")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent CSV").click()
    download = await waiting.value
    assert download.suggested_filename == "adgangslog_2026-11-24.csv"
    text = (await download.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Hvornår;Medarbejder nr.;Hvem;Hvad;Detaljer;Ung nr."
    assert len(text.splitlines()) == 3
    assert "Mille" not in text

    await page.get_by_label("Ung nr.").fill("Mille")
    await page.get_by_role("button", name="Vis").click()
    message = page.locator("#ung-error")
    await expect(message).to_have_text("Skriv den unges nummer med tal, for eksempel 12.")
    await expect(page.get_by_label("Ung nr.")).to_have_value("Mille")  # kept as typed
    await expect(page.get_by_label("Ung nr.")).to_have_attribute("aria-invalid", "true")
    await _look(page, shots, f"{width}-4-a-name-instead-of-a-number")

    await page.get_by_role("link", name="Vis hele loggen").click()
    await page.wait_for_url("**/revision")
    await expect(_rows(page)).not_to_have_count(0)
