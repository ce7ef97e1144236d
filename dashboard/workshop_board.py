"""What the facilitator's board shows and sends: pure functions over loaded rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from core.content.models import IdeaTexts
from dashboard.i18n import _
from domain.reminder_timing import at_local
from storage.models import Idea, IdeaStatus, Workshop

OUTCOME_MAX = 3500  # Telegram allows 4096 characters in a message; leave room
TITLE_MAX = 120
QUESTION_MAX = 300
THEME_MAX = 60
THEMES_MAX = 12


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    ideas: list[Idea]


def by_theme(workshop: Workshop, ideas: Sequence[Idea]) -> list[ThemeGroup]:
    """Ideas under the workshop's themes, in the workshop's theme order."""
    order = {theme: n for n, theme in enumerate(workshop.themes)}
    groups: dict[str, list[Idea]] = {}
    for idea in ideas:
        groups.setdefault(idea.theme, []).append(idea)
    return [
        ThemeGroup(theme, groups[theme])
        for theme in sorted(groups, key=lambda t: (order.get(t, len(order)), t))
    ]


def status_label(code: str) -> str:
    labels: dict[str, str] = {
        IdeaStatus.NEW: _("Not handled yet"),
        IdeaStatus.DISCUSSED: _("Discussed"),
        IdeaStatus.TAKEN_FORWARD: _("Taken forward"),
    }
    return labels.get(code, code)


def outcome_message(workshop: Workshop, ideas: Sequence[Idea], texts: IdeaTexts) -> str:
    """The one message to everyone who sent ideas through the bot: what became of them, in the
    words of dialogues/texts.yml (the young people read it)."""
    forward = [idea for idea in ideas if idea.status == IdeaStatus.TAKEN_FORWARD]
    discussed = [idea for idea in ideas if idea.status == IdeaStatus.DISCUSSED]
    lines = [texts.outcome_intro.format(title=workshop.title)]
    for heading, chosen in ((texts.outcome_forward, forward), (texts.outcome_discussed, discussed)):
        if chosen:
            lines.append("")
            lines.append(heading)
            lines.extend(
                "• " + _short(idea.text) + (f" – {idea.outcome}" if idea.outcome else "")
                for idea in chosen
            )
    lines.append("")
    lines.append(texts.outcome_anonymous)
    text = "\n".join(lines)
    return text if len(text) <= OUTCOME_MAX else text[: OUTCOME_MAX - 1] + "…"


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class WorkshopForm:
    title: str = ""
    question: str = ""
    themes: str = ""
    opens_day: str = ""
    opens_at: str = ""
    closes_day: str = ""
    closes_at: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def theme_list(self) -> list[str]:
        seen: list[str] = []
        for part in self.themes.replace("\n", ",").split(","):
            theme = " ".join(part.split())
            if theme and theme.casefold() not in (t.casefold() for t in seen):
                seen.append(theme)
        return seen

    def moments(self) -> tuple[datetime, datetime] | None:
        """Open and close instants, or None with `errors` filled in (Danish, per field)."""
        self.errors = {}
        if not self.title:
            self.errors["title"] = _("Write a title.")
        elif len(self.title) > TITLE_MAX:
            self.errors["title"] = _("Use at most 120 characters.")
        if not self.question:
            self.errors["question"] = _("Write the question the young people answer.")
        elif len(self.question) > QUESTION_MAX:
            self.errors["question"] = _("Use at most 300 characters.")
        themes = self.theme_list()
        if not themes:
            self.errors["themes"] = _("Write at least one theme.")
        elif len(themes) > THEMES_MAX or any(len(theme) > THEME_MAX for theme in themes):
            self.errors["themes"] = _("At most 12 themes of at most 60 characters.")
        opens = _moment(self.opens_day, self.opens_at)
        closes = _moment(self.closes_day, self.closes_at)
        if opens is None:
            self.errors["opens_day"] = _("Choose a date and a time.")
        if closes is None:
            self.errors["closes_day"] = _("Choose a date and a time.")
        elif opens is not None and closes <= opens:
            self.errors["closes_day"] = _("It must close after it opens.")
        if self.errors or opens is None or closes is None:
            return None
        return opens, closes


def _moment(day: str, wall: str) -> datetime | None:
    try:
        return at_local(date.fromisoformat(day), time.fromisoformat(wall.replace(".", ":")))
    except ValueError:
        return None
