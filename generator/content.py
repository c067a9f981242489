"""Load, validate and link a content folder: the front half of every command."""

from __future__ import annotations

from pathlib import Path

from .link import KnowledgeBase, link
from .load import load_tree
from .memo import ContentMemo
from .problems import ContentError, Problems
from .validate import validate_tree


def read_content(root: Path, memo: ContentMemo | None = None) -> KnowledgeBase:
    """The knowledge base in `root`, or ContentError listing every problem in it;
    `memo` keeps what was read for the next call (generator/memo.py)."""
    problems = Problems()
    tree = load_tree(root, problems, memo)
    valid = validate_tree(tree, problems, memo)
    if memo is not None:
        memo.forget_unused()
    kb = link(valid, problems)
    if problems or kb is None:
        raise ContentError(problems.sorted())
    return kb
