"""The local chat (bot/channels/console.py): typed commands are commands, and the control
buttons keep their letters from question to question."""

from __future__ import annotations

import io

from bot.channels.console import ConsoleChat
from bot.engine import Command, Press
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts


def _chat(content) -> tuple[ConsoleChat, io.StringIO, EngineHarness]:
    harness = EngineHarness(content, FakePorts())
    output = io.StringIO()
    return ConsoleChat(harness, output=output, echo_input=True), output, harness


def _controls(output: io.StringIO, start: int) -> list[str]:
    lines = output.getvalue().splitlines()[start:]
    return [line.strip() for line in lines if any(w in line for w in ("Tilbage", "Pause", "Stop"))]


def test_control_buttons_keep_their_letters_between_questions(content):
    chat, output, _ = _chat(content)
    chat.run(["/tjek", "Hvordan har du haft det?", "Ja, lad os starte"])
    first = _controls(output, 0)
    assert first == ["[p] ⏸ Pause", "[s] ⏹ Stop"]
    mark = len(output.getvalue().splitlines())
    chat.run(["5"])
    assert _controls(output, mark) == ["[t] ⬅️ Tilbage", "[p] ⏸ Pause", "[s] ⏹ Stop"]
    mark = len(output.getvalue().splitlines())
    chat.run(["4"])
    assert _controls(output, mark) == ["[t] ⬅️ Tilbage", "[p] ⏸ Pause", "[s] ⏹ Stop"]
    mark = len(output.getvalue().splitlines())
    chat.run(["t"])  # the letter presses Tilbage
    assert "Spørgsmål 2 af 5" in output.getvalue().splitlines()[mark + 2]


def test_a_typed_command_is_a_command_not_an_old_button(content):
    chat, output, harness = _chat(content)
    chat.run(["/tjek", "Hvordan har du haft det?", "Ja, lad os starte", "5"])
    assert chat.event_for("/pause") == Command("pause")
    assert chat.event_for("pause") != Command("pause")  # the word still works as in Telegram
    assert isinstance(chat.event_for("p"), Press)
    mark = len(output.getvalue().splitlines())
    chat.run(["/pause"])
    said = "\n".join(output.getvalue().splitlines()[mark:])
    assert "Den knap virker ikke længere" not in said
    assert "pause med påmindelser og tjek" in said
    assert harness.ports.is_paused


def test_a_keyboard_without_a_scale_is_numbered(content):
    chat, output, _ = _chat(content)
    chat.run(["/slet"])
    assert "[1] Ja, slet mine data" in output.getvalue()
    assert "[2] Nej, behold dem" in output.getvalue()
