"""The dialogue files: the shipped content is valid, and broken files are refused precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.content import ContentError, load_content
from tests.conftest import DIALOGUES


@pytest.fixture
def dialogues(tmp_path: Path) -> Path:
    folder = tmp_path / "dialogues"
    shutil.copytree(DIALOGUES, folder)
    return folder


def break_file(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    return [str(problem) for problem in caught.value.problems]


def line_of(folder: Path, name: str, fragment: str) -> int:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if fragment in line)


def test_who5_has_the_official_danish_wording(content):
    who5 = content.questionnaires["who5"]
    assert who5.stem == "I de sidste 2 uger ..."
    assert [item.text for item in who5.items] == [
        "... har jeg været glad og i godt humør",
        "... har jeg følt mig rolig og afslappet",
        "... har jeg følt mig aktiv og energisk",
        "... er jeg vågnet frisk og udhvilet",
        "... har min dagligdag været fyldt med ting, der interesserer mig",
    ]
    assert [(o.value, o.label) for o in who5.scale] == [
        (5, "Hele tiden"),
        (4, "Det meste af tiden"),
        (3, "Lidt mere end halvdelen af tiden"),
        (2, "Lidt mindre end halvdelen af tiden"),
        (1, "Lidt af tiden"),
        (0, "På intet tidspunkt"),
    ]
    assert "Psykiatrisk Center Nordsjælland" in who5.credit


def test_bip_and_livsomraader_cover_their_areas(content):
    areas = [
        "soegning",
        "kendskab",
        "helbred",
        "hverdag",
        "samarbejde",
        "maal",
        "tro",
        "motivation",
    ]
    for bip in ("bip_uddannelse", "bip_beskaeftigelse"):
        questionnaire = content.questionnaires[bip]
        assert [item.id for item in questionnaire.items] == areas
        assert [o.value for o in questionnaire.scale] == [1, 2, 3, 4, 5]
        assert questionnaire.scoring.method == "profile"
    assert "replaces" in (DIALOGUES / "bip_uddannelse.yml").read_text(encoding="utf-8")
    life = content.questionnaires["livsomraader"]
    assert [item.id for item in life.items] == [
        "skole",
        "netvaerk",
        "oekonomi",
        "psykisk",
        "fysisk",
        "kriminalitet",
        "rusmidler",
    ]


def test_menu_order_puts_who5_first(content):
    assert list(content.questionnaires) == [
        "who5",
        "livsomraader",
        "bip_uddannelse",
        "bip_beskaeftigelse",
    ]


def test_wrong_type_is_reported_with_file_and_line(dialogues):
    break_file(dialogues, "who5.yml", "version: 1", "version: en")
    line = line_of(dialogues, "who5.yml", "version: en")
    reason = "Input should be a valid integer, unable to parse string as an integer"
    assert problems(dialogues) == [f"who5.yml:{line}: version: {reason}"]


def test_missing_label_is_reported_at_its_option(dialogues):
    break_file(dialogues, "who5.yml", "    label: Det meste af tiden\n", "")
    line = line_of(dialogues, "who5.yml", "- value: 4")
    assert problems(dialogues) == [f"who5.yml:{line}: scale[1].label: this field is required"]


def test_duplicate_item_id_is_reported_at_the_second_one(dialogues):
    break_file(dialogues, "who5.yml", "- id: rolig", "- id: glad")
    lines = (dialogues / "who5.yml").read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, start=1) if "- id: glad" in text][1]
    assert problems(dialogues) == [f"who5.yml:{line}: items[1].id: item id 'glad' is used twice"]


def test_duplicate_key_and_broken_yaml(dialogues):
    version = f"version: {load_content(dialogues).onboarding.version}\n"
    break_file(dialogues, "onboarding.yml", version, version + "version: 99\n")
    break_file(dialogues, "livsomraader.yml", "stem: Hvordan", "stem: [Hvordan")
    found = problems(dialogues)
    twice = line_of(dialogues, "onboarding.yml", "version: 99")
    assert found[0] == f"onboarding.yml:{twice}: the key 'version' appears twice"
    stem = line_of(dialogues, "livsomraader.yml", "stem: [")
    assert found[1] == (
        f"livsomraader.yml:{stem + 1}: not valid YAML: expected ',' or ']', but got ':'"
        f" (in what starts on line {stem})"
    )


def test_unknown_field_unknown_placeholder_and_ambiguous_synonym(dialogues):
    break_file(
        dialogues,
        "texts.yml",
        "question_header: Spørgsmål {number} af {total}",
        "question_header: Spørgsmål {nummer} af {total}",
    )
    break_file(dialogues, "who5.yml", "cadence_days: 30", "cadence_days: 30\ncadense: 3")
    break_file(dialogues, "livsomraader.yml", "synonyms: [skidt,", "synonyms: [godt, skidt,")
    found = problems(dialogues)
    assert (
        f"texts.yml:{line_of(dialogues, 'texts.yml', '{nummer}')}: checkin.question_header: "
        "unknown placeholder {nummer}; allowed here: {number}, {total}" in found
    )
    typo = line_of(dialogues, "who5.yml", "cadense")
    assert f"who5.yml:{typo}: cadense: unknown field (check the spelling)" in found
    line = line_of(dialogues, "livsomraader.yml", "label: Godt")
    assert f"livsomraader.yml:{line - 1}: scale[3]: 'Godt' would mean both 2 and 4" in found


def test_a_synonym_may_not_be_a_control_word(dialogues):
    break_file(dialogues, "who5.yml", "synonyms: [aldrig,", "synonyms: [stop, aldrig,")
    assert any("'stop' is also the control word 'stop'" in p for p in problems(dialogues))


def test_missing_file_and_folder(dialogues, tmp_path):
    (dialogues / "texts.yml").unlink()
    assert problems(dialogues) == ["texts.yml:0: the file is missing"]
    assert "does not exist" in problems(tmp_path / "nowhere")[0]


def test_profile_guide_on_a_sum_questionnaire_is_refused(dialogues):
    who5 = dialogues / "who5.yml"
    text = who5.read_text(encoding="utf-8")
    start = text.index("  after:")
    end = text.index("  chart_title:")
    profile_after = (
        '  after:\n    result: "{max}"\n    line: "{item}"\n    line_changed: "{item}"\n'
        '    first_time: x\n    compared: "{last_date}"\n'
    )
    who5.write_text(text[:start] + profile_after + text[end:], encoding="utf-8")
    assert any("a sum questionnaire needs" in p for p in problems(dialogues))


def test_support_lines_are_checked_and_rendered(dialogues, content):
    message = content.safety.render(contact="Sidste sætning.")
    assert "• Livslinien: 70 201 201 (hver dag kl. 11-05)" in message
    assert "112" in message
    assert message.endswith("\n\nSidste sætning.")
    assert content.safety.open_lines() == "BørneTelefonen på 116 111 – for dig under 18"
    break_file(dialogues, "safety.yml", "phone: 116 111", "phone: ring til os")
    line = line_of(dialogues, "safety.yml", "phone: ring til os")
    [found] = problems(dialogues)
    assert found.startswith(f"safety.yml:{line}: lines[1].phone: ")


def test_safety_texts_must_exist(dialogues):
    (dialogues / "safety.yml").unlink()
    [found] = problems(dialogues)
    assert "safety.yml" in found


def test_a_line_open_day_and_night_is_required(dialogues):
    break_file(dialogues, "safety.yml", "    always_open: true\n", "")
    [found] = problems(dialogues)
    assert found.startswith("safety.yml:")
    assert "at least one line must be `always_open: true`" in found


def test_every_feeling_intent_has_a_warm_answer(content):
    from bot.nlu import INTENTS
    from core.content.models import FEELINGS

    assert set(FEELINGS) <= set(INTENTS)
    for intent in FEELINGS:
        feeling = content.texts.feelings.of(intent)
        assert feeling is not None, intent
        assert "💛" in feeling.answer
    assert content.texts.feelings.of("greet") is None


def test_a_missing_feeling_is_refused(dialogues):
    break_file(dialogues, "texts.yml", "  bullied:\n", "  bullied_typo:\n")
    found = problems(dialogues)
    assert any("feelings.bullied: this field is required" in p for p in found)
    assert any("feelings.bullied_typo: unknown field" in p for p in found)


def test_the_information_text_may_only_name_who_sees(dialogues):
    break_file(dialogues, "onboarding.yml", "{who_sees}", "{admins}")
    [found] = problems(dialogues)
    assert "unknown placeholder {admins}; allowed here: {who_sees}" in found


def test_livslinien_is_always_named_with_its_hours_and_after_112(content):
    """Wherever a text tells a young person to call Livslinien, it gives the hours the support
    lines in safety.yml give, and 112 comes first."""
    [line] = [s for s in content.safety.lines if s.name == "Livslinien"]
    texts = [
        content.onboarding.information,
        content.texts.help,
        content.texts.deletion.held_help,
    ]
    for text in texts:
        assert f"Livslinien på {line.phone} ({line.hours})" in text
        assert text.index("112") < text.index("Livslinien")
