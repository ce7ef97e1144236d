"""Applying the engine's effects (writes) inside the event's transaction, through the domain."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache

from sqlalchemy import Executable, Table, bindparam, select, update
from sqlalchemy.orm import Session

from bot.engine import (
    AcceptInformation,
    AddTopic,
    AnswerMeeting,
    CompleteResponse,
    DeclineInformation,
    DropHeldAlerts,
    Effect,
    PostponeCheckin,
    RaiseAlert,
    ReleaseHeldAlerts,
    RequestErasure,
    SaveAnswer,
    SaveFeedback,
    SaveIdea,
    SaveMeetingReason,
    SaveTalkNextTime,
    SetAgreementStatus,
    SetPaused,
    StartResponse,
    StopResponse,
    WithdrawErasure,
)
from bot.service.ports import owned
from domain import agreements, idea_pool, people, workshops
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import (
    drop_held,
    merged_details,
    raise_alert,
    release_held,
    take_held,
)
from domain.checkins import postpone_checkin
from domain.meetings import add_agenda_line, add_topic, next_meeting
from domain.outbox import Subject
from domain.reminder_timing import ReminderRules
from storage import (
    Answer,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from storage.crypto import keyring
from storage.errors import CryptoError
from storage.models import (
    Agreement,
    Meeting,
    MeetingFeedback,
    Reminder,
    ReminderStatus,
    Workshop,
)
from storage.upsert import dialect_of, insert_for

logger = logging.getLogger(__name__)


def apply_effect(
    session: Session, person: YoungPerson, effect: Effect, now: datetime, rules: ReminderRules
) -> None:
    match effect:
        case RequestErasure(at=at):
            people.end_for_erasure(person)
            raise_alert(session, person.id, AlertKind.DELETE_REQUEST, now=at)
        case WithdrawErasure(at=at):
            if people.withdraw_erasure(person):
                raise_alert(session, person.id, AlertKind.DELETE_WITHDRAWN, now=at)
        case SetPaused(paused=paused):
            people.set_paused(person, paused=paused)
        case PostponeCheckin(questionnaire_id=questionnaire_id, until=until):
            postpone_checkin(session, person.id, questionnaire_id, until, now=now, rules=rules)
        case AcceptInformation(version=version, at=at):
            people.accept_information(person, version=version, at=at)
        case DeclineInformation(at=at):
            people.decline_information(person)
            raise_alert(session, person.id, AlertKind.INFORMATION_DECLINED, now=at)
        case StartResponse():
            session.add(
                QuestionnaireResponse(
                    id=effect.response_id,
                    young_person_id=person.id,
                    questionnaire_id=effect.questionnaire_id,
                    questionnaire_version=effect.questionnaire_version,
                    status=ResponseStatus.IN_PROGRESS,
                    started_at=effect.at,
                )
            )
        case SaveAnswer():
            session.flush()  # plain statements do not autoflush: a response started just now
            _own_response(session, person, effect.response_id)
            answer = {"value": effect.value, "answered_at": effect.at}
            session.execute(
                _answer_upsert(dialect_of(session)),
                {"response_id": effect.response_id, "item_id": effect.item_id, **answer},
            )
        case CompleteResponse():
            response = _response(session, person, effect.response_id)
            response.status = ResponseStatus.COMPLETED
            response.completed_at = effect.at
            response.score = effect.score
            # This cycle's invitation and nudge are no longer needed.
            session.execute(
                update(Reminder)
                .where(
                    Reminder.young_person_id == person.id,
                    Reminder.subject == str(Subject.checkin(response.questionnaire_id)),
                    Reminder.status == ReminderStatus.PENDING,
                )
                .values(status=ReminderStatus.CANCELLED, last_error="check-in completed")
            )
        case StopResponse():
            _response(session, person, effect.response_id).status = ResponseStatus.STOPPED
        case SaveTalkNextTime():
            response = _response(session, person, effect.response_id)
            response.talk_next_time = effect.text
            meeting = next_meeting(session, person.id, now=now)
            if meeting is not None:
                add_topic(meeting, response)
        case AnswerMeeting():
            if meeting := owned(session, Meeting, effect.meeting_id, person):
                meeting.answer = effect.answer
                meeting.answered_at = effect.at
        case SaveMeetingReason():
            if meeting := owned(session, Meeting, effect.meeting_id, person):
                meeting.answer_reason = effect.text
        case SetAgreementStatus():
            if agreement := owned(session, Agreement, effect.agreement_id, person):
                agreements.answer_from_young_person(
                    session, agreement.id, effect.status, now=effect.at
                )
        case SaveFeedback():
            feedback = session.get(MeetingFeedback, effect.meeting_id)
            if feedback is None:
                feedback = MeetingFeedback(meeting_id=effect.meeting_id, answered_at=effect.at)
                session.add(feedback)
            field = ("heard", "part_of_decisions", "knows_next")[effect.question]
            setattr(feedback, field, effect.value)
            feedback.answered_at = effect.at
        case RaiseAlert():
            details = effect.details
            if effect.replaces_held is not None:
                earlier = take_held(session, person.id, effect.replaces_held)
                details = merged_details(earlier, details)
            raise_alert(
                session,
                person.id,
                effect.kind,
                now=now,
                urgent=effect.urgent,
                details=details,
                hold_until=effect.hold_until,
            )
        case DropHeldAlerts(kind=kind):
            drop_held(session, person.id, kind)
        case ReleaseHeldAlerts(kind=kind):
            release_held(session, person.id, kind, now=now)
        case AddTopic(text=text):
            meeting = next_meeting(session, person.id, now=now)
            if meeting is not None:
                add_agenda_line(meeting, text)
            else:
                raise_alert(
                    session, person.id, AlertKind.TALK_TOPIC, now=now, details={"text": text}
                )
        case SaveIdea():
            _save_idea(session, person, effect, now)


def _save_idea(session: Session, person: YoungPerson, effect: SaveIdea, now: datetime) -> None:
    """Put the idea in the pool (domain.idea_pool): this transaction is the young person's, so
    it must not write the idea itself, which the mixer moves onto the board in a transaction
    of its own. The person becomes one of the workshop's followers: who sent ideas, never
    which. Nothing here is logged with the person or the text."""
    workshop = session.get(Workshop, effect.workshop_id)
    if workshops.state(workshop, now) != workshops.CodeState.OPEN or workshop is None:
        logger.info("an idea came in after its workshop closed; not stored")
        return
    try:
        text = keyring().decrypt(effect.sealed_text)
    except CryptoError:
        logger.warning("a sealed idea could not be read (keys changed?); not stored")
        return
    if workshops.idea_problem(text) is not None:
        return
    idea_pool.pool_idea(session, workshop, theme=effect.theme, text=text, now=now)
    workshops.add_follower(session, workshop, person.id)


# Built once (per dialect): each answer runs them, and building them cost more than running them.
_ANSWERS: Table = Answer.__table__  # type: ignore[assignment]
_RESPONSES: Table = QuestionnaireResponse.__table__  # type: ignore[assignment]
_RESPONSE_OWNER = select(_RESPONSES.c.young_person_id).where(
    _RESPONSES.c.id == bindparam("response_id")
)


@cache
def _answer_upsert(dialect: str) -> Executable:
    """One statement: an item answered again (a changed answer) keeps its row."""
    insert = insert_for(dialect, _ANSWERS)
    return insert.on_conflict_do_update(
        index_elements=[_ANSWERS.c.response_id, _ANSWERS.c.item_id],
        set_={"value": insert.excluded.value, "answered_at": insert.excluded.answered_at},
    )


def _own_response(session: Session, person: YoungPerson, response_id: str) -> None:
    owner = session.execute(_RESPONSE_OWNER, {"response_id": response_id}).scalar()
    if owner is None or owner != person.id:
        raise LookupError(f"response {response_id} does not belong to person {person.id}")


def _response(session: Session, person: YoungPerson, response_id: str) -> QuestionnaireResponse:
    response = session.get(QuestionnaireResponse, response_id)
    if response is None or response.young_person_id != person.id:
        raise LookupError(f"response {response_id} does not belong to person {person.id}")
    return response
