"""The people list in pages (issue 20 point 4): search, filters, sorting and the page's cut are
done by the database, and only the page's young people are read in full (`people_rows`), so a
page takes the same queries and about the same time with 200 or 20,000 young people.

The order is `people_data.SORTS`'s, in SQL: a young person with no value for the column (no
check-in yet, no meeting planned) comes last whichever way, by name; ties keep the id order.
The default order, by name, follows the index on `lower(pseudonym), id`, so PostgreSQL reads
the page's 50 rows of the index and stops, instead of sorting every young person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from dashboard.paging import last_page, page_number
from dashboard.people_data import INVITATIONS, UNRESOLVED, WHO5, Filters, PersonRow, people_rows
from domain.caseload import with_open_alerts, with_overdue_agreements, without_checkin
from domain.reminder_timing import local_date
from storage.models import (
    Alert,
    Meeting,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    YoungPerson,
)

PAGE = 50
PAGE_NUMBER = "side"


@dataclass(frozen=True, kw_only=True)
class Listing:
    """What the list was asked for: a part of a nickname, filters, a sort and a page."""

    query: str = ""
    sort: str = "name"
    descending: bool = False
    filters: Filters = field(default_factory=Filters)
    page: str | None = None

    def link(self, **more: int | str) -> str:
        values: dict[str, int | str] = {"q": self.query}
        if self.filters.status:
            values["status"] = self.filters.status
        for name, on in (
            ("alarmer", self.filters.alerts),
            ("stille", self.filters.quiet),
            ("forfaldne", self.filters.overdue),
        ):
            if on:
                values[name] = 1
        values["sort"] = self.sort
        if self.descending:
            values["dir"] = "desc"
        values.update(more)
        return urlencode(values)


@dataclass(frozen=True)
class PeoplePage:
    listing: Listing
    rows: list[PersonRow]
    found: int  # young people matching the search and filters
    total: int  # young people the viewer sees
    page: int
    last: int

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PAGE + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.rows) - 1 if self.rows else 0

    def href(self, page: int) -> str:
        return "/unge?" + self.listing.link(**({PAGE_NUMBER: page} if page > 1 else {}))


def _narrowing(listing: Listing, *, now: datetime) -> list[ColumnElement[bool]]:
    """The search and filters (none: everyone the viewer sees)."""
    found: list[ColumnElement[bool]] = []
    text = listing.query.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found.append(YoungPerson.pseudonym.ilike(f"%{escaped}%", escape="\\"))
    filters = listing.filters
    if filters.status:
        found.append(YoungPerson.status == filters.status)
    if filters.alerts:
        found.append(YoungPerson.id.in_(with_open_alerts()))
    if filters.quiet:
        found.append(YoungPerson.id.in_(without_checkin(now=now)))
    if filters.overdue:
        found.append(YoungPerson.id.in_(with_overdue_agreements(today=local_date(now))))
    return found


def _value(sort: str, *, now: datetime) -> list[Any]:
    """The column's value per young person, as correlated subqueries (one SQL statement)."""
    person = YoungPerson.id
    name = func.lower(YoungPerson.pseudonym)
    completed = and_(
        QuestionnaireResponse.young_person_id == person,
        QuestionnaireResponse.status == ResponseStatus.COMPLETED,
    )
    unresolved = and_(Alert.young_person_id == person, Alert.status.in_(UNRESOLVED))
    values: dict[str, list[Any]] = {
        "name": [name],
        "status": [YoungPerson.status, name],
        "checkin": [
            select(func.max(QuestionnaireResponse.completed_at))
            .where(completed, QuestionnaireResponse.completed_at.is_not(None))
            .scalar_subquery()
        ],
        "who5": [
            select(QuestionnaireResponse.score)
            .where(
                completed,
                QuestionnaireResponse.questionnaire_id == WHO5,
                QuestionnaireResponse.score.is_not(None),
            )
            .order_by(QuestionnaireResponse.completed_at.desc())
            .limit(1)
            .scalar_subquery()
        ],
        "meeting": [
            select(func.min(Meeting.starts_at))
            .where(
                Meeting.young_person_id == person,
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at > now,
            )
            .scalar_subquery()
        ],
        "alerts": [
            func.coalesce(
                select(func.max(case((Alert.urgent, 1), else_=0)))
                .where(unresolved)
                .scalar_subquery(),
                0,
            ),
            select(func.count()).where(unresolved).scalar_subquery(),
        ],
        "next": [
            case(
                (
                    YoungPerson.status == PersonStatus.ACTIVE,
                    select(func.min(Reminder.due_at))
                    .where(
                        Reminder.young_person_id == person,
                        Reminder.kind.in_(INVITATIONS),
                        Reminder.status == ReminderStatus.PENDING,
                        Reminder.latest_at >= now,
                    )
                    .scalar_subquery(),
                ),
                else_=None,
            )
        ],
    }
    return values.get(sort, values["name"])


# The sorts whose value no young person lacks: a nickname and a status are required, and no
# alert is (0, 0). Their ORDER BY is the value alone, which the name index can give in order.
NEVER_MISSING = frozenset({"name", "status", "alerts"})


def _order(listing: Listing, *, now: datetime) -> list[Any]:
    values = _value(listing.sort, now=now)
    name = func.lower(YoungPerson.pseudonym)
    ordered = [value.desc() if listing.descending else value.asc() for value in values]
    if listing.sort in NEVER_MISSING:
        return [*ordered, YoungPerson.id]
    missing = case((values[0].is_(None), 1), else_=0)
    return [missing, *ordered, case((missing == 1, name), else_=None), YoungPerson.id]


def _counts(
    session: Session, ids: Select[int], narrowing: list[ColumnElement[bool]]
) -> tuple[int, int]:
    """The young people the viewer sees, and those the search and filters keep, in one
    statement. The first counts `ids` alone (for the admin, the table's rows, not the table
    joined to itself); the second is the first when nothing narrows the list."""
    total = select(func.count()).select_from(ids.subquery()).scalar_subquery()
    if not narrowing:
        counted = session.scalar(select(total)) or 0
        return counted, counted
    kept = (
        select(func.count())
        .select_from(YoungPerson)
        .where(YoungPerson.id.in_(ids), *narrowing)
        .scalar_subquery()
    )
    counted, found = session.execute(select(total, kept)).one()
    return counted, found


def people_page(
    session: Session, ids: Select[int], listing: Listing, *, now: datetime
) -> PeoplePage:
    """One page of the young people in `ids` that match `listing`, in its order."""
    narrowing = _narrowing(listing, now=now)
    total, found = _counts(session, ids, narrowing)
    last = last_page(found, per_page=PAGE)
    number = page_number(listing.page, last=last)
    page_ids = list(
        session.scalars(
            select(YoungPerson.id)
            .where(YoungPerson.id.in_(ids), *narrowing)
            .order_by(*_order(listing, now=now))
            .offset((number - 1) * PAGE)
            .limit(PAGE)
        )
    )
    rows = {
        row.id: row
        for row in people_rows(
            session, select(YoungPerson.id).where(YoungPerson.id.in_(page_ids)), now=now
        )
    }
    return PeoplePage(
        listing=listing,
        rows=[rows[person_id] for person_id in page_ids],
        found=found,
        total=total,
        page=number,
        last=last,
    )
