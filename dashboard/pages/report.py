"""The key-figure report ("nøgletalsrapport"): printable HTML, CSV and XLSX for any period.

A coordinator's report counts their own young people; an admin's and a facilitator's count
everyone. Small numbers are suppressed by dashboard.keyfigures, so no one can be recognised.
"""

from __future__ import annotations

from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.exports import to_csv, to_xlsx
from dashboard.i18n import _
from dashboard.keyfigures import KeyFigures, Period, compute, rows
from dashboard.web import audit, dashboard, render, viewer, visible_people
from domain.reminder_timing import local_date
from storage.models import StaffRole

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: Request, today: date) -> tuple[Period, dict[str, str]]:
    default = Period.last_half_year(today)
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name, fallback in (("fra", default.start), ("til", default.end)):
        raw = request.query_params.get(name, "")
        try:
            days[name] = date.fromisoformat(raw) if raw else fallback
        except ValueError:
            errors[name] = _("Choose a date.")
            days[name] = fallback
    if not errors and days["fra"] > days["til"]:
        errors["til"] = _("The end must be on or after the start.")
    if errors:
        return default, errors
    return Period(days["fra"], days["til"]), errors


async def report(request: Request) -> Response:
    who = viewer(request)
    app = dashboard(request)
    now = app.clock()
    period, errors = _period(request, local_date(now))
    # A stand-in's report counts their own young people, not those they cover for a while.
    people = visible_people(who, covered=False) if who.role == StaffRole.COORDINATOR else None
    export = request.path_params.get("format")
    if export not in (None, "csv", "xlsx"):
        raise HTTPException(404)
    detail = f"{period.start}..{period.end}" + (f" {export}" if export else "")

    def figures_and_audit() -> KeyFigures:
        # A long period over many people takes a while: off the event loop the bot shares.
        with app.database.session() as session:
            found = compute(session, period, now=now, people=people, content=app.content)
            audit(
                session, who, "export_report" if export else "view_report", now=now, detail=detail
            )
            return found

    figures = await run_in_threadpool(figures_and_audit)
    shown = rows(figures, app.content)
    name = f"noegletal_{period.start}_{period.end}"
    if export == "csv":
        return Response(
            to_csv(shown, period),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if export == "xlsx":
        return Response(
            to_xlsx(shown, period),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    sections: dict[str, list[tuple[str, str]]] = {}
    for row in shown:
        sections.setdefault(row.section, []).append((row.label, row.value))
    return render(
        request,
        "report.html",
        status_code=400 if errors else 200,
        period=period,
        sections=sections,
        errors=errors,
        query=request.url.query,
        everyone=people is None,
    )


ROUTES = [
    Route("/rapport", report),
    Route("/rapport.{format:str}", report),
]
