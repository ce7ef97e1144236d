"""After the fact: an agreement's outcome (done, not done, dropped) and reopening it, and
whether the young person came to a meeting. Each is a POST that redirects to the person page
with a short confirmation (post/redirect/get)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.course_view import tell
from dashboard.i18n import _
from dashboard.web import (
    PEOPLE_ROLES,
    audit,
    checked_form,
    dashboard,
    person_or_404,
    refusals_audited,
    render,
    see_other,
    text,
    viewer,
)
from domain import agreements, meetings
from storage.models import (
    AGREEMENT_OUTCOMES,
    AGREEMENT_RUNNING,
    Actor,
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingAttendance,
    MeetingStatus,
    YoungPerson,
)


def _agreement(session: Session, request: Request, person: YoungPerson) -> Agreement:
    row = session.get(Agreement, request.path_params["agreement_id"])
    if row is None or row.young_person_id != person.id:
        raise HTTPException(404)
    return row


def _refused(request: Request, person_id: int, anchor: str, message: str) -> Response:
    """Bad input: the person page's choice was not one we know; nothing was changed."""
    return render(
        request,
        "message.html",
        status_code=400,
        title=_("Nothing was changed"),
        message=message,
        back=f"/unge/{person_id}#{anchor}",
    )


async def agreement_outcome(request: Request) -> Response:
    """The coordinator marks an agreement done, not done or dropped (also after the young
    person answered; the coordinator's outcome then stands)."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        row = _agreement(session, request, person)
        anchor = f"agreement-{row.id}"
        chosen = text(form, "outcome")
        if chosen not in {str(outcome) for outcome in AGREEMENT_OUTCOMES}:
            return _refused(request, person.id, anchor, _("Choose done, not done or dropped."))
        if row.status not in (*AGREEMENT_RUNNING, *AGREEMENT_OUTCOMES):
            return _refused(
                request, person.id, anchor, _("A cancelled agreement cannot get an outcome.")
            )
        agreements.record_outcome(
            session,
            row.id,
            AgreementStatus(chosen),
            by=Actor.COORDINATOR,
            now=now,
            staff_id=who.id,
        )
        audit(session, who, "agreement_outcome", now=now, person_id=person.id, detail=f"{row.id}")
        tell(request, _("The agreement's outcome is saved. Its reminders have stopped."))
        return see_other(f"/unge/{person.id}#{anchor}")


async def reopen(request: Request) -> Response:
    """Undo an outcome: the agreement runs again, with its reminders still ahead."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        row = _agreement(session, request, person)
        anchor = f"agreement-{row.id}"
        if row.status not in AGREEMENT_OUTCOMES:
            return _refused(
                request, person.id, anchor, _("Only an agreement with an outcome can be reopened.")
            )
        agreements.reopen_agreement(session, row.id, now=now, rules=app.rules)
        audit(session, who, "reopen_agreement", now=now, person_id=person.id, detail=f"{row.id}")
        tell(request, _("The agreement is open again."))
        return see_other(f"/unge/{person.id}#{anchor}")


async def attendance(request: Request) -> Response:
    """After a meeting began: did the young person come? (It can be corrected.)"""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        row = session.get(Meeting, request.path_params["meeting_id"])
        if row is None or row.young_person_id != person.id:
            raise HTTPException(404)
        anchor = f"meeting-{row.id}"
        chosen = text(form, "attendance")
        if chosen not in {str(value) for value in MeetingAttendance}:
            return _refused(request, person.id, anchor, _("Choose whether the young person came."))
        if row.status != MeetingStatus.PLANNED or row.starts_at > now:
            return _refused(
                request,
                person.id,
                anchor,
                _("Whether the young person came can be saved once the meeting has begun."),
            )
        meetings.record_attendance(
            session, row.id, MeetingAttendance(chosen), staff_id=who.id, now=now
        )
        audit(session, who, "record_attendance", now=now, person_id=person.id, detail=f"{row.id}")
        tell(request, _("Saved whether the young person came."))
        return see_other(f"/unge/{person.id}#{anchor}")


PERSON = "/unge/{person_id:int}"
GUARDED = refusals_audited  # a 404 here goes in the audit log as "refused"
ROUTES = [
    Route(
        PERSON + "/aftaler/{agreement_id:int}/udfald",
        GUARDED(agreement_outcome),
        methods=["POST"],
    ),
    Route(PERSON + "/aftaler/{agreement_id:int}/genaabn", GUARDED(reopen), methods=["POST"]),
    Route(PERSON + "/moeder/{meeting_id:int}/fremmoede", GUARDED(attendance), methods=["POST"]),
]
