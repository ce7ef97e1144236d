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
from functools import cache

from sqlalchemy import Executable, Table, bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot import engine
from bot.engine import (
    Command,
    EraseMe,
    Event,
    IdeaDraft,
    Idle,
    Message,
    Reply,
    SaveIdea,
    Text,
    load_state,
)
from bot.errors import UnknownPerson
from bot.nlu import Understands
from bot.nlu.build import default_understander
from bot.recent_ideas import RecentIdeas
from bot.service.effects import apply_effect
from bot.service.ports import SessionPorts, Understood
from bot.service.state_rows import StateChanged, lock_state, save_state
from core.clock import Clock, utc_now
from core.content import Content
from core.content.models import JoinTexts
from core.text import clean
from domain import people
from domain.alerts.staff_hours import StaffHours
from domain.people import JoinResult, chat_link, hash_code, join_with_code, person_by_chat
from domain.reminder_timing import DEFAULT_RULES, ReminderRules
from storage import Database, ProcessedUpdate, YoungPerson
from storage.erasure import erase_person
from storage.upsert import dialect_of, insert_for

logger = logging.getLogger(__name__)


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
        understander: Understands | None = None,
        rules: ReminderRules = DEFAULT_RULES,
        erasure_mode: str = "request",
        staff_hours: StaffHours | None = None,
    ) -> None:
        engine.check_routes(content)  # a command in dialogues/ without a handler fails at start
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
            except (StateChanged, StaleDataError, IntegrityError):
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
        if update_id is not None and not self._claim_update(session, update_id):
            logger.info("update %s was already handled; skipped", update_id)
            return ()
        join = self.content.texts.join
        code = event.argument if isinstance(event, Command) and event.name == "start" else ""
        linked = chat_link(session, chat_id)
        if linked is not None:
            if code and hash_code(code) != linked.invite_code_hash:
                return (Reply(join.already_linked),)
            start = Command("start") if code else event
            return self._handle(session, linked.person_id, start, understood)
        if not code:
            return (Reply(join.not_linked),)
        result, joined = join_with_code(session, code, chat_id=chat_id, now=self.clock())
        if joined is None:
            return (Reply(_join_answer(join, result)),)
        logger.info("a chat joined (person %s)", joined.id)
        return self._handle(session, joined.id, Command("start"), understood)

    def _claim_update(self, session: Session, update_id: int) -> bool:
        """Note the update as handled, in this transaction; False if it already was. One
        statement: a parallel copy of the update waits for ours and then finds it."""
        claim = _claim_statement(dialect_of(session))
        return (
            session.execute(claim, {"update_id": update_id, "processed_at": self.clock()}).first()
            is not None
        )

    def _handle(
        self, session: Session, person_id: int, event: Event, understood: Understood
    ) -> tuple[Message, ...]:
        # Lock the state row first: events for one young person are processed one after the
        # other, and everything read below is what the previous event committed.
        stored = lock_state(session, person_id)
        person = session.execute(_PERSON, {"id": person_id}).scalar_one_or_none()
        if person is None:
            raise UnknownPerson(person_id)
        state = load_state(stored.data) if stored is not None else Idle()
        ports = SessionPorts(session, person, self, understood)
        outcome = engine.handle(state, event, ports, self.content)
        if any(isinstance(effect, EraseMe) for effect in outcome.effects):
            # Everything about the person goes, the state row too: nothing more to save.
            erase_person(session, person_id, reason="request", now=self.clock())
            logger.info("erased person %s at their request", person_id)
            return outcome.messages
        for effect in outcome.effects:
            apply_effect(session, person, effect, self.clock(), self.rules)
            if isinstance(effect, SaveIdea):
                self.recent_ideas.record(person_id, self.clock())
        if outcome.state != state or stored is None:
            save_state(session, person_id, outcome.state, read=stored, now=self.clock())
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


# Read after the state row is locked, so always from the database (populate_existing), never
# from what this session may hold. Built once, as the statements in state_rows.py.
_PERSON = (
    select(YoungPerson)
    .where(YoungPerson.id == bindparam("id"))
    .execution_options(populate_existing=True)
)


@cache
def _claim_statement(dialect: str) -> Executable:
    # Built once per dialect: building it cost more than running it.
    table: Table = ProcessedUpdate.__table__  # type: ignore[assignment]
    return insert_for(dialect, table).on_conflict_do_nothing().returning(table.c.update_id)


def _join_answer(join: JoinTexts, result: JoinResult) -> str:
    return {
        JoinResult.UNKNOWN: join.unknown,
        JoinResult.EXPIRED: join.expired,
        JoinResult.USED: join.used,
        JoinResult.CHAT_ALREADY_LINKED: join.already_linked,
    }.get(result, join.unknown)
