"""One young person's whole history (/unge/<id>/historik): made to be printed, and downloaded
as CSV or XLSX. Each view and each download is a line in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.content import Questionnaire
from core.locale import format_date_short, local
from dashboard import charts, history_export, labels
from dashboard.history_data import History, Rated, person_history
from dashboard.i18n import _
from dashboard.people_data import BIPS, LIFE_AREAS
from dashboard.web import (
    PEOPLE_ROLES,
    audit,
    dashboard,
    person_or_404,
    refusals_audited,
    render,
    viewer,
)
from domain.reminder_timing import local_date

# One area's chart, several to a row: a small picture keeps its 12 px text readable.
AREA_SIZE = (380, 240)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class AreaChart:
    name: str
    chart: Markup


@dataclass(frozen=True)
class Development:
    """A profile questionnaire over time: one chart per area, self and coordinator side by side."""

    questionnaire: Questionnaire
    areas: list[AreaChart]


async def history_page(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        history = person_history(session, person, app.content)
        audit(session, who, "view_history", now=now, person_id=person.id)
    who5 = charts.line_chart(
        [(format_date_short(local(at).date()), score) for at, score in history.who5],
        title=_("WHO-5 over time"),
        description=_("WHO-5 score from 0 to 100 at each check-in, with lines at 50 and 28."),
        max_value=100,
        references=[charts.Reference(50, _("50: low")), charts.Reference(28, _("28: very low"))],
        axes=charts.Axes(x=_("Date of the check-in"), y=_("WHO-5 score (0-100)")),
    )
    developments = [
        development
        for questionnaire_id in (*BIPS, LIFE_AREAS)
        if (development := _development(history, questionnaire_id, app.content.questionnaires))
    ]
    return render(
        request,
        "history.html",
        person=person,
        history=history,
        who5_chart=who5 if history.who5 else None,
        developments=developments,
        printed=local_date(now),
        labels=labels,
    )


def _development(
    history: History, questionnaire_id: str, questionnaires: dict[str, Questionnaire]
) -> Development | None:
    questionnaire = questionnaires.get(questionnaire_id)
    rated: Rated | None = history.rated.get(questionnaire_id)
    if questionnaire is None or rated is None:
        return None
    low, high = questionnaire.low, questionnaire.high
    scale = _("Answer (%(low)s-%(high)s)") % {"low": low, "high": high}
    areas = []
    for item in questionnaire.items:
        own = [(at, values[item.id]) for at, values in rated.own if item.id in values]
        theirs = [(at, values[item.id]) for at, values in rated.coordinator if item.id in values]
        if not own and not theirs:
            continue
        name = item.short or item.text
        chart = charts.time_chart(
            [(_("The young person"), own), (_("Coordinator"), theirs)],
            title=f"{questionnaire.title}: {name}",
            description=_(
                "The young person's own answers and the coordinator's ratings over time, "
                "%(low)s to %(high)s."
            )
            % {"low": low, "high": high},
            low=low,
            high=high,
            axes=charts.Axes(x=_("Date"), y=scale),
            width=AREA_SIZE[0],
            height=AREA_SIZE[1],
        )
        areas.append(AreaChart(name, chart))
    return Development(questionnaire, areas) if areas else None


async def history_file(request: Request) -> Response:
    """The history as a file; any other format is a 404 (after the person check, so a refused
    person is refused whatever the format)."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        kind = request.path_params["format"]
        if kind not in FORMATS:
            raise HTTPException(404)
        history = person_history(session, person, app.content)
        audit(session, who, "export_history", now=now, person_id=person.id, detail=kind)
        number = person.id
    if kind == "csv":
        body = history_export.to_csv(history.lines)
    else:
        body = history_export.to_xlsx(history.lines, title=_("History"))
    # The file's name has the young person's number, never the nickname.
    name = f"ung_{number}_historik_{local_date(now).isoformat()}.{kind}"
    return Response(
        body,
        media_type=FORMATS[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# A 404 on either goes in the audit log as "refused" (dashboard.web.refusals_audited).
ROUTES = [
    Route("/unge/{person_id:int}/historik", refusals_audited(history_page)),
    Route("/unge/{person_id:int}/historik.{format:str}", refusals_audited(history_file)),
]
