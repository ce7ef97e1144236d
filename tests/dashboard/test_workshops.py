"""The facilitator's workshops on real SQLite and PostgreSQL: the board and its threshold,
moderation, merging, export, and closing the loop without linking anyone to an idea."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from domain import workshops
from domain.people import create_young_person
from storage.models import (
    Idea,
    IdeaVote,
    PersonStatus,
    Reminder,
    Workshop,
    WorkshopFollower,
)
from tests.auxil.web import log_in, parse, post_form


@pytest.fixture
def workshop(database, clock, facilitator):
    with database.session() as session:
        created = workshops.create_workshop(
            session,
            title="Godt ungeliv",
            question="Hvad skal der til?",
            themes=["fællesskab", "bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=3),
            created_by=facilitator.id,
            now=clock(),
        )
        return created.id


def _ideas(database, clock, workshop_id, texts, *, follower=None):
    with database.session() as session:
        found = session.get(Workshop, workshop_id)
        return [
            workshops.add_idea(
                session, found, theme=theme, text=text, now=clock(), follower=follower
            ).id
            for theme, text in texts
        ]


async def test_creating_a_workshop_checks_every_field(client, facilitator, database):
    await log_in(client, facilitator)
    bad = await post_form(
        client,
        "/vaerksteder/ny",
        {
            "title": "",
            "question": "x",
            "themes": " , ",
            "opens_day": "2026-12-01",
            "opens_at": "10:00",
            "closes_day": "2026-12-01",
            "closes_at": "09:00",
        },
    )
    assert bad.status_code == 400
    text = parse(bad.text).text
    assert "Skriv en titel." in text and "Skriv mindst ét tema." in text
    assert "Det skal lukke, efter det åbner." in text
    good = await post_form(
        client,
        "/vaerksteder/ny",
        {
            "title": "Ungeliv",
            "question": "Hvad mangler du?",
            "themes": "bolig, Bolig, fritid",
            "opens_day": "2026-12-01",
            "opens_at": "10:00",
            "closes_day": "2026-12-01",
            "closes_at": "14:00",
        },
    )
    assert good.status_code == 303
    with database.session() as session:
        created = session.scalars(select(Workshop)).one()
    assert created.themes == ["bolig", "fritid"]
    assert created.opens_at.isoformat() == "2026-12-01T09:00:00+00:00"
    board = parse((await client.get(good.headers["location"])).text)
    assert board.by_id("join-code").text == created.code
    assert "Intet vises, før der er mindst 3 idéer" in board.text


async def test_the_board_shows_nothing_below_three_ideas(
    client, facilitator, database, clock, workshop
):
    await log_in(client, facilitator)
    _ideas(database, clock, workshop, [("bolig", "Billige boliger"), ("bolig", "Flere kollegier")])
    page = parse((await client.get(f"/vaerksteder/{workshop}")).text)
    assert "Billige boliger" not in page.text
    assert "Idéer indtil nu: 2." in page.text
    projector = await client.get(f"/vaerksteder/{workshop}/projektor")
    assert "Billige boliger" not in projector.text
    _ideas(database, clock, workshop, [("fællesskab", "Et ungehus")])
    page = parse((await client.get(f"/vaerksteder/{workshop}")).text)
    assert "Billige boliger" in page.text and "Et ungehus" in page.text
    projector = await client.get(f"/vaerksteder/{workshop}/projektor")
    assert 'data-poll="/vaerksteder/' in projector.text and "Et ungehus" in projector.text


async def test_hide_flag_merge_and_export(client, facilitator, database, clock, workshop):
    await log_in(client, facilitator)
    first, second, rude, other = _ideas(
        database,
        clock,
        workshop,
        [
            ("bolig", "Billige boliger"),
            ("bolig", "billige boliger!!"),
            ("bolig", "Det hele er noget lort"),
            ("fællesskab", "Et ungehus"),
        ],
    )
    with database.session() as session:
        found = session.get(Workshop, workshop)
        assert session.get(Idea, rude).flagged
        assert session.get(Idea, rude).hidden  # held back until the facilitator shows it
        for voter in ("a", "b"):
            workshops.vote(session, found, session.get(Idea, second), voter, now=clock())
    board = f"/vaerksteder/{workshop}"
    hidden = await post_form(client, f"{board}/ideer/{rude}/skjul", {}, page=board)
    assert hidden.status_code == 303
    merged = await post_form(
        client, f"{board}/ideer/{second}/flet", {"into": str(first)}, page=board
    )
    assert merged.status_code == 303
    wrong = await post_form(client, f"{board}/ideer/{first}/flet", {"into": "999999"}, page=board)
    assert wrong.status_code == 400
    marked = await post_form(
        client,
        f"{board}/ideer/{first}/status",
        {"status": "taken_forward", "outcome": "Med i boligplanen"},
        page=board,
    )
    assert marked.status_code == 303
    export = await client.get(f"/vaerksteder/{workshop}.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tema", "Idé", "Stemmer", "Status", "Hvad skete der"]
    assert sorted(rows[1:]) == [
        ["bolig", "Billige boliger", "2", "Taget videre", "Med i boligplanen"],
        ["fællesskab", "Et ungehus", "0", "Ikke behandlet endnu", ""],
    ]
    assert (await client.get(f"/vaerksteder/{workshop}.xlsx")).status_code == 200
    restored = await post_form(client, f"{board}/ideer/{rude}/vis", {}, page=board)
    assert restored.status_code == 303
    with database.session() as session:
        assert not session.get(Idea, rude).hidden
    assert other


async def test_closing_the_loop_tells_every_bot_sender_once_and_forgets_them(
    client, facilitator, database, clock, workshop
):
    with database.session() as session:
        made = [
            create_young_person(session, pseudonym=f"P{n}", birth_year=2008, now=clock())
            for n in range(4)
        ]
        for person in made[:3]:
            person.status = PersonStatus.ACTIVE
        made[2].status = PersonStatus.PAUSED  # the outbox sends nothing to a paused person
        people = [person.id for person in made]
    first = _ideas(database, clock, workshop, [("bolig", "Billige boliger")], follower=people[0])[0]
    _ideas(database, clock, workshop, [("bolig", "Flere kollegier")], follower=people[1])
    _ideas(database, clock, workshop, [("bolig", "Mere plads")], follower=people[1])
    _ideas(database, clock, workshop, [("bolig", "Et værksted")], follower=people[2])
    _ideas(database, clock, workshop, [("bolig", "Et spillested")], follower=people[3])  # invited
    _ideas(database, clock, workshop, [("fællesskab", "Et ungehus")])  # from the web page
    await log_in(client, facilitator)
    board = f"/vaerksteder/{workshop}"
    none_handled = await post_form(client, f"{board}/fortael", {}, page=board)
    assert none_handled.status_code == 400
    assert parse(none_handled.text).by_id("error-reason").text == (
        "Intet blev sendt: ingen idé er markeret som drøftet eller taget videre endnu."
        " Markér først idéer på tavlen."
    )
    await post_form(
        client,
        f"{board}/ideer/{first}/status",
        {"status": "taken_forward", "outcome": "Med i boligplanen"},
        page=board,
    )
    preview = parse((await client.get(f"{board}/fortael")).text)
    assert preview.by_id("recipients").text == (
        "Unge, der sendte idéer gennem botten og får beskeden fra den: 2."
    )
    shown = preview.by_id("outcome-preview").text
    assert "Billige boliger – Med i boligplanen" in shown
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 0  # a look only
    check = preview.all("input", name="check")[0].attrs["value"]
    sent = await client.post(f"{board}/fortael", data={"csrf": preview.csrf(), "check": check})
    assert sent.status_code == 303
    with database.session() as session:
        reminders = session.scalars(select(Reminder)).all()
        assert sorted(r.young_person_id for r in reminders) == people[:2]  # the promised 2
        assert {r.kind for r in reminders} == {"workshop_outcome"}
        assert {r.body for r in reminders} == {shown}  # exactly the previewed message
        assert session.scalar(select(func.count()).select_from(WorkshopFollower)) == 0
        assert session.get(Workshop, workshop).outcome_sent_at == clock()
    after = parse((await client.get(sent.headers["location"])).text)
    assert after.by_id("notice").text == "Beskeden er på vej. Unge, der får den fra botten: 2."
    again = await client.post(f"{board}/fortael", data={"csrf": preview.csrf(), "check": check})
    assert again.status_code == 400
    assert parse(again.text).by_id("error-reason").text == (
        "Beskeden er allerede sendt. Den kan kun sendes én gang, så intet blev sendt nu."
    )
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 2


async def test_a_send_that_no_longer_matches_its_preview_sends_nothing(
    client, facilitator, database, clock, workshop
):
    with database.session() as session:
        person = create_young_person(session, pseudonym="P", birth_year=2008, now=clock())
        person.status = PersonStatus.ACTIVE
        person_id = person.id
    first, second, _third = _ideas(
        database,
        clock,
        workshop,
        [("bolig", "Billige boliger"), ("bolig", "Kollegier"), ("bolig", "Plads")],
    )
    await log_in(client, facilitator)
    board = f"/vaerksteder/{workshop}"
    await post_form(client, f"{board}/ideer/{first}/status", {"status": "discussed"}, page=board)
    preview = parse((await client.get(f"{board}/fortael")).text)
    assert preview.by_id("recipients").text.endswith("fra den: 0.")
    check = preview.all("input", name="check")[0].attrs["value"]
    # Meanwhile a young person sends an idea through the bot, and another idea is marked.
    with database.session() as session:
        workshops.add_follower(session, session.get(Workshop, workshop), person_id)
    changed = await client.post(f"{board}/fortael", data={"csrf": preview.csrf(), "check": check})
    assert changed.status_code == 409
    page = parse(changed.text)
    assert page.by_id("changed").text.startswith("Noget er ændret, siden du kiggede")
    assert page.by_id("recipients").text.endswith("fra den: 1.")
    await post_form(client, f"{board}/ideer/{second}/status", {"status": "discussed"}, page=board)
    stale = page.all("input", name="check")[0].attrs["value"]
    again = await client.post(f"{board}/fortael", data={"csrf": page.csrf(), "check": stale})
    assert again.status_code == 409  # the message changed: "Kollegier" is in it now
    assert "Kollegier" in parse(again.text).by_id("outcome-preview").text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Reminder)) == 0
        assert session.get(Workshop, workshop).outcome_sent_at is None


def test_no_idea_column_can_point_to_a_person(database):
    columns = {column["name"] for column in inspect(database.engine).get_columns("idea")}
    assert columns == {
        "id",
        "workshop_id",
        "theme",
        "text",
        "sent_on",
        "hidden",
        "shuffle",
        "flagged",
        "merged_into",
        "status",
        "outcome",
    }
    foreign = {key["referred_table"] for key in inspect(database.engine).get_foreign_keys("idea")}
    assert foreign == {"workshop", "idea"}


def test_voters_are_forgotten_when_the_workshop_closes(database, clock, workshop):
    [idea_id] = _ideas(database, clock, workshop, [("bolig", "Billige boliger")])
    with database.session() as session:
        found = session.get(Workshop, workshop)
        assert workshops.vote(session, found, session.get(Idea, idea_id), "chat:1", now=clock())
        assert not workshops.vote(session, found, session.get(Idea, idea_id), "chat:1", now=clock())
        stored = session.scalars(select(IdeaVote.voter)).one()
        assert stored == workshops.voter_hash(found, "chat:1") != "chat:1"
    later = clock() + timedelta(hours=4)
    with database.session() as session:
        assert workshops.forget_voters(session, now=later) == 1
    with database.session() as session:
        found = session.get(Workshop, workshop)
        assert found.vote_salt is None
        assert session.scalars(select(IdeaVote.voter)).one() != stored
        assert workshops.votes(session, found) == {idea_id: 1}
        assert not workshops.vote(session, found, session.get(Idea, idea_id), "chat:2", now=later)


async def test_only_facilitators_and_admins_reach_workshops(client, coordinator, workshop):
    await log_in(client, coordinator)
    assert (await client.get("/vaerksteder")).status_code == 404
    assert (await client.get(f"/vaerksteder/{workshop}")).status_code == 404


def test_the_planner_forgets_voters_of_closed_workshops(database, content, clock, workshop):
    from domain.reminder_timing import ReminderRules
    from scheduler.runner import Planner

    later = clock() + timedelta(hours=4)
    Planner(
        database, content, clock=lambda: later, rules=ReminderRules(), keep_for=timedelta(days=365)
    ).plan()
    with database.session() as session:
        assert session.get(Workshop, workshop).vote_salt is None


async def test_an_idea_never_becomes_a_spreadsheet_formula(
    client, facilitator, database, clock, workshop
):
    from openpyxl import load_workbook

    _ideas(
        database,
        clock,
        workshop,
        [("bolig", '=HYPERLINK("x")'), ("bolig", "@SUM(1)"), ("bolig", "Et ungehus")],
    )
    await log_in(client, facilitator)
    text = (await client.get(f"/vaerksteder/{workshop}.csv")).content.decode("utf-8-sig")
    cells = {row[1] for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert {'\'=HYPERLINK("x")', "'@SUM(1)", "Et ungehus"} <= cells
    book = load_workbook(io.BytesIO((await client.get(f"/vaerksteder/{workshop}.xlsx")).content))
    sheet = book.active
    assert sheet is not None
    formulas = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "f"]
    assert formulas == []
