"""Each page's sidebar, worked out here and handed to the theme with the page.

A sidebar listing every page of the site grows with the content on every
page, so the site's size grows with its square (a thousand customer types
would have made about 25 GB). This one lists the site's sections, and
under the section the page belongs to, its entries: all of them in a short
section, else those around the page, with an ellipsis linking to the
section's own page (which lists every entry) where the list is cut. So a
page's sidebar holds at most `len(sections) + LIMIT + 2` links, however much
content there is.

The theme (site_templates/theme/partials/nav.html) only prints what is
given here: the links are relative to the page already and the titles are
escaped HTML text. It comes to MkDocs as the first line of the page's
Markdown (`sidebar_line`), which generator/mkdocs_hooks.py takes out into the
page's metadata.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field

LIMIT = 41
"""The most entries a sidebar lists: a section this long or shorter is listed
whole (our longest has 25), a longer one around the page."""
AROUND = LIMIT // 2
"""How many entries either side of the page a cut list shows."""

SIDEBAR_BEGIN = "<!-- hinahon:sidebar "
SIDEBAR_END = " -->\n"
"""Around the page's sidebar, as JSON, on the first line of its Markdown (after
the front matter). In the front matter it would be read by PyYAML's Python
parser, milliseconds a page; `json` reads it in microseconds. The JSON escapes
'<', '>' and '&', so nothing in a title can end the comment."""
SIDEBAR_KEY = "hinahon_sidebar"
"""Where in the page's metadata the theme finds the sidebar."""


def sidebar_line(sidebar: dict) -> str:
    """The first line of a page's Markdown, carrying `sidebar`."""
    text = json.dumps(sidebar, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return SIDEBAR_BEGIN + text + SIDEBAR_END


def take_sidebar(markdown: str) -> tuple[dict | None, str]:
    """The sidebar a page's Markdown carries (None if it carries none), and the
    Markdown without it."""
    if not markdown.startswith(SIDEBAR_BEGIN):
        return None, markdown
    end = markdown.index(SIDEBAR_END, len(SIDEBAR_BEGIN))
    return json.loads(markdown[len(SIDEBAR_BEGIN):end]), markdown[end + len(SIDEBAR_END):]


@dataclass(frozen=True)
class Link:
    page: str
    """The Markdown page it leads to (`tactics/stay-calm.md`)."""
    title: str
    """Escaped HTML text."""
    key: str = ""
    """The entry's id, for an entry."""


@dataclass(frozen=True)
class Section:
    """One item of the sidebar's top level: a section with its entries, or a single page."""

    link: Link
    """The section's own page (its index), or the single page."""
    entries: tuple[Link, ...] = ()
    key: str = ""
    """The kind's key (generator/layout.py), for a section of entries."""


@dataclass
class Sidebars:
    """The sidebars of one language's pages."""

    sections: list[Section]
    directory_urls: bool = True
    """Whether pages are folders (`tactics/stay-calm/`) or files (`tactics/stay-calm.html`)."""
    _where: dict[str, tuple[int, int | None]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections):
            self._where[section.link.page] = (number, None)
            for position, entry in enumerate(section.entries):
                self._where[entry.page] = (number, position)

    def of(self, page: str) -> dict:
        """The sidebar of `page`, as the data its front matter carries.

        A page outside every section (a cheat sheet) gets the top level only.
        """
        number, position = self._where.get(page, (None, None))
        here = self.url(page)
        items = []
        for index, section in enumerate(self.sections):
            item = {"title": section.link.title, "href": self._href(section.link.page, here),
                    "here": section.link.page == page}
            if index == number:
                item["active"] = True
                if section.entries:
                    item.update(self._entries(section, position, here, page))
            items.append(item)
        return {"items": items}

    def shown(self, page: str) -> set[tuple[str, str]]:
        """The entries whose titles `page`'s sidebar shows, as `Page.uses` names them."""
        number, position = self._where.get(page, (None, None))
        if number is None:
            return set()
        section = self.sections[number]
        start, stop = self._window(len(section.entries), position)
        return {(section.key, entry.key, "title") for entry in section.entries[start:stop]}

    def _window(self, count: int, position: int | None) -> tuple[int, int]:
        if count <= LIMIT:
            return 0, count
        start = max(0, min((position or 0) - AROUND, count - LIMIT))
        return start, start + LIMIT

    def _entries(self, section: Section, position: int | None, here: str, page: str) -> dict:
        entries = section.entries
        start, stop = self._window(len(entries), position)
        more = self._href(section.link.page, here)
        return {
            "entries": [{"title": e.title, "href": self._href(e.page, here), "here": e.page == page}
                        for e in entries[start:stop]],
            "more_before": more if start > 0 else None,
            "more_after": more if stop < len(entries) else None,
        }

    def url(self, page: str) -> str:
        """The URL of a Markdown page, relative to the language's root, the way MkDocs makes it."""
        stem = page.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    def _href(self, page: str, here: str) -> str:
        target = self.url(page)
        start = here if here.endswith("/") or not here else posixpath.dirname(here)
        relative = relative_path(target or ".", start or ".")
        if target.endswith("/") or not target:
            return "./" if relative == "." else relative + "/"
        return relative


def relative_path(target: str, start: str) -> str:
    """`posixpath.relpath` for the site's own clean paths (no `..`, no symlinks),
    without its calls to the file system's idea of the current folder: a page
    makes dozens of links, a site tens of thousands."""
    to = [part for part in target.split("/") if part and part != "."]
    frm = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, frm):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(frm) - common) + to[common:]) or "."
