"""Writes the engine asks for. The service applies them in the same transaction as the state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AcceptInformation:
    version: int
    at: datetime


@dataclass(frozen=True)
class StartResponse:
    response_id: str
    questionnaire_id: str
    questionnaire_version: int
    at: datetime


@dataclass(frozen=True)
class SaveAnswer:
    """Store (or, after going back, replace) the answer to one item."""

    response_id: str
    item_id: str
    value: int
    at: datetime


@dataclass(frozen=True)
class CompleteResponse:
    response_id: str
    score: int | None
    at: datetime


@dataclass(frozen=True)
class StopResponse:
    response_id: str
    at: datetime


@dataclass(frozen=True)
class SaveTalkNextTime:
    response_id: str
    text: str


Effect = (
    AcceptInformation
    | StartResponse
    | SaveAnswer
    | CompleteResponse
    | StopResponse
    | SaveTalkNextTime
)
