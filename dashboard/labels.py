"""Danish words for stored codes (statuses, alert kinds, answers), in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from core.content import ScaleOption
from core.locale import format_moment_short, local
from dashboard.i18n import _


def status(code: str) -> str:
    return {
        "invited": _("Invited"),
        "active": _("Taking part"),
        "paused": _("Paused"),
        "unreachable": _("Unreachable"),
        "ended": _("Has ended"),
    }.get(code, code)


def role(code: str) -> str:
    return {
        "admin": _("Administrator"),
        "coordinator": _("Coordinator"),
        "facilitator": _("Facilitator"),
    }.get(code, code)


def alert_kind(code: str) -> str:
    return {
        "who5_low": _("Low well-being (WHO-5)"),
        "who5_drop": _("Well-being has dropped"),
        "who5_item_low": _("A WHO-5 answer of 0 or 1"),
        "crisis": _("Crisis words"),
        "missed_checkins": _("Missed check-ins"),
        "cannot_come": _("Cannot come"),
        "agreement_help": _("Wants help with an agreement"),
        "unreachable": _("Cannot be reached"),
        "information_declined": _("Said no to the new information"),
        "delete_request": _("Wants their data deleted"),
        "delete_withdrawn": _("Took back the request to delete their data"),
        "contact_request": _("Wants to talk to you"),
        "crisis_possible": _("Possible crisis: no clear answer"),
        "talk_topic": _("Wants to talk about something"),
        "safety_okay": _("Asked about their safety: said they are okay"),
    }.get(code, code)


def alert_explanation(code: str) -> str | None:
    """A sentence in plain words for the alerts that need more than their name."""
    return {
        "crisis": _(
            "The young person wrote something that may mean a crisis. The bot gave them the "
            "numbers of the help lines."
        ),
        "crisis_possible": _(
            "The bot asked whether the young person is thinking of hurting themselves, and got "
            "no clear answer. Contact them today."
        ),
        "talk_topic": _(
            "The young person wants to talk about something, and no meeting is planned yet."
        ),
        "safety_okay": _(
            "The young person wrote something that made the bot ask whether they are thinking "
            "of hurting themselves. They answered that they are okay. Not urgent: talk about it "
            "at your next contact."
        ),
        "delete_withdrawn": _(
            "The young person took back the request to delete their data. Do not delete it. "
            "They get reminders and check-ins again."
        ),
    }.get(code)


def alert_status(code: str) -> str:
    return {
        "held": _("Waiting for the young person's answer"),
        "open": _("Open: nobody has taken it yet"),
        "acknowledged": _("Taken"),
        "resolved": _("Resolved"),
    }.get(code, code)


def notification_status(code: str) -> str:
    return {
        "pending": _("Waiting to be sent"),
        "sending": _("Being sent"),
        "sent": _("Sent"),
        "cancelled": _("Not needed (the alert was taken)"),
    }.get(code, code)


def short_time(moment: datetime, now: datetime) -> str:
    """'kl. 14.02' today, '24. nov. 2026 kl. 14.02' on another day (Copenhagen time)."""
    shown, today = local(moment), local(now)
    if shown.date() == today.date():
        return _("at %(time)s") % {"time": shown.strftime("%H.%M")}
    return format_moment_short(moment)


def answer(value: int, scale: Sequence[ScaleOption]) -> str:
    """'4 - Det meste af tiden' (an en dash): the number and the words it was chosen by."""
    label = next((option.label for option in scale if option.value == value), None)
    return f"{value} – {label}" if label else str(value)


def alert_details(details: Mapping[str, Any]) -> str:
    """The parts of an alert's details a coordinator needs, in words."""
    parts: list[str] = []
    if "score" in details:
        parts.append(_("Score %(score)s") % {"score": details["score"]})
    if "before" in details:
        parts.append(_("before %(before)s") % {"before": details["before"]})
    if "items" in details:
        parts.append(
            _("Questions: %(items)s") % {"items": str(details["items"]).replace(",", ", ")}
        )
    if "about" in details:
        parts.append(_("About: %(about)s") % {"about": talk_about(str(details["about"]))})
    return ", ".join(parts)


def talk_about(code: str) -> str:
    """What a young person wanted to talk about (a feeling the bot answered, or the safety
    question)."""
    return {
        "feel_sad": _("being sad"),
        "feel_lonely": _("feeling lonely"),
        "feel_stressed": _("being stressed"),
        "feel_bad": _("feeling bad"),
        "bullied": _("being bullied"),
        "conflict_home": _("trouble at home"),
        "safety_question": _("asked whether they think of hurting themselves, wants to talk"),
    }.get(code, code)


def meeting_kind(code: str) -> str:
    return {
        "individual": _("Individual meeting"),
        "network": _("Network meeting"),
        "other": _("Other meeting"),
    }.get(code, code)


def meeting_answer(code: str | None) -> str:
    return {
        "coming": _("Is coming"),
        "cannot_come": _("Cannot come"),
    }.get(code or "", _("No answer yet"))


def agreement_status(code: str) -> str:
    return {
        "open": _("Under way"),
        "done": _("Done"),
        "not_yet": _("Not yet"),
        "not_done": _("Not done"),
        "dropped": _("Dropped"),
        "cancelled": _("Cancelled"),
    }.get(code, code)


def end_outcome(code: str | None) -> str:
    return {
        "education": _("Started an education"),
        "work": _("Started work"),
        "moved": _("Moved away"),
        "not_wanted": _("Does not want to take part"),
        "other": _("Other"),
    }.get(code or "", code or "–")


def attendance(code: str | None) -> str:
    return {
        "attended": _("Came"),
        "no_show": _("Did not come"),
        "cancelled_late": _("Cancelled too late"),
    }.get(code or "", _("Not recorded yet"))


def outcome_by(code: str | None) -> str:
    """Who recorded an agreement's outcome."""
    return {
        "young_person": _("the young person answered"),
        "coordinator": _("recorded by the coordinator"),
    }.get(code or "", "")


def reminder_status(code: str) -> str:
    return {
        "pending": _("Planned"),
        "sending": _("Being sent"),
        "sent": _("Sent"),
        "failed": _("Could not be sent"),
        "cancelled": _("Cancelled"),
        "skipped": _("Skipped (quiet hours)"),
        "missed": _("Not sent in time"),
    }.get(code, code)


def feedback_answer(value: int | None) -> str:
    return {1: _("No"), 2: _("Partly"), 3: _("Yes")}.get(value or 0, "–")
