"""The municipality's name (UNGEGUIDE_MUNICIPALITY) heads the key-figure report: the page, the
CSV's value column and the XLSX's printed header."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook

from dashboard.app import dashboard_app
from tests.auxil.web import log_in, parse
from ungeguide.settings import Settings

PERIOD = "2026-H1"


@pytest.fixture
async def named(database, content, clock):
    web = dashboard_app(
        database, content, session_secret="test-secret", clock=clock, municipality="Aarhus Kommune"
    )
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        yield client


async def test_the_name_heads_the_page_and_both_files(named, admin):
    await log_in(named, admin)
    page = parse((await named.get(f"/rapport?periode={PERIOD}")).text)
    assert [e.text for e in page.all("p", **{"class": "municipality"})] == ["Aarhus Kommune"]
    rows = list(
        csv.reader(
            io.StringIO((await named.get(f"/rapport.csv?periode={PERIOD}")).text.lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert rows[0][2] == "Aarhus Kommune, 2026-01-01–2026-06-30"
    book = load_workbook(io.BytesIO((await named.get(f"/rapport.xlsx?periode={PERIOD}")).content))
    sheet = book.active
    assert sheet is not None
    assert sheet.oddHeader is not None
    assert sheet.oddHeader.center.text == "Aarhus Kommune: Nøgletal"
    assert sheet.cell(row=1, column=3).value == "Aarhus Kommune, 2026-01-01–2026-06-30"


async def test_without_a_name_nothing_is_made_up(client, admin):
    await log_in(client, admin)
    page = parse((await client.get(f"/rapport?periode={PERIOD}")).text)
    assert page.all("p", **{"class": "municipality"}) == []
    first = (await client.get(f"/rapport.csv?periode={PERIOD}")).text.lstrip("\ufeff")
    assert first.splitlines()[0].split(";")[2] == "2026-01-01–2026-06-30"


def test_the_setting_is_read_and_trimmed():
    assert Settings.from_env({"UNGEGUIDE_MUNICIPALITY": " Aarhus Kommune "}).municipality == (
        "Aarhus Kommune"
    )
    assert Settings.from_env({}).municipality is None
