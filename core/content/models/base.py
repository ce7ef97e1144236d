"""The shared pieces of the content models: the strict base model and the checked text types.

Every model forbids unknown fields, so a typo in a key is an error rather than a silently
ignored text. Texts with placeholders declare which names they may use (`template(...)`).
"""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
)

from core.text import normalize

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=16)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def allows(*allowed: str) -> AfterValidator:
    """Validator for a text whose `{placeholders}` must be among `allowed`."""

    def check(value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as error:
            raise ValueError(f"broken {{placeholder}}: {error}") from None
        unknown = sorted(names - set(allowed))
        if unknown:
            permitted = ", ".join(f"{{{name}}}" for name in allowed) or "none"
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; allowed here: {permitted}")
        return value

    return AfterValidator(check)


Template = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def _words(values: list[str]) -> list[str]:
    normalized = [normalize(value) for value in values]
    if any(not value for value in normalized):
        raise ValueError("a word must contain letters or digits")
    return values


Words = Annotated[list[Annotated[str, StringConstraints(min_length=1)]], AfterValidator(_words)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


ButtonLabel = Annotated[str, StringConstraints(min_length=1, max_length=40)]
