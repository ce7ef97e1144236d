"""Onboarding: plain-language information, then accept or decline.

Before acceptance nothing is stored but the link between chat and young person (made by the
invite). Acceptance is bound to the version of the information text that was shown; when the
text gets a new version, the young person is asked again at the next contact.
"""

from __future__ import annotations

from bot.engine.effects import AcceptInformation, DeclineInformation, StopResponse
from bot.engine.messages import Button, Command, Event, Message, Press, Reply, Text, Toast
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Idle, Onboarding, State
from bot.flows.words import means
from bot.nlu import NOTHING, Understanding
from core.content import Content
from core.content.models import join_danish

ACCEPT = "o|accept"
DECLINE = "o|decline"
LATER = "o|later"


def information(ports: Ports, content: Content) -> Reply:
    """The information text, naming exactly who can see the answers."""
    onboarding = content.onboarding
    return Reply(
        onboarding.information.format(who_sees=who_sees(ports, content)), _buttons(content)
    )


def _buttons(content: Content) -> tuple[tuple[Button, ...], ...]:
    onboarding = content.onboarding
    version = onboarding.version
    return (
        (Button(onboarding.accept_label, f"{ACCEPT}|{version}"),),
        (Button(onboarding.decline_label, f"{DECLINE}|{version}"),),
    )


def who_sees(ports: Ports, content: Content) -> str:
    """The contact person, and the municipality's administrators by name ("A, B og C")."""
    onboarding = content.onboarding
    administrators = [name for name in ports.administrators() if name.strip()]
    if not administrators:
        return onboarding.who_sees_alone
    return onboarding.who_sees.format(administrators=join_danish(administrators))


def handle_unaccepted(
    state: State,
    event: Event,
    ports: Ports,
    content: Content,
    understanding: Understanding = NOTHING,
) -> Outcome:
    """Everything a young person sends before accepting the information text."""
    onboarding = content.onboarding
    showing = Onboarding(step="information")
    if isinstance(event, Command) and event.name == "start":
        return Outcome(showing, (information(ports, content),))
    if not isinstance(state, Onboarding) or state.step == "offer_checkin":
        return Outcome(showing, (information(ports, content),))
    if state.step == "declined":
        if _choice(event, content) == "accept" and isinstance(event, Press):
            return _accept(ports, content)  # changed their mind, with the button still there
        if isinstance(event, Press):
            return Outcome(state, (Toast(content.texts.stale_button),))
        return Outcome(state, (Reply(onboarding.still_declined),))

    choice = _choice(event, content)
    if choice == "accept":
        return _accept(ports, content)
    if choice == "decline":
        return Outcome(Onboarding(step="declined"), (Reply(onboarding.declined),))
    if isinstance(event, Press):
        return Outcome(state, (Toast(content.texts.stale_button), information(ports, content)))
    return Outcome(state, _not_an_answer(understanding, ports, content))


def _not_an_answer(
    understanding: Understanding, ports: Ports, content: Content
) -> tuple[Message, ...]:
    """A text before the information is answered: what it asks for, then one short line with
    the two buttons; the whole text is just above (and /start shows it again)."""
    onboarding = content.onboarding
    buttons = _buttons(content)
    if understanding.intent == "ask_privacy":
        # Who sees what is exactly what the information is about: the truthful answer first.
        privacy = onboarding.privacy_before.format(who_sees=who_sees(ports, content))
        return (Reply(privacy), Reply(onboarding.ask_again, buttons))
    feeling = content.texts.feelings.of(understanding.intent)
    if feeling is not None:
        # A feeling is answered kindly even now; its buttons would store something, so the
        # warm words come without them, before the question that still waits.
        return (Reply(feeling.answer), Reply(onboarding.ask_again, buttons))
    if understanding.intent == "greet":
        return (Reply(onboarding.greet_again, buttons),)
    return (Reply(onboarding.must_answer, buttons),)


def handle_outdated(state: State, event: Event, ports: Ports, content: Content) -> Outcome:
    """The information text changed since the young person accepted it: ask again at the next
    contact. The conversation state is kept, so a check-in under way goes on afterwards."""
    onboarding = content.onboarding
    choice = _choice(event, content)
    if choice == "accept":
        accepted = AcceptInformation(version=onboarding.version, at=ports.now())
        messages: tuple[Message, ...] = (Reply(onboarding.reaccepted),)
        if isinstance(state, Checkin) and state.phase == "items":
            messages += (Reply(content.texts.checkin.still_paused.format(number=state.index + 1)),)
        return Outcome(state, messages, (accepted,))
    if choice == "decline":
        effects = (DeclineInformation(at=ports.now()),)
        stopped: tuple[StopResponse, ...] = ()
        if isinstance(state, Checkin) and state.phase == "items":
            stopped = (StopResponse(state.response_id, ports.now()),)
        declined = Outcome(Onboarding(step="declined"), (Reply(onboarding.declined_update),))
        return Outcome(declined.state, declined.messages, (*stopped, *effects))
    if isinstance(event, Press):
        return Outcome(state, (Toast(content.texts.stale_button), information(ports, content)))
    return Outcome(state, (Reply(onboarding.updated), information(ports, content)))


def _choice(event: Event, content: Content) -> str | None:
    version = content.onboarding.version
    if isinstance(event, Press):
        return {f"{ACCEPT}|{version}": "accept", f"{DECLINE}|{version}": "decline"}.get(event.data)
    if isinstance(event, Text):
        words = content.texts.words
        if means(event.text, words.consent):
            return "accept"
        if means(event.text, words.decline):
            return "decline"
    return None


def _accept(ports: Ports, content: Content) -> Outcome:
    onboarding = content.onboarding
    first = next(iter(content.questionnaires))
    offer = Reply(
        onboarding.offer_first_checkin,
        (
            (Button(onboarding.offer_yes_label, f"q|{first}|now"),),
            (Button(onboarding.offer_later_label, LATER),),
        ),
    )
    return Outcome(
        Onboarding(step="offer_checkin"),
        (Reply(onboarding.accepted), offer),
        (AcceptInformation(version=onboarding.version, at=ports.now()),),
    )


def offer_choice(event: Event, content: Content) -> str | None:
    """After acceptance: 'start' (the first questionnaire), 'later', or None when not an answer."""
    if isinstance(event, Press):
        return "later" if event.data == LATER else None
    if isinstance(event, Text):
        words = content.texts.words
        if means(event.text, words.agree):
            return "start"
        if means(event.text, words.decline):
            return "later"
    return None


def later(content: Content) -> Outcome:
    return Outcome(Idle(), (Reply(content.texts.checkin.later),))
