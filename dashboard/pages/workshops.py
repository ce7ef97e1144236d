"""The facilitator's workshops: create, the board, the projector view, moderation, export and
closing the loop. Facilitators and admins only; nothing here is about a person."""

from __future__ import annotations

import csv
import io

import segno
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.exports import inert
from dashboard.i18n import _
from dashboard.url_ids import id_from
from dashboard.web import (
    WORKSHOP_ROLES,
    checked_form,
    dashboard,
    public_url,
    render,
    see_other,
    text,
    viewer,
)
from dashboard.workshop_board import (
    WorkshopForm,
    by_theme,
    outcome_message,
    status_label,
)
from domain import workshops
from domain.outbox import ReminderKind, Subject, enqueue
from storage.models import Idea, IdeaStatus, Workshop

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def workshop_list(request: Request) -> Response:
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    with app.database.session() as session:
        found = list(session.scalars(select(Workshop).order_by(Workshop.opens_at.desc())))
    return render(
        request, "workshops.html", workshops=found, now=app.clock(), state=workshops.state
    )


async def create(request: Request) -> Response:
    who = viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    if request.method == "GET":
        return render(
            request,
            "workshop_form.html",
            form=WorkshopForm(
                question="Hvad skal der til for et godt ungeliv i kommunen?",
                themes="fællesskab, mental sundhed, bolig",
            ),
        )
    posted = await checked_form(request)
    form = WorkshopForm(
        title=text(posted, "title"),
        question=text(posted, "question"),
        themes=text(posted, "themes"),
        opens_day=text(posted, "opens_day"),
        opens_at=text(posted, "opens_at"),
        closes_day=text(posted, "closes_day"),
        closes_at=text(posted, "closes_at"),
    )
    moments = form.moments()
    if moments is None:
        return render(request, "workshop_form.html", status_code=400, form=form)
    with app.database.session() as session:
        workshop = workshops.create_workshop(
            session,
            title=form.title,
            question=form.question,
            themes=form.theme_list(),
            opens_at=moments[0],
            closes_at=moments[1],
            created_by=who.id,
            now=app.clock(),
        )
        workshop_id = workshop.id
    return see_other(f"/vaerksteder/{workshop_id}")


def _workshop(session: Session, workshop_id: int) -> Workshop:
    found = session.get(Workshop, workshop_id)
    if found is None:
        raise HTTPException(404)
    return found


async def board(request: Request) -> Response:
    """The facilitator's board. `/tavle` is the same ideas alone, for the page's polling."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    now = app.clock()
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        ideas = workshops.shown_ideas(session, workshop, with_hidden=True)
        counts = workshops.votes(session, workshop)
        total = session.scalar(select(func.count()).where(Idea.workshop_id == workshop.id))
    link = public_url(request, f"/v/{workshop.code}")
    qr = Markup(segno.make(link, error="m").svg_inline(scale=5, border=2))  # noqa: S704 - bits only
    fragment = request.url.path.endswith("/tavle")
    return render(
        request,
        "workshop_ideas.html" if fragment else "workshop_board.html",
        workshop=workshop,
        groups=by_theme(workshop, ideas),
        votes=counts,
        total=total,
        threshold=workshops.BOARD_THRESHOLD,
        link=link,
        qr=qr,
        state=workshops.state(workshop, now),
        status_label=status_label,
        targets=[i for i in ideas if not i.hidden],
    )


async def projector(request: Request) -> Response:
    """Large text for a projector. The page's script fetches new ideas every few seconds (an
    automatic reload would fail WCAG 2.2.1); without it, reload the page."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        ideas = workshops.shown_ideas(session, workshop)
        counts = workshops.votes(session, workshop)
    return render(
        request,
        "workshop_projector.html",
        workshop=workshop,
        groups=by_theme(workshop, ideas),
        votes=counts,
        threshold=workshops.BOARD_THRESHOLD,
        link=public_url(request, f"/v/{workshop.code}"),
    )


async def moderate(request: Request) -> Response:
    """Hide, restore, merge, or mark what became of an idea."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    action = request.path_params["action"]
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        idea = session.get(Idea, request.path_params["idea_id"])
        if idea is None or idea.workshop_id != workshop.id:
            raise HTTPException(404)
        if action == "skjul":
            idea.hidden = True
        elif action == "vis":
            idea.hidden = False
        elif action == "flet":
            into = text(form, "into")
            target_id = id_from(into)
            target = session.get(Idea, target_id) if target_id is not None else None
            if (
                target is None
                or target.workshop_id != workshop.id
                or target.id == idea.id
                or target.merged_into is not None
            ):
                raise HTTPException(400)
            idea.merged_into = target.id
            for merged in session.scalars(select(Idea).where(Idea.merged_into == idea.id)):
                merged.merged_into = target.id  # keep merges one level deep
        elif action == "status":
            status = text(form, "status")
            outcome = text(form, "outcome")
            if status not in tuple(IdeaStatus) or len(outcome) > 500:
                raise HTTPException(400)
            idea.status = status
            idea.outcome = outcome or None
        else:
            raise HTTPException(404)
        anchor = f"#idea-{idea.merged_into or idea.id}"
    return see_other(f"/vaerksteder/{workshop.id}{anchor}")


async def close_the_loop(request: Request) -> Response:
    """One message to everyone who sent ideas through the bot; the list is deleted with it."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    await checked_form(request)
    now = app.clock()
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        ideas = workshops.shown_ideas(session, workshop)
        handled = [i for i in ideas if i.status != IdeaStatus.NEW]
        if workshop.outcome_sent_at is not None or not handled:
            raise HTTPException(400)
        message = outcome_message(workshop, handled, app.content.texts.ideas)
        for person_id in workshops.take_followers(session, workshop):
            enqueue(
                session,
                person_id,
                kind=ReminderKind.WORKSHOP_OUTCOME,
                subject=Subject.workshop(workshop.id),
                due_at=now,
                latest_at=now + workshops.OUTCOME_DELIVERY,
                body=message,
                dedup_key=f"workshop:{workshop.id}:{person_id}",
            )
        workshop.outcome_sent_at = now
    return see_other(f"/vaerksteder/{workshop.id}#outcome")


async def export(request: Request) -> Response:
    viewer(request, roles=WORKSHOP_ROLES)
    kind = request.path_params["format"]
    if kind not in ("csv", "xlsx"):
        raise HTTPException(404)
    app = dashboard(request)
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        ideas = workshops.shown_ideas(session, workshop)
        counts = workshops.votes(session, workshop)
    header = [_("Theme"), _("Idea"), _("Votes"), _("Status"), _("What happened")]
    rows: list[list[str | int]] = [
        [i.theme, i.text, counts.get(i.id, 0), status_label(i.status), i.outcome or ""]
        for group in by_theme(workshop, ideas)
        for i in group.ideas
    ]
    name = f"ideer_{workshop.code}.{kind}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        # Ideas are young people's own words: none may become a spreadsheet formula.
        writer.writerows([inert(v) if isinstance(v, str) else v for v in row] for row in rows)
        return Response(
            ("\ufeff" + buffer.getvalue()).encode(),
            headers=disposition,
            media_type="text/csv; charset=utf-8",
        )
    from openpyxl import Workbook  # only for a download (see dashboard/exports.py)

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = _("Ideas")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    buffer_bytes = io.BytesIO()
    book.save(buffer_bytes)
    return Response(buffer_bytes.getvalue(), headers=disposition, media_type=XLSX)


BASE = "/vaerksteder/{workshop_id:int}"
ROUTES = [
    Route("/vaerksteder", workshop_list),
    Route("/vaerksteder/ny", create, methods=["GET", "POST"]),
    Route(BASE, board),
    Route(BASE + "/tavle", board),
    Route(BASE + "/projektor", projector),
    Route(BASE + "/ideer/{idea_id:int}/{action:str}", moderate, methods=["POST"]),
    Route(BASE + "/fortael", close_the_loop, methods=["POST"]),
    Route("/vaerksteder/{workshop_id:int}.{format:str}", export),
]
