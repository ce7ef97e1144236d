"""Ideas sent on the public page one after another: their ids are random, not a sequence, and
neither the public page nor the facilitator's board lists them in the order they came."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import select

from storage.models import Idea, Workshop
from tests.auxil.web import log_in, parse
from tests.dashboard.test_public import _workshop
from tests.dashboard.test_public_shared_wifi import _browsers

SENT = 15  # three browsers, five ideas each: 15! orders, one of them the arrival order


def _listed_ids(html: str, css_class: str) -> list[int]:
    return [
        int(element.attrs["id"].removeprefix("idea-"))
        for element in parse(html).all("li")
        if css_class in element.attrs.get("class", "").split()
    ]


async def test_ideas_from_the_public_page_get_random_ids_and_are_not_listed_in_order(
    web, client, facilitator, database, clock
):
    code = _workshop(database, clock)
    arrived: list[int] = []
    async with _browsers(web, 3) as browsers:
        for n in range(SENT):
            sent = await browsers[n % 3].send(code, f"Idé nummer {n}")
            assert sent.status_code == 200
            with database.session() as session:
                new = set(session.scalars(select(Idea.id))) - set(arrived)
            arrived.extend(new)
    assert len(arrived) == SENT
    assert arrived != sorted(arrived) and arrived != sorted(arrived, reverse=True)
    assert max(arrived) - min(arrived) > 1000 * SENT  # spread over the id space, not a run
    steps = {later - earlier for earlier, later in pairwise(arrived)}
    assert len(steps) == SENT - 1  # no common step to guess the next id from

    public = _listed_ids((await client.get(f"/v/{code}")).text, "public-idea")
    assert sorted(public) == sorted(arrived)
    assert public != arrived

    await log_in(client, facilitator)
    with database.session() as session:
        workshop_id = session.scalars(select(Workshop.id).where(Workshop.code == code)).one()
    board = _listed_ids((await client.get(f"/vaerksteder/{workshop_id}")).text, "idea")
    assert sorted(board) == sorted(arrived)
    assert board != arrived
