"""What an alert is about. The values are what is stored in `alert.kind`."""

from __future__ import annotations

from enum import StrEnum


class AlertKind(StrEnum):
    WHO5_LOW = "who5_low"
    WHO5_DROP = "who5_drop"
    WHO5_ITEM_LOW = "who5_item_low"
    CRISIS = "crisis"  # the safety net was certain: support lines sent, urgent
    CRISIS_POSSIBLE = "crisis_possible"  # asked "are you thinking of hurting yourself?"
    MISSED_CHECKINS = "missed_checkins"
    CANNOT_COME = "cannot_come"
    AGREEMENT_HELP = "agreement_help"
    UNREACHABLE = "unreachable"
    INFORMATION_DECLINED = "information_declined"
    DELETE_REQUEST = "delete_request"
    DELETE_WITHDRAWN = "delete_withdrawn"  # took a deletion request back: keep the data
    CONTACT_REQUEST = "contact_request"  # wants to talk to the contact person
    TALK_TOPIC = "talk_topic"  # something to talk about, and no meeting planned yet
    # Asked "are you thinking of hurting yourself?" and answered no: not urgent, but the
    # contact person hears of it (the information text promises they are told).
    SAFETY_OKAY = "safety_okay"
