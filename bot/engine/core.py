"""The engine's entry point: route one event to the flow it belongs to.

Button presses and commands are looked up in two tables (`_PRESSES`, `_COMMANDS`); the
commands are checked against `texts.commands` in dialogues/ when the service starts
(`check_routes`). What stays as ordered code in `handle` is the real precedence between
states, each step with a comment on why it comes where it does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.engine.effects import StopResponse
from bot.engine.messages import Command, Event, Press, Reply, Text, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import (
    AfterCrisis,
    Asked,
    Checkin,
    Deleting,
    IdeaDraft,
    Idle,
    MeetingReason,
    Onboarding,
    SafetyCheck,
    State,
)
from bot.flows import (
    after_crisis,
    checkin,
    checkin_aside,
    deletion,
    deletion_hold,
    feelings,
    free_text,
    ideas,
    my_data,
    onboarding,
    pausing,
    reminders,
    safety,
    safety_check,
    yes_no,
)
from bot.flows.words import means
from bot.nlu import NOTHING, Understanding
from core.content import Content
from core.text import clean

# Longer texts are refused (and nothing stored); Telegram itself allows 4,096 characters.
MAX_TEXT_LENGTH = 1000
# How long the optional "why can't you come?" waits for an answer.
REASON_WAITS = timedelta(hours=1)


def handle(state: State, event: Event, ports: Ports, content: Content) -> Outcome:
    """Answer one event. Never raises for anything a young person can send."""
    texts = content.texts
    if isinstance(event, Text):
        cleaned = clean(event.text)
        if not cleaned:
            return Outcome(state, (Reply(texts.empty_message),))
        if len(cleaned) > MAX_TEXT_LENGTH:
            if isinstance(state, IdeaDraft) and state.step in ("text", "confirm"):
                return ideas.too_long(state, len(cleaned), content)
            return Outcome(state, (Reply(texts.too_long.format(max=MAX_TEXT_LENGTH)),))
        event = Text(cleaned)
        understanding = ports.understand(cleaned)
        hit = understanding.crisis
        if hit is not None and not _plain_answer(state, cleaned, understanding, content):
            # The safety net comes first, in every state. Certain: the support lines and an
            # urgent alert at once. Possible: a kind question first, unless one is waiting,
            # for then this text is its (unclear) answer, handled just below.
            asking = safety_check.waiting(state, ports)
            if hit.certain and asking and isinstance(state, SafetyCheck):
                return safety_check.certain_instead(state, cleaned, hit, ports, content)
            if hit.certain:
                return safety.respond(state, cleaned, hit, ports, content)
            if not asking:
                return safety_check.ask(state, cleaned, hit, ports, content)
    else:
        understanding = NOTHING

    # The safety question is answered before anything else, also before the information text
    # is accepted: a held alert waits for exactly this answer. Anything but an answer leaves
    # the question (a command that only shows something lets it wait), and once the hold time
    # has passed the clock has opened the alert, so the event is whatever it is anyway.
    if isinstance(state, SafetyCheck):
        if not safety_check.waiting(state, ports):
            state = state.leave()
        elif isinstance(event, Text):
            return safety_check.answer_text(state, event.text, understanding, ports, content)
        elif isinstance(event, Press) and event.data.startswith(safety_check.PREFIX):
            return safety_check.answer_press(state, event.data, ports, content)
        elif not (isinstance(event, Command) and event.name in _KEEP_DRAFT):
            state = state.leave()
    if isinstance(state, AfterCrisis):
        # Right after the support lines: "hvad sker der nu?" gets a true answer, and a waiting
        # check-in goes on only when chosen. Anything else leaves it, handled as usual.
        after = after_crisis.handle(state, event, understanding, ports, content)
        if after is not None:
            return after
        state = state.leave()
    if isinstance(event, Press) and event.data.startswith(safety_check.PREFIX):
        return safety_check.answer_press(state, event.data, ports, content)  # stale
    if isinstance(state, Asked) and feelings.asks(state):
        # "Shall your contact person hear about it?" has three choices, typed as well as
        # pressed; anything else leaves the question (a check-in that waited goes on).
        state, event = feelings.typed(state, event, ports, content)
    elif isinstance(state, Asked):
        # A yes/no question is waiting: a typed yes or no presses its button; anything else
        # leaves the question (its buttons still work).
        state, event = yes_no.typed(state, event, ports, content)
    if isinstance(event, Command):
        event = Command(_ALIASES.get(event.name, event.name), event.argument)
    if ports.deletion_requested():
        # Before the information checks: someone who asked to be deleted is not asked to
        # accept a new text. The safety net above stays on.
        return deletion_hold.handle(state, event, understanding, ports, content)

    accepted = ports.accepted_information_version()
    if accepted is None:
        return onboarding.handle_unaccepted(state, event, ports, content, understanding)
    if accepted < content.onboarding.version:
        return onboarding.handle_outdated(state, event, ports, content)
    if isinstance(state, Checkin) and not checkin.fits(state, content):
        # The questionnaire was changed or removed in dialogues/ mid-check-in: start over.
        stopped = (StopResponse(state.response_id, ports.now()),) if state.phase == "items" else ()
        return Outcome(Idle(), (Reply(texts.checkin.content_changed),), stopped)
    if isinstance(state, MeetingReason) and ports.now() - state.asked_at > REASON_WAITS:
        state = Idle()  # the optional reason was not given; the next text is something else
    if isinstance(state, IdeaDraft) and ideas.expired(state, ports):
        state = state.leave()  # a draft left alone is dropped, its text with it
    # The deletion buttons before leaving the deletion state: the second question's answer
    # needs the state that holds the first yes.
    if isinstance(event, Press) and event.data.startswith(deletion.PREFIX):
        return deletion.handle_press(state, event.data, ports, content)
    if isinstance(state, Deleting):
        # A typed answer presses its button; any other text gets the open question again.
        pressed = None
        if isinstance(event, Text):
            pressed = deletion.typed(state, event.text, ports.now(), content)
        if pressed is not None:
            return deletion.handle_press(state, pressed, ports, content)
        state = state.leave()  # anything but an answer to the deletion questions leaves them
    # Commands and the buttons of flows that work in any state come before the state's own
    # handling of text: a draft idea or an optional reason must not swallow them.
    if isinstance(event, Command):
        return _command(state, event, ports, content)
    if isinstance(event, Press):
        routed = _route_press(state, event.data, ports, content)
        if routed is not None:
            return routed
    if isinstance(state, IdeaDraft):
        if isinstance(event, Text):
            return ideas.handle_text(state, event.text, ports, content)
        state = state.leave()  # another button (a check-in's) ends the draft
    if isinstance(state, MeetingReason):
        if isinstance(event, Text):
            return reminders.handle_reason(state, event.text, content)
        state = Idle()
    # Choosing a questionnaire comes after a draft or a reason has been left, so the
    # check-in starts from a clean state.
    if isinstance(event, Press) and event.data.startswith(checkin.QUESTIONNAIRE_PREFIX):
        return checkin.pressed(state, event.data, ports, content)
    if isinstance(state, Checkin):
        questionnaire = content.questionnaires[state.questionnaire_id]
        if isinstance(event, Text) and not checkin.expects(
            state, questionnaire, event.text, content
        ):
            # Not an answer: answered for what it means, then back to the question. What
            # belongs to the check-in first (a correction, the scale, a feeling), then the
            # intents that work everywhere, then small talk; only then "not understood".
            aside = checkin_aside.first(
                state, questionnaire, event.text, understanding, ports, content
            )
            if aside is not None:
                return aside
            interrupted = free_text.interrupt(state, understanding, ports, content)
            if interrupted is not None:
                return checkin_aside.back_to_question(state, questionnaire, interrupted, content)
            aside = checkin_aside.last(state, questionnaire, understanding, ports, content)
            if aside is not None:
                return aside
        return checkin.handle(state, questionnaire, event, ports, content)
    if isinstance(state, Onboarding) and state.step == "offer_checkin":
        choice = onboarding.offer_choice(event, content) or _OFFER_INTENTS.get(understanding.intent)
        if choice == "start":
            first = next(iter(content.questionnaires.values()))
            return checkin.begin(first, ports, content, agreed=True)
        if choice == "later":
            return onboarding.later(content)
    if isinstance(event, Press):
        return Outcome(state, (Toast(texts.stale_button),))
    if isinstance(state, Idle) and isinstance(event, Text):
        # A typed yes or no to the reminder the young person got last ("Kommer du?").
        answer = yes_no.reminder_answer(event.text, ports, content)
        if isinstance(answer, Press):
            return handle(state, answer, ports, content)
        if answer is not None:
            return Outcome(state, (answer,))
    if understanding.intent == "contact_coordinator":
        # "min kontaktperson skal ikke vide det" reads as a wish to reach the contact person:
        # a request raised from it would be the opposite of the wish. Who sees what, instead.
        understanding = checkin_aside.not_a_request(event.text, understanding)
    return free_text.respond(state, understanding, ports, content)


# After the information is accepted, "shall we try a check-in?" also takes these intents.
_OFFER_INTENTS = {"affirm": "start", "start_checkin": "start", "deny": "later", "postpone": "later"}


def _plain_answer(state: State, text: str, understanding: Understanding, content: Content) -> bool:
    """A classifier-only hit on an answer the current step expects ("5", "på intet tidspunkt")
    is not a cry for help; a lexicon phrase always is. The same holds for a workshop idea: an
    idea about "angst og depression" is a topic, and an alert would tie the idea to a name."""
    if understanding.crisis is None or understanding.crisis.source != "classifier":
        return False
    if isinstance(state, IdeaDraft) and state.step in ("text", "confirm"):
        return True
    if isinstance(state, Checkin) and checkin.fits(state, content):
        questionnaire = content.questionnaires[state.questionnaire_id]
        return checkin.expects(state, questionnaire, text, content)
    words = content.texts.words
    return means(text, words.consent, words.agree, words.decline, words.resume, words.yes, words.no)


# Commands that only show something: a draft idea, or the safety question, waits meanwhile.
_KEEP_DRAFT = frozenset({"hjaelp", "hjælp", "help", "moeder", "møder", "aftaler", "mine_data"})


PressHandler = Callable[[State, str, Ports, Content], Outcome]
CommandHandler = Callable[[State, Command, Ports, Content], Outcome]

# Button data prefix -> the flow that answers it.
_PRESSES: tuple[tuple[tuple[str, ...], PressHandler], ...] = (
    ((pausing.PREFIX,), pausing.handle_press),
    ((ideas.PREFIX,), ideas.handle_press),
    (reminders.PREFIXES, reminders.handle_press),
    (
        (feelings.PREFIX,),
        lambda state, data, _, content: feelings.handle_press(state, data, content),
    ),
)


def _route_press(state: State, data: str, ports: Ports, content: Content) -> Outcome | None:
    for prefixes, answer in _PRESSES:
        if data.startswith(prefixes):
            return answer(state, data, ports, content)
    return None


def _start(state: State, _: Command, __: Ports, content: Content) -> Outcome:
    if isinstance(state, Checkin):
        return checkin.resume(state, content.questionnaires[state.questionnaire_id], content)
    return Outcome(Idle(), (Reply(content.texts.welcome_back),))


def _help(state: State, _: Command, __: Ports, content: Content) -> Outcome:
    return Outcome(state, (Reply(content.texts.help),))


def _tjek(state: State, command: Command, ports: Ports, content: Content) -> Outcome:
    return checkin.choose(state, command.argument.strip().casefold(), ports, content)


def _stop(state: State, _: Command, ports: Ports, content: Content) -> Outcome:
    """/stop is not in the menu, but "stop" is on the check-in's button and in its texts: in a
    check-in it does what the Stop button (or a typed "stop") does there; elsewhere it offers
    a pause, as a typed "stop" does."""
    if isinstance(state, Checkin):
        return checkin.stop(state, content.questionnaires[state.questionnaire_id], ports, content)
    return pausing.offer(state, ports, content)


def _plain(answer: Callable[[State, Ports, Content], Outcome]) -> CommandHandler:
    """A command whose flow needs no argument."""
    return lambda state, _, ports, content: answer(state, ports, content)


# Command name -> its handler. Every command in texts.commands must be here (check_routes).
_COMMANDS: dict[str, CommandHandler] = {
    "tjek": _tjek,
    "moeder": _plain(reminders.list_meetings),
    "aftaler": _plain(reminders.list_agreements),
    "ide": _plain(ideas.start),
    "pause": _plain(pausing.pause),
    "start_igen": _plain(pausing.start_again),
    "mine_data": _plain(my_data.show),
    "slet": _plain(deletion.ask),
    "hjaelp": _help,
    "start": _start,
    "stop": _stop,
}
# Spellings people type that Telegram's command menu cannot hold (æøå, English).
_ALIASES = {"hjælp": "hjaelp", "help": "hjaelp", "møder": "moeder"}


def check_routes(content: Content) -> None:
    """Every command registered with Telegram (texts.commands) has a handler; raise otherwise."""
    missing = sorted(set(content.texts.commands) - set(_COMMANDS))
    if missing:
        raise ValueError(f"commands in texts.commands without a handler: {', '.join(missing)}")


def _command(state: State, command: Command, ports: Ports, content: Content) -> Outcome:
    if command.name == "stop" and isinstance(state, Checkin):
        return _stop(state, command, ports, content)  # at every step, "talk next time" too
    if isinstance(state, MeetingReason) or (
        isinstance(state, Checkin) and state.phase == "talk_next_time"
    ):
        state = Idle()  # a command ends an optional question (a reason, a topic for next time)
    if isinstance(state, IdeaDraft) and command.name not in _KEEP_DRAFT:
        state = state.leave()  # the draft is dropped; a check-in it held is back
    answer = _COMMANDS.get(_ALIASES.get(command.name, command.name))
    if answer is None:
        return Outcome(state, (Reply(content.texts.unknown_command),))
    return answer(state, command, ports, content)
