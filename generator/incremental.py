"""Rebuild only what a change touched, for `serve`.

After a full build, `Session` keeps what it needs to redo a small part of it:

1. the content as read (generator/memo.py), so only changed files are
   parsed and validated again;
2. every page's Markdown and what its rendering read of the knowledge base
   (`Page.uses`), so only the pages that read something that changed are
   rendered again, and only those whose Markdown then differs go on;
3. each language's MkDocs build in memory (`LiveLanguage`), so those pages
   alone are turned into HTML, sanitized and put in the search index.

A change to the site's structure (an entry added, removed, renamed or
reordered, the languages, the glossary appearing, the base config or a
template) is a full build instead, as is anything this module cannot be
sure about. Either way the result is the same site a full build makes; the
tests compare the two page by page.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .build import BuildError, build
from .content import read_content
from .layout import KINDS
from .link import KnowledgeBase
from .memo import ContentMemo
from .render import Page, Renderer
from .search.index import FOLDER as SEARCH_FOLDER, REGISTRY, SearchIndex

# The knowledge base's collections a page can read, keyed as `Page.uses` names them.
_ENTRIES = tuple(kind.key for kind in KINDS)
_DERIVED = ("phrases", "tactic_users", "phrase_users", "sheet_phrases", "sources")


def changes(old: KnowledgeBase, new: KnowledgeBase) -> set[tuple[str, ...]] | None:
    """What differs between two readings of the content; None when the site's
    structure changed and only a full build will do.

    Named as `Page.uses` names what a page read: (collection, key) for each
    value that changed, and also (collection, key, field) for each field that
    changed in an entry, or (collection, key, "*") for a value that has no
    fields or is new or gone.
    """
    if (old.languages != new.languages or old.default_language != new.default_language
            or bool(old.glossary) != bool(new.glossary)):
        return None
    for key in _ENTRIES:
        if list(old.entries[key]) != list(new.entries[key]):
            return None  # the pages or their order (the navigation) changed
    changed: set[tuple[str, ...]] = set()
    for name in (*_ENTRIES, *_DERIVED):
        before = old.entries[name] if name in _ENTRIES else getattr(old, name)
        after = new.entries[name] if name in _ENTRIES else getattr(new, name)
        if list(before) != list(after):
            changed.add((name, "*"))
        for key in set(before) | set(after):
            was, now = before.get(key), after.get(key)
            if was == now:
                continue
            changed.add((name, key))
            fields = _fields(was) if type(was) is type(now) else None
            if fields is None:
                changed.add((name, key, "*"))
            else:
                changed.update((name, key, f) for f in fields
                               if getattr(was, f) != getattr(now, f))
    if old.glossary != new.glossary:
        changed.add(("glossary", "*"))
    return changed


def _fields(value) -> list[str] | None:
    if isinstance(value, BaseModel):
        return list(type(value).model_fields)
    if dataclasses.is_dataclass(value):
        return [f.name for f in dataclasses.fields(value)]
    return None


def affected(uses: frozenset[tuple[str, ...]], changed: set[tuple[str, ...]]) -> bool:
    """Whether a page that read `uses` may read differently after `changed`."""
    names = {change[0] for change in changed}
    for use in uses:
        if len(use) == 3:  # one field of one value
            if use in changed or (use[0], use[1], "*") in changed:
                return True
        elif use[1] == "*":  # a whole collection
            if use[0] in names:
                return True
        elif use in changed or (use[0], "*") in changed:
            return True
    return False


class Readers:
    """Which pages read what: `Page.uses` turned round, so that a change finds the
    pages it affects without asking each page (`affected` is the rule it follows)."""

    def __init__(self, pages=()) -> None:
        self._by_use: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._keys: dict[str, set[str]] = defaultdict(set)
        """Collection -> pages reading one of its values, or one value's field."""
        self._fields: dict[tuple[str, str], set[str]] = defaultdict(set)
        """(collection, key) -> pages reading one of that value's fields."""
        for page in pages:
            self.add(page)

    def _places(self, use: tuple[str, ...]) -> list[set[str]]:
        places = [self._by_use[use]]
        if len(use) == 3:
            places.append(self._fields[use[:2]])
        elif use[1] != "*":
            places.append(self._keys[use[0]])
        return places

    def add(self, page: Page) -> None:
        for use in page.uses:
            for place in self._places(use):
                place.add(page.path)

    def remove(self, page: Page) -> None:
        for use in page.uses:
            for place in self._places(use):
                place.discard(page.path)

    def stale(self, changed: set[tuple[str, ...]]) -> set[str]:
        """The pages `affected` by `changed`."""
        paths: set[str] = set()
        for name in {change[0] for change in changed}:
            paths |= self._by_use.get((name, "*"), set())
        for change in changed:
            paths |= self._by_use.get(change, set())
            if len(change) == 3 and change[2] == "*":
                paths |= self._fields.get(change[:2], set())
            elif len(change) == 2 and change[1] == "*":
                paths |= self._keys.get(change[0], set())
        return paths


class _Warnings(logging.Handler):
    """MkDocs' warnings while a page is redone: in strict mode, each one fails the build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class LiveLanguage:
    """One language's MkDocs build held in memory, able to redo single pages.

    Mirrors mkdocs.commands.build.build (MkDocs 1.6) up to the point where
    pages are written, without writing anything; `rebuild` then does for the
    pages given what `build` does for all of them.
    """

    def __init__(self, config_file: Path, site_dir: Path, lang: str):
        from mkdocs.config import load_config
        from mkdocs.structure.files import set_exclusions
        from mkdocs.structure.files import get_files
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page as MkPage

        self.lang = lang
        self.site_dir = site_dir
        config = load_config(str(config_file))
        config["site_dir"] = str(site_dir)
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        # Our hooks began an empty search index: go on from the one the full build wrote.
        key = str(config.site_dir)
        self.index = REGISTRY[key] = SearchIndex.read(site_dir / SEARCH_FOLDER, REGISTRY[key].rules)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages():
            if file.page is None:
                MkPage(None, file, config)
            # Titles, for the navigation and the previous/next links of the pages redone.
            file.page.read_source(config)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files, self.nav = config, files, nav
        self._pending: list = []

    def prepare(self, sources: list[str]) -> list[str]:
        """Read and render the pages (paths in docs_dir) again, writing nothing;
        returns MkDocs' warnings, each of which fails a strict build."""
        from mkdocs.commands.build import _populate_page

        warnings = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(warnings)
        try:
            pages = [self.files.get_file_from_path(source).page for source in sources]
            titles = [page.title for page in pages]
            for page in pages:
                _populate_page(page, self.config, self.files)
            # A new title shows in the neighbours' previous/next links.
            for page, title in zip(list(pages), titles):
                if page.title != title:
                    for other in (page.previous_page, page.next_page):
                        if other is not None and other not in pages:
                            _populate_page(other, self.config, self.files)
                            pages.append(other)
            # As MkDocs' build does once every page is rendered: here, the links to
            # headings of the pages redone (others' headings are not read again).
            for page in pages:
                page.validate_anchor_links(files=self.files,
                                           log_level=self.config.validation.links.anchors)
        finally:
            logger.removeHandler(warnings)
        self._pending = pages
        return warnings.messages

    def write(self) -> int:
        """Write the prepared pages' HTML and the search index with them; returns how many."""
        from mkdocs.commands.build import _build_page

        pages, self._pending = self._pending, []
        doc_files = self.files.documentation_pages()
        for page in pages:
            # Sanitized and indexed as written, by our hooks (generator/mkdocs_hooks.py).
            _build_page(page, self.config, doc_files, self.nav, self.env,
                        excluded=page.file.inclusion.is_excluded())
        self.index.write(self.site_dir / SEARCH_FOLDER)
        return len(pages)


@dataclass
class Outcome:
    pages: int
    """Pages written."""
    full: bool
    """Whether it was a full build."""
    seconds: float = 0.0


@dataclass
class Session:
    """Builds `content` into `out` and keeps it up to date, as cheaply as each change allows."""

    content: Path
    out: Path
    config: Path
    languages: list[str] | None = None
    sources: Path | None = None
    """Where each language's Markdown and MkDocs config are kept between builds."""
    memo: ContentMemo = field(default_factory=ContentMemo)
    kb: KnowledgeBase | None = None
    renderer: Renderer | None = None
    pages: dict[str, dict[str, Page]] = field(default_factory=dict)
    live: dict[str, LiveLanguage] = field(default_factory=dict)
    readers: dict[str, Readers] = field(default_factory=dict)

    def full(self) -> Outcome:
        """A full build (no PDFs), after which small changes can be redone alone."""
        started = time.monotonic()
        self.live.clear()
        self.kb = None  # until this build succeeds, nothing can be redone in part
        # Nothing compressed: the author's browser is on this machine.
        report = build(self.content, self.out, self.config, self.languages, pdfs=False,
                       keep_sources=self.sources, memo=self.memo, compress=False)
        self.kb, self.renderer = report.kb, report.renderer
        self.pages = {code: {page.path: page for page in pages}
                      for code, pages in report.rendered.items()}
        self.readers = {code: Readers(pages) for code, pages in report.rendered.items()}
        return Outcome(sum(r.pages for r in report.languages), True, time.monotonic() - started)

    def update(self) -> Outcome:
        """Bring the site up to date with the content; raises what `build` raises, and
        leaves the site as it was, when the content or a page has an error."""
        if self.kb is None or self.sources is None:
            return self.full()
        started = time.monotonic()
        kb = read_content(self.content, self.memo)
        changed = changes(self.kb, kb)
        if changed is None:
            return self.full()
        renderer = Renderer(kb, self.renderer.site_url, self.renderer.content_date,
                            pdfs=self.renderer.pdfs, directory_urls=self.renderer.directory_urls,
                            templates_from=self.renderer, file_dates=self.renderer.file_dates)
        fresh: dict[str, list[Page]] = {}
        redo: dict[str, list[Page]] = {}
        for code, pages in self.pages.items():
            readers = self.readers[code].stale(changed)
            stale = [path for path in pages if path in readers]  # in the site's order
            fresh[code] = renderer.pages_at(code, stale)
            redo[code] = [page for page in fresh[code] if page.text != pages[page.path].text]
        written = 0
        if any(redo.values()):
            self._write_sources(redo)
            try:
                written = self._rebuild(redo)
            except BaseException:
                # The Markdown on disk goes back to what the site was built from.
                self._write_sources({code: [self.pages[code][p.path] for p in pages]
                                     for code, pages in redo.items()})
                self.live.clear()
                raise
        # Each page re-rendered may now read other parts of the content.
        for code, pages in fresh.items():
            for page in pages:
                self.readers[code].remove(self.pages[code][page.path])
                self.readers[code].add(page)
                self.pages[code][page.path] = page
        self.kb, self.renderer = kb, renderer
        return Outcome(written, False, time.monotonic() - started)

    def warm(self) -> None:
        """Hold every language's MkDocs build in memory now, so that the first save
        after a full build is redone as fast as the next ones."""
        if self.kb is None or self.sources is None:
            return
        for code, pages in self.pages.items():
            if code not in self.live:
                live = LiveLanguage(self.sources / code / "mkdocs.yml", self.out / code, code)
                # One page redone as it is: MkDocs and the theme compile their templates
                # on first use, half a second the first save would otherwise wait for.
                if not live.prepare([next(iter(pages))]):
                    live.write()
                self.live[code] = live

    def _write_sources(self, pages: dict[str, list[Page]]) -> None:
        for code, listed in pages.items():
            for page in listed:
                (self.sources / code / "docs" / page.path).write_text(page.text, "utf-8")

    def _rebuild(self, redo: dict[str, list[Page]]) -> int:
        for code, pages in redo.items():
            if pages and code not in self.live:
                self.live[code] = LiveLanguage(self.sources / code / "mkdocs.yml",
                                               self.out / code, code)
        # Every language's pages are checked before any is written.
        said = []
        for code, pages in redo.items():
            if pages:
                said += [f"[{code}] {message}" for message in
                         self.live[code].prepare([page.path for page in pages])]
        if said:
            raise BuildError("\n".join(said))
        return sum(self.live[code].write() for code, pages in redo.items() if pages)
