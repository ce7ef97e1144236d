"""Errors of the composition root and its commands.

UngeguideError
 ├── SettingsError   a setting in the environment has a value we cannot use (named)
 └── DemoError       the database already holds people or staff: no demo data mixed in
"""

from __future__ import annotations


class UngeguideError(Exception):
    """Base class for errors of the composition root."""


class SettingsError(UngeguideError, ValueError):
    """A setting in the environment has a value we cannot use; the message names it."""


class DemoError(UngeguideError):
    """The database already holds people or staff, so demo data would mix into real data."""
