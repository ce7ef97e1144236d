"""Deleting a young person removes every row that refers to them, checked through reflection of
the live schema, so a table added later cannot be forgotten; the deletion survives a restart."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import MetaData, func, select

from bot.engine import Command, Press, Text
from bot.service import ConversationService
from domain.agreements import AgreementDetails, create_agreement
from domain.meetings import MeetingDetails, create_meeting
from domain.people import create_young_person, issue_invite
from domain.reminder_timing import at_local
from storage import Database
from storage.erasure import PERSON_TABLE, belongs_to, erase_person
from storage.models import (
    CoordinatorChange,
    CoordinatorRating,
    Erasure,
    MeetingFeedback,
    MeetingKind,
    Offer,
    PersonOffer,
    StaffRole,
    StaffUser,
    Workshop,
    WorkshopFollower,
)
from tests.auxil.transcript import replies


def populate(database: Database, service: ConversationService, clock, chat_id: int) -> int:
    """A young person with something in every table: answers, state, meetings with feedback,
    agreements, reminders, alerts and the e-mail an urgent alert queues for the coordinator."""
    with database.session() as session:
        pseudonym = f"P{chat_id % 1000}"
        person = create_young_person(session, pseudonym=pseudonym, birth_year=2007, now=clock())
        coordinator = StaffUser(
            email=f"k{chat_id}@kommune.dk",
            display_name="Kim",
            role=StaffRole.COORDINATOR,
            created_at=clock(),
        )
        session.add(coordinator)
        session.flush()
        person.coordinator_id = coordinator.id
        code = issue_invite(session, person, now=clock())
        person_id = person.id
    service.handle_chat(chat_id, Command("start", code), update_id=chat_id)
    service.handle(person_id, Text("ja"))
    service.handle(person_id, Command("tjek", "who5"))
    service.handle(person_id, Text("ja"))
    for value in "34543":
        service.handle(person_id, Text(value))
    service.handle(person_id, Text("Min praktikplads"))
    service.handle(person_id, Text("jeg vil ikke leve mere"))  # an urgent alert
    with database.session() as session:
        details = MeetingDetails(
            kind=MeetingKind.NETWORK, starts_at=at_local(date(2026, 12, 1), time(10)), place="Her"
        )
        meeting = create_meeting(session, person_id, details, now=clock())
        session.add(MeetingFeedback(meeting_id=meeting.id, heard=3, answered_at=clock()))
        agreement = AgreementDetails(
            goal="Job", action="Skriv en ansøgning", responsible="Mig", deadline=date(2026, 12, 3)
        )
        create_agreement(session, person_id, agreement, now=clock())
        session.add(
            CoordinatorRating(
                young_person_id=person_id,
                questionnaire_id="bip_uddannelse",
                answers={"tro": 4},
                belief=3,
                rated_at=clock(),
            )
        )
        # Offers are shared; which one the person received is theirs. So is a change of contact.
        offer = Offer(name=f"Mentor {chat_id}", created_at=clock())
        session.add(offer)
        session.flush()
        session.add(
            PersonOffer(
                young_person_id=person_id,
                offer_id=offer.id,
                starts_on=date(2026, 11, 1),
                created_at=clock(),
            )
        )
        session.add(
            CoordinatorChange(
                young_person_id=person_id,
                from_coordinator_id=None,
                to_coordinator_id=None,
                changed_at=clock(),
            )
        )
        workshop = Workshop(
            title="W",
            question="?",
            themes=["bolig"],
            code=f"W{chat_id}",
            opens_at=clock(),
            closes_at=clock(),
            created_at=clock(),
        )
        session.add(workshop)
        session.flush()
        session.add(WorkshopFollower(workshop_id=workshop.id, young_person_id=person_id))
    service.handle(person_id, Press(f"m|{meeting.id}|cannot"))
    service.handle(person_id, Text("Jeg skal til tandlæge"))
    return person_id


def rows_of(database: Database, person_id: int) -> dict[str, int]:
    """Per table of the LIVE schema (reflected), the rows that refer to the person."""
    reflected = MetaData()
    reflected.reflect(bind=database.engine)
    counts: dict[str, int] = {}
    with database.engine.connect() as connection:
        for table in reflected.sorted_tables:
            condition = belongs_to(table, person_id)
            if condition is not None:
                found = connection.scalar(select(func.count()).select_from(table).where(condition))
                counts[table.name] = found or 0
    return counts


def test_erasure_leaves_no_row_about_the_person_and_keeps_everyone_else(database, content, clock):
    service = ConversationService(database, content, clock=clock)
    erased = populate(database, service, clock, 111)
    kept = populate(database, service, clock, 222)
    before = rows_of(database, erased)
    reflected = MetaData()
    reflected.reflect(bind=database.engine)
    owning = {t.name for t in reflected.sorted_tables if belongs_to(t, erased) is not None}
    # Every table that can hold the person's data has some in this test, so each is checked.
    assert {name for name, count in before.items() if count} == owning
    with database.session() as session:
        counts = erase_person(session, erased, reason="request", now=clock())
    assert counts == {name: count for name, count in before.items() if count}
    database.dispose()
    restarted = Database(database.url)
    assert set(rows_of(restarted, erased).values()) == {0}
    assert rows_of(restarted, kept) == before
    with restarted.session() as session:
        [audit] = session.scalars(select(Erasure)).all()
        assert audit.reason == "request"
        assert audit.rows == counts
        assert "P111" not in str(audit.rows)
    restarted.dispose()


def test_every_table_that_refers_to_a_person_is_reached():
    """The schema's foreign keys lead from each table with personal data to young_person."""
    from storage.models import Base

    # Audit lines name no one; workshops and ideas (pooled ones too) are anonymous by design.
    impersonal = (
        "staff_user",
        "offer",  # the list of offers; which one a person received is person_offer
        "login_counter",  # keyed hashes of staff log-ins
        "staff_session",
        "processed_update",
        "erasure",
        "audit_event",
        "workshop",
        "idea",
        "idea_pool",
        "idea_vote",
    )
    for table in Base.metadata.sorted_tables:
        if table.name not in impersonal:
            assert belongs_to(table, 1) is not None, table.name
    assert belongs_to(Base.metadata.tables[PERSON_TABLE], 1) is not None


def test_deletion_in_the_bot_unlinks_the_chat_and_survives_a_restart(database, content, clock):
    service = ConversationService(database, content, clock=clock, erasure_mode="immediate")
    person_id = populate(database, service, clock, 333)
    service.handle_chat(333, Command("slet", ""), update_id=9001)
    service.handle_chat(333, Press("d|1"), update_id=9002)
    answer = replies(service.handle_chat(333, Press("d|2"), update_id=9003))
    assert "slettet" in answer[-1]
    restarted = ConversationService(Database(database.url), content, clock=clock)
    later = replies(restarted.handle_chat(333, Text("hej"), update_id=9004))
    assert "det link, du har fået af din kontaktperson" in later[0]
    assert set(rows_of(restarted.database, person_id).values()) == {0}
    restarted.database.dispose()


def test_a_deletion_request_ends_reminders_and_tells_the_coordinator(database, content, clock):
    from storage.models import Alert, YoungPerson

    service = ConversationService(database, content, clock=clock, erasure_mode="request")
    person_id = populate(database, service, clock, 444)
    service.handle(person_id, Command("slet", ""))
    service.handle(person_id, Press("d|1"))
    service.handle(person_id, Press("d|2"))
    with database.session() as session:
        assert session.get(YoungPerson, person_id).status == "ended"
        own = select(Alert).where(Alert.young_person_id == person_id)
        kinds = [a.kind for a in session.scalars(own)]
        assert "delete_request" in kinds
    assert rows_of(database, person_id)["answer"] == 5  # kept until the coordinator completes it


def test_the_export_holds_every_stored_row_and_nothing_about_others(database, content, clock):
    import json

    from bot.engine.messages import Document

    service = ConversationService(database, content, clock=clock)
    person_id = populate(database, service, clock, 555)
    populate(database, service, clock, 666)
    messages = service.handle(person_id, Command("mine_data", ""))
    summary = replies(messages)[0]
    assert "Det har vi gemt om dig:" in summary
    assert "• Svar: 5" in summary
    [document] = [m for m in messages if isinstance(m, Document)]
    export = json.loads(document.data)["tables"]
    stored = {table: count for table, count in rows_of(database, person_id).items() if count}
    assert {table: len(rows) for table, rows in export.items() if rows} == stored
    text = document.data.decode()
    assert "P555" in text
    assert "P666" not in text
    assert "Min praktikplads" in text  # the young person's own words
    assert "jeg vil ikke leve mere" in text
    response_ids = {r["id"] for r in export["questionnaire_response"]}
    assert {a["response_id"] for a in export["answer"]} <= response_ids
    for rows in export.values():
        for row in rows:
            assert row.get("young_person_id", person_id) == person_id
            assert not any(key.endswith("_hash") for key in row)
