"""Problems found in content, reported the way compilers do.

Every stage collects problems instead of stopping at the first one, so an
author sees everything wrong with their tree in a single run.
"""

from __future__ import annotations

import difflib
import os
import re
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
        where = _one_line(display_path(self.path))
        return f"{where}:{self.line}:{self.column}: error: {self.message}"


@dataclass
class Problems:
    """A growing list of problems, shared by the stages of one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, column: int, message: str) -> None:
        self.items.append(Problem(path, line, column, _one_line(message)))

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


MAX_MESSAGE = 1000
"""Longer than any message we write; a backstop should a message quote too much."""
# Line breaks, controls and surrogates would split a report line, forge another
# one or fail to print; they are shown as escapes instead.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _one_line(message: str) -> str:
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 3] + "..."
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", message)


def excerpt(value: object, quote: bool = True, limit: int = 40) -> str:
    """A short, escaped rendering of content for a message: never a whole value."""
    try:
        text = str(value)
    except ValueError:  # an int too long for Python to print in decimal
        text = "<a number too long to show>"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    shown = repr(text)
    return shown if quote else shown[1:-1]


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
