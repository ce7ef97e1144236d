"""Generated form input for every form of the dashboard: never a 500, and nothing half-stored.

CI runs a small number of examples; `FUZZ_EXAMPLES=500 pytest tests/dashboard/test_form_fuzz.py`
runs a longer search.
"""

from __future__ import annotations

import asyncio
import os

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from starlette.applications import Starlette

from storage.models import Agreement, Alert, Meeting, YoungPerson
from tests.auxil.web import PASSWORD, parse, person_with_plans

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

# Any text a browser can send, including the tricky parts: right-to-left marks, zero-width
# characters, NUL, very long values, dates and numbers that are almost right.
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
    st.sampled_from(
        [
            "",
            " ",
            "\u200b",
            "\u202e2026-12-01",
            "2026-02-30",
            "2026-12-01",
            "14:00",
            "24:00",
            "1e9",
            "-1",
            "0",
            "5",
            "2008",
            "99999999999999999999",
            "<script>alert(1)</script>",
            "individual",
            "network",
            "bip_uddannelse",
            "ja",
            "side",
        ]
    ),
)
FIELDS = [
    "pseudonym",
    "birth_year",
    "bip",
    "coordinator",
    "kind",
    "day",
    "at",
    "place",
    "participants",
    "agenda",
    "goal",
    "action",
    "responsible",
    "deadline",
    "note",
    "reply",
    "belief",
    "email",
    "password",
    "repeat",
    "next",
    "soegning",
    "tro",
    "tilbage",
    "absent",
    "stand_in",
    "on_duty",
]
FORMS = st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8)


async def _log_in(web: Starlette, email: str) -> tuple[httpx.Cookies, str]:
    async with _client(web) as client:
        login = await client.get("/login")
        await client.post(
            "/login", data={"csrf": parse(login.text).csrf(), "email": email, "password": PASSWORD}
        )
        return client.cookies, parse((await client.get("/unge")).text).csrf()


async def _send(
    web: Starlette,
    cookies: httpx.Cookies,
    url: str,
    form: dict[str, str],
    get: str,
    params: dict[str, str],
) -> tuple[int, int]:
    async with _client(web, cookies) as client:
        posted = await client.post(url, data=form)
        shown = await client.get(get, params=params)
        return posted.status_code, shown.status_code


def _client(web: Starlette, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), cookies=cookies, base_url="http://dashboard.test"
    )


def test_no_form_input_gives_a_500(web, database, clock, coordinator):
    ids = person_with_plans(database, clock(), coordinator, pseudonym="Fuzz")
    meeting, agreement = ids["meeting_id"], ids["agreement_id"]
    base = f"/unge/{ids['person_id']}"
    posts = [
        "/unge/ny",
        f"{base}/moeder/ny",
        f"{base}/moeder/{meeting}",
        f"{base}/moeder/{meeting}/svar",
        f"{base}/aftaler/ny",
        f"{base}/aftaler/{agreement}",
        f"{base}/vurdering?skema=bip_uddannelse",
        f"/alarmer/{ids['alert_id']}/tag",
        f"/alarmer/{ids['alert_id']}/loes",
        f"/personale/{coordinator.id}",
    ]
    gets = ["/unge", "/rapport", "/alarmer", f"/alarmer/{ids['alert_id']}", "/personale"]
    cookies, csrf = asyncio.run(_log_in(web, coordinator.email))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(url=st.sampled_from(posts), form=FORMS, query=FORMS, get=st.sampled_from(gets))
    def any_input(url: str, form: dict[str, str], query: dict[str, str], get: str) -> None:
        params = {
            "q": query.get("pseudonym", ""),
            "sort": query.get("kind", ""),
            "dir": query.get("at", ""),
            "fra": query.get("day", ""),
            "til": query.get("deadline", ""),
            "vis": query.get("note", ""),
        }
        posted, shown = asyncio.run(_send(web, cookies, url, {"csrf": csrf, **form}, get, params))
        assert posted in (200, 303, 400, 404), (url, posted)
        assert shown in (200, 400), (get, shown)

    any_input()
    with database.session() as session:
        # Whatever was stored is whole: every meeting and agreement passed validation.
        for row in session.scalars(select(Meeting)):
            assert row.place.strip()
            assert len(row.agenda) <= 1000
        for row in session.scalars(select(Agreement)):
            assert row.goal.strip() and row.responsible.strip()
        for row in session.scalars(select(YoungPerson)):
            assert 0 < len(row.pseudonym) <= 80
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
