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
from core.locale import local
from dashboard import charts, labels
from dashboard.i18n import _
from dashboard.people_data import (
    BIPS,
    LIFE_AREAS,
    WHO5,
    PersonDetail,
    people_rows,
    person_detail,
    search_and_sort,
)
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
    text,
    viewer,
    visible_people,
)
from domain.people import create_young_person, issue_invite
from storage.models import StaffRole, StaffUser, YoungPerson

PSEUDONYM_MAX = 80


async def people_list(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    query = request.query_params.get("q", "")[:100]
    sort = request.query_params.get("sort", "name")
    descending = request.query_params.get("dir") == "desc"
    now = app.clock()
    with app.database.session() as session:
        rows = people_rows(session, visible_people(who), now=now)
        audit(session, who, "view_list", now=now)
    shown = search_and_sort(rows, query=query, sort=sort, descending=descending)
    return render(
        request,
        "people.html",
        rows=shown,
        total=len(rows),
        query=query,
        sort=sort,
        descending=descending,
        labels=labels,
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
    content = app.content
    who5 = detail.completed(WHO5)
    who5_chart = charts.line_chart(
        [
            (local(r.completed_at).strftime("%d.%m.%y"), r.score)
            for r in who5
            if r.completed_at and r.score is not None
        ],
        title=_("WHO-5 over time"),
        description=_("WHO-5 score from 0 to 100 at each check-in, with lines at 50 and 28."),
        max_value=100,
        references=[charts.Reference(50, _("50: low")), charts.Reference(28, _("28: very low"))],
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


async def invite(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    coordinators = _coordinators(request, who)
    if request.method == "GET":
        return render(
            request, "invite.html", form=InviteForm(), errors={}, coordinators=coordinators
        )
    posted = await checked_form(request)
    form = InviteForm(
        pseudonym=text(posted, "pseudonym"),
        birth_year=text(posted, "birth_year"),
        bip=text(posted, "bip"),
        coordinator=text(posted, "coordinator"),
    )
    now = app.clock()
    errors = _invite_errors(
        form, this_year=local(now).year, coordinators=[pair[0] for pair in coordinators]
    )
    if errors:
        return render(
            request,
            "invite.html",
            status_code=400,
            form=form,
            errors=errors,
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
        return _invitation(request, person, code)


async def reissue(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        code = issue_invite(session, person, now=now)
        audit(session, who, "reissue_invite", now=now, person_id=person.id)
        return _invitation(request, person, code)


def _invitation(request: Request, person: YoungPerson, code: str) -> Response:
    """The code is shown this once: only its hash is stored."""
    username = dashboard(request).bot_username
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
    Route("/unge/{person_id:int}/invitation", refusals_audited(reissue), methods=["POST"]),
]
