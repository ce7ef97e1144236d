"""The audit log, for admins: every view and export of young people's data (who, what, when)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.i18n import _
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
    }.get(code, code)


async def audit_page(request: Request) -> Response:
    viewer(request, roles=(StaffRole.ADMIN,))
    page = request.query_params.get("side", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    with dashboard(request).database.session() as session:
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
    )


ROUTES = [Route("/revision", audit_page)]
