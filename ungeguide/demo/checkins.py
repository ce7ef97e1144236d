"""A demo year's check-ins: WHO-5, BIP and livsomraader responses, ratings, and their alerts."""

from __future__ import annotations

import math
from datetime import timedelta

from core.content import Questionnaire
from core.content.models import AlertThresholds
from domain.outbox import ReminderKind, Subject
from storage.models import (
    Answer,
    CoordinatorRating,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
)
from ungeguide.demo.cast import COURSES, TALK_TOPICS
from ungeguide.demo.year import Year


def history(
    year: Year, course: str, bip: str, first: int, stop: int
) -> list[QuestionnaireResponse]:
    """Monthly WHO-5s, quarterly BIPs and a half-yearly livsomraader from `first` to `stop`
    days ago; returns the completed WHO-5s, oldest first."""
    rng, who5, rated = year.rng, [], year.rng.random() < 0.5
    start, end = COURSES[course]
    day, n = first, 0
    while day >= stop:
        level = start + (end - start) * (first - day) / (first - stop)
        level += 0.7 * math.sin(n) if course == "wavy" else 0
        if course == "crisis" and day - 30 < stop:
            level = 0.9
        if n and rng.random() < 0.08:
            add_response(year, "who5", level, day + 2, stopped=True)
        who5.append(add_response(year, "who5", level, day))
        if n % 3 == 0:
            add_response(year, bip, 1 + level * 0.8, day + 1)
            if rated:
                add_rating(year, bip, 1 + level * 0.8, day + 1)
        if n % 6 == 0:
            add_response(year, "livsomraader", 1.2 + level * 0.7, day + 1)
        day -= rng.randint(27, 33)
        n += 1
    return who5


def add_response(
    year: Year, qid: str, level: float, day: int, *, stopped: bool = False
) -> QuestionnaireResponse:
    rng, questionnaire = year.rng, year.content.questionnaires[qid]
    items = questionnaire.items[: rng.randint(1, 3)] if stopped else questionnaire.items
    values = [scale_value(questionnaire, level + rng.gauss(0, 0.7)) for _ in items]
    moment = started = year.at(day)
    answers = []
    for item, value in zip(items, values, strict=True):
        moment += timedelta(seconds=rng.randint(15, 90))
        answers.append(Answer(item_id=item.id, value=value, answered_at=moment))
    response = QuestionnaireResponse(
        id=f"{rng.getrandbits(128):032x}",
        young_person_id=year.person_id,
        questionnaire_id=qid,
        questionnaire_version=questionnaire.version,
        status=ResponseStatus.STOPPED if stopped else ResponseStatus.COMPLETED,
        started_at=started,
        answers=answers,
    )
    invited = started - timedelta(minutes=rng.randint(20, 600))
    year.session.add(  # the invitation it answered, as the outbox would have sent it
        Reminder(
            young_person_id=year.person_id,
            kind=ReminderKind.CHECKIN_INVITE,
            subject=str(Subject.checkin(qid)),
            due_at=invited,
            latest_at=invited + timedelta(hours=6),
            status=ReminderStatus.SENT,
            attempts=1,
            sent_at=invited,
            dedup_key=f"demo:{response.id}",
        )
    )
    if not stopped:
        response.completed_at = moment + timedelta(seconds=rng.randint(5, 40))
        if questionnaire.scoring.method == "sum":
            response.score = sum(values) * questionnaire.scoring.multiplier
        if rng.random() < 0.25:
            response.talk_next_time = rng.choice(TALK_TOPICS)
    year.session.add(response)
    return response


def add_rating(year: Year, bip: str, level: float, day: int) -> None:
    questionnaire, rng = year.content.questionnaires[bip], year.rng
    answers = {
        i.id: scale_value(questionnaire, level + rng.gauss(0, 0.6)) for i in questionnaire.items
    }
    rating = CoordinatorRating(
        young_person_id=year.person_id,
        staff_user_id=year.coordinator.id,
        questionnaire_id=bip,
        answers=answers,
        belief=min(5, max(1, round(level + rng.gauss(0, 0.5)))),
        rated_at=year.at(day) + timedelta(hours=3),
    )
    year.session.add(rating)


def who5_alerts(year: Year, who5: list[QuestionnaireResponse], limits: AlertThresholds) -> None:
    """The alerts the bot raises (bot/flows/wellbeing.py, with the thresholds of
    dialogues/who5.yml) for the last four months' WHO-5s."""
    for before, response in zip([None, *who5], who5, strict=False):
        at, score = response.completed_at, response.score
        if at is None or score is None or at < year.now - timedelta(days=120):
            continue
        if score <= limits.low:
            year.alert("who5_low", at, {"score": score}, urgent=score <= limits.urgent)
        if before is not None and before.score is not None and before.score - score >= limits.drop:
            year.alert("who5_drop", at, {"score": score, "before": before.score})
        low = sorted(a.item_id for a in response.answers if a.value <= limits.item_low)
        if low:
            year.alert("who5_item_low", at, {"items": ",".join(low)})


def scale_value(questionnaire: Questionnaire, level: float) -> int:
    """The scale value nearest to `level`."""
    return min((option.value for option in questionnaire.scale), key=lambda v: abs(v - level))
