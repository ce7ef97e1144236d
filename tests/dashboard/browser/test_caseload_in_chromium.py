"""The caseload at a glance in Chromium, on a desktop and a 390 px phone, under the dashboard's
Content-Security-Policy, with axe-core on every state: the filtered people list, the week view
with its week links, and a young person's history (charts, print layout, CSV and XLSX).
Screenshots go to $SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.auxil.caseload import seed_caseload
from tests.dashboard.browser.conftest import log_in, look

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _watch_policy(page: Page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("Refused to")
            else None
        ),
    )
    return refused


async def _look(page: Page, shots: Path, name: str) -> None:
    await look(page, shots / f"caseload-{name}.png")


@pytest.mark.parametrize("width", sorted(WIDTHS))
async def test_the_filtered_list_the_week_and_a_history(
    page, database, coordinator, other_coordinator, shots, width
):
    await page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    refused = _watch_policy(page)
    caseload = seed_caseload(database, sara=coordinator, jonas=other_coordinator)
    await log_in(page, coordinator)
    rows = page.locator("#people tbody tr")
    await expect(rows).to_have_count(4)
    await _look(page, shots, f"{width}-1-list")

    await page.get_by_label("Intet tjek-ind i 45 dage").check()
    await page.get_by_role("button", name="Søg").click()
    await page.wait_for_url("**/unge?q=&status=&stille=1&sort=name")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Cille")
    await expect(rows.first).to_contain_text("1. okt. 2026")
    await expect(page.locator("#people-count")).to_contain_text("Viser 1 af 4.")
    await _look(page, shots, f"{width}-2-quiet-45-days")

    await page.get_by_label("Status").select_option(label="På pause")
    await page.get_by_label("Intet tjek-ind i 45 dage").uncheck()
    await page.get_by_label("Med aftaler over frist").check()
    await page.get_by_role("button", name="Søg").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Bo")
    await _look(page, shots, f"{width}-3-paused-overdue")

    await page.goto("/unge")
    await expect(rows.filter(has_text="Asta")).to_contain_text("10. dec. 2026 kl. 16.00")

    await page.get_by_role("link", name="Uge", exact=True).click()
    await page.wait_for_url("**/uge")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Møder i uge 48, 2026")
    await expect(page.locator("#day-2026-11-25")).to_contain_text("10.00 Asta")
    await expect(page.locator("#week")).not_to_contain_text("Eva")
    await _look(page, shots, f"{width}-4-week")
    await page.get_by_role("link", name="Næste uge").click()
    await page.wait_for_url("**/uge?uge=2026-W49")
    await expect(page.locator("#day-2026-12-01")).to_contain_text("14.00 Cille")
    await _look(page, shots, f"{width}-5-next-week")

    await page.goto(f"/unge/{caseload.asta}")
    await page.locator("#history-link").click()
    await page.wait_for_url(f"**/unge/{caseload.asta}/historik")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Forløb: Asta")
    await expect(page.get_by_role("button", name="Udskriv")).to_be_visible()  # the script's
    await expect(page.locator("#development-livsomraader ~ .areas svg, .areas svg")).to_have_count(
        7
    )
    await _look(page, shots, f"{width}-6-history")
    for index, chart in enumerate(await page.locator("svg.chart").all()):
        await chart.screenshot(path=shots / f"caseload-{width}-chart-{index}.png")

    await page.emulate_media(media="print")
    await expect(page.locator("header.top")).to_be_hidden()
    await expect(page.get_by_role("link", name="Hent CSV")).to_be_hidden()
    await page.screenshot(path=shots / f"caseload-{width}-7-print.png", full_page=True)
    await page.emulate_media(media="screen")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent CSV").click()
    download = await waiting.value
    assert download.suggested_filename == f"ung_{caseload.asta}_historik_2026-11-24.csv"
    text = (await download.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Dato;Klokkeslæt;Hvad;Om;Del;Tal;Tekst"
    assert "2026-11-10;11:00;Tjek-ind;WHO-5 Trivselsindeks;Score;64;Gennemført" in text

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Hent XLSX").click()
    download = await waiting.value
    from openpyxl import load_workbook
    from openpyxl.worksheet.worksheet import Worksheet

    sheet = load_workbook(io.BytesIO((await download.path()).read_bytes())).active
    assert isinstance(sheet, Worksheet)
    assert sheet.cell(row=2, column=1).is_date  # type: ignore[union-attr]
    numbers = [cell.value for cell in sheet["F"][1:] if cell.value is not None]
    assert numbers and all(isinstance(value, int) for value in numbers)
    assert refused == []
