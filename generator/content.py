"""Load, validate and link a content folder: the front half of every command."""

from __future__ import annotations

from pathlib import Path

from .layout import FILE_BY_NAME
from .link import KnowledgeBase, link
from .load import LoadedTree, load_document, load_tree
from .memo import ContentMemo
from .model import LanguagesFile
from .problems import ContentError, Problems
from .stages import Stopwatch
from .validate import validate_languages, validate_tree
from .wording import check_wording

LANGUAGES = "languages.yaml"


def read_content(root: Path, memo: ContentMemo | None = None,
                 stopwatch: Stopwatch | None = None) -> KnowledgeBase:
    """The knowledge base in `root`, or ContentError listing every problem in it;
    `memo` keeps what was read for the next call (generator/memo.py), and a
    `stopwatch` times each of the three stages (load, validate, link)."""
    return read_tree(root, memo, stopwatch)[1]


def read_tree(root: Path, memo: ContentMemo | None = None, stopwatch: Stopwatch | None = None,
              ) -> tuple[LoadedTree, KnowledgeBase]:
    """The loaded documents and the knowledge base made of them, or ContentError."""
    watch = stopwatch if stopwatch is not None else Stopwatch()
    problems = Problems()
    with watch.stage("load"):
        tree = load_tree(root, problems, memo)
    with watch.stage("validate"):
        valid = validate_tree(tree, problems, memo)
    if memo is not None:
        memo.forget_unused()
    with watch.stage("link"):
        kb = link(valid, problems)
    if problems or kb is None:
        raise ContentError(problems.sorted())
    return tree, kb


def check_content(root: Path) -> KnowledgeBase:
    """What `check` reads: the knowledge base, its wording checked too
    (generator/wording.py), or ContentError listing every problem."""
    tree, kb = read_tree(root)
    problems = Problems()
    check_wording(tree, kb, problems)
    if problems:
        raise ContentError(problems.sorted())
    return kb


def read_languages(root: Path) -> LanguagesFile:
    """Only `root`/languages.yaml, validated, or ContentError naming its problems."""
    problems = Problems()
    path = root / LANGUAGES
    languages = None
    if not root.is_dir():
        problems.add(root, 1, 1, "content folder not found")
    elif not path.exists():
        problems.add(path, 1, 1, f"missing: {LANGUAGES} {FILE_BY_NAME[LANGUAGES].about}")
    elif (doc := load_document(path, problems)) is not None:
        languages = validate_languages(doc, problems)
    if problems or languages is None:
        raise ContentError(problems.sorted())
    return languages
