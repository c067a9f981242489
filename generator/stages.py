"""Seconds per build stage, for the build report and `make bench`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("load", "validate", "link", "render", "mkdocs", "sanitize", "search", "pdfs", "compress")
"""The build's stages in the order they run: `BuildReport.stages` holds each."""
OWN_STAGES = ("load", "validate", "link", "render", "sanitize", "search")
"""The stages that are the generator's own work, not MkDocs', Chromium's or
(compress) zlib's and brotli's."""
IN_MKDOCS = ("sanitize", "search")
"""Own stages that run inside the languages' MkDocs processes (generator/mkdocs_hooks.py):
their seconds are summed over the languages, and lie within the mkdocs stage's."""


class Stopwatch(dict[str, float]):
    """Stage name -> seconds spent in it; a stage timed twice adds up."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, started)

    def add(self, name: str, started: float) -> None:
        """Count the time since `started` (a `time.perf_counter()`) towards `name`."""
        self[name] = self.get(name, 0.0) + time.perf_counter() - started
