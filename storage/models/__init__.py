"""The tables. Instants are aware and stored in UTC (see storage/types.py).

One module per area; everything is imported here, so `from storage.models import X` works and
SQLAlchemy's registry knows every table.
"""

from storage.models.alerts import (
    Alert,
    AlertStatus,
    NotificationKind,
    NotificationStatus,
    StaffNotification,
)
from storage.models.answers import Answer, CoordinatorRating, QuestionnaireResponse, ResponseStatus
from storage.models.audit import AuditEvent, Erasure
from storage.models.base import Base
from storage.models.people import (
    ConversationStateRow,
    PersonStatus,
    ProcessedUpdate,
    StaffRole,
    StaffUser,
    YoungPerson,
)
from storage.models.plans import (
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingAnswer,
    MeetingFeedback,
    MeetingKind,
    MeetingStatus,
    Reminder,
    ReminderStatus,
)
from storage.models.sessions import LoginCounter, StaffSession
from storage.models.workshops import Idea, IdeaStatus, IdeaVote, Workshop, WorkshopFollower

__all__ = [
    "Agreement",
    "AgreementStatus",
    "Alert",
    "AlertStatus",
    "Answer",
    "AuditEvent",
    "Base",
    "ConversationStateRow",
    "CoordinatorRating",
    "Erasure",
    "Idea",
    "IdeaStatus",
    "IdeaVote",
    "LoginCounter",
    "Meeting",
    "MeetingAnswer",
    "MeetingFeedback",
    "MeetingKind",
    "MeetingStatus",
    "NotificationKind",
    "NotificationStatus",
    "PersonStatus",
    "ProcessedUpdate",
    "QuestionnaireResponse",
    "Reminder",
    "ReminderStatus",
    "ResponseStatus",
    "StaffNotification",
    "StaffRole",
    "StaffSession",
    "StaffUser",
    "Workshop",
    "WorkshopFollower",
    "YoungPerson",
]
