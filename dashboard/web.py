"""What every page shares: the typed context, who is looking, CSRF-checked forms, rendering.

Access rules live here so each page applies them the same way: a coordinator sees only their own
young people, an admin everyone, a facilitator no personal data. Anything not visible is a 404,
never a 403, so the existence of another coordinator's young person is not revealed.

Absence: while a coordinator is marked absent, their stand-in sees that coordinator's young
people too (list, pages, alerts), along the same chain of stand-ins that alerts follow
(`domain.alerts.raising.responsible_staff`). Someone notified about an alert (the duty list)
may open that one alert; see `dashboard.alert_view`.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from core.clock import Clock
from core.content import Content
from dashboard import staff_sessions
from dashboard.errors import LoginRequired
from dashboard.logins import LoginGuard
from dashboard.staff_sessions import SessionSettings
from domain.alerts.raising import covered_by
from domain.reminder_timing import ReminderRules
from storage import Database
from storage.models import (
    Alert,
    AlertStatus,
    AuditEvent,
    StaffNotification,
    StaffRole,
    StaffUser,
    YoungPerson,
)

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
    municipality: str | None = None  # heads the key-figure report
    base_url: str | None = None  # public address, for links and QR codes (else the request's)
    sessions: SessionSettings
    guard: LoginGuard


@dataclass(frozen=True)
class OpenAlerts:
    """The navigation's count: open alerts (nobody has taken them yet), urgent ones apart."""

    total: int
    urgent: int


@dataclass(frozen=True)
class Viewer:
    id: int
    role: StaffRole
    display_name: str
    # Absent coordinators whose young people this viewer sees as their stand-in: id -> name.
    covers: dict[int, str] = field(default_factory=dict)
    open_alerts: OpenAlerts | None = None  # for the menu (roles that see young people)

    @property
    def sees_people(self) -> bool:
        return self.role in (StaffRole.ADMIN, StaffRole.COORDINATOR)

    def coordinates(self, coordinator_id: int | None) -> bool:
        """True for the viewer's own young people and those of an absent colleague they cover."""
        return coordinator_id is not None and (
            coordinator_id == self.id or coordinator_id in self.covers
        )


def dashboard(request: Request) -> Dashboard:
    found: Dashboard = request.app.state.dashboard
    return found


def viewer(request: Request, *, roles: tuple[StaffRole, ...] = tuple(StaffRole)) -> Viewer:
    """The logged-in staff member, or LoginRequired; a role not in `roles` gets 404.

    The session is the server's `staff_session` row the cookie's token names: once it has ended
    (logout, idle, its absolute limit, a new password or role, a closed account), the cookie is
    worth nothing."""
    token = request.session.get(staff_sessions.TOKEN_KEY)
    if not isinstance(token, str):
        raise LoginRequired
    app = dashboard(request)
    with app.database.session() as session:
        live = staff_sessions.current(session, token, app.sessions, now=app.clock())
        staff = session.get(StaffUser, live.staff_user_id) if live is not None else None
        if staff is None or staff.disabled_at is not None:
            request.session.clear()
            raise LoginRequired
        absent = session.execute(
            select(StaffUser.id, StaffUser.stand_in_id, StaffUser.display_name).where(
                StaffUser.absent
            )
        ).all()
        covers = covered_by({row.id: row.stand_in_id for row in absent}, staff.id)
        names = {row.id: row.display_name for row in absent}
        found = Viewer(
            staff.id,
            StaffRole(staff.role),
            staff.display_name,
            covers={coordinator: names[coordinator] for coordinator in sorted(covers)},
        )
        if found.sees_people:
            # Counted here, in the session that reads the viewer, for the menu of every page.
            found = replace(found, open_alerts=open_alerts(session, found))
    request.scope["viewer"] = found
    if found.role not in roles:
        raise HTTPException(404)
    return found


PEOPLE_ROLES = (StaffRole.ADMIN, StaffRole.COORDINATOR)
WORKSHOP_ROLES = (StaffRole.ADMIN, StaffRole.FACILITATOR)


def public_url(request: Request, path: str) -> str:
    base = dashboard(request).base_url or str(request.base_url).rstrip("/")
    return base + path


def visible_people(who: Viewer, *, covered: bool = True) -> Select[int]:
    """The ids of the young people `who` may see (with `covered`, also those of the absent
    colleagues `who` stands in for)."""
    ids = select(YoungPerson.id)
    if who.role == StaffRole.ADMIN:
        return ids
    if who.role == StaffRole.COORDINATOR:
        coordinators = [who.id, *who.covers] if covered else [who.id]
        return ids.where(YoungPerson.coordinator_id.in_(coordinators))
    return ids.where(false())


def person_or_404(session: Session, who: Viewer, person_id: int) -> YoungPerson:
    """The young person `who` may see, else a 404 that looks the same whether or not the id
    exists. The refusal goes in the audit log through `refusals_audited` (it must outlive this
    session's transaction, which the 404 rolls back)."""
    person = session.get(YoungPerson, person_id)
    if person is None or not who.sees_people:
        raise HTTPException(404)
    if who.role == StaffRole.COORDINATOR and not who.coordinates(person.coordinator_id):
        raise HTTPException(404)
    return person


def notified(who: Viewer) -> ColumnElement[bool]:
    """The alert (in the query's FROM) was e-mailed to `who`, e.g. as an escalation."""
    return exists().where(
        StaffNotification.alert_id == Alert.id, StaffNotification.staff_user_id == who.id
    )


def sees_person(
    who: Viewer, person_id: ColumnElement[int] | InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """Whether `who` may see the young person a row names in `person_id` (a column that is never
    empty). An administrator sees everyone, so for them it is simply true: PostgreSQL then does
    not hash every young person's id for each statement (the alert inbox at 20,000: 69 -> 21 ms)."""
    if who.role == StaffRole.ADMIN:
        return true()
    return person_id.in_(visible_people(who))


def alerts_shown_to(who: Viewer) -> ColumnElement[bool]:
    """The alerts `who` may see: not held, about a young person they see, or e-mailed to them."""
    return and_(
        Alert.status != AlertStatus.HELD,
        or_(sees_person(who, Alert.young_person_id), notified(who)),
    )


def open_alerts(session: Session, who: Viewer) -> OpenAlerts:
    """One COUNT query: the open alerts `who` sees."""
    total, urgent = session.execute(
        select(func.count(), func.count().filter(Alert.urgent)).where(
            alerts_shown_to(who), Alert.status == AlertStatus.OPEN
        )
    ).one()
    return OpenAlerts(total=total, urgent=urgent)


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


Endpoint = Callable[[Request], Awaitable[Response]]
REFUSED = "refused"


def refusals_audited(endpoint: Endpoint) -> Endpoint:
    """`endpoint`, with an audit line `refused` for every 404 it gives a logged-in member of
    staff: someone else's young person, alert, meeting or agreement, an id that does not exist,
    or a page their role may not open. The answer stays the same 404 either way.

    The line records only what was asked (method, path and the young person's number from the
    path), never whether it exists. It is written in a transaction of its own after the page's
    transaction has been rolled back by the 404 (on SQLite a second transaction inside the first
    would wait for the first's write lock)."""

    @functools.wraps(endpoint)
    async def audited(request: Request) -> Response:
        try:
            return await endpoint(request)
        except HTTPException as error:
            who = request.scope.get("viewer")
            if error.status_code == 404 and isinstance(who, Viewer):
                app = dashboard(request)
                person = request.path_params.get("person_id")
                with app.database.session() as session:
                    audit(
                        session,
                        who,
                        REFUSED,
                        now=app.clock(),
                        person_id=person if isinstance(person, int) else None,
                        detail=f"{request.method} {request.url.path}",
                    )
            raise

    return audited
