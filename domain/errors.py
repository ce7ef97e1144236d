"""Errors of the domain layer.

    DomainError
     ├── PlanningError     a meeting or agreement that cannot be planned (unknown, in the past)
     ├── AlertError        an alert cannot take this step (an empty or too long note)
     ├── LifecycleError    a young person's course cannot take this step (resume an ended one)
     ├── OfferError        an offer or an offer received that breaks a rule (an empty name)
     ├── StaffHoursError   no working day ahead (staff hours that never open)
     ├── MailError         the SMTP server could not be reached, or refused the message
     └── Unreachable       a young person cannot be written to (the bot is blocked)

The dashboard maps PlanningError and AlertError to a 400 with the form shown again.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class for errors of the domain layer."""


class PlanningError(DomainError, ValueError):
    """A meeting or agreement that cannot be planned (unknown id, a time in the past, ...)."""


class AlertError(DomainError, ValueError):
    """An alert cannot take this step (a held alert, or an empty or too long note)."""


class LifecycleError(DomainError, ValueError):
    """A young person's course cannot take this step (pause someone not taking part, ...)."""


class OfferError(DomainError, ValueError):
    """An offer, or an offer a young person received, that breaks a rule (an empty name, an
    end before the start)."""


class StaffHoursError(DomainError, ValueError):
    """No working day in the weeks ahead: staff hours that never open."""


class MailError(DomainError):
    """The SMTP server could not be reached, or refused the message."""


class Unreachable(DomainError):
    """The young person cannot be written to (the bot is blocked in their chat)."""
