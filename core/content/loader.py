"""Load dialogues/*.yml into `Content`, or fail with the file, the line and what is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from core.content.models import (
    Content,
    Onboarding,
    ProfileAfter,
    Questionnaire,
    ReminderTexts,
    SafetyTexts,
    SumAfter,
    Texts,
)
from core.errors import ContentError, Problem
from core.text import normalize

TEXTS_FILE = "texts.yml"
ONBOARDING_FILE = "onboarding.yml"
REMINDERS_FILE = "reminders.yml"
SAFETY_FILE = "safety.yml"

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
# Names pydantic adds to an error location for union branches; they are not keys in the file.
_UNION_TAGS = frozenset({"sum", "profile"})


def load_content(directory: Path) -> Content:
    """Read and validate every file in `directory`; raise ContentError listing all problems."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), 0, "", "the dialogues folder does not exist")])

    texts = _model(_load(directory / TEXTS_FILE, Texts, problems))
    onboarding = _model(_load(directory / ONBOARDING_FILE, Onboarding, problems))
    reminders = _model(_load(directory / REMINDERS_FILE, ReminderTexts, problems))
    safety = _model(_load(directory / SAFETY_FILE, SafetyTexts, problems))
    questionnaires: dict[str, Questionnaire] = {}
    seen_in: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        if path.name in (TEXTS_FILE, ONBOARDING_FILE, REMINDERS_FILE, SAFETY_FILE):
            continue
        loaded = _load(path, Questionnaire, problems)
        if loaded is None:
            continue
        questionnaire, root = loaded
        if questionnaire.id in seen_in:
            other = seen_in[questionnaire.id]
            message = f"questionnaire id {questionnaire.id!r} is already used in {other}"
            problems.append(Problem(path.name, _line_of(root, ("id",)), "id", message))
            continue
        seen_in[questionnaire.id] = path.name
        controls = texts.words.control_words() if texts else {}
        problems.extend(
            Problem(path.name, _line_of(root, loc), _dotted(loc), message)
            for loc, message in _semantic(questionnaire, controls)
        )
        questionnaires[questionnaire.id] = questionnaire
    if not questionnaires and not problems:
        problems.append(Problem(str(directory), 0, "", "no questionnaire files (*.yml) found"))
    if problems or texts is None or onboarding is None or reminders is None or safety is None:
        raise ContentError(problems)
    ordered = sorted(questionnaires.values(), key=lambda q: (q.menu_order, q.id))
    return Content(
        texts=texts,
        onboarding=onboarding,
        reminders=reminders,
        safety=safety,
        questionnaires={q.id: q for q in ordered},
    )


def _model(loaded: tuple[M, yaml.Node] | None) -> M | None:
    return loaded[0] if loaded is not None else None


def _load(path: Path, model: type[M], problems: list[Problem]) -> tuple[M, yaml.Node] | None:
    """The validated model and the YAML node tree (for line numbers), or None after problems."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(path.name, 0, "", "the file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(path.name, 0, "", f"cannot read the file: {error}"))
        return None
    try:
        root, data = _parse(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(error, "problem", None) or str(error)
        opened = getattr(error, "context_mark", None)
        if opened is not None and opened.line + 1 != line:
            reason += f" (in what starts on line {opened.line + 1})"
        problems.append(Problem(path.name, line, "", f"not valid YAML: {reason}"))
        return None
    duplicates = list(_duplicate_keys(root))
    if duplicates:
        problems.extend(Problem(path.name, line, "", message) for line, message in duplicates)
        return None
    if not isinstance(data, dict) or root is None:
        problems.append(Problem(path.name, 1, "", "the file must be a mapping of keys to values"))
        return None
    try:
        return model.model_validate(data), root
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            loc = _clean_location(detail["loc"])
            problems.append(Problem(path.name, _line_of(root, loc), _dotted(loc), _message(detail)))
        return None


def _parse(source: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data built from that same tree, in one parse:
    by libyaml when PyYAML has it (the dialogues are read at every start, and the pure-Python
    parser was most of that time). Broken YAML is parsed again by the pure-Python parser, whose
    error messages are the ones the authors see (libyaml words them differently)."""
    try:
        return _parse_with(_FAST_LOADER, source)
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
        return _parse_with(yaml.SafeLoader, source)


def _parse_with(loader_class: Any, source: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(source)
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _semantic(
    questionnaire: Questionnaire, controls: dict[str, str]
) -> Iterator[tuple[Location, str]]:
    """Rules that span fields: unique ids and values, unambiguous words, matching guide."""
    seen_items: set[str] = set()
    for index, item in enumerate(questionnaire.items):
        if item.id in seen_items:
            yield ("items", index, "id"), f"item id {item.id!r} is used twice"
        seen_items.add(item.id)
    seen_values: set[int] = set()
    meaning: dict[str, int] = {}
    for index, option in enumerate(questionnaire.scale):
        if option.value in seen_values:
            yield ("scale", index, "value"), f"value {option.value} is used twice"
        seen_values.add(option.value)
        for word in [option.label, *option.synonyms]:
            key = normalize(word)
            if key in controls:
                yield ("scale", index), f"{word!r} is also the control word {controls[key]!r}"
            elif meaning.setdefault(key, option.value) != option.value:
                yield (
                    ("scale", index),
                    f"{word!r} would mean both {meaning[key]} and {option.value}",
                )
    after = questionnaire.guide.after
    if questionnaire.scoring.method == "sum" and not isinstance(after, SumAfter):
        yield ("guide", "after"), "a sum questionnaire needs: result, first_time, up, same, down"
    if questionnaire.scoring.method == "profile" and not isinstance(after, ProfileAfter):
        yield (
            ("guide", "after"),
            ("a profile questionnaire needs: result, line, line_changed, first_time, compared"),
        )
    if (
        questionnaire.scoring.method == "profile"
        and questionnaire.scoring.max != questionnaire.high
    ):
        yield ("scoring", "max"), f"must equal the highest scale value ({questionnaire.high})"


def _duplicate_keys(node: yaml.Node | None) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield key.start_mark.line + 1, f"the key {key.value!r} appears twice"
                seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _duplicate_keys(child)


def _line_of(root: yaml.Node | None, loc: Location) -> int:
    """The line of the deepest node on `loc` (a missing key points at its parent)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else 0
    for step in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == step:
                    child, line = value, key.start_mark.line + 1
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            child = node.value[step]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _clean_location(loc: tuple[Any, ...]) -> Location:
    return tuple(step for step in loc if isinstance(step, int) or step not in _UNION_TAGS)


def _dotted(loc: Location) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _message(detail: Any) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    message = str(detail["msg"])
    return message.removeprefix("Value error, ")
