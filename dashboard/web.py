"""What every page shares: the typed context, who is looking, CSRF-checked forms, rendering.

Access rules live here so each page applies them the same way: a coordinator sees only their own
young people, an admin everyone, a facilitator no personal data. Anything not visible is a 404,
never a 403, so the existence of another coordinator's young person is not revealed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot.content import Content
from bot.service import Clock
from dashboard.accounts import LoginThrottle
from scheduler.rules import ReminderRules
from storage import Database
from storage.models import AuditEvent, StaffRole, StaffUser, YoungPerson

CSRF_FIELD = "csrf"
MAX_FORM_FIELDS = 200


@dataclass(frozen=True, kw_only=True)
class Dashboard:
    """The services the pages use; one per app, on `app.state.dashboard`."""

    database: Database
    content: Content
    clock: Clock
    rules: ReminderRules
    templates: Jinja2Templates
    bot_username: str | None = None
    base_url: str | None = None  # public address, for links and QR codes (else the request's)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


@dataclass(frozen=True)
class Viewer:
    id: int
    role: StaffRole
    display_name: str

    @property
    def sees_people(self) -> bool:
        return self.role in (StaffRole.ADMIN, StaffRole.COORDINATOR)


class LoginRequired(Exception):
    """No valid session: the app answers with a redirect to the login page."""


def dashboard(request: Request) -> Dashboard:
    found: Dashboard = request.app.state.dashboard
    return found


def password_stamp(password_hash: str | None) -> str:
    """Kept in the session: a changed password ends every other session."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def viewer(request: Request, *, roles: tuple[StaffRole, ...] = tuple(StaffRole)) -> Viewer:
    """The logged-in staff member, or LoginRequired; a role not in `roles` gets 404."""
    staff_id = request.session.get("staff")
    if not isinstance(staff_id, int):
        raise LoginRequired
    with dashboard(request).database.session() as session:
        staff = session.get(StaffUser, staff_id)
        if staff is None or request.session.get("stamp") != password_stamp(staff.password_hash):
            request.session.clear()
            raise LoginRequired
        found = Viewer(staff.id, StaffRole(staff.role), staff.display_name)
    request.scope["viewer"] = found
    if found.role not in roles:
        raise HTTPException(404)
    return found


PEOPLE_ROLES = (StaffRole.ADMIN, StaffRole.COORDINATOR)
WORKSHOP_ROLES = (StaffRole.ADMIN, StaffRole.FACILITATOR)


def public_url(request: Request, path: str) -> str:
    base = dashboard(request).base_url or str(request.base_url).rstrip("/")
    return base + path


def visible_people(who: Viewer) -> Select[int]:
    """The ids of the young people `who` may see."""
    ids = select(YoungPerson.id)
    if who.role == StaffRole.ADMIN:
        return ids
    if who.role == StaffRole.COORDINATOR:
        return ids.where(YoungPerson.coordinator_id == who.id)
    return ids.where(false())


def person_or_404(session: Session, who: Viewer, person_id: int) -> YoungPerson:
    person = session.get(YoungPerson, person_id)
    if person is None or not who.sees_people:
        raise HTTPException(404)
    if who.role == StaffRole.COORDINATOR and person.coordinator_id != who.id:
        raise HTTPException(404)
    return person


def audit(
    session: Session,
    who: Viewer,
    action: str,
    *,
    now: datetime,
    person_id: int | None = None,
    detail: str = "",
) -> None:
    """One line in the audit log: who viewed or exported what, when."""
    session.add(
        AuditEvent(
            at=now,
            staff_user_id=who.id,
            action=action,
            young_person_ref=person_id,
            detail=detail[:120],
        )
    )


def session_token(request: Request, key: str) -> str:
    """A random token kept under `key` in the signed session cookie, made on first use."""
    token = request.session.get(key)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[key] = token
    return token


def csrf_token(request: Request) -> str:
    return session_token(request, CSRF_FIELD)


async def checked_form(request: Request) -> FormData:
    """The posted form, after checking its CSRF token (a missing or wrong one is a 400)."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    given = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if (
        not isinstance(given, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(given.encode(), expected.encode())
    ):
        raise HTTPException(400, "csrf")
    return form


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def render(
    request: Request, template: str, *, status_code: int = 200, **values: Any
) -> HTMLResponse:
    values.setdefault("who", request.scope.get("viewer"))
    response: HTMLResponse = dashboard(request).templates.TemplateResponse(
        request,
        template,
        {"csrf_token": csrf_token(request), **values},
        status_code=status_code,
    )
    return response


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
