"""Storage: SQLAlchemy 2.0 models, the database handle, Alembic migrations, repositories."""

from storage.db import Database, normalize_url
from storage.errors import SchemaOutOfDate
from storage.models import (
    Answer,
    Base,
    ConversationStateRow,
    PersonStatus,
    ProcessedUpdate,
    QuestionnaireResponse,
    ResponseStatus,
    StaffRole,
    StaffUser,
    YoungPerson,
)

__all__ = [
    "Answer",
    "Base",
    "ConversationStateRow",
    "Database",
    "PersonStatus",
    "ProcessedUpdate",
    "QuestionnaireResponse",
    "ResponseStatus",
    "SchemaOutOfDate",
    "StaffRole",
    "StaffUser",
    "YoungPerson",
    "normalize_url",
]
