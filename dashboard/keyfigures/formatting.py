"""The report as Danish lines, small numbers already suppressed: what page, CSV and XLSX show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from core.content import Content
from core.locale import format_number
from dashboard.i18n import _
from dashboard.keyfigures.figures import KeyFigures

SMALL = 5  # a count below this shows as "<5"; a share or mean over fewer people: HIDDEN
HIDDEN = "–"


@dataclass(frozen=True)
class ReportRow:
    section: str  # Danish section heading
    label: str  # Danish label
    value: str  # formatted Danish text, already suppressed ("<5", HIDDEN, "62 %", "48,3")


class _Add(Protocol):
    def __call__(self, section: str, *lines: tuple[str, str]) -> None: ...


def format_count(count: int) -> str:
    return "<5" if count < SMALL else format_number(count)


def format_share(part: int, whole: int, *, people: int) -> str:
    return HIDDEN if people < SMALL or whole == 0 else format_number(100 * part / whole) + " %"


def format_mean(mean: float | None, *, people: int) -> str:
    return HIDDEN if people < SMALL or mean is None else format_number(mean, decimals=1)


def format_minutes(minutes: float | None, *, people: int) -> str:
    """'20 min.', '1 t. 5 min.', '2 døgn 3 t.' (rounded to whole minutes)."""
    if people < SMALL or minutes is None:
        return HIDDEN
    whole = round(minutes)
    days, rest = divmod(whole, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s days %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)s min") % {"minutes": mins}


def rows(
    figures: KeyFigures,
    content: Content,
    *,
    whole: bool = True,
    hidden: frozenset[str] = frozenset(),
) -> list[ReportRow]:
    """The report as Danish lines: what the HTML page, the CSV and the XLSX all show.

    `whole` is a half-year's full report; without it (a quarter) only the counts that add up over
    the quarters are shown. The counts named in `hidden` (release.py) show as a dash.
    """
    out: list[ReportRow] = []

    def count(name: str, value: int) -> str:
        return HIDDEN if name in hidden else format_count(value)

    def add(section: str, *lines: tuple[str, str]) -> None:
        out.extend(ReportRow(section=section, label=label, value=value) for label, value in lines)

    def title(questionnaire_id: str) -> str:
        found = content.questionnaire(questionnaire_id)
        return found.title if found else questionnaire_id

    people = figures.people
    new = (_("New"), count("people.new", people.new))
    if whole:
        add(
            _("Young people"),
            (_("Active"), format_count(people.active)),
            new,
            (_("Ended"), format_count(people.ended)),
        )
    else:
        add(_("Young people"), new)
    for checkin in figures.checkins:
        sent = count(f"checkins.{checkin.questionnaire_id}.sent", checkin.sent)
        heading = _("Check-ins: %(questionnaire)s") % {
            "questionnaire": title(checkin.questionnaire_id)
        }
        add(heading, (_("Invitations sent"), sent))
        if whole:
            add(
                heading,
                (
                    _("Check-ins completed within 7 days"),
                    format_share(checkin.completed, checkin.sent, people=checkin.people),
                ),
            )
    meetings, agreements, alerts = figures.meetings, figures.agreements, figures.alerts
    if not whole:
        _counts_of_a_quarter(add, figures, count)
        _ideas(add, figures)
        return out
    who5 = figures.who5
    n, followed = who5.measured, who5.followed
    add(
        _("Well-being (WHO-5)"),
        (_("Young people with a measurement"), format_count(n)),
        (_("First measurement, mean"), format_mean(who5.first_mean, people=n)),
        (_("Latest measurement, mean"), format_mean(who5.latest_mean, people=n)),
        (_("First measurement 50 or below"), format_share(who5.first_low, n, people=n)),
        (_("Latest measurement 50 or below"), format_share(who5.latest_low, n, people=n)),
        (_("Young people with two or more measurements"), format_count(followed)),
        (
            _("Improved by 10 points or more"),
            format_share(who5.improved, followed, people=followed),
        ),
    )
    for bip in figures.bip:
        questionnaire = content.questionnaire(bip.questionnaire_id)
        items = questionnaire.items if questionnaire else []
        shorts = {item.id: item.short or item.id for item in items}
        add(
            _("%(questionnaire)s: mean, first → latest")
            % {"questionnaire": title(bip.questionnaire_id)},
            (_("Young people with a measurement"), format_count(bip.measured)),
            *(
                (
                    shorts.get(item.item_id, item.item_id),
                    HIDDEN
                    if item.people < SMALL
                    else f"{format_mean(item.first_mean, people=item.people)}"
                    f" → {format_mean(item.latest_mean, people=item.people)}",
                )
                for item in bip.items
            ),
        )
    add(
        _("Meetings"),
        (_("Meetings held"), count("meetings.held", meetings.held)),
        (_("Cancelled"), count("meetings.cancelled", meetings.cancelled)),
        (_("Can't come"), count("meetings.cannot_come", meetings.cannot_come)),
    )
    add(
        _("Agreements"),
        (_("Deadline in the period"), count("agreements.due", agreements.due)),
        (
            _("Agreements kept on time"),
            format_share(agreements.on_time, agreements.due, people=agreements.people),
        ),
    )
    add(
        _("Urgent alerts"),
        (_("Urgent alerts"), count("alerts.urgent", alerts.urgent)),
        (
            _("Time until an alert was taken, median"),
            format_minutes(alerts.median_minutes, people=alerts.people),
        ),
        (
            _("Taken within 30 minutes"),
            format_share(alerts.within, alerts.urgent, people=alerts.people),
        ),
        (_("Sent on to the duty list"), count("alerts.escalated", alerts.escalated)),
    )
    _ideas(add, figures)
    return out


def _counts_of_a_quarter(add: _Add, figures: KeyFigures, count: Callable[[str, int], str]) -> None:
    meetings, agreements, alerts = figures.meetings, figures.agreements, figures.alerts
    add(
        _("Meetings"),
        (_("Meetings held"), count("meetings.held", meetings.held)),
        (_("Cancelled"), count("meetings.cancelled", meetings.cancelled)),
        (_("Can't come"), count("meetings.cannot_come", meetings.cannot_come)),
    )
    add(_("Agreements"), (_("Deadline in the period"), count("agreements.due", agreements.due)))
    add(
        _("Urgent alerts"),
        (_("Urgent alerts"), count("alerts.urgent", alerts.urgent)),
        (_("Sent on to the duty list"), count("alerts.escalated", alerts.escalated)),
    )


def _ideas(add: _Add, figures: KeyFigures) -> None:
    """Ideas are anonymous (no young person behind them): shown as counted."""
    add(
        _("Ideas per youth workshop"),
        *((w.title, format_count(w.ideas)) for w in figures.workshops),
    )
    if not figures.workshops:
        add(_("Ideas per youth workshop"), (_("No youth workshops in the period"), HIDDEN))
