"""The alerts inbox: urgent first, then newest; each is acknowledged with a short note."""

from __future__ import annotations

from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import labels
from dashboard.i18n import _
from dashboard.web import (
    PEOPLE_ROLES,
    Viewer,
    audit,
    checked_form,
    dashboard,
    render,
    see_other,
    text,
    viewer,
    visible_people,
)
from storage.models import Alert, StaffUser, YoungPerson

NOTE_MAX = 1000
SHOWN = 300  # the newest acknowledged ones; open ones are always all shown


def _inbox(
    request: Request,
    who: Viewer,
    *,
    everything: bool,
    errors: dict[int, str],
    notes: dict[int, str],
    status_code: int = 200,
) -> Response:
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        query = (
            select(Alert, YoungPerson.pseudonym, StaffUser.display_name)
            .join(YoungPerson, YoungPerson.id == Alert.young_person_id)
            .outerjoin(StaffUser, StaffUser.id == Alert.acknowledged_by)
            .where(Alert.young_person_id.in_(visible_people(who)))
        )
        open_rows = session.execute(
            query.where(Alert.acknowledged_at.is_(None)).order_by(
                Alert.urgent.desc(), Alert.created_at.desc(), Alert.id.desc()
            )
        ).all()
        done_rows = (
            session.execute(
                query.where(Alert.acknowledged_at.is_not(None))
                .order_by(Alert.acknowledged_at.desc())
                .limit(SHOWN)
            ).all()
            if everything
            else []
        )
        audit(session, who, "view_alerts", now=now)
    return render(
        request,
        "alerts.html",
        status_code=status_code,
        open_rows=open_rows,
        done_rows=done_rows,
        everything=everything,
        errors=errors,
        notes=notes,
        labels=labels,
    )


async def inbox(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    everything = request.query_params.get("vis") == "alle"
    return _inbox(request, who, everything=everything, errors={}, notes={})


async def acknowledge(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    note = text(form, "note")
    alert_id: int = request.path_params["alert_id"]
    with app.database.session() as session:
        alert = session.get(Alert, alert_id)
        visible = session.scalar(
            select(YoungPerson.id).where(
                YoungPerson.id.in_(visible_people(who)),
                YoungPerson.id == (alert.young_person_id if alert else None),
            )
        )
        if alert is None or visible is None:
            raise HTTPException(404)
        if note and len(note) <= NOTE_MAX and alert.acknowledged_at is None:
            # A second click on a handled alert changes nothing.
            alert.acknowledged_at = app.clock()
            alert.acknowledged_by = who.id
            alert.note = note
    if not note or len(note) > NOTE_MAX:
        error = _("Write a short note (at most 1000 characters) about what you did.")
        return _inbox(
            request,
            who,
            everything=False,
            errors={alert_id: error},
            notes={alert_id: note},
            status_code=400,
        )
    return see_other("/alarmer")


ROUTES = [
    Route("/alarmer", inbox),
    Route("/alarmer/{alert_id:int}", acknowledge, methods=["POST"]),
]
