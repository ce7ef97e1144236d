"""The key-figure report as files: CSV (semicolons and a BOM, as Danish Excel expects) and XLSX.

Texts typed by staff (a workshop's title) reach the files, so none may become a spreadsheet
formula: in CSV a cell starting with = + - or @ gets a leading apostrophe (OWASP's advice), and in
XLSX every cell is stored as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from dashboard.i18n import _
from dashboard.keyfigures import Period, ReportRow


def _header(period: Period) -> list[str]:
    return [_("Section"), _("Key figure"), f"{period.start.isoformat()}–{period.end.isoformat()}"]


def inert(text: str) -> str:
    """`text`, unable to start a spreadsheet formula (OWASP: CSV injection)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def to_csv(rows: Sequence[ReportRow], period: Period) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(period))
    writer.writerows([inert(row.section), inert(row.label), inert(row.value)] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[ReportRow], period: Period) -> bytes:
    # openpyxl only for an XLSX download: it would cost every process 10 MB at start-up.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = _("Key figures")
    sheet.append(_header(period))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate([row.section, row.label, row.value], start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = text
            cell.data_type = "s"  # text, never a formula
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 52
    sheet.column_dimensions["C"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
