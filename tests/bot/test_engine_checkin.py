"""Transcript tests of the check-in flow through the pure engine (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import (
    Checkin,
    CompleteResponse,
    Idle,
    MarkChosen,
    Press,
    SaveAnswer,
    SaveTalkNextTime,
    StartResponse,
    StopResponse,
)
from bot.engine.messages import MAX_BUTTON_DATA_BYTES, Reply
from bot.engine.ports import PastResult
from core.content import Content
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import Conversation, replies, toasts, verify_dialog


@pytest.fixture
def harness(content: Content) -> EngineHarness:
    return EngineHarness(content, FakePorts())


@pytest.fixture
def talk(harness: EngineHarness) -> Conversation:
    return Conversation(harness)


def start_who5(talk: Conversation) -> None:
    verify_dialog(
        talk,
        [
            ("/tjek", ["Hvilket tjek vil du tage?"]),
            (
                "[Hvordan har du haft det?]",
                ["5 korte spørgsmål", "ingen rigtige eller forkerte svar"],
            ),
            (
                "[Ja, lad os starte]",
                ["Spørgsmål 1 af 5", "I de sidste 2 uger ...", "glad og i godt humør"],
            ),
        ],
    )


def test_who5_with_buttons_scores_and_asks_what_to_talk_about(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("[Hele tiden]", ["Spørgsmål 2 af 5", "rolig og afslappet"]),
            ("[Det meste af tiden]", ["Spørgsmål 3 af 5", "aktiv og energisk"]),
            ("[Lidt mere end halvdelen af tiden]", ["Spørgsmål 4 af 5", "frisk og udhvilet"]),
            ("[Lidt af tiden]", ["Spørgsmål 5 af 5", "ting, der interesserer mig"]),
            (
                "[På intet tidspunkt]",
                [
                    # An answer at 0-1: the gentle care message first, then the score plainly.
                    "Din kontaktperson ser dine svar",
                    "Dine svar giver 52 ud af 100",
                    "tale med din kontaktperson om næste gang",
                ],
            ),
            ("At finde et fritidsjob", ["Det kommer med på listen", "Vi ses"]),
        ],
    )
    assert isinstance(harness.state, Idle)
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 5), ("rolig", 4), ("aktiv", 3), ("udhvilet", 1), ("interesse", 0)]
    [completed] = [e for e in harness.effects if isinstance(e, CompleteResponse)]
    assert completed.score == (5 + 4 + 3 + 1 + 0) * 4
    [talk_text] = [e for e in harness.effects if isinstance(e, SaveTalkNextTime)]
    assert talk_text.text == "At finde et fritidsjob"


def test_who5_with_typed_answers_digits_labels_and_synonyms(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("5", ["Spørgsmål 2 af 5"]),
            ("det meste af tiden", ["Spørgsmål 3 af 5"]),
            ("Altid!! 😊", ["Spørgsmål 4 af 5"]),
            ("paa intet tidspunkt", ["Spørgsmål 5 af 5"]),
            ("aldrig.", ["Dine svar giver 56 ud af 100"]),
            ("spring over", ["Helt fint", "Vi ses"]),
        ],
    )
    saved = [e.value for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [5, 4, 5, 0, 0]
    assert not [e for e in harness.effects if isinstance(e, SaveTalkNextTime)]


# What the number is, for a 17-year-old (issue 17): not a grade.
CONTEXT = " Tallet viser, hvordan du har haft det de sidste 2 uger. Det er ikke en karakter."
NOT_UNDERSTOOD = (
    "Undskyld, det fangede jeg ikke. Jeg er kun en robot."
    " Tryk på det svar, der passer bedst, eller skriv et tal fra 0 til 5."
)
MORE_OR_LESS = (
    'Mener du "Lidt mere end halvdelen af tiden" eller "Lidt mindre end halvdelen af tiden"?'
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6", "6 er ikke et af svarene. Tryk på en af knapperne, eller skriv et tal fra 0 til 5."),
        ("-1", "-1 er ikke et af svarene."),
        ("55", "55 er ikke et af svarene."),
        ("3,5", 'Mener du "Det meste af tiden" eller "Lidt mere end halvdelen af tiden"?'),
        ("3 4", 'Mener du "Det meste af tiden" eller "Lidt mere end halvdelen af tiden"?'),
        ("4 eller 5", 'Mener du "Hele tiden" eller "Det meste af tiden"?'),
        ("halvdelen", MORE_OR_LESS),
        ("måske", "Det er helt okay, hvis du ikke er sikker."),
        ("ikke altid", NOT_UNDERSTOOD),
        ("😊", NOT_UNDERSTOOD),
    ],
)
def test_ambiguous_or_invalid_typed_answers_are_never_stored(talk, harness, typed, expected):
    start_who5(talk)
    messages = talk.send(typed)
    # One short answer with the answer buttons; the question is not repeated (issue 17).
    [reply] = [message for message in messages if isinstance(message, Reply)]
    assert reply.text.startswith(expected)
    assert "Spørgsmål 1 af 5" not in reply.text
    assert [button.label for button in talk.keyboard[:6]] == [
        option.label for option in harness.content.questionnaires["who5"].scale
    ]
    assert not [e for e in harness.effects if isinstance(e, SaveAnswer)]
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 0


def test_scoring_known_answer_sets(content):
    who5 = content.questionnaires["who5"]
    ids = [item.id for item in who5.items]
    assert who5.score(dict.fromkeys(ids, 5)) == 100
    assert who5.score(dict.fromkeys(ids, 0)) == 0
    assert who5.score(dict(zip(ids, [3, 2, 4, 1, 2], strict=True))) == 48
    assert who5.score(dict(zip(ids[:4], [3, 2, 4, 1], strict=True))) is None


def test_back_changes_the_previous_answer(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("2", ["Spørgsmål 2 af 5"]),
            (
                "tilbage",
                ["Spørgsmål 1 af 5", "Dit svar indtil nu: Lidt mindre end halvdelen af tiden"],
            ),
            ("4", ["Spørgsmål 2 af 5"]),
            ("[⬅️ Tilbage]", ["Spørgsmål 1 af 5"]),
            ("tilbage", ["allerede ved det første spørgsmål", "Spørgsmål 1 af 5"]),
        ],
    )
    saved = [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]
    assert saved == [("glad", 2), ("glad", 4)]
    assert harness.ports.answers[harness.state.response_id] == {"glad": 4}


def test_pause_and_resume_at_the_exact_item(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("3", ["Spørgsmål 2 af 5"]),
            ("4", ["Spørgsmål 3 af 5"]),
            ("pause", ["vi holder pause", "spørgsmål 3"]),
            ("hvad så", ["holder pause", "/tjek", "spørgsmål 3"]),
            ("/tjek", ["Vi fortsætter ved spørgsmål 3 af 5", "aktiv og energisk"]),
            ("1", ["Spørgsmål 4 af 5"]),
        ],
    )


def test_stop_keeps_given_answers_and_ends_the_check_in(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("3", ["Spørgsmål 2 af 5"]),
            ("[⏹ Stop]", ["vi stopper her", "gemt"]),
            ("4", ["/hjaelp"]),  # no check-in any more: a number is just text
        ],
    )
    assert isinstance(harness.state, Idle)
    assert [type(e) for e in harness.effects] == [StartResponse, SaveAnswer, StopResponse]


def test_pressed_answer_marks_the_question_with_the_choice(talk):
    start_who5(talk)
    messages = talk.press("Det meste af tiden")
    marks = [m for m in messages if isinstance(m, MarkChosen)]
    assert len(marks) == 1
    assert "glad og i godt humør" in marks[0].text
    assert marks[0].text.endswith("✔️ Det meste af tiden")


def test_stale_and_forged_buttons_change_nothing(talk, harness):
    start_who5(talk)
    old_button = talk.button("Hele tiden")
    talk.press("Hele tiden")
    state_before = harness.state
    effects_before = list(harness.effects)
    forged = [
        old_button.data,  # the same question again
        old_button.data.replace("|glad|5", "|rolig|9"),  # a value not on the scale
        old_button.data.replace(harness.state.response_id, "f" * 32).replace("glad", "rolig"),
        "a|x|y|z",
        "garbage",
        "c|" + harness.state.response_id + "|-|begin",
        "c|" + harness.state.response_id + "|glad|back",  # a control from the old question
    ]
    for data in forged:
        messages = talk.send(Press(data))
        assert toasts(messages) == ["Den knap virker ikke længere."], data
        assert replies(messages) == []
    assert harness.state == state_before
    assert harness.effects == effects_before


def test_every_button_fits_telegram_callback_data(talk, content):
    start_who5(talk)
    for _ in range(5):
        assert all(len(b.data.encode()) <= MAX_BUTTON_DATA_BYTES for b in talk.keyboard)
        talk.send("3")


def test_change_since_last_time_in_friendly_words(content):
    last = PastResult(completed_at=datetime(2026, 10, 27, 12, 0, tzinfo=UTC), score=52, answers={})
    for typed, expected in (
        ("55555", "Det er 48 mere end sidst (tirsdag den 27. oktober)"),
        ("22223", "Det er 8 mindre end sidst"),
        ("22333", "Det er det samme som sidst"),
        # Answers that worry: the warm message first, then the score plainly.
        ("00000", "Dine svar giver 0 ud af 100 i dag."),
    ):
        harness = EngineHarness(content, FakePorts(past={"who5": [last]}))
        talk = Conversation(harness)
        talk.send("/tjek who5")
        talk.send("ja")
        for digit in typed[:-1]:
            talk.send(digit)
        answer = "\n".join(replies(talk.send(typed[-1])))
        assert expected in answer
        for clinical in ("depression", "depressiv", "diagnose", "risiko", "lav trivsel"):
            assert clinical not in answer.casefold()


def test_profile_questionnaire_shows_each_area_and_change(content):
    last = PastResult(
        completed_at=datetime(2026, 8, 20, 9, 0, tzinfo=UTC),
        score=None,
        answers={"skole": 2, "netvaerk": 4},
    )
    harness = EngineHarness(content, FakePorts(past={"livsomraader": [last]}))
    talk = Conversation(harness)
    verify_dialog(
        talk,
        [
            ("/tjek livsomraader", ["7 korte spørgsmål"]),
            ("ja", ["Spørgsmål 1 af 7", "Hvordan går det lige nu med ...", "skole, uddannelse"]),
            ("4", ["Spørgsmål 2 af 7"]),
            ("rigtig godt", ["Spørgsmål 3 af 7"]),
            ("3", []),
            ("3", []),
            ("3", []),
            ("5", []),
            (
                "5",
                [
                    "Her er, hvad du sagde (fra 1 til 5)",
                    "Skole, uddannelse og arbejde: 4 (sidst 2)",
                    "Venner, familie og andre: 5 (sidst 4)",
                    "Hjem og penge: 3",
                    "Tallet i parentes er fra sidst (torsdag den 20. august)",
                ],
            ),
        ],
    )
    [completed] = [e for e in harness.effects if isinstance(e, CompleteResponse)]
    assert completed.score is None


def test_bip_questionnaires_run_through_the_same_engine(content):
    for questionnaire_id in ("bip_uddannelse", "bip_beskaeftigelse"):
        harness = EngineHarness(content, FakePorts())
        talk = Conversation(harness)
        talk.send(f"/tjek {questionnaire_id}")
        talk.send("ja")
        for _ in range(7):
            talk.send("3")
        answer = "\n".join(replies(talk.send("passer helt")))
        assert "Lyst: 5" in answer
        assert "Tro på mig selv: 3" in answer
        assert len([e for e in harness.effects if isinstance(e, SaveAnswer)]) == 8


def test_asking_for_another_check_in_resumes_the_running_one(talk, harness):
    start_who5(talk)
    talk.send("3")
    verify_dialog(
        talk,
        [
            ("/tjek livsomraader", ["allerede i gang med et tjek", "Spørgsmål 2 af 5"]),
        ],
    )
    assert harness.state.questionnaire_id == "who5"


def test_an_unknown_questionnaire_button_shows_the_menu(content):
    harness = EngineHarness(content, FakePorts())
    answer = replies(harness(Press("q|does_not_exist")))
    assert answer == ["Hvilket tjek vil du tage?"]
    assert harness.effects == []


LOW_WELLBEING_START = "Tak fordi du svarer ærligt. Det lyder som en hård tid."
LOW_ITEM_START = "Tak fordi du svarer ærligt. 💛 Din kontaktperson ser dine svar"
TALK_NEXT_TIME = "Er der noget, du har lyst til at tale med din kontaktperson om næste gang?"


def _who5(talk: Conversation, typed: list[str]) -> list[str]:
    start_who5(talk)
    for answer in typed[:-1]:
        talk.send(answer)
    chosen, *after = replies(talk.send(typed[-1]))
    assert chosen.startswith("✔️")  # the typed answer, marked as chosen
    return after


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        (["0", "0", "1", "0", "1"], 8),
        (["0", "1", "2", "1", "1"], 20),
        (["2", "2", "1", "1", "1"], 28),
    ],
)
def test_after_a_very_low_who5_the_warmth_comes_first_and_the_score_plainly(talk, score, typed):
    messages = _who5(talk, typed)
    care, plain, talk_next_time = messages
    assert care.startswith(LOW_WELLBEING_START)
    assert "Din kontaktperson får besked om dine svar og tager kontakt til dig." in care
    assert "• Livslinien: 70 201 201" in care
    assert care.endswith("Er du i fare, så ring 112.")
    assert plain == f"Dine svar giver {score} ud af 100 i dag.{CONTEXT}"
    assert talk_next_time.startswith(TALK_NEXT_TIME)
    said = "\n".join(messages)
    for cheerful in ("et sted at starte fra", "Når du har svaret et par gange", "Dejligt"):
        assert cheerful not in said


def test_a_fair_who5_with_one_answer_at_0_or_1_gets_a_gentler_text(talk):
    messages = _who5(talk, ["3", "4", "3", "1", "4"])  # 60, one answer "lidt af tiden"
    care, plain, talk_next_time = messages
    assert care.startswith(LOW_ITEM_START)
    assert "vil gerne tale med dig om dem" in care
    assert "• Livslinien: 70 201 201" in care
    assert "hård tid" not in care
    assert "112" not in care
    assert plain == f"Dine svar giver 60 ud af 100 i dag.{CONTEXT}"
    assert talk_next_time.startswith(TALK_NEXT_TIME)


@pytest.mark.parametrize(
    "typed",
    [
        ["3", "3", "3", "3", "3"],  # 60, nothing low
        ["2", "2", "2", "2", "2"],  # 40: the coordinator gets a quiet alert only
    ],
)
def test_a_who5_that_does_not_worry_gets_the_usual_after_text(talk, typed):
    messages = _who5(talk, typed)
    assert messages[0].startswith("Tak fordi du svarede. Dine svar giver")
    assert "Det er første gang, så nu har vi et sted at starte fra." in messages[0]
    assert not any(m.startswith(("Tak fordi du svarer ærligt", LOW_ITEM_START)) for m in messages)
    assert messages[-1].startswith(TALK_NEXT_TIME)


def test_after_a_very_low_who5_with_history_the_chart_follows_the_score(content):
    last = PastResult(completed_at=datetime(2026, 10, 27, 12, 0, tzinfo=UTC), score=60, answers={})
    harness = EngineHarness(content, FakePorts(past={"who5": [last]}))
    talk = Conversation(harness)
    start_who5(talk)
    for answer in ["1", "1", "1", "1"]:
        talk.send(answer)
    _chosen, *messages = talk.send("1")
    kinds = [type(m).__name__ for m in messages]
    assert kinds == ["Reply", "Reply", "LineChart", "Reply"]
    care, plain, _, _ = messages
    assert isinstance(care, Reply)
    assert isinstance(plain, Reply)
    assert care.text.startswith(LOW_WELLBEING_START)
    assert plain.text == f"Dine svar giver 20 ud af 100 i dag.{CONTEXT}"
    assert not any("mindre end sidst" in text for text in replies(messages))


# --- typed answers read tolerantly (issue 17) ---------------------------------------------


def _saved(harness: EngineHarness) -> list[tuple[str, int]]:
    return [(e.item_id, e.value) for e in harness.effects if isinstance(e, SaveAnswer)]


def _answer_labels(talk: Conversation) -> list[str]:
    return [button.label for button in talk.keyboard]


def test_who5_number_words_shortenings_and_typos_are_understood(talk, harness):
    start_who5(talk)
    verify_dialog(
        talk,
        [
            ("fem", ["✔️ Hele tiden", "Spørgsmål 2 af 5"]),
            ("hele tidn", ["✔️ Hele tiden", "Spørgsmål 3 af 5"]),
            ("meste af tiden", ["✔️ Det meste af tiden", "Spørgsmål 4 af 5"]),
            ("lidt mere end halvdelen", ["✔️ Lidt mere end halvdelen af tiden", "Spørgsmål 5"]),
            ("lidt mindre end halvdelen", ["✔️ Lidt mindre end halvdelen af tiden", "76 ud af 100"]),
        ],
    )
    assert _saved(harness) == [
        ("glad", 5),
        ("rolig", 5),
        ("aktiv", 4),
        ("udhvilet", 3),
        ("interesse", 2),
    ]


def test_an_ambiguous_text_gets_a_short_question_with_the_buttons_and_stays(talk, harness):
    start_who5(talk)
    talk.send("4")  # on to question 2, so the re-ask's buttons include "Tilbage"
    question = harness.state
    messages = talk.send("halvdelen")
    assert replies(messages) == [
        'Mener du "Lidt mere end halvdelen af tiden" eller "Lidt mindre end halvdelen af tiden"?'
        " Tryk på det svar, der passer bedst."
    ]
    # Not the whole question again: only the answer buttons and the controls.
    assert _answer_labels(talk) == [
        "Hele tiden",
        "Det meste af tiden",
        "Lidt mere end halvdelen af tiden",
        "Lidt mindre end halvdelen af tiden",
        "Lidt af tiden",
        "På intet tidspunkt",
        "⬅️ Tilbage",
        "⏸ Pause",
        "⏹ Stop",
    ]
    assert harness.state == question
    assert _saved(harness) == [("glad", 4)]
    # The re-ask's buttons answer the same question.
    verify_dialog(talk, [("[Lidt mindre end halvdelen af tiden]", ["Spørgsmål 3 af 5"])])
    assert _saved(harness) == [("glad", 4), ("rolig", 2)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ved ikke", "Det er helt okay, hvis du ikke er sikker."),
        ("idk", "Det er helt okay, hvis du ikke er sikker."),
        ("7", "7 er ikke et af svarene. Tryk på en af knapperne, eller skriv et tal fra 0 til 5."),
        ("ti", "10 er ikke et af svarene."),
    ],
)
def test_dont_know_and_a_number_off_the_scale_store_nothing(talk, harness, typed, expected):
    start_who5(talk)
    question = harness.state
    [reply] = [m for m in talk.send(typed) if isinstance(m, Reply)]
    assert reply.text.startswith(expected)
    assert "glad og i godt humør" not in reply.text
    assert _answer_labels(talk)[:6] == [
        o.label for o in harness.content.questionnaires["who5"].scale
    ]
    assert harness.state == question
    assert _saved(harness) == []


def test_dont_know_says_only_what_is_true(content):
    """'Der er ingen forkerte svar': the guide says the same, and every button is accepted."""
    text = content.texts.checkin.dont_know
    assert text == (
        "Det er helt okay, hvis du ikke er sikker. Tryk på det svar, der passer bedst lige nu."
        " Der er ingen forkerte svar."
    )
    for questionnaire in content.questionnaires.values():
        assert "ingen rigtige eller forkerte svar" in " ".join(questionnaire.guide.before)


def test_bip_and_life_areas_take_typed_answers_with_their_own_labels(content):
    for menu, typed, expected in (
        ("Klar til uddannelse?", "passr godt", 4),
        ("Klar til arbejde?", "noglunde", 3),
        ("Livet lige nu", "rigtigt godt", 5),
        ("Livet lige nu", "fire", 4),
    ):
        harness = EngineHarness(content, FakePorts())
        talk = Conversation(harness)
        talk.send("/tjek")
        talk.press(menu)
        talk.press("Ja, lad os starte")
        talk.send(typed)
        assert _saved(harness)[0][1] == expected, (menu, typed)
        assert isinstance(harness.state, Checkin)
        assert harness.state.index == 1


def test_life_areas_ask_which_when_really_could_be_either(content):
    harness = EngineHarness(content, FakePorts())
    talk = Conversation(harness)
    talk.send("/tjek")
    talk.press("Livet lige nu")
    talk.press("Ja, lad os starte")
    assert replies(talk.send("rigtig")) == [
        'Mener du "Rigtig svært" eller "Rigtig godt"? Tryk på det svar, der passer bedst.'
    ]
    assert isinstance(harness.state, Checkin)
    assert harness.state.index == 0
    assert _saved(harness) == []


def test_an_unclear_text_while_paused_keeps_the_pause_note(talk, harness):
    start_who5(talk)
    talk.send("pause")
    assert "holder pause" in replies(talk.send("halvdelen"))[0]
    assert harness.state.paused
    verify_dialog(talk, [("fem", ["✔️ Hele tiden", "Spørgsmål 2 af 5"])])
