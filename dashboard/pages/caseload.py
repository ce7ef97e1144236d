"""The week view (/uge): the meetings of my young people, day by day, with links to the week
before and after. An admin sees everyone's; a stand-in also the absent colleague's."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import labels
from dashboard.web import (
    PEOPLE_ROLES,
    audit,
    dashboard,
    refusals_audited,
    render,
    viewer,
    visible_people,
)
from dashboard.week import Week, meetings_in
from domain.reminder_timing import local_date


async def week_page(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    today = local_date(now)
    asked = request.query_params.get("uge")
    week = Week.parse(asked) if asked else Week.containing(today)
    # A week that cannot be read gets this week, and a line saying so (nothing is lost).
    unreadable = week is None
    shown = week or Week.containing(today)
    with app.database.session() as session:
        days = meetings_in(session, shown, visible_people(who))
        audit(session, who, "view_week", now=now, detail=shown.code)
    return render(
        request,
        "week.html",
        status_code=400 if unreadable else 200,
        week=shown,
        days=days,
        count=sum(len(meetings) for meetings in days.values()),
        today=today,
        this_week=Week.containing(today),
        unreadable=unreadable,
        labels=labels,
        now=now,
    )


# A 404 (a role that sees no young people) goes in the audit log as "refused".
ROUTES = [Route("/uge", refusals_audited(week_page))]
