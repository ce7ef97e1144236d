"""Pages that do not grow with the municipality (issue 20 point 4): the admin's people list, the
alert inbox and the half-year report, with 200, 2,000 and 20,000 young people.

    python -m benchmarks.pages_scale [--sizes 200,2000] [--postgres-sizes 200,2000,20000]
                                     [--repeat 7] [--database-url URL]
                                     [--pages /unge,/alarmer] [--explain]

Each young person has up to 18 months of history: a WHO-5 a month (most answered; its item
answers are left out, as no page here reads them), a BIP a quarter with its eight answers, a
meeting every other month and the next one planned, an agreement a quarter (the latest one
running, some overdue), a status history, and alerts: a few resolved ones, and open or
taken ones for some. Each page is fetched in process (httpx against the ASGI app, so no network
in the figure), as the admin (who sees everyone); the figure is the median of `--repeat`
requests after one warm-up. Ratios are 10x / 1x on the same database. PostgreSQL is
TEST_DATABASE_URL, --database-url, or a throwaway pgserver; each size starts from empty tables.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import MetaData, event, insert, select

from core.content import Content, load_content
from dashboard.accounts import create_staff
from dashboard.app import dashboard_app
from storage import Database
from storage.crypto import Keyring, new_key, use_keyring
from storage.models import (
    Agreement,
    Alert,
    Answer,
    Meeting,
    PersonStatusChange,
    QuestionnaireResponse,
    StaffRole,
    YoungPerson,
)
from ungeguide.settings import REPO_ROOT

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
MONTHS = 18
COORDINATORS = 40  # a caseload of 30 to 500 depending on the size
PASSWORD = "benchmark-password"  # noqa: S105 - a throwaway account in a scratch database
BIP_ITEMS = (
    "soegning",
    "kendskab",
    "helbred",
    "hverdag",
    "samarbejde",
    "maal",
    "tro",
    "motivation",
)
PAGES = ("/unge", "/alarmer", "/rapport?periode=2026-H1")
CHUNK = 5000
# The dialogues, read once at the start (a run is long, and the files may change meanwhile).
CONTENT: list[Content] = []
ALERT_KINDS = ("who5_low", "who5_drop", "missed_checkins", "cannot_come", "talk_topic")


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _person_rows(people: int, coordinators: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in range(people):
        joined = NOW - timedelta(days=30 + (n * 37) % (31 * MONTHS - 30))
        share = n % 20
        status = (
            "ended"
            if share == 0
            else "paused"
            if share == 1
            else "invited"
            if share == 2
            else "active"
        )
        rows.append(
            {
                "pseudonym": f"Ung {n:05d}",
                "birth_year": 2001 + n % 10,
                "status": status,
                "created_at": joined,
                "coordinator_id": coordinators[n % len(coordinators)],
                "end_outcome": "education" if status == "ended" else None,
                "ended_on": (NOW - timedelta(days=20)).date() if status == "ended" else None,
            }
        )
    return rows


def fill(database: Database, people: int) -> None:
    """`people` young people with their history, bulk-inserted; the admin is a@bench.invalid."""
    with database.session() as session:
        create_staff(
            session,
            email="a@bench.invalid",
            display_name="A",
            role=StaffRole.ADMIN,
            password=PASSWORD,
            now=NOW,
        )
        coordinators = [
            create_staff(
                session,
                email=f"k{n}@bench.invalid",
                display_name=f"K{n}",
                role=StaffRole.COORDINATOR,
                password=None,  # never logs in here: no slow password hash
                now=NOW,
            ).id
            for n in range(COORDINATORS)
        ]
        for chunk in _chunks(_person_rows(people, coordinators)):
            session.execute(insert(YoungPerson), chunk)
        persons = session.execute(
            select(
                YoungPerson.id,
                YoungPerson.created_at,
                YoungPerson.status,
                YoungPerson.coordinator_id,
            )
        ).all()
        tables: dict[type, list[dict[str, Any]]] = {
            PersonStatusChange: [],
            QuestionnaireResponse: [],
            Answer: [],
            Meeting: [],
            Agreement: [],
            Alert: [],
        }
        for person_id, joined, status, coordinator_id in persons:
            _history(tables, person_id, joined.replace(tzinfo=UTC), status, coordinator_id)
        for model, rows in tables.items():
            for chunk in _chunks(rows):
                session.execute(insert(model), chunk)


def _history(
    tables: dict[type, list[dict[str, Any]]],
    person_id: int,
    joined: datetime,
    status: str,
    coordinator_id: int | None,
) -> None:
    changes = tables[PersonStatusChange]
    changes.append(
        {
            "young_person_id": person_id,
            "from_status": None,
            "to_status": "invited",
            "changed_at": joined,
        }
    )
    if status == "invited":
        return
    changes.append(
        {
            "young_person_id": person_id,
            "from_status": "invited",
            "to_status": "active",
            "changed_at": joined + timedelta(days=1),
        }
    )
    if status != "active":
        changes.append(
            {
                "young_person_id": person_id,
                "from_status": "active",
                "to_status": status,
                "changed_at": NOW - timedelta(days=20),
            }
        )
    months = max(1, (NOW - joined).days // 30)
    for month in range(months):
        moment = joined + timedelta(days=30 * month + 2)
        if (person_id + month) % 5 == 4:
            continue  # one in five check-ins not answered
        response_id = f"{person_id:010d}{month:022d}"
        tables[QuestionnaireResponse].append(
            {
                "id": response_id,
                "young_person_id": person_id,
                "questionnaire_id": "who5",
                "questionnaire_version": 1,
                "status": "completed",
                "started_at": moment,
                "completed_at": moment + timedelta(minutes=4),
                "score": 4 * (8 + (person_id + month) % 17),
            }
        )
    for quarter in range(0, months, 3):
        moment = joined + timedelta(days=30 * quarter + 3)
        response_id = f"b{person_id:010d}{quarter:021d}"
        tables[QuestionnaireResponse].append(
            {
                "id": response_id,
                "young_person_id": person_id,
                "questionnaire_id": "bip_uddannelse",
                "questionnaire_version": 1,
                "status": "completed",
                "started_at": moment,
                "completed_at": moment + timedelta(minutes=6),
                "score": None,
            }
        )
        tables[Answer].extend(
            {
                "response_id": response_id,
                "item_id": item,
                "value": 1 + (person_id + quarter + n) % 4,
                "answered_at": moment,
            }
            for n, item in enumerate(BIP_ITEMS)
        )
    for month in range(0, months + 2, 2):
        starts = joined + timedelta(days=30 * month + 5, hours=2)
        past = starts < NOW
        tables[Meeting].append(
            {
                "young_person_id": person_id,
                "kind": "network" if month % 6 == 0 else "individual",
                "starts_at": starts,
                "place": "Ungecentret",
                "participants": "",
                "agenda": "",
                "status": "planned",
                "created_at": starts - timedelta(days=14),
                "attendance": ("attended" if month % 8 else "no_show") if past else None,
                "attendance_at": starts + timedelta(hours=2) if past else None,
                "attendance_by": coordinator_id if past else None,
            }
        )
    for quarter in range(0, months, 3):
        made = joined + timedelta(days=30 * quarter + 5)
        deadline = (made + timedelta(days=60)).date()
        running = deadline >= NOW.date() - timedelta(days=30)
        tables[Agreement].append(
            {
                "young_person_id": person_id,
                "goal": "Komme i gang med uddannelse",
                "action": "Besøge en skole",
                "responsible": "den unge",
                "deadline": deadline,
                "status": "open" if running else "done" if quarter % 2 else "not_done",
                "created_at": made,
                "outcome_at": None
                if running
                else datetime.combine(deadline, datetime.min.time(), UTC),
                "outcome_by": None if running else "coordinator",
                "outcome_staff_id": None if running else coordinator_id,
            }
        )
    for n in range(min(3, months // 6)):
        raised = joined + timedelta(days=30 * 6 * n + 10)
        _alert(
            tables, person_id, raised, "resolved", coordinator_id, ALERT_KINDS[(person_id + n) % 5]
        )
    if person_id % 10 == 0:
        _alert(
            tables,
            person_id,
            NOW - timedelta(hours=person_id % 300),
            "open",
            None,
            ALERT_KINDS[person_id % 5],
        )
    elif person_id % 10 == 1:
        _alert(
            tables, person_id, NOW - timedelta(days=2), "acknowledged", coordinator_id, "who5_low"
        )


def _alert(
    tables: dict[type, list[dict[str, Any]]],
    person_id: int,
    raised: datetime,
    status: str,
    by: int | None,
    kind: str,
) -> None:
    tables[Alert].append(
        {
            "young_person_id": person_id,
            "kind": kind,
            "urgent": person_id % 50 == 0,
            "created_at": raised,
            "details": {"score": 24},
            "status": status,
            "acknowledged_by": by,
            "acknowledged_at": raised + timedelta(hours=3) if by else None,
            "resolved_by": by if status == "resolved" else None,
            "resolved_at": raised + timedelta(days=1) if status == "resolved" else None,
            "note": "Ringet op." if status == "resolved" else None,
        }
    )


@contextmanager
def slowest_statements(database: Database, found: list[tuple[float, str]]) -> Iterator[None]:
    """Every SQL statement run inside, with its time in seconds, into `found`."""
    started: list[float] = []

    def before(*_args: object) -> None:
        started.append(time.perf_counter())

    def after(*args: object) -> None:
        found.append((time.perf_counter() - started.pop(), " ".join(str(args[2]).split())))

    event.listen(database.engine, "before_cursor_execute", before)
    event.listen(database.engine, "after_cursor_execute", after)
    try:
        yield
    finally:
        event.remove(database.engine, "before_cursor_execute", before)
        event.remove(database.engine, "after_cursor_execute", after)


@contextmanager
def statements_run(database: Database, found: list[tuple[str, Any]]) -> Iterator[None]:
    """Every SQL statement run inside, as sent to the driver (text and parameters)."""

    def before(*args: Any) -> None:
        found.append((args[2], args[3]))

    event.listen(database.engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(database.engine, "before_cursor_execute", before)


def explain(database: Database, found: list[tuple[str, Any]]) -> None:
    """Each SELECT's plan as PostgreSQL runs it (EXPLAIN ANALYZE), the slowest first."""
    plans = []
    with database.engine.connect() as connection:
        for sql, parameters in found:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            lines = [
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + sql, parameters
                )
            ]
            took = float(lines[-1].split()[-2])  # "Execution Time: 1.234 ms"
            plans.append((took, " ".join(sql.split()), lines))
    for took, sql, lines in sorted(plans, key=lambda plan: plan[0], reverse=True):
        print(f"\n  {took:8.1f} ms  {sql[:400]}")
        print("\n".join("    " + line for line in lines))


async def page_times(
    database: Database,
    *,
    repeat: int,
    pages: Sequence[str] = PAGES,
    profile: bool = False,
    plans: bool = False,
) -> dict[str, float]:
    """The median time of each page in `pages`, as the admin."""
    web = dashboard_app(
        database,
        CONTENT[0],
        session_secret="bench",  # noqa: S106 - a scratch run
        clock=lambda: NOW,
    )
    times: dict[str, float] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="http://bench"
    ) as client:
        login = await client.get("/login")
        token = login.text.split('name="csrf" value="')[1].split('"')[0]
        await client.post(
            "/login", data={"csrf": token, "email": "a@bench.invalid", "password": PASSWORD}
        )
        for url in pages:
            samples = []
            for attempt in range(repeat + 1):
                started = time.perf_counter()
                response = await client.get(url)
                if attempt:  # the first one warms caches
                    samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
            times[url] = statistics.median(samples)
            if plans:
                sent: list[tuple[str, Any]] = []
                with statements_run(database, sent):
                    await client.get(url)
                print(f"  {url}: {len(sent)} statements; their plans, the slowest first:")
                explain(database, sent)
        if profile and PAGES[-1] in pages:
            found: list[tuple[float, str]] = []
            with slowest_statements(database, found):
                await client.get(PAGES[-1])
            total = sum(seconds for seconds, _sql in found)
            print(f"  the report's {len(found)} statements took {total * 1000:.0f} ms; slowest:")
            for seconds, sql in sorted(found, reverse=True)[:5]:
                print(f"  {seconds * 1000:8.1f} ms  {sql[:300]}")
    return times


def measure(
    url: str,
    people: int,
    *,
    repeat: int,
    pages: Sequence[str] = PAGES,
    profile: bool = False,
    plans: bool = False,
) -> dict[str, float]:
    database = Database(url)
    tables = MetaData()  # a given database starts empty each time
    tables.reflect(bind=database.engine)
    tables.drop_all(bind=database.engine)
    database.upgrade()
    started = time.perf_counter()
    fill(database, people)
    if database.engine.dialect.name == "postgresql":
        # Planner statistics and the visibility map (index-only scans), as autovacuum keeps
        # them in a live database; VACUUM runs outside a transaction.
        autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
        with autocommit.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    print(f"  seeded {people} young people in {time.perf_counter() - started:.0f} s", flush=True)
    try:
        return asyncio.run(
            page_times(database, repeat=repeat, pages=pages, profile=profile, plans=plans)
        )
    finally:
        database.dispose()


@contextmanager
def postgres(given: str | None) -> Iterator[str]:
    if given or os.environ.get("TEST_DATABASE_URL"):
        yield given or os.environ["TEST_DATABASE_URL"]
        return
    from tests.auxil.postgres import postgres_server, scratch_database

    with postgres_server() as server, scratch_database(server) as url:
        yield url


def _table(
    name: str, sizes: list[int], found: dict[int, dict[str, float]], pages: Sequence[str]
) -> None:
    print(f"\n{name}: median page time in milliseconds, and each size's ratio to the smallest")
    print(
        f"{'page':<26}"
        + "".join(f"{size:>10}" for size in sizes)
        + "".join(f"{'x' + str(size // sizes[0]):>8}" for size in sizes[1:])
    )
    for page in pages:
        cells = "".join(f"{found[size][page] * 1000:>10.1f}" for size in sizes)
        ratios = "".join(f"{found[size][page] / found[sizes[0]][page]:>8.2f}" for size in sizes[1:])
        print(f"{page:<26}{cells}{ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="200,2000", help="SQLite sizes (empty: none)")
    parser.add_argument("--postgres-sizes", default="200,2000,20000", help="empty: none")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--profile-report",
        action="store_true",
        help="print the report's slowest SQL statements at each PostgreSQL size",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of each page's statements at each PostgreSQL size",
    )
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="the pages to fetch, comma-separated"
    )
    parser.add_argument("--database-url", help="a scratch PostgreSQL database, emptied first")
    arguments = parser.parse_args()
    pages = [page for page in arguments.pages.split(",") if page]
    use_keyring(Keyring([new_key()]))
    CONTENT.append(load_content(REPO_ROOT / "dialogues"))
    sqlite_sizes = [int(n) for n in arguments.sizes.split(",") if n]
    postgres_sizes = [int(n) for n in arguments.postgres_sizes.split(",") if n]
    if sqlite_sizes:
        found = {}
        with tempfile.TemporaryDirectory() as folder:
            for size in sqlite_sizes:
                print(f"SQLite, {size} young people", flush=True)
                found[size] = measure(
                    f"sqlite:///{Path(folder) / f'{size}.db'}",
                    size,
                    repeat=arguments.repeat,
                    pages=pages,
                )
        _table("SQLite", sqlite_sizes, found, pages)
    if postgres_sizes:
        found = {}
        with ExitStack() as stack:
            url = stack.enter_context(postgres(arguments.database_url))
            for size in postgres_sizes:
                print(f"PostgreSQL, {size} young people", flush=True)
                found[size] = measure(
                    url,
                    size,
                    repeat=arguments.repeat,
                    pages=pages,
                    profile=arguments.profile_report,
                    plans=arguments.explain,
                )
        _table("PostgreSQL", postgres_sizes, found, pages)


if __name__ == "__main__":
    main()
