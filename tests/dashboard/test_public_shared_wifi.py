"""The public idea page when many people share one address (a class on the school's wi-fi): the
limits count each browser, the network and the workshop have ceilings, every refusal says what
is true, and clearing the cookie does not give unlimited votes. In process, over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

from dashboard.public_limits import (
    IDEAS_PER_DEVICE,
    IDEAS_PER_NETWORK,
    IDEAS_PER_WORKSHOP,
    VOTES_PER_DEVICE,
    VOTES_PER_IDEA_PER_NETWORK,
    VOTES_PER_NETWORK,
    VOTES_PER_WORKSHOP,
    WINDOW,
    PublicLimits,
    idea_limits,
    vote_limits,
)
from storage.models import Idea, IdeaVote
from tests.auxil.web import parse
from tests.dashboard.test_public import _add, _session_cookie, _workshop

WIFI = "198.51.100.20"  # the school's one public address (a documentation address)
CLASS = 30
YOU_SENT_MANY = "Du har sendt mange idéer"
BUSY_IDEAS = "Der bliver sendt mange idéer lige nu. Vent lidt, og prøv igen."
KEPT = "Din idé er ikke sendt endnu. Den står stadig i feltet herunder."
YOU_VOTED_MANY = "Du har stemt mange gange"
BUSY_VOTES = "Der kommer mange stemmer lige nu. Vent lidt, og prøv igen."
IDEA_FULL = (
    "Den idé har allerede fået mange stemmer fra det samme net (fx samme wi-fi)."
    " Derfor tager vi ikke flere stemmer på den herfra. Det gør det svært at snyde."
)


@asynccontextmanager
async def _browsers(web, count: int, *, address: str = WIFI) -> AsyncIterator[list[Browser]]:
    """`count` browsers, each with its own cookie jar, all behind `address`."""
    async with AsyncExitStack() as stack:
        found = []
        for n in range(count):
            transport = httpx.ASGITransport(app=web, client=(address, 40000 + n))
            client = httpx.AsyncClient(transport=transport, base_url="http://dashboard.test")
            found.append(Browser(await stack.enter_async_context(client)))
        yield found


class Browser:
    """One phone's browser: it reads the page once (its cookie and form token), then posts."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.csrf = ""

    async def open(self, code: str) -> None:
        self.csrf = parse((await self.client.get(f"/v/{code}")).text).csrf()

    async def send(self, code: str, idea: str) -> httpx.Response:
        if not self.csrf:
            await self.open(code)
        return await self.client.post(
            f"/v/{code}", data={"csrf": self.csrf, "theme": "Bolig", "idea": idea}
        )

    async def vote(self, code: str, idea_id: int) -> httpx.Response:
        if not self.csrf:
            await self.open(code)
        return await self.client.post(f"/v/{code}/stem/{idea_id}", data={"csrf": self.csrf})

    def clear_cookies(self) -> None:
        self.client.cookies.clear()
        self.csrf = ""


def _count(database, model) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _text(answer: httpx.Response) -> str:
    return parse(answer.text).text


async def test_a_class_of_30_on_one_wifi_sends_5_ideas_each_and_votes(web, database, clock):
    """On the old per-address limit the sixth idea of the whole class was refused, and 29
    pupils who had sent nothing read "Du har sendt mange idéer"."""
    assert 2 * CLASS * IDEAS_PER_DEVICE <= IDEAS_PER_NETWORK  # two classes fit, as promised
    assert CLASS < VOTES_PER_IDEA_PER_NETWORK
    code = _workshop(database, clock)
    async with _browsers(web, CLASS + 1) as browsers:
        pupils, latecomer = browsers[:CLASS], browsers[CLASS]
        for n, pupil in enumerate(pupils):
            for m in range(IDEAS_PER_DEVICE):
                sent = await pupil.send(code, f"Idé {m} fra elev {n}")
                assert sent.status_code == 200, (n, m, _text(sent))
                assert "Tak for din idé!" in _text(sent)
        assert _count(database, Idea) == CLASS * IDEAS_PER_DEVICE
        with database.session() as session:
            ids = list(session.scalars(select(Idea.id)))
        favourite = ids[0]
        for n, pupil in enumerate(pupils):
            for idea_id in {favourite, ids[n + 1], ids[-1 - n]}:
                voted = await pupil.vote(code, idea_id)
                assert voted.status_code == 303, (n, idea_id, _text(voted))

        sixth = await pupils[0].send(code, "Min sjette idé")
        assert sixth.status_code == 429
        document = parse(sixth.text)
        assert document.by_id("idea-refused").text == (
            "Du har sendt mange idéer på kort tid. Vent lidt, og prøv igen. " + KEPT
        )
        assert document.by_id("idea").text == "Min sjette idé"
        late = await latecomer.send(code, "Jeg kom lidt senere")
        assert late.status_code == 200
    with database.session() as session:
        votes_for_favourite = session.scalar(
            select(func.count()).where(IdeaVote.idea_id == favourite)
        )
    assert votes_for_favourite == CLASS
    assert _count(database, Idea) == CLASS * IDEAS_PER_DEVICE + 1


async def test_a_person_who_sent_nothing_is_never_told_they_sent_many(web, database, clock):
    """A flood from one address with a fresh cookie for every idea stops at the network's
    ceiling, and the next person there is told the truth: many ideas are coming in."""
    web.state.public_limits = PublicLimits(ideas=idea_limits(network=4))
    code = _workshop(database, clock)
    async with _browsers(web, 1) as (flooder,):
        for n in range(4):
            flooder.clear_cookies()
            assert (await flooder.send(code, f"Spam {n}")).status_code == 200
        flooder.clear_cookies()
        assert (await flooder.send(code, "Spam 5")).status_code == 429
    async with _browsers(web, 1) as (pupil,), _browsers(web, 1, address="192.0.2.9") as (other,):
        refused = await pupil.send(code, "Min første idé")
        assert refused.status_code == 429
        document = parse(refused.text)
        assert document.by_id("idea-refused").text == BUSY_IDEAS + " " + KEPT
        assert YOU_SENT_MANY not in document.text
        assert document.by_id("idea").text == "Min første idé"
        assert (await other.send(code, "Fra et andet net")).status_code == 200
        clock.advance(minutes=10)
        assert (await pupil.send(code, "Min første idé")).status_code == 200
    assert _count(database, Idea) == 6


async def test_a_flood_from_many_addresses_stops_at_the_workshops_ceiling(web, database, clock):
    web.state.public_limits = PublicLimits(ideas=idea_limits(workshop=5))
    code, other_code = _workshop(database, clock), _workshop(database, clock)
    for n in range(6):
        async with _browsers(web, 1, address=f"192.0.2.{n + 1}") as (browser,):
            sent = await browser.send(code, f"Spam {n}")
            assert sent.status_code == (200 if n < 5 else 429)
    refused = parse(sent.text)
    assert refused.by_id("idea-refused").text == BUSY_IDEAS + " " + KEPT
    async with _browsers(web, 1, address="192.0.2.1") as (browser,):
        assert (await browser.send(other_code, "Et andet værksted")).status_code == 200
    assert _count(database, Idea) == 6


async def test_addresses_in_one_ipv6_64_are_one_network(web, database, clock):
    """A phone can take any address in its /64; the network ceiling counts the /64."""
    web.state.public_limits = PublicLimits(ideas=idea_limits(network=1))
    code = _workshop(database, clock)
    answers = []
    for address in ("2001:db8:5:7::1", "2001:db8:5:7:a:b:c:d", "2001:db8:5:8::1"):
        async with _browsers(web, 1, address=address) as (browser,):
            answers.append((await browser.send(code, f"Fra {address}")).status_code)
    assert answers == [200, 429, 200]


async def test_clearing_the_cookie_does_not_give_unlimited_votes(web, database, clock):
    """Each cleared cookie is a new voter, so one network's votes on one idea have a ceiling
    that lasts until the workshop closes; waiting does not lift it. Other ideas, and other
    networks, can still be voted for."""
    code = _workshop(database, clock, closes=24)
    target, other, *_ = _add(database, clock, code, "Min idé", "En anden idé", "En tredje")
    answers = []
    async with _browsers(web, 1) as (cheat,):
        for _n in range(VOTES_PER_IDEA_PER_NETWORK + 5):
            cheat.clear_cookies()
            answers.append(await cheat.vote(code, target))
            clock.advance(minutes=1)  # slower than any pace limit
        clock.advance(hours=2)
        cheat.clear_cookies()
        answers.append(await cheat.vote(code, target))
        assert [a.status_code for a in answers] == [303] * VOTES_PER_IDEA_PER_NETWORK + [409] * 6
        refused = parse(answers[-1].text)
        assert refused.all("h1")[0].text == "Din stemme kom ikke med"
        assert refused.all("p", role="alert")[0].text == IDEA_FULL
        assert (await cheat.vote(code, other)).status_code == 303
        again = await cheat.vote(code, target)  # the same browser's second try
        assert again.status_code == 409
    async with _browsers(web, 1, address="192.0.2.77") as (elsewhere,):
        assert (await elsewhere.vote(code, target)).status_code == 303
    with database.session() as session:
        query = select(IdeaVote.idea_id, func.count()).group_by(IdeaVote.idea_id)
        counts = dict(session.execute(query).all())
    assert counts == {target: VOTES_PER_IDEA_PER_NETWORK + 1, other: 1}


async def test_a_voter_at_the_ceiling_who_voted_already_is_told_so(web, database, clock):
    code = _workshop(database, clock)
    target, *_ = _add(database, clock, code, "En", "To", "Tre")
    async with _browsers(web, VOTES_PER_IDEA_PER_NETWORK) as browsers:
        for browser in browsers:
            assert (await browser.vote(code, target)).status_code == 303
        again = await browsers[0].vote(code, target)
        assert again.status_code == 303
        page = parse((await browsers[0].client.get(again.headers["location"])).text)
    assert "Du har allerede stemt på den idé." in page.text


async def test_a_busy_network_is_not_told_it_voted_many_times(web, database, clock):
    web.state.public_limits = PublicLimits(votes=vote_limits(network=2))
    code = _workshop(database, clock)
    ids = _add(database, clock, code, "En", "To", "Tre")
    async with _browsers(web, 3) as browsers:
        answers = [await browser.vote(code, ids[0]) for browser in browsers]
    assert [a.status_code for a in answers] == [303, 303, 429]
    refused = parse(answers[2].text)
    assert refused.all("p", role="alert")[0].text == BUSY_VOTES
    assert YOU_VOTED_MANY not in refused.text


async def test_the_limits_hold_neither_the_address_nor_the_browser_token(web, database, clock):
    code = _workshop(database, clock)
    first, *_ = _add(database, clock, code, "En", "To", "Tre")
    async with _browsers(web, 1) as (browser,):
        assert (await browser.send(code, "En idé")).status_code == 200
        assert (await browser.vote(code, first)).status_code == 303
        token = str(_session_cookie(browser.client)["voter"])
    public = web.state.public_limits
    remembered = repr(
        [
            vars(counter)
            for gate in (public.ideas, public.votes)
            for counter in (gate.device, gate.network, gate.workshop)
        ]
        + [vars(public.votes_per_idea)]
    )
    assert len(public.ideas.device) == 1 and len(public.votes_per_idea) == 1  # it did count
    for secret in (WIFI, token, f"{first} {WIFI}"):
        assert secret not in remembered


def test_the_readme_states_the_limits_the_code_has():
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    minutes = int(WINDOW.total_seconds() // 60)
    for stated in (
        f"{IDEAS_PER_DEVICE} ideas and {VOTES_PER_DEVICE} votes per {minutes} minutes",
        f"{IDEAS_PER_NETWORK:,} ideas and {VOTES_PER_NETWORK:,} votes per {minutes} minutes",
        f"{IDEAS_PER_WORKSHOP:,} ideas and {VOTES_PER_WORKSHOP:,} votes per {minutes} minutes",
        f"at most {VOTES_PER_IDEA_PER_NETWORK} votes on one idea from one network",
    ):
        assert stated in readme
