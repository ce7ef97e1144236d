"""Ids in URLs: a `{name:int}` path parameter matches only a number a row id can be.

Every id column is an INTEGER, 32 bits on PostgreSQL, and both databases answer a bigger number
with an error rather than "no such row" (PostgreSQL: out of range; SQLite: from 2**63 on). So a
bigger number must not match a route at all: the visitor gets the ordinary 404 page, and no page
has to check its ids. The package's __init__ registers this convertor under the name "int",
before any page module builds its routes (a route compiles its convertors when it is made).
"""

from __future__ import annotations

import re

from starlette.convertors import Convertor, register_url_convertor

ID_MAX = 2**31 - 1  # PostgreSQL's INTEGER


def digits_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers 0..limit, written with at most as many
    digits as `limit` (so leading zeros are allowed within that length)."""
    if limit < 0:
        raise ValueError("limit must be 0 or more")
    text = str(limit)
    choices = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for index, digit in enumerate(text):
        if digit != "0":  # the same prefix, then a smaller digit here, then any digits
            rest = len(text) - index - 1
            choices.append(text[:index] + f"[0-{int(digit) - 1}]" + f"[0-9]{{{rest}}}")
    choices.append(text)
    return "(?:" + "|".join(choices) + ")"


class IdConvertor(Convertor[int]):
    """Starlette's integer convertor, limited to 0..ID_MAX."""

    regex = digits_up_to(ID_MAX)

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        if not 0 <= value <= ID_MAX:
            raise ValueError(f"an id must be 0..{ID_MAX}, not {value}")
        return str(value)


ID = re.compile(IdConvertor.regex)


def id_from(raw: str) -> int | None:
    """A posted id, or None when `raw` is no number a row id can be (so no query ever sees it;
    str.isdigit() would pass "²", which int() refuses, and numbers the databases refuse)."""
    return int(raw) if ID.fullmatch(raw) else None


def register() -> None:
    """Make `{name:int}` in every route built from now on mean an id (see the docstring)."""
    register_url_convertor("int", IdConvertor())
