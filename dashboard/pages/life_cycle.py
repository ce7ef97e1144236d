"""A young person's course on the person page: pause, resume, end with an outcome, hand over
to another contact person, erase. Every action is a POST that redirects with a short
confirmation (post/redirect/get); the rules are domain.lifecycle's.

Handing over: an administrator, and a coordinator for their own young people (a colleague
taking over is everyday work; the change is recorded and audited either way)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import labels
from dashboard.course_view import contacts, take, tell
from dashboard.i18n import _
from dashboard.url_ids import id_from
from dashboard.web import (
    PEOPLE_ROLES,
    Viewer,
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
from domain import lifecycle
from domain.errors import LifecycleError
from domain.reminder_timing import local_date
from storage.erasure import belongs_to
from storage.models import Base, EndOutcome, StaffRole, YoungPerson

DONE = "/kvittering"  # where an action lands when the young person is no longer visible


def _page(person_id: int) -> str:
    return f"/unge/{person_id}#course-heading"


def _refused(request: Request, person_id: int, message: str) -> Response:
    return render(
        request,
        "message.html",
        status_code=400,
        title=_("Nothing was changed"),
        message=message,
        back=_page(person_id),
    )


async def _status_action(
    request: Request,
    change: Callable[..., YoungPerson],
    *,
    action: str,
    done: str,
    refused: str,
) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        try:
            change(session, person.id, staff_id=who.id, now=now)
        except LifecycleError:
            return _refused(request, person.id, refused)
        audit(session, who, action, now=now, person_id=person.id)
        tell(request, done)
        return see_other(_page(person.id))


async def pause(request: Request) -> Response:
    return await _status_action(
        request,
        lifecycle.pause,
        action="pause_person",
        done=_("The course is paused. The young person gets no reminders or check-ins."),
        refused=_("Only a young person who is taking part can be paused."),
    )


async def resume(request: Request) -> Response:
    return await _status_action(
        request,
        lifecycle.resume,
        action="resume_person",
        done=_("The course goes on. Reminders and check-ins start again."),
        refused=_("Only a paused course can go on."),
    )


async def end(request: Request) -> Response:
    """GET: the form (outcome, day, note). POST: end the course."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    today = local_date(now)
    values = {"outcome": "", "ended_on": today.isoformat(), "note": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await checked_form(request)
        values = {name: text(form, name) for name in values}
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        if request.method == "POST":
            errors = _end_errors(values, today=today, started=local_date(person.created_at))
            if not errors and person.end_outcome is None:
                lifecycle.end_course(
                    session,
                    person.id,
                    EndOutcome(values["outcome"]),
                    ended_on=date.fromisoformat(values["ended_on"]),
                    note=values["note"],
                    staff_id=who.id,
                    now=now,
                )
                audit(session, who, "end_course", now=now, person_id=person.id)
                tell(request, _("The course has ended. The young person gets no more reminders."))
                return see_other(_page(person.id))
            if not errors:
                errors["outcome"] = _("The course has already ended with an outcome.")
        else:
            audit(session, who, "view_end_form", now=now, person_id=person.id)
        return render(
            request,
            "end_course.html",
            status_code=400 if errors else 200,
            person=person,
            values=values,
            errors=errors,
            outcomes=[(str(o), labels.end_outcome(o)) for o in EndOutcome],
            today=today,
        )


def _end_errors(values: dict[str, str], *, today: date, started: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["outcome"] not in {str(outcome) for outcome in EndOutcome}:
        errors["outcome"] = _("Choose how the course ended.")
    try:
        day = date.fromisoformat(values["ended_on"])
    except ValueError:
        errors["ended_on"] = _("Choose a date.")
    else:
        if day > today:
            errors["ended_on"] = _("The day cannot be after today.")
        elif day < started:
            errors["ended_on"] = _("The day cannot be before the young person was invited.")
    if len(values["note"]) > lifecycle.NOTE_MAX:
        errors["note"] = _("Use at most 500 characters.")
    elif values["outcome"] == EndOutcome.OTHER and not values["note"]:
        errors["note"] = _("Write a few words about how it ended.")
    return errors


async def reassign(request: Request) -> Response:
    """Hand the young person over to another coordinator; the change is recorded."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        target = id_from(text(form, "coordinator"))
        allowed = dict(contacts(session, but=person.coordinator_id))
        if target is None or target not in allowed:
            return _refused(request, person.id, _("Choose one of the coordinators in the list."))
        lifecycle.reassign(session, person.id, to_coordinator_id=target, staff_id=who.id, now=now)
        audit(session, who, "reassign_person", now=now, person_id=person.id, detail=str(target))
        message = _("%(name)s is now the contact person.") % {"name": allowed[target]}
        tell(request, message)
        return see_other(_after_handover(session, who, person))


def _after_handover(session: Session, who: Viewer, person: YoungPerson) -> str:
    """The person page if the viewer still sees the young person, else the receipt."""
    if who.role == StaffRole.ADMIN or who.coordinates(person.coordinator_id):
        return _page(person.id)
    return DONE


async def erase(request: Request) -> Response:
    """GET: what will be deleted, to confirm. POST with the confirmation: delete it all, with
    the same code as `ungeguide people erase` (domain.lifecycle.erase)."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    confirmed = None
    if request.method == "POST":
        confirmed = (await checked_form(request)).get("confirm") == "yes"
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        if confirmed:
            person_id, name = person.id, person.pseudonym
            lifecycle.erase(session, person_id, reason="request", now=now)
            audit(session, who, "erase_person", now=now, person_id=person_id)
            tell(request, _("Everything about %(name)s is deleted.") % {"name": name})
            return see_other(DONE)
        if confirmed is None:
            audit(session, who, "view_erase_form", now=now, person_id=person.id)
        return render(
            request,
            "erase_person.html",
            status_code=400 if confirmed is False else 200,
            person=person,
            rows=_what_is_stored(session, person.id),
            missing=confirmed is False,
        )


def _table_words(name: str) -> str:
    return {
        "young_person": _("The nickname, birth year and link to Telegram"),
        "questionnaire_response": _("Check-ins and questionnaires"),
        "answer": _("Answers to single questions"),
        "meeting": _("Meetings"),
        "meeting_feedback": _("Feedback after network meetings"),
        "agreement": _("Agreements"),
        "alert": _("Alerts"),
        "staff_notification": _("E-mails to staff about alerts"),
        "reminder": _("Messages and reminders"),
        "coordinator_rating": _("Coordinator ratings (BIP and life areas)"),
        "conversation_state": _("Where the conversation with the bot stands"),
        "coordinator_change": _("Changes of contact person"),
        "person_status_change": _("Changes of status"),
        "person_offer": _("Offers received"),
        "workshop_follower": _("Following youth workshops"),
    }.get(name, _("Other records"))


def _what_is_stored(session: Session, person_id: int) -> list[tuple[str, int]]:
    """What erasing would delete, per kind of row, from the same foreign-key walk that
    storage.erasure.erase_person deletes by."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        condition = belongs_to(table, person_id)
        if condition is None:
            continue
        found = session.scalar(select(func.count()).select_from(table).where(condition)) or 0
        if found:
            words = _table_words(table.name)
            counts[words] = counts.get(words, 0) + found
    return list(counts.items())


async def receipt(request: Request) -> Response:
    """Where an erasure or a handover away lands: its confirmation, once."""
    viewer(request, roles=PEOPLE_ROLES)
    notice = take(request)
    if notice is None:
        return see_other("/unge")
    return render(request, "course_done.html", notice=notice)


PERSON = "/unge/{person_id:int}"
GUARDED = refusals_audited  # a 404 here goes in the audit log as "refused"
ROUTES = [
    Route(DONE, GUARDED(receipt)),
    Route(PERSON + "/pause", GUARDED(pause), methods=["POST"]),
    Route(PERSON + "/genoptag", GUARDED(resume), methods=["POST"]),
    Route(PERSON + "/afslut", GUARDED(end), methods=["GET", "POST"]),
    Route(PERSON + "/kontaktperson", GUARDED(reassign), methods=["POST"]),
    Route(PERSON + "/slet", GUARDED(erase), methods=["GET", "POST"]),
]
