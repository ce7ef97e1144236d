"""Reminders as messages, and the young person's answers to them.

Button data: `m|<meeting>|coming|cannot`, `g|<agreement>|done|not_yet|dropped|help`,
`f|<meeting>|<question>|<1-3>`. An id that is not one of this young person's current meetings or
agreements is stale or forged, and changes nothing.
"""

from __future__ import annotations

import re

from bot.engine.effects import (
    AnswerMeeting,
    Effect,
    RaiseAlert,
    SaveFeedback,
    SaveMeetingReason,
    SetAgreementStatus,
)
from bot.engine.messages import Button, Message, RemoveButtons, Reply, Toast
from bot.engine.ports import AgreementView, MeetingView, Outcome, Ports
from bot.engine.state import Checkin, Idle, MeetingReason, State
from bot.flows import yes_no
from bot.flows.words import means
from core.content import Content
from core.locale import format_date, format_moment

MEETING, AGREEMENT, FEEDBACK = "m|", "g|", "f|"
SKIP_REASON = "r|skip"
PREFIXES = (MEETING, AGREEMENT, FEEDBACK, SKIP_REASON)


# --- rendering ------------------------------------------------------------------------------


def meeting_reminder(kind: str, meeting: MeetingView, content: Content) -> tuple[Message, ...]:
    texts = content.reminders
    if kind == "meeting_feedback":
        return (Reply(texts.feedback_intro), _feedback_question(meeting.id, 0, content))
    template = texts.meeting_day_before if kind == "meeting_day_before" else texts.meeting_soon
    text = template.format(when=format_moment(meeting.starts_at), place=meeting.place)
    buttons = (
        (Button(texts.coming_label, f"{MEETING}{meeting.id}|coming"),),
        (Button(texts.cannot_come_label, f"{MEETING}{meeting.id}|cannot"),),
    )
    return (Reply(text, buttons),)


def agreement_reminder(
    kind: str, agreement: AgreementView, content: Content
) -> tuple[Message, ...]:
    texts = content.reminders
    template = {
        "agreement_soon": texts.agreement_soon,
        "agreement_today": texts.agreement_today,
    }.get(kind, texts.agreement_followup)
    text = template.format(
        action=agreement.action, goal=agreement.goal, day=format_date(agreement.deadline)
    )
    prefix = f"{AGREEMENT}{agreement.id}"
    buttons = (
        (
            Button(texts.done_label, f"{prefix}|done"),
            Button(texts.not_yet_label, f"{prefix}|not_yet"),
        ),
        (Button(texts.dropped_label, f"{prefix}|dropped"),),
        (Button(texts.help_label, f"{prefix}|help"),),
    )
    return (Reply(text, buttons),)


def checkin_reminder(kind: str, questionnaire_id: str, content: Content) -> tuple[Message, ...]:
    texts = content.reminders
    text = {"checkin_invite": texts.checkin_invite, "checkin_later": texts.checkin_later}.get(
        kind, texts.checkin_nudge
    )
    # "|now": the invitation already asked, so the check-in starts at once.
    yes = Button(texts.checkin_yes_label, f"q|{questionnaire_id}|now")
    return (Reply(text, ((yes,),)),)


def coordinator_reply(text: str, content: Content) -> tuple[Message, ...]:
    return (Reply(content.reminders.coordinator_reply.format(text=text)),)


def workshop_outcome(text: str) -> tuple[Message, ...]:
    """What became of a workshop's ideas: the whole message is written by the facilitator's
    page (dashboard), so it is sent as it is, as plain text."""
    return (Reply(text),)


def _feedback_question(meeting_id: int, index: int, content: Content) -> Reply:
    texts = content.reminders
    prefix = f"{FEEDBACK}{meeting_id}|{index}"
    buttons = (
        (
            Button(texts.feedback_yes, f"{prefix}|3"),
            Button(texts.feedback_partly, f"{prefix}|2"),
            Button(texts.feedback_no, f"{prefix}|1"),
        ),
    )
    return Reply(texts.feedback_questions[index], buttons)


# --- lists ----------------------------------------------------------------------------------


def list_meetings(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.reminders
    meetings = ports.upcoming_meetings()
    if not meetings:
        return Outcome(state, (Reply(texts.no_meetings),))
    lines = [texts.meetings_header] + [
        texts.meeting_line.format(when=format_moment(m.starts_at), place=m.place) for m in meetings
    ]
    return Outcome(state, (Reply("\n".join(lines)),))


def list_agreements(state: State, ports: Ports, content: Content) -> Outcome:
    texts = content.reminders
    agreements = ports.open_agreements()
    if not agreements:
        return Outcome(state, (Reply(texts.no_agreements),))
    lines = [texts.agreements_header] + [
        texts.agreement_line.format(action=a.action, goal=a.goal, day=format_date(a.deadline))
        for a in agreements
    ]
    return Outcome(state, (Reply("\n".join(lines)),))


# --- answers --------------------------------------------------------------------------------


def handle_press(state: State, data: str, ports: Ports, content: Content) -> Outcome:
    """A reminder button, in any state: a check-in under way is left exactly where it was."""
    stale = Outcome(state, (Toast(content.texts.stale_button),))
    if data == SKIP_REASON:
        if not isinstance(state, MeetingReason):
            return stale
        return Outcome(Idle(), (RemoveButtons(), Reply(content.reminders.cannot_come_thanks)))
    parts = data.split("|")
    if len(parts) < 3 or not re.fullmatch(r"[0-9]{1,9}", parts[1]):
        return stale
    kind, number, action = parts[0], int(parts[1]), parts[2]
    if kind == "m":
        meeting = ports.meeting(number)
        if meeting is None or action not in ("coming", "cannot"):
            return stale
        if meeting.starts_at <= ports.now():
            return stale  # an old reminder, pressed after the meeting began
        return _meeting_answer(state, meeting, action, ports, content)
    if kind == "g":
        agreement = ports.agreement(number)
        if agreement is None or action not in ("done", "not_yet", "dropped", "help"):
            return stale
        return _agreement_answer(state, agreement, action, ports, content)
    if (
        kind == "f"
        and len(parts) == 4
        and action in ("0", "1", "2")
        and parts[3] in ("1", "2", "3")
    ):
        if ports.meeting(number) is None:
            return stale
        return _feedback_answer(state, number, int(action), int(parts[3]), ports, content)
    return stale


def _meeting_answer(
    state: State, meeting: MeetingView, action: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.reminders
    now = ports.now()
    if action == "coming":
        return Outcome(
            state,
            (RemoveButtons(), Reply(texts.coming_thanks)),
            (AnswerMeeting(meeting.id, "coming", now),),
        )
    if meeting.answer == "cannot_come":  # already said, and the coordinator already knows
        return Outcome(state, (RemoveButtons(), Reply(texts.cannot_come_noted)))
    effects: tuple[Effect, ...] = (
        AnswerMeeting(meeting.id, "cannot_come", now),
        RaiseAlert("cannot_come", False, {"meeting_id": meeting.id}),
    )
    if isinstance(state, Checkin):
        # Mid-questionnaire: the alert is raised, and the questionnaire stays where it was.
        return Outcome(state, (RemoveButtons(), Reply(texts.cannot_come_noted)), effects)
    skip = Button(content.texts.checkin.skip_label, SKIP_REASON)
    ask = Reply(texts.cannot_come_ask, ((skip,),))
    return Outcome(
        MeetingReason(meeting_id=meeting.id, asked_at=now), (RemoveButtons(), ask), effects
    )


def handle_reason(state: MeetingReason, text: str, content: Content) -> Outcome:
    texts = content.reminders
    words = content.texts.words
    if means(text, words.skip, words.decline):
        return Outcome(Idle(), (Reply(texts.cannot_come_thanks),))
    saved = SaveMeetingReason(state.meeting_id, text)
    return Outcome(Idle(), (Reply(texts.cannot_come_thanks),), (saved,))


def _agreement_answer(
    state: State, agreement: AgreementView, action: str, ports: Ports, content: Content
) -> Outcome:
    texts = content.reminders
    now = ports.now()
    if action == "done":
        return Outcome(
            state,
            (RemoveButtons(), Reply(texts.done_thanks)),
            (SetAgreementStatus(agreement.id, "done", now),),
        )
    if action in ("not_yet", "dropped"):
        thanks = texts.not_yet_thanks if action == "not_yet" else texts.dropped_thanks
        return Outcome(
            state,
            (RemoveButtons(), Reply(thanks)),
            (SetAgreementStatus(agreement.id, action, now),),
        )
    alert = RaiseAlert("agreement_help", False, {"agreement_id": agreement.id})
    return Outcome(state, (RemoveButtons(), Reply(texts.help_thanks)), (alert,))


def _feedback_answer(
    state: State, meeting_id: int, question: int, value: int, ports: Ports, content: Content
) -> Outcome:
    saved = SaveFeedback(meeting_id, question, value, ports.now())
    if question + 1 < len(content.reminders.feedback_questions):
        following = _feedback_question(meeting_id, question + 1, content)
        # A typed "ja" or "nej" answers the next question like its buttons.
        prefix = f"{FEEDBACK}{meeting_id}|{question + 1}"
        asked = yes_no.asked(f"{prefix}|3", f"{prefix}|1", ports.now(), state)
        return Outcome(asked, (RemoveButtons(), following), (saved,))
    return Outcome(state, (RemoveButtons(), Reply(content.reminders.feedback_thanks)), (saved,))
