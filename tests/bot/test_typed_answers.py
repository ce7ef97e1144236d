"""Typed check-in answers (bot/nlu/typed_answer.py): the labelled set's figures, the readings
of the hard cases, and the texts that must never become a value."""

from __future__ import annotations

import pytest

from benchmarks.typed_answers import LABELLED, load_labelled, measure, table
from bot.nlu.answer_words import DONT_KNOW
from bot.nlu.data import load_examples
from bot.nlu.evaluate import HELD_OUT, SAFETY_EVAL
from bot.nlu.typed_answer import (
    Chosen,
    DontKnow,
    NoAnswer,
    OutOfRange,
    Reading,
    Unsure,
    read_answer,
)
from core.content import Content

SCALES = ("who5", "bip_uddannelse", "bip_beskaeftigelse", "livsomraader")
# What CI holds on tests/data/typed_answers.yml (benchmarks/typed_answers.py prints it):
# never a wrong value, and at least this share of the answerable texts understood at once.
# A missed answer costs one short question again; a wrong value is a wrong record.
MIN_ACCEPT_RATE = 0.88
MIN_ACCEPT_RATE_PER_SCALE = 0.70


def test_the_labelled_set_is_large_covers_every_scale_and_uses_real_values(content: Content):
    labelled = load_labelled(LABELLED)
    assert sorted(labelled) == sorted(SCALES)
    assert sum(len(examples) for examples in labelled.values()) >= 150
    for questionnaire_id, examples in labelled.items():
        questionnaire = content.questionnaires[questionnaire_id]
        expected = {example.expect for example in examples}
        assert None in expected, questionnaire_id  # every scale has texts to turn down
        values = {option.value for option in questionnaire.scale}
        assert expected - {None} <= values, questionnaire_id
        texts = [example.text for example in examples]
        assert len(texts) == len(set(texts)), questionnaire_id


def test_no_typed_text_is_ever_stored_with_a_wrong_value(content: Content):
    tallies = measure(content, load_labelled(LABELLED))
    report = table(tallies)
    for name, tally in tallies.items():
        assert tally.wrong == 0, f"{name}: {tally.wrong_texts}\n{report}"
        assert tally.rejected == tally.rejects, report


def test_most_answers_are_understood_at_once(content: Content):
    tallies = measure(content, load_labelled(LABELLED))
    report = table(tallies)
    accepted = sum(tally.accepted for tally in tallies.values())
    answerable = sum(tally.answerable for tally in tallies.values())
    assert accepted / answerable >= MIN_ACCEPT_RATE, report
    for tally in tallies.values():
        assert tally.accept_rate >= MIN_ACCEPT_RATE_PER_SCALE, report


@pytest.mark.parametrize(
    ("questionnaire_id", "typed", "reading"),
    [
        # The finding of issue 17.
        ("who5", "fem", Chosen(5)),
        ("who5", "hele tidn", Chosen(5)),
        ("who5", "meste af tiden", Chosen(4)),
        ("who5", "lidt mere end halvdelen", Chosen(3)),
        ("who5", "lidt mindre end halvdelen", Chosen(2)),
        # Numbers with words around them; the scale named after the answer.
        ("who5", "5 vel", Chosen(5)),
        ("who5", "ca 3", Chosen(3)),
        ("who5", "en 4'er", Chosen(4)),
        ("who5", "4 ud af 5", Chosen(4)),
        ("who5", "3/5", Chosen(3)),
        ("who5", "Én", Chosen(1)),
        ("who5", "en gang imellem", Chosen(1)),  # "en" is an article here, not one
        # Never a guess between two options.
        ("who5", "halvdelen", Unsure((3, 2))),
        ("who5", "4 eller 5", Unsure((5, 4))),
        ("who5", "3-4", Unsure((4, 3))),
        ("who5", "3,5", Unsure((4, 3))),
        ("who5", "4 hele tiden", Unsure((5, 4))),
        ("who5", "hele tiden eller det meste", Unsure((5, 4))),
        ("livsomraader", "rigtig", Unsure((1, 5))),
        ("livsomraader", "godt og skidt", Unsure((2, 4))),
        # Off the scale.
        ("who5", "6", OutOfRange(6)),
        ("who5", "ti", OutOfRange(10)),
        ("who5", "-1", OutOfRange(-1)),
        ("bip_uddannelse", "0", OutOfRange(0)),
        ("bip_uddannelse", "nul", OutOfRange(0)),
        # "I don't know" is its own reading.
        ("who5", "ved ikke", DontKnow()),
        ("bip_uddannelse", "idk", DontKnow()),
        ("livsomraader", "Det ved jeg ikke...", DontKnow()),
        ("who5", "ved ik", DontKnow()),
        # Not an answer.
        ("who5", "ikke altid", NoAnswer()),
        ("who5", "fem minutter", NoAnswer()),
        ("who5", "jeg har sovet 3 timer", NoAnswer()),
        ("who5", "er det hele tiden?", NoAnswer()),
        ("who5", "kl. 14.30", NoAnswer()),
        ("who5", "måske", NoAnswer()),
        ("who5", "😊", NoAnswer()),
        ("bip_uddannelse", "rigtig", NoAnswer()),  # "ikke rigtig" without its "ikke"
        ("livsomraader", "så godt", NoAnswer()),  # "ikke så godt" without its "ikke"
        ("who5", "1234", NoAnswer()),
        ("who5", "hele tiden " * 20, NoAnswer()),
    ],
)
def test_readings(content: Content, questionnaire_id: str, typed: str, reading: Reading):
    assert read_answer(content.questionnaires[questionnaire_id], typed) == reading


@pytest.mark.parametrize("questionnaire_id", SCALES)
def test_every_label_synonym_and_value_reads_as_itself(content: Content, questionnaire_id: str):
    questionnaire = content.questionnaires[questionnaire_id]
    for option in questionnaire.scale:
        for phrase in (option.label, *option.synonyms):
            for typed in (phrase, phrase.upper(), f"{phrase}!! 😊", f"  {phrase}."):
                assert read_answer(questionnaire, typed) == Chosen(option.value), typed
        assert read_answer(questionnaire, str(option.value)) == Chosen(option.value)


@pytest.mark.parametrize("questionnaire_id", SCALES)
def test_one_typo_in_a_label_never_gives_another_value(content: Content, questionnaire_id: str):
    """Every one-letter slip (a letter left out, or two swapped) in every label and synonym of
    nine letters or more: its own value, or asked again; never another option."""
    questionnaire = content.questionnaires[questionnaire_id]
    for option in questionnaire.scale:
        for phrase in (option.label, *option.synonyms):
            if len(phrase) < 9:
                continue
            slips = {phrase[:i] + phrase[i + 1 :] for i in range(len(phrase))}
            slips |= {
                phrase[:i] + phrase[i + 1] + phrase[i] + phrase[i + 2 :]
                for i in range(len(phrase) - 1)
            }
            for typed in slips:
                reading = read_answer(questionnaire, typed)
                if isinstance(reading, Chosen):
                    assert reading.value == option.value, (phrase, typed, reading)


@pytest.mark.parametrize("questionnaire_id", SCALES)
def test_dont_know_is_never_a_value(content: Content, questionnaire_id: str):
    questionnaire = content.questionnaires[questionnaire_id]
    for phrase in DONT_KNOW:
        assert read_answer(questionnaire, phrase) == DontKnow(), phrase


@pytest.mark.parametrize("questionnaire_id", SCALES)
def test_cries_for_help_feelings_and_questions_are_never_answers(
    content: Content, questionnaire_id: str
):
    """The safety net's evaluation set (crisis texts, hyperbole, feelings) and the held-out
    everyday questions: none of them is a value. A value would also let a classifier-only
    crisis hit pass as a plain answer (bot/engine/core.py: _plain_answer)."""
    questionnaire = content.questionnaires[questionnaire_id]
    for example in load_examples(SAFETY_EVAL):
        assert not isinstance(read_answer(questionnaire, example.text), Chosen), example.text
    for example in load_examples(HELD_OUT):
        if example.intent in ("affirm", "deny"):
            continue  # "ja", "nej", "slet ikke" are synonyms on some scales
        assert not isinstance(read_answer(questionnaire, example.text), Chosen), example.text
