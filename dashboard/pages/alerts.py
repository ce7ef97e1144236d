"""The alerts: the inbox (open, taken, and on request resolved) and one alert's page.

An alert is open until someone presses "I'll take it" (acknowledged: who and when), then
resolved with a note of what was done. The state rules are `domain.alerts.handling`'s; who may
see what is `dashboard.alert_view`'s. The page `/alarmer/<id>` is the link in the e-mails.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl

from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import labels
from dashboard.alert_inbox import PAGE_NUMBER, InboxQuery, inbox_page
from dashboard.alert_view import AlertCard, cards
from dashboard.i18n import _
from dashboard.web import (
    PEOPLE_ROLES,
    Viewer,
    audit,
    checked_form,
    dashboard,
    refusals_audited,
    render,
    see_other,
    text,
    viewer,
)
from domain.alerts.handling import NOTE_MAX, acknowledge, resolve
from domain.alerts.kinds import AlertKind
from domain.errors import AlertError
from storage.models import Alert

BACK_TO_PAGE = "side"  # the form's "tilbage" value when it was sent from the alert's own page
LISTING = "liste"  # the form's copy of the inbox page's query string, to come back to it


def _inbox(
    request: Request,
    who: Viewer,
    query: InboxQuery,
    *,
    errors: dict[int, str],
    notes: dict[int, str],
    status_code: int = 200,
) -> Response:
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        page = inbox_page(session, who, query, now=now)
        audit(session, who, "view_alerts", now=now)
    return render(
        request,
        "alerts.html",
        status_code=status_code,
        inbox=page,
        kinds=[(kind.value, labels.alert_kind(kind)) for kind in AlertKind],
        errors=errors,
        notes=notes,
        labels=labels,
        now=now,
    )


async def inbox(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    return _inbox(request, who, InboxQuery.read(request.query_params), errors={}, notes={})


def _alert_page(
    request: Request, who: Viewer, alert_id: int, *, error: str = "", note: str = ""
) -> Response:
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        card = _card_or_404(session, who, alert_id, now=now)
        # One line per view; reading a crisis's words is the stronger of the two.
        action = "view_crisis_words" if card.words is not None else "view_alert"
        person_id = card.alert.young_person_id
        audit(session, who, action, now=now, person_id=person_id, detail=str(alert_id))
    return render(
        request,
        "alert.html",
        status_code=400 if error else 200,
        card=card,
        error=error,
        note=note,
        labels=labels,
        now=now,
    )


def _card_or_404(session: Session, who: Viewer, alert_id: int, *, now: datetime) -> AlertCard:
    found = cards(session, who, Alert.id == alert_id, now=now)
    if not found:
        raise HTTPException(404)
    return found[0]


async def alert_page(request: Request) -> Response:
    who = viewer(request)  # anyone e-mailed about it may open it, whatever their role
    return _alert_page(request, who, request.path_params["alert_id"])


def _listing(form: FormData) -> InboxQuery:
    """The inbox page the form was sent from, read again like a query string (so the way back
    is always a page of the inbox, whatever was posted)."""
    return InboxQuery.read(dict(parse_qsl(text(form, LISTING)[:500])))


def _back(form: FormData, alert_id: int) -> str:
    if text(form, "tilbage") == BACK_TO_PAGE:
        return f"/alarmer/{alert_id}"
    listing = _listing(form)
    here = listing.link(**({PAGE_NUMBER: listing.page} if listing.page else {}))
    return f"/alarmer{'?' + here if here else ''}#alert-{alert_id}"


async def take(request: Request) -> Response:
    """Open -> acknowledged; a second press (or someone else's) changes nothing."""
    who = viewer(request)
    form = await checked_form(request)
    alert_id: int = request.path_params["alert_id"]
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        card = _card_or_404(session, who, alert_id, now=now)
        if acknowledge(session, card.alert, staff_id=who.id, now=now):
            audit(
                session,
                who,
                "acknowledge_alert",
                now=now,
                person_id=card.alert.young_person_id,
                detail=str(alert_id),
            )
    return see_other(_back(form, alert_id))


async def finish(request: Request) -> Response:
    """Open or acknowledged -> resolved, with a note of what was done."""
    who = viewer(request)
    form = await checked_form(request)
    alert_id: int = request.path_params["alert_id"]
    note = text(form, "note")
    app = dashboard(request)
    now = app.clock()
    try:
        with app.database.session() as session:
            card = _card_or_404(session, who, alert_id, now=now)
            if resolve(session, card.alert, staff_id=who.id, note=note, now=now):
                audit(
                    session,
                    who,
                    "resolve_alert",
                    now=now,
                    person_id=card.alert.young_person_id,
                    detail=str(alert_id),
                )
    except AlertError:
        error = _("Write a short note (at most %(max)s characters) about what you did.") % {
            "max": NOTE_MAX
        }
        if text(form, "tilbage") == BACK_TO_PAGE or who.role not in PEOPLE_ROLES:
            return _alert_page(request, who, alert_id, error=error, note=note)
        listing = _listing(form)
        with dashboard(request).database.session() as session:
            page = inbox_page(session, who, listing, now=now)
        if alert_id not in {card.alert.id for s in page.sections for card in s.cards}:
            # Not on that page any more (taken by someone else): the error on the alert's page.
            return _alert_page(request, who, alert_id, error=error, note=note)
        return _inbox(
            request,
            who,
            listing,
            errors={alert_id: error},
            notes={alert_id: note},
            status_code=400,
        )
    return see_other(_back(form, alert_id))


# A 404 on any of these goes in the audit log as "refused" (dashboard.web.refusals_audited).
ROUTES = [
    Route("/alarmer", refusals_audited(inbox)),
    Route("/alarmer/{alert_id:int}", refusals_audited(alert_page)),
    Route("/alarmer/{alert_id:int}/tag", refusals_audited(take), methods=["POST"]),
    Route("/alarmer/{alert_id:int}/loes", refusals_audited(finish), methods=["POST"]),
]
