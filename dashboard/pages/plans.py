"""Meetings and agreements: create, edit, cancel; reminders are planned by domain.meetings and
domain.agreements."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.locale import format_moment, local
from dashboard import labels
from dashboard.course_view import tell
from dashboard.forms import AgreementForm, MeetingForm
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
from domain.agreements import is_overdue
from domain.errors import PlanningError
from domain.outbox import ReminderKind, Subject
from domain.reminder_timing import local_date
from storage.models import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingStatus,
    PersonStatus,
    Reminder,
    ReminderStatus,
    YoungPerson,
)

T = TypeVar("T", Meeting, Agreement)


def _meeting_form(form: FormData) -> MeetingForm:
    return MeetingForm(
        kind=text(form, "kind"),
        day=text(form, "day"),
        at=text(form, "at"),
        place=text(form, "place"),
        participants=text(form, "participants"),
        agenda=text(form, "agenda"),
    )


def _agreement_form(form: FormData) -> AgreementForm:
    return AgreementForm(
        goal=text(form, "goal"),
        action=text(form, "action"),
        responsible=text(form, "responsible"),
        deadline=text(form, "deadline"),
    )


def _owned(row: T | None, person: YoungPerson) -> T:
    """`row` if it is this young person's; anything else is a 404."""
    if row is None or row.young_person_id != person.id:
        raise HTTPException(404)
    return row


def _edited(session: Session, model: type[T], row_id: str | None, person: YoungPerson) -> T | None:
    """The row a form edits (None for a new one); an unknown or another person's is a 404."""
    return None if row_id is None else _owned(session.get(model, row_id), person)


async def meeting(request: Request) -> Response:
    """GET: the form (empty, or filled in for an edit). POST: save and plan the reminders."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    meeting_id = request.path_params.get("meeting_id")
    form = MeetingForm()
    if request.method == "POST":
        form = _meeting_form(await checked_form(request))
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        existing = _edited(session, Meeting, meeting_id, person)
        if existing is not None and (
            existing.status != MeetingStatus.PLANNED or existing.starts_at <= now
        ):
            raise HTTPException(404)  # past and cancelled meetings are history
        if request.method == "GET" and existing is not None:
            starts = local(existing.starts_at)
            form = MeetingForm(
                kind=existing.kind,
                day=starts.date().isoformat(),
                at=starts.strftime("%H:%M"),
                place=existing.place,
                participants=existing.participants,
                agenda=existing.agenda,
            )
        details = form.details(now=now) if request.method == "POST" else None
        if details is None:
            # The form shows the young person's name (and, editing, the meeting): a view.
            shown = str(existing.id) if existing is not None else ""
            audit(session, who, "view_meeting_form", now=now, person_id=person.id, detail=shown)
            status = 400 if form.errors else 200
            return render(
                request,
                "meeting_form.html",
                status_code=status,
                person=person,
                form=form,
                editing=existing is not None,
                labels=labels,
                told=person.status == PersonStatus.ACTIVE,
            )
        before = _last_reminder(session)
        if existing is None:
            saved = meetings.create_meeting(session, person.id, details, now=now, rules=app.rules)
        else:
            saved = meetings.update_meeting(session, existing.id, details, now=now, rules=app.rules)
        audit(session, who, "plan_meeting", now=now, person_id=person.id, detail=str(saved.id))
        notice = _change_notice(session, person, saved.id, after=before, cancelled=False, now=now)
        tell(request, notice)
        return see_other(f"/unge/{person.id}#meeting-{saved.id}")


async def cancel_meeting(request: Request) -> Response:
    return await _cancel(request, Meeting, "meeting_id", meetings.cancel_meeting, "meetings")


def _last_reminder(session: Session) -> int:
    return session.scalar(select(func.max(Reminder.id))) or 0


def _change_notice(
    session: Session,
    person: YoungPerson,
    meeting_id: int,
    *,
    after: int,
    cancelled: bool,
    now: datetime,
) -> str:
    """The confirmation after saving or cancelling a meeting, saying truly whether and when
    the young person gets a message about it (the one change message domain.meetings queued,
    if any, after reminder id `after`)."""
    done = _("The meeting is cancelled.") if cancelled else _("The meeting is saved.")
    change = session.scalars(
        select(Reminder)
        .where(
            Reminder.subject == str(Subject.meeting(meeting_id)),
            Reminder.kind.in_([ReminderKind.MEETING_MOVED, ReminderKind.MEETING_CANCELLED]),
            Reminder.id > after,
        )
        .order_by(Reminder.id.desc())
    ).first()
    if change is None:
        return done
    if person.status != PersonStatus.ACTIVE:
        return (
            done
            + " "
            + _("The young person gets no message about it, because they are not taking part now.")
        )
    if change.status != ReminderStatus.PENDING:
        return (
            done
            + " "
            + _(
                "The young person gets no message about it: the night's quiet hours last until "
                "the meeting."
            )
        )
    if cancelled:
        message = _("The young person gets a short message that the meeting is cancelled")
    else:
        message = _("The young person gets a short message with the new time and place")
    if change.due_at <= now:
        return f"{done} {message}."
    return (
        done
        + " "
        + _("%(message)s at %(time)s (not at night).")
        % {
            "message": message,
            "time": format_moment(change.due_at),
        }
    )


async def reply(request: Request) -> Response:
    """The coordinator's answer to "I can't come", sent to the young person by the outbox."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    message = text(form, "reply")
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        existing = _owned(session.get(Meeting, request.path_params["meeting_id"]), person)
        if not message or len(message) > 1000:
            error = _("Write an answer of at most 1000 characters.")
            return render(
                request,
                "message.html",
                status_code=400,
                title=_("Answer not sent"),
                message=error,
                back=f"/unge/{person.id}#meeting-{existing.id}",
            )
        # The same answer sent twice in one moment (a double click) goes once.
        with suppress(PlanningError):
            meetings.relay_coordinator_reply(
                session, existing.id, message, now=now, staff_id=who.id
            )
        audit(session, who, "reply_meeting", now=now, person_id=person.id, detail=str(existing.id))
    return see_other(f"/unge/{person.id}#meeting-{request.path_params['meeting_id']}")


async def agreement(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    agreement_id = request.path_params.get("agreement_id")
    form = AgreementForm()
    if request.method == "POST":
        form = _agreement_form(await checked_form(request))
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        existing = _edited(session, Agreement, agreement_id, person)
        if existing is not None and existing.status not in (
            AgreementStatus.OPEN,
            AgreementStatus.NOT_YET,
        ):
            raise HTTPException(404)
        if request.method == "GET" and existing is not None:
            form = AgreementForm(
                goal=existing.goal,
                action=existing.action,
                responsible=existing.responsible,
                deadline=existing.deadline.isoformat(),
            )
        keep = existing.deadline if existing is not None else None
        details = form.details(now=now, keep=keep) if request.method == "POST" else None
        if details is None:
            shown = str(existing.id) if existing is not None else ""
            audit(session, who, "view_agreement_form", now=now, person_id=person.id, detail=shown)
            status = 400 if form.errors else 200
            return render(
                request,
                "agreement_form.html",
                status_code=status,
                person=person,
                form=form,
                editing=existing is not None,
                agreement=existing,
                overdue=existing is not None and is_overdue(existing, today=local_date(now)),
            )
        if existing is None:
            saved = agreements.create_agreement(
                session, person.id, details, now=now, rules=app.rules
            )
        else:
            saved = agreements.update_agreement(
                session, existing.id, details, now=now, rules=app.rules
            )
        audit(session, who, "plan_agreement", now=now, person_id=person.id, detail=str(saved.id))
        tell(request, _("The agreement is saved."))
        return see_other(f"/unge/{person.id}#agreement-{saved.id}")


async def cancel_agreement(request: Request) -> Response:
    return await _cancel(
        request, Agreement, "agreement_id", agreements.cancel_agreement, "agreements"
    )


async def _cancel(
    request: Request,
    model: type[T],
    key: str,
    cancel: Callable[..., object],
    kind: str,
) -> Response:
    """Cancel one of the young person's meetings or agreements; its reminders go with it."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        row = _owned(session.get(model, request.path_params[key]), person)
        before = _last_reminder(session)
        cancel(session, row.id, now=now)
        audit(session, who, f"cancel_{kind[:-1]}", now=now, person_id=person.id, detail=str(row.id))
        if model is Meeting:
            notice = _change_notice(session, person, row.id, after=before, cancelled=True, now=now)
            tell(request, notice)
        else:
            tell(request, _("The agreement is cancelled."))
    return see_other(f"/unge/{person.id}#{kind}-heading")


PERSON = "/unge/{person_id:int}"
GUARDED = refusals_audited  # a 404 here goes in the audit log as "refused"
ROUTES = [
    Route(PERSON + "/moeder/ny", GUARDED(meeting), methods=["GET", "POST"]),
    Route(PERSON + "/moeder/{meeting_id:int}", GUARDED(meeting), methods=["GET", "POST"]),
    Route(PERSON + "/moeder/{meeting_id:int}/aflys", GUARDED(cancel_meeting), methods=["POST"]),
    Route(PERSON + "/moeder/{meeting_id:int}/svar", GUARDED(reply), methods=["POST"]),
    Route(PERSON + "/aftaler/ny", GUARDED(agreement), methods=["GET", "POST"]),
    Route(PERSON + "/aftaler/{agreement_id:int}", GUARDED(agreement), methods=["GET", "POST"]),
    Route(
        PERSON + "/aftaler/{agreement_id:int}/aflys", GUARDED(cancel_agreement), methods=["POST"]
    ),
]
