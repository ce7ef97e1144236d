"""The embedded and the Rasa interpreter behind one protocol; training data as Rasa reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import InterpreterUnavailable, TrainingDataError
from bot.nlu import FALLBACK, INTENTS, EmbeddedInterpreter, RasaInterpreter
from bot.nlu.build import DEFAULT_NLU_DIR, build_understander
from bot.nlu.data import load_examples, parse_example
from tests.auxil.fake_rasa import FakeRasa

TRAINING = DEFAULT_NLU_DIR / "nlu"


def test_the_training_data_has_every_intent_with_enough_varied_examples():
    examples = load_examples(TRAINING)
    counts = dict.fromkeys(INTENTS, 0)
    for example in examples:
        assert example.intent in counts, example.intent
        counts[example.intent] += 1
    assert min(counts.values()) >= 30
    assert counts["crisis"] > 100
    assert counts["out_of_scope"] > 100
    texts = [e.text.casefold() for e in examples]
    assert len(texts) == len(set(texts)), "an example appears twice"


def test_annotations_become_plain_text_and_entity_spans():
    example = parse_example(
        "ka vi ta det [i morgen](when) eller [iaften](when:i aften)", "postpone"
    )
    assert example.text == "ka vi ta det i morgen eller iaften"
    [first, second] = example.entities
    assert example.text[first.start : first.end] == "i morgen"
    assert (second.value, example.text[second.start : second.end]) == ("i aften", "iaften")
    json_style = parse_example('[senere]{"entity": "when", "value": "senere"} tak', "postpone")
    assert json_style.text == "senere tak"
    assert json_style.entities[0].entity == "when"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nlu: [\n", "not valid YAML"),
        ("version: '3.1'\n", "expected a top-level 'nlu:' list"),
        ("nlu:\n  - intent: greet\n    examples: |\n      hej\n", "not a '- ' line"),
        ("nlu:\n  - intent: greet\n", "needs 'intent' and 'examples: |'"),
        ('nlu:\n  - intent: x\n    examples: |\n      - [a]{"value": 1}\n', "without an entity"),
    ],
)
def test_broken_training_files_name_the_file_and_the_problem(tmp_path, content, message):
    broken = tmp_path / "broken.yml"
    broken.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=message) as caught:
        load_examples(tmp_path)
    assert "broken.yml" in str(caught.value)


def test_the_embedded_interpreter_understands_everyday_danish():
    interpreter = EmbeddedInterpreter.from_path(TRAINING)
    parse = interpreter.parse("ka vi ikk ta det imorgen")
    assert parse.intent == "postpone"
    assert parse.entity("when") is not None
    assert [s.confidence for s in parse.ranking] == sorted(
        (s.confidence for s in parse.ranking), reverse=True
    )
    assert interpreter.parse("hvornaar er mit moede").intent == "ask_meetings"
    assert interpreter.parse("   ").intent == FALLBACK


def test_below_the_threshold_the_embedded_interpreter_falls_back():
    sure = EmbeddedInterpreter.from_path(TRAINING, threshold=0.999)
    parse = sure.parse("tja")
    assert parse.intent == FALLBACK
    assert parse.ranking
    assert parse.ranking[0].name != FALLBACK


def test_a_model_is_cached_by_the_hash_of_its_data(tmp_path):
    data = tmp_path / "nlu"
    data.mkdir()
    lines = "\n".join(f"      - hej nummer {n}" for n in range(5))
    other = "\n".join(f"      - farvel nummer {n}" for n in range(5))
    (data / "a.yml").write_text(
        f"nlu:\n  - intent: greet\n    examples: |\n{lines}\n"
        f"  - intent: goodbye\n    examples: |\n{other}\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    first = EmbeddedInterpreter.from_path(data, cache_dir=cache)
    assert EmbeddedInterpreter.from_path(data, cache_dir=cache) is first
    [cached_file] = cache.glob("nlu-*.npz")
    (data / "a.yml").write_text(
        (data / "a.yml").read_text(encoding="utf-8") + "      - farvel farvel\n", encoding="utf-8"
    )
    changed = EmbeddedInterpreter.from_path(data, cache_dir=cache)
    assert changed is not first
    assert len(list(cache.glob("nlu-*.npz"))) == 2
    assert cached_file.exists()


def test_the_rasa_interpreter_reads_model_parse():
    with FakeRasa() as rasa:
        rasa.intents["hvornår er mit møde"] = ("ask_meetings", 0.97)
        rasa.entities["hvornår er mit møde"] = [
            {"entity": "when", "value": "i morgen", "start": 0, "end": 7}
        ]
        interpreter = RasaInterpreter(rasa.url)
        parse = interpreter.parse("hvornår er mit møde")
        assert (parse.intent, parse.confidence) == ("ask_meetings", 0.97)
        assert parse.entity("when") == "i morgen"
        rasa.intents["hmm"] = ("greet", 0.1)
        assert interpreter.parse("hmm").intent == FALLBACK
        interpreter.close()


@pytest.mark.parametrize("fault", ["down", "garbage"])
def test_when_rasa_fails_the_embedded_interpreter_answers_and_the_net_holds(fault):
    with FakeRasa() as rasa:
        if fault == "down":
            rasa.status = 503
        else:
            rasa.garbage = True
        alone = RasaInterpreter(rasa.url)
        with pytest.raises(InterpreterUnavailable):
            alone.parse("hej")
        alone.close()
        understander = build_understander(rasa_url=rasa.url)
        understanding = understander.understand("jeg vil ikke leve mere")
        assert understanding.crisis is not None
        assert understander.understand("hvornår er mit møde").intent == "ask_meetings"
        assert rasa.texts  # the server was asked first
        understander.close()


def test_an_unreachable_rasa_server_counts_as_unavailable():
    with FakeRasa() as rasa:
        url = rasa.url
    interpreter = RasaInterpreter(url)
    with pytest.raises(InterpreterUnavailable):
        interpreter.parse("hej")
    interpreter.close()


def test_the_rasa_config_trains_on_the_same_files():
    import yaml

    config = yaml.safe_load((DEFAULT_NLU_DIR / "config.yml").read_text(encoding="utf-8"))
    assert str(config["recipe"]) == "default.v1"
    names = [step["name"] for step in config["pipeline"]]
    assert "DIETClassifier" in names
    assert Path(DEFAULT_NLU_DIR / "nlu").is_dir()
