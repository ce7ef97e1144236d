"""Logging in and out, and setting a password from a one-time link."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import staff_sessions
from dashboard.accounts import TOO_EASY, TOO_SHORT, password_problem, record, set_password
from dashboard.accounts import staff_for_setup as _staff_for_setup
from dashboard.i18n import _
from dashboard.logins import Attempt, Outcome, Result
from dashboard.staff_sessions import DEVICE_COOKIE, DEVICE_DAYS, KnownDevice
from dashboard.web import (
    checked_form,
    dashboard,
    render,
    see_other,
    text,
    viewer,
)
from storage.models import StaffRole


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never an open redirect to somewhere else.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _start_session(request: Request, token: str) -> None:
    request.session.clear()  # a fresh session (and CSRF token) at every login
    request.session[staff_sessions.TOKEN_KEY] = token


def _remember_device(request: Request, response: Response, device: KnownDevice) -> None:
    settings = dashboard(request).sessions
    response.set_cookie(
        DEVICE_COOKIE,
        staff_sessions.device_cookie(settings, device),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


async def home(request: Request) -> Response:
    who = viewer(request)
    return see_other("/unge" if who.sees_people else "/vaerksteder")


async def login(request: Request) -> Response:
    next_url = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "login.html", next=next_url, email="", error=None)
    form = await checked_form(request)
    email, password = text(form, "email").lower(), str(form.get("password") or "")
    next_url = _safe_next(text(form, "next"))
    app = dashboard(request)
    attempt = Attempt(
        email=email,
        password=password,
        address=request.client.host if request.client else "unknown",
        device=staff_sessions.read_device(app.sessions, request.cookies.get(DEVICE_COOKIE)),
    )
    outcome: Outcome = await run_in_threadpool(
        app.guard.attempt, app.database, attempt, app.sessions, now=app.clock()
    )
    if outcome.result != Result.OK or outcome.token is None or outcome.device is None:
        status, error = _login_error(outcome.result)
        return render(
            request, "login.html", status_code=status, next=next_url, email=email, error=error
        )
    _start_session(request, outcome.token)
    response = see_other(next_url)
    _remember_device(request, response, outcome.device)
    return response


def _login_error(result: Result) -> tuple[int, str]:
    if result == Result.LOCKED:
        return 429, _("Too many attempts. Try again later.")
    if result == Result.DISABLED:
        return 403, _("Your account is closed. Ask your administrator.")
    return 400, _("The e-mail or the password is not right.")


async def logout(request: Request) -> Response:
    await checked_form(request)
    token = request.session.get(staff_sessions.TOKEN_KEY)
    request.session.clear()
    if isinstance(token, str):
        app = dashboard(request)
        with app.database.session() as session:
            live = staff_sessions.current(session, token, app.sessions, now=app.clock())
            if live is not None:
                record(session, staff_id=live.staff_user_id, action="logout", now=app.clock())
            staff_sessions.end(session, token)
    return see_other("/login")


async def setup(request: Request) -> Response:
    """A one-time link from an admin (`ungeguide staff add --link`, `staff reset`, /personale):
    choose a password, then log in."""
    token = request.path_params["token"]
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        staff = _staff_for_setup(session, token, now=now)
        if staff is None:
            return render(request, "setup.html", status_code=404, valid=False, error=None)
        if request.method == "GET":
            return render(request, "setup.html", valid=True, name=staff.display_name, error=None)
        form = await checked_form(request)
        password = str(form.get("password") or "")
        about = (staff.email, staff.display_name)
        error = _password_error(password, str(form.get("repeat") or ""), about=about)
        if error is not None:
            return render(
                request,
                "setup.html",
                status_code=400,
                valid=True,
                name=staff.display_name,
                error=error,
            )
        set_password(session, staff, password)
        record(session, staff_id=staff.id, action="set_password", now=now)
        session_token = staff_sessions.start(session, staff.id, app.sessions, now=now)
        record(session, staff_id=staff.id, action="login", now=now)
        staff_id, role = staff.id, staff.role
    _start_session(request, session_token)
    response = see_other("/unge" if role != StaffRole.FACILITATOR else "/vaerksteder")
    _remember_device(request, response, staff_sessions.new_device(staff_id))
    return response


def _password_error(password: str, repeat: str, *, about: tuple[str, ...]) -> str | None:
    problem = password_problem(password, about=about)
    if problem == TOO_SHORT:
        return _("Use at least 12 characters.")
    if problem == TOO_EASY:
        return _(
            "This password is too easy to guess. Use a few words that do not belong together, "
            "or a longer password."
        )
    if password != repeat:
        return _("The two passwords are not the same.")
    return None


ROUTES = [
    Route("/", home),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/adgangskode/{token}", setup, methods=["GET", "POST"]),
]
