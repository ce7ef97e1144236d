"""The `ungeguide` command line: one module per command group. The only place that reads
the environment.

A command's module is imported when the command runs (or its help is shown), not at start:
`ungeguide run` then imports only what the bot needs, not the dashboard's demo data, the NLU
evaluation or the staff tools."""

from __future__ import annotations

import gc
import importlib
import logging
import sys

import click

# The imports below (the bot: python-telegram-bot, SQLAlchemy, aiohttp, the models, the engine)
# make hundreds of thousands of objects that live as long as the process; the cyclic garbage
# collector looked through them again and again while they were imported (~15 % of the start's
# CPU). Frozen, they are never looked through again (a start 0.25 s of CPU faster, +0.7 MB).
gc.disable()
try:
    from bot.channels.telegram.library_logs import protect_library_logs
    from ungeguide.errors import SettingsError
    from ungeguide.settings import Settings
finally:
    gc.freeze()
    gc.enable()

# Every command, and the module in ungeguide/cli/ whose COMMANDS holds it.
COMMAND_MODULES = {
    "run": "run",
    "chat": "run",
    "db": "schema",
    "dialogues": "content",
    "nlu": "nlu",
    "retention": "data",
    "people": "data",
    "backup": "data",
    "restore": "data",
    "keys": "data",
    "dashboard": "web",
    "demo": "web",
    "staff": "staff",
    "doctor": "doctor",
}


class LazyGroup(click.Group):
    """A group that imports a command's module when the command is asked for (click's
    documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMAND_MODULES:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(f"ungeguide.cli.{COMMAND_MODULES[cmd_name]}")
        command: click.Command = next(c for c in module.COMMANDS if c.name == cmd_name)
        return command


@click.group(cls=LazyGroup)
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
