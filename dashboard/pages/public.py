"""The public idea page /v/<code>: no login, for workshop participants on a phone.

What it keeps about a visitor: in the signed session cookie, a random browser token and the ids
of the ideas this browser voted on; in memory, keyed hashes of the token and of the network for
the limits (dashboard.public_limits). The database gets the idea (no person, token, address or
time of day) and, for a vote, a hash of the browser token under the workshop's salt. Nothing here
logs.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.errors import FormProblem
from dashboard.i18n import _
from dashboard.public_limits import PublicLimits, Refusal, Visitor
from dashboard.ratelimit import network
from dashboard.web import (
    MAX_FORM_FIELDS,
    checked_form,
    dashboard,
    render,
    see_other,
    session_token,
    text,
)
from dashboard.workshop_board import by_theme, outcome_message
from domain import workshops
from domain.workshops import MAX_IDEA, CodeState, IdeaProblem
from storage.models import Idea, Workshop

VOTED_KEPT = 500  # the voted-on ids kept in the cookie, newest last
VOTER = "voter"  # the browser's random token: its votes' hash, and its limits
VOTED = "voted"
NOTICE = "public_notice"


class Notice(StrEnum):
    """A one-time message for the next page, kept in the session as its code."""

    ALREADY_VOTED = "already_voted"
    VOTING_OVER = "voting_over"


def limits(request: Request) -> PublicLimits:
    found = getattr(request.app.state, "public_limits", None)
    if not isinstance(found, PublicLimits):
        found = PublicLimits()
        request.app.state.public_limits = found
    return found


def _visitor(request: Request, workshop: Workshop) -> Visitor:
    address = request.client.host if request.client else ""
    return Visitor(
        device=session_token(request, VOTER), network=network(address), workshop_id=workshop.id
    )


def _voted(request: Request) -> set[int]:
    kept = request.session.get(VOTED)
    return {n for n in kept if isinstance(n, int)} if isinstance(kept, list) else set()


def _remember_vote(request: Request, idea_id: int) -> None:
    kept = request.session.get(VOTED)
    ids = [n for n in kept if isinstance(n, int)] if isinstance(kept, list) else []
    if idea_id not in ids:
        ids.append(idea_id)
    request.session[VOTED] = ids[-VOTED_KEPT:]


def problem_text(problem: IdeaProblem, idea: str) -> str:
    if problem == IdeaProblem.EMPTY:
        return _("Write your idea first.")
    if problem == IdeaProblem.TOO_LONG:
        return _("Your idea is %(count)s characters long. There is room for %(max)s.") % {
            "count": len(idea),
            "max": MAX_IDEA,
        }
    return _("Write your idea in words – we cannot read emojis alone aloud.")


def notice_text(code: object) -> str | None:
    if code == Notice.ALREADY_VOTED:
        return _("You have already voted for that idea. Each person has one vote per idea.")
    if code == Notice.VOTING_OVER:
        return _("Voting has closed for this workshop.")
    return None


def idea_refusal_text(refusal: Refusal) -> str:
    """Why an idea was not taken: the browser's own pace, or everyone's (a class on one wi-fi
    shares the network's ceiling, so a person who sent nothing must not be told they sent much)."""
    if refusal == Refusal.DEVICE:
        return _("You have sent many ideas in a short time. Wait a little, and try again.")
    return _("Many ideas are being sent right now. Wait a little, and try again.")


def vote_refusal_text(refusal: Refusal) -> tuple[str, str]:
    """The heading and message when a vote was not taken."""
    if refusal == Refusal.IDEA_FULL:
        return _("Your vote was not counted"), _(
            "That idea already has many votes from the same network (for example the same"
            " wi-fi). So we take no more votes for it from here. That makes cheating hard."
        )
    if refusal == Refusal.DEVICE:
        message = _("You have voted many times in a short time. Wait a little, and try again.")
    else:
        message = _("Many votes are coming in right now. Wait a little, and try again.")
    return _("Wait a little"), message


def _unknown(request: Request, *, code: str = "") -> Response:
    return render(request, "public_code.html", status_code=404, unknown=True, code=code)


def _workshop_page(
    request: Request,
    raw_code: str,
    *,
    idea: str = "",
    theme: str = "",
    error: str | None = None,
    theme_error: str | None = None,
    refusal: Refusal | None = None,
    stale: bool = False,
    status_code: int = 200,
) -> Response:
    app = dashboard(request)
    with app.database.session() as session:
        state, workshop = workshops.by_code(session, raw_code, app.clock())
        ideas = [] if workshop is None else workshops.shown_ideas(session, workshop)
        counts = {} if workshop is None else workshops.votes(session, workshop)
        outcome = (
            outcome_message(
                workshop, workshops.handled_ideas(session, workshop), app.content.texts.ideas
            )
            if workshop is not None and workshop.outcome_sent_at is not None
            else None
        )
    if workshop is None:
        return _unknown(request, code=raw_code)
    if state == CodeState.NOT_YET:
        return render(request, "public_not_yet.html", status_code=status_code, workshop=workshop)
    return render(
        request,
        "public_workshop.html",
        status_code=status_code,
        workshop=workshop,
        is_open=state == CodeState.OPEN,
        groups=by_theme(workshop, ideas),
        counts=counts,
        voted=_voted(request),
        notice=notice_text(request.session.pop(NOTICE, None)),
        idea=idea,
        themes=workshops.theme_choices(workshop),
        theme=theme,  # none is chosen for the visitor: the theme is theirs to pick
        error=error,
        theme_error=theme_error,
        refused=None if refusal is None else idea_refusal_text(refusal),
        stale=stale,
        outcome=outcome,
        max_idea=MAX_IDEA,
    )


async def code_form(request: Request) -> Response:
    """/v: type a workshop's code (a ?kode= form)."""
    raw = request.query_params.get("kode", "")
    code = workshops.normalize_code(raw)
    if code:
        return see_other(f"/v/{code}")
    return render(request, "public_code.html", unknown=False, code=raw.strip()[:16])


async def idea_page(request: Request) -> Response:
    raw_code: str = request.path_params["code"]
    code = workshops.normalize_code(raw_code)
    if request.method == "GET":
        if code and code != raw_code:
            return see_other(f"/v/{code}")
        return _workshop_page(request, code)
    try:
        form = await checked_form(request)
    except HTTPException as refused:
        if refused.detail != FormProblem.STALE:
            raise
        # An old page (its session ended meanwhile): keep what was typed and ask to send again.
        form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
        return _workshop_page(
            request,
            code,
            idea=text(form, "idea"),
            theme=text(form, "theme"),
            stale=True,
            status_code=400,
        )
    idea, theme = text(form, "idea"), text(form, "theme")
    app = dashboard(request)
    now = app.clock()
    refusal: Refusal | None = None
    with app.database.session() as session:
        state, found = workshops.by_code(session, code, now)
        is_open = found is not None and state == CodeState.OPEN
        problem = workshops.idea_problem(idea)
        no_theme = found is not None and theme not in workshops.theme_choices(found)
        if found is not None and is_open and problem is None and not no_theme:
            visitor = _visitor(request, found)
            refusal = limits(request).ideas.refusal(visitor, now=now)
            if refusal is None:
                workshops.add_idea(session, found, theme=theme, text=idea, now=now)
                limits(request).ideas.count(visitor, now=now)
    if is_open and (problem is not None or no_theme):
        other = {"other": workshops.OTHER_THEME}
        return _workshop_page(
            request,
            code,
            idea=idea,
            theme=theme,
            error=None if problem is None else problem_text(problem, idea),
            theme_error=_("Choose a theme, or “%(other)s”.") % other if no_theme else None,
            status_code=400,
        )
    if found is None or state != CodeState.OPEN:
        # Unknown: the 404 page; not yet open or closed: the page says which.
        return _workshop_page(request, code, status_code=404 if found is None else 409)
    if refusal is not None:
        return _workshop_page(
            request, code, idea=idea, theme=theme, refusal=refusal, status_code=429
        )
    return render(request, "public_thanks.html", code=code, title=found.title)


def _shown_idea(shown: list[Idea], idea_id: int) -> Idea:
    idea = next((idea for idea in shown if idea.id == idea_id), None)
    if idea is None:  # unknown, hidden, merged, another workshop's, or the board is not shown
        raise HTTPException(404)
    return idea


def _cast_vote(
    request: Request, session: Session, workshop: Workshop, idea: Idea, *, now: datetime
) -> Refusal | None:
    """Vote for the idea as this browser, within the limits; which limit refused, if one did."""
    public = limits(request)
    visitor = _visitor(request, workshop)
    voter = "web:" + visitor.device
    refusal = public.votes.refusal(visitor, now=now)
    if refusal is not None:
        return refusal
    if workshops.has_voted(session, workshop, idea, voter):
        public.votes.device.count(visitor.device, now=now)  # a repeat still takes a turn
        _remember_vote(request, idea.id)
        request.session[NOTICE] = Notice.ALREADY_VOTED.value
        return None
    if public.idea_full(visitor, idea.id, now=now):
        return Refusal.IDEA_FULL
    if workshops.vote(session, workshop, idea, voter, now=now):
        public.count_vote(visitor, idea.id, closes_at=workshop.closes_at, now=now)
        _remember_vote(request, idea.id)
    return None


async def vote(request: Request) -> Response:
    code = workshops.normalize_code(request.path_params["code"])
    idea_id: int = request.path_params["idea_id"]
    await checked_form(request)
    app = dashboard(request)
    now = app.clock()
    refusal: Refusal | None = None
    with app.database.session() as session:
        state, found = workshops.by_code(session, code, now)
        if found is None or state == CodeState.NOT_YET:
            raise HTTPException(404)
        idea = _shown_idea(workshops.shown_ideas(session, found), idea_id)
        if state == CodeState.OPEN:
            refusal = _cast_vote(request, session, found, idea, now=now)
        else:
            request.session[NOTICE] = Notice.VOTING_OVER.value
    if refusal is not None:
        heading, message = vote_refusal_text(refusal)
        return render(
            request,
            "public_limited.html",
            status_code=409 if refusal == Refusal.IDEA_FULL else 429,
            code=code,
            heading=heading,
            message=message,
        )
    return see_other(f"/v/{code}#idea-{idea_id}")


ROUTES = [
    Route("/v", code_form),
    Route("/v/{code}", idea_page, methods=["GET", "POST"]),
    Route("/v/{code}/stem/{idea_id:int}", vote, methods=["POST"]),
]
