"""The report's sections, line by line, each with its definition (`rows`).

A half-year shows everything; a quarter only the counts that add up over a half-year's quarters
(release.additive_counts names them, and the differencing rule may hide each as a dash).
"""

from __future__ import annotations

from babel.dates import format_date

from core.content import Content
from core.locale import LOCALE
from dashboard.i18n import _
from dashboard.keyfigures.figures import KeyFigures
from dashboard.keyfigures.formatting import (
    HIDDEN,
    Cell,
    ReportRow,
    count,
    mean,
    minutes,
    share,
)
from storage.models import EndOutcome


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
    return _Report(figures, content, whole=whole, hidden=hidden).rows()


def _day(figures: KeyFigures, *, last: bool) -> str:
    day = figures.period.end if last else figures.period.start
    return format_date(day, "d. MMMM y", locale=LOCALE)


def outcome_label(outcome: EndOutcome) -> str:
    return {
        EndOutcome.EDUCATION: _("Started an education"),
        EndOutcome.WORK: _("Started work"),
        EndOutcome.MOVED: _("Moved away"),
        EndOutcome.NOT_WANTED: _("Did not want to take part"),
        EndOutcome.OTHER: _("Another reason"),
    }[outcome]


class _Report:
    def __init__(
        self, figures: KeyFigures, content: Content, *, whole: bool, hidden: frozenset[str]
    ) -> None:
        self.figures, self.content, self.whole, self.hidden = figures, content, whole, hidden
        self.out: list[ReportRow] = []

    def add(self, section: str, label: str, cell: Cell, note: str) -> None:
        self.out.append(
            ReportRow(
                section=section,
                label=label,
                value=cell.text,
                number=cell.number,
                kind=cell.kind,
                note=note,
            )
        )

    def count(self, name: str, value: int) -> Cell:
        """A count that adds up over the quarters: through the differencing rule."""
        return count(value, hidden=name in self.hidden)

    def title(self, questionnaire_id: str) -> str:
        found = self.content.questionnaire(questionnaire_id)
        return found.title if found else questionnaire_id

    def rows(self) -> list[ReportRow]:
        self.people()
        self.outcomes()
        self.offers()
        self.contacts()
        self.checkins()
        if self.whole:
            self.plans()
            self.who5()
            self.bip()
        self.meetings()
        if self.whole:
            self.feedback()
        self.agreements()
        self.alerts()
        self.ideas()
        return self.out

    def people(self) -> None:
        section, people = _("Young people"), self.figures.people
        # A quarter's figures do not count the followed (None), as with plans.
        if self.whole and people.at_start is not None and people.at_end is not None:
            followed = _("Active, on a pause or not reachable for now at %(time)s on %(day)s.")
            self.add(
                section,
                _("At the start of the period"),
                count(people.at_start),
                followed % {"time": "00.00", "day": _day(self.figures, last=False)},
            )
            self.add(
                section,
                _("At the end of the period"),
                count(people.at_end),
                followed % {"time": "24.00", "day": _day(self.figures, last=True)},
            )
        self.add(
            section,
            _("New in the period"),
            self.count("people.new", people.new),
            _("Invited in the period."),
        )

    def outcomes(self) -> None:
        note = _("Courses ended with this outcome, with the end day in the period.")
        for outcome, value in self.figures.outcomes.items():
            self.add(
                _("Courses ended"),
                outcome_label(outcome),
                self.count(f"outcomes.{outcome}", value),
                note,
            )

    def offers(self) -> None:
        section = _("Offers")
        if not self.figures.offers:
            self.add(section, _("No offers on the list"), Cell(HIDDEN), "")
        for offer in self.figures.offers:
            self.add(
                section,
                _("%(offer)s: started") % {"offer": offer.name},
                self.count(f"offers.{offer.offer_id}.started", offer.started),
                _("Offers received with the start day in the period."),
            )
            if self.whole:
                self.add(
                    section,
                    _("%(offer)s: young people receiving it") % {"offer": offer.name},
                    count(offer.people),
                    _("Young people who had the offer on at least one day of the period."),
                )

    def plans(self) -> None:
        plans = self.figures.plans
        if plans is None:
            return  # a quarter's figures: not counted
        self.add(
            _("Long-term plans"),
            _("Share with a long-term plan"),
            share(plans.with_plan, plans.followed, people=plans.followed),
            _(
                "Of the young people followed at the end of the period: those with an agreement "
                "whose deadline was more than 3 months after the day it was made, still running "
                "on the last day (an agreement, not a separate plan flag)."
            ),
        )

    def contacts(self) -> None:
        section, contacts = _("Changes of contact person"), self.figures.contacts
        self.add(
            section,
            _("Changes of contact person"),
            self.count("contacts.changes", contacts.changes),
            _("Young people moved to another coordinator in the period; each move counts."),
        )
        if self.whole:
            self.add(
                section,
                _("Young people who got a new contact person"),
                count(contacts.people),
                _("Each young person counts once."),
            )

    def checkins(self) -> None:
        for checkin in self.figures.checkins:
            heading = _("Check-ins: %(questionnaire)s") % {
                "questionnaire": self.title(checkin.questionnaire_id)
            }
            self.add(
                heading,
                _("Invitations sent"),
                self.count(f"checkins.{checkin.questionnaire_id}.sent", checkin.sent),
                _("Invitations to a check-in sent in the period."),
            )
            if self.whole:
                self.add(
                    heading,
                    _("Check-ins completed within 7 days"),
                    share(checkin.completed, checkin.sent, people=checkin.people),
                    _("Of the invitations: answered in full within 7 days after it was sent."),
                )

    def who5(self) -> None:
        section, who5 = _("Well-being (WHO-5)"), self.figures.who5
        if who5 is None:
            return  # a quarter's figures: not counted
        n, followed = who5.measured, who5.followed
        first = _("Each young person's first WHO-5 in the period (0-100), over those measured.")
        latest = _("Each young person's latest WHO-5 in the period (0-100), over those measured.")
        self.add(
            section,
            _("Young people with a measurement"),
            count(n),
            _("At least one WHO-5 answered in full in the period."),
        )
        self.add(section, _("First measurement, mean"), mean(who5.first_mean, people=n), first)
        self.add(section, _("Latest measurement, mean"), mean(who5.latest_mean, people=n), latest)
        self.add(
            section,
            _("First measurement 50 or below"),
            share(who5.first_low, n, people=n),
            first,
        )
        self.add(
            section,
            _("Latest measurement 50 or below"),
            share(who5.latest_low, n, people=n),
            latest,
        )
        self.add(
            section,
            _("Young people with two or more measurements"),
            count(followed),
            _("At least two WHO-5 answered in full in the period."),
        )
        self.add(
            section,
            _("Improved by 10 points or more"),
            share(who5.improved, followed, people=followed),
            _("Of those with two or more: the latest at least 10 points above the first."),
        )

    def bip(self) -> None:
        for bip in self.figures.bip:
            questionnaire = self.content.questionnaire(bip.questionnaire_id)
            items = questionnaire.items if questionnaire else []
            shorts = {item.id: item.short or item.id for item in items}
            section = _("%(questionnaire)s: mean, first and latest") % {
                "questionnaire": self.title(bip.questionnaire_id)
            }
            self.add(
                section,
                _("Young people with a measurement"),
                count(bip.measured),
                _("At least one answered in full in the period."),
            )
            for item in bip.items:
                name = shorts.get(item.item_id, item.item_id)
                self.add(
                    section,
                    _("%(item)s, first") % {"item": name},
                    mean(item.first_mean, people=item.people),
                    _("Mean of each young person's first answer in the period."),
                )
                self.add(
                    section,
                    _("%(item)s, latest") % {"item": name},
                    mean(item.latest_mean, people=item.people),
                    _("Mean of each young person's latest answer in the period."),
                )

    def meetings(self) -> None:
        section, meetings = _("Meetings"), self.figures.meetings
        came = meetings.attendance
        after = _(
            "Meetings that began in the period and were not cancelled, as the coordinator "
            "recorded after the meeting."
        )
        for name, label, value in (
            ("meetings.attended", _("The young person came"), came.attended),
            ("meetings.no_show", _("Did not come"), came.no_show),
            ("meetings.cancelled_late", _("Cancelled too late"), came.cancelled_late),
            ("meetings.not_recorded", _("Not recorded yet"), came.not_recorded),
        ):
            self.add(section, label, self.count(name, value), after)
        self.add(
            section,
            _("Cancelled"),
            self.count("meetings.cancelled", meetings.cancelled),
            _("Meetings set to begin in the period and cancelled."),
        )
        self.add(
            section,
            _("Can't come"),
            self.count("meetings.cannot_come", meetings.cannot_come),
            _("Meetings in the period the young person answered they could not come to."),
        )

    def feedback(self) -> None:
        section = _("After network meetings")
        texts = self.content.reminders
        questions = texts.feedback_questions
        for figure in self.figures.feedback:
            question = str(questions[figure.question])
            n = figure.people
            self.add(
                section,
                _("%(question)s Number of answers") % {"question": question},
                count(figure.answered),
                _("Answers from the young person after network meetings that began in the period."),
            )
            for word, part in (
                (texts.feedback_yes, figure.yes),
                (texts.feedback_partly, figure.partly),
                (texts.feedback_no, figure.no),
            ):
                self.add(
                    section,
                    f"{question} {word}",
                    share(part, figure.answered, people=n),
                    _("Of the answers to the question."),
                )

    def agreements(self) -> None:
        section, agreements = _("Agreements"), self.figures.agreements
        due = _("Agreements with the deadline in the period, not cancelled.")
        self.add(
            section,
            _("Deadline in the period"),
            self.count("agreements.due", agreements.due),
            due,
        )
        if self.whole:
            self.add(
                section,
                _("Agreements kept"),
                share(agreements.done, agreements.due, people=agreements.people),
                _("Of those: marked done by the young person or the coordinator."),
            )
            self.add(
                section,
                _("Agreements kept on time"),
                share(agreements.done_on_time, agreements.due, people=agreements.people),
                _("Of those: marked done on or before the deadline day."),
            )

    def alerts(self) -> None:
        section, alerts = _("Urgent alerts"), self.figures.alerts
        opened = _("Urgent alerts opened in the period.")
        self.add(section, _("Urgent alerts"), self.count("alerts.urgent", alerts.urgent), opened)
        if self.whole:
            self.add(
                section,
                _("Time until an alert was taken, median"),
                minutes(alerts.median_minutes, people=alerts.people),
                _("From the alert opened until someone took it, within 7 days after the period."),
            )
            self.add(
                section,
                _("Taken within 30 minutes"),
                share(alerts.within, alerts.urgent, people=alerts.people),
                _("Of the urgent alerts."),
            )
        self.add(
            section,
            _("Sent on to the duty list"),
            self.count("alerts.escalated", alerts.escalated),
            _("Urgent alerts that nobody took in time, so they went on to the duty list."),
        )

    def ideas(self) -> None:
        """Ideas are anonymous (no young person behind them): shown as counted."""
        section = _("Ideas per youth workshop")
        note = _("Ideas sent in the period and not hidden.")
        for workshop in self.figures.workshops:
            self.add(section, workshop.title, count(workshop.ideas), note)
        if not self.figures.workshops:
            self.add(section, _("No youth workshops in the period"), Cell(HIDDEN), "")
