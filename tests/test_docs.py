"""The README documents every setting and the two-command quick start."""

from __future__ import annotations

import re

from tests.conftest import REPO
from ungeguide.settings import SETTINGS

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, f"README does not document {setting.name}"


def test_quick_start_is_two_commands_and_ci_runs_the_same_test_command():
    block = re.search(r"## Quick start\n.*?```sh\n(.*?)```", README, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert "ungeguide run" in commands[0]
    assert "scripts/test.py" in commands[1]  # it runs pytest
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
