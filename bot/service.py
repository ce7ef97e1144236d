"""The conversation service: the I/O shell around the pure engine.

For each event it loads the young person's state, runs the engine, applies the effects and saves
the new state, all in one transaction. The state row is locked while an event is processed
and carries a version, so two events for the same young person that race each other cannot both
win: the second waits, or is retried on fresh state.
Only after the commit are the messages handed back to the channel, so an acknowledged answer is
always stored.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from bot import engine
from bot.engine import (
    AcceptInformation,
    AddTopic,
    AgreementView,
    AnswerMeeting,
    Command,
    CompleteResponse,
    DeclineInformation,
    DropHeldAlerts,
    Effect,
    EraseMe,
    Event,
    IdeaDraft,
    Idle,
    MeetingView,
    Message,
    PastResult,
    PostponeCheckin,
    RaiseAlert,
    ReleaseHeldAlerts,
    Reply,
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
    Text,
    WorkshopView,
    dump_state,
    load_state,
)
from bot.errors import UnknownPerson
from bot.nlu import Understander, Understanding
from bot.nlu.build import default_understander
from bot.recent_ideas import RecentIdeas
from core.clock import Clock, utc_now
from core.content import Content
from core.content.models import JoinTexts
from core.text import clean
from domain import people, workshops
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import (
    drop_held,
    merged_details,
    raise_alert,
    release_held,
    take_held,
)
from domain.alerts.staff_hours import StaffHours
from domain.checkins import open_invitation, postpone_checkin
from domain.meetings import add_agenda_line, add_topic, next_meeting
from domain.people import JoinResult, hash_code, join_with_code, person_by_chat
from domain.reminder_timing import DEFAULT_RULES, ReminderRules, out_of_quiet_hours
from storage import (
    Answer,
    ConversationStateRow,
    Database,
    PersonStatus,
    ProcessedUpdate,
    QuestionnaireResponse,
    ResponseStatus,
    YoungPerson,
)
from storage.crypto import CryptoError, keyring
from storage.erasure import erase_person, export_person
from storage.models import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingFeedback,
    MeetingStatus,
    Reminder,
    ReminderStatus,
    StaffRole,
    StaffUser,
    Workshop,
)

logger = logging.getLogger(__name__)

# A text (as the engine cleans it) and what it means, parsed before the transaction.
Understood = dict[str, Understanding]
# How many earlier check-ins the young person's chart shows.
HISTORY_SHOWN = 12


def new_response_id() -> str:
    return uuid.uuid4().hex


OUTAGE_WAIT = 60.0  # seconds an event waits for an unreachable database before giving up


def _backoff() -> Iterator[float]:
    """Pauses between attempts: short at first, then every 5 seconds."""
    pause = 0.05
    while True:
        yield pause
        pause = min(pause * 2, 5.0)


class ConversationService:
    def __init__(
        self,
        database: Database,
        content: Content,
        *,
        clock: Clock = utc_now,
        new_id: Callable[[], str] = new_response_id,
        attempts: int = 3,
        outage_wait: float = OUTAGE_WAIT,
        understander: Understander | None = None,
        rules: ReminderRules = DEFAULT_RULES,
        erasure_mode: str = "request",
        staff_hours: StaffHours | None = None,
    ) -> None:
        self.database = database
        self.content = content
        self.clock = clock
        self.new_id = new_id
        self.attempts = attempts
        self.outage_wait = outage_wait
        self.understander = understander or default_understander()
        self.rules = rules
        self.erasure_mode = erasure_mode
        self.staff_hours = staff_hours or StaffHours()
        self.recent_ideas = RecentIdeas()

    def handle(self, person_id: int, event: Event) -> tuple[Message, ...]:
        """Process one event for a young person and return what to send back."""
        understood = self._understand(event)
        return self._retrying(lambda session: self._handle(session, person_id, event, understood))

    def handle_chat(
        self, chat_id: int, event: Event, *, update_id: int | None = None
    ) -> tuple[Message, ...]:
        """Entry for chat channels: join with `/start <code>`, else route to the linked person.

        With an `update_id`, an update that was already handled is skipped (empty answer); the
        id is stored in the same transaction as everything the update changed.
        """
        understood = self._understand(event)
        return self._retrying(
            lambda session: self._handle_chat(session, chat_id, event, update_id, understood)
        )

    def set_reachable(self, chat_id: int, *, reachable: bool) -> bool:
        """Record that the bot was blocked (or unblocked) in a chat. False if no one is linked."""
        with self.database.session() as session:
            person = person_by_chat(session, chat_id)
            if person is None:
                return False
            if reachable:
                people.mark_reachable(person)
            else:
                people.mark_unreachable(person)
            logger.info("person %s reachable=%s", person.id, reachable)
            return True

    def _retrying(self, work: Callable[[Session], tuple[Message, ...]]) -> tuple[Message, ...]:
        """Run one event's transaction. A lost race is redone at once (a few times); while the
        database cannot be reached (a restart, a failover) the event waits with growing pauses,
        up to `outage_wait` seconds, so nothing the young person sent is dropped."""
        raced = 0
        waited = 0.0
        for pause in _backoff():
            try:
                with self.database.session() as session:
                    return work(session)
            except (StaleDataError, IntegrityError):
                # Another event won the race: redo the whole event on fresh state.
                raced += 1
                if raced >= self.attempts:
                    raise
                logger.info("conversation state changed concurrently; retrying")
            except OperationalError:
                # The database was busy, chose us as a deadlock victim, or is gone for a moment.
                if waited >= self.outage_wait:
                    raise
                logger.warning("the database is not answering; trying again in %.1f s", pause)
                time.sleep(pause)
                waited += pause
        raise AssertionError("unreachable")  # pragma: no cover

    def _understand(self, event: Event) -> Understood:
        """Parse a text before the transaction: a Rasa call then holds no lock, and a retried
        transaction does not parse again."""
        if not isinstance(event, Text):
            return {}
        cleaned = clean(event.text)
        if not cleaned or len(cleaned) > engine.MAX_TEXT_LENGTH:
            return {}
        return {cleaned: self.understander.understand(cleaned)}

    def _handle_chat(
        self,
        session: Session,
        chat_id: int,
        event: Event,
        update_id: int | None,
        understood: Understood,
    ) -> tuple[Message, ...]:
        if update_id is not None:
            if session.get(ProcessedUpdate, update_id) is not None:
                logger.info("update %s was already handled; skipped", update_id)
                return ()
            session.add(ProcessedUpdate(update_id=update_id, processed_at=self.clock()))
        join = self.content.texts.join
        code = event.argument if isinstance(event, Command) and event.name == "start" else ""
        person = person_by_chat(session, chat_id)
        if person is not None:
            if code and hash_code(code) != person.invite_code_hash:
                return (Reply(join.already_linked),)
            return self._handle(session, person.id, Command("start") if code else event, understood)
        if not code:
            return (Reply(join.not_linked),)
        result, joined = join_with_code(session, code, chat_id=chat_id, now=self.clock())
        if joined is None:
            return (Reply(_join_answer(join, result)),)
        logger.info("a chat joined (person %s)", joined.id)
        return self._handle(session, joined.id, Command("start"), understood)

    def _handle(
        self, session: Session, person_id: int, event: Event, understood: Understood
    ) -> tuple[Message, ...]:
        # Lock the state row first: events for one young person are processed one after the
        # other, and everything read below is what the previous event committed.
        row = session.get(ConversationStateRow, person_id, with_for_update=True)
        person = session.get(YoungPerson, person_id, populate_existing=True)
        if person is None:
            raise UnknownPerson(person_id)
        state = load_state(row.data) if row is not None else Idle()
        ports = _SessionPorts(session, person, self, understood)
        outcome = engine.handle(state, event, ports, self.content)
        if any(isinstance(effect, EraseMe) for effect in outcome.effects):
            # Everything about the person goes, the state row too: nothing more to save.
            erase_person(session, person_id, reason="request", now=self.clock())
            logger.info("erased person %s at their request", person_id)
            return outcome.messages
        for effect in outcome.effects:
            _apply(session, person, effect, self.clock(), self.rules)
            if isinstance(effect, SaveIdea):
                self.recent_ideas.record(person_id, self.clock())
        if outcome.state != state or row is None:
            if row is None:
                row = ConversationStateRow(young_person_id=person_id)
                session.add(row)
            row.flow = outcome.state.flow
            row.step = outcome.state.step
            row.data = dump_state(outcome.state)
            row.updated_at = self.clock()
        session.flush()
        if isinstance(state, IdeaDraft) or isinstance(outcome.state, IdeaDraft):
            # Who was writing an idea, and when, is not logged: the time could be matched
            # with the idea's arrival on the workshop's board.
            logger.info("handled %s in the idea flow", type(event).__name__)
            return outcome.messages
        logger.info(
            "handled %s for person %s: %d effects, state %s",
            type(event).__name__,
            person_id,
            len(outcome.effects),
            outcome.state.flow,
        )
        return outcome.messages


class _SessionPorts:
    """The engine's Ports, answered from the open session."""

    def meeting(self, meeting_id: int) -> MeetingView | None:
        meeting = _owned(self._session, Meeting, meeting_id, self._person)
        if meeting is None or meeting.status != MeetingStatus.PLANNED:
            return None
        return meeting_view(meeting)

    def agreement(self, agreement_id: int) -> AgreementView | None:
        agreement = _owned(self._session, Agreement, agreement_id, self._person)
        if agreement is None or agreement.status == AgreementStatus.CANCELLED:
            return None
        return agreement_view(agreement)

    def upcoming_meetings(self) -> list[MeetingView]:
        meetings = self._session.scalars(
            select(Meeting)
            .where(
                Meeting.young_person_id == self._person.id,
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at > self._clock(),
            )
            .order_by(Meeting.starts_at)
            .limit(10)
        )
        return [meeting_view(meeting) for meeting in meetings]

    def open_agreements(self) -> list[AgreementView]:
        agreements = self._session.scalars(
            select(Agreement)
            .where(
                Agreement.young_person_id == self._person.id,
                Agreement.status.in_([AgreementStatus.OPEN, AgreementStatus.NOT_YET]),
            )
            .order_by(Agreement.deadline)
            .limit(10)
        )
        return [agreement_view(agreement) for agreement in agreements]

    def __init__(
        self,
        session: Session,
        person: YoungPerson,
        service: ConversationService,
        understood: Understood,
    ) -> None:
        self._session = session
        self._person = person
        self._clock = service.clock
        self._new_id = service.new_id
        self._understander = service.understander
        self._rules = service.rules
        self._erasure_mode = service.erasure_mode
        self._staff_hours = service.staff_hours
        self._understood = understood
        self._recent_ideas = service.recent_ideas

    def understand(self, text: str) -> Understanding:
        known = self._understood.get(text)
        return known if known is not None else self._understander.understand(text)

    def next_allowed(self, moment: datetime) -> datetime:
        return out_of_quiet_hours(moment, self._rules)

    def paused(self) -> bool:
        return self._person.status == PersonStatus.PAUSED

    def erasure_mode(self) -> str:
        return self._erasure_mode

    def my_data(self) -> dict[str, list[dict[str, Any]]]:
        return export_person(self._session, self._person.id)

    def open_invitation(self) -> str | None:
        return open_invitation(self._session, self._person.id, now=self._clock())

    def open_workshops(self) -> list[WorkshopView]:
        return [
            WorkshopView(w.id, w.title, w.question, tuple(w.themes))
            for w in workshops.open_workshops(self._session, self._clock())
            if w.themes
        ]

    def idea_problem(self, text: str) -> str | None:
        problem = workshops.idea_problem(text)
        return None if problem is None else problem.value

    def seal(self, text: str) -> str:
        return keyring().encrypt(text)

    def staff_away_until(self) -> datetime | None:
        return self._staff_hours.away_until(self._clock())

    def administrators(self) -> list[str]:
        names = self._session.scalars(
            select(StaffUser.display_name)
            .where(StaffUser.role == StaffRole.ADMIN)
            .order_by(StaffUser.display_name)
        )
        return list(names)

    def recent_ideas(self) -> list[datetime]:
        return self._recent_ideas.of(self._person.id, self._clock())

    def now(self) -> datetime:
        return self._clock()

    def new_id(self) -> str:
        return self._new_id()

    def accepted_information_version(self) -> int | None:
        return self._person.information_version

    def past_results(self, questionnaire_id: str) -> list[PastResult]:
        responses = self._session.scalars(
            select(QuestionnaireResponse)
            .where(
                QuestionnaireResponse.young_person_id == self._person.id,
                QuestionnaireResponse.questionnaire_id == questionnaire_id,
                QuestionnaireResponse.status == ResponseStatus.COMPLETED,
            )
            .order_by(QuestionnaireResponse.completed_at.desc())
            .limit(HISTORY_SHOWN)
            .options(selectinload(QuestionnaireResponse.answers))
        ).all()
        return [
            PastResult(
                completed_at=response.completed_at,
                score=response.score,
                answers={answer.item_id: answer.value for answer in response.answers},
            )
            for response in reversed(responses)
            if response.completed_at is not None
        ]


Owned = TypeVar("Owned", Meeting, Agreement)


def _owned(session: Session, model: type[Owned], row_id: int, person: YoungPerson) -> Owned | None:
    """The row, if it exists and belongs to this young person (ids in buttons can be forged)."""
    row = session.get(model, row_id)
    return row if row is not None and row.young_person_id == person.id else None


def meeting_view(meeting: Meeting) -> MeetingView:
    return MeetingView(meeting.id, meeting.kind, meeting.starts_at, meeting.place, meeting.answer)


def agreement_view(agreement: Agreement) -> AgreementView:
    return AgreementView(agreement.id, agreement.goal, agreement.action, agreement.deadline)


def _apply(
    session: Session, person: YoungPerson, effect: Effect, now: datetime, rules: ReminderRules
) -> None:
    match effect:
        case RequestErasure(at=at):
            people.end_for_erasure(person)
            raise_alert(session, person.id, AlertKind.DELETE_REQUEST, now=at)
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
            _response(session, person, effect.response_id)
            answer = session.scalars(
                select(Answer).where(
                    Answer.response_id == effect.response_id, Answer.item_id == effect.item_id
                )
            ).first()
            if answer is None:
                session.add(
                    Answer(
                        response_id=effect.response_id,
                        item_id=effect.item_id,
                        value=effect.value,
                        answered_at=effect.at,
                    )
                )
            else:
                answer.value = effect.value
                answer.answered_at = effect.at
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
                    Reminder.subject == f"checkin:{response.questionnaire_id}",
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
            if meeting := _owned(session, Meeting, effect.meeting_id, person):
                meeting.answer = effect.answer
                meeting.answered_at = effect.at
        case SaveMeetingReason():
            if meeting := _owned(session, Meeting, effect.meeting_id, person):
                meeting.answer_reason = effect.text
        case SetAgreementStatus():
            if agreement := _owned(session, Agreement, effect.agreement_id, person):
                agreement.status = effect.status
                agreement.done_at = effect.at if effect.status == AgreementStatus.DONE else None
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
    """Store the idea with no link to the person; the person becomes one of the workshop's
    followers, kept apart from it. Nothing here is logged with the person or the text."""
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
    workshops.add_idea(
        session, workshop, theme=effect.theme, text=text, now=now, follower=person.id
    )


def _response(session: Session, person: YoungPerson, response_id: str) -> QuestionnaireResponse:
    response = session.get(QuestionnaireResponse, response_id)
    if response is None or response.young_person_id != person.id:
        raise LookupError(f"response {response_id} does not belong to person {person.id}")
    return response


def _join_answer(join: JoinTexts, result: JoinResult) -> str:
    return {
        JoinResult.UNKNOWN: join.unknown,
        JoinResult.EXPIRED: join.expired,
        JoinResult.USED: join.used,
        JoinResult.CHAT_ALREADY_LINKED: join.already_linked,
    }.get(result, join.unknown)
