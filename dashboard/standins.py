"""Whose young people a stand-in sees: the same chain of stand-ins that alerts follow.

An absent coordinator's alerts go to their stand-in; if the stand-in is absent too, to theirs,
and so on (at most `MAX_STAND_INS` steps, never round a loop). The first one present at the
end of that chain covers the absent coordinator, on the dashboard as in the e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.alerts.raising import MAX_STAND_INS


def stand_in_for(absent: Mapping[int, int | None], staff_id: int) -> int | None:
    """Who covers the absent `staff_id` now: the first one present along the chain, or None
    (then alerts go to the duty list). `absent` maps each absent staff id to their stand-in."""
    seen: set[int] = set()
    current: int | None = staff_id
    while current is not None and current in absent and len(seen) < MAX_STAND_INS:
        seen.add(current)
        following = absent[current]
        current = following if following is not None and following not in seen else None
    return None if current is None or current in absent else current


def covered_by(absent: Mapping[int, int | None], staff_id: int) -> set[int]:
    """The absent colleagues whose young people `staff_id` sees as their stand-in."""
    return {each for each in absent if stand_in_for(absent, each) == staff_id}
