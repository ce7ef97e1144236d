"""The local chat: the same engine in a terminal, or scripted through standard input.

Buttons are shown as numbered choices. A scale option's number is its value ("[5] Hele tiden"),
so typing "5" means the same here as in Telegram. Next to a scale, the other buttons (Tilbage,
Pause, Stop) get the first free letter of their label ("[p] Pause"), so they keep their letter
from question to question; on a keyboard without a scale the buttons are numbered 1, 2, 3. A line
that equals a button's number, letter or label presses that button; a line starting with "/" is
always a command (a typed /pause is the command, never an old Pause button); anything else is
sent as text. The words of the controls beside a scale ("tilbage", "pause", "stop") are sent as
text too: the engine knows them where they work, and an old keyboard cannot catch them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from bot.engine import Button, Command, Event, MarkChosen, Message, Press, Reply, Toast, parse_input
from bot.engine.messages import Document, LineChart, SpiderChart
from core.text import normalize

Handler = Callable[[Event], tuple[Message, ...]]


class ConsoleChat:
    def __init__(self, handler: Handler, *, output: TextIO, echo_input: bool) -> None:
        self._handler = handler
        self._output = output
        self._echo_input = echo_input
        self._choices: dict[str, Button] = {}

    def start(self) -> None:
        self._send(Command("start"))

    def run(self, lines: Iterable[str], *, between: Callable[[], None] | None = None) -> None:
        """Handle each line; `between` runs before each one (the local chat's reminders)."""
        if between:
            between()
        for line in lines:
            text = line.rstrip("\r\n")
            if self._echo_input:
                self._write(f"Du: {text}")
            self._send(self.event_for(text))
            if between:
                between()

    async def send(
        self, person_id: int, chat_id: int | None, messages: tuple[Message, ...]
    ) -> None:
        """The reminder dispatcher's Sender: reminders appear in the chat like any message."""
        for message in messages:
            self._show(message)

    def event_for(self, text: str) -> Event:
        """A press when the line names a button on the newest keyboard, else typed input."""
        key = text.strip()
        if key.startswith("/"):
            return parse_input(text)
        button = self._choices.get(key.casefold()) or self._choices.get(f"label:{normalize(key)}")
        if button is not None and key:
            return Press(button.data)
        return parse_input(text)

    def _send(self, event: Event) -> None:
        for message in self._handler(event):
            self._show(message)

    def _show(self, message: Message) -> None:
        if isinstance(message, Toast):
            self._write(f"  ({message.text})")
        elif isinstance(message, Reply):
            self._write("")
            self._write(f"Ungeguide: {message.text}")
            if message.buttons:
                self._choices = {}
                for number, button in numbered(message.buttons):
                    self._choices[number] = button
                    if not _control(number, button):
                        self._choices[f"label:{normalize(button.label)}"] = button
                    self._write(f"  [{number}] {button.label}")
        elif isinstance(message, LineChart):
            values = " → ".join(str(value) for _, value in message.points)
            self._write(f"\nUngeguide: 📈 {message.title}: {values}")
        elif isinstance(message, SpiderChart):
            self._write(f"\nUngeguide: 🕸 {message.title}")
            for name, numbers in message.series:
                pairs = ", ".join(f"{a} {n}" for a, n in zip(message.axes, numbers, strict=True))
                self._write(f"  {name}: {pairs}")
        elif isinstance(message, Document):
            self._write(f"\nUngeguide: 📎 {message.filename} – {message.caption}")
            self._write(message.data.decode("utf-8", errors="replace"))
        elif isinstance(message, MarkChosen):
            pass  # the terminal already shows what was typed

    def _write(self, line: str) -> None:
        print(line, file=self._output, flush=True)


def numbered(rows: tuple[tuple[Button, ...], ...]) -> list[tuple[str, Button]]:
    """Each button with what to type for it: its key (a scale value); next to a scale, the
    first free letter of its label; else the next number not taken."""
    buttons = [button for row in rows for button in row]
    taken = {button.key for button in buttons if button.key is not None}
    lettered = bool(taken)
    numbers: list[tuple[str, Button]] = []
    counter = 1
    for button in buttons:
        if button.key is not None:
            numbers.append((button.key, button))
            continue
        letter = _letter(button.label, taken) if lettered else None
        if letter is not None:
            taken.add(letter)
            numbers.append((letter, button))
            continue
        while str(counter) in taken:
            counter += 1
        taken.add(str(counter))
        numbers.append((str(counter), button))
    return numbers


def _control(number: str, button: Button) -> bool:
    """A lettered button beside a scale (Tilbage, Pause, Stop): its typed word is sent as
    text, as in Telegram, so "stop" does what it does where the young person is now, also
    after the keyboard it came with has gone."""
    return button.key is None and number.isalpha()


def _letter(label: str, taken: set[str]) -> str | None:
    """The first letter of the label not yet taken ("⏸ Pause" -> "p")."""
    for char in normalize(label).replace(" ", ""):
        if char.isalpha() and char not in taken:
            return char
    return None
