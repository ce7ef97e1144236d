"""The README's test command: prepare what the tests need from outside pip, then run pytest.

    python3 scripts/test.py [pytest arguments...]

Everything else comes with `pip install -e '.[test]'`: PostgreSQL (the server in
TEST_DATABASE_URL, or else the pgserver package's own) and axe-core (inside the
axe-playwright-python package). What pip cannot bring are a few programs from Debian:
`chromium`, which the dashboard's browser tests drive with Playwright (no browser download),
and the tools that check the production files in deploy/ (`systemd-analyze`, `nginx`, `caddy`).
When one is missing, this installs its package with apt-get (after apt-get update) if it runs
as root on a machine with apt-get, and otherwise stops with the command to run. Then it runs
`python3 -m pytest` with the arguments given, in this process, so pytest's exit status is the
command's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# The program the tests run -> the Debian package that brings it.
PROGRAMS = {
    "chromium": "chromium",  # the dashboard's browser tests
    "systemd-analyze": "systemd",  # `systemd-analyze verify` of deploy/systemd
    "nginx": "nginx-light",  # `nginx -t` of deploy/nginx.conf
    "caddy": "caddy",  # `caddy validate` of deploy/Caddyfile
}


def missing_packages() -> tuple[str, ...]:
    return tuple(package for program, package in PROGRAMS.items() if not shutil.which(program))


def install_step(
    missing: tuple[str, ...], *, root: bool, apt: bool
) -> tuple[tuple[tuple[str, ...], ...], str]:
    """What to do about missing Debian packages: (commands to run, "") or ((), a message)."""
    if not missing:
        return (), ""
    names = " ".join(missing)
    if root and apt:
        return (("apt-get", "update", "-qq"), ("apt-get", "install", "-y", "-qq", *missing)), ""
    if apt:
        return (), (
            f"missing Debian packages the tests need: {names}. Install them with\n"
            f"    sudo apt-get update && sudo apt-get install -y {names}\n"
            "(or run this command as root, which installs them), then run the tests again."
        )
    return (), (
        f"missing programs the tests need: {names} (Debian package names). Install them so "
        f"that {', '.join(f'`{p}`' for p in PROGRAMS)} are on the PATH\n"
        f"(Debian: apt-get update && apt-get install -y {names}), then run the tests again."
    )


def prepare() -> None:
    """Install what is missing, or exit with a message saying how."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    missing = missing_packages()
    commands, message = install_step(missing, root=is_root, apt=shutil.which("apt-get") is not None)
    if message:
        sys.exit(f"scripts/test.py: {message}")
    if not commands:
        return
    print(  # noqa: T201 - a command-line script
        "scripts/test.py: installing missing Debian packages: "
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
    still = missing_packages()
    if still:
        sys.exit(f"scripts/test.py: apt-get ran, but these are still missing: {' '.join(still)}.")


def main() -> None:
    prepare()
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]])  # noqa: S606


if __name__ == "__main__":
    main()
