"""The production files in deploy/ and docs/deployment.md: checked by the tools that run them.

systemd-analyze, nginx and caddy come from Debian (scripts/test.py installs them); a missing one
is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from ungeguide.cli import main
from ungeguide.settings import SETTINGS

DEPLOY = REPO / "deploy"
GUIDE = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
UNITS = sorted((DEPLOY / "systemd").iterdir())
INSTALLED = "/opt/ungeguide/venv/bin/ungeguide"


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    program = shutil.which(str(command[0]))
    assert program is not None, f"{command[0]} is not installed (scripts/test.py installs it)"
    return subprocess.run(
        [program, *map(str, command[1:])],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=cwd,
    )


def test_the_systemd_units_verify_cleanly(tmp_path):
    # The units name the production venv; here the test venv's ungeguide stands in for it, so
    # systemd-analyze can check that the programs exist and are executable.
    here = Path(sys.executable).with_name("ungeguide")
    assert here.exists()
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace(INSTALLED, str(here)))
        copies.append(copy)
    done = run("systemd-analyze", "verify", *copies)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_broken_unit_is_caught(tmp_path):
    """The check above can fail: a misspelt key and a missing program are reported."""
    unit = (DEPLOY / "systemd" / "ungeguide.service").read_text(encoding="utf-8")
    broken = tmp_path / "ungeguide.service"
    broken.write_text(unit.replace("NoNewPrivileges", "NoNewPrivilegs"), encoding="utf-8")
    done = run("systemd-analyze", "verify", broken)
    assert "Unknown key 'NoNewPrivilegs'" in done.stderr
    assert done.returncode != 0  # the production venv does not exist here


def test_the_service_is_hardened_and_restarts():
    unit = (DEPLOY / "systemd" / "ungeguide.service").read_text(encoding="utf-8")
    for line in (
        "User=ungeguide",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "UMask=0077",
        f"ExecStart={INSTALLED} run",
    ):
        assert f"\n{line}\n" in unit


def self_signed(folder: Path) -> tuple[Path, Path]:
    key, cert = folder / "key.pem", folder / "cert.pem"
    done = run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=ungeguide.example.dk", "-keyout", key, "-out", cert,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return key, cert


def test_the_nginx_example_passes_nginx_t(tmp_path):
    key, cert = self_signed(tmp_path)
    live = "/etc/letsencrypt/live/ungeguide.example.dk/"
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace(live + "fullchain.pem", str(cert)).replace(live + "privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    done = run("nginx", "-t", "-c", tmp_path / "nginx.conf", "-p", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_the_caddy_example_is_valid(tmp_path):
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    (tmp_path / "Caddyfile").write_text(
        caddyfile.replace("/var/log/caddy/", f"{tmp_path}/"), encoding="utf-8"
    )
    done = run(
        "caddy", "validate", "--adapter", "caddyfile", "--config", tmp_path / "Caddyfile",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Valid configuration" in done.stdout + done.stderr


@pytest.mark.parametrize("proxy", ["nginx.conf", "Caddyfile"])
def test_the_proxies_pass_the_webhook_and_guard_metrics(proxy):
    text = (DEPLOY / proxy).read_text(encoding="utf-8")
    assert "/telegram/webhook" in text
    assert "/metrics" in text
    assert "127.0.0.1:8080" in text


def test_every_setting_named_in_the_guide_and_the_env_file_exists():
    known = {setting.name for setting in SETTINGS}
    env = (DEPLOY / "ungeguide.env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", env, re.M))
    named |= set(re.findall(r"`((?:UNGEGUIDE|TELEGRAM|DATABASE)_[A-Z_]+)", GUIDE))
    assert named - known == set()
    assert {"DATABASE_URL", "TELEGRAM_WEBHOOK_SECRET", "UNGEGUIDE_SMTP_HOST"} <= named


def test_every_command_in_the_guide_exists():
    commands = set(re.findall(r"bin/ungeguide ([a-z]+(?: [a-z]+)?)", GUIDE))
    commands |= set(re.findall(r"`ungeguide ([a-z]+(?: [a-z]+)?)", GUIDE))
    assert {"db upgrade", "doctor", "staff add", "backup"} <= {
        " ".join(command.split()[:2]) for command in commands
    } | {command.split()[0] for command in commands}
    for command in commands:
        words = command.split()
        help_of = CliRunner().invoke(main, [*words, "--help"])
        if help_of.exit_code != 0:  # "ungeguide backup FILE": the second word is an argument
            help_of = CliRunner().invoke(main, [words[0], "--help"])
        assert help_of.exit_code == 0, f"`ungeguide {command}` in docs/deployment.md"


def test_every_file_the_guide_names_exists():
    for name in re.findall(r"`(deploy/[^`]+)`", GUIDE):
        assert (REPO / name).exists(), name
    for unit in UNITS:
        assert unit.name in GUIDE


def installed_copy(folder: Path) -> Path:
    """The packages as `pip install` puts them in site-packages (pyproject's package list):
    no nlu_data/ or dialogues/ beside them, as on a server that follows docs/deployment.md."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    packages = re.search(r"^include = \[(.*)\]$", pyproject, re.M)
    assert packages is not None
    site = folder / "site-packages"
    for name in re.findall(r'"(\w+)\*"', packages.group(1)):
        shutil.copytree(REPO / name, site / name, ignore=shutil.ignore_patterns("__pycache__"))
    return site


def test_an_installed_release_runs_on_the_folders_the_settings_name(tmp_path):
    site = installed_copy(tmp_path)
    nlu = tmp_path / "nlu"
    shutil.copytree(REPO / "nlu_data", nlu)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "UNGEGUIDE_DATA_DIR": str(tmp_path / "data"),
        "UNGEGUIDE_NLU_DIR": str(nlu),
        "UNGEGUIDE_DIALOGUES_DIR": str(REPO / "dialogues"),
    }
    env.pop("DATABASE_URL", None)

    def ungeguide(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "ungeguide", *args]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    where = subprocess.run(
        [sys.executable, "-c", "import domain.workshops as w; print(w.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site))
    demo = ungeguide("demo")  # stores workshop ideas, each checked against the review words
    assert demo.returncode == 0, demo.stderr
    assert "Start the dashboard with" in demo.stdout
    (nlu / "review_words.yml").unlink()
    refused = ungeguide("db", "upgrade")
    assert refused.returncode == 2
    assert "UNGEGUIDE_NLU_DIR: the review word list" in refused.stderr
