"""Scale of the dashboard: page times with 200 and with 2,000 young people, 24 months each.

    python -m benchmarks.dashboard [--people 2000] [--months 24] [--database-url URL]

A coordinator's caseload stays at 30 while the municipality grows tenfold; their pages should
not slow down with it (ratio near 1). The admin's list shows everyone, so it grows with the data
by nature: it is measured too, to show how much. Each page is fetched in process (httpx against
the ASGI app, so no network in the figure), best of 5.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import MetaData, insert

from core.content import load_content
from dashboard.accounts import create_staff
from dashboard.app import dashboard_app
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import Alert, Answer, QuestionnaireResponse, StaffRole, YoungPerson
from ungeguide.settings import REPO_ROOT

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CASELOAD = 30
PASSWORD = "benchmark-password"  # noqa: S105 - a throwaway account in a scratch database
WHO5_ITEMS = ("glad", "rolig", "aktiv", "udhvilet", "interesse")


def fill(database: Database, people: int, months: int) -> tuple[int, int]:
    """`people` young people with a WHO-5 a month; the coordinator owns the first CASELOAD."""
    with database.session() as session:
        coordinator = create_staff(
            session,
            email="k@bench.invalid",
            display_name="K",
            role=StaffRole.COORDINATOR,
            password=PASSWORD,
            now=NOW,
        )
        admin = create_staff(
            session,
            email="a@bench.invalid",
            display_name="A",
            role=StaffRole.ADMIN,
            password=PASSWORD,
            now=NOW,
        )
        start = NOW - timedelta(days=31 * months)
        session.execute(
            insert(YoungPerson),
            [
                {
                    "pseudonym": f"U{n}",
                    "birth_year": 2008,
                    "status": "active",
                    "created_at": start,
                    "coordinator_id": coordinator.id if n < CASELOAD else admin.id,
                }
                for n in range(people)
            ],
        )
        responses: list[dict[str, object]] = []
        answers: list[dict[str, object]] = []
        alerts: list[dict[str, object]] = []
        for person in range(1, people + 1):
            for month in range(months):
                moment = start + timedelta(days=31 * month)
                response_id = f"{person:010d}{month:022d}"
                responses.append(
                    {
                        "id": response_id,
                        "young_person_id": person,
                        "questionnaire_id": "who5",
                        "questionnaire_version": 1,
                        "status": "completed",
                        "started_at": moment,
                        "completed_at": moment,
                        "score": 4 * (10 + (person + month) % 15),
                    }
                )
                answers.extend(
                    {
                        "response_id": response_id,
                        "item_id": item,
                        "value": (person + month) % 6,
                        "answered_at": moment,
                    }
                    for item in WHO5_ITEMS
                )
            alerts.append(
                {
                    "young_person_id": person,
                    "kind": "who5_low",
                    "urgent": False,
                    "created_at": NOW,
                    "details": {"score": 40},
                }
            )
        session.execute(insert(QuestionnaireResponse), responses)
        session.execute(insert(Answer), answers)
        session.execute(insert(Alert), alerts)
        return coordinator.id, admin.id


async def page_times(database: Database, urls: dict[str, list[str]]) -> dict[str, float]:
    web = dashboard_app(
        database,
        load_content(REPO_ROOT / "dialogues"),
        session_secret="bench",  # noqa: S106 - a scratch run clock=lambda: NOW
    )
    times: dict[str, float] = {}
    for email, pages in urls.items():
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web), base_url="http://bench"
        ) as client:
            login = await client.get("/login")
            token = login.text.split('name="csrf" value="')[1].split('"')[0]
            await client.post("/login", data={"csrf": token, "email": email, "password": PASSWORD})
            for url in pages:
                best = float("inf")
                for _ in range(5):
                    started = time.perf_counter()
                    response = await client.get(url)
                    best = min(best, time.perf_counter() - started)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} answered {response.status_code}")
                times[f"{email.split('@')[0]} {url}"] = best
    return times


def measure(url: str | None, people: int, months: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(url or f"sqlite:///{Path(folder) / 'bench.db'}")
        tables = MetaData()  # a given database starts empty each time
        tables.reflect(bind=database.engine)
        tables.drop_all(bind=database.engine)
        database.upgrade()
        fill(database, people, months)
        urls = {
            "k@bench.invalid": ["/unge", "/unge/1", "/alarmer", "/rapport"],
            "a@bench.invalid": ["/unge", "/alarmer"],
        }
        times = asyncio.run(page_times(database, urls))
        database.dispose()
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument(
        "--database-url", help="a scratch database, emptied first (default: a new SQLite file)"
    )
    arguments = parser.parse_args()
    use_keyring(Keyring([new_key()]))
    small = measure(arguments.database_url, arguments.people // 10, arguments.months)
    large = measure(arguments.database_url, arguments.people, arguments.months)
    print(
        f"{arguments.people // 10} vs {arguments.people} young people, "
        f"{arguments.months} months of WHO-5 each; best of 5, milliseconds"
    )
    print(f"{'page':<28}{'small':>10}{'large':>10}{'ratio':>8}")
    for page, seconds in small.items():
        ratio = large[page] / seconds
        print(f"{page:<28}{seconds * 1000:>10.1f}{large[page] * 1000:>10.1f}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
