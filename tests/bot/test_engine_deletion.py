"""/slet as transcripts: typed answers work like the buttons, a request holds, and it can be
taken back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import EraseMe, RaiseAlert, RequestErasure, WithdrawErasure
from bot.engine.messages import Press
from bot.engine.state import Checkin, Idle
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, meaning
from tests.auxil.transcript import Conversation, replies, toasts, verify_dialog
from tests.bot.test_engine_checkin import start_who5

HELD = "Derfor gemmer jeg ikke flere svar fra dig, og der er ingen tjek."


@pytest.fixture
def harness(content) -> EngineHarness:
    return EngineHarness(content, FakePorts())


@pytest.fixture
def talk(harness) -> Conversation:
    return Conversation(harness)


@pytest.mark.parametrize("yes", ["ja", "Ja tak", "ok", "okay", "JA!", "ja 👍"])
def test_typed_yes_twice_requests_deletion_like_the_buttons(talk, harness, yes):
    verify_dialog(
        talk,
        [
            ("/slet", ["Vil du have slettet alt"]),
            (yes, ["Er du helt sikker?", "Du kan fortryde"]),
            (yes, ["Din kontaktperson har fået besked og sletter dine data."]),
        ],
    )
    assert [type(e) for e in harness.effects] == [RequestErasure]


def test_typed_yes_twice_in_immediate_mode_erases(content):
    harness = EngineHarness(content, FakePorts(erasure="immediate"))
    talk = Conversation(harness)
    verify_dialog(
        talk,
        [
            ("/slet", ["Det bliver slettet med det samme"]),
            ("ja", ["Det kan ikke fortrydes."]),
            ("ja tak", ["Nu er alt, hvad vi havde gemt om dig, slettet."]),
        ],
    )
    assert [type(e) for e in harness.effects] == [EraseMe]


@pytest.mark.parametrize("no", ["nej", "Nej tak", "nope"])
def test_a_typed_no_at_either_question_keeps_everything(talk, harness, no):
    verify_dialog(talk, [("/slet", ["Vil du have"]), (no, ["Godt, så beholder vi det hele."])])
    verify_dialog(
        talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), (no, ["beholder vi det hele"])]
    )
    assert harness.effects == []
    assert harness.state == Idle()


def test_a_late_typed_second_yes_deletes_nothing(talk, harness):
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"])])
    harness.ports.moment += timedelta(minutes=20)
    messages = talk.send("ja")
    assert harness.effects == []
    assert "Er du helt sikker?" not in " ".join(replies(messages))


def test_a_no_mid_check_in_goes_back_to_the_question(talk, harness):
    start_who5(talk)
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("nej", ["beholder vi det hele"])])
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 0


def test_after_a_request_every_command_gets_a_short_true_answer(talk, harness):
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    harness.effects.clear()
    verify_dialog(
        talk,
        [
            ("/tjek", [HELD]),
            ("/ide", [HELD]),
            ("/start", [HELD]),
            ("/pause", ["Du får ingen påmindelser eller tjek"]),
            ("/slet", ["Det har du allerede bedt om"]),
            ("/hjælp", ["Indtil det er sket, kan du:", "ring 112"]),
            ("/moeder", ["Du har ingen møder lige nu."]),
            ("/aftaler", ["Du har ingen åbne aftaler lige nu."]),
            ("/mine_data", ["Det har vi gemt om dig:"]),
            ("/findes_ikke", ["Den kommando kender jeg ikke."]),
            ("5", [HELD]),
        ],
    )
    assert harness.effects == []
    assert HELD in replies(talk.send(Press("d|2")))[0]  # an old deletion button
    assert toasts(talk.send(Press("u|no"))) == []


def test_a_feeling_after_a_request_is_answered_without_an_agenda(talk, harness):
    harness.ports.scripted["jeg er så ked af det"] = meaning("jeg er så ked af det", "feel_sad")
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    messages = talk.send("jeg er så ked af det")
    labels = [b.label for m in messages for row in getattr(m, "buttons", ()) for b in row]
    assert labels == ["Sig det til min kontaktperson", "Nej tak"]
    verify_dialog(talk, [("[Sig det til min kontaktperson]", ["Jeg har sendt en besked"])])
    assert harness.effects[-1] == RaiseAlert("contact_request", False, {"about": "feel_sad"})


@pytest.mark.parametrize("how", ["typed", "button"])
def test_the_request_can_be_taken_back_with_a_confirmation(talk, harness, how):
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    if how == "typed":
        verify_dialog(talk, [("/start_igen", ["Vil du fortryde"]), ("ja", ["Godt"])])
    else:
        verify_dialog(
            talk,
            [("/tjek", [HELD]), ("[Fortryd sletningen]", ["Vil du fortryde"])],
        )
        assert not any(isinstance(e, WithdrawErasure) for e in harness.effects)
        verify_dialog(talk, [("[Ja, fortryd]", ["Din kontaktperson har fået besked."])])
    assert isinstance(harness.effects[-1], WithdrawErasure)
    verify_dialog(talk, [("/tjek", ["Hvilket tjek vil du tage?"])])


@pytest.mark.parametrize("typed", ["fortryd", "kan jeg fortryde?", "Jeg fortryder 😅"])
def test_asking_in_words_to_take_it_back_gets_the_question(talk, harness, typed):
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    verify_dialog(talk, [(typed, ["Vil du fortryde"]), ("ja", ["Godt, så beholder vi"])])
    assert isinstance(harness.effects[-1], WithdrawErasure)


def test_a_no_to_taking_it_back_keeps_the_request(talk, harness):
    verify_dialog(talk, [("/slet", ["Vil du have"]), ("ja", ["sikker"]), ("ja", ["besked"])])
    verify_dialog(
        talk,
        [
            ("/start_igen", ["Vil du fortryde"]),
            ("nej tak", ["sletter dine data, som du bad om"]),
            ("/tjek", [HELD]),
        ],
    )
    assert harness.ports.requested


def test_after_the_support_lines_a_ja_answers_no_old_question(talk, harness):
    verify_dialog(
        talk,
        [
            ("/slet", ["Vil du have"]),
            ("jeg vil ikke leve mere", ["Livslinien"]),
        ],
    )
    messages = talk.send("ja")
    assert not any("Er du helt sikker?" in text for text in replies(messages))
    assert not any(isinstance(e, RequestErasure) for e in harness.effects)
