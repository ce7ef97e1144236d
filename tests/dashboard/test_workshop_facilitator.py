"""The facilitator's tools of issue 18 point 7 on real SQLite and PostgreSQL: the projector's QR
code and join code, undoing a merge, and an error page that says what really went wrong."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from domain import workshops
from storage.models import Idea, IdeaVote, Workshop
from tests.auxil.web import log_in, parse, post_form

STALE = "Siden var for gammel eller blev ændret. Gå tilbage, genindlæs siden, og prøv igen."


@pytest.fixture
def workshop(database, clock, facilitator):
    with database.session() as session:
        return workshops.create_workshop(
            session,
            title="Godt ungeliv",
            question="Hvad skal der til?",
            themes=["fællesskab", "bolig"],
            opens_at=clock() - timedelta(hours=1),
            closes_at=clock() + timedelta(hours=3),
            created_by=facilitator.id,
            now=clock(),
        ).id


def _ideas(database, clock, workshop_id, *texts):
    with database.session() as session:
        found = session.get(Workshop, workshop_id)
        return [
            workshops.add_idea(session, found, theme="bolig", text=text, now=clock()).id
            for text in texts
        ]


def _snapshot(database, workshop_id):
    """Every stored fact about the workshop's ideas and votes, and the counts shown."""
    with database.session() as session:
        ideas = sorted(
            (i.id, i.theme, i.text, i.sent_on, i.hidden, i.shuffle, i.flagged, i.merged_into,
             i.status, i.outcome)
            for i in session.scalars(select(Idea).where(Idea.workshop_id == workshop_id))
        )  # fmt: skip
        votes = sorted(
            tuple(row) for row in session.execute(select(IdeaVote.idea_id, IdeaVote.voter))
        )
        counts = workshops.votes(session, session.get(Workshop, workshop_id))
    return ideas, votes, counts


def _top_ideas(html):
    return sorted(e.text for e in parse(html).all("p", **{"class": "idea-text"}))


async def test_the_projector_shows_the_qr_code_and_the_join_code(
    client, facilitator, database, workshop
):
    await log_in(client, facilitator)
    answer = await client.get(f"/vaerksteder/{workshop}/projektor")
    page = parse(answer.text)
    with database.session() as session:
        code = session.get(Workshop, workshop).code
    assert page.by_id("join-code").text == code
    assert f"gå til http://dashboard.test/v/{code}" in page.text
    [qr] = page.all("div", **{"class": "projector-qr"})
    assert qr.attrs["role"] == "img" and qr.attrs["aria-label"] == "QR-kode til idé-siden"
    [svg] = page.all("svg")
    assert svg.attrs["viewbox"].startswith("0 0 ")  # scales with the page, no inline style
    assert "style" not in answer.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "script-src 'self'" in answer.headers["content-security-policy"]


async def test_undoing_a_merge_restores_exactly_what_was_there(
    client, facilitator, database, clock, workshop
):
    first, second, third, *_others = _ideas(
        database,
        clock,
        workshop,
        "Billige boliger",
        "billige boliger!!",
        "Flere boliger",
        "Et hus",
        "En klub",
    )
    with database.session() as session:
        found = session.get(Workshop, workshop)
        for voter, idea_id in (("a", first), ("b", second), ("c", third), ("d", third)):
            workshops.vote(session, found, session.get(Idea, idea_id), voter, now=clock())
    await log_in(client, facilitator)
    board = f"/vaerksteder/{workshop}"
    # "Flere boliger" goes into "billige boliger!!" first: merges can chain.
    await post_form(client, f"{board}/ideer/{third}/flet", {"into": str(second)}, page=board)
    before = _snapshot(database, workshop)
    shown_before = _top_ideas((await client.get(board)).text)
    assert before[2] == {first: 1, second: 3}

    merged = await post_form(
        client, f"{board}/ideer/{second}/flet", {"into": str(first)}, page=board
    )
    assert merged.status_code == 303 and merged.headers["location"].endswith(f"#idea-{first}")
    page = parse((await client.get(board)).text)
    assert page.by_id("notice").text.startswith("Idéerne er slået sammen. Du kan fortryde det")
    assert _top_ideas((await client.get(board)).text) == ["Billige boliger", "En klub", "Et hus"]
    with database.session() as session:
        assert workshops.votes(session, session.get(Workshop, workshop)) == {first: 4}
    undo_buttons = page.all("button", **{"aria-describedby": f"idea-{second}"})
    assert [b.text for b in undo_buttons] == ["Fortryd sammenlægning"]
    assert page.all("form", action=f"{board}/ideer/{third}/fortryd")  # the chain's end too

    undone = await post_form(client, f"{board}/ideer/{second}/fortryd", {}, page=board)
    assert undone.status_code == 303 and undone.headers["location"].endswith(f"#idea-{second}")
    assert _snapshot(database, workshop) == before
    page = parse((await client.get(board)).text)
    assert page.by_id("notice").text == "Sammenlægningen er fortrudt: idéen står for sig selv igen."
    assert _top_ideas((await client.get(board)).text) == shown_before
    again = await post_form(client, f"{board}/ideer/{second}/fortryd", {}, page=board)
    assert again.status_code == 303
    assert _snapshot(database, workshop) == before
    page = parse((await client.get(board)).text)
    assert page.by_id("notice").text == (
        "Idéen var ikke slået sammen med en anden, så der var intet at fortryde."
    )


async def test_each_refused_form_says_its_own_reason(
    client, web, facilitator, coordinator, database, clock, workshop
):
    first, second, third = _ideas(database, clock, workshop, "Boliger", "Kollegier", "Et hus")
    await log_in(client, facilitator)
    board = f"/vaerksteder/{workshop}"
    stale = await client.post(f"{board}/ideer/{first}/skjul", data={"csrf": "from-an-old-page"})
    assert stale.status_code == 400
    assert parse(stale.text).by_id("error-reason").text == STALE

    await post_form(client, f"{board}/ideer/{second}/flet", {"into": str(third)}, page=board)
    into_merged = await post_form(
        client, f"{board}/ideer/{first}/flet", {"into": str(second)}, page=board
    )
    assert into_merged.status_code == 400
    reason = parse(into_merged.text).by_id("error-reason").text
    assert reason.startswith("Idéerne kunne ikke slås sammen: en af dem er slået sammen")
    twice = await post_form(
        client, f"{board}/ideer/{second}/flet", {"into": str(first)}, page=board
    )
    assert parse(twice.text).by_id("error-reason").text == reason
    bad_status = await post_form(
        client, f"{board}/ideer/{first}/status", {"status": "done", "outcome": ""}, page=board
    )
    assert bad_status.status_code == 400
    assert parse(bad_status.text).by_id("error-reason").text == (
        "Vælg på listen, hvad der skete med idéen, og skriv en note på højst 500 tegn."
    )
    with database.session() as session:
        assert session.get(Idea, first).merged_into is None
        assert session.get(Idea, first).status == "new"
    for answer in (into_merged, twice, bad_status):
        assert "for gammel" not in answer.text

    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as staff:
        await log_in(staff, coordinator)
        other = await post_form(
            staff, f"/personale/{coordinator.id}", {"stand_in": "ikke-et-tal"}, page="/personale"
        )
    assert other.status_code == 400
    assert parse(other.text).by_id("error-reason").text == (
        "Noget i formularen var ikke som ventet."
        " Gå tilbage, se det, du valgte, efter, og prøv igen."
    )
