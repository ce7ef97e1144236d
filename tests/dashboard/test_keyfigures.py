"""The key-figure report against a data set with known numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.exports import to_csv, to_xlsx
from dashboard.keyfigures import (
    AgreementFigures,
    AlertFigures,
    MeetingFigures,
    PeopleFigures,
    Period,
    ReportRow,
    WhoFiveFigures,
    compute,
    format_minutes,
    rows,
)
from storage.models import YoungPerson
from tests.auxil.keyfigures_fixture import NOW, PERIOD, store_known_data
from tests.auxil.web import log_in


def _figures(database, content, coordinator_id=None):
    people = None
    if coordinator_id is not None:
        people = select(YoungPerson.id).where(YoungPerson.coordinator_id == coordinator_id)
    with database.session() as session:
        return compute(session, PERIOD, now=NOW, people=people, content=content)


def test_a_coordinators_figures(database, content):
    known = store_known_data(database)
    figures = _figures(database, content, known.coordinator_id)
    assert figures.people == PeopleFigures(active=7, new=5, ended=1)
    assert figures.who5 == WhoFiveFigures(
        measured=6,
        followed=5,
        first_mean=304 / 6,
        latest_mean=348 / 6,
        first_low=3,
        latest_low=1,
        improved=3,
    )
    [who5] = [c for c in figures.checkins if c.questionnaire_id == "who5"]
    assert (who5.sent, who5.completed, who5.people) == (13, 11, 6)
    assert figures.meetings == MeetingFigures(held=5, cancelled=2, cannot_come=1)
    assert figures.agreements == AgreementFigures(due=6, on_time=3, people=5)
    [bip] = [b for b in figures.bip if b.questionnaire_id == "bip_uddannelse"]
    [tro] = [item for item in bip.items if item.item_id == "tro"]
    assert (bip.measured, tro.people, tro.first_mean, tro.latest_mean) == (5, 5, 3.0, 3.8)
    assert [(w.title, w.ideas) for w in figures.workshops] == [("Godt ungeliv", 5)]
    assert figures.alerts == AlertFigures(
        urgent=6, acknowledged=5, median_minutes=20.0, within=3, escalated=3, people=6
    )


def test_an_admin_counts_everyone(database, content):
    store_known_data(database)
    figures = _figures(database, content)
    # The other coordinator's urgent alert, taken after a minute: median of 1..90 is 15.
    assert figures.alerts == AlertFigures(
        urgent=7, acknowledged=6, median_minutes=15.0, within=4, escalated=3, people=7
    )
    assert figures.people == PeopleFigures(active=8, new=6, ended=1)
    assert figures.who5.measured == 7
    assert figures.who5.latest_mean == (348 + 96) / 7


def test_the_rows_suppress_small_numbers_and_read_in_danish(database, content):
    known = store_known_data(database)
    shown = [
        (row.label, row.value)
        for row in rows(_figures(database, content, known.coordinator_id), content)
    ]
    for expected in known.expected_rows:
        assert expected in shown
    # Fewer than 5 people behind a share or mean: a dash, never the number.
    checkins = [
        r
        for r in rows(_figures(database, content, known.coordinator_id), content)
        if r.section == "Tjek-ind: Livsområder (dialogskema)"
    ]
    assert [(r.label, r.value) for r in checkins] == [
        ("Invitationer sendt", "<5"),
        ("Tjek-ind gennemført inden for 7 dage", "–"),
    ]


def test_csv_and_xlsx_hold_the_same_rows(database, content):
    known = store_known_data(database)
    report = rows(_figures(database, content, known.coordinator_id), content)
    expected = [[row.section, row.label, row.value] for row in report]
    text = to_csv(report, PERIOD).decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[0] == ["Afsnit", "Nøgletal", "2026-01-01–2026-06-30"]
    assert parsed[1:] == expected
    sheet = load_workbook(io.BytesIO(to_xlsx(report, PERIOD))).active
    assert sheet is not None
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == expected


async def test_the_report_pages_and_exports_for_a_coordinator(client, database, coordinator):
    store_known_data(database)
    await log_in(client, coordinator)  # owns none of the known people
    query = "?periode=2026-H1"
    page = await client.get("/rapport" + query)
    assert page.status_code == 200
    assert "Dine unge" in page.text
    assert "Nøgletal, 1. halvår 2026" in page.text
    assert "Fra 1. januar 2026 til 30. juni 2026." in page.text
    export = await client.get("/rapport.xlsx" + query)
    assert export.headers["content-disposition"].endswith('noegletal_2026-01-01_2026-06-30.xlsx"')
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Aktive"] == "<5"  # none of the known people are this coordinator's
    bad = await client.get("/rapport?fra=2026-13-01&til=2026-01-01")
    assert bad.status_code == 400
    assert "Vælg en periode på listen." in bad.text


def test_a_period_ends_on_or_after_its_start():
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 2, 1), date(2026, 1, 1))


def test_the_period_is_copenhagen_days(database, content):
    # 1 January 00.30 in Copenhagen is 31 December 23.30 UTC: in the period; 22.30 is not.
    with database.session() as session:
        for n, created in enumerate(
            [datetime(2025, 12, 31, 23, 30, tzinfo=UTC), datetime(2025, 12, 31, 22, 30, tzinfo=UTC)]
        ):
            session.add(
                YoungPerson(pseudonym=f"G{n}", birth_year=2008, status="active", created_at=created)
            )
    figures = _figures(database, content)
    assert (figures.people.new, figures.people.active) == (1, 2)
    assert PERIOD.starts_at == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert PERIOD.ends_at == datetime(2026, 6, 30, 22, tzinfo=UTC)  # summer time


def test_no_text_becomes_a_spreadsheet_formula():
    report = [ReportRow(section="Idéer pr. ungeværksted", label="=1+1", value="<5")]
    parsed = list(
        csv.reader(io.StringIO(to_csv(report, PERIOD).decode("utf-8-sig")), delimiter=";")
    )
    assert parsed[1] == ["Idéer pr. ungeværksted", "'=1+1", "<5"]
    sheet = load_workbook(io.BytesIO(to_xlsx(report, PERIOD))).active
    assert sheet is not None
    assert sheet["B2"].value == "=1+1"
    assert sheet["B2"].data_type == "s"


def test_time_to_take_an_alert_reads_as_minutes_hours_or_days():
    assert format_minutes(20.4, people=5) == "20 min."
    assert format_minutes(65, people=5) == "1 t. 5 min."
    assert format_minutes(3 * 24 * 60 + 125, people=5) == "3 døgn 2 t."
    assert format_minutes(20, people=4) == "–"  # fewer than 5 young people
    assert format_minutes(None, people=9) == "–"
