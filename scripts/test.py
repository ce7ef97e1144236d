"""The README's test command: prepare what the tests need from outside pip, then run pytest.

    python3 scripts/test.py [pytest arguments...]

Everything else comes with `pip install -e '.[test]'`: PostgreSQL (the server in
TEST_DATABASE_URL, or else the pgserver package's own) and axe-core (inside the
axe-playwright-python package). The one thing pip cannot bring is a browser for the dashboard's
browser tests, which drive Debian's chromium with Playwright (no browser download). When
`chromium` is not on the PATH, this installs it with apt-get (after apt-get update) if it runs
as root on a machine with apt-get, and otherwise stops with the command to run. Then it runs
`python3 -m pytest` with the arguments given, in this process, so pytest's exit status is the
command's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM_NAMES = ("chromium", "chromium-browser")
APT_COMMANDS = (
    ("apt-get", "update", "-qq"),
    ("apt-get", "install", "-y", "-qq", "chromium"),
)


def chromium_found() -> bool:
    return any(shutil.which(name) for name in CHROMIUM_NAMES)


def chromium_step(*, found: bool, root: bool, apt: bool) -> tuple[tuple[tuple[str, ...], ...], str]:
    """What to do about chromium: (commands to run, "") or ((), a message to stop with)."""
    if found:
        return (), ""
    if root and apt:
        return APT_COMMANDS, ""
    if apt:
        return (), (
            "chromium is not installed; the dashboard's browser tests need it. Install it with\n"
            "    sudo apt-get update && sudo apt-get install -y chromium\n"
            "(or run this command as root, which installs it), then run the tests again."
        )
    return (), (
        "chromium is not installed; the dashboard's browser tests need it. Install Chromium so "
        "that `chromium` is on the PATH\n(Debian: apt-get update && apt-get install -y chromium), "
        "then run the tests again."
    )


def prepare() -> None:
    """Install what is missing, or exit with a message saying how."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    commands, message = chromium_step(
        found=chromium_found(), root=is_root, apt=shutil.which("apt-get") is not None
    )
    if message:
        sys.exit(f"scripts/test.py: {message}")
    if not commands:
        return
    print(  # noqa: T201 - a command-line script
        "scripts/test.py: chromium is missing; installing Debian's chromium: "
        + " && ".join(" ".join(command) for command in commands),
        flush=True,
    )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in commands:
        # dpkg's unpacking lines are noise; they are shown only when something fails.
        done = subprocess.run(  # noqa: S603 - fixed commands
            command, check=False, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(f"scripts/test.py: `{' '.join(command)}` failed (exit {done.returncode}).")
    if not chromium_found():
        sys.exit("scripts/test.py: apt-get installed chromium, but `chromium` is not on the PATH.")


def main() -> None:
    prepare()
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]])  # noqa: S606


if __name__ == "__main__":
    main()
