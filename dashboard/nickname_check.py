"""Does a nickname look like personal data? A pure check for the invitation form.

We store only a nickname or initials. Two slips are common: a CPR number (six digits for the
birth date, an optional dash, four digits) and a full name ("Firstname Lastname"). Either gets a
kind warning and must be confirmed; neither is refused, because "Mads 2008" or a band name can be
a real nickname.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

# Ten digits with an optional dash after the sixth, not inside a longer run of digits.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})-?\d{4}(?!\d)")


class NicknameWarning(StrEnum):
    CPR = "cpr"
    FULL_NAME = "full_name"


def nickname_warnings(nickname: str) -> list[NicknameWarning]:
    """The warnings for `nickname`, CPR first; empty when it looks like a nickname."""
    found: list[NicknameWarning] = []
    if looks_like_cpr(nickname):
        found.append(NicknameWarning.CPR)
    if looks_like_full_name(nickname):
        found.append(NicknameWarning.FULL_NAME)
    return found


def looks_like_cpr(text: str) -> bool:
    """Six digits that are a real day (DDMMYY, in either century), then four more."""
    return any(_plausible_day(*match.groups()) for match in _CPR.finditer(text))


def looks_like_full_name(text: str) -> bool:
    """Two or more capitalised words in a row ("Mads Hansen", "Anne-Sofie Møller Berg").

    Initials ("Mads K.", "M.K.") and lower-case nicknames ("mads h") pass."""
    run = 0
    for word in text.split():
        run = run + 1 if _capitalised(word) else 0
        if run >= 2:
            return True
    return False


def _capitalised(word: str) -> bool:
    """A word like "Hansen" or "Anne-Sofie": each part an upper-case letter, then at least one
    lower-case letter and nothing else."""
    parts = word.split("-")
    return all(
        len(part) >= 2 and part[0].isupper() and part[1:].isalpha() and part[1:].islower()
        for part in parts
    )


def _plausible_day(day: str, month: str, year: str) -> bool:
    for century in (1900, 2000):
        try:
            date(century + int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False
