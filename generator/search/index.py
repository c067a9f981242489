"""One language's search index, and the files that search it in the browser.

Ours end to end: each page's HTML (as MkDocs made it from our Markdown) is
cut into sections at its headings; each section's words are analysed by the
language's rules (`analysis.Analyzer`) into the terms the browser will look
up; the lot is written into the language's `search/` folder with the engine
that reads it:

- `index.js`: the index (`self.HinahonIndex = {...}`, format below). A script,
  not JSON, so a copy opened from file:// loads it as a served one does;
- `analysis.js`: the language's rules, the stemmer its rules name, and
  `analysis.js` of this package: what the reader types is analysed by the
  same rules as the index was;
- `worker.js`: the search worker (MiniSearch over the index; `worker.js` here);
- `minisearch.js` and `LICENSES.txt`: the library and its licences.

The page's side (site_templates/theme/assets/hinahon/search.js) starts the
worker only when the reader first goes to the search box.

Index format 2 (`index.js`, and `text/<n>.js` for the texts):

    {"format": 2, "lang": "en", "per_text": 10,
     "terms": [term, ...],
     "pages": [[url, title], ...],
     "docs": [[page, anchor, title, title_terms, text_terms], ...]}

A doc is one section of a page (`anchor` "" for its top); its terms are
numbers (base 36, space-separated) into `terms`, each term written once. The
docs' texts, which only the results' previews need, are in `text/<n>.js`,
one file per `per_text` pages (file n for pages n*per_text onwards), each
`self.HinahonTexts[n] = [text, ...]` in doc order. At 1,000 customer types
this makes the index a worker loads a fraction of the pages' words.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .analysis import Analyzer

FORMAT = 2
FOLDER = "search"
"""Each language's search files, in its site."""
INDEX_FILE = "index.js"
HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
_GLOBAL = "self.HinahonIndex"
TEXT_FOLDER = "text"
"""The docs' texts, for the results' previews: fetched only for the pages listed."""
_TEXTS = "self.HinahonTexts"
PAGES_PER_TEXT = 10
"""Pages whose texts share one file: a search lists ten pages, and loads at most ten files."""

REGISTRY: dict[str, "SearchIndex"] = {}
"""The index being built for each site folder, in this process: MkDocs' hooks
(generator/mkdocs_hooks.py) fill it page by page; serve redoes pages into it."""


class SearchSetupError(Exception):
    """A search file could not be read or written as this step expects."""


@dataclass(frozen=True)
class Section:
    anchor: str
    """The heading's id ("" for the top of the page)."""
    title: str
    text: str


_HEADINGS = {"h1", "h2", "h3"}
_BLOCKS = {"p", "li", "ul", "ol", "div", "table", "tr", "td", "th", "blockquote", "br",
           "dd", "dt", "section", "article", "details", "summary", "figcaption", "h4", "h5", "h6"}
_SKIPPED = {"script", "style", "template"}
_SPACES = re.compile(r"\s+")


class _SectionParser(HTMLParser):
    def __init__(self, page_title: str):
        super().__init__(convert_charrefs=True)
        self.sections: list[list] = [["", page_title, []]]
        self._heading: list[str] | None = None
        self._heading_tag = ""
        self._in_title = False
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "h1" and len(self.sections) == 1 and not self._in_title:
            # The page's own title: the top section has it already, and no anchor.
            self._in_title = True
        elif tag in _HEADINGS:
            self.sections.append([dict(attrs).get("id") or "", "", []])
            self._heading, self._heading_tag = [], tag
        elif tag in _BLOCKS:
            self._text().append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "h1" and self._in_title:
            self._in_title = False
        elif tag == self._heading_tag and self._heading is not None:
            self.sections[-1][1] = _clean("".join(self._heading))
            self._heading, self._heading_tag = None, ""
        elif tag in _BLOCKS:
            self._text().append(" ")

    def handle_data(self, data):
        if self._skipping or self._in_title:
            return
        if self._heading is not None:
            self._heading.append(data)
        else:
            self._text().append(data)

    def _text(self) -> list[str]:
        return self.sections[-1][2]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def page_sections(html: str, page_title: str) -> list[Section]:
    """A page's body HTML cut into sections at its h2 and h3 headings (those with an id)."""
    parser = _SectionParser(page_title)
    parser.feed(html)
    parser.close()
    sections = []
    for anchor, title, text in parser.sections:
        text = _clean("".join(text))
        if anchor or title or text:
            sections.append(Section(anchor, title or page_title, text))
    return sections


class SearchIndex:
    """One language's index as it is built: pages in, `search/index.js` out."""

    def __init__(self, rules: dict[str, Any]):
        self.rules = rules
        self.analyzer = Analyzer(rules)
        self.pages: dict[str, tuple[str, list[Section]]] = {}
        """Page URL -> (title, sections), in the order pages came."""

    def add_page(self, url: str, title: str, html: str) -> None:
        self.pages[url] = (title, page_sections(html, title))

    def remove_page(self, url: str) -> None:
        self.pages.pop(url, None)

    def data(self) -> tuple[dict[str, Any], list[list[str]]]:
        """The index, and the texts of its docs in groups of `PAGES_PER_TEXT` pages."""
        analyse = self.analyzer.index_terms
        numbers: dict[str, int] = {}

        def ids(text: str) -> str:
            # Each term once in `terms`; a doc names its terms by number (base 36).
            return " ".join(_base36(numbers.setdefault(term, len(numbers))) for term in analyse(text))

        pages, docs, texts = [], [], []
        for number, (url, (title, sections)) in enumerate(self.pages.items()):
            pages.append([url, title])
            if number % PAGES_PER_TEXT == 0:
                texts.append([])
            for section in sections:
                docs.append([number, section.anchor, section.title, ids(section.title), ids(section.text)])
                texts[-1].append(section.text)
        index = {"format": FORMAT, "lang": self.rules["lang"], "per_text": PAGES_PER_TEXT,
                 "terms": list(numbers), "pages": pages, "docs": docs}
        return index, texts

    def write(self, folder: Path) -> int:
        """Write `index.js` and `text/` into `folder`; returns the bytes of `index.js`."""
        index, texts = self.data()
        text = f"{_GLOBAL} = " + _json(index)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder / TEXT_FOLDER, ignore_errors=True)
        (folder / TEXT_FOLDER).mkdir()
        for number, group in enumerate(texts):
            (folder / TEXT_FOLDER / f"{number}.js").write_text(
                f"{_TEXTS}[{number}] = " + _json(group), encoding="utf-8")
        (folder / INDEX_FILE).write_text(text, encoding="utf-8")
        return len(text.encode("utf-8"))

    @classmethod
    def read(cls, folder: Path, rules: dict[str, Any]) -> "SearchIndex":
        """The index as written into `folder` (serve goes on from it)."""
        index = cls(rules)
        try:
            text = (folder / INDEX_FILE).read_text(encoding="utf-8")
            data = json.loads(text.removeprefix(f"{_GLOBAL} = "))
            if data.get("format") != FORMAT:
                raise SearchSetupError(f"{folder / INDEX_FILE}: format {data.get('format')!r}, "
                                       f"not {FORMAT}; rebuild the site")
            texts: list[str] = []
            for number in range(-(-len(data["pages"]) // data["per_text"])):
                group = (folder / TEXT_FOLDER / f"{number}.js").read_text(encoding="utf-8")
                texts += json.loads(group.removeprefix(f"{_TEXTS}[{number}] = "))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SearchSetupError(f"{folder / INDEX_FILE}: cannot be read back ({exc})") from exc
        sections: dict[int, list[Section]] = {}
        for (page, anchor, title, *_terms), body in zip(data["docs"], texts, strict=True):
            sections.setdefault(page, []).append(Section(anchor, title, body))
        for number, (url, title) in enumerate(data["pages"]):
            index.pages[url] = (title, sections.get(number, []))
        return index


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = digits[digit] + out
        if not number:
            return out


def write_engine(folder: Path, rules: dict[str, Any]) -> None:
    """The files that search `folder`'s index in the browser, for the language of `rules`."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [f"self.HinahonSearchRules = {json.dumps(rules, ensure_ascii=False)}"]
    if rules["stemmer"] == "porter":
        parts.append((VENDOR / "snowball-porter.js").read_text(encoding="utf-8"))
    parts.append((HERE / "analysis.js").read_text(encoding="utf-8"))
    # Each part ends its own statements: one ending in "})()" followed by one
    # starting with "(" would otherwise be read as a call.
    (folder / "analysis.js").write_text(";\n".join(parts), encoding="utf-8")
    shutil.copyfile(HERE / "worker.js", folder / "worker.js")
    shutil.copyfile(VENDOR / "minisearch.js", folder / "minisearch.js")
    shutil.copyfile(VENDOR / "LICENSES.txt", folder / "LICENSES.txt")
