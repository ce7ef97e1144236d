"""Errors of the dashboard.

    DashboardError
     ├── LoginRequired   no valid session: the app answers with a redirect to the login page
     └── AccountError    a staff account that cannot be made as asked (the message says why)

Anything a user may not see is an HTTPException(404), never a 403 (see web.py). A form that
cannot be taken is an HTTPException(400) whose detail is a `FormProblem`; the error page says
each problem in its own words, so "the page was too old" is said only of a stale form.
"""

from __future__ import annotations

from enum import StrEnum


class DashboardError(Exception):
    """Base class for errors of the dashboard."""


class LoginRequired(DashboardError):
    """No valid session: the app answers with a redirect to the login page."""


class AccountError(DashboardError, ValueError):
    """A staff account that cannot be made as asked; the message says why (in English)."""


class FormProblem(StrEnum):
    """Why a posted form was refused: the detail of an HTTPException(400), shown by error.html."""

    STALE = "csrf"  # the form's token is not this session's (web.checked_form): an old page
    MERGE = "merge"  # one of the two ideas was merged meanwhile, or is not this workshop's
    IDEA_STATUS = "idea_status"  # not one of the statuses, or a note over 500 characters
    OUTCOME_SENT = "outcome_sent"  # the close-the-loop message went out already
    NOTHING_HANDLED = "nothing_handled"  # close the loop with no idea discussed or taken forward
