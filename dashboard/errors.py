"""Errors of the dashboard.

    DashboardError
     ├── LoginRequired   no valid session: the app answers with a redirect to the login page
     └── AccountError    a staff account that cannot be made as asked (the message says why)

Anything a user may not see is an HTTPException(404), never a 403 (see web.py).
"""

from __future__ import annotations


class DashboardError(Exception):
    """Base class for errors of the dashboard."""


class LoginRequired(DashboardError):
    """No valid session: the app answers with a redirect to the login page."""


class AccountError(DashboardError, ValueError):
    """A staff account that cannot be made as asked; the message says why (in English)."""
