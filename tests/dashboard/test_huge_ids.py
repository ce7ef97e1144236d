"""Numbers no row id can be, in every id of every route, and page numbers no page can have.

The databases refuse them with an error (PostgreSQL above 2**31 - 1, SQLite from 2**63 on), which
was a 500 page; an id answers 404, a page number the last page.
"""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from dashboard.app import ROUTES
from dashboard.url_ids import ID_MAX, digits_up_to
from storage.models import AuditEvent
from tests.auxil.web import log_in, parse, path_ids

HUGE = {
    "just above PostgreSQL's INTEGER": str(2**31),
    "SQLite's first overflow": str(2**63),
    "above 64 bits": str(2**64),
    "more digits than int() reads": "9" * 5000,
}
INT_PARAM = re.compile(r"\{(\w+):int\}")


def _url(path: str, ids: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


def _int_routes() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in ROUTES:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        if INT_PARAM.search(route.path):
            found.extend((route.path, m) for m in sorted(route.methods or {"GET"}) if m != "HEAD")
    return found


@pytest.fixture
def real_ids(database, clock, admin):
    """Real rows for every path parameter, so only the id under test is out of range."""
    return path_ids(database, clock(), admin, pseudonym="Stor")


def test_the_walk_covers_the_int_routes():
    paths = {path for path, _ in _int_routes()}
    assert len(paths) >= 15
    assert "/v/{code}/stem/{idea_id:int}" in paths


@pytest.mark.parametrize("huge", HUGE.values(), ids=HUGE.keys())
async def test_every_id_out_of_range_is_404(client, admin, real_ids, huge):
    await log_in(client, admin)
    csrf = parse((await client.get("/rapport")).text).csrf()
    for path, method in _int_routes():
        for name in INT_PARAM.findall(path):
            url = _url(path, real_ids | {name: huge})
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"csrf": csrf})
            assert response.status_code == 404, (method, path, name, response.status_code)
            assert "Siden findes ikke" in response.text


async def test_the_largest_id_is_an_ordinary_unknown_id(client, admin):
    await log_in(client, admin)
    assert (await client.get(f"/unge/{ID_MAX}")).status_code == 404
    assert (await client.get(f"/alarmer/{ID_MAX}")).status_code == 404


def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit():
    for limit in (0, 7, 10, 99, 100, 305, ID_MAX):
        pattern = re.compile(digits_up_to(limit))
        numbers = [*range(1100), limit - 1, limit, limit + 1, limit * 10, 2**63, ID_MAX + 1]
        for number in numbers:
            if number >= 0:
                assert bool(pattern.fullmatch(str(number))) == (number <= limit), (limit, number)


def _events(database, clock, count: int) -> None:
    with database.session() as session:
        for _ in range(count):
            session.add(AuditEvent(at=clock(), action="view_list"))


@pytest.mark.parametrize("side", [str(2**63), "9" * 5000, "123456789012345678901234567890"])
async def test_a_huge_page_number_shows_the_last_page(client, database, clock, admin, side):
    _events(database, clock, 250)  # two pages of 200
    await log_in(client, admin)
    response = await client.get("/revision", params={"side": side})
    assert response.status_code == 200
    page = parse(response.text)
    links = {a.attrs["href"] for a in page.all("a")}
    assert "?side=1" in links  # "Newer" from page 2
    assert "?side=3" not in links  # no "Older": this is the last page
    assert 1 < len(page.all("tr")) - 1 < 200  # the rest after the first 200 rows


@pytest.mark.parametrize("side", ["²", "-3", "0", "abc", ""])
async def test_a_page_number_that_is_not_one_shows_the_first_page(client, admin, side):
    await log_in(client, admin)
    response = await client.get("/revision", params={"side": side})
    assert response.status_code == 200


NOT_AN_ID = {"huge": str(2**63), "superscript two": "²", "many digits": "9" * 5000}


@pytest.mark.parametrize("posted", NOT_AN_ID.values(), ids=NOT_AN_ID.keys())
async def test_a_posted_id_no_row_can_have_is_refused_not_500(
    client, database, admin, coordinator, real_ids, posted
):
    await log_in(client, admin)
    csrf = parse((await client.get("/unge/ny")).text).csrf()
    stand_in = await client.post(
        f"/personale/{coordinator.id}", data={"csrf": csrf, "stand_in": posted}
    )
    assert stand_in.status_code == 400
    merge = f"/vaerksteder/{real_ids['workshop_id']}/ideer/{real_ids['idea_id']}/flet"
    assert (await client.post(merge, data={"csrf": csrf, "into": posted})).status_code == 400
    invite = {"csrf": csrf, "pseudonym": "Ny", "birth_year": "2008", "bip": "bip_uddannelse"}
    for field in ("birth_year", "coordinator"):
        wrong = await client.post(
            "/unge/ny", data={**invite, "coordinator": str(admin.id), field: posted}
        )
        assert wrong.status_code == 400, field
        assert parse(wrong.text).by_id(f"{field}-error").text  # the form again, with the error
