"""Every yes/no keyboard the bot shows, answered by typing: "ja", "ja tak", "ok", "okay",
"nej" and "nej tak" do exactly what pressing the button does (the same replies, the same
effects, the same state). The list is checked against the content: a new yes or no button in
dialogues/ without a case here fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import BaseModel

from bot.engine import AgreementView, MeetingView, Message, RaiseAlert, ReminderQuestion
from bot.flows import reminders
from core.content import Content
from core.text import normalize
from tests.auxil.engine import EngineHarness
from tests.auxil.ports import FakePorts, meaning, possible
from tests.auxil.transcript import Conversation, replies

NOW = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # a Tuesday, staff at work
YES_WORDS = ("ja", "ja tak", "ok", "okay")
NO_WORDS = ("nej", "nej tak")
IDEA = "Et sted at mødes om aftenen"
WORKSHOP_ID = 7
MEETING = MeetingView(1, "network", NOW + timedelta(days=1), "Ungehuset")
AGREEMENT = AgreementView(2, "Job", "Skrive en ansøgning", date(2026, 11, 30))


@dataclass(frozen=True)
class Keyboard:
    """How to bring a yes/no keyboard up, and the labels of its yes and no buttons."""

    name: str
    yes: Callable[[Content], str]
    no: Callable[[Content], str | None]
    reach: Callable[[Conversation, EngineHarness], object]  # what it returns is not used
    ports: Callable[[], FakePorts] = lambda: FakePorts(moment=NOW)
    # The safety question takes "ja" and "nej" only: "ok" is unclear there, by design, and the
    # contact person is told (tests/bot/test_engine_safety.py).
    yes_words: tuple[str, ...] = YES_WORDS


def _show(talk: Conversation, messages) -> None:
    """A reminder from the scheduler appears in the chat: its buttons are the newest."""
    talk.keyboard = tuple(b for m in messages for row in getattr(m, "buttons", ()) for b in row)


def _reminder_ports(question: ReminderQuestion, **more) -> Callable[[], FakePorts]:
    def make() -> FakePorts:
        return FakePorts(moment=NOW, question=question, **more)

    return make


def _idea_ports() -> FakePorts:
    from bot.engine import WorkshopView

    workshop = WorkshopView(WORKSHOP_ID, "Fritid", "Hvad mangler du?", ("Fællesskab",))
    return FakePorts(moment=NOW, workshops=[workshop])


KEYBOARDS = (
    Keyboard(
        "consent",
        lambda c: c.onboarding.accept_label,
        lambda c: c.onboarding.decline_label,
        lambda talk, _: talk.send("/start"),
        lambda: FakePorts(moment=NOW, accepted=None),
    ),
    Keyboard(
        "first check-in offer",
        lambda c: c.onboarding.offer_yes_label,
        lambda c: c.onboarding.offer_later_label,
        lambda talk, h: (
            talk.send("/start"),
            talk.press(h.content.onboarding.accept_label),
        ),
        lambda: FakePorts(moment=NOW, accepted=None),
    ),
    Keyboard(
        "check-in before",
        lambda c: c.texts.checkin.begin_label,
        lambda c: c.texts.checkin.later_label,
        lambda talk, _: (talk.send("/tjek"), talk.press("Hvordan har du haft det?")),
    ),
    Keyboard(
        "deletion, first question",
        lambda c: c.texts.deletion.first_yes,
        lambda c: c.texts.deletion.keep,
        lambda talk, _: talk.send("/slet"),
    ),
    Keyboard(
        "deletion, second question",
        lambda c: c.texts.deletion.second_yes,
        lambda c: c.texts.deletion.keep,
        lambda talk, h: (
            talk.send("/slet"),
            talk.press(h.content.texts.deletion.first_yes),
        ),
    ),
    Keyboard(
        "taking a deletion request back",
        lambda c: c.texts.deletion.take_back_yes,
        lambda c: c.texts.deletion.take_back_no,
        lambda talk, _: talk.send("/start_igen"),
        lambda: FakePorts(moment=NOW, requested=True),
    ),
    Keyboard(
        "pause offer",
        lambda c: c.texts.pausing.offer_yes,
        lambda c: c.texts.pausing.offer_no,
        lambda talk, _: talk.send("jeg vil gerne have en pause"),
        lambda: FakePorts(
            moment=NOW,
            scripted={"jeg vil gerne have en pause": meaning("x", "pause_reminders")},
        ),
    ),
    Keyboard(
        "a feeling: tell the contact person?",
        lambda c: c.texts.feelings.tell_label,
        lambda c: c.texts.feelings.no_label,
        lambda talk, _: talk.send("jeg er så ked af det"),
        lambda: FakePorts(moment=NOW, scripted={"jeg er så ked af det": meaning("x", "feel_sad")}),
    ),
    Keyboard(
        "an idea's preview: send it?",
        lambda c: c.texts.ideas.send_label,
        lambda c: c.texts.ideas.drop_label,
        lambda talk, _: (talk.send("/ide"), talk.press("Fællesskab"), talk.send(IDEA)),
        _idea_ports,
    ),
    Keyboard(
        "meeting reminder: are you coming?",
        lambda c: c.reminders.coming_label,
        lambda c: c.reminders.cannot_come_label,
        lambda talk, h: _show(
            talk, reminders.meeting_reminder("meeting_day_before", MEETING, h.content)
        ),
        _reminder_ports(
            ReminderQuestion("m|1|coming", "m|1|cannot"), meetings={MEETING.id: MEETING}
        ),
    ),
    Keyboard(
        "agreement follow-up: did you make it?",
        lambda c: c.reminders.done_label,
        lambda c: c.reminders.not_yet_label,
        lambda talk, h: _show(
            talk, reminders.agreement_reminder("agreement_followup", AGREEMENT, h.content)
        ),
        _reminder_ports(
            ReminderQuestion("g|2|done", "g|2|not_yet"), agreements={AGREEMENT.id: AGREEMENT}
        ),
    ),
    Keyboard(
        "network meeting feedback",
        lambda c: c.reminders.feedback_yes,
        lambda c: c.reminders.feedback_no,
        lambda talk, h: _show(
            talk, reminders.meeting_reminder("meeting_feedback", MEETING, h.content)
        ),
        _reminder_ports(ReminderQuestion("f|1|0|3", "f|1|0|1"), meetings={MEETING.id: MEETING}),
    ),
    Keyboard(
        "check-in invitation",
        lambda c: c.reminders.checkin_yes_label,
        lambda _: None,  # no "no" button: a typed no gets a kind "later"
        lambda talk, h: _show(
            talk, reminders.checkin_reminder("checkin_invite", "who5", h.content)
        ),
        _reminder_ports(ReminderQuestion("q|who5|now"), invitation="who5"),
    ),
    Keyboard(
        "safety question",
        lambda c: c.safety.yes_label,
        lambda c: c.safety.no_label,
        lambda talk, _: talk.send("det hele er bare for meget"),
        lambda: FakePorts(
            moment=NOW,
            scripted={"det hele er bare for meget": possible("det hele er bare for meget")},
        ),
        yes_words=("ja", "ja tak"),
    ),
    Keyboard(
        "after the safety question: go on with the check-in now?",
        lambda c: c.safety.continue_now_label,
        lambda c: c.safety.continue_later_label,
        lambda talk, _: (
            talk.send("/tjek"),
            talk.press("Hvordan har du haft det?"),
            talk.press("Ja, lad os starte"),
            talk.send("det hele er bare for meget"),
            talk.press("Nej, jeg er okay"),
        ),
        lambda: FakePorts(
            moment=NOW,
            scripted={"det hele er bare for meget": possible("det hele er bare for meget")},
        ),
    ),
)


def _run(
    keyboard: Keyboard, content: Content, answer: Callable[[Conversation], tuple[Message, ...]]
):
    harness = EngineHarness(content, keyboard.ports())
    talk = Conversation(harness)
    keyboard.reach(talk, harness)
    harness.effects.clear()
    messages = answer(talk)
    return replies(messages), [_same(e) for e in harness.effects], harness.state


def _same(effect: object) -> object:
    """The safety question's alert quotes the answer as given ("ja tak", or the label "Ja"),
    which is as it should be; everything else must be equal."""
    if isinstance(effect, RaiseAlert) and "answer" in effect.details:
        details = {k: v for k, v in effect.details.items() if k != "answer"}
        return replace(effect, details=details)
    return effect


def _cases() -> Iterator[tuple[Keyboard, str, str]]:
    for keyboard in KEYBOARDS:
        for word in keyboard.yes_words:
            yield keyboard, "yes", word
        for word in NO_WORDS:
            yield keyboard, "no", word


@pytest.mark.parametrize(
    ("keyboard", "side", "typed"),
    list(_cases()),
    ids=[f"{k.name}-{w}" for k, _, w in _cases()],
)
def test_a_typed_yes_or_no_does_what_the_button_does(content, keyboard, side, typed):
    label = (keyboard.yes if side == "yes" else keyboard.no)(content)
    by_typing = _run(keyboard, content, lambda talk: talk.send(typed))
    if label is None:  # the invitation has no "no" button: later, and nothing stored
        assert by_typing[0] == [content.texts.checkin.later]
        assert by_typing[1] == []
        return
    by_button = _run(keyboard, content, lambda talk: talk.press(label))
    assert by_typing == by_button
    assert by_button[0], "the press should answer"


def _labels(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _labels(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _labels(value, f"{path}.{key}")
    elif isinstance(node, str) and len(node) <= 40:
        yield path, node


def test_every_yes_or_no_button_in_the_content_has_a_case(content):
    parts = (content.texts, content.onboarding, content.reminders, content.safety)
    yes_or_no = {
        label
        for part in parts
        for _, label in _labels(part)
        if normalize(label).split(" ")[0] in ("ja", "nej")
    }
    covered = {label for k in KEYBOARDS for label in (k.yes(content), k.no(content)) if label}
    assert yes_or_no - covered == set()
