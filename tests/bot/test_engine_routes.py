"""The engine's routing tables: every command registered with Telegram has a handler."""

from __future__ import annotations

import pytest

from bot.engine import Command, check_routes, handle
from bot.engine.state import Idle
from core.content import Content
from tests.auxil.ports import FakePorts
from tests.auxil.transcript import replies


def test_every_registered_command_has_a_handler(content: Content):
    check_routes(content)  # raises otherwise
    for name in content.texts.commands:
        outcome = handle(Idle(), Command(name), FakePorts(), content)
        assert content.texts.unknown_command not in replies(outcome.messages), name


def test_a_registered_command_without_a_handler_is_refused_at_start(content: Content):
    commands = {**content.texts.commands, "dans": "Dans med mig"}
    texts = content.texts.model_copy(update={"commands": commands})
    broken = content.model_copy(update={"texts": texts})
    with pytest.raises(ValueError, match="without a handler: dans"):
        check_routes(broken)


@pytest.mark.parametrize("spelling", ["hjælp", "help", "hjaelp"])
def test_help_answers_to_every_spelling(content: Content, spelling: str):
    outcome = handle(Idle(), Command(spelling), FakePorts(), content)
    assert replies(outcome.messages) == [content.texts.help]


def test_an_unknown_command_gets_a_short_answer(content: Content):
    outcome = handle(Idle(), Command("dans"), FakePorts(), content)
    assert replies(outcome.messages) == [content.texts.unknown_command]
