"""The command line imports a command's module only when the command runs, and still knows,
helps with and runs every command of every module in ungeguide/cli/."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import click
from click.testing import CliRunner

import ungeguide.cli
from ungeguide.cli import COMMAND_MODULES, main

_IMPORTED_BY = """
import json, sys
from click.testing import CliRunner
from ungeguide.cli import main
CliRunner().invoke(main, sys.argv[1:], catch_exceptions=False)
print(json.dumps(sorted(name for name in sys.modules if name.startswith("ungeguide.cli."))))
"""


def _commands_by_module() -> dict[str, list[click.Command]]:
    found = {}
    for module_info in pkgutil.iter_modules(ungeguide.cli.__path__):
        module = importlib.import_module(f"ungeguide.cli.{module_info.name}")
        if hasattr(module, "COMMANDS"):
            found[module_info.name] = module.COMMANDS
    return found


def test_every_command_of_every_module_is_found_under_its_name():
    by_module = _commands_by_module()
    assert set(by_module) == set(COMMAND_MODULES.values())
    expected = {c.name: module for module, commands in by_module.items() for c in commands}
    assert expected == COMMAND_MODULES
    context = click.Context(main)
    for module, commands in by_module.items():
        for command in commands:
            assert main.get_command(context, command.name or "") is command, module
    assert main.get_command(context, "nosuch") is None


def test_the_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:")[1].split()
    assert set(COMMAND_MODULES) <= set(listed)
    unknown = CliRunner().invoke(main, ["nosuch"])
    assert unknown.exit_code == 2
    assert "No such command 'nosuch'" in unknown.output


def test_a_command_imports_its_own_module_only():
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED_BY, "dialogues", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == ["ungeguide.cli.content"]
