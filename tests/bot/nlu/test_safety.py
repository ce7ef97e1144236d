"""The safety net's lexicon and its guard against hyperbole."""

from __future__ import annotations

import pytest

from bot.nlu import FALLBACK, Lexicon, Parse, SafetyNet
from bot.nlu.build import DEFAULT_NLU_DIR, default_understander
from bot.nlu.features import prepare
from bot.nlu.parse import IntentScore
from bot.nlu.safety import LexiconError, compile_phrase


def matches(phrase: str, text: str) -> bool:
    return compile_phrase(phrase).search(prepare(text)) is not None


def test_phrases_match_whole_words_stems_gaps_and_any_spelling():
    assert matches("selvmord*", "jeg har selvmordstanker")
    assert matches("vil ... dø", "jeg vil bare gerne dø")
    assert matches("vil ... dø", "jeg vil doe")
    assert not matches("vil ... dø", "jeg vil gerne have at den her dag bare er overstået og dø")
    assert matches("kan ikke mere", "Jeg KAN ikke mere!!")
    assert not matches("skar mig", "jeg skar migrænen ned")


def test_the_lexicon_file_loads_and_a_broken_one_is_refused(tmp_path):
    lexicon = Lexicon.load(DEFAULT_NLU_DIR / "crisis_lexicon.yml")
    assert len(lexicon.phrases) > 100
    assert lexicon.hyperbole
    broken = tmp_path / "lexicon.yml"
    for text in ("phrases: [", "phrases: hej", "phrases: [1, 2]", "- a list"):
        broken.write_text(text, encoding="utf-8")
        with pytest.raises(LexiconError, match=r"lexicon\.yml"):
            Lexicon.load(broken)
    with pytest.raises(LexiconError, match=r"(?i)no such file"):
        Lexicon.load(tmp_path / "missing.yml")


def _parse(text: str, intent: str, confidence: float) -> Parse:
    return Parse(text, intent, confidence, (IntentScore(intent, confidence),))


def test_the_lexicon_wins_even_when_the_classifier_disagrees():
    net = SafetyNet(Lexicon.load(DEFAULT_NLU_DIR / "crisis_lexicon.yml"))
    calm = _parse("jeg har taget alle mine piller", "agreement_done", 0.9)
    hit = net.assess(calm.text, calm, lambda text: _parse(text, FALLBACK, 0.0))
    assert hit is not None
    assert hit.source == "lexicon"


def test_a_low_crisis_confidence_is_enough_for_the_classifier_to_count():
    net = SafetyNet(Lexicon(phrases=(), hyperbole=()), threshold=0.2)
    parse = Parse(
        "alt er bare sort",
        "out_of_scope",
        0.5,
        (
            IntentScore("out_of_scope", 0.5),
            IntentScore("crisis", 0.25),
        ),
    )
    hit = net.assess(parse.text, parse, lambda text: parse)
    assert hit is not None
    assert hit.source == "classifier"


def test_hyperbole_alone_never_raises_an_alarm_but_a_cry_beside_it_does():
    understander = default_understander()
    for text in ("jeg er død træt", "jeg er dødtræt i dag", "min mobil er død", "jeg dør af grin"):
        assert understander.understand(text).crisis is None, text
    both = understander.understand("jeg er død træt af det hele og vil ikke leve mere")
    assert both.crisis is not None


def test_the_net_catches_every_held_out_cry_and_stays_quiet_on_everyday_texts():
    """On texts never used for training or tuning the data (tests/data/), every crisis is
    caught; false alarms on everyday texts stay under 2 % and never come from hyperbole."""
    from pathlib import Path

    from bot.nlu.data import load_examples

    data = Path(__file__).resolve().parents[2] / "data"
    examples = load_examples(data / "nlu_heldout.yml") + load_examples(data / "nlu_everyday.yml")
    understander = default_understander()
    crises = [e.text for e in examples if e.intent == "crisis"]
    calm = [e.text for e in examples if e.intent != "crisis"]
    assert [t for t in crises if understander.understand(t).crisis is None] == []
    alarms = [t for t in calm if understander.understand(t).crisis is not None]
    assert len(alarms) <= 0.02 * len(calm), alarms
    hyperbole = ("død", "dør", "dræb", "ihjel", "dødt")
    assert [t for t in alarms if any(word in t for word in hyperbole)] == []
