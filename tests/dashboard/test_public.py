"""The public idea page /v/<code> in process: the board, bad input, votes and what is kept."""

from __future__ import annotations

import base64
import json
import logging
from datetime import timedelta

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import String, Text, func, select

from dashboard.public_limits import PublicLimits, vote_limits
from domain.workshops import add_idea, create_workshop, voter_hash
from storage import Database
from storage.models import Base, Idea, IdeaVote, Workshop
from tests.auxil.web import parse, post_form

ADDRESS = "203.0.113.7"  # a documentation address, unlike the database host
ANONYMOUS = "Vi gemmer ikke dit navn, din IP-adresse eller tidspunktet – kun dagen."
THEMES = ("Fællesskab", "Bolig")


def _workshop(database: Database, clock, *, opens: float = -1, closes: float = 2) -> str:
    """A workshop open from `opens` to `closes` hours from now; its code."""
    with database.session() as session:
        return create_workshop(
            session,
            title="Ungeværksted i Nordby",
            question="Hvad mangler der for unge i Nordby?",
            themes=THEMES,
            opens_at=clock() + timedelta(hours=opens),
            closes_at=clock() + timedelta(hours=closes),
            created_by=None,
            now=clock(),
        ).code


def _add(database: Database, clock, code: str, *texts: str, theme: str = THEMES[0]) -> list[int]:
    with database.session() as session:
        workshop = session.scalars(select(Workshop).where(Workshop.code == code)).one()
        return [
            add_idea(session, workshop, theme=theme, text=text, now=clock()).id for text in texts
        ]


def _shown(html: str) -> list[str]:
    return [e.text.strip() for e in parse(html).all("p", **{"class": "public-idea-text"})]


def _session_cookie(client) -> dict[str, object]:
    signed = client.cookies["ungeguide_session"].encode()
    data = TimestampSigner("test-secret").unsign(signed)
    decoded: dict[str, object] = json.loads(base64.b64decode(data))
    return decoded


async def test_the_page_shows_the_workshop_a_form_and_what_anonymous_means(client, database, clock):
    code = _workshop(database, clock)
    page = await client.get(f"/v/{code}")
    assert page.status_code == 200
    document = parse(page.text)
    assert document.all("html")[0].attrs["lang"] == "da"
    assert "Ungeværksted i Nordby" in document.text
    assert "Hvad mangler der for unge i Nordby?" in document.text
    assert ANONYMOUS in document.text
    radios = document.all("input", type="radio")
    assert [e.attrs["value"] for e in radios] == [*THEMES, "Andet"]
    assert [e for e in radios if "checked" in e.attrs] == []  # the visitor picks the theme
    assert "Vælg et tema" in document.text
    assert document.by_id("idea").attrs["maxlength"] == "1000"
    assert document.all("label", **{"for": "idea"})[0].text == "Din idé"
    assert "Send idé" in document.text
    assert "Log ud" not in document.text  # no staff menu
    assert "Idéerne bliver vist her, når der er kommet mindst 3." in document.text


async def test_a_code_is_case_insensitive_and_can_be_typed(client, database, clock):
    code = _workshop(database, clock)
    assert (await client.get(f"/v/{code.lower()}")).headers["location"] == f"/v/{code}"
    typed = await client.get("/v", params={"kode": f" {code.lower()} "})
    assert typed.status_code == 303
    assert typed.headers["location"] == f"/v/{code}"
    form = parse((await client.get("/v")).text)
    assert form.all("input", name="kode")
    assert form.all("label", **{"for": "kode"})


@pytest.mark.parametrize("count", [0, 1, 2, 3])
async def test_the_board_shows_nothing_below_three_ideas(client, database, clock, count):
    code = _workshop(database, clock)
    _add(database, clock, code, *[f"Idé nummer {n}" for n in range(count)])
    shown = _shown((await client.get(f"/v/{code}")).text)
    assert sorted(shown) == ([f"Idé nummer {n}" for n in range(count)] if count >= 3 else [])


async def test_ideas_are_never_listed_in_arrival_order(client, database, clock):
    code = _workshop(database, clock)
    sent = [f"Idé {n:02}" for n in range(30)]
    _add(database, clock, code, *sent)
    shown = _shown((await client.get(f"/v/{code}")).text)
    assert sorted(shown) == sent
    assert shown != sent


async def test_ideas_are_grouped_by_theme(client, database, clock):
    code = _workshop(database, clock)
    _add(database, clock, code, "Et hus", "En lejlighed", theme="Bolig")
    _add(database, clock, code, "En klub", theme="Fællesskab")
    document = parse((await client.get(f"/v/{code}")).text)
    assert [h.text for h in document.all("h3")] == ["Fællesskab", "Bolig"]


async def test_an_idea_is_stored_and_thanked_for(client, database, clock):
    code = _workshop(database, clock)
    sent = await post_form(client, f"/v/{code}", {"theme": "Bolig", "idea": "  Flere boliger  "})
    assert sent.status_code == 200
    document = parse(sent.text)
    assert "Tak for din idé!" in document.text
    assert ANONYMOUS in document.text
    assert document.all("a", href=f"/v/{code}")
    with database.session() as session:
        idea = session.scalars(select(Idea)).one()
        assert (idea.theme, idea.text) == ("Bolig", "Flere boliger")


@pytest.mark.parametrize(
    ("idea", "message"),
    [
        ("", "Skriv din idé først."),
        ("   ", "Skriv din idé først."),
        ("x" * 1001, "Din idé er på 1001 tegn. Der er plads til 1000."),
        ("🎉🔥🎉", "Skriv din idé med ord – emojis alene kan vi ikke læse op."),
        ("!!! 🙂 ???", "Skriv din idé med ord – emojis alene kan vi ikke læse op."),
    ],
)
async def test_bad_input_is_explained_beside_the_field_and_the_text_kept(
    client, database, clock, idea, message
):
    code = _workshop(database, clock)
    answer = await post_form(client, f"/v/{code}", {"theme": "Bolig", "idea": idea})
    assert answer.status_code == 400
    document = parse(answer.text)
    assert document.by_id("idea-error").text == message
    field = document.by_id("idea")
    assert field.attrs["aria-invalid"] == "true"
    assert "idea-error" in field.attrs["aria-describedby"]
    assert field.text == idea.strip()
    assert document.all("input", type="radio", value="Bolig")[0].attrs.get("checked") == ""
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Idea)) == 0


async def test_links_and_script_tags_are_kept_and_shown_as_text(client, database, clock):
    code = _workshop(database, clock)
    payloads = [
        "<script>alert(1)</script> mere lys",
        '<img src=x onerror="alert(1)"> en skaterbane',
        "Se https://example.org og <a href='javascript:alert(1)'>klik</a>",
    ]
    for payload in payloads:
        sent = await post_form(client, f"/v/{code}", {"theme": "Bolig", "idea": payload})
        assert sent.status_code == 200
    page = (await client.get(f"/v/{code}")).text
    assert sorted(_shown(page)) == sorted(payloads)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "href='javascript" not in page and 'href="javascript' not in page
    assert not parse(page).all("img")


async def test_an_unknown_code_is_a_kind_404(client):
    answer = await client.get("/v/ZZZZZZ")
    assert answer.status_code == 404
    document = parse(answer.text)
    assert "Vi kender ikke den kode. Tjek den, og prøv igen." in document.text
    assert document.by_id("kode").attrs["value"] == "ZZZZZZ"
    assert (await client.get("/v/---")).status_code == 404


async def test_a_workshop_not_yet_open_says_when_it_opens(client, database, clock):
    code = _workshop(database, clock, opens=3, closes=5)
    document = parse((await client.get(f"/v/{code}")).text)
    assert "Værkstedet åbner tirsdag den 24. november 2026 kl. 17.00" in document.text
    assert not document.all("textarea")


async def test_a_closed_workshop_shows_its_ideas_read_only(client, database, clock):
    code = _workshop(database, clock)
    _add(database, clock, code, "En", "To", "Tre")
    page = await client.get(f"/v/{code}")
    clock.advance(hours=3)
    document = parse((await client.get(f"/v/{code}")).text)
    assert "Værkstedet er lukket" in document.text
    assert not document.all("textarea")
    assert not document.all("form")
    assert sorted(_shown(page.text)) == ["En", "To", "Tre"]
    csrf = parse(page.text).csrf()
    late = await client.post(f"/v/{code}", data={"csrf": csrf, "theme": "Bolig", "idea": "Sent"})
    assert late.status_code == 409
    assert "Værkstedet er lukket" in parse(late.text).text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Idea)) == 3


async def test_a_form_without_its_csrf_token_is_refused(client, database, clock):
    code = _workshop(database, clock)
    await client.get(f"/v/{code}")
    answer = await client.post(f"/v/{code}", data={"theme": "Bolig", "idea": "Hej"})
    assert answer.status_code == 400
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Idea)) == 0


async def test_flooding_gets_a_kind_429_until_the_window_has_passed(client, database, clock):
    code = _workshop(database, clock)
    csrf = parse((await client.get(f"/v/{code}")).text).csrf()
    for n in range(5):
        sent = await client.post(
            f"/v/{code}", data={"csrf": csrf, "theme": "Bolig", "idea": f"Idé {n}"}
        )
        assert sent.status_code == 200
    flooded = await client.post(
        f"/v/{code}", data={"csrf": csrf, "theme": "Bolig", "idea": "Idé 6"}
    )
    assert flooded.status_code == 429
    document = parse(flooded.text)
    assert document.by_id("idea-refused").text == (
        "Du har sendt mange idéer på kort tid. Vent lidt, og prøv igen."
        " Din idé er ikke sendt endnu. Den står stadig i feltet herunder."
    )
    assert document.by_id("idea").text == "Idé 6"
    clock.advance(minutes=10)
    again = await client.post(f"/v/{code}", data={"csrf": csrf, "theme": "Bolig", "idea": "Idé 6"})
    assert again.status_code == 200
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Idea)) == 6


async def test_a_person_can_vote_only_once_per_idea(client, web, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To", "Tre")
    csrf = parse((await client.get(f"/v/{code}")).text).csrf()
    voted = await client.post(f"/v/{code}/stem/{first}", data={"csrf": csrf})
    assert voted.status_code == 303
    assert voted.headers["location"] == f"/v/{code}#idea-{first}"
    again = await client.post(f"/v/{code}/stem/{first}", data={"csrf": csrf})
    assert again.status_code == 303
    document = parse((await client.get(f"/v/{code}")).text)
    assert "Du har allerede stemt på den idé." in document.text
    item = document.by_id(f"idea-{first}")
    assert "Stemmer: 1" in item.text
    assert "Du har stemt" in item.text
    assert not [
        b for b in document.all("button") if b.attrs.get("aria-describedby") == f"idea-{first}-text"
    ]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(IdeaVote)) == 1


async def test_someone_else_can_vote_too(web, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To", "Tre")
    for _person in range(2):
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as c:
            answer = await post_form(c, f"/v/{code}/stem/{first}", {}, page=f"/v/{code}")
            assert answer.status_code == 303
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="http://dashboard.test"
    ) as c:
        item = parse((await c.get(f"/v/{code}")).text).by_id(f"idea-{first}")
        assert "Stemmer: 2" in item.text
        assert "Stem" in item.text and "Du har stemt" not in item.text


async def test_a_vote_is_a_salted_hash_of_the_browser_token(client, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To", "Tre")
    await post_form(client, f"/v/{code}/stem/{first}", {}, page=f"/v/{code}")
    token = _session_cookie(client)["voter"]
    assert isinstance(token, str) and len(token) >= 24
    with database.session() as session:
        workshop = session.scalars(select(Workshop)).one()
        stored = session.scalars(select(IdeaVote.voter)).one()
        assert stored != token
        assert token not in stored
        assert stored == voter_hash(workshop, "web:" + token)


async def test_votes_on_ideas_not_on_the_board_are_404(client, database, clock):
    code = _workshop(database, clock)
    other = _workshop(database, clock)
    early = _add(database, clock, code, "Tidlig")[0]
    csrf = parse((await client.get(f"/v/{code}")).text).csrf()
    assert (await client.post(f"/v/{code}/stem/{early}", data={"csrf": csrf})).status_code == 404
    hidden, merged, kept, *_ = _add(database, clock, code, "Skjult", "Flettet", "Beholdt", "Mere")
    foreign = _add(database, clock, other, "Et", "Andet", "Sted")[0]
    with database.session() as session:
        session.get(Idea, hidden).hidden = True
        session.get(Idea, merged).merged_into = kept
    for idea_id in (hidden, merged, foreign, 999_999):
        answer = await client.post(f"/v/{code}/stem/{idea_id}", data={"csrf": csrf})
        assert answer.status_code == 404, idea_id
    assert (await client.post(f"/v/ZZZZZZ/stem/{kept}", data={"csrf": csrf})).status_code == 404
    assert (await client.post(f"/v/{code}/stem/{kept}", data={"csrf": csrf})).status_code == 303
    with database.session() as session:
        assert session.scalars(select(IdeaVote.idea_id)).all() == [kept]


async def test_voting_after_closing_changes_nothing(client, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To", "Tre")
    csrf = parse((await client.get(f"/v/{code}")).text).csrf()
    clock.advance(hours=3)
    answer = await client.post(f"/v/{code}/stem/{first}", data={"csrf": csrf})
    assert answer.status_code == 303
    page = parse((await client.get(f"/v/{code}")).text)
    assert "Afstemningen er slut for dette værksted." in page.text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(IdeaVote)) == 0


async def test_vote_flooding_gets_a_kind_429(client, web, database, clock):
    web.state.public_limits = PublicLimits(votes=vote_limits(device=2))
    code = _workshop(database, clock)
    ids = _add(database, clock, code, "En", "To", "Tre")
    csrf = parse((await client.get(f"/v/{code}")).text).csrf()
    answers = [await client.post(f"/v/{code}/stem/{n}", data={"csrf": csrf}) for n in ids]
    assert [a.status_code for a in answers] == [303, 303, 429]
    assert "Du har stemt mange gange på kort tid. Vent lidt, og prøv igen." in answers[2].text
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(IdeaVote)) == 2


def _all_text(database: Database) -> str:
    found: list[str] = []
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in connection.execute(select(*columns)):
                    found.extend(str(value) for value in row if value is not None)
    return "\n".join(found)


async def test_no_address_or_browser_token_is_stored(web, client, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To")
    await post_form(client, f"/v/{code}", {"theme": "Bolig", "idea": "Et sted at være"})
    await post_form(client, f"/v/{code}/stem/{first}", {}, page=f"/v/{code}")
    transport = httpx.ASGITransport(app=web, client=(ADDRESS, 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as other:
        await post_form(other, f"/v/{code}", {"theme": "Bolig", "idea": "Et andet sted"})
        await post_form(other, f"/v/{code}/stem/{first}", {}, page=f"/v/{code}")
        secrets = [
            str(_session_cookie(c)[key]) for c in (client, other) for key in ("voter", "csrf")
        ]
    assert all(len(secret) >= 24 for secret in secrets)
    stored = _all_text(database)
    assert "Bolig" in stored  # the scan sees the rows
    for secret in ("127.0.0.1", "testclient", ADDRESS, *secrets):
        assert secret not in stored


async def test_the_logs_hold_neither_the_idea_nor_the_address(web, database, clock, caplog):
    """Even with SQLAlchemy's statement log on: the idea is stored encrypted, the address never."""
    code = _workshop(database, clock)
    transport = httpx.ASGITransport(app=web, client=(ADDRESS, 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.test") as client:
        page = await client.get(f"/v/{code}")
        caplog.set_level(logging.DEBUG)
        caplog.set_level(logging.DEBUG, logger="sqlalchemy")
        idea = "Et hemmeligt sted ved søen"
        sent = await client.post(
            f"/v/{code}", data={"csrf": parse(page.text).csrf(), "theme": "Bolig", "idea": idea}
        )
    assert sent.status_code == 200
    assert "INSERT INTO idea" in caplog.text  # the log really was on
    assert idea not in caplog.text
    assert ADDRESS not in caplog.text
