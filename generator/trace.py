"""Trace a failure in MkDocs back to the content that caused it.

MkDocs reports problems in the Markdown pages we generated (`Doc file
'tactics/stay-calm.md' contains a link ...`), which an author never sees. Most
come from something an author wrote: a link to a page that does not exist, an
anchor that is not there. Each such report is led by the content file, line,
column and field that hold the quoted text, so the first line of a failed build
points where the fix goes; what MkDocs said follows it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .load import Document, Loc, load_tree
from .problems import Problems, display_path
from .validate import format_loc

_REPORT = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(?P<message>.*)$")
_DOC_FILE = re.compile(r"Doc file '(?P<page>[^']+)'")
_QUOTED = re.compile(r"'([^']+)'")


def explain(output: str, code: str, content: Path, sources: dict[str, str]) -> list[str]:
    """The lines to print for MkDocs' `output` when the `code` site failed.

    `sources` maps a generated page (`tactics/stay-calm.md`) to the content file
    it is made from (`tactics/stay-calm.yaml`), for reports no field explains.
    """
    documents: list[Document] | None = None
    traced: list[str] = []
    seen: set[tuple] = set()
    said = [f"[{code}] {line}" for line in output.splitlines()
            if line.strip() and not line.startswith("INFO")]
    for line in output.splitlines():
        match = _REPORT.match(line.strip())
        if not match:
            continue
        message = match["message"].strip()
        page = _DOC_FILE.search(message)
        if not page:
            # Not about one of our pages (a config setting, say): no content file to blame.
            continue
        quoted = _needles([q for q in _QUOTED.findall(message) if q != page["page"]])
        if documents is None:
            documents = _documents(content)
        # The page's own file first: the same words may stand in another file too.
        own = content / sources[page["page"]] if page["page"] in sources else None
        found = _find(sorted(documents, key=lambda doc: doc.path != own), quoted)
        if found:
            doc, loc = found
            key = (doc.path, loc, tuple(quoted))
            if key in seen:
                continue
            seen.add(key)
            line_no, column = doc.position(loc)
            what = _without_page(message, page)
            traced.append(f"{display_path(doc.path)}:{line_no}:{column}: error: {format_loc(loc)}: "
                          f"{what} (the {code} site)")
        elif page["page"] in sources:
            source = content / sources[page["page"]]
            traced.append(f"{display_path(source)}:1:1: error: the {code} page made from this file: "
                          f"{_without_page(message, page)}")
    return traced + said or [f"[{code}] MkDocs failed and said nothing"]


def _needles(quoted: list[str]) -> list[str]:
    """What to look for in content: each quoted string, and after a link that the
    link stage wrote from the site's root (generator/page_links.py), the end of
    it that the author's own relative link holds too (`stay-calm.md#why`)."""
    needles = []
    for text in quoted:
        needles.append(text)
        if text.startswith("/") and ".md" in text:
            needles.append(text.rsplit("/", 1)[-1])
    return needles


def _without_page(message: str, page: re.Match) -> str:
    # The generated page's name means nothing to an author; the content file replaces it.
    return message.replace(page.group(0) + " ", "").strip()


def _documents(content: Path) -> list[Document]:
    tree = load_tree(content, Problems())
    documents = list(tree.singles.values())
    for docs in tree.collections.values():
        documents += docs
    return documents


def _find(documents: list[Document], quoted: list[str]) -> tuple[Document, Loc] | None:
    """The first document and place whose text holds one of the `quoted` strings."""
    for needle in quoted:
        for doc in documents:
            loc = _holding(doc.data, (), needle)
            if loc is not None:
                return doc, loc
    return None


def _holding(data: Any, loc: Loc, needle: str) -> Loc | None:
    if isinstance(data, str):
        return loc if needle in data else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        found = _holding(value, (*loc, key), needle)
        if found is not None:
            return found
    return None
