"""What reading a content folder learned, kept for the next read (`serve` keeps one).

An author saves one file; the next read of the folder must not parse and
validate the other few hundred again. A file whose size, modification time
and inode are the same as last time is taken from here as it was, parsed
and validated, with the problems it had; any other file is read afresh.
Validation also depends on languages.yaml (its languages are the validation
context), so an entry's result is kept per context.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .problems import Problem, Problems


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


@dataclass
class ContentMemo:
    _documents: dict[Path, tuple[tuple, Any]] = field(default_factory=dict)
    _validated: dict[tuple, tuple[Any, list[Problem], Any]] = field(default_factory=dict)
    reads: int = 0
    """Files read and parsed afresh, over the memo's life (tests count them)."""

    def document(self, path: Path, problems: Problems, load: Callable[[Path, Problems], Any]):
        """`load(path, problems)`, or its earlier result when the file is unchanged."""
        key = _stat_key(path)
        kept = self._documents.get(path)
        if key is not None and kept is not None and kept[0] == key:
            return kept[1]
        self.reads += 1
        document = load(path, problems)
        if key is not None and document is not None and _stat_key(path) == key:
            self._documents[path] = (key, document)
        else:
            self._documents.pop(path, None)
        return document

    def validated(self, document, model: type, context: dict, problems: Problems,
                  validate: Callable[..., Any]):
        """`validate(document, model, context, problems)`, or its earlier result for
        the same document object, model and context, its problems reported again."""
        key = (id(document), model, tuple(sorted((k, repr(v)) for k, v in context.items())))
        kept = self._validated.get(key)
        if kept is None or kept[2] is not document:
            own = Problems()
            kept = (validate(document, model, context, own), own.items, document)
            self._validated[key] = kept
        for problem in kept[1]:
            problems.items.append(problem)
        return kept[0]

    def forget_unused(self) -> None:
        """Drop validation results of documents no longer held, so the memo does not grow."""
        held = {id(document) for _, document in self._documents.values()}
        self._validated = {key: value for key, value in self._validated.items() if key[0] in held}
