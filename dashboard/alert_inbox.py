"""The inbox's search and pages: which alerts one page of `/alarmer` shows, in a fixed number of
queries whatever the number of alerts (a count per status, the page's ids, their rows, their
e-mails).

The inbox is one list in a fixed order (open ones first, then the taken ones, then, on request,
the resolved ones; urgent first and newest first within a status), cut into pages of `PAGE`. A
page shows each status's heading with its total, so a coordinator always sees how many there are.

The totals tell which part of each status's list the page holds; each part is read in its own
order (`_within`), which the index on `alert (status, urgent, created_at, id)` gives for the
open ones, so PostgreSQL reads 50 index entries instead of sorting every unresolved alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, case, func, select, union_all
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from dashboard.alert_view import AlertCard, cards
from dashboard.paging import last_page, page_number
from dashboard.web import Viewer, alerts_shown_to
from domain.alerts.kinds import AlertKind
from storage.models import Alert, AlertStatus, YoungPerson

PAGE = 50  # alerts on a page: a coordinator's week of them, and a quick page on a phone
TEXT = "q"  # part of a nickname
KIND = "slags"
EVERYTHING = "vis"  # "alle": resolved ones too
PAGE_NUMBER = "side"
TEXT_MAX = 80  # a nickname is at most 80 characters
STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED)


@dataclass(frozen=True, kw_only=True)
class InboxQuery:
    """What the inbox was asked to show; anything unknown is no filter, never an error page."""

    text: str = ""
    kind: str = ""
    everything: bool = False
    page: str | None = None  # as typed: the page that exists is chosen once the total is known

    @classmethod
    def read(cls, params: QueryParams | dict[str, str]) -> InboxQuery:
        kind = params.get(KIND, "")
        return cls(
            text=params.get(TEXT, "").strip()[:TEXT_MAX],
            kind=kind if kind in AlertKind.__members__.values() else "",
            everything=params.get(EVERYTHING) == "alle",
            page=params.get(PAGE_NUMBER),
        )

    @property
    def statuses(self) -> tuple[AlertStatus, ...]:
        return STATUSES if self.everything else STATUSES[:2]

    def where(self) -> list[ColumnElement[bool]]:
        return [Alert.status.in_(self.statuses), *self.narrowing()]

    def narrowing(self) -> list[ColumnElement[bool]]:
        """The kind and the part of a nickname asked for, if any."""
        found: list[ColumnElement[bool]] = []
        if self.kind:
            found.append(Alert.kind == self.kind)
        if self.text:
            # The nickname's own characters only: % and _ typed are letters, not patterns.
            escaped = self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found.append(YoungPerson.pseudonym.ilike(f"%{escaped}%", escape="\\"))
        return found

    def link(self, **more: int | str) -> str:
        """This search's query string (and `more`, e.g. a page), for links and the way back."""
        values: dict[str, int | str] = {}
        if self.text:
            values[TEXT] = self.text
        if self.kind:
            values[KIND] = self.kind
        if self.everything:
            values[EVERYTHING] = "alle"
        values.update(more)
        return urlencode(values)

    @property
    def switched(self) -> str:
        """The link (from "?" on, or nothing) to this search with or without the resolved ones."""
        other = InboxQuery(text=self.text, kind=self.kind, everything=not self.everything)
        found = other.link()
        return f"?{found}" if found else ""

    @property
    def narrowed(self) -> bool:
        return bool(self.text or self.kind)


@dataclass(frozen=True)
class Section:
    status: AlertStatus
    total: int
    cards: list[AlertCard]
    first_page: int  # the page the section starts on (for "shown on page 3")


@dataclass(frozen=True)
class InboxPage:
    query: InboxQuery
    sections: list[Section]
    page: int
    last: int
    total: int

    @property
    def shown(self) -> int:
        return sum(len(section.cards) for section in self.sections)

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * PAGE + 1 if self.shown else 0

    def section(self, status: AlertStatus) -> Section:
        return next(section for section in self.sections if section.status == status)

    def link(self, page: int) -> str:
        return self.query.link(**({PAGE_NUMBER: page} if page > 1 else {}))

    def href(self, page: int) -> str:
        found = self.link(page)
        return f"/alarmer?{found}" if found else "/alarmer"

    @property
    def here(self) -> str:
        """This page's query string: the forms on it come back here."""
        return self.link(self.page)


def _order() -> Sequence[ColumnElement[object]]:
    """Open, taken, resolved; urgent first (not among the resolved); newest first."""
    rank = case(
        (Alert.status == AlertStatus.OPEN, 0),
        (Alert.status == AlertStatus.ACKNOWLEDGED, 1),
        else_=2,
    )
    urgent = case((Alert.status == AlertStatus.RESOLVED, False), else_=Alert.urgent)
    moment = case(
        (Alert.status == AlertStatus.OPEN, Alert.created_at),
        (Alert.status == AlertStatus.ACKNOWLEDGED, Alert.acknowledged_at),
        else_=Alert.resolved_at,
    )
    return (rank, urgent.desc(), moment.desc())


def _within(status: AlertStatus) -> Sequence[ColumnElement[Any]]:
    """`_order` inside one status: the same order, in columns an index can give."""
    if status == AlertStatus.RESOLVED:
        return (Alert.resolved_at.desc(), Alert.id.desc())
    moment = Alert.created_at if status == AlertStatus.OPEN else Alert.acknowledged_at
    return (Alert.urgent.desc(), moment.desc(), Alert.id.desc())


def _shown(who: Viewer, query: InboxQuery, column: Any, *where: ColumnElement[bool]) -> Select[Any]:
    """`column` of the alerts `who` sees that match `query`'s search and `where`: the
    nickname's table only when a nickname is searched."""
    found = select(column).where(alerts_shown_to(who), *query.narrowing(), *where)
    if query.text:
        found = found.join(YoungPerson, YoungPerson.id == Alert.young_person_id)
    return found


def _page_ids(
    session: Session, who: Viewer, query: InboxQuery, totals: dict[str, int], *, offset: int
) -> list[int]:
    """The page's alerts: from each status's list, the part of it the page holds, in one
    statement. (Read apart from the cards: as a subquery of theirs, PostgreSQL read every
    alert to match the 50.)"""
    parts = []
    before = 0  # alerts in the statuses before this one
    for status in query.statuses:
        start = max(0, offset - before)
        stop = min(totals.get(status, 0), offset + PAGE - before)
        if stop > start:
            part = (
                _shown(who, query, Alert.id, Alert.status == status)
                .order_by(*_within(status))
                .offset(start)
                .limit(stop - start)
                .subquery()  # SQLite takes a LIMIT in a UNION's part only inside a subquery
            )
            parts.append(select(part.c.id))
        before += totals.get(status, 0)
    return list(session.scalars(union_all(*parts))) if parts else []


def inbox_page(session: Session, who: Viewer, query: InboxQuery, *, now: datetime) -> InboxPage:
    totals: dict[str, int] = dict(
        session.execute(
            _shown(who, query, Alert.status, Alert.status.in_(query.statuses))
            .add_columns(func.count())
            .group_by(Alert.status)
        ).all()
    )
    total = sum(totals.get(status, 0) for status in query.statuses)
    last = last_page(total, per_page=PAGE)
    number = page_number(query.page, last=last)
    found = cards(
        session,
        who,
        Alert.id.in_(_page_ids(session, who, query, totals, offset=(number - 1) * PAGE)),
        order=_order(),
        now=now,
    )
    sections = []
    before = 0
    for status in query.statuses:
        count = totals.get(status, 0)
        sections.append(
            Section(
                status=status,
                total=count,
                cards=[card for card in found if card.alert.status == status],
                first_page=before // PAGE + 1,
            )
        )
        before += count
    return InboxPage(query=query, sections=sections, page=number, last=last, total=total)
