"""Logging in and out, and setting a password from a one-time link."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.accounts import authenticate, password_problem, set_password, staff_for_setup
from dashboard.i18n import _
from dashboard.web import (
    Dashboard,
    checked_form,
    dashboard,
    password_stamp,
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


def _start_session(request: Request, staff_id: int, password_hash: str | None) -> None:
    request.session.clear()  # a fresh session (and CSRF token) at every login
    request.session["staff"] = staff_id
    request.session["stamp"] = password_stamp(password_hash)


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
    now = app.clock()
    client = request.client.host if request.client else "unknown"
    keys = (f"email:{email}", f"address:{client}")
    if app.throttle.blocked(keys, now=now):
        error = _("Too many attempts. Wait a quarter of an hour and try again.")
        return render(
            request, "login.html", status_code=429, next=next_url, email=email, error=error
        )
    found = await run_in_threadpool(_check_password, app, email, password)
    if found is None:
        app.throttle.failed(keys, now=now)
        error = _("The e-mail or the password is not right.")
        return render(
            request, "login.html", status_code=400, next=next_url, email=email, error=error
        )
    app.throttle.succeeded(keys)
    _start_session(request, *found)
    return see_other(next_url)


def _check_password(app: Dashboard, email: str, password: str) -> tuple[int, str | None] | None:
    # argon2 takes a noticeable moment on purpose: off the event loop the bot shares.
    if not email or not password:
        return None
    with app.database.session() as session:
        staff = authenticate(session, email, password)
        return (staff.id, staff.password_hash) if staff else None


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return see_other("/login")


async def setup(request: Request) -> Response:
    """The one-time link from `ungeguide staff add --link`: choose a password, then log in."""
    token = request.path_params["token"]
    app = dashboard(request)
    with app.database.session() as session:
        staff = staff_for_setup(session, token, now=app.clock())
        if staff is None:
            return render(request, "setup.html", status_code=404, valid=False, error=None)
        if request.method == "GET":
            return render(request, "setup.html", valid=True, name=staff.display_name, error=None)
        form = await checked_form(request)
        password = str(form.get("password") or "")
        error = _password_error(password, str(form.get("repeat") or ""))
        if error is not None:
            return render(
                request,
                "setup.html",
                status_code=400,
                valid=True,
                name=staff.display_name,
                error=error,
            )
        set_password(staff, password)
        staff_id, password_hash, role = staff.id, staff.password_hash, staff.role
    _start_session(request, staff_id, password_hash)
    return see_other("/unge" if role != StaffRole.FACILITATOR else "/vaerksteder")


def _password_error(password: str, repeat: str) -> str | None:
    if password_problem(password) is not None:
        return _("Use at least 10 characters.")
    if password != repeat:
        return _("The two passwords are not the same.")
    return None


ROUTES = [
    Route("/", home),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/adgangskode/{token}", setup, methods=["GET", "POST"]),
]
