"""Load, validate and link a content folder: the front half of every command."""

from __future__ import annotations

from pathlib import Path

from .link import KnowledgeBase, link
from .load import load_tree
from .problems import ContentError, Problems
from .validate import validate_tree


def read_content(root: Path) -> KnowledgeBase:
    """The knowledge base in `root`, or ContentError listing every problem in it."""
    problems = Problems()
    tree = load_tree(root, problems)
    valid = validate_tree(tree, problems)
    kb = link(valid, problems)
    if problems or kb is None:
        raise ContentError(problems.sorted())
    return kb
