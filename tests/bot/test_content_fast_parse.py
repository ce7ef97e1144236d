"""The dialogues are parsed by libyaml at start-up (fast), into exactly what the pure-Python
parser makes of them: the same data and the same line for every node."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from core.content import loader
from ungeguide.settings import REPO_ROOT

FILES = sorted((REPO_ROOT / "dialogues").glob("*.yml"))


def _lines(node: yaml.Node | None) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key.start_mark.line, str(key.value)
            yield from _lines(value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _lines(child)
    elif node is not None:
        yield node.start_mark.line, str(node.value)


def test_pyyaml_has_libyaml_so_the_start_uses_it():
    assert loader._FAST_LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_libyaml_reads_each_dialogue_file_as_the_pure_python_parser_does(path):
    source = path.read_text(encoding="utf-8")
    fast_root, fast_data = loader._parse_with(yaml.CSafeLoader, source)
    slow_root, slow_data = loader._parse_with(yaml.SafeLoader, source)
    assert fast_data == slow_data
    assert list(_lines(fast_root)) == list(_lines(slow_root))
