"""Check stage: how much of the content is translated into each language.

A text only needs the default language to be valid (the page falls back to
it), so a missing translation is not a content error; this report is what
keeps the languages complete. It reads the YAML rather than the knowledge
base, so every missing translation can be named by file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .layout import FILES
from .link import KnowledgeBase
from .load import Document, LoadedTree, Loc, load_tree
from .problems import Problems, display_path
from .validate import format_loc


@dataclass
class LanguageCoverage:
    code: str
    translated: int = 0
    total: int = 0
    missing: list[str] = field(default_factory=list)
    """`file:line:col: field` of each text this language lacks."""

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def translation_coverage(root: Path, kb: KnowledgeBase,
                         tree: LoadedTree | None = None) -> list[LanguageCoverage]:
    """Coverage per language of every text in `root` (content already validated as `kb`,
    loaded as `tree` if given)."""
    report = {code: LanguageCoverage(code) for code in kb.language_codes}
    for doc in text_documents(tree or load_tree(root, Problems())):
        for loc, text in texts(doc, kb):
            for code, coverage in report.items():
                coverage.total += 1
                if code in text:
                    coverage.translated += 1
                else:
                    line, column = doc.position(loc)
                    coverage.missing.append(
                        f"{display_path(doc.path)}:{line}:{column}: {format_loc(loc)}")
    return list(report.values())


def text_documents(tree: LoadedTree) -> list[Document]:
    """The documents that hold texts: every entry and single file but languages.yaml
    (labels, not texts) and the files a command writes."""
    skip = {"languages.yaml"} | {single.name for single in FILES if single.written_by}
    documents = [doc for name, doc in sorted(tree.singles.items()) if name not in skip]
    documents += [doc for folder in sorted(tree.collections) for doc in tree.collections[folder]]
    return documents


def texts(doc: Document, kb: KnowledgeBase) -> Iterator[tuple[Loc, dict[str, str]]]:
    """Every Text in a document, with its place: a mapping keyed by language codes only."""
    return _texts(doc.data, (), set(kb.language_codes), kb.default_language)


def _texts(data: Any, loc: Loc, codes: set[str], default: str):
    if isinstance(data, dict):
        # A text maps language codes to strings; a glossary term's `forms` maps
        # them to lists, and is not a text.
        if data and default in data and set(data) <= codes and not any(
                isinstance(value, (list, dict)) for value in data.values()):
            yield loc, data
            return
        for key, value in data.items():
            yield from _texts(value, (*loc, key), codes, default)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*loc, index), codes, default)
