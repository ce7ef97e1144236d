"""Young people and their invites.

An invite code is a random token shown once (in a deep link or QR code); only its SHA-256 is
stored, with an expiry. A code links exactly one chat, once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import keyring
from storage.models import PersonStatus, YoungPerson

DEFAULT_INVITE_VALIDITY = timedelta(days=14)


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
    # Matched on the chat id's keyed hash under every key, so a rotation never unlinks anyone.
    hashes = keyring().blind_indexes(str(chat_id))
    return session.scalars(
        select(YoungPerson).where(YoungPerson.telegram_chat_hash.in_(hashes))
    ).first()


def join_with_code(
    session: Session, code: str, *, chat_id: int, now: datetime
) -> tuple[JoinResult, YoungPerson | None]:
    """Link `chat_id` to the young person whose invite `code` is, if it is valid and unused."""
    if person_by_chat(session, chat_id) is not None:
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
