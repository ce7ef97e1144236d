"""The coordinator's own rating (BIP or life areas), stored beside the young person's answers.

For BIP it includes the coordinator's belief that the young person will get into education or
work: the strongest single BIP predictor.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.i18n import _
from dashboard.people_data import BIPS, LIFE_AREAS
from dashboard.web import (
    PEOPLE_ROLES,
    audit,
    checked_form,
    dashboard,
    person_or_404,
    refusals_audited,
    render,
    see_other,
    text,
    viewer,
)
from storage.models import CoordinatorRating

RATEABLE = (*BIPS, LIFE_AREAS)
BELIEF = "belief"


async def rating(request: Request) -> Response:
    who = viewer(request, roles=PEOPLE_ROLES)
    app = dashboard(request)
    questionnaire_id = request.query_params.get("skema", BIPS[0])
    questionnaire = app.content.questionnaires.get(questionnaire_id)
    if questionnaire_id not in RATEABLE or questionnaire is None:
        raise HTTPException(404)
    asks_belief = questionnaire_id in BIPS
    allowed = {str(option.value) for option in questionnaire.scale}
    chosen: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await checked_form(request)
        chosen = {item.id: text(form, item.id) for item in questionnaire.items}
        chosen[BELIEF] = text(form, BELIEF)
        for item in questionnaire.items:
            if chosen[item.id] not in allowed:
                errors[item.id] = _("Choose one of the answers.")
        if asks_belief and chosen[BELIEF] not in {"1", "2", "3", "4", "5"}:
            errors[BELIEF] = _("Choose one of the answers.")
    now = app.clock()
    with app.database.session() as session:
        person = person_or_404(session, who, request.path_params["person_id"])
        if request.method == "GET" or errors:
            # The form shows the young person's name: a view, as the person page is.
            audit(
                session,
                who,
                "view_rating_form",
                now=now,
                person_id=person.id,
                detail=questionnaire_id,
            )
            return render(
                request,
                "rating.html",
                status_code=400 if errors else 200,
                person=person,
                questionnaire=questionnaire,
                asks_belief=asks_belief,
                chosen=chosen,
                errors=errors,
            )
        session.add(
            CoordinatorRating(
                young_person_id=person.id,
                staff_user_id=who.id,
                questionnaire_id=questionnaire_id,
                answers={item.id: int(chosen[item.id]) for item in questionnaire.items},
                belief=int(chosen[BELIEF]) if asks_belief else None,
                rated_at=now,
            )
        )
        audit(session, who, "rate", now=now, person_id=person.id, detail=questionnaire_id)
    return see_other(f"/unge/{person.id}#profiles-heading")


ROUTES = [
    Route("/unge/{person_id:int}/vurdering", refusals_audited(rating), methods=["GET", "POST"])
]
