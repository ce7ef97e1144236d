"""Page numbers from a query string: whatever is typed, the answer is a page that exists."""

from __future__ import annotations

import re

# ASCII digits only: str.isdigit() also takes "²", which int() refuses.
NUMBER = re.compile(r"[0-9]+")


def last_page(total: int, *, per_page: int) -> int:
    """The number of the last page of `total` rows (1 when there are none)."""
    return max(1, -(-total // per_page))


def page_number(raw: str | None, *, last: int) -> int:
    """The page asked for, between 1 and `last`: anything but a number is the first page, and a
    number past the end is the last page (however many digits it has)."""
    if raw is None or not NUMBER.fullmatch(raw):
        return 1
    digits = raw.lstrip("0") or "0"
    number = int(digits) if len(digits) <= len(str(last)) else last
    return min(max(number, 1), last)
