"""The public idea page of issue 18 point 7 on real SQLite and PostgreSQL: the visitor chooses the
theme (or "Andet"), a stale page keeps the idea, and a closed workshop shows what became of the
ideas in the same words the bot sends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dashboard.workshop_board import outcome_message
from domain import workshops
from storage.models import Idea, IdeaStatus, Workshop
from tests.auxil.web import log_in, parse, post_form

THEMES = ["Fællesskab", "Bolig"]


def _workshop(database, clock) -> tuple[int, str]:
    with database.session() as session:
        made = workshops.create_workshop(
            session,
            title="Ungeværksted i Nordby",
            question="Hvad mangler der for unge?",
            themes=THEMES,
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=None,
            now=clock(),
        )
        return made.id, made.code


def _ideas(database) -> list[tuple[str, str]]:
    with database.session() as session:
        return sorted((i.theme, i.text) for i in session.scalars(select(Idea)))


async def test_without_a_theme_nothing_is_sent_and_the_idea_is_kept(client, database, clock):
    _, code = _workshop(database, clock)
    for theme in ("", "Noget helt andet"):  # none chosen, or one the workshop does not have
        answer = await post_form(client, f"/v/{code}", {"theme": theme, "idea": "Et ungehus"})
        assert answer.status_code == 400
        page = parse(answer.text)
        assert page.by_id("theme-error").text == "Vælg et tema, eller »Andet«."
        assert page.by_id("idea").text == "Et ungehus"
        assert [e for e in page.all("input", type="radio") if "checked" in e.attrs] == []
    both = await post_form(client, f"/v/{code}", {"idea": "   "})
    page = parse(both.text)
    assert page.by_id("theme-error").text == "Vælg et tema, eller »Andet«."
    assert page.by_id("idea-error").text == "Skriv din idé først."
    kept = await post_form(client, f"/v/{code}", {"theme": "Bolig", "idea": ""})
    page = parse(kept.text)
    assert [e.attrs["value"] for e in page.all("input", type="radio") if "checked" in e.attrs] == [
        "Bolig"
    ]
    assert _ideas(database) == []


async def test_an_idea_under_other_is_stored_and_shown_under_other(
    client, facilitator, database, clock
):
    workshop_id, code = _workshop(database, clock)
    for theme, idea in (("Andet", "Gratis bus"), ("Bolig", "Kollegier"), ("Andet", "Et bibliotek")):
        answer = await post_form(client, f"/v/{code}", {"theme": theme, "idea": idea})
        assert answer.status_code == 200
    assert _ideas(database) == [
        ("Andet", "Et bibliotek"),
        ("Andet", "Gratis bus"),
        ("Bolig", "Kollegier"),
    ]
    page = parse((await client.get(f"/v/{code}")).text)
    assert [h.text for h in page.all("h3")] == ["Bolig", "Andet"]  # after the workshop's own
    await log_in(client, facilitator)
    board = parse((await client.get(f"/vaerksteder/{workshop_id}")).text)
    assert [h.text.split(" (")[0] for h in board.all("h3")] == ["Bolig", "Andet"]


async def test_a_workshop_with_its_own_andet_theme_offers_it_once(client, database, clock):
    with database.session() as session:
        code = workshops.create_workshop(
            session,
            title="T",
            question="Q",
            themes=["Bolig", "andet"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=2),
            created_by=None,
            now=clock(),
        ).code
    page = parse((await client.get(f"/v/{code}")).text)
    assert [e.attrs["value"] for e in page.all("input", type="radio")] == ["Bolig", "andet"]


async def test_a_stale_page_keeps_the_idea_and_says_so(client, database, clock):
    _, code = _workshop(database, clock)
    await client.get(f"/v/{code}")
    answer = await client.post(
        f"/v/{code}", data={"csrf": "from-yesterday", "theme": "Bolig", "idea": "Et ungehus"}
    )
    assert answer.status_code == 400
    page = parse(answer.text)
    assert page.by_id("idea-stale").text == (
        "Siden var for gammel, så din idé er ikke sendt endnu."
        " Den står stadig i feltet herunder: tryk på »Send idé« igen."
    )
    assert page.by_id("idea").text == "Et ungehus"
    checked = [e.attrs["value"] for e in page.all("input", type="radio") if "checked" in e.attrs]
    assert checked == ["Bolig"]
    assert _ideas(database) == []
    again = await client.post(
        f"/v/{code}", data={"csrf": page.csrf(), "theme": "Bolig", "idea": "Et ungehus"}
    )
    assert again.status_code == 200
    assert _ideas(database) == [("Bolig", "Et ungehus")]


async def test_a_closed_workshop_shows_the_facilitators_outcome_message(
    client, facilitator, database, clock, content
):
    workshop_id, code = _workshop(database, clock)
    with database.session() as session:
        found = session.get(Workshop, workshop_id)
        ids = [
            workshops.add_idea(session, found, theme="Bolig", text=text, now=clock()).id
            for text in ("Billige boliger", "Kollegier", "Et ungehus")
        ]
    assert parse((await client.get(f"/v/{code}")).text).all("section", id="outcome") == []
    await log_in(client, facilitator)
    board = f"/vaerksteder/{workshop_id}"
    await post_form(
        client,
        f"{board}/ideer/{ids[0]}/status",
        {"status": IdeaStatus.TAKEN_FORWARD, "outcome": "Med i boligplanen"},
        page=board,
    )
    preview = parse((await client.get(f"{board}/fortael")).text)
    sent_text = preview.by_id("outcome-preview").text
    assert "De, der sendte idéer på idésiden, ser den samme besked dér" in preview.text
    check = preview.all("input", name="check")[0].attrs["value"]
    await client.post(f"{board}/fortael", data={"csrf": preview.csrf(), "check": check})
    clock.advance(hours=3)  # the workshop closes
    page = parse((await client.get(f"/v/{code}")).text)
    assert "Værkstedet er lukket." in page.text
    section = page.by_id("outcome")
    assert section.text.strip().startswith("Sådan gik det med idéerne")
    assert sent_text in section.text
    assert "Billige boliger – Med i boligplanen" in section.text
    with database.session() as session:
        found = session.get(Workshop, workshop_id)
        handled = [session.get(Idea, ids[0])]
        assert sent_text == outcome_message(found, handled, content.texts.ideas)
        assert session.scalar(select(func.count()).select_from(Idea)) == 3
