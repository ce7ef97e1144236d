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
from storage.models.history import (
    CoordinatorChange,
    PersonStatusChange,
    change_status,
    stamp_status,
)
from storage.models.offers import Offer, PersonOffer
from storage.models.people import (
    ConversationStateRow,
    EndOutcome,
    PersonStatus,
    ProcessedUpdate,
    StaffRole,
    StaffUser,
    YoungPerson,
)
from storage.models.plans import (
    AGREEMENT_OUTCOMES,
    AGREEMENT_RUNNING,
    Actor,
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingAnswer,
    MeetingAttendance,
    MeetingFeedback,
    MeetingKind,
    MeetingStatus,
    Reminder,
    ReminderStatus,
)
from storage.models.sessions import LoginCounter, StaffSession
from storage.models.workshops import Idea, IdeaStatus, IdeaVote, Workshop, WorkshopFollower

__all__ = [
    "AGREEMENT_OUTCOMES",
    "AGREEMENT_RUNNING",
    "Actor",
    "Agreement",
    "AgreementStatus",
    "Alert",
    "AlertStatus",
    "Answer",
    "AuditEvent",
    "Base",
    "ConversationStateRow",
    "CoordinatorChange",
    "CoordinatorRating",
    "EndOutcome",
    "Erasure",
    "Idea",
    "IdeaStatus",
    "IdeaVote",
    "LoginCounter",
    "Meeting",
    "MeetingAnswer",
    "MeetingAttendance",
    "MeetingFeedback",
    "MeetingKind",
    "MeetingStatus",
    "NotificationKind",
    "NotificationStatus",
    "Offer",
    "PersonOffer",
    "PersonStatus",
    "PersonStatusChange",
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
    "change_status",
    "stamp_status",
]
