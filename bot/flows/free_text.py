"""What a typed text means outside a question, and the intents that work everywhere.

Every intent the interpreter knows does something useful, or says kindly what the bot cannot
do yet and passes the wish on to the coordinator. Button data reuses the reminder answers
(`m|<meeting>|cannot`, `g|<agreement>|done`), so a choice made here is recorded the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.effects import AnswerMeeting, Effect, PostponeCheckin, RaiseAlert
from bot.engine.messages import Button, Message, Reply
from bot.engine.ports import Outcome, Ports
from bot.engine.state import Checkin, Idle, MeetingReason, State
from bot.flows import checkin, deletion, feelings, onboarding, pausing, reminders
from bot.nlu import Understanding
from bot.nlu.when import resolve
from core.content import Content
from core.locale import format_moment

# Intents that still work in the middle of a questionnaire (when the text is not an answer).
GLOBAL_INTENTS = frozenset({"postpone", "pause_reminders", "help", "cannot_attend", "ask_privacy"})
# Mid-questionnaire, a text that is not an answer only counts as an intent when the
# interpreter is sure, and a single word only when it asks for help: "måske" is a try at an
# answer, not a wish to put the check-in off.
INTERRUPT_CONFIDENCE = 0.8
# A feeling ("jeg er så ked af det") deserves an answer even mid-questionnaire, so its bar is
# lower; the questionnaire stays where it was, so a wrong guess costs one kind reply. An exact
# answer never gets here (checkin.expects runs first), and a text with a digit is a try at one.
FEELING_CONFIDENCE = 0.6
BUTTON_LABEL_LENGTH = 40


def respond(state: State, understanding: Understanding, ports: Ports, content: Content) -> Outcome:
    """A text outside a questionnaire."""
    if feelings.is_feeling(understanding.intent, content):
        return feelings.answer(state, understanding.intent, content, now=ports.now())
    action = _ACTIONS.get(understanding.intent)
    if action is None:
        return Outcome(state, (Reply(content.texts.not_understood),))
    return action(state, understanding, ports, content)


def interrupt(
    state: Checkin, understanding: Understanding, ports: Ports, content: Content
) -> Outcome | None:
    """A text in a questionnaire that is not an answer: a feeling, a global intent, or None."""
    intent = understanding.intent
    parse = understanding.parse
    if state.phase != "talk_next_time" and _feeling(state, understanding, content):
        return feelings.answer(state, intent, content)
    if parse.confidence < INTERRUPT_CONFIDENCE or (
        len(parse.text.split()) < 2 and intent != "help"
    ):
        return None
    if state.phase == "items" and any(char.isdigit() for char in parse.text):
        return None  # "måske 3" is a try at an answer
    if state.phase == "before" and intent in ("affirm", "start_checkin"):
        return checkin.start_items(
            state, content.questionnaires[state.questionnaire_id], ports, content
        )
    if state.phase == "before" and intent == "deny":
        return Outcome(Idle(), (Reply(content.texts.checkin.later),))
    if state.phase == "talk_next_time" and intent != "cannot_attend":
        return None  # any other text is a topic for the next meeting
    if intent not in GLOBAL_INTENTS:
        return None
    return _ACTIONS[intent](state, understanding, ports, content)


def _feeling(state: Checkin, understanding: Understanding, content: Content) -> bool:
    parse = understanding.parse
    if not feelings.is_feeling(parse.intent, content):
        return False
    single_word = len(parse.text.split()) < 2
    if parse.confidence < (INTERRUPT_CONFIDENCE if single_word else FEELING_CONFIDENCE):
        return False
    # "3, jeg er ked af det" is a try at an answer. Without a digit, a near-answer taken for a
    # feeling ("jeg har det ikke så godt") gets the kind reply and the same question again.
    return state.phase != "items" or not any(char.isdigit() for char in parse.text)


# --- the intents ----------------------------------------------------------------------------

Action = Callable[[State, Understanding, Ports, Content], Outcome]


def _say(pick: Callable[[Content], str]) -> Action:
    def action(state: State, _: Understanding, __: Ports, content: Content) -> Outcome:
        return Outcome(state, (Reply(pick(content)),))

    return action


def _tell_coordinator(kind: str, pick: Callable[[Content], str]) -> Action:
    """A wish the bot cannot fulfil itself: the coordinator gets an alert to act on it."""

    def action(state: State, _: Understanding, __: Ports, content: Content) -> Outcome:
        return Outcome(state, (Reply(pick(content)),), (RaiseAlert(kind, False, {}),))

    return action


def _start_checkin(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    return checkin.choose(state, "", ports, content)


def _postpone(
    state: State, understanding: Understanding, ports: Ports, content: Content
) -> Outcome:
    texts = content.texts.free_text
    if isinstance(state, Checkin):
        questionnaire_id: str | None = state.questionnaire_id
        following = checkin.hold(state) if state.phase == "items" else Idle()
    else:
        questionnaire_id, following = ports.open_invitation(), Idle()
    if questionnaire_id is None:
        return Outcome(following, (Reply(texts.nothing_to_postpone),))
    expression = understanding.parse.entity("when") or understanding.parse.text
    until = ports.next_allowed(resolve(expression, ports.now()))
    return Outcome(
        following,
        (Reply(texts.postponed.format(when=format_moment(until))),),
        (PostponeCheckin(questionnaire_id, until),),
    )


def _pause_reminders(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    return pausing.offer(state, ports, content)


def _cannot_attend(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.free_text
    following = Idle() if isinstance(state, Checkin) and state.phase != "items" else state
    now = ports.now()
    meetings = [m for m in ports.upcoming_meetings() if m.starts_at > now]
    if not meetings:
        alert = RaiseAlert("cannot_come", False, {})
        return Outcome(following, (Reply(texts.cannot_come_no_meeting),), (alert,))
    if len(meetings) > 1:
        buttons = tuple(
            (
                Button(
                    texts.meeting_button.format(when=format_moment(m.starts_at)),
                    f"{reminders.MEETING}{m.id}|cannot",
                ),
            )
            for m in meetings[:5]
        )
        return Outcome(following, (Reply(texts.cannot_come_which, buttons),))
    meeting = meetings[0]
    noted = Reply(texts.cannot_come_noted.format(when=format_moment(meeting.starts_at)))
    if meeting.answer == "cannot_come":
        return Outcome(following, (noted,))  # already said; the coordinator already knows
    effects: tuple[Effect, ...] = (
        AnswerMeeting(meeting.id, "cannot_come", now),
        RaiseAlert("cannot_come", False, {"meeting_id": meeting.id}),
    )
    if isinstance(following, Checkin):
        return Outcome(following, (noted,), effects)  # the questionnaire stays where it was
    skip = Button(content.texts.checkin.skip_label, reminders.SKIP_REASON)
    ask = Reply(content.reminders.cannot_come_ask, ((skip,),))
    return Outcome(MeetingReason(meeting_id=meeting.id, asked_at=now), (noted, ask), effects)


def _agreement_done(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    texts = content.texts.free_text
    agreements = ports.open_agreements()
    if not agreements:
        return Outcome(state, (Reply(texts.no_open_agreements),))
    buttons = tuple(
        (
            Button(
                _shorten(texts.agreement_button.format(action=a.action)),
                f"{reminders.AGREEMENT}{a.id}|done",
            ),
        )
        for a in agreements[:5]
    )
    return Outcome(state, (Reply(texts.agreement_which, buttons),))


def _show_progress(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    messages: list[Message] = []
    for questionnaire in content.questionnaires.values():
        history = ports.past_results(questionnaire.id)
        if history:
            messages.append(checkin.progress(questionnaire, history, content))
    if not messages:
        return Outcome(state, (Reply(content.texts.free_text.no_progress),))
    return Outcome(state, (Reply(content.texts.free_text.progress_intro), *messages))


def _idea(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    """An idea typed outside /ide: the way to send it, or, with no workshop taking ideas, the
    truth that it cannot be sent and is not kept (never "skriv /ide" into a dead end)."""
    if ports.open_workshops():
        return Outcome(state, (Reply(content.texts.free_text.idea_not_yet),))
    return Outcome(state, (Reply(content.texts.ideas.none_open_typed),))


def _privacy(state: State, _: Understanding, ports: Ports, content: Content) -> Outcome:
    """Who sees the answers (the same words as the information text), how long they are kept,
    and how to see or delete them. A question, never the deletion prompt."""
    text = content.texts.free_text.privacy.format(who_sees=onboarding.who_sees(ports, content))
    return Outcome(state, (Reply(text),))


def _shorten(label: str) -> str:
    if len(label) <= BUTTON_LABEL_LENGTH:
        return label
    return label[: BUTTON_LABEL_LENGTH - 1].rstrip() + "…"


_ACTIONS: dict[str, Action] = {
    "greet": _say(lambda c: c.texts.free_text.greet),
    "goodbye": _say(lambda c: c.texts.free_text.goodbye),
    "thanks": _say(lambda c: c.texts.free_text.thanks),
    "help": _say(lambda c: c.texts.help),
    "affirm": _say(lambda c: c.texts.free_text.affirm),
    "deny": _say(lambda c: c.texts.free_text.deny),
    "out_of_scope": _say(lambda c: c.texts.free_text.out_of_scope),
    "submit_idea": _idea,
    "start_checkin": _start_checkin,
    "postpone": _postpone,
    "pause_reminders": _pause_reminders,
    "delete_data": lambda state, _, ports, content: deletion.ask(state, ports, content),
    "ask_privacy": _privacy,
    "contact_coordinator": _tell_coordinator(
        "contact_request", lambda c: c.texts.free_text.contact_requested
    ),
    "ask_meetings": lambda state, _, ports, content: reminders.list_meetings(state, ports, content),
    "ask_agreements": lambda state, _, ports, content: reminders.list_agreements(
        state, ports, content
    ),
    "cannot_attend": _cannot_attend,
    "agreement_done": _agreement_done,
    "show_progress": _show_progress,
}
