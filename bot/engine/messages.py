"""What comes in (events) and what goes out (messages), independent of any channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Telegram's limit for callback data; every Button.data must fit.
MAX_BUTTON_DATA_BYTES = 64


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Free text the young person typed."""

    text: str


@dataclass(frozen=True)
class Press:
    """A button press, carrying the button's data (possibly stale or forged)."""

    data: str


@dataclass(frozen=True)
class Command:
    """A slash command such as /tjek, with the rest of the line as argument."""

    name: str
    argument: str = ""


Event = Text | Press | Command


def parse_input(raw: str) -> Text | Command:
    """Turn a typed line into a Command when it starts with '/', else Text.

    "/tjek who5" -> Command("tjek", "who5"); "/start@UngeguideBot abc" -> Command("start", "abc").
    """
    stripped = raw.strip()
    if not stripped.startswith("/") or len(stripped) == 1:
        return Text(raw)
    head, _, argument = stripped[1:].partition(" ")
    name = head.split("@", 1)[0].casefold()
    return Command(name, argument.strip())


# --- messages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    label: str
    data: str
    # A shortcut a text channel may show and accept instead of the label (the scale value).
    key: str | None = None

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data over {MAX_BUTTON_DATA_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """A chat message, optionally with rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True)
class Toast:
    """A short notice about the pressed button itself (Telegram: answerCallbackQuery)."""

    text: str


@dataclass(frozen=True)
class MarkChosen:
    """Replace the message whose button was pressed with this text, without buttons."""

    text: str


@dataclass(frozen=True)
class LineChart:
    """Development of a total score over time; the last point is today's."""

    title: str
    points: tuple[tuple[datetime, int], ...]
    max_value: int


@dataclass(frozen=True)
class SpiderChart:
    """A profile per area (a spider web): today's answers, and earlier ones to compare with."""

    title: str
    axes: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    max_value: int


@dataclass(frozen=True)
class RemoveButtons:
    """Take the buttons off the message whose button was pressed (it was answered)."""


@dataclass(frozen=True)
class Document:
    """A file for the young person to keep (their data as JSON)."""

    filename: str
    data: bytes
    caption: str


Chart = LineChart | SpiderChart
Message = Reply | Toast | MarkChosen | RemoveButtons | LineChart | SpiderChart | Document
