"""After a deletion request (/slet in request mode), until the coordinator carries it out.

What was promised holds: nothing new is collected (no check-in, no idea, no topic, no feedback,
no reason), and the bot writes only when written to (the dispatcher sends nothing to a young
person who is not taking part). Every command gets a short, true answer.

What still works, because it reaches a person: the safety net (it runs before this, in the
engine), a "can't come" to a meeting and any other answer to a meeting reminder (the
coordinator plans with it), asking for help with an agreement, asking the contact person to
get in touch, and telling them about a feeling. Showing things (/moeder, /aftaler, /mine_data,
a privacy question) stores nothing and works too.

The request can be taken back: the button on the answers here (`u|ask`) or /start_igen asks
once more (`u|yes`, `u|no`); a yes makes the young person take part again and tells the
coordinator with an alert, as the request itself did.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.effects import WithdrawErasure
from bot.engine.messages import Button, Command, Event, Press, RemoveButtons, Reply, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Asked, Idle, MeetingReason, State
from bot.flows import feelings, free_text, my_data, reminders
from bot.flows.words import means
from bot.nlu import Understanding
from core.content import Content

PREFIX = "u|"
ASK, YES, NO = "u|ask", "u|yes", "u|no"

# Intents whose answer reaches a person or only shows something; every other text gets `held`.
_PASSING = frozenset(
    {"cannot_attend", "contact_coordinator", "ask_privacy", "ask_meetings", "ask_agreements"}
)


def handle(
    state: State, event: Event, understanding: Understanding, ports: Ports, content: Content
) -> Outcome:
    """Any event from a young person whose deletion request is waiting."""
    if isinstance(event, Command):
        return _command(state, event, ports, content)
    if isinstance(event, Press):
        return _press(event.data, ports, content)
    if means(event.text, content.texts.words.take_back):  # a Text: the rest are handled
        return ask_take_back(ports, content)
    intent = understanding.intent
    if feelings.is_feeling(intent, content):
        return _feeling(intent, content)
    if intent == "delete_data":
        return Outcome(Idle(), (Reply(content.texts.deletion.already_requested),))
    if intent in _PASSING:
        return _without_reason(free_text.respond(Idle(), understanding, ports, content), content)
    return held(content)


def held(content: Content) -> Outcome:
    """Nothing is stored; the way back is one button away."""
    texts = content.texts.deletion
    button = ((Button(texts.take_back_label, ASK),),)
    return Outcome(Idle(), (Reply(texts.held, button),))


def ask_take_back(ports: Ports, content: Content, *, pressed: bool = False) -> Outcome:
    texts = content.texts.deletion
    if ports.course_ended():
        return Outcome(Idle(), (Reply(texts.cannot_take_back),))
    buttons = ((Button(texts.take_back_yes, YES),), (Button(texts.take_back_no, NO),))
    question = Reply(texts.take_back_question, buttons)
    asked = Asked(yes=YES, no=NO, asked_at=ports.now())
    return Outcome(asked, (RemoveButtons(), question) if pressed else (question,))


def _press(data: str, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    if data == ASK:
        return ask_take_back(ports, content, pressed=True)
    if data == YES and ports.course_ended():
        return Outcome(Idle(), (RemoveButtons(), Reply(texts.cannot_take_back)))
    if data == YES:
        effect = WithdrawErasure(ports.now())
        return Outcome(Idle(), (RemoveButtons(), Reply(texts.taken_back)), (effect,))
    if data == NO:
        return Outcome(Idle(), (RemoveButtons(), Reply(texts.still_requested)))
    if data.startswith(reminders.MEETING) or (
        data.startswith(reminders.AGREEMENT) and data.endswith("|help")
    ):
        # A meeting answer or a request for help with an agreement reaches the coordinator.
        outcome = reminders.handle_press(Idle(), data, ports, content)
        return _without_reason(outcome, content)
    if data.startswith(feelings.PREFIX) and data.endswith(("|tell", "|no")):
        return feelings.handle_press(Idle(), data, content)
    if data.startswith(PREFIX):
        return Outcome(Idle(), (Toast(content.texts.stale_button),))
    return held(content)


def _feeling(intent: str, content: Content) -> Outcome:
    """The warm answer, with "tell my contact person" and "no thanks" (nothing goes on an
    agenda now)."""
    texts = content.texts.feelings
    feeling = texts.of(intent)
    if feeling is None:  # pragma: no cover - the caller checked is_feeling
        return held(content)
    buttons = (
        (Button(texts.tell_label, f"{feelings.PREFIX}{intent}|tell"),),
        (Button(texts.no_label, f"{feelings.PREFIX}{intent}|no"),),
    )
    return Outcome(Idle(), (Reply(f"{feeling.answer}\n\n{texts.ask}", buttons),))


def _without_reason(outcome: Outcome, content: Content) -> Outcome:
    """A "can't come" is passed on, but the optional reason is not asked for (it would be
    stored): the young person hears that the contact person is told, and that is all."""
    if not isinstance(outcome.state, MeetingReason):
        return outcome
    kept = [m for m in outcome.messages if isinstance(m, RemoveButtons)]
    said = [m for m in outcome.messages if isinstance(m, Reply) and not m.buttons]
    noted = Reply(content.reminders.cannot_come_noted)
    return Outcome(Idle(), (*kept, *(said or [noted])), outcome.effects)


def _command(state: State, command: Command, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.deletion
    name = command.name  # aliases already resolved by the engine
    answers: dict[str, Callable[[], Outcome]] = {
        "start_igen": lambda: ask_take_back(ports, content),
        "slet": lambda: Outcome(Idle(), (Reply(texts.already_requested),)),
        "pause": lambda: Outcome(Idle(), (Reply(texts.no_reminders),)),
        "hjaelp": lambda: Outcome(Idle(), (Reply(texts.held_help),)),
        "moeder": lambda: reminders.list_meetings(Idle(), ports, content),
        "aftaler": lambda: reminders.list_agreements(Idle(), ports, content),
        "mine_data": lambda: my_data.show(Idle(), ports, content),
    }
    answer = answers.get(name)
    if answer is not None:
        return answer()
    if name in content.texts.commands or name == "start":
        return held(content)  # /tjek, /ide, /start: nothing new is collected
    return Outcome(state, (Reply(content.texts.unknown_command),))
