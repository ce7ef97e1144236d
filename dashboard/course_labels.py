"""Danish words for a young person's course: agreement outcomes and who recorded them, meeting
attendance, end outcomes. (dashboard.labels holds the older codes.)"""

from __future__ import annotations

from dashboard.i18n import _


def agreement_status(code: str) -> str:
    return {
        "open": _("Under way"),
        "not_yet": _("Not yet"),
        "done": _("Done"),
        "not_done": _("Not done"),
        "dropped": _("Dropped"),
        "cancelled": _("Cancelled"),
    }.get(code, code)


def outcome_by(code: str | None) -> str:
    return {
        "young_person": _("the young person answered"),
        "coordinator": _("recorded by the coordinator"),
    }.get(code or "", "")


def attendance(code: str | None) -> str:
    return {
        "attended": _("Came"),
        "no_show": _("Did not come"),
        "cancelled_late": _("Cancelled late"),
    }.get(code or "", _("Not recorded yet"))


def end_outcome(code: str | None) -> str:
    return {
        "education": _("Started an education"),
        "work": _("Started work"),
        "moved": _("Moved away"),
        "not_wanted": _("Does not want to take part"),
        "other": _("Other"),
    }.get(code or "", "")
