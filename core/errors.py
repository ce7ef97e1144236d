"""Errors of the base package.

CoreError
 └── ContentError    a file in dialogues/ is broken; .problems names file, line and reason
"""

from __future__ import annotations

from dataclasses import dataclass


class CoreError(Exception):
    """Base class for errors of the base package."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


class ContentError(CoreError):
    """One or more dialogue files are broken. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
