"""The `ungeguide` command line: one module per command group. The only place that reads
the environment."""

from __future__ import annotations

import logging
import sys

import click

from bot.channels.telegram.library_logs import protect_library_logs
from ungeguide.cli import content, data, doctor, nlu, run, schema, staff, web
from ungeguide.errors import SettingsError
from ungeguide.settings import Settings


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (never message texts).")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Ungeguide: a Danish check-in bot and dashboard for municipal youth efforts."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    protect_library_logs()  # no content, chat id or token in the libraries' own lines
    try:
        ctx.obj = Settings.from_env()
    except SettingsError as error:
        if ctx.invoked_subcommand == "doctor":
            ctx.obj = error  # the doctor reports it with everything else
            return
        raise click.UsageError(str(error)) from None


for module in (run, schema, content, nlu, data, web, staff, doctor):
    for command in module.COMMANDS:
        main.add_command(command)
