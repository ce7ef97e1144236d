"""The audit log, for admins: every view and export of young people's data (who, what, when)."""

from __future__ import annotations

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.i18n import _
from dashboard.paging import last_page, page_number
from dashboard.web import dashboard, render, viewer
from storage.models import AuditEvent, StaffRole, StaffUser

PAGE = 200


def action_label(code: str) -> str:
    return {
        "view_list": _("Viewed the list of young people"),
        "view_person": _("Viewed a young person"),
        "view_alerts": _("Viewed the alerts"),
        "view_alert": _("Viewed an alert"),
        "view_crisis_words": _("Read what a young person wrote in a crisis"),
        "acknowledge_alert": _("Took an alert"),
        "resolve_alert": _("Resolved an alert"),
        "change_duty": _("Changed the duty list"),
        "change_absence": _("Changed an absence or stand-in"),
        "invite": _("Invited a young person"),
        "reissue_invite": _("Made a new invitation"),
        "plan_meeting": _("Planned or changed a meeting"),
        "cancel_meeting": _("Cancelled a meeting"),
        "reply_meeting": _("Answered a 'cannot come'"),
        "plan_agreement": _("Made or changed an agreement"),
        "cancel_agreement": _("Cancelled an agreement"),
        "rate": _("Gave a rating"),
        "view_report": _("Viewed the key figures"),
        "export_report": _("Exported the key figures"),
        "login": _("Logged in"),
        "login_failed": _("Failed login"),
        "login_locked": _("Login paused after too many attempts"),
        "login_disabled": _("Tried to log in to a closed account"),
        "logout": _("Logged out"),
        "set_password": _("Chose a new password"),
        "add_staff": _("Added a staff account"),
        "disable_staff": _("Closed a staff account"),
        "enable_staff": _("Opened a staff account again"),
        "change_role": _("Changed a staff member's role"),
        "reset_staff": _("Made a new password link"),
    }.get(code, code)


def nobody(code: str) -> str:
    """The "who" of a line with no account: a login with an unknown e-mail, or the command line."""
    if code in ("login_failed", "login_locked"):
        return _("(unknown account)")
    if code in ("add_staff", "disable_staff", "enable_staff", "change_role", "reset_staff"):
        return _("(command line)")
    return _("(deleted account)")


async def audit_page(request: Request) -> Response:
    viewer(request, roles=(StaffRole.ADMIN,))
    with dashboard(request).database.session() as session:
        total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        last = last_page(total, per_page=PAGE)
        number = page_number(request.query_params.get("side"), last=last)
        rows = session.execute(
            select(AuditEvent, StaffUser.display_name)
            .outerjoin(StaffUser, StaffUser.id == AuditEvent.staff_user_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .offset((number - 1) * PAGE)
            .limit(PAGE + 1)
        ).all()
    return render(
        request,
        "audit.html",
        rows=rows[:PAGE],
        more=len(rows) > PAGE,
        page=number,
        action_label=action_label,
        nobody=nobody,
    )


ROUTES = [Route("/revision", audit_page)]
