"""Young people and their invites.

An invite code is a random token shown once (in a deep link or QR code); only its SHA-256 is
stored, with an expiry. A code links exactly one chat, once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import ColumnElement, Table, bindparam, select
from sqlalchemy.orm import Session

from storage.crypto import keyring
from storage.models import PersonStatus, YoungPerson

DEFAULT_INVITE_VALIDITY = timedelta(days=14)
_PEOPLE: Table = YoungPerson.__table__  # type: ignore[assignment]
# Built once: every update asks it first, and building it cost more than running it.
_CHAT_LINK = select(_PEOPLE.c.id, _PEOPLE.c.invite_code_hash).where(
    _PEOPLE.c.telegram_chat_hash.in_(bindparam("hashes", expanding=True))
)


class JoinResult(StrEnum):
    LINKED = "linked"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    CHAT_ALREADY_LINKED = "chat_already_linked"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def create_young_person(
    session: Session,
    *,
    pseudonym: str,
    birth_year: int,
    now: datetime,
    coordinator_id: int | None = None,
) -> YoungPerson:
    person = YoungPerson(
        pseudonym=pseudonym,
        birth_year=birth_year,
        coordinator_id=coordinator_id,
        status=PersonStatus.INVITED,
        created_at=now,
    )
    session.add(person)
    session.flush()
    return person


def issue_invite(
    session: Session,
    person: YoungPerson,
    *,
    now: datetime,
    valid_for: timedelta = DEFAULT_INVITE_VALIDITY,
) -> str:
    """A fresh invite code for `person`; any earlier code stops working.

    Re-issuing is how a coordinator moves a young person to a new phone or Telegram account:
    the old chat is unlinked, and the new code links the new one.
    """
    code = secrets.token_urlsafe(12)  # 16 characters from [A-Za-z0-9_-], fit for a deep link
    person.invite_code_hash = hash_code(code)
    person.invite_expires_at = now + valid_for
    person.invite_used_at = None
    person.telegram_chat_id = None
    session.flush()
    return code


def person_by_chat(session: Session, chat_id: int) -> YoungPerson | None:
    return session.scalars(select(YoungPerson).where(_chat_is(chat_id))).first()


class ChatLink(NamedTuple):
    person_id: int
    invite_code_hash: str | None


def chat_link(session: Session, chat_id: int) -> ChatLink | None:
    """Who a chat belongs to, without loading (and decrypting) the whole young person: each
    update asks this first, and the person is loaded once, after their state row is locked."""
    hashes = keyring().blind_indexes(str(chat_id))
    row = session.execute(_CHAT_LINK, {"hashes": hashes}).first()
    return ChatLink(row.id, row.invite_code_hash) if row is not None else None


def _chat_is(chat_id: int) -> ColumnElement[bool]:
    # Matched on the chat id's keyed hash under every key, so a rotation never unlinks anyone.
    return YoungPerson.telegram_chat_hash.in_(keyring().blind_indexes(str(chat_id)))


def join_with_code(
    session: Session, code: str, *, chat_id: int, now: datetime
) -> tuple[JoinResult, YoungPerson | None]:
    """Link `chat_id` to the young person whose invite `code` is, if it is valid and unused."""
    if chat_link(session, chat_id) is not None:
        return JoinResult.CHAT_ALREADY_LINKED, None
    person = session.scalars(
        select(YoungPerson).where(YoungPerson.invite_code_hash == hash_code(code)).with_for_update()
    ).first()
    if person is None:
        return JoinResult.UNKNOWN, None
    if person.telegram_chat_id == chat_id:
        return JoinResult.LINKED, person  # the same link tapped twice, handled in parallel
    if person.invite_used_at is not None or person.telegram_chat_id is not None:
        return JoinResult.USED, None
    if person.invite_expires_at is None or person.invite_expires_at <= now:
        return JoinResult.EXPIRED, None
    person.telegram_chat_id = chat_id
    person.invite_used_at = now
    session.flush()
    return JoinResult.LINKED, person


DEMO_PSEUDONYM = "Demo"
DEMO_BIRTH_YEAR = 2008


def demo_person(session: Session, *, fresh: bool, now: datetime) -> YoungPerson:
    """The local chat's young person, already past the invite. `fresh` ends the old one."""
    current = session.scalars(
        select(YoungPerson)
        .where(
            YoungPerson.pseudonym == DEMO_PSEUDONYM,
            YoungPerson.telegram_chat_id.is_(None),
            YoungPerson.status != PersonStatus.ENDED,
        )
        .order_by(YoungPerson.id.desc())
    ).first()
    if current is not None and not fresh:
        return current
    if current is not None:
        current.status = PersonStatus.ENDED
    person = create_young_person(
        session, pseudonym=DEMO_PSEUDONYM, birth_year=DEMO_BIRTH_YEAR, now=now
    )
    person.invite_used_at = now
    return person


# --- status: every change of a young person's status is one of these ------------------------


def mark_unreachable(person: YoungPerson) -> bool:
    """The bot is blocked in the young person's chat. A pause or an end stays as it is. True
    when the status changed (the coordinator is then told)."""
    if person.status not in (PersonStatus.ACTIVE, PersonStatus.INVITED):
        return False
    person.status = PersonStatus.UNREACHABLE
    return True


def mark_reachable(person: YoungPerson) -> None:
    """The young person unblocked the bot: back to taking part, or to invited before consent."""
    if person.status == PersonStatus.UNREACHABLE:
        accepted = person.information_version is not None
        person.status = PersonStatus.ACTIVE if accepted else PersonStatus.INVITED


def set_paused(person: YoungPerson, *, paused: bool) -> None:
    """/pause and /start_igen: only someone taking part can pause, only a pause can end."""
    if paused and person.status == PersonStatus.ACTIVE:
        person.status = PersonStatus.PAUSED
    elif not paused and person.status == PersonStatus.PAUSED:
        person.status = PersonStatus.ACTIVE


def accept_information(person: YoungPerson, *, version: int, at: datetime) -> None:
    person.information_version = version
    person.information_accepted_at = at
    if person.status == PersonStatus.INVITED:
        person.status = PersonStatus.ACTIVE


def decline_information(person: YoungPerson) -> None:
    """No consent to the current text: nothing more is stored or sent until a new yes."""
    person.information_version = None
    person.information_accepted_at = None
    if person.status in (PersonStatus.ACTIVE, PersonStatus.PAUSED):
        person.status = PersonStatus.INVITED


def end_for_erasure(person: YoungPerson) -> None:
    """/slet as a request: no more reminders until the coordinator completes the erasure."""
    person.status = PersonStatus.ENDED


def withdraw_erasure(person: YoungPerson) -> bool:
    """The young person takes /slet back before the coordinator carried it out: taking part
    again (a pause before the request is not known, so reminders start again, and the bot says
    so). True when the status changed."""
    if person.status != PersonStatus.ENDED or person.end_outcome is not None:
        return False  # not requested, or the coordinator has ended the course meanwhile
    person.status = PersonStatus.ACTIVE
    return True
