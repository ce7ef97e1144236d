"""My young people (list), one young person, and inviting (with the deep link and QR code)."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from markupsafe import Markup
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.content import Content
from core.locale import format_date_short, local
from dashboard import charts, labels
from dashboard.course_view import course_view
from dashboard.i18n import _
from dashboard.nickname_check import NicknameWarning, nickname_warnings
from dashboard.people_data import (
    BIPS,
    LIFE_AREAS,
    WHO5,
    Filters,
    PersonDetail,
    person_detail,
)
from dashboard.people_list import PAGE_NUMBER, Listing, people_page
from dashboard.url_ids import id_from
from dashboard.web import (
    PEOPLE_ROLES,
    Viewer,
    audit,
    checked_form,
    dashboard,
    person_or_404,
    refusals_audited,
    render,
    see_other,
    text,
    viewer,
    visible_people,
)
from domain.people import create_young_person, issue_invite
from storage.models import PersonStatus, StaffRole, StaffUser

PSEUDONYM_MAX = 80


async def people_list(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    query = request.query_params.get("q", "")[:100]
    sort = request.query_params.get("sort", "name")
    descending = request.query_params.get("dir") == "desc"
    filters = list_filters(request)
    now = app.clock()
    listing = Listing(
        query=query,
        sort=sort,
        descending=descending,
        filters=filters,
        page=request.query_params.get(PAGE_NUMBER),
    )
    with app.database.session() as session:
        found = people_page(session, visible_people(who), listing, now=now)
        audit(session, who, "view_list", now=now)
    return render(
        request,
        "people.html",
        rows=found.rows,
        total=found.total,
        found=found,
        query=query,
        sort=sort,
        descending=descending,
        filters=filters,
        statuses=[(code.value, labels.status(code)) for code in PersonStatus],
        labels=labels,
    )


def list_filters(request: Request) -> Filters:
    """The filters in the query string; an unknown status is no filter (the list shows all)."""
    params = request.query_params
    status = params.get("status", "")
    return Filters(
        status=status if status in PersonStatus.__members__.values() else "",
        alerts=params.get("alarmer") == "1",
        quiet=params.get("stille") == "1",
        overdue=params.get("forfaldne") == "1",
    )


async def person_page(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        detail = person_detail(session, person)
        coordinator = session.get(StaffUser, person.coordinator_id or 0)
        audit(session, who, "view_person", now=now, person_id=person.id)
        course = course_view(request, session, person, now=now)
    content = app.content
    who5 = detail.completed(WHO5)
    who5_chart = charts.line_chart(
        [
            (format_date_short(local(r.completed_at).date()), r.score)
            for r in who5
            if r.completed_at and r.score is not None
        ],
        title=_("WHO-5 over time"),
        description=_("WHO-5 score from 0 to 100 at each check-in, with lines at 50 and 28."),
        max_value=100,
        references=[charts.Reference(50, _("50: low")), charts.Reference(28, _("28: very low"))],
        axes=charts.Axes(x=_("Date of the check-in"), y=_("WHO-5 score (0-100)")),
    )
    spiders = [
        _spider(detail, questionnaire_id, content) for questionnaire_id in (detail.bip, LIFE_AREAS)
    ]
    return render(
        request,
        "person.html",
        person=person,
        coordinator=coordinator.display_name if coordinator else None,
        detail=detail,
        who5=who5,
        who5_chart=who5_chart,
        spiders=[spider for spider in spiders if spider is not None],
        questionnaires=content.questionnaires,
        item_names={
            questionnaire.id: {item.id: item.short or item.text for item in questionnaire.items}
            for questionnaire in content.questionnaires.values()
        },
        labels=labels,
        now=now,
        course=course,
    )


@dataclass(frozen=True)
class Spider:
    questionnaire_id: str
    title: str
    chart: Markup
    rows: list[tuple[str, int | None, int | None]]  # item, young person, coordinator
    belief: int | None


def _spider(detail: PersonDetail, questionnaire_id: str, content: Content) -> Spider | None:
    questionnaire = content.questionnaires.get(questionnaire_id)
    if questionnaire is None:
        return None
    answered = detail.completed(questionnaire_id)
    own = {answer.item_id: answer.value for answer in answered[-1].answers} if answered else {}
    rating = detail.ratings.get(questionnaire_id)
    theirs = {item: int(value) for item, value in rating.answers.items()} if rating else {}
    if not own and not theirs:
        return None
    names = [item.short or item.id for item in questionnaire.items]
    mine = [own.get(item.id) for item in questionnaire.items]
    coordinator = [theirs.get(item.id) for item in questionnaire.items]
    chart = charts.spider_chart(
        names,
        [(_("The young person"), mine), (_("Coordinator"), coordinator)],
        title=questionnaire.title,
        description=_("The young person's latest answers and the coordinator's rating, 1 to 5."),
        max_value=questionnaire.high,
    )
    return Spider(
        questionnaire_id=questionnaire_id,
        title=questionnaire.title,
        chart=chart,
        rows=list(zip(names, mine, coordinator, strict=True)),
        belief=rating.belief if rating else None,
    )


# --- inviting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteForm:
    pseudonym: str = ""
    birth_year: str = ""
    bip: str = BIPS[0]
    coordinator: str = ""
    confirmed: str = ""  # the nickname whose warning the coordinator confirmed


INVITATION = "invitation"  # session key: the new code, between the POST and the page showing it


def _coordinators(request: Request, who: Viewer) -> list[tuple[int, str]]:
    if who.role != StaffRole.ADMIN:
        return []
    with dashboard(request).database.session() as session:
        return [
            (staff.id, staff.display_name)
            for staff in session.scalars(
                select(StaffUser)
                .where(StaffUser.role.in_([StaffRole.COORDINATOR, StaffRole.ADMIN]))
                .order_by(StaffUser.display_name)
            )
        ]


def _invite_errors(form: InviteForm, *, this_year: int, coordinators: list[int]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.pseudonym:
        errors["pseudonym"] = _("Write a nickname or initials.")
    elif len(form.pseudonym) > PSEUDONYM_MAX:
        errors["pseudonym"] = _("Use at most 80 characters.")
    year = form.birth_year  # four ASCII digits: str.isdigit() alone also passes "²"
    if not (len(year) == 4 and year.isascii() and year.isdigit()) or not (
        this_year - 30 <= int(year) <= this_year - 12
    ):
        errors["birth_year"] = _("Write a birth year with four digits, for example 2008.")
    if form.bip not in BIPS:
        errors["bip"] = _("Choose which BIP the young person answers.")
    if coordinators and id_from(form.coordinator) not in coordinators:
        errors["coordinator"] = _("Choose a coordinator.")
    return errors


def _nickname_warnings(form: InviteForm) -> list[str]:
    """Kind warnings for a nickname that looks like a CPR number or a full name, unless the
    coordinator confirmed this very nickname (a changed one is checked again)."""
    if form.confirmed == form.pseudonym:
        return []
    words = {
        NicknameWarning.CPR: _(
            "The nickname looks like a CPR number. We must not store CPR numbers. "
            "Please use a nickname or initials instead."
        ),
        NicknameWarning.FULL_NAME: _(
            "The nickname looks like a full name. Initials or a first name are enough, "
            "for example “Mads K.”."
        ),
    }
    return [words[warning] for warning in nickname_warnings(form.pseudonym)]


async def invite(request: Request) -> Response:
    """GET: the form. POST: create the young person and an invitation, then redirect to the
    page showing it (post/redirect/get: a refresh never creates a second young person)."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    coordinators = _coordinators(request, who)
    if request.method == "GET":
        return render(
            request,
            "invite.html",
            form=InviteForm(),
            errors={},
            warnings=[],
            coordinators=coordinators,
        )
    posted = await checked_form(request)
    form = InviteForm(
        pseudonym=text(posted, "pseudonym"),
        birth_year=text(posted, "birth_year"),
        bip=text(posted, "bip"),
        coordinator=text(posted, "coordinator"),
        confirmed=text(posted, "confirmed") if posted.get("confirm") == "yes" else "",
    )
    now = app.clock()
    errors = _invite_errors(
        form, this_year=local(now).year, coordinators=[pair[0] for pair in coordinators]
    )
    warnings = [] if "pseudonym" in errors else _nickname_warnings(form)
    if errors or warnings:
        return render(
            request,
            "invite.html",
            status_code=400,
            form=form,
            errors=errors,
            warnings=warnings,
            coordinators=coordinators,
        )
    cadence = {q: app.content.questionnaires[q].cadence_days for q in (WHO5, form.bip)}
    with app.database.session() as session:
        person = create_young_person(
            session,
            pseudonym=form.pseudonym,
            birth_year=int(form.birth_year),
            now=now,
            coordinator_id=int(form.coordinator) if coordinators else who.id,
        )
        person.checkin_plan = cadence
        code = issue_invite(session, person, now=now)
        audit(session, who, "invite", now=now, person_id=person.id)
        person_id = person.id
    return _to_invitation(request, person_id, code)


async def reissue(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        code = issue_invite(session, person, now=now)
        audit(session, who, "reissue_invite", now=now, person_id=person.id)
        person_id = person.id
    return _to_invitation(request, person_id, code)


def _to_invitation(request: Request, person_id: int, code: str) -> Response:
    """Keep the code in the signed session only until the invitation page has shown it."""
    request.session[INVITATION] = {"person": person_id, "code": code}
    return see_other(f"/unge/{person_id}/invitation")


async def invitation(request: Request) -> Response:
    """The invitation just made, shown once: the session forgets the code as it is shown, so
    a refresh says so instead of showing (or making) another."""
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    kept = request.session.get(INVITATION)
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        if not isinstance(kept, dict) or kept.get("person") != person.id:
            return render(request, "invitation.html", person=person, code=None)
        del request.session[INVITATION]
        code = str(kept.get("code", ""))
        username = app.bot_username
        link = f"https://t.me/{username}?start={code}" if username else None
        qr = None
        if link:
            # segno draws only paths from the link's bits: no text of ours ends up in the SVG.
            qr = Markup(segno.make(link, error="m").svg_inline(scale=6, border=2))  # noqa: S704
        return render(
            request,
            "invitation.html",
            person=person,
            code=code,
            link=link,
            qr=qr,
            expires=person.invite_expires_at,
        )


# A 404 on any of these goes in the audit log as "refused" (dashboard.web.refusals_audited).
ROUTES = [
    Route("/unge", refusals_audited(people_list)),
    Route("/unge/ny", refusals_audited(invite), methods=["GET", "POST"]),
    Route("/unge/{person_id:int}", refusals_audited(person_page)),
    Route("/unge/{person_id:int}/invitation", refusals_audited(invitation), methods=["GET"]),
    Route("/unge/{person_id:int}/invitation", refusals_audited(reissue), methods=["POST"]),
]
