"""The key-figure report as files: CSV (semicolons and a BOM, as Danish Excel expects) and XLSX.

Numbers stay numbers: in the XLSX a count is an integer cell, a share a fraction with the
percent format '0%', a mean a number with one decimal ('0.0') and a time whole minutes; in the
CSV a count or a time is plain digits, a share "62%" and a mean "48,3", which Danish Excel reads
as numbers. "<5" and the dash stay text. Each line carries its definition in the last column.

Texts typed by staff (a workshop's title, an offer's name) reach the files, so none may become a
spreadsheet formula: in CSV a cell starting with = + - or @ gets a leading apostrophe (OWASP's
advice), and in XLSX every text cell is stored as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.locale import format_number
from dashboard.i18n import _
from dashboard.keyfigures import COUNT, MEAN, MINUTES, SHARE, Period, ReportRow

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell

NUMBER_FORMATS = {COUNT: "0", SHARE: "0%", MEAN: "0.0", MINUTES: '0" min."'}


def _header(period: Period, municipality: str | None) -> list[str]:
    """The column names; the value column is headed by the municipality and the period."""
    days = f"{period.start.isoformat()}–{period.end.isoformat()}"
    return [
        _("Section"),
        _("Key figure"),
        f"{municipality}, {days}" if municipality else days,
        _("Definition"),
    ]


def inert(text: str) -> str:
    """`text`, unable to start a spreadsheet formula (OWASP: CSV injection)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def csv_value(row: ReportRow) -> str:
    """The value as Danish Excel reads a number: '12', '62%', '48,3' (else the text)."""
    if row.number is None:
        return inert(row.value)
    if row.kind in (COUNT, MINUTES):
        return str(int(row.number))
    if row.kind == SHARE:
        return format_number(100 * row.number).replace(".", "") + "%"
    return format_number(row.number, decimals=1).replace(".", "")


def to_csv(rows: Sequence[ReportRow], period: Period, *, municipality: str | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(period, municipality))
    writer.writerows(
        [inert(row.section), inert(row.label), csv_value(row), inert(row.note)] for row in rows
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[ReportRow], period: Period, *, municipality: str | None = None) -> bytes:
    # openpyxl only for an XLSX download: it would cost every process 10 MB at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = _("Key figures")
    if municipality:  # on every printed page, and in the file's properties
        if sheet.oddHeader is not None:
            sheet.oddHeader.center.text = f"{municipality}: {_('Key figures')}"
        book.properties.creator = municipality
    sheet.append(_header(period, municipality))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate([row.section, row.label], start=1):
            _text(sheet.cell(row=number, column=column), text)
        value = sheet.cell(row=number, column=3)
        if row.number is None or row.kind not in NUMBER_FORMATS:
            _text(value, row.value)
        else:
            whole = row.kind in (COUNT, MINUTES)
            value.value = int(row.number) if whole else row.number
            value.number_format = NUMBER_FORMATS[row.kind]
        value.alignment = Alignment(horizontal="right")
        _text(sheet.cell(row=number, column=4), row.note)
    for letter, width in zip("ABCD", (28, 52, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(cell: Cell | MergedCell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # text, never a formula
