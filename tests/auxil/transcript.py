"""Dialogue transcripts: (what the young person sends, what the bot answers), run through the
engine. Modelled on zulip_bots' verify_dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.engine import Button, Event, Message, Press, Reply, Text, Toast, parse_input

Handler = Callable[[Event], tuple[Message, ...]]


def replies(messages: Sequence[Message]) -> list[str]:
    return [message.text for message in messages if isinstance(message, Reply)]


def toasts(messages: Sequence[Message]) -> list[str]:
    return [message.text for message in messages if isinstance(message, Toast)]


@dataclass
class Conversation:
    """Drives a handler like a person on a phone: types text or presses the newest buttons."""

    handler: Handler
    keyboard: tuple[Button, ...] = ()
    log: list[tuple[str, list[str]]] = field(default_factory=list)

    def send(self, event: Event | str) -> tuple[Message, ...]:
        if isinstance(event, str):
            event = parse_input(event)
        messages = self.handler(event)
        for message in messages:
            if isinstance(message, Reply) and message.buttons:
                self.keyboard = tuple(button for row in message.buttons for button in row)
        shown = event.text if isinstance(event, Text) else repr(event)
        self.log.append((shown, replies(messages)))
        return messages

    def press(self, label: str) -> tuple[Message, ...]:
        """Press the button on the newest keyboard whose label (or key) is `label`."""
        for button in self.keyboard:
            if label in (button.label, button.key):
                return self.send(Press(button.data))
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.keyboard]}")

    def button(self, label: str) -> Button:
        return next(button for button in self.keyboard if label in (button.label, button.key))


def verify_dialog(conversation: Conversation, dialog: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Each step sends text (or presses "[label]") and expects these fragments, in order, in
    the replies."""
    for sent, expected in dialog:
        if sent.startswith("[") and sent.endswith("]"):
            messages = conversation.press(sent[1:-1])
        else:
            messages = conversation.send(sent)
        answer = "\n---\n".join(replies(messages) + toasts(messages))
        position = 0
        for fragment in expected:
            found = answer.find(fragment, position)
            assert found >= 0, f"after {sent!r}: expected {fragment!r} in:\n{answer}"
            position = found + len(fragment)
