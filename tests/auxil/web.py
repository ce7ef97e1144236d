"""Helpers for the dashboard tests: staff accounts, logging in, and reading HTML with a parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

import httpx

from dashboard.accounts import create_staff
from storage import Database
from storage.models import StaffRole

PASSWORD = "en-lang-nok-adgangskode"


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    role: StaffRole
    password: str = PASSWORD


def add_staff(database: Database, role: StaffRole, *, name: str, now: datetime) -> Staff:
    email = f"{name.lower().replace(' ', '.')}@kommune.invalid"
    with database.session() as session:
        account = create_staff(
            session, email=email, display_name=name, role=role, password=PASSWORD, now=now
        )
        return Staff(account.id, email, role)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Document:
    """What the tests look at in a page: the visible text and the elements with attributes."""

    elements: list[Element] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def by_id(self, element_id: str) -> Element:
        found = next((e for e in self.elements if e.attrs.get("id") == element_id), None)
        assert found is not None, f"no element with id {element_id!r}"
        return found

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def csrf(self) -> str:
        fields = self.all("input", name="csrf")
        assert fields, "no CSRF field on the page"
        return fields[0].attrs["value"]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        self._open: list[Element] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs})
        self.document.elements.append(element)
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in ("input", "meta", "link", "br", "img"):
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.document.chunks.append(data)
        for element in self._open:
            element.text += data


def parse(html: str) -> Document:
    parser = _Parser()
    parser.feed(html)
    return parser.document


async def log_in(client: httpx.AsyncClient, staff: Staff) -> httpx.Response:
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={"csrf": parse(page.text).csrf(), "email": staff.email, "password": staff.password},
    )
    assert response.status_code == 303, response.text
    return response


async def post_form(
    client: httpx.AsyncClient, url: str, data: dict[str, str], *, page: str | None = None
) -> httpx.Response:
    """Post `data` with the CSRF token read from `page` (default: the same url)."""
    form_page = await client.get(page or url)
    return await client.post(url, data={"csrf": parse(form_page.text).csrf(), **data})


def who5_through_the_engine(service: object, chat_id: int, code: str, answers: list[str]) -> None:
    """A young person joins with `code`, says yes, and answers a whole WHO-5 by buttons."""
    from bot.engine import Command
    from bot.service import ConversationService
    from tests.auxil.transcript import Conversation, verify_dialog

    assert isinstance(service, ConversationService)
    talk = Conversation(lambda event: service.handle_chat(chat_id, event))
    talk.send(Command("start", code))
    verify_dialog(talk, [("[Ja, det er okay]", ["Nu er du med"])])
    verify_dialog(talk, [("[Ja, lad os prøve]", ["5 korte spørgsmål", "Spørgsmål 1 af 5"])])
    for answer in answers:
        talk.press(answer)


def person_with_plans(
    database: Database, now: datetime, coordinator: Staff, *, pseudonym: str
) -> dict[str, int]:
    """A young person of `coordinator` with a meeting they cannot come to, an agreement and an
    urgent alert; returns their ids by route parameter name."""
    from datetime import timedelta

    from domain.agreements import AgreementDetails, create_agreement
    from domain.meetings import MeetingDetails, create_meeting
    from domain.people import create_young_person
    from storage.models import Alert, MeetingKind

    with database.session() as session:
        person = create_young_person(
            session, pseudonym=pseudonym, birth_year=2008, now=now, coordinator_id=coordinator.id
        )
        details = MeetingDetails(
            kind=MeetingKind.INDIVIDUAL, starts_at=now + timedelta(days=3), place="Her"
        )
        meeting = create_meeting(session, person.id, details, now=now)
        meeting.answer = "cannot_come"
        due = (now + timedelta(days=9)).date()
        plan = AgreementDetails(goal="g", action="a", responsible="r", deadline=due)
        agreement = create_agreement(session, person.id, plan, now=now)
        alert = Alert(
            young_person_id=person.id, kind="crisis", urgent=True, created_at=now, details={}
        )
        session.add(alert)
        session.flush()
        return {
            "person_id": person.id,
            "meeting_id": meeting.id,
            "agreement_id": agreement.id,
            "alert_id": alert.id,
        }


def path_ids(
    database: Database, now: datetime, staff: Staff, *, pseudonym: str
) -> dict[str, object]:
    """A real row for every path parameter of the dashboard's routes (a young person of `staff`
    with plans, a workshop with an idea), by parameter name: for tests that walk every route."""
    from datetime import timedelta

    from domain import workshops

    ids: dict[str, object] = {**person_with_plans(database, now, staff, pseudonym=pseudonym)}
    with database.session() as session:
        workshop = workshops.create_workshop(
            session,
            title="W",
            question="?",
            themes=["bolig"],
            opens_at=now,
            closes_at=now + timedelta(days=1),
            created_by=None,
            now=now,
        )
        idea = workshops.add_idea(session, workshop, theme="bolig", text="Idé", now=now)
        return ids | {
            "format": "csv",
            "token": "not-a-token",
            "workshop_id": workshop.id,
            "idea_id": idea.id,
            "action": "skjul",
            "code": workshop.code,
            "staff_id": staff.id,
        }
