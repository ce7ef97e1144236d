"""The key-figure report ("nøgletalsrapport"): printable HTML, CSV and XLSX for a whole quarter
or half-year.

A coordinator's report counts their own young people; an admin's and a facilitator's count
everyone. The same rule holds for every role, because a report is made to be handed on: only
fixed periods (dashboard.keyfigures.presets), small numbers suppressed, and counts that another
report would give away hidden (dashboard.keyfigures.release). A facilitator sees no young person
at all, so the rule is what keeps every value from them; an admin and a coordinator can read each
of their young people's values on the person pages anyway, so for them it protects those who read
the reports they pass on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.exports import to_csv, to_xlsx
from dashboard.i18n import _
from dashboard.keyfigures import (
    KeyFigures,
    Preset,
    ReportRow,
    by_year,
    compute,
    hidden_counts,
    latest_half,
    matching,
    offered,
    parse,
    rows,
)
from dashboard.web import audit, dashboard, render, viewer, visible_people
from domain.reminder_timing import local_date
from storage.models import StaffRole

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen(request: Request, today: date) -> tuple[Preset, str | None]:
    """The period asked for (`periode`, or `fra` and `til` of an old link), or the latest
    half-year and an error when it is not one of the offered periods."""
    params = request.query_params
    found: Preset | None = None
    if "periode" in params:
        found = parse(params["periode"], today)
    elif "fra" in params or "til" in params:
        try:
            start = date.fromisoformat(params.get("fra", ""))
            end = date.fromisoformat(params.get("til", ""))
        except ValueError:
            found = None
        else:
            found = matching(start, end, today)
    else:
        return latest_half(today), None
    if found is None:
        return latest_half(today), _(
            "There are key figures only for whole quarters and half-years, from a week after "
            "they end. Choose a period from the list."
        )
    return found, None


def _needed(preset: Preset) -> list[Preset]:
    """The reports whose figures decide what `preset`'s report hides (release.py)."""
    first, second = preset.quarters
    return [preset] if preset == first else [first, preset.half, second]


@dataclass(frozen=True)
class _Section:
    """A table of the page: its lines with the number of their definition, and the definitions
    below it (each once, numbered in order: lines that share one share its number)."""

    title: str
    lines: list[tuple[ReportRow, int]]
    notes: list[str]


def _sections(shown: list[ReportRow]) -> list[_Section]:
    found: dict[str, _Section] = {}
    for row in shown:
        section = found.setdefault(row.section, _Section(row.section, [], []))
        if row.note and row.note not in section.notes:
            section.notes.append(row.note)
        number = section.notes.index(row.note) + 1 if row.note else 0
        section.lines.append((row, number))
    return list(found.values())


async def report(request: Request) -> Response:
    who = viewer(request)
    app = dashboard(request)
    now = app.clock()
    today = local_date(now)
    preset, error = _chosen(request, today)
    export = request.path_params.get("format")
    if export not in (None, "csv", "xlsx"):
        raise HTTPException(404)
    if error is not None:
        return render(
            request,
            "report.html",
            status_code=400,
            preset=preset,
            choices=by_year(offered(today)),
            sections=[],
            error=error,
        )
    # A stand-in's report counts their own young people, not those they cover for a while.
    people = visible_people(who, covered=False) if who.role == StaffRole.COORDINATOR else None
    period = preset.period
    detail = f"{period.start}..{period.end}" + (f" {export}" if export else "")

    def figures_and_audit() -> dict[Preset, KeyFigures]:
        # A long period over many people takes a while: off the event loop the bot shares.
        with app.database.session() as session:
            found = {
                each: compute(
                    session,
                    each.period,
                    now=now,
                    people=people,
                    content=app.content,
                    whole=each.whole,  # a quarter's figures: only what it shows, and its counts
                )
                for each in _needed(preset)
            }
            audit(
                session, who, "export_report" if export else "view_report", now=now, detail=detail
            )
            return found

    figures = await run_in_threadpool(figures_and_audit)
    shown = rows(
        figures[preset],
        app.content,
        whole=preset.whole,
        hidden=hidden_counts(preset, figures),
    )
    name = f"noegletal_{period.start}_{period.end}"
    if export == "csv":
        return Response(
            to_csv(shown, period, municipality=app.municipality),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if export == "xlsx":
        return Response(
            to_xlsx(shown, period, municipality=app.municipality),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    sections = _sections(shown)
    return render(
        request,
        "report.html",
        preset=preset,
        choices=by_year(offered(today)),
        sections=sections,
        error=None,
        everyone=people is None,
        municipality=app.municipality,
    )


ROUTES = [
    Route("/rapport", report),
    Route("/rapport.{format:str}", report),
]
