"""The Danish free-text understanding (nlu_data/): evaluate, compare, parse."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.errors import InterpreterUnavailable, LexiconError, TrainingDataError
from bot.nlu import Understander
from bot.nlu.build import build_understander
from bot.nlu.data import Example, load_examples
from bot.nlu.evaluate import HELD_OUT, Report, effective_intent, evaluate, format_reports
from ungeguide.settings import Settings


@click.group()
def nlu() -> None:
    """The Danish free-text understanding (nlu_data/)."""


@nlu.command("evaluate")
@click.option(
    "--test",
    "test_file",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Labelled examples in Rasa 3.x NLU YAML.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--raw", is_flag=True, help="The interpreter alone, without the safety net.")
@click.option("--errors", is_flag=True, help="Also list every misclassified text.")
@click.pass_obj
def nlu_evaluate(
    settings: Settings, test_file: Path, as_json: bool, raw: bool, errors: bool
) -> None:
    """Per-intent precision, recall and F1, macro-F1, confusions and latency.

    Uses the Rasa server when RASA_URL is set, else the embedded interpreter.
    """
    examples = _examples(test_file)
    understander = _understander(settings, rasa=bool(settings.rasa_url))
    report = _evaluate(understander, examples, raw=raw)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(format_reports([report]))
    if errors:
        click.echo("\nMisclassified: text -> expected / predicted")
        for text, expected, predicted in report.errors:
            click.echo(f"  {text!r}: {expected} / {predicted}")


@nlu.command("compare")
@click.option(
    "--test",
    "test_file",
    default=HELD_OUT,
    show_default=True,
    type=click.Path(exists=True, path_type=Path),
    help="Labelled examples in Rasa 3.x NLU YAML.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per interpreter.")
@click.option("--raw", is_flag=True, help="The interpreters alone, without the safety net.")
@click.pass_obj
def nlu_compare(settings: Settings, test_file: Path, as_json: bool, raw: bool) -> None:
    """The embedded and the Rasa interpreter side by side (needs RASA_URL)."""
    if not settings.rasa_url:
        raise click.UsageError(
            "RASA_URL is not set. Start a Rasa server (make rasa-serve) and set "
            "RASA_URL=http://127.0.0.1:5005."
        )
    examples = _examples(test_file)
    reports = [
        _evaluate(_understander(settings, rasa=rasa), examples, raw=raw) for rasa in (False, True)
    ]
    if as_json:
        click.echo(
            json.dumps({r.interpreter: r.as_json() for r in reports}, ensure_ascii=False, indent=2)
        )
        return
    click.echo(format_reports(reports))


@nlu.command("parse")
@click.argument("text")
@click.pass_obj
def nlu_parse(settings: Settings, text: str) -> None:
    """What the bot makes of one TEXT: intent, ranking, entities, safety net."""
    understander = _understander(settings, rasa=bool(settings.rasa_url))
    try:
        understanding = understander.understand(text)
    except InterpreterUnavailable as error:
        click.echo(f"{error}. Is the server running at RASA_URL?", err=True)
        raise SystemExit(2) from None
    finally:
        understander.close()
    parse = understanding.parse
    acts_on = effective_intent(understanding)
    click.echo(f"intent: {parse.intent} ({parse.confidence:.2f}) -> acts on {acts_on}")
    click.echo("ranking: " + ", ".join(f"{s.name} {s.confidence:.2f}" for s in parse.ranking))
    for entity in parse.entities:
        click.echo(f"entity: {entity.entity}={entity.value!r} [{entity.start}:{entity.end}]")
    crisis = understanding.crisis
    if crisis is None:
        click.echo("safety net: no")
    else:
        tier = "certain" if crisis.certain else "possible: the bot asks first"
        click.echo(f"safety net: HIT ({crisis.source}: {crisis.detail}; {tier})")


def _examples(path: Path) -> list[Example]:
    try:
        return load_examples(path)
    except TrainingDataError as error:
        raise click.UsageError(str(error)) from None


def _understander(settings: Settings, *, rasa: bool) -> Understander:
    try:
        return build_understander(
            settings.nlu_dir,
            rasa_url=settings.rasa_url if rasa else None,
            cache_dir=settings.data_dir / "cache",
            fallback=False,
        )
    except (TrainingDataError, LexiconError) as error:
        click.echo(f"The NLU data has problems: {error}", err=True)
        raise SystemExit(2) from None


def _evaluate(understander: Understander, examples: list[Example], *, raw: bool) -> Report:
    try:
        return evaluate(understander, examples, raw=raw)
    except InterpreterUnavailable as error:
        click.echo(f"{error}. Is the server running at RASA_URL?", err=True)
        raise SystemExit(2) from None
    finally:
        understander.close()


COMMANDS = [nlu]
