"""One young person's history as files: CSV (semicolons and a BOM, as Danish Excel expects) and
XLSX with typed cells: a day is a date cell, a time a date-and-time cell (Copenhagen wall
clock: Excel knows no time zones), a number a number cell, and every text a text cell.

Texts typed by staff or the young person (an agreement, a topic) reach the files, so none may
become a spreadsheet formula: in CSV such a cell gets a leading apostrophe (exports.inert), and
in XLSX every text cell is stored as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.locale import local
from dashboard.exports import inert
from dashboard.history_data import Line
from dashboard.i18n import _

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell

DATE_FORMAT = "dd-mm-yyyy"
MOMENT_FORMAT = "dd-mm-yyyy hh:mm"


def header() -> list[str]:
    return [_("Date"), _("Time"), _("What"), _("About"), _("Part"), _("Value"), _("Words")]


def to_csv(lines: Sequence[Line]) -> bytes:
    """ISO dates (2026-11-24) and times (14:00) in Copenhagen time: any program reads them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header())
    for line in lines:
        writer.writerow(
            [
                line.day.isoformat(),
                local(line.at).strftime("%H:%M") if line.at is not None else "",
                inert(line.what),
                inert(line.subject),
                inert(line.part),
                "" if line.value is None else str(line.value),
                inert(line.words),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(lines: Sequence[Line], *, title: str) -> bytes:
    # openpyxl only for an XLSX download: it would cost every process 10 MB at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = title[:31]  # Excel's limit for a sheet's name
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, line in enumerate(lines, start=2):
        day = sheet.cell(row=row, column=1, value=line.day)
        day.number_format = DATE_FORMAT
        if line.at is not None:
            moment = sheet.cell(row=row, column=2, value=local(line.at).replace(tzinfo=None))
            moment.number_format = MOMENT_FORMAT
        for column, text in enumerate((line.what, line.subject, line.part), start=3):
            _text(sheet.cell(row=row, column=column), text)
        if line.value is not None:
            sheet.cell(row=row, column=6, value=line.value)
        _text(sheet.cell(row=row, column=7), line.words)
    for letter, width in zip("ABCDEFG", (12, 17, 24, 30, 36, 8, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(cell: Cell | MergedCell, text: str) -> None:
    if text:
        cell.value = text
        cell.data_type = "s"  # text, never a formula
