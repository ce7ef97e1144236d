"""WHO-5 alerts for the coordinator: the thresholds, exactly at their edges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.effects import RaiseAlert
from bot.engine.ports import PastResult
from bot.flows.wellbeing import care, who5_alerts
from core.content import load_content
from tests.conftest import DIALOGUES

# The thresholds are the questionnaires' `alerts:` in dialogues/.
QUESTIONNAIRES = load_content(DIALOGUES).questionnaires
WHO5, BIP, LIVSOMRAADER = (QUESTIONNAIRES[q] for q in ("who5", "bip_uddannelse", "livsomraader"))

FINE = {"glad": 3, "rolig": 3, "aktiv": 3, "udhvilet": 3, "interesse": 3}


def _last(score: int) -> PastResult:
    return PastResult(completed_at=datetime(2026, 10, 1, tzinfo=UTC), score=score, answers={})


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (60, ()),
        (52, ()),
        (50, (RaiseAlert("who5_low", False, {"score": 50}),)),
        (32, (RaiseAlert("who5_low", False, {"score": 32}),)),
        (28, (RaiseAlert("who5_low", True, {"score": 28}),)),
        (0, (RaiseAlert("who5_low", True, {"score": 0}),)),
    ],
)
def test_low_and_urgent_scores(score, expected):
    assert who5_alerts(WHO5, score, FINE, None) == expected


def test_a_drop_of_ten_points_or_more():
    assert who5_alerts(WHO5, 68, FINE, _last(76)) == ()
    assert who5_alerts(WHO5, 66, FINE, _last(76)) == (
        RaiseAlert("who5_drop", False, {"score": 66, "before": 76}),
    )


def test_an_item_answered_0_or_1_names_the_items():
    answers = {**FINE, "rolig": 1, "glad": 0}
    assert who5_alerts(WHO5, 64, answers, None) == (
        RaiseAlert("who5_item_low", False, {"items": "glad,rolig"}),
    )


def test_other_questionnaires_and_missing_scores_raise_nothing():
    assert who5_alerts(BIP, None, {"tro": 1}, None) == ()
    assert who5_alerts(LIVSOMRAADER, 10, {"skole": 0}, None) == ()


@pytest.mark.parametrize(
    ("score", "answers", "expected"),
    [
        (60, FINE, None),
        (32, {**FINE, "glad": 2}, None),
        (28, FINE, "low"),
        (8, {**FINE, "glad": 0}, "low"),
        (32, {**FINE, "glad": 1}, "item"),
        (64, {**FINE, "rolig": 1}, "item"),
        (68, {**FINE, "aktiv": 0}, "item"),
    ],
)
def test_the_young_person_is_told_when_the_answers_worry(score, answers, expected):
    assert care(WHO5, score, answers) == expected
    # Every case the young person is told about also raises an alert for the coordinator: an
    # urgent one for a very low score (the contact person reaches out).
    alerts = who5_alerts(WHO5, score, answers, None)
    if expected == "low":
        assert RaiseAlert("who5_low", True, {"score": score}) in alerts
    if expected == "item":
        assert [a.kind for a in alerts if a.kind == "who5_item_low"] == ["who5_item_low"]


def test_only_who5_tells_the_young_person():
    assert care(LIVSOMRAADER, 4, {"skole": 0}) is None
    assert care(WHO5, None, {"glad": 0}) is None
