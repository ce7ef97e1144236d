"""The differencing rule: which counts a report must hide so that no set of reports gives one away.

Reports exist only for fixed periods (presets.py), so the only reports whose figures overlap are a
half-year and its two quarters; half-years, and the years, never overlap. Shares, means, medians and
the development of WHO-5 and BIP are shown for half-years only, so they never overlap at all. What
is left are the counts that a quarter shows as well: each of them adds up, the half-year's count
is the first quarter's plus the second's (h = a + b). If a total and one of its parts were shown,
the other part would follow, and it could be a number from 1 to 4 that "<5" was meant to hide.

The rule decides in the order the reports appear, so a report never changes once it is out: the
first quarter a week after it ends, then the half-year, then the second quarter (those two a week
after the half-year ends). It looks only at what is already shown and at the count itself:

1. The first quarter: the count, or "<5" (as in every report).
2. The half-year: if the first quarter showed its count (5 or more), the half-year shows its own
   only if the second quarter's part is 0 or at least 5; otherwise a dash. If the first quarter
   showed "<5", the half-year shows its count (or "<5").
3. The second quarter: if the first quarter showed "<5" and the half-year a count, a count for the
   second quarter would give away the first quarter's; it is shown only when the first quarter's
   part is 0, otherwise a dash. In every other case: the count, or "<5".

The counts a half-year shows alone (young people followed at the start and at the end, young
people receiving an offer, those who got a new contact person, those measured) meet no quarter's.
Within one report no total is shown next to all of its parts, so no part follows from the others:
ended courses are split by outcome without their total, meetings by attendance without theirs, and
the followed at the start and end make no sum with the new (someone invited is followed only from
saying yes, a count the report does not show).

Even knowing the rule, one learns no number from 1 to 4 exactly, from the numbers or from where
the dashes are (tests/dashboard/test_keyfigure_differencing.py checks every case up to 40).
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.keyfigures.figures import KeyFigures
from dashboard.keyfigures.formatting import SMALL
from dashboard.keyfigures.presets import Preset


def additive_counts(figures: KeyFigures) -> dict[str, int]:
    """The counts that add up over a half-year's two quarters, by a name for each."""
    meetings, came = figures.meetings, figures.meetings.attendance
    counts = {
        "people.new": figures.people.new,
        "contacts.changes": figures.contacts.changes,
        "meetings.attended": came.attended,
        "meetings.no_show": came.no_show,
        "meetings.cancelled_late": came.cancelled_late,
        "meetings.not_recorded": came.not_recorded,
        "meetings.cancelled": meetings.cancelled,
        "meetings.cannot_come": meetings.cannot_come,
        "agreements.due": figures.agreements.due,
        "alerts.urgent": figures.alerts.urgent,
        "alerts.escalated": figures.alerts.escalated,
    }
    counts.update({f"outcomes.{o}": n for o, n in figures.outcomes.items()})
    counts.update({f"offers.{o.offer_id}.started": o.started for o in figures.offers})
    counts.update({f"checkins.{c.questionnaire_id}.sent": c.sent for c in figures.checkins})
    return counts


def shown(first: int, second: int) -> tuple[bool, bool, bool]:
    """Whether the first quarter, the half-year and the second quarter may show their count
    (as the number or "<5"), given the two quarters' true counts; False means a dash."""
    whole = first + second
    if first >= SMALL:
        half = second == 0 or second >= SMALL
        return True, half, True
    if whole >= SMALL:
        return True, True, first == 0
    return True, True, True


def hidden_counts(preset: Preset, figures: Mapping[Preset, KeyFigures]) -> frozenset[str]:
    """The names of the counts `preset`'s report shows as a dash. `figures` holds the report's
    own figures and, for a half-year or a second quarter, those of the half-year and both
    quarters (all three appear on the same day)."""
    first, second = preset.quarters
    if preset == first:
        return frozenset()  # decided first, on its own numbers only
    a, h, b = (additive_counts(figures[p]) for p in (first, preset.half, second))
    hidden = set()
    for name, whole in h.items():
        if name not in a or name not in b or a[name] + b[name] != whole:
            hidden.add(name)  # the numbers do not add up (data changed meanwhile): hide, to be safe
            continue
        _first, half, last = shown(a[name], b[name])
        if not (half if preset.whole else last):
            hidden.add(name)
    return frozenset(hidden)
