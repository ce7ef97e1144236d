"""`ungeguide doctor`: is this configuration ready to run? One screen, exit 1 on any error."""

from __future__ import annotations

import click

from ungeguide.doctor import Finding, Level, check_all
from ungeguide.errors import SettingsError
from ungeguide.settings import Settings

MARKS = {Level.OK: "ok  ", Level.WARNING: "note", Level.ERROR: "FAIL"}


@click.command()
@click.pass_obj
def doctor(settings: Settings | SettingsError) -> None:
    """Check the settings, database, keys, Telegram, webhook, SMTP, Rasa, clock and file
    permissions; say what is wrong and how to fix it. Changes nothing."""
    if isinstance(settings, SettingsError):
        findings = [Finding(Level.ERROR, "Settings", str(settings), "Fix that setting.")]
    else:
        findings = check_all(settings)
    for finding in findings:
        line = f"{MARKS[finding.level]} {finding.topic}: {finding.message}"
        click.echo(line + (f"\n     -> {finding.fix}" if finding.fix else ""))
    errors = sum(finding.level == Level.ERROR for finding in findings)
    click.echo(f"\n{errors} error(s)." if errors else "\nNo errors.")
    if errors:
        raise SystemExit(1)


COMMANDS = [doctor]
