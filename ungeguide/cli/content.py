"""The YAML content in dialogues/: check it, draw it."""

from __future__ import annotations

from pathlib import Path

import click

from core.content import ContentError, load_content
from core.content.diagram import mermaid
from ungeguide.settings import Settings

DIAGRAMS = "diagrams"


@click.group()
def dialogues() -> None:
    """The YAML content in dialogues/."""


@dialogues.command("check")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.pass_obj
def dialogues_check(settings: Settings, directory: Path | None) -> None:
    """Validate the dialogue files; print each problem as file:line: what is wrong."""
    folder = directory or settings.dialogues_dir
    try:
        content = load_content(folder)
    except ContentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    names = ", ".join(content.questionnaires)
    click.echo(f"OK: {len(content.questionnaires)} questionnaires ({names}), texts and onboarding.")


@dialogues.command("diagram")
@click.option("--check", is_flag=True, help="Fail if a checked-in diagram is out of date.")
@click.pass_obj
def dialogues_diagram(settings: Settings, check: bool) -> None:
    """Write dialogues/diagrams/<id>.mmd, a Mermaid flow diagram per questionnaire."""
    try:
        content = load_content(settings.dialogues_dir)
    except ContentError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    folder = settings.dialogues_dir / DIAGRAMS
    stale = []
    for questionnaire in content.questionnaires.values():
        path = folder / f"{questionnaire.id}.mmd"
        text = mermaid(questionnaire, content)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not check:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        click.echo(f"Out of date: {', '.join(stale)}. Run: ungeguide dialogues diagram", err=True)
        raise SystemExit(1)
    click.echo(f"{len(stale)} diagram(s) written." if not check else "Diagrams are up to date.")


COMMANDS = [dialogues]
