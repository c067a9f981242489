"""Problems found in content, reported the way compilers do.

Every stage collects problems instead of stopping at the first one, so an
author sees everything wrong with their tree in a single run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, pinned to a place in a file."""

    path: Path
    line: int
    column: int
    message: str

    def format(self) -> str:
        # `file:line:col: error: ...` is the form editors and terminals link.
        return f"{display_path(self.path)}:{self.line}:{self.column}: error: {self.message}"


@dataclass
class Problems:
    """A growing list of problems, shared by the stages of one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, column: int, message: str) -> None:
        self.items.append(Problem(path, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class ContentError(Exception):
    """Raised when content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in content")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
