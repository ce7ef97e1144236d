"""`ungeguide nlu ...`: evaluation of the interpreters, and the held-out quality gate."""

from __future__ import annotations

import json

from bot.nlu.evaluate import HELD_OUT
from tests.auxil.fake_rasa import FakeRasa
from tests.test_cli import invoke


def test_evaluate_as_json_has_the_documented_keys(tmp_path):
    result = invoke(
        "nlu", "evaluate", "--test", str(HELD_OUT), "--json", UNGEGUIDE_DATA_DIR=str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"macro_f1", "accuracy", "per_intent"} <= set(report)
    crisis = report["per_intent"]["crisis"]
    assert set(crisis) == {"precision", "recall", "f1", "support"}


def test_the_held_out_set_meets_the_targets(tmp_path):
    """Utterances written independently of nlu_data/ (tests/data/nlu_heldout.yml): the whole
    path the bot takes must reach macro-F1 0.90, and catch every cry for help."""
    result = invoke(
        "nlu", "evaluate", "--test", str(HELD_OUT), "--json", UNGEGUIDE_DATA_DIR=str(tmp_path)
    )
    report = json.loads(result.output)
    assert report["macro_f1"] >= 0.90
    assert report["per_intent"]["crisis"]["recall"] == 1.0


def test_evaluate_prints_a_table_with_confusions_and_latency(tmp_path):
    result = invoke(
        "nlu", "evaluate", "--test", str(HELD_OUT), "--errors", UNGEGUIDE_DATA_DIR=str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    for fragment in ("macro-F1", "latency p99 ms", "crisis", "Most confused"):
        assert fragment in result.output


def test_evaluate_refuses_a_broken_test_file(tmp_path):
    broken = tmp_path / "test.yml"
    broken.write_text("nlu: [\n", encoding="utf-8")
    result = invoke("nlu", "evaluate", "--test", str(broken), UNGEGUIDE_DATA_DIR=str(tmp_path))
    assert result.exit_code == 2
    assert "not valid YAML" in result.output


def test_compare_needs_a_rasa_server(tmp_path):
    result = invoke("nlu", "compare", UNGEGUIDE_DATA_DIR=str(tmp_path))
    assert result.exit_code == 2
    assert "RASA_URL is not set" in result.output


def test_compare_prints_both_interpreters_side_by_side(tmp_path):
    with FakeRasa() as rasa:
        result = invoke(
            "nlu", "compare", "--json", UNGEGUIDE_DATA_DIR=str(tmp_path), RASA_URL=rasa.url
        )
        down = invoke(
            "nlu", "compare", UNGEGUIDE_DATA_DIR=str(tmp_path), RASA_URL="http://127.0.0.1:9"
        )
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert set(reports) == {"embedded+safety", "rasa+safety"}
    assert down.exit_code == 2
    assert "Is the server running" in down.output


def test_parse_shows_intent_entities_and_the_safety_net(tmp_path):
    result = invoke("nlu", "parse", "ka vi ikk ta det i morgen", UNGEGUIDE_DATA_DIR=str(tmp_path))
    assert "intent: postpone" in result.output
    assert "entity: when=" in result.output
    crisis = invoke("nlu", "parse", "jeg vil ikke leve mere", UNGEGUIDE_DATA_DIR=str(tmp_path))
    assert "safety net: HIT (lexicon" in crisis.output
