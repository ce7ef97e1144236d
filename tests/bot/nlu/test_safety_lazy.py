"""The lexicon's patterns are compiled when a text first holds their words, and answer exactly as
the compiled patterns do: on every evaluation text, every phrase finds the same span and every
guard masks the same words."""

from __future__ import annotations

import re

import yaml

from bot.nlu import Lexicon, SafetyNet
from bot.nlu.build import DEFAULT_NLU_DIR, LEXICON_FILE
from bot.nlu.data import load_examples
from bot.nlu.evaluate import EVERYDAY, HELD_OUT, SAFETY_EVAL
from bot.nlu.features import prepare, unleet
from bot.nlu.parse import Parse
from bot.nlu.safety import PhrasePattern, canonical, compile_phrase, lazy_phrase

LEXICON = DEFAULT_NLU_DIR / LEXICON_FILE


def _all_patterns(lexicon: Lexicon) -> list[tuple[str, bool, PhrasePattern]]:
    """(phrase as written, guard or not, its pattern) for every phrase of every tier."""
    written = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    tiers = (
        (written["phrases"], False, [p for _, p in lexicon.phrases]),
        (written["possible"], False, [p for _, p in lexicon.possible]),
        (
            written["farewell"]["not_your_fault"],
            False,
            [p for _, p in lexicon.farewell.not_your_fault],
        ),
        (written["farewell"]["goodbye"], False, [p for _, p in lexicon.farewell.goodbye]),
        (written["not_crisis"], True, list(lexicon.hyperbole)),
    )
    found = []
    for phrases, guard, patterns in tiers:
        assert len(phrases) == len(patterns)
        found += [
            (phrase, guard, pattern) for phrase, pattern in zip(phrases, patterns, strict=True)
        ]
    assert all(isinstance(pattern, PhrasePattern) for _, _, pattern in found)
    return found  # type: ignore[return-value]


def _calm(text: str) -> Parse:
    return Parse(text, "greet", 1.0, ())


def test_loading_compiles_nothing_and_an_everyday_text_compiles_almost_nothing():
    lexicon = Lexicon.load(LEXICON)
    patterns = [pattern for _, _, pattern in _all_patterns(lexicon)]
    assert len(patterns) > 500
    assert not any(pattern.compiled for pattern in patterns)
    net = SafetyNet(lexicon)
    assert net.assess("hej, kan vi flytte mødet til i morgen?", _calm(""), _calm) is None
    assert sum(pattern.compiled for pattern in patterns) <= 5
    hit = net.assess("jeg har taget alle mine piller", _calm(""), _calm)
    assert hit is not None
    assert hit.detail == "taget alle mine piller"
    assert hit.certain


def test_stems_gaps_alternatives_and_guards_answer_as_the_compiled_pattern():
    phrases = [
        ("selvmord*", False),
        ("vil ... dø", False),
        ("skåret i {armen|låret}", False),
        ("{skar|skåret} mig", False),
        ("ende { |det} hele", False),  # an alternative with an empty choice
        ("tog livet af mig", True),
        ("slår mig ihjel {når|hvis}", True),
    ]
    texts = [
        "jeg har selvmordstanker",
        "selvmord",
        "jeg vil bare gerne dø",
        "jeg vil gerne have at den her dag bare er overstået og dø",
        "har skaaret i laaret",
        "har skaaret i brødet",
        "jeg skar mig i går",
        "jeg skar migrænen ned",
        "vil ende det hele nu",
        "vil ende  hele",
        "det tog livet af mig",
        "jeg tog naesten livet af mig selv",
        "min mor slår mig ihjel hvis hun ser det",
        "",
    ]
    for phrase, guard in phrases:
        compiled = compile_phrase(phrase, guard=guard)
        lazy = lazy_phrase(phrase, guard=guard)
        for text in texts:
            reading = canonical(prepare(text))
            expected = compiled.search(reading)
            found = lazy.search(reading)
            assert (found and found.span()) == (expected and expected.span()), (phrase, text)
            assert lazy.sub(" ", reading) == compiled.sub(" ", reading), (phrase, text)


def test_every_phrase_finds_what_its_compiled_pattern_finds_on_the_evaluation_texts():
    lexicon = Lexicon.load(LEXICON)
    net = SafetyNet(lexicon)
    phrases = _all_patterns(lexicon)
    texts = [e.text for path in (HELD_OUT, EVERYDAY, SAFETY_EVAL) for e in load_examples(path)]
    # And each phrase written out as a text: "vil ... dø" as "vil bare dø", "{a|b}" as "a".
    texts += [_written_out(phrase) for phrase, _, _ in phrases]
    readings: set[str] = set()
    for text in texts:
        prepared = prepare(text)
        readings |= {canonical(prepared), net._mask(prepared), net._mask(unleet(prepared))}
    found = 0
    for phrase, guard, lazy in phrases:
        compiled = compile_phrase(phrase, guard=guard)
        for reading in readings:
            expected = compiled.search(reading)
            assert (m.span() if (m := lazy.search(reading)) else None) == (
                expected.span() if expected else None
            ), (phrase, reading)
            if guard:
                assert lazy.sub(" ", reading) == compiled.sub(" ", reading), reading
            found += expected is not None
    assert found > 800  # the texts do hold the lexicon's words


def _written_out(phrase: str) -> str:
    chosen = re.sub(r"\{([^|}]*)[^}]*\}", r"\1", phrase)
    return chosen.replace("...", "bare").replace("*", "er")
