"""dialogues/PROMISES.md cannot rot: every promise it quotes is still said, word for word, and
every test it names as proof still exists."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import yaml

from tests.conftest import DIALOGUES, REPO

PROMISES = DIALOGUES / "PROMISES.md"
_ROW = re.compile(r'^\|\s*`[^`]+`\s*\|\s*"(?P<sentence>[^"]+)"\s*\|.*\|(?P<proof>[^|]*)\|\s*$')
_PROOF = re.compile(r"`(?P<path>tests/[\w/]+\.py)::(?P<name>\w+)`")


def promises() -> list[tuple[str, list[tuple[str, str]]]]:
    """(Danish sentence, [(test file, test name), ...]) for every row of the tables."""
    found = []
    for line in PROMISES.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match is not None:
            proofs = [(m["path"], m["name"]) for m in _PROOF.finditer(match["proof"])]
            found.append((match["sentence"], proofs))
    return found


def _leaves(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _leaves(item)]
    if isinstance(value, list):
        return [text for item in value for text in _leaves(item)]
    return []


@cache
def said() -> str:
    """Every text in dialogues/, whitespace made single (YAML folds long lines)."""
    texts = [
        text
        for path in sorted(DIALOGUES.glob("*.yml"))
        for text in _leaves(yaml.safe_load(path.read_text(encoding="utf-8")))
    ]
    return "\n".join(" ".join(text.split()) for text in texts)


@cache
def functions_in(path: str) -> frozenset[str]:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def test_the_list_is_read():
    listed = promises()
    assert len(listed) >= 40
    assert all(proofs for _, proofs in listed), [s for s, proofs in listed if not proofs]


def test_every_promise_is_still_said_word_for_word():
    missing = [sentence for sentence, _ in promises() if " ".join(sentence.split()) not in said()]
    assert missing == [], "promises no longer in dialogues/ (update PROMISES.md):"


def test_every_proof_names_a_test_that_exists():
    missing = [
        f"{path}::{name}"
        for _, proofs in promises()
        for path, name in proofs
        if not (REPO / path).is_file() or name not in functions_in(path)
    ]
    assert missing == []


def test_the_check_catches_a_broken_promise(tmp_path: Path):
    # The row pattern matches the rows as written, and a changed sentence would be caught.
    row = '| `x` | "Jeg lover noget, der ikke står nogen steder." | kept | `tests/a.py::test_b` |'
    match = _ROW.match(row)
    assert match is not None
    assert match["sentence"] not in said()
    assert [(m["path"], m["name"]) for m in _PROOF.finditer(match["proof"])] == [
        ("tests/a.py", "test_b")
    ]
