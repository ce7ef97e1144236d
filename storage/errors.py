"""Errors of the storage package.

StorageError
 ├── SchemaOutOfDate   the database's schema is not the one this code expects
 ├── CryptoError       no usable key, or data that no configured key can read
 └── BackupError       a backup or restore could not be made (the message says why)
"""

from __future__ import annotations

UPGRADE_COMMAND = "ungeguide db upgrade"


class StorageError(Exception):
    """Base class for errors of the storage package."""


class SchemaOutOfDate(StorageError):
    """The database's schema is not the one this code expects."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        at = current or "empty"
        super().__init__(
            f"The database schema is out of date (it is at {at}, this version needs {head}). "
            f"Run: {UPGRADE_COMMAND}"
        )


class CryptoError(StorageError):
    """No usable key, or data that no configured key can read."""


class BackupError(StorageError):
    """A backup or restore could not be made; the message says why (and never has a password)."""
