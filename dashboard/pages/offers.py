"""Offers (tilbud): the list an administrator keeps (/tilbud), and the offers a young person
receives, with a start day and an end day, recorded by their coordinator
(/unge/<id>/tilbud). The key-figure report counts them (domain.report_queries.offers_received).

Every change is a POST that redirects with a short confirmation (post/redirect/get) and a line in
the audit log; the rules are domain.offers' (names unique, retired offers kept for history and
given to no one new, an end day not before the start day). A wrong form is shown again with its
Danish message and what was typed, and nothing is changed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.course_view import take, tell
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
from domain import offers
from domain.errors import OfferError
from domain.reminder_timing import local_date
from storage.models import Offer, PersonOffer, StaffRole, YoungPerson

LIST = "/tilbud"
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # a day typed outside is a typing error


# --- the list (administrators) -----------------------------------------------------------------


async def offer_list(request: Request) -> Response:
    """GET: the offers, retired ones last, with forms to add, rename, retire and take back into
    use. POST (`action` add, rename, retire or restore): that change."""
    who = viewer(request, roles=(StaffRole.ADMIN,))
    app = dashboard(request)
    now = app.clock()
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        form = await checked_form(request)
        with app.database.session() as session:
            errors, typed = _change_list(session, who, form, request=request)
            if not errors:
                return see_other(LIST)
    with app.database.session() as session:
        listed = offers.list_offers(session, now=now, retired=True)
        return render(
            request,
            "offers.html",
            status_code=400 if errors else 200,
            offers=listed,
            errors=errors,
            typed=typed,
            notice=None if errors else take(request),
        )


def _change_list(
    session: Session, who: Viewer, form: FormData, *, request: Request
) -> tuple[dict[str, str], dict[str, str]]:
    """Do the posted change: ({}, {}) when done, else (errors by field, what was typed)."""
    action, name = text(form, "action"), text(form, "name")
    at = dashboard(request).clock()
    if action == "add":
        try:
            added = offers.add_offer(session, name, now=at)
        except OfferError:
            return {"name": _name_problem(name)}, {"name": name}
        audit(session, who, "add_offer", now=at, detail=str(added.id))
        tell(request, _("%(name)s is on the list.") % {"name": added.name})
        return {}, {}
    offer = _posted_offer(session, form)
    field = f"name-{offer.id}"
    if action == "rename":
        try:
            offers.rename_offer(session, offer.id, name)
        except OfferError:
            return {field: _name_problem(name)}, {field: name}
        audit(session, who, "rename_offer", now=at, detail=str(offer.id))
        tell(request, _("The offer is now called %(name)s.") % {"name": offer.name})
        return {}, {}
    if action in ("retire", "restore"):
        offers.set_offer_active(session, offer.id, active=action == "restore")
        audit(session, who, f"{action}_offer", now=at, detail=str(offer.id))
        if action == "retire":
            message = _("%(name)s is retired: no one new can get it; the history keeps it.")
        else:
            message = _("%(name)s can be given again.")
        tell(request, message % {"name": offer.name})
        return {}, {}
    raise HTTPException(400)


def _name_problem(name: str) -> str:
    """Why domain.offers refused the name (empty, too long, or taken)."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return _("Write the name of the offer.")
    if len(cleaned) > offers.NAME_MAX:
        return _("Use at most %(count)s characters.") % {"count": offers.NAME_MAX}
    return _("There is already an offer with that name.")


def _posted_offer(session: Session, form: FormData) -> Offer:
    offer_id = id_from(text(form, "offer"))
    offer = session.get(Offer, offer_id) if offer_id is not None else None
    if offer is None:
        raise HTTPException(400)
    return offer


# --- one young person's offers (coordinators and administrators) -------------------------------


def _page(person_id: int) -> str:
    return f"/unge/{person_id}/tilbud"


async def person_offers(request: Request) -> Response:
    """GET: the young person's offers and a form to record one. POST (`action` give, change or
    remove): record an offer, change its days (or end it), or remove one recorded by mistake."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    today = local_date(now)
    form = await checked_form(request) if request.method == "POST" else None
    errors: dict[str, str] = {}
    typed: dict[str, str] = {"starts_on": today.isoformat(), "ends_on": ""}
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        if form is None:
            audit(session, who, "view_offers", now=now, person_id=person.id)
        else:
            errors, typed = _change_person(session, who, person, form, request=request)
            if not errors:
                return see_other(_page(person.id))
        return render(
            request,
            "person_offers.html",
            status_code=400 if errors else 200,
            person=person,
            received=offers.offers_of(session, person.id),
            choices=offers.list_offers(session, now=now),
            errors=errors,
            typed=typed,
            notice=None if errors else take(request),
        )


def _change_person(
    session: Session, who: Viewer, person: YoungPerson, form: FormData, *, request: Request
) -> tuple[dict[str, str], dict[str, str]]:
    now = dashboard(request).clock()
    action = text(form, "action")
    if action == "give":
        typed = {name: text(form, name) for name in ("offer", "starts_on", "ends_on")}
        offer_id = id_from(typed["offer"])
        offer = session.get(Offer, offer_id) if offer_id is not None else None
        errors = _day_errors(typed, prefix="")
        if offer is None or not offer.active:
            errors["offer"] = _("Choose an offer from the list.")
        if errors or offer is None:
            return errors, typed
        offers.give_offer(
            session,
            person.id,
            offer.id,
            starts_on=date.fromisoformat(typed["starts_on"]),
            ends_on=_day(typed["ends_on"]),
            staff_id=who.id,
            now=now,
        )
        audit(session, who, "give_offer", now=now, person_id=person.id, detail=str(offer.id))
        tell(request, _("%(offer)s is recorded.") % {"offer": offer.name})
        return {}, {}
    received = _posted_received(session, person, form)
    if action == "change":
        prefix = f"{received.id}-"
        typed = {prefix + name: text(form, name) for name in ("starts_on", "ends_on")}
        errors = _day_errors(typed, prefix=prefix)
        if errors:
            return errors, typed
        offers.change_person_offer(
            session,
            received.id,
            starts_on=date.fromisoformat(typed[prefix + "starts_on"]),
            ends_on=_day(typed[prefix + "ends_on"]),
        )
        audit(session, who, "change_offer_days", now=now, person_id=person.id)
        tell(request, _("The days are saved."))
        return {}, {}
    if action == "remove":
        offers.remove_person_offer(session, received.id)
        audit(session, who, "remove_person_offer", now=now, person_id=person.id)
        tell(request, _("The offer is removed."))
        return {}, {}
    raise HTTPException(400)


def _posted_received(session: Session, person: YoungPerson, form: FormData) -> PersonOffer:
    """The offer received that the form names: this young person's, else a 404 (like a person
    the viewer may not see)."""
    received_id = id_from(text(form, "received"))
    received = session.get(PersonOffer, received_id) if received_id is not None else None
    if received is None or received.young_person_id != person.id:
        raise HTTPException(404)
    return received


def _day(typed: str) -> date | None:
    return date.fromisoformat(typed) if typed else None


def _day_errors(typed: dict[str, str], *, prefix: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name in ("starts_on", "ends_on"):
        value = typed[prefix + name]
        if not value and name == "ends_on":
            continue
        try:
            day = date.fromisoformat(value)
        except ValueError:
            errors[prefix + name] = _("Choose a date.")
            continue
        if not EARLIEST <= day <= LATEST:
            errors[prefix + name] = _("Choose a date between the years 2000 and 2099.")
            continue
        days[name] = day
    if "starts_on" in days and "ends_on" in days and days["ends_on"] < days["starts_on"]:
        errors[prefix + "ends_on"] = _("The end day cannot be before the start day.")
    return errors


ROUTES = [
    Route(LIST, offer_list, methods=["GET", "POST"]),
    Route(
        "/unge/{person_id:int}/tilbud",
        refusals_audited(person_offers),
        methods=["GET", "POST"],
    ),
]
