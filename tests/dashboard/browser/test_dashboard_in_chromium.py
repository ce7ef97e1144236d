"""The coordinator's main paths in headless Chromium, with axe-core on every page."""

from __future__ import annotations

import csv
import io
import re

from playwright.async_api import Page, expect
from sqlalchemy import select

from bot.service import ConversationService
from storage.models import Alert, Meeting, Reminder, ReminderStatus, YoungPerson
from tests.auxil.web import who5_through_the_engine
from tests.dashboard.browser.conftest import axe_violations, log_in

LOW_ANSWERS = [
    "Lidt af tiden",
    "På intet tidspunkt",
    "Lidt af tiden",
    "Lidt af tiden",
    "Lidt mindre end halvdelen af tiden",
]


async def _accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], page.url


async def test_invite_then_a_who5_through_the_engine_shows_the_chart_and_the_alert(
    page, coordinator, database, content, clock
):
    await page.goto("/login")
    await _accessible(page)
    await log_in(page, coordinator)
    await page.get_by_role("link", name="Invitér", exact=True).click()
    await _accessible(page)
    await page.get_by_label("Kaldenavn eller initialer").fill("Noor")
    await page.get_by_label("Fødselsår").fill("2009")
    await page.get_by_role("button", name="Lav invitation").click()
    link = await page.locator("#invite-link").get_attribute("href")
    assert link and "start=" in link
    await expect(page.locator(".qr svg")).to_be_visible()
    await _accessible(page)

    service = ConversationService(database, content, clock=clock)
    who5_through_the_engine(service, 6161, link.split("start=")[1], LOW_ANSWERS)

    await page.goto("/unge")
    row = page.get_by_role("row", name=re.compile("Noor"))
    await expect(row).to_contain_text("20")
    await expect(row).to_contain_text("haster")
    await _accessible(page)
    await row.get_by_role("link", name="Noor").click()
    chart = page.get_by_role("img", name="WHO-5 over tid")
    await expect(chart).to_be_visible()
    assert await chart.locator("circle.point").count() == 1
    await expect(page.locator("#alerts-heading")).to_be_visible()
    await _accessible(page)

    nav = page.locator("#nav-alerts")
    await expect(nav).to_have_text(re.compile(r"Alarmer\s*\(2 åbne, 1 haster\)"))
    await nav.click()
    item = page.locator(".alert-item.urgent")
    await expect(item).to_contain_text("Lav trivsel (WHO-5)")
    await _accessible(page)
    await item.get_by_role("button", name="Jeg tager den").click()
    taken = page.locator(".alert-item.urgent.status-acknowledged")
    await expect(taken).to_contain_text("Taget af Sara Holm")
    await taken.get_by_label("Hvad har du gjort?").fill("Ringet og aftalt møde.")
    await taken.get_by_role("button", name="Markér som løst").click()
    await expect(page.locator(".alert-item.urgent")).to_have_count(0)
    with database.session() as session:
        urgent = session.scalars(select(Alert).where(Alert.urgent)).one()
        assert urgent.note == "Ringet og aftalt møde."


async def test_plan_a_meeting_and_see_its_reminders(page, coordinator, database, clock):
    from domain.people import create_young_person

    with database.session() as session:
        person_id = create_young_person(
            session, pseudonym="Mille", birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id
    await log_in(page, coordinator)
    await page.goto(f"/unge/{person_id}")
    await _accessible(page)
    await page.get_by_role("link", name="Planlæg et møde").click()
    await _accessible(page)
    await page.get_by_label("Slags møde").select_option("network")
    await page.get_by_label("Dato").fill("2026-12-01")
    await page.get_by_label("Klokkeslæt").fill("14:00")
    await page.get_by_role("button", name="Gem møde").click()  # no place yet
    await expect(page.locator("#place-error")).to_have_text("Skriv, hvor I mødes.")
    await _accessible(page)
    await page.get_by_label("Sted").fill("Ungeindsatsen, Rådhuset")
    await page.get_by_role("button", name="Gem møde").click()
    await page.wait_for_url(re.compile(rf"/unge/{person_id}#meeting-\d+"))
    with database.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        due = session.scalars(
            select(Reminder.due_at).where(
                Reminder.subject == f"meeting:{meeting.id}",
                Reminder.status == ReminderStatus.PENDING,
            )
        ).all()
    row = page.locator(f"#meeting-{meeting.id}")
    await expect(row).to_contain_text("1. dec. 2026 kl. 14.00")
    assert await row.locator(".reminders li").count() == len(due) > 0
    await expect(row.locator(".reminders")).to_contain_text("Planlagt")


async def test_text_from_a_young_person_stays_inert(page, coordinator, database, clock):
    from domain.people import create_young_person

    with database.session() as session:
        person = create_young_person(
            session,
            pseudonym="<img src=x onerror=alert(1)>",
            birth_year=2008,
            now=clock(),
            coordinator_id=coordinator.id,
        )
        person_id = person.id
        session.add(
            Alert(
                young_person_id=person.id,
                kind="crisis",
                urgent=True,
                created_at=clock(),
                details={"items": "<script>alert(2)</script>"},
            )
        )
    await log_in(page, coordinator)
    for url in ("/unge", f"/unge/{person_id}", "/alarmer"):
        await page.goto(url)
        await page.wait_for_load_state("load")
    assert page.dialogs == []
    await expect(page.get_by_text("<script>alert(2)</script>", exact=False)).to_be_visible()


async def test_the_report_exports_the_known_numbers(page, database):
    from tests.auxil.keyfigures_fixture import store_known_data

    known = store_known_data(database)
    await log_in(page, known.coordinator)
    await page.goto(f"/rapport?fra={known.period.start}&til={known.period.end}")
    await _accessible(page)
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent CSV").click()
    download = await waiting.value
    text = (await download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    for label, value in known.expected_rows:  # the CSV writes shares and minutes as numbers
        number = value.replace(" %", "%").removesuffix(" min.")
        assert [label, number] in [row[1:3] for row in rows], (label, value)
    shown = await page.locator("table.figures").all_inner_texts()
    for label, value in known.expected_rows:
        assert any(label in table and value in table for table in shown), label


async def test_every_other_page_passes_axe(page, admin, coordinator, database, clock):
    from domain.people import create_young_person

    with database.session() as session:
        person_id = create_young_person(
            session, pseudonym="Mille", birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id
    await log_in(page, admin)
    for url in (
        f"/unge/{person_id}/aftaler/ny",
        f"/unge/{person_id}/vurdering",
        f"/unge/{person_id}/vurdering?skema=livsomraader",
        "/alarmer?vis=alle",
        "/revision",
        "/findes-ikke",
        "/unge/ny",
    ):
        await page.goto(url)
        await _accessible(page)
    await page.goto("/unge/ny")
    await page.get_by_role("button", name="Lav invitation").click()  # every field wrong
    await expect(page.locator(".error").first).to_be_visible()
    await _accessible(page)
    with database.session() as session:
        assert len(session.scalars(select(YoungPerson)).all()) == 1


async def test_the_axe_check_does_find_a_serious_problem(page):
    await page.set_content('<html lang="da"><body><main><input id="x"></main></body></html>')
    violations = await axe_violations(page)
    assert "label" in [violation["id"] for violation in violations]
