"""The audit log, for admins: logins, every view, change and export of young people's data, and
every page someone was refused (who, what, when). It filters by young person and by member of
staff, and the filtered log downloads as CSV (itself a line in the log)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.locale import local
from dashboard.exports import inert
from dashboard.i18n import _
from dashboard.paging import last_page, page_number
from dashboard.url_ids import IdConvertor
from dashboard.web import audit, dashboard, refusals_audited, render, viewer
from storage.models import AuditEvent, StaffRole, StaffUser

PAGE = 200
PERSON = "ung"  # the query parameters of the filters
STAFF = "personale"
ID = re.compile(IdConvertor.regex)  # a number a row id can be (ASCII digits, in range)


def action_label(code: str) -> str:
    return {
        "view_list": _("Viewed the list of young people"),
        "view_person": _("Viewed a young person"),
        "view_alerts": _("Viewed the alerts"),
        "view_alert": _("Viewed an alert"),
        "view_crisis_words": _("Read what a young person wrote in a crisis"),
        "view_meeting_form": _("Opened the form for a meeting"),
        "view_agreement_form": _("Opened the form for an agreement"),
        "view_rating_form": _("Opened the form for a rating"),
        "view_week": _("Viewed the week's meetings"),
        "view_history": _("Viewed a young person's whole history"),
        "export_history": _("Downloaded a young person's whole history"),
        "refused": _("Was refused a page (not found or not allowed)"),
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
        "agreement_outcome": _("Recorded an agreement's outcome"),
        "reopen_agreement": _("Reopened an agreement"),
        "record_attendance": _("Recorded whether a young person came to a meeting"),
        "pause_person": _("Paused a young person's course"),
        "resume_person": _("Resumed a young person's course"),
        "view_end_form": _("Opened the form to end a course"),
        "end_course": _("Ended a young person's course"),
        "reassign_person": _("Handed a young person over to another coordinator"),
        "view_erase_form": _("Opened the page to delete a young person"),
        "erase_person": _("Deleted everything about a young person"),
        "view_offers": _("Viewed a young person's offers"),
        "give_offer": _("Recorded an offer for a young person"),
        "change_offer_days": _("Changed the days of a young person's offer"),
        "remove_person_offer": _("Removed an offer recorded by mistake"),
        "add_offer": _("Added an offer to the list"),
        "rename_offer": _("Renamed an offer"),
        "retire_offer": _("Took an offer off the list"),
        "restore_offer": _("Put an offer back on the list"),
        "view_report": _("Viewed the key figures"),
        "export_report": _("Exported the key figures"),
        "export_audit": _("Downloaded the audit log"),
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


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What the admin asked for: the typed values (shown again as typed), what they mean, and
    what was wrong with them."""

    person_typed: str = ""
    staff_typed: str = ""
    person: int | None = None
    staff: int | None = None
    errors: dict[str, str]

    def where(self) -> list[ColumnElement[bool]]:
        found = []
        if self.person is not None:
            found.append(AuditEvent.young_person_ref == self.person)
        if self.staff is not None:
            found.append(AuditEvent.staff_user_id == self.staff)
        return found

    def query(self, **more: int) -> str:
        """The query string of these filters (and `more`, e.g. a page), for links."""
        values: dict[str, str | int] = {}
        if self.person is not None:
            values[PERSON] = self.person
        if self.staff is not None:
            values[STAFF] = self.staff
        values.update(more)
        return urlencode(values)

    @property
    def detail(self) -> str:
        """The export's audit detail: the filters, as numbers only."""
        return self.query() or _("everything")


def staff_choices(session: Session) -> list[tuple[int, str]]:
    """Every account, closed ones too (their lines stay in the log), by name."""
    found = []
    for staff in session.scalars(select(StaffUser).order_by(StaffUser.display_name, StaffUser.id)):
        name = staff.display_name
        if staff.disabled_at is not None:
            name = _("%(name)s (closed account)") % {"name": name}
        found.append((staff.id, name))
    return found


def read_filters(request: Request, staff: Sequence[tuple[int, str]]) -> Filters:
    """The filters in the query string; anything unusable is an error to show, never a guess."""
    person_typed = request.query_params.get(PERSON, "").strip()[:20]
    staff_typed = request.query_params.get(STAFF, "").strip()[:20]
    errors: dict[str, str] = {}
    person = int(person_typed) if ID.fullmatch(person_typed) else None
    if person_typed and person is None:
        errors[PERSON] = _("Write the young person's number with digits only, for example 12.")
    chosen = int(staff_typed) if ID.fullmatch(staff_typed) else None
    if staff_typed and chosen not in {staff_id for staff_id, _name in staff}:
        errors[STAFF] = _("Choose a staff member from the list.")
        chosen = None
    return Filters(
        person_typed=person_typed,
        staff_typed=staff_typed,
        person=person,
        staff=chosen,
        errors=errors,
    )


Line = Row[AuditEvent, str | None]  # a line and its staff member's name


def _lines(filters: Filters) -> Select[AuditEvent, str | None]:
    """The lines that match `filters`, newest first."""
    return (
        select(AuditEvent, StaffUser.display_name)
        .outerjoin(StaffUser, StaffUser.id == AuditEvent.staff_user_id)
        .where(*filters.where())
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


async def audit_page(request: Request) -> Response:
    viewer(request, roles=(StaffRole.ADMIN,))
    with dashboard(request).database.session() as session:
        staff = staff_choices(session)
        filters = read_filters(request, staff)
        if filters.errors:
            return _page(request, filters, staff, rows=[], total=0, page=1, more=False)
        total = (
            session.scalar(select(func.count()).select_from(AuditEvent).where(*filters.where()))
            or 0
        )
        number = page_number(request.query_params.get("side"), last=last_page(total, per_page=PAGE))
        rows = session.execute(_lines(filters).offset((number - 1) * PAGE).limit(PAGE + 1)).all()
    return _page(
        request, filters, staff, rows=rows[:PAGE], total=total, page=number, more=len(rows) > PAGE
    )


def _page(
    request: Request,
    filters: Filters,
    staff: list[tuple[int, str]],
    *,
    rows: Sequence[Line],
    total: int,
    page: int,
    more: bool,
) -> Response:
    return render(
        request,
        "audit.html",
        status_code=400 if filters.errors else 200,
        rows=rows,
        total=total,
        more=more,
        page=page,
        filters=filters,
        staff=staff,
        person_field=PERSON,
        staff_field=STAFF,
        action_label=action_label,
        nobody=nobody,
    )


def to_csv(rows: Sequence[Line]) -> bytes:
    """The log as CSV: semicolons and a BOM, as Danish Excel expects (like the key figures);
    staff names are typed by people, so no cell may start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("When"), _("Staff no."), _("Who"), _("What"), _("Details"), _("Young person no.")]
    )
    for event, name in rows:
        writer.writerow(
            [
                local(event.at).isoformat(timespec="seconds"),
                event.staff_user_id or "",
                inert(name or nobody(event.action)),
                inert(action_label(event.action)),
                inert(event.detail),
                event.young_person_ref if event.young_person_ref is not None else "",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


async def audit_export(request: Request) -> Response:
    """The whole filtered log (no pages) as a file; the download is a line of its own, written
    after the read so the file holds the log as it was asked for."""
    who = viewer(request, roles=(StaffRole.ADMIN,))
    if request.path_params["format"] != "csv":
        raise HTTPException(404)
    app = dashboard(request)
    with app.database.session() as session:
        staff = staff_choices(session)
        filters = read_filters(request, staff)
    if filters.errors:
        return _page(request, filters, staff, rows=[], total=0, page=1, more=False)

    def read_and_audit() -> bytes:
        # A long log takes a while: off the event loop the bot shares.
        with app.database.session() as session:
            found = to_csv(session.execute(_lines(filters)).all())
            audit(
                session,
                who,
                "export_audit",
                now=app.clock(),
                person_id=filters.person,
                detail=filters.detail,
            )
            return found

    body = await run_in_threadpool(read_and_audit)
    stamp = local(app.clock()).strftime("%Y-%m-%d")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="adgangslog_{stamp}.csv"'},
    )


# Anyone but an admin gets a 404, and the attempt goes in the log as "refused".
ROUTES = [
    Route("/revision", refusals_audited(audit_page)),
    Route("/revision.{format:str}", refusals_audited(audit_export)),  # .csv only
]
