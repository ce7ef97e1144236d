"""BIP and WHO-5 in the report (issue 20 point 4: both BIP questionnaires paired in one
statement) against their definition worked out in Python, on random responses: per young
person and questionnaire the first and the latest completed response in the period, by
completed_at and then id (responses at the same instant, outside the period, not completed,
items left out); per item, the means over those who answered it in both."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from statistics import fmean

import pytest
from sqlalchemy import select

from dashboard.keyfigures import BipFigures, BipItemFigures, Period, compute
from storage.models import Answer, QuestionnaireResponse, ResponseStatus, YoungPerson

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
# The questionnaires' items as in dialogues/; answers are given to these and left out at random.
ITEMS = ("soegning", "kendskab", "helbred", "hverdag", "samarbejde", "maal", "tro", "motivation")
BIP = {"bip_uddannelse": ITEMS, "bip_beskaeftigelse": ITEMS}
# A stored response: person, questionnaire, id, status, completed_at, {item: value}.
Stored = tuple[int, str, str, str, datetime, dict[str, int]]


def _moment(rng: random.Random) -> datetime:
    edges = (PERIOD.starts_at, PERIOD.ends_at)
    if rng.random() < 0.15:
        return rng.choice(edges) + timedelta(microseconds=rng.choice((-1, 0, 1)))
    return datetime(2025, 11, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(270 * 86400))


def _random_responses(database, seed: int) -> list[Stored]:
    rng = random.Random(seed)
    stored: list[Stored] = []
    with database.session() as session:
        for n in range(60):
            person = YoungPerson(pseudonym=f"B{n}", birth_year=2008, created_at=_moment(rng))
            session.add(person)
            session.flush()
            for number in range(rng.randrange(5)):
                questionnaire = rng.choice(list(BIP))
                at = _moment(rng)
                if stored and rng.random() < 0.2:
                    at = stored[-1][4]  # the same instant as another response
                status = rng.choice([ResponseStatus.COMPLETED] * 4 + [ResponseStatus.STOPPED])
                values = {
                    item: rng.randrange(1, 5) for item in BIP[questionnaire] if rng.random() < 0.85
                }
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
                    )
                )
                session.flush()
                session.add_all(
                    Answer(response_id=response_id, item_id=item, value=value, answered_at=at)
                    for item, value in values.items()
                )
                stored.append((person.id, questionnaire, response_id, status, at, values))
    return stored


def _by_definition(stored: list[Stored], people: set[int] | None) -> tuple[BipFigures, ...]:
    figures = []
    for questionnaire, item_ids in BIP.items():
        per_person: dict[int, list[tuple[datetime, str, dict[str, int]]]] = {}
        for person, q_id, response_id, status, at, values in stored:
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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bip_pairs_are_the_first_and_latest_response_of_each_young_person(database, content, seed):
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
        assert sum(bip.measured for bip in expected) > 5
