"""The key-figure report in headless Chromium under the dashboard's CSP, on a desktop and a 390 px
phone, with axe-core on every state: the period list, a quarter (counts only), the half-year with
every figure and its definition, the downloads, and a period that is not offered. Screenshots go
to $SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.async_api import Page, expect

from tests.auxil.keyfigures_fixture import store_known_data
from tests.dashboard.browser.conftest import axe_violations, log_in

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def _look(page: Page, shots: Path, name: str) -> None:
    await page.screenshot(path=shots / f"report-{name}.png", full_page=True)
    assert await axe_violations(page) == [], page.url
    wide = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, page.url
    assert page.dialogs == []  # type: ignore[attr-defined]


def _row(page: Page, label: str, value: str):
    """The table row with this label and value (its definition's number is not in its name)."""
    return page.get_by_role("row", name=f"{label} {value}", exact=True)


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_choosing_a_quarter_or_a_half_year_from_the_list(page, database, shots, width):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    known = store_known_data(database)
    await log_in(page, known.coordinator)
    await page.goto("/rapport")
    period = page.get_by_label("Periode")
    await period.select_option(label="2. kvartal 2026")
    await page.get_by_role("button", name="Vis").click()
    await page.wait_for_url("**/rapport?periode=2026-K2")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nøgletal, 2. kvartal 2026")
    await expect(page.get_by_text("Et kvartal viser kun antal.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Møder, 2. kvartal 2026")).to_be_visible()
    await expect(_row(page, "Den unge kom", "5")).to_be_visible()
    await expect(_row(page, "Nye i perioden", "5")).to_be_visible()
    assert await page.get_by_text("Første måling, gennemsnit").count() == 0
    assert await page.get_by_text("Ved periodens start").count() == 0
    await _look(page, shots, f"{width}-quarter")

    await page.get_by_label("Periode").select_option(label="1. halvår 2026")
    await page.get_by_role("button", name="Vis").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nøgletal, 1. halvår 2026")
    for heading in ("Unge", "Tilbud", "Langsigtede planer", "Efter netværksmøder", "Aftaler"):
        name = f"{heading}, 1. halvår 2026"
        await expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    for label, value in known.expected_rows:
        await expect(_row(page, label, value).first).to_be_visible()
    # Every figure has its definition: a numbered line under its table, named by the row.
    plan = page.get_by_role("rowheader", name="Andel med en langsigtet plan")
    described = await plan.get_attribute("aria-describedby")
    assert described is not None
    definition = page.locator(f"#{described}")
    await expect(definition).to_contain_text("mere end 3 måneder")
    await expect(definition).to_contain_text("ikke et særskilt plan-flag")
    headers = page.locator("table.figures th[scope=row]")
    assert (
        await headers.count()
        == await page.locator("table.figures th[aria-describedby]").count()
        + await page.get_by_role("rowheader", name="Ingen ungeværksteder").count()
    )
    await _look(page, shots, f"{width}-half-year")
    # No CSP refusals or script errors; the only thing not found is the browser's own favicon.
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []
    assert [text for text in errors if not text.startswith("Failed to load resource")] == []


async def test_the_downloads_hold_the_known_numbers_as_numbers(page, database):
    known = store_known_data(database)
    await log_in(page, known.coordinator)
    await page.goto("/rapport?periode=2026-H1")
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent CSV").click()
    text = (await (await waiting.value).path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Afsnit", "Nøgletal", "2026-01-01–2026-06-30", "Definition"]
    in_csv = {row[1]: row[2] for row in rows[1:]}
    assert in_csv["Ved periodens start"] == "9"
    assert in_csv["Aftaler overholdt"] == "67%"
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent Excel (XLSX)").click()
    saved = await (await waiting.value).path()
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    assert sheet is not None
    cells = {row[1].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert (cells["Nye i perioden"].value, cells["Nye i perioden"].data_type) == (5, "n")
    plan = cells["Andel med en langsigtet plan"]
    assert (plan.value, plan.number_format) == (5 / 7, "0%")


async def test_a_period_that_is_not_offered_shows_the_list_and_a_message(page, database, shots):
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
    await _look(page, shots, "not-offered")
