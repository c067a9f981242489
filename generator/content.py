"""Load, validate and link a content folder: the front half of every command."""

from __future__ import annotations

from pathlib import Path

from .link import KnowledgeBase, link
from .load import load_tree
from .problems import ContentError, Problems
from .stages import Stopwatch
from .validate import validate_tree


def read_content(root: Path, stopwatch: Stopwatch | None = None) -> KnowledgeBase:
    """The knowledge base in `root`, or ContentError listing every problem in it.

    With a `stopwatch`, each of the three stages (load, validate, link) is timed.
    """
    watch = stopwatch if stopwatch is not None else Stopwatch()
    problems = Problems()
    with watch.stage("load"):
        tree = load_tree(root, problems)
    with watch.stage("validate"):
        valid = validate_tree(tree, problems)
    with watch.stage("link"):
        kb = link(valid, problems)
    if problems or kb is None:
        raise ContentError(problems.sorted())
    return kb
