"""BIP and WHO-5 in the report (issue 20 point 4: both BIP questionnaires paired in one
statement, one window for each young person's first and latest) against their definition
worked out in Python, on random responses: per young person and questionnaire the first and the
latest completed response in the period, by completed_at and then id (responses at the same
instant, outside the period, not completed, items or a score left out); per BIP item, the means
over those who answered it in both; WHO-5 over the responses with a score."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from statistics import fmean

import pytest
from sqlalchemy import select

from dashboard.keyfigures import BipFigures, BipItemFigures, Period, WhoFiveFigures, compute
from storage.models import Answer, QuestionnaireResponse, ResponseStatus, YoungPerson

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
# The questionnaires' items as in dialogues/; answers are given to these and left out at random.
ITEMS = ("soegning", "kendskab", "helbred", "hverdag", "samarbejde", "maal", "tro", "motivation")
BIP = {"bip_uddannelse": ITEMS, "bip_beskaeftigelse": ITEMS}
WHO5_LOW, IMPROVED_BY = 50, 10  # dialogues/who5.yml's `low`, dashboard/keyfigures/queries.py
# A stored response: person, questionnaire, id, status, completed_at, {item: value}, score.
Stored = tuple[int, str, str, str, datetime, dict[str, int], int | None]


def _moment(rng: random.Random) -> datetime:
    edges = (PERIOD.starts_at, PERIOD.ends_at)
    if rng.random() < 0.15:
        return rng.choice(edges) + timedelta(microseconds=rng.choice((-1, 0, 1)))
    return datetime(2025, 12, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(240 * 86400))


def _random_responses(database, seed: int) -> list[Stored]:
    rng = random.Random(seed)
    stored: list[Stored] = []
    with database.session() as session:
        for n in range(80):
            person = YoungPerson(pseudonym=f"B{n}", birth_year=2008, created_at=_moment(rng))
            session.add(person)
            session.flush()
            for number in range(rng.randrange(8)):
                questionnaire = rng.choice([*BIP, "who5", "who5"])
                at = _moment(rng)
                if stored and rng.random() < 0.2:
                    at = stored[-1][4]  # the same instant as another response
                status = rng.choice([ResponseStatus.COMPLETED] * 4 + [ResponseStatus.STOPPED])
                items = BIP.get(questionnaire, ())
                values = {item: rng.randrange(1, 5) for item in items if rng.random() < 0.85}
                score = None
                if questionnaire == "who5" and rng.random() < 0.9:
                    score = 4 * rng.randrange(26)
                response_id = f"{rng.randrange(16**8):08x}{n:04d}{number:02d}"
                session.add(
                    QuestionnaireResponse(
                        id=response_id,
                        young_person_id=person.id,
                        questionnaire_id=questionnaire,
                        questionnaire_version=1,
                        status=status,
                        started_at=at,
                        completed_at=at,
                        score=score,
                    )
                )
                session.flush()
                session.add_all(
                    Answer(response_id=response_id, item_id=item, value=value, answered_at=at)
                    for item, value in values.items()
                )
                stored.append((person.id, questionnaire, response_id, status, at, values, score))
    return stored


def _by_definition(stored: list[Stored], people: set[int] | None) -> tuple[BipFigures, ...]:
    figures = []
    for questionnaire, item_ids in BIP.items():
        per_person: dict[int, list[tuple[datetime, str, dict[str, int]]]] = {}
        for person, q_id, response_id, status, at, values, _score in stored:
            counted = people is None or person in people
            completed = (
                status == ResponseStatus.COMPLETED and PERIOD.starts_at <= at < PERIOD.ends_at
            )
            if q_id == questionnaire and completed and counted:
                per_person.setdefault(person, []).append((at, response_id, values))
        items = []
        for item in item_ids:
            pairs = []
            for responses in per_person.values():
                first, latest = min(responses)[2], max(responses)[2]
                if item in first and item in latest:
                    pairs.append((first[item], latest[item]))
            items.append(
                BipItemFigures(
                    item_id=item,
                    people=len(pairs),
                    first_mean=fmean(f for f, _l in pairs) if pairs else None,
                    latest_mean=fmean(lt for _f, lt in pairs) if pairs else None,
                )
            )
        figures.append(
            BipFigures(questionnaire_id=questionnaire, measured=len(per_person), items=tuple(items))
        )
    return tuple(figures)


def _who5_by_definition(stored: list[Stored], people: set[int] | None) -> WhoFiveFigures:
    per_person: dict[int, list[tuple[datetime, str, int]]] = {}
    for person, q_id, response_id, status, at, _values, score in stored:
        counted = people is None or person in people
        completed = status == ResponseStatus.COMPLETED and PERIOD.starts_at <= at < PERIOD.ends_at
        if q_id == "who5" and completed and counted and score is not None:
            per_person.setdefault(person, []).append((at, response_id, score))
    ends = [(min(scores)[2], max(scores)[2], len(scores)) for scores in per_person.values()]
    return WhoFiveFigures(
        measured=len(ends),
        followed=sum(n > 1 for _f, _l, n in ends),
        first_mean=fmean(f for f, _l, _n in ends) if ends else None,
        latest_mean=fmean(lt for _f, lt, _n in ends) if ends else None,
        first_low=sum(f <= WHO5_LOW for f, _l, _n in ends),
        latest_low=sum(lt <= WHO5_LOW for _f, lt, _n in ends),
        improved=sum(n > 1 and lt - f >= IMPROVED_BY for f, lt, n in ends),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bip_and_who5_take_the_first_and_latest_response_of_each_young_person(
    database, content, seed
):
    stored = _random_responses(database, seed)
    ids = sorted({person for person, *_rest in stored})
    some = set(ids[::2])
    for people in (None, some):
        chosen = (
            None if people is None else select(YoungPerson.id).where(YoungPerson.id.in_(people))
        )
        with database.session() as session:
            figures = compute(session, PERIOD, now=NOW, people=chosen, content=content)
        expected = _by_definition(stored, people)
        assert figures.bip == expected  # sums of whole numbers: the same means to the bit
        assert figures.who5 == _who5_by_definition(stored, people)
        assert sum(bip.measured for bip in expected) > 5
        assert figures.who5.followed > 2
        assert figures.who5.improved > 0
