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
    AlertFigures,
    FeedbackFigures,
    MeetingFigures,
    PeopleFigures,
    Period,
    ReportRow,
    WhoFiveFigures,
    additive_counts,
    compute,
    format_minutes,
    rows,
)
from domain.report_queries import (
    AgreementOutcomes,
    AttendanceFigures,
    ContactChanges,
    PlanShare,
)
from storage.models import EndOutcome, YoungPerson
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
    assert figures.people == PeopleFigures(at_start=9, at_end=7, new=5)
    assert figures.outcomes == {
        EndOutcome.EDUCATION: 5,
        EndOutcome.WORK: 1,
        EndOutcome.MOVED: 0,
        EndOutcome.NOT_WANTED: 0,
        EndOutcome.OTHER: 0,
    }
    offers = {o.name: (o.started, o.running, o.people) for o in figures.offers}
    assert offers == {
        "Behandling": (0, 0, 0),
        "FGU": (0, 1, 1),
        "Mentor": (6, 6, 6),
        "Praktik": (0, 0, 0),
        "STU": (0, 0, 0),
    }
    assert figures.plans == PlanShare(with_plan=5, followed=7)
    assert figures.contacts == ContactChanges(changes=6, people=5)
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
    assert figures.meetings == MeetingFigures(
        attendance=AttendanceFigures(attended=5, no_show=0, cancelled_late=1, not_recorded=1),
        cancelled=2,
        cannot_come=1,
    )
    assert figures.feedback == (
        FeedbackFigures(question=0, answered=5, yes=3, partly=1, no=1, people=5),
        FeedbackFigures(question=1, answered=5, yes=5, partly=0, no=0, people=5),
        FeedbackFigures(question=2, answered=4, yes=2, partly=1, no=1, people=4),
    )
    assert figures.agreements == AgreementOutcomes(
        due=6, done=4, done_on_time=3, not_done=0, dropped=0, running=2, people=5
    )
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
    assert figures.people == PeopleFigures(at_start=9, at_end=8, new=6)
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


def test_csv_and_xlsx_hold_the_same_rows_with_numbers_as_numbers(database, content):
    known = store_known_data(database)
    report = rows(_figures(database, content, known.coordinator_id), content)
    assert all(row.note for row in report if row.value != "–" or row.number is not None)
    text = to_csv(report, PERIOD).decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[0] == ["Afsnit", "Nøgletal", "2026-01-01–2026-06-30", "Definition"]
    assert [[s, label, note] for s, label, _value, note in parsed[1:]] == [
        [row.section, row.label, row.note] for row in report
    ]
    in_csv = {label: value for _s, label, value, _note in parsed[1:]}
    # Danish Excel reads these as numbers: plain digits, a percent sign, a decimal comma.
    assert in_csv["Ved periodens start"] == "9"
    assert in_csv["Andel med en langsigtet plan"] == "71%"
    assert in_csv["Første måling, gennemsnit"] == "50,7"
    assert in_csv["Startet i job"] == "<5"
    assert in_csv["Mål, første"] == "–"
    sheet = load_workbook(io.BytesIO(to_xlsx(report, PERIOD))).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == parsed[0]
    by_line = {(row[0].value, row[1].value): row[2] for row in sheet.iter_rows(min_row=2)}
    assert len(by_line) == len(report)
    cells = {label: cell for (_section, label), cell in by_line.items()}
    start = cells["Ved periodens start"]
    assert (start.value, start.data_type, start.number_format) == (9, "n", "0")
    plan = cells["Andel med en langsigtet plan"]
    assert (plan.value, plan.data_type, plan.number_format) == (5 / 7, "n", "0%")
    kept = cells["Aftaler overholdt"]
    assert (kept.value, kept.number_format) == (4 / 6, "0%")
    first = cells["Første måling, gennemsnit"]
    assert (first.value, first.data_type, first.number_format) == (50.7, "n", "0.0")
    median = cells["Tid til en alarm blev taget, median"]
    assert (median.value, median.data_type, median.number_format) == (20, "n", '0" min."')
    assert in_csv["Tid til en alarm blev taget, median"] == "20"
    for label in ("Startet i job", "Mål, første"):
        assert cells[label].data_type == "s"
        assert cells[label].value in ("<5", "–")
    for row in report:  # every shown number is a number cell, every other value text
        cell = by_line[row.section, row.label]
        assert cell.data_type == ("s" if row.number is None else "n"), row.label
    notes = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert notes == [row.note for row in report]


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
    assert values["Ved periodens slut"] == "<5"  # none of the known people are this coordinator's
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
    assert (figures.people.new, figures.people.at_end) == (1, 2)
    assert PERIOD.starts_at == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert PERIOD.ends_at == datetime(2026, 6, 30, 22, tzinfo=UTC)  # summer time


def test_no_text_becomes_a_spreadsheet_formula():
    # A workshop's title or an offer's name is typed by staff.
    report = [ReportRow(section="Idéer pr. ungeværksted", label="=1+1", value="<5", note="@A1")]
    parsed = list(
        csv.reader(io.StringIO(to_csv(report, PERIOD).decode("utf-8-sig")), delimiter=";")
    )
    assert parsed[1] == ["Idéer pr. ungeværksted", "'=1+1", "<5", "'@A1"]
    sheet = load_workbook(io.BytesIO(to_xlsx(report, PERIOD))).active
    assert sheet is not None
    assert sheet["B2"].value == "=1+1"
    assert sheet["B2"].data_type == "s"
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("@A1", "s")


def test_time_to_take_an_alert_reads_as_minutes_hours_or_days():
    assert format_minutes(20.4, people=5) == "20 min."
    assert format_minutes(65, people=5) == "1 t. 5 min."
    assert format_minutes(3 * 24 * 60 + 125, people=5) == "3 døgn 2 t."
    assert format_minutes(20, people=4) == "–"  # fewer than 5 young people
    assert format_minutes(None, people=9) == "–"


def test_every_count_a_quarter_shows_goes_through_the_differencing_rule(database, content):
    """A quarter shows only counts that add up to the half-year's; hiding every one of them
    (release.additive_counts) leaves nothing but the anonymous workshop ideas."""
    known = store_known_data(database)
    figures = _figures(database, content, known.coordinator_id)
    names = frozenset(additive_counts(figures))
    assert {"people.new", "contacts.changes", "meetings.attended", "outcomes.education"} <= names
    quarter = rows(figures, content, whole=False, hidden=names)
    shown = [r for r in quarter if r.section != "Idéer pr. ungeværksted" and r.value != "–"]
    assert shown == []
    labels = {r.label for r in quarter}
    assert "Mentor: startet" in labels
    assert "Mentor: unge der fik tilbuddet" not in labels  # half-year only: does not add up
    assert "Ved periodens start" not in labels
    assert "Andel med en langsigtet plan" not in labels
    # The same quarter without hiding: the known counts.
    plain = {r.label: r.value for r in rows(figures, content, whole=False)}
    assert plain["Nye i perioden"] == "5"
    assert plain["Startet på en uddannelse"] == "5"
    assert plain["Den unge kom"] == "5"
    assert plain["Skift af kontaktperson"] == "6"
