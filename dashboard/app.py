"""The dashboard's ASGI app: routes, sessions, templates and error pages in one place."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from core.clock import Clock, utc_now
from core.content import Content
from core.locale import (
    format_date_long,
    format_date_short,
    format_moment_long,
    format_moment_short,
    format_number,
    local,
)
from dashboard.errors import LoginRequired
from dashboard.i18n import TRANSLATIONS
from dashboard.logins import LoginGuard
from dashboard.pages import (
    alerts,
    audit_log,
    caseload,
    history,
    life_cycle,
    offers,
    outcomes,
    people,
    plans,
    public,
    ratings,
    report,
    sessions,
    staff,
    workshops,
)
from dashboard.security_headers import SecurityHeaders
from dashboard.staff_sessions import SessionSettings
from dashboard.web import Dashboard, render, see_other
from domain.reminder_timing import ReminderRules
from storage import Database

HERE = Path(__file__).parent
# A session ends after this long without a request, and this long after the login however busy
# (a working day); ungeguide's settings UNGEGUIDE_SESSION_IDLE_MINUTES and _HOURS change them.
SESSION_IDLE = timedelta(minutes=45)
SESSION_LIMIT = timedelta(hours=10)
SESSION_COOKIE = "ungeguide_session"


@cache
def templates() -> Jinja2Templates:
    """One template environment per process: it holds no per-app state, and each template is
    compiled once (a compile costs more than a render; every app in the tests shares them)."""
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(TRANSLATIONS, newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(
        # Every date a member of staff reads has its year; the short forms are for tables.
        moment=format_moment_long,
        day=format_date_long,
        number=format_number,
        clock=lambda moment: local(moment).strftime("%H.%M"),
        localdate=lambda moment: format_date_long(local(moment).date()),
        shortmoment=format_moment_short,
        shortday=format_date_short,
        shortdate=lambda moment: format_date_short(local(moment).date()),
    )
    return Jinja2Templates(env=environment)


ROUTES: list[BaseRoute] = [
    *sessions.ROUTES,
    *people.ROUTES,
    *history.ROUTES,
    *caseload.ROUTES,
    *plans.ROUTES,
    *outcomes.ROUTES,
    *life_cycle.ROUTES,
    *offers.ROUTES,
    *ratings.ROUTES,
    *alerts.ROUTES,
    *report.ROUTES,
    *audit_log.ROUTES,
    *staff.ROUTES,
    *workshops.ROUTES,
    *public.ROUTES,
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]


def dashboard_app(
    database: Database,
    content: Content,
    *,
    session_secret: str,
    clock: Clock = utc_now,
    rules: ReminderRules | None = None,
    bot_username: str | None = None,
    municipality: str | None = None,
    base_url: str | None = None,
    secure_cookies: bool = False,
    session_idle: timedelta = SESSION_IDLE,
    session_limit: timedelta = SESSION_LIMIT,
) -> Starlette:
    """The dashboard. `secure_cookies` marks the session cookie Secure (behind HTTPS)."""
    sessions = SessionSettings(
        secret=session_secret,
        idle=session_idle,
        absolute=session_limit,
        secure_cookies=secure_cookies,
    )
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=session_secret,
                session_cookie=SESSION_COOKIE,
                # The cookie outlives no session; the server's row decides (staff_sessions).
                max_age=int(session_limit.total_seconds()),
                same_site="lax",
                https_only=secure_cookies,
            ),
        ],
        exception_handlers={LoginRequired: _login_required, HTTPException: _http_error},
    )
    app.state.dashboard = Dashboard(
        database=database,
        content=content,
        clock=clock,
        rules=rules or ReminderRules(),
        templates=templates(),
        bot_username=bot_username,
        municipality=municipality,
        base_url=base_url,
        sessions=sessions,
        guard=LoginGuard(secret=session_secret),
    )
    return app


async def _login_required(request: Request, _: Exception) -> Response:
    wanted = request.url.path if request.method == "GET" else "/"
    return see_other(f"/login?next={wanted}")


async def _http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 500
    reason = error.detail if isinstance(error, HTTPException) else ""  # a FormProblem for a 400
    return render(request, "error.html", status_code=status, status=status, reason=reason)
