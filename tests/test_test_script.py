"""scripts/test.py, the README's test command: what it does about missing Debian programs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "test.py"
_spec = importlib.util.spec_from_file_location("ungeguide_test_script", SCRIPT)
assert _spec is not None
assert _spec.loader is not None
script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(script)

ALL = ("chromium", "systemd", "nginx-light", "caddy")


def test_every_program_maps_to_a_debian_package():
    assert tuple(script.PROGRAMS.values()) == ALL


@pytest.mark.parametrize(("root", "apt"), [(True, True), (False, True), (True, False)])
def test_nothing_missing_needs_nothing(root, apt):
    assert script.install_step((), root=root, apt=apt) == ((), "")


def test_root_with_apt_installs_the_missing_packages_after_apt_get_update():
    assert script.install_step(("chromium", "caddy"), root=True, apt=True) == (
        (("apt-get", "update", "-qq"), ("apt-get", "install", "-y", "-qq", "chromium", "caddy")),
        "",
    )


def test_a_user_is_told_the_exact_command():
    commands, message = script.install_step(("chromium",), root=False, apt=True)
    assert commands == ()
    assert "    sudo apt-get update && sudo apt-get install -y chromium\n" in message


def test_without_apt_the_message_says_what_is_needed():
    commands, message = script.install_step(("chromium", "systemd"), root=True, apt=False)
    assert commands == ()
    assert "`chromium`, `systemd-analyze`, `nginx`, `caddy` are on the PATH" in message
    assert "apt-get update && apt-get install -y chromium systemd" in message


def test_a_user_without_chromium_gets_the_message_and_no_pytest(tmp_path):
    # No chromium, but an apt-get, on the PATH; not root (the decision is made as a user).
    (tmp_path / "apt-get").write_text("#!/bin/sh\nexit 99\n", encoding="utf-8")
    (tmp_path / "apt-get").chmod(0o755)
    code = (
        "import os, runpy, sys; os.geteuid = lambda: 1000; sys.argv = [sys.argv[0], '--co'];"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""  # pytest did not run
    names = " ".join(ALL)
    assert done.stderr == (
        f"scripts/test.py: missing Debian packages the tests need: {names}. Install them with\n"
        f"    sudo apt-get update && sudo apt-get install -y {names}\n"
        "(or run this command as root, which installs them), then run the tests again.\n"
    )


def test_make_test_calls_the_same_script():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\ntest:\n\tpython3 scripts/test.py\n" in makefile
