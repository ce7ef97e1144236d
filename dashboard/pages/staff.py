"""Staff, the duty list (vagt), absence with a stand-in, and the accounts' lifecycle.

An admin sees everyone and sets who is on the duty list (they get the urgent alerts nobody has
taken in time) and who is away, with whom standing in. A coordinator sets only their own
absence. While a coordinator is away, their stand-in gets their alert e-mails and sees their
young people on the dashboard (`domain.alerts.raising.stand_in_for`). An admin also closes and
opens accounts, changes roles and makes a one-time link for a new password
(`dashboard.accounts`; there is always an active admin left). Every change goes in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import accounts, labels
from dashboard.errors import AccountError
from dashboard.i18n import _
from dashboard.url_ids import id_from
from dashboard.web import (
    PEOPLE_ROLES,
    Viewer,
    audit,
    checked_form,
    dashboard,
    public_url,
    render,
    see_other,
    text,
    viewer,
)
from domain.alerts.raising import reachable, stand_in_for
from storage.models import StaffRole, StaffUser

# Who can stand in for someone, and be on the duty list: those who see young people.
STAND_IN_ROLES = (StaffRole.ADMIN, StaffRole.COORDINATOR)


@dataclass(frozen=True)
class StaffRow:
    staff: StaffUser
    stand_in: str | None  # the chosen stand-in's name
    alerts_go_to: str | None  # while away: who gets their alerts now (None: the duty list)
    reachable: bool


def _rows(session: Session, who: Viewer) -> tuple[list[StaffRow], list[StaffUser]]:
    everyone = list(session.scalars(select(StaffUser).order_by(StaffUser.display_name)))
    by_id = {staff.id: staff for staff in everyone}
    absent = {staff.id: staff.stand_in_id for staff in everyone if staff.absent}
    shown = everyone if who.role == StaffRole.ADMIN else [by_id[who.id]]
    rows = []
    for staff in shown:
        covering = stand_in_for(absent, staff.id) if staff.absent else None
        chosen = by_id.get(staff.stand_in_id) if staff.stand_in_id else None
        rows.append(
            StaffRow(
                staff=staff,
                stand_in=chosen.display_name if chosen else None,
                alerts_go_to=by_id[covering].display_name if covering in by_id else None,
                reachable=reachable(staff),
            )
        )
    candidates = [s for s in everyone if s.role in STAND_IN_ROLES and s.disabled_at is None]
    return rows, candidates


def _page(
    request: Request,
    who: Viewer,
    *,
    errors: dict[int, dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    app = dashboard(request)
    with app.database.session() as session:
        rows, candidates = _rows(session, who)
        on_duty = [s.display_name for s in candidates if s.on_duty]
    return render(
        request,
        "staff.html",
        status_code=status_code,
        rows=rows,
        candidates=candidates,
        on_duty=on_duty,
        errors=errors or {},
        saved=request.query_params.get("gemt"),
        labels_role=labels.role,
        roles=[role.value for role in StaffRole],
    )


async def staff_page(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    return _page(request, who)


def _problems(
    session: Session, staff: StaffUser, *, stand_in_id: int | None, on_duty: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if on_duty and staff.role not in STAND_IN_ROLES:
        errors["on_duty"] = _("Only coordinators and administrators can be on the duty list.")
    if stand_in_id is not None:
        chosen = session.get(StaffUser, stand_in_id)
        if (
            chosen is None
            or chosen.role not in STAND_IN_ROLES
            or chosen.id == staff.id
            or chosen.disabled_at is not None
        ):
            errors["stand_in"] = _("Choose another coordinator or an administrator.")
        elif chosen.absent and chosen.stand_in_id == staff.id:
            errors["stand_in"] = _(
                "%(name)s is away and has you as stand-in. Choose someone else."
            ) % {"name": chosen.display_name}
    return errors


async def change(request: Request) -> Response:
    """Save one member of staff's duty list place, absence and stand-in."""
    who = viewer(request, roles=PEOPLE_ROLES)
    form = await checked_form(request)
    staff_id: int = request.path_params["staff_id"]
    if who.role != StaffRole.ADMIN and staff_id != who.id:
        raise HTTPException(404)
    raw = text(form, "stand_in")
    stand_in_id = id_from(raw) if raw else None
    if raw and stand_in_id is None:
        raise HTTPException(400)
    absent = form.get("absent") == "ja"
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        staff = session.get(StaffUser, staff_id)
        if staff is None:
            raise HTTPException(404)
        # A coordinator cannot put themselves on (or take themselves off) the duty list.
        on_duty = form.get("on_duty") == "ja" if who.role == StaffRole.ADMIN else staff.on_duty
        errors = _problems(session, staff, stand_in_id=stand_in_id, on_duty=on_duty)
        if not errors:
            changes = Change(absent=absent, stand_in_id=stand_in_id, on_duty=on_duty)
            _save(session, who, staff, changes, now=now)
    if errors:
        return _page(request, who, errors={staff_id: errors}, status_code=400)
    return see_other(f"/personale?gemt={staff_id}#staff-{staff_id}")


@dataclass(frozen=True, kw_only=True)
class Change:
    absent: bool
    stand_in_id: int | None
    on_duty: bool


def _save(
    session: Session, who: Viewer, staff: StaffUser, change: Change, *, now: datetime
) -> None:
    if staff.on_duty != change.on_duty:
        staff.on_duty = change.on_duty
        detail = (
            _("%(name)s: on the duty list") if change.on_duty else _("%(name)s: off the duty list")
        )
        audit(session, who, "change_duty", now=now, detail=detail % {"name": staff.display_name})
    if (staff.absent, staff.stand_in_id) != (change.absent, change.stand_in_id):
        staff.absent, staff.stand_in_id = change.absent, change.stand_in_id
        stand_in = session.get(StaffUser, change.stand_in_id) if change.stand_in_id else None
        values = {
            "name": staff.display_name,
            "stand_in": stand_in.display_name if stand_in else _("nobody"),
        }
        detail = (
            _("%(name)s: away, stand-in %(stand_in)s")
            if change.absent
            else _("%(name)s: at work, stand-in when away %(stand_in)s")
        )
        audit(session, who, "change_absence", now=now, detail=detail % values)


def _account_error(problem: str) -> str:
    if problem == accounts.LAST_ADMIN:
        return _("There must be at least one active administrator. Make someone else one first.")
    return _("Open the account first.")


async def close_account(request: Request) -> Response:
    return await _account(request, "close")


async def open_account(request: Request) -> Response:
    return await _account(request, "open")


async def change_role(request: Request) -> Response:
    return await _account(request, "role")


async def reset_password(request: Request) -> Response:
    return await _account(request, "reset")


async def _account(request: Request, step: str) -> Response:
    """An admin closes or opens an account, changes its role, or makes a new password link."""
    who = viewer(request, roles=(StaffRole.ADMIN,))
    form = await checked_form(request)
    staff_id: int = request.path_params["staff_id"]
    raw_role = text(form, "role")
    if step == "role" and raw_role not in {role.value for role in StaffRole}:
        raise HTTPException(400)
    app = dashboard(request)
    now = app.clock()
    link = None
    try:
        with app.database.session() as session:
            staff = session.get(StaffUser, staff_id)
            if staff is None:
                raise HTTPException(404)
            name = staff.display_name
            if step == "close":
                accounts.disable(session, staff, actor=who.id, now=now)
            elif step == "open":
                accounts.enable(session, staff, actor=who.id, now=now)
            elif step == "role":
                accounts.change_role(session, staff, StaffRole(raw_role), actor=who.id, now=now)
            else:
                link = accounts.reset(session, staff, actor=who.id, now=now)
    except AccountError as error:
        problems = {staff_id: {"account": _account_error(str(error))}}
        return _page(request, who, errors=problems, status_code=400)
    if link is not None:
        return render(
            request,
            "staff_link.html",
            name=name,
            link=public_url(request, f"/adgangskode/{link}"),
            expires=now + accounts.SETUP_LINK_VALID,
        )
    return see_other(f"/personale?gemt={staff_id}#staff-{staff_id}")


ROUTES = [
    Route("/personale", staff_page),
    Route("/personale/{staff_id:int}", change, methods=["POST"]),
    Route("/personale/{staff_id:int}/luk", close_account, methods=["POST"]),
    Route("/personale/{staff_id:int}/aabn", open_account, methods=["POST"]),
    Route("/personale/{staff_id:int}/rolle", change_role, methods=["POST"]),
    Route("/personale/{staff_id:int}/nulstil", reset_password, methods=["POST"]),
]
