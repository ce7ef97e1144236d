"""The differencing attack on the key figures (issue 16), made as the facilitator over HTTP.

The facilitator sees no young person, only the reports. The attack asks for every report the
account can get around the first half of 2026: every preset in the form, and every pair of dates
a day either side of the quarter and half-year boundaries (periods shifted by a day, overlapping
periods, quarters that add up to the half-year). It then tries to solve for single values:
- WHO-5 scores: a mean times its count is a sum over known measurements (the test knows which:
  it seeded them); no measurement may follow from any combination of the sums shown;
- counts: no difference of two nested periods may give away a count from 1 to 4, for every
  count a quarter shows (found from the quarters' reports themselves, so a new figure is in the
  attack without being named here): new young people, courses ended by outcome, offers started,
  changes of contact person, meetings by attendance, agreements due, alerts, check-ins.
Before the fix, reports one day apart gave away the exact score of the young person who answered
on 31 March, and the half-year minus the first quarter gave away 2 urgent alerts.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from itertools import permutations, product

import pytest

from dashboard.keyfigures import HIDDEN, SMALL, shown
from domain.lifecycle import end_course
from domain.offers import give_offer, list_offers
from storage.models import (
    CoordinatorChange,
    EndOutcome,
    MeetingAttendance,
    MeetingStatus,
    YoungPerson,
)
from tests.auxil.keyfigures_fixture import _alert, _meeting, _who5
from tests.auxil.web import log_in, parse

SECRET = 44  # the WHO-5 score of the young person who answered only on 31 March
# Per young person: (day, score) of each WHO-5, at 10.00 UTC (the same day in Copenhagen).
SCORES = [[(date(2026, 2, 10), 20 + 4 * n), (date(2026, 5, 10), 32 + 4 * n)] for n in range(12)]
SCORES += [[(date(2026, 3, 31), SECRET)], [(date(2026, 4, 1), 84)]]
# Urgent alerts, one young person each: six in the first quarter, two in the second.
ALERTS = [date(2026, 1, 5 + n) for n in range(6)] + [date(2026, 4, 1), date(2026, 4, 2)]
# The course figures: six in the first quarter and two in the second, so the half-year's 8 would
# give the second quarter's 2 away next to the first quarter's 6 (one young person each).
COURSE_DAYS = [date(2026, 2, 10 + n) for n in range(6)] + [date(2026, 4, 14), date(2026, 4, 15)]
# Counts that must appear among those the attack works on.
ADDITIVE_AT_LEAST = {
    ("Unge", "Nye i perioden"),
    ("Forløb afsluttet", "Startet på en uddannelse"),
    ("Tilbud", "Mentor: startet"),
    ("Skift af kontaktperson", "Skift af kontaktperson"),
    ("Møder", "Den unge kom"),
    ("Akutte alarmer", "Akutte alarmer"),
}
NEW = ("Unge", "Nye i perioden")
IDEAS = "Idéer pr. ungeværksted"  # anonymous, no young person behind them
WHO5 = "Trivsel (WHO-5)"
CELLS = {"first": "Første måling, gennemsnit", "latest": "Seneste måling, gennemsnit"}


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _seed(database) -> None:
    with database.session() as session:
        ids = []
        for n, scores in enumerate(SCORES):
            person = YoungPerson(
                pseudonym=f"D{n}",
                birth_year=2008,
                status="active",
                created_at=_at(scores[0][0]) - timedelta(days=20),
            )
            session.add(person)
            session.flush()
            ids.append(person.id)
            for day, score in scores:
                _who5(session, person.id, _at(day), score)
            if n < len(ALERTS):
                _alert(session, person.id, _at(ALERTS[n]), minutes=10)
        mentor = next(
            o.id for o in list_offers(session, now=_at(date(2026, 1, 2))) if o.name == "Mentor"
        )
        for person_id, day in zip(ids, COURSE_DAYS, strict=False):
            give_offer(session, person_id, mentor, starts_on=day, staff_id=None, now=_at(day))
            session.add(CoordinatorChange(young_person_id=person_id, changed_at=_at(day)))
            _meeting(
                session,
                person_id,
                _at(day),
                MeetingStatus.PLANNED,
                None,
                attendance=MeetingAttendance.ATTENDED,
            )
            end_course(
                session,
                person_id,
                EndOutcome.EDUCATION,
                ended_on=day,
                staff_id=None,
                now=_at(day),
            )


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    values: dict[tuple[str, str], str]

    def number(self, section: str, label: str) -> int | None:
        text = self.values.get((section, label), HIDDEN)
        return int(text.replace(".", "")) if text.replace(".", "").isdigit() else None

    def mean(self, label: str) -> float | None:
        text = self.values.get((WHO5, label), HIDDEN)
        return None if text in (HIDDEN, "<5") else float(text.replace(",", "."))

    def contains(self, other: Report) -> bool:
        return self.start <= other.start and other.end <= self.end and self != other


def _queries(form_presets: list[str]) -> list[str]:
    """Every period to ask for: the form's presets, and dates a day either side of the edges."""
    edges = [date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)]
    starts = [edge + timedelta(days=shift) for edge in edges[:2] for shift in (-1, 0, 1)]
    ends = [edge - timedelta(days=1 - shift) for edge in edges[1:] for shift in (-1, 0, 1)]
    dates = [f"fra={s}&til={e}" for s, e in product(starts, ends) if s <= e]
    return [f"periode={key}" for key in form_presets] + dates


async def _every_report(client) -> list[Report]:
    form = parse((await client.get("/rapport")).text)
    keys = [option.attrs["value"] for option in form.all("option")]
    reports: dict[tuple[date, date], Report] = {}
    for query in _queries(keys):
        answer = await client.get(f"/rapport.csv?{query}")
        if answer.status_code != 200:
            assert answer.status_code == 400, query
            continue
        rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff")), delimiter=";"))
        start, end = (date.fromisoformat(day) for day in rows[0][2].split("–"))
        values = {(section, label): value for section, label, value, _note in rows[1:]}
        reports[start, end] = Report(start, end, values)
    return list(reports.values())


def _measurements(report: Report, cell: str) -> Counter[tuple[int, date]]:
    """The measurements behind a mean in `report`: each young person's first or latest."""
    chosen: Counter[tuple[int, date]] = Counter()
    for person, scores in enumerate(SCORES):
        days = [day for day, _score in scores if report.start <= day <= report.end]
        if days:
            chosen[person, days[0] if cell == "first" else days[-1]] += 1
    return chosen


def _score(measurement: tuple[int, date]) -> int:
    person, day = measurement
    return dict(SCORES[person])[day]


def _released_sums(reports: list[Report]) -> list[tuple[Report, str, int, float]]:
    """Every (report, cell, count, mean) whose count and mean are both shown."""
    found = []
    for report in reports:
        count = report.number(WHO5, "Unge med en måling")
        for cell, label in CELLS.items():
            mean = report.mean(label)
            if count is not None and mean is not None:
                found.append((report, cell, count, mean))
    return found


def _pair_recoveries(reports: list[Report]) -> list[str]:
    """Single scores from the difference of two reports' sums (count times mean)."""
    found = []
    for (a, cell, n_a, m_a), (b, other, n_b, m_b) in permutations(_released_sums(reports), 2):
        if cell != other:
            continue
        difference = _measurements(b, cell)
        difference.subtract(_measurements(a, cell))
        left = {key: n for key, n in difference.items() if n}
        if list(left.values()) == [1]:
            [measurement] = left
            value = n_b * m_b - n_a * m_a
            found.append(
                f"{b.start}..{b.end} minus {a.start}..{a.end}: {value:.1f}"
                f" (the real score: {_score(measurement)})"
            )
    return found


def _determined(reports: list[Report]) -> list[int]:
    """The scores that some combination of all the sums shown pins down (exact linear algebra:
    a measurement is determined when its unit vector lies in the span of the sums' rows)."""
    rows = [_measurements(report, cell) for report, cell, _n, _m in _released_sums(reports)]
    columns = sorted({key for row in rows for key in row})

    def rank(vectors: list[list[Fraction]]) -> int:
        matrix, found = [list(v) for v in vectors], 0
        for column in range(len(columns)):
            pivot = next((r for r in range(found, len(matrix)) if matrix[r][column]), None)
            if pivot is None:
                continue
            matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
            for r in range(len(matrix)):
                if r != found and matrix[r][column]:
                    factor = matrix[r][column] / matrix[found][column]
                    matrix[r] = [
                        x - factor * y for x, y in zip(matrix[r], matrix[found], strict=True)
                    ]
            found += 1
        return found

    matrix = [[Fraction(row[key]) for key in columns] for row in rows]
    base = rank(matrix)
    return [
        _score(key)
        for index, key in enumerate(columns)
        if rank([*matrix, [Fraction(i == index) for i in range(len(columns))]]) == base
    ]


def _additive(reports: list[Report]) -> set[tuple[str, str]]:
    """Every count a quarter's report shows: those that add up over the half-year's quarters."""
    quarters = [r for r in reports if (r.end - r.start).days < 100]
    return {key for r in quarters for key in r.values if key[0] != IDEAS}


def _small_differences(reports: list[Report]) -> list[str]:
    """Counts from 1 to 4 that a nested pair of reports gives away (the bigger minus the part)."""
    found = []
    additive = _additive(reports)
    assert additive >= ADDITIVE_AT_LEAST
    for whole, part in permutations(reports, 2):
        if not whole.contains(part):
            continue
        for section, label in additive:
            big, small = whole.number(section, label), part.number(section, label)
            if big is not None and small is not None and 1 <= big - small < SMALL:
                found.append(f"{label}: {whole.start}..{whole.end} minus {part.start}..{part.end}")
    return found


async def test_no_combination_of_reports_gives_away_one_young_persons_value(
    client, database, facilitator
):
    _seed(database)
    await log_in(client, facilitator)
    reports = await _every_report(client)
    half = next(r for r in reports if (r.start, r.end) == (date(2026, 1, 1), date(2026, 6, 30)))
    assert half.number(WHO5, "Unge med en måling") == 14  # the attack had figures to work on
    assert half.mean(CELLS["first"]) is not None
    assert _pair_recoveries(reports) == []
    assert _determined(reports) == []
    assert _small_differences(reports) == []
    # What the rule costs: the half-year hides its urgent alerts (8), as the first quarter showed
    # its 6 in April and the second quarter's 2 would follow.
    quarters = {(r.start, r.end): r for r in reports}
    first = quarters[date(2026, 1, 1), date(2026, 3, 31)]
    second = quarters[date(2026, 4, 1), date(2026, 6, 30)]
    for key in [("Akutte alarmer", "Akutte alarmer"), *sorted(ADDITIVE_AT_LEAST - {NEW})]:
        assert (first.values[key], half.values[key], second.values[key]) == ("6", HIDDEN, "<5")
    # The counts a half-year shows alone meet no quarter's: they are shown as counted.
    assert half.values["Unge", "Ved periodens start"] == "<5"  # nobody invited before January
    assert half.values["Unge", "Ved periodens slut"] == "6"  # 14 invited, 8 of them left
    assert half.values["Tilbud", "Mentor: unge der fik tilbuddet"] == "8"
    assert (WHO5, CELLS["first"]) not in first.values  # a quarter shows counts only


def _view(first: int, second: int) -> tuple[str, str, str]:
    """What the three reports show of one count, as the page writes it."""

    def text(count: int, show: bool) -> str:
        return HIDDEN if not show else "<5" if count < SMALL else str(count)

    a, h, b = shown(first, second)
    return text(first, a), text(first + second, h), text(second, b)


def test_the_rule_gives_nothing_away_even_to_someone_who_knows_it():
    """Every pair of quarter counts up to 40: whoever sees the three reports and knows the rule
    learns which true counts are possible; none of the three may then be pinned to 1-4. (Views
    showing a number above 24 are left out: some of their possible states lie beyond 40.)"""
    possible: dict[tuple[str, str, str], list[tuple[int, int, int]]] = {}
    for first, second in product(range(41), repeat=2):
        possible.setdefault(_view(first, second), []).append((first, second, first + second))
    leaks = []
    for view, states in possible.items():
        if any(text.isdigit() and int(text) > 24 for text in view):
            continue
        for part in range(3):
            values = {state[part] for state in states}
            if len(values) == 1 and 1 <= next(iter(values)) < SMALL:
                leaks.append((view, part, values))
    assert leaks == []
    # The rule still shows what it can: a half-year whose quarters are both 5 or more is shown.
    assert _view(6, 7) == ("6", "13", "7")
    assert _view(0, 3) == ("<5", "<5", "<5")
    assert _view(6, 2) == ("6", HIDDEN, "<5")
    assert _view(2, 9) == ("<5", "11", HIDDEN)


@pytest.mark.parametrize(
    "query",
    [
        "fra=0001-01-01&til=0001-12-31",
        "fra=9999-01-01&til=9999-12-31",
        "fra=0001-01-01&til=9999-12-31",
        "fra=2026-06-30&til=2026-01-01",
        "fra=2026-13-01&til=2026-14-01",
        "fra=i+går&til=",
        "fra=2026-01-01",
        "til=2026-06-30",
        "fra=2026-01-01&til=2026-06-29",
        "periode=0001-H1",
        "periode=9999-H2",
        "periode=2026-H3",
        "periode=2026-K4",  # ends 31 December: not over yet
        "periode=2020-H1",  # more than five years back
        "periode=%00%ff",
        "periode=",
    ],
)
async def test_a_period_that_is_not_offered_gets_a_clear_danish_answer(client, facilitator, query):
    await log_in(client, facilitator)
    for path in ("/rapport", "/rapport.csv", "/rapport.xlsx"):
        answer = await client.get(f"{path}?{query}")
        assert answer.status_code == 400, (path, answer.status_code)
        assert (
            "Der er kun nøgletal for hele kvartaler og halvår, fra en uge efter de er slut. "
            "Vælg en periode på listen." in answer.text
        )
        page = parse(answer.text)
        assert page.by_id("periode").attrs["aria-invalid"] == "true"
        assert page.all("table") == []  # no figures of another period than the one asked for


async def test_the_form_offers_whole_quarters_and_half_years_a_week_after_they_end(
    client, facilitator, clock
):
    clock.moment = datetime(2026, 10, 7, 16, tzinfo=UTC)  # 18.00 in Copenhagen
    await log_in(client, facilitator)
    page = parse((await client.get("/rapport")).text)
    options = [(o.attrs["value"], o.text) for o in page.all("option")]
    assert options[:4] == [
        ("2026-H1", "1. halvår 2026"),
        ("2026-K2", "2. kvartal 2026"),
        ("2026-K1", "1. kvartal 2026"),
        ("2025-H2", "2. halvår 2025"),
    ]
    assert ("2026-K3", "3. kvartal 2026") not in options  # ended 30 September: from 8 October
    [selected] = [o for o in page.all("option") if "selected" in o.attrs]
    assert selected.attrs["value"] == "2026-H1"
    assert "Nøgletal, 1. halvår 2026" in page.text
    assert len(options) == 4 * 6 + 3  # 2022-2025 whole; of 2026: H1, K1 and K2
    clock.moment = datetime(2026, 10, 7, 22, 30, tzinfo=UTC)  # 8 October, 00.30 in Copenhagen
    await log_in(client, facilitator)
    later = parse((await client.get("/rapport")).text)
    assert later.all("option")[0].attrs["value"] == "2026-K3"
    quarter = await client.get("/rapport?periode=2026-K3")
    assert "Nøgletal, 3. kvartal 2026" in quarter.text
    assert "Et kvartal viser kun antal." in quarter.text
    assert CELLS["first"] not in quarter.text
