"""The facilitator's workshops: create, the board, the projector view, moderation, export and
closing the loop. Facilitators and admins only; nothing here is about a person."""

from __future__ import annotations

import csv
import hashlib
import io

import segno
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.course_view import take, tell
from dashboard.errors import FormProblem
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


def _join(request: Request, workshop: Workshop) -> tuple[str, Markup]:
    """The public idea page's address and its QR code (inline SVG: paths only, no style or
    script, so it passes the strict Content-Security-Policy)."""
    link = public_url(request, f"/v/{workshop.code}")
    # Markup is safe here: segno writes only the SVG's own elements, never the link's text.
    qr = Markup(segno.make(link, error="m").svg_inline(scale=5, border=2, omitsize=True))  # noqa: S704
    return link, qr


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
        merged = workshops.merged_ideas(session, workshop)
    link, qr = _join(request, workshop)
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
        merged=merged,
        notice=None if fragment else take(request),
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
    link, qr = _join(request, workshop)
    return render(
        request,
        "workshop_projector.html",
        workshop=workshop,
        groups=by_theme(workshop, ideas),
        votes=counts,
        threshold=workshops.BOARD_THRESHOLD,
        link=link,
        qr=qr,
    )


async def moderate(request: Request) -> Response:
    """Hide, restore, merge, undo a merge, or mark what became of an idea."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    form = await checked_form(request)
    action = request.path_params["action"]
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        idea = session.get(Idea, request.path_params["idea_id"])
        if idea is None or idea.workshop_id != workshop.id:
            raise HTTPException(404)
        anchor = idea.id
        if action == "skjul":
            idea.hidden = True
        elif action == "vis":
            idea.hidden = False
        elif action == "flet":
            target_id = id_from(text(form, "into"))
            target = session.get(Idea, target_id) if target_id is not None else None
            if target is None or not workshops.can_merge(idea, target):
                raise HTTPException(400, FormProblem.MERGE)
            idea.merged_into = anchor = target.id
            tell(request, _("The idea is merged. You can undo it under the idea it went into."))
        elif action == "fortryd":
            if idea.merged_into is None:
                tell(request, _("The idea was not merged, so there was nothing to undo."))
            else:
                idea.merged_into = None
                tell(request, _("The merge is undone: the idea is shown on its own again."))
        elif action == "status":
            status = text(form, "status")
            outcome = text(form, "outcome")
            if status not in tuple(IdeaStatus) or len(outcome) > 500:
                raise HTTPException(400, FormProblem.IDEA_STATUS)
            idea.status = status
            idea.outcome = outcome or None
        else:
            raise HTTPException(404)
    return see_other(f"/vaerksteder/{workshop.id}#idea-{anchor}")


def _outcome_check(message: str, recipients: int) -> str:
    """What the preview promised (the message and how many get it); a send that no longer
    matches it shows the preview again instead."""
    digest = hashlib.sha256(message.encode()).hexdigest()[:32]
    return f"{recipients}:{digest}"


async def close_the_loop(request: Request) -> Response:
    """GET: the message and exactly how many young people get it. POST: one message to everyone
    who sent ideas through the bot and uses Ungeguide now; the follower list is deleted with it.
    The public idea page shows the same message to those who sent ideas on the web."""
    viewer(request, roles=WORKSHOP_ROLES)
    app = dashboard(request)
    posted = await checked_form(request) if request.method == "POST" else None
    now = app.clock()
    with app.database.session() as session:
        workshop = _workshop(session, request.path_params["workshop_id"])
        handled = workshops.handled_ideas(session, workshop)
        message = outcome_message(workshop, handled, app.content.texts.ideas) if handled else ""
        recipients = workshops.outcome_recipients(session, workshop)
        check = _outcome_check(message, len(recipients))
        if posted is not None and workshop.outcome_sent_at is not None:
            raise HTTPException(400, FormProblem.OUTCOME_SENT)
        if posted is not None and not handled:
            raise HTTPException(400, FormProblem.NOTHING_HANDLED)
        if posted is None or text(posted, "check") != check:
            return render(
                request,
                "workshop_outcome.html",
                status_code=200 if posted is None else 409,
                workshop=workshop,
                message=message,
                recipients=len(recipients),
                check=check,
                changed=posted is not None,
                link=public_url(request, f"/v/{workshop.code}"),
            )
        taken = workshops.take_followers(session, workshop)
        for person_id in taken:
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
    tell(
        request,
        _("The message is on its way. Young people who get it from the bot: %(count)s.")
        % {"count": len(taken)},
    )
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
    Route(BASE + "/fortael", close_the_loop, methods=["GET", "POST"]),
    Route("/vaerksteder/{workshop_id:int}.{format:str}", export),
]
