"""Read Rasa 3.x NLU training data (YAML), entity annotations included."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.errors import TrainingDataError

# `[text](entity)`, `[text](entity:value)` and `[text]{"entity": "e", "value": "v"}`.
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Annotation:
    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: tuple[Annotation, ...] = ()


def training_files(path: Path) -> list[Path]:
    """A file, or the *.yml/*.yaml files under a folder (sorted, so hashing is stable)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise TrainingDataError(f"{path}: no such file or folder")
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    if not files:
        raise TrainingDataError(f"{path}: no training files (*.yml)")
    return files


def load_examples(path: Path) -> list[Example]:
    examples: list[Example] = []
    for file in training_files(path):
        examples.extend(_load_file(file))
    if not examples:
        raise TrainingDataError(f"{path}: no examples")
    return examples


def data_hash(files: Iterable[Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    for part in extra:
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def parse_example(line: str, intent: str) -> Example:
    """One example line with its annotations resolved into plain text and entity spans."""
    text_parts: list[str] = []
    entities: list[Annotation] = []
    position = 0
    length = 0
    for match in _ANNOTATION.finditer(line):
        before = line[position : match.start()]
        text_parts.append(before)
        length += len(before)
        shown = match["text"]
        entity, value = _entity_of(match)
        entities.append(Annotation(entity, value or shown, length, length + len(shown)))
        text_parts.append(shown)
        length += len(shown)
        position = match.end()
    text_parts.append(line[position:])
    return Example("".join(text_parts).strip(), intent, tuple(entities))


def _entity_of(match: re.Match[str]) -> tuple[str, str | None]:
    if match["short"] is not None:
        entity, _, value = match["short"].partition(":")
        return entity.strip(), value.strip() or None
    try:
        spec = json.loads(match["json"])
    except json.JSONDecodeError as error:
        raise ValueError(f"broken entity annotation {match[0]!r}: {error}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
        raise ValueError(f"entity annotation without an entity name: {match[0]!r}")
    value = spec.get("value")
    return spec["entity"], value if isinstance(value, str) else None


def _load_file(file: Path) -> list[Example]:
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise TrainingDataError(f"{file}: not valid YAML: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise TrainingDataError(f"{file}: expected a top-level 'nlu:' list (Rasa 3.x format)")
    examples: list[Example] = []
    for number, block in enumerate(document["nlu"], start=1):
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonyms, lookups and regexes are Rasa's business
        intent = block["intent"]
        lines = block.get("examples")
        if not isinstance(intent, str) or not isinstance(lines, str):
            raise TrainingDataError(f"{file}: block {number}: needs 'intent' and 'examples: |'")
        for raw in lines.splitlines():
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("- "):
                raise TrainingDataError(f"{file}: intent {intent}: not a '- ' line: {line!r}")
            try:
                example = parse_example(line[2:], intent)
            except ValueError as error:
                raise TrainingDataError(f"{file}: intent {intent}: {error}") from None
            if example.text:
                examples.append(example)
    return examples
