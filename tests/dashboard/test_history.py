"""One young person's whole history: the print view, and the CSV and XLSX downloads with known
content and typed cells, each an audit line; someone else's young person is a refused 404."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from storage.models import AuditEvent
from tests.auxil.caseload import Caseload, seed_caseload
from tests.auxil.web import log_in, parse

GLAD = "... har jeg været glad og i godt humør"
# Cille's history, in time order (Copenhagen time; the agreement's deadline is a day).
CILLE_CSV = [
    "Dato;Klokkeslæt;Hvad;Om;Del;Tal;Tekst",
    "2026-08-01;14:00;Status;Inviteret;;;",
    "2026-08-01;14:00;Status;Aktiv;;;",
    "2026-10-01;12:00;Tjek-ind;WHO-5 Trivselsindeks;Score;64;Gennemført",
    f"2026-10-01;12:00;Svar;WHO-5 Trivselsindeks;{GLAD};4;Det meste af tiden",
    "2026-10-01;12:00;Svar;WHO-5 Trivselsindeks;... har jeg følt mig rolig og afslappet;3;"
    "Lidt mere end halvdelen af tiden",
    "2026-10-01;12:00;Svar;WHO-5 Trivselsindeks;... har jeg følt mig aktiv og energisk;3;"
    "Lidt mere end halvdelen af tiden",
    "2026-10-01;12:00;Svar;WHO-5 Trivselsindeks;... er jeg vågnet frisk og udhvilet;3;"
    "Lidt mere end halvdelen af tiden",
    "2026-10-01;12:00;Svar;WHO-5 Trivselsindeks;"
    "... har min dagligdag været fyldt med ting, der interesserer mig;3;"
    "Lidt mere end halvdelen af tiden",
    # A goal typed as a formula stays text: the apostrophe keeps a spreadsheet from running it.
    "2026-11-02;;Aftale (frist);'=SUM(A1);Møde op;;Cille, Gennemført",
    "2026-11-26;10:00;Møde;Individuelt møde;Caféen;;Aflyst",
    "2026-12-01;14:00;Møde;Individuelt møde;Biblioteket;;"
    "Har ikke svaret endnu, Ikke registreret endnu",
]


def wall(year: int, month: int, day: int, hour: int) -> datetime:
    """A wall-clock time as Excel stores it: no time zone."""
    return datetime(year, month, day, hour, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def caseload(database, coordinator, other_coordinator) -> Caseload:
    return seed_caseload(database, sara=coordinator, jonas=other_coordinator)


def _audit(database) -> list[tuple[int, str, int | None, str]]:
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.young_person_ref, e.detail)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


async def test_the_csv_holds_the_whole_history_in_time_order(
    client, database, coordinator, caseload
):
    await log_in(client, coordinator)
    response = await client.get(f"/unge/{caseload.cille}/historik.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="ung_{caseload.cille}_historik_2026-11-24.csv"'
    )
    assert "Cille" not in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.split("\r\n")[:-1] == CILLE_CSV
    assert _audit(database)[-1] == (coordinator.id, "export_history", caseload.cille, "csv")


async def test_the_xlsx_has_typed_cells(client, database, coordinator, caseload):
    from openpyxl import load_workbook
    from openpyxl.worksheet.worksheet import Worksheet

    await log_in(client, coordinator)
    response = await client.get(f"/unge/{caseload.cille}/historik.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    rows = list(sheet.iter_rows(min_row=1, values_only=True))
    assert list(rows[0]) == ["Dato", "Klokkeslæt", "Hvad", "Om", "Del", "Tal", "Tekst"]
    assert len(rows) == len(CILLE_CSV)
    score = rows[3]
    # A day is a date cell, a time a date-and-time cell (Copenhagen wall clock), a number a
    # number cell.
    assert score[0] == wall(2026, 10, 1, 0)
    assert score[1] == wall(2026, 10, 1, 12)
    assert score[2:] == ("Tjek-ind", "WHO-5 Trivselsindeks", "Score", 64, "Gennemført")
    assert sheet.cell(row=4, column=1).is_date  # type: ignore[union-attr]
    assert sheet.cell(row=4, column=1).number_format == "dd-mm-yyyy"
    assert sheet.cell(row=4, column=2).number_format == "dd-mm-yyyy hh:mm"
    assert sheet.cell(row=4, column=6).data_type == "n"
    assert isinstance(sheet.cell(row=4, column=6).value, int)
    agreement = rows[9]
    assert agreement[0] == wall(2026, 11, 2, 0)
    assert agreement[1] is None  # a day has no time
    assert agreement[3] == "=SUM(A1)"
    assert sheet.cell(row=10, column=4).data_type == "s"  # text, never a formula
    assert _audit(database)[-1] == (coordinator.id, "export_history", caseload.cille, "xlsx")


async def test_the_print_view_has_charts_over_time_and_every_line(
    client, database, coordinator, caseload
):
    await log_in(client, coordinator)
    response = await client.get(f"/unge/{caseload.asta}/historik")
    assert response.status_code == 200
    document = parse(response.text)
    assert "Forløb: Asta" in document.text
    assert "Udskrevet tirsdag den 24. november 2026" in " ".join(document.text.split())
    # Livsområder over time: one chart per area with two series (own answers 2 then 4 on
    # 15 August and 10 November, the coordinator's 3 on 12 November).
    heading = document.by_id("development-livsomraader")
    assert heading.text == "Livsområder (dialogskema) over tid"
    charts = [
        svg for svg in document.all("svg") if "Livsområder" in svg.attrs.get("aria-label", "")
    ]
    assert len(charts) == 7
    assert (
        charts[0].attrs["aria-label"] == "Livsområder (dialogskema): Skole, uddannelse og arbejde"
    )
    assert response.text.count('class="point-0"') == 7 * 2
    assert response.text.count('class="point-1"') == 7
    assert "15. aug. 2026" in response.text and "12. nov. 2026" in response.text
    table = " ".join(document.by_id("history").text.split())
    assert "10. nov. 2026 kl. 11.00 Tjek-ind WHO-5 Trivselsindeks Score 64 – Gennemført" in table
    assert f"Svar WHO-5 Trivselsindeks {GLAD} 4 – Det meste af tiden" in table
    assert "Koordinatorens vurdering Livsområder (dialogskema) Hjem og penge 3 – Både og" in table
    links = {a.text: a.attrs["href"] for a in document.all("a")}
    assert links["Hent CSV"] == f"/unge/{caseload.asta}/historik.csv"
    assert links["Hent XLSX"] == f"/unge/{caseload.asta}/historik.xlsx"
    printer = document.all("button", type="button")
    assert [b.text for b in printer] == ["Udskriv"] and "hidden" in printer[0].attrs
    assert _audit(database)[-1] == (coordinator.id, "view_history", caseload.asta, "")


async def test_another_coordinators_young_person_is_refused_and_logged(
    client, database, other_coordinator, caseload
):
    await log_in(client, other_coordinator)
    for url in (
        f"/unge/{caseload.asta}/historik",
        f"/unge/{caseload.asta}/historik.csv",
        f"/unge/{caseload.asta}/historik.xlsx",
    ):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "Asta" not in response.text
        assert _audit(database)[-1] == (
            other_coordinator.id,
            "refused",
            caseload.asta,
            f"GET {url}",
        )


async def test_another_format_is_a_404(client, coordinator, caseload):
    await log_in(client, coordinator)
    for kind in ("pdf", "CSV", "csv.exe"):
        response = await client.get(f"/unge/{caseload.asta}/historik.{kind}")
        assert response.status_code == 404, kind


def test_days_order_before_the_times_of_the_same_day():
    from dashboard.history_data import Line

    day = Line(None, date(2026, 11, 2), "a", "b")
    assert day.order.isoformat() == "2026-11-01T23:00:00+00:00"  # midnight in Copenhagen
