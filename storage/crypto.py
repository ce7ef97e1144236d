"""Encryption at rest for what a young person writes, and for their Telegram chat id.

Fernet (AES-128-CBC + HMAC-SHA256) from the `cryptography` package, through MultiFernet so
several keys can be active: the first encrypts, all decrypt, and `ungeguide keys rotate`
re-encrypts with the first. A chat id is also stored as a keyed hash (a blind index), so the
bot can find a young person by chat without decrypting every row.

The keyring is process-wide: column types cannot be handed one per engine. The app sets it at
start (`use_keyring`) from UNGEGUIDE_KEYS or the key file in the data folder.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from storage.errors import CryptoError
from storage.files import PRIVATE, tighten

KEY_FILE = "secret.keys"


class Keyring:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise CryptoError("no encryption key configured")
        try:
            self._fernets = [Fernet(key.encode()) for key in keys]
        except ValueError:
            raise CryptoError("an encryption key is not a valid Fernet key") from None
        self._multi = MultiFernet(self._fernets)
        self._index_keys = [_index_key(key) for key in keys]
        self.keys = tuple(keys)

    def encrypt(self, text: str) -> str:
        return self._multi.encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._multi.decrypt(token.encode()).decode()
        except InvalidToken:
            raise CryptoError("stored data cannot be read with the configured keys") from None

    def rotate(self, token: str) -> str:
        """The same plaintext, encrypted with the first key."""
        try:
            return self._multi.rotate(token.encode()).decode()
        except InvalidToken:
            raise CryptoError("stored data cannot be read with the configured keys") from None

    def blind_index(self, value: str) -> str:
        """The keyed hash under the first key (what new rows store)."""
        return _hash(self._index_keys[0], value)

    def blind_indexes(self, value: str) -> list[str]:
        """The hashes under every key, so lookups work before and after a rotation."""
        return [_hash(key, value) for key in self._index_keys]


def _index_key(key: str) -> bytes:
    return hashlib.sha256(b"ungeguide blind index\0" + key.encode()).digest()


def _hash(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


_active: Keyring | None = None


def use_keyring(keyring: Keyring) -> None:
    global _active
    _active = keyring


def keyring() -> Keyring:
    if _active is None:
        raise CryptoError("no encryption key configured (the app sets one at start)")
    return _active


def new_key() -> str:
    return Fernet.generate_key().decode()


def load_keys(configured: str | None, data_dir: Path) -> tuple[list[str], Path | None]:
    """Keys from UNGEGUIDE_KEYS (comma-separated, newest first), else from the key file in the
    data folder, created with one new key when missing (a key file others can read is made
    private). Returns the keys and the file it created, if any."""
    if configured:
        return [part.strip() for part in configured.split(",") if part.strip()], None
    path = data_dir / KEY_FILE
    if path.exists():
        tighten(path)
        return read_key_file(path), None
    write_key_file(path, [new_key()])
    return read_key_file(path), path


def read_key_file(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Write the keys readable by the owner only, replacing the file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    # A new file (O_EXCL): an old temporary file would keep whatever mode it had.
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(descriptor, "w") as file:
        file.write("\n".join(keys) + "\n")
    temporary.replace(path)


# --- column types ---------------------------------------------------------------------------


class EncryptedText(TypeDecorator[str]):
    """Free text, stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring().decrypt(value)


class EncryptedInteger(TypeDecorator[int]):
    """A number such as a chat id, stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: int | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring().encrypt(str(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> int | None:
        return None if value is None else int(keyring().decrypt(value))


class EncryptedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON object (alert details may hold the young person's words), stored as a token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring().encrypt(json.dumps(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        loaded: dict[str, Any] = json.loads(keyring().decrypt(value))
        return loaded


ENCRYPTED_TYPES = (EncryptedText, EncryptedInteger, EncryptedJSON)
