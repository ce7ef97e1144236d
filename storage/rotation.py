"""Re-encrypt every stored token with the first key, and re-hash the chat ids under it.

Run after putting a new key first (`ungeguide keys rotate`); afterwards the older keys can go.
The columns are found by their types, so a new encrypted column is included without a change.
"""

from __future__ import annotations

from sqlalchemy import Text, literal, select, type_coerce, update
from sqlalchemy.orm import Session

from storage.crypto import ENCRYPTED_TYPES, Keyring
from storage.models import Base, YoungPerson


def rotate_all(session: Session, ring: Keyring) -> dict[str, int]:
    """Per table, how many rows were re-encrypted. All in the caller's transaction."""
    counts: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        encrypted = [c for c in table.columns if isinstance(c.type, ENCRYPTED_TYPES)]
        if not encrypted:
            continue
        [key] = table.primary_key.columns
        raw = [type_coerce(c, Text).label(c.name) for c in encrypted]  # the tokens, not decrypted
        done = 0
        for row in session.execute(select(key, *raw)).mappings():
            tokens = {c.name: row[c.name] for c in encrypted if row[c.name] is not None}
            if not tokens:
                continue
            values = {name: literal(ring.rotate(token), Text) for name, token in tokens.items()}
            if table.name == YoungPerson.__tablename__ and "telegram_chat_id" in tokens:
                chat_id = ring.decrypt(tokens["telegram_chat_id"])
                values["telegram_chat_hash"] = literal(ring.blind_index(chat_id), Text)
            session.execute(update(table).where(key == row[key.name]).values(values))
            done += 1
        counts[table.name] = done
    return counts
