"""Part of stage 3, link: the links content text makes to our own pages.

An author links another page the way MkDocs does, by its Markdown file,
relative to the page of the entry the text belongs to: a guide writes
`[Staying safe](staying-safe.md)`, a tactic `[Angry](../customer-types/angry.md)`.
Such a text is shown on other pages too (a customer type's items on its cheat
sheets, one folder deeper; a tactic's summary on a type's page), where the
same relative link would lead nowhere. So the link stage

* checks every such link against the pages the site will have, naming the
  file, line and field (MkDocs would only name the generated Markdown); and
* hands the renderer each linked text with its targets written from the root
  of the language's site (`/guides/staying-safe.md`), which MkDocs resolves
  for whichever page shows it (`validation.links.absolute_links:
  relative_to_docs` in mkdocs.yml), online and offline alike.

Links with a scheme (https:, mailto:, tel:) are left to the sanitizer. Two
forms are refused, each with why: a link to a heading (`#why`), whose anchor
is made of the heading's words in each language and so leads nowhere on the
other pages and languages the text shows in; and anything beside the target
between the parentheses (a title, `<target>`), which content's escaping would
make part of the address.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .layout import (
    HOME_PAGE,
    KIND_BY_FOLDER,
    KINDS,
    PAGE_FILE_BY_KEY,
    POCKET_SUMMARY,
    sheet_ids,
    sheet_page,
)
from .load import Document, Loc
from .problems import Problems, did_you_mean
from .validate import format_loc

_TARGET = r"""(?P<target>(?:[^()\s<>"']|\([^()\s<>"']*\))*)"""
"""A link's target: no space, parentheses only in balanced pairs (`Foo_(bar)`)."""
_LINK = re.compile(r"\]\([ \t]*" + _TARGET + r"(?P<rest>[^)\n]*)\)?")
"""An inline link, `[text](target)`, from its `](`: what MkDocs resolves."""
_DEFINITION = re.compile(
    r"^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t>]+)*\[[^\]\n]*\]:[ \t]*" + _TARGET + r"(?P<rest>[^\n]*)$",
    re.MULTILINE)
"""A reference definition, `[name]: target` (the name may be empty), at a line's
start or a list item's."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
PAGE_SUFFIX = ".md"


def site_pages(ids_by_folder: dict[str, set[str]], single_pages: set[str]) -> set[str]:
    """Every Markdown page of a language's site, given each kind's entry ids and
    the single files' pages: what a link in content text may lead to."""
    pages = {HOME_PAGE, sheet_page(None), *single_pages}
    for kind in KINDS:
        ids = ids_by_folder.get(kind.folder, set())
        pages.add(kind.page(None))
        pages.update(kind.page(entry_id) for entry_id in ids)
        pages.update(sheet_page(sheet) for sheet, _entry, _bilingual in sheet_ids(kind, sorted(ids)))
    if any(kind.sheets for kind in KINDS):
        pages.add(sheet_page(POCKET_SUMMARY))
    return pages


def targets(text: str) -> Iterator[re.Match]:
    """Each link in a text, as a match with its `target` and what follows it (`rest`)."""
    if "](" in text:
        yield from _LINK.finditer(text)
    if "]:" in text:
        yield from _DEFINITION.finditer(text)


def resolve(target: str, origin: str) -> tuple[str, str] | None:
    """(page, '#anchor' or '') a link to one of our pages leads to, from the page
    `origin`; None if `target` leaves the site or is not one of our pages."""
    path, hash_, anchor = target.partition("#")
    if path.startswith("/"):
        page = posixpath.normpath(path.lstrip("/"))
    else:
        page = posixpath.normpath(posixpath.join(posixpath.dirname(origin), path))
    if page.startswith("../") or page == "..":
        return None
    return page, hash_ + anchor


class PageLinks:
    """Checks and rewrites the page links of content text, for one set of pages."""

    def __init__(self, pages: set[str], codes: set[str], problems: Problems):
        self.pages, self.codes, self.problems = pages, codes, problems

    def entry(self, entry: BaseModel, doc: Document, origin: str) -> BaseModel:
        """`entry`, or a copy of it whose texts' page links are written from the
        site's root if it has any; every broken link reported to `problems`."""
        linked = [(loc, text) for loc, text in _texts(entry, (), self.codes)
                  if any(targets(value) for value in text.values())]
        if not linked:
            return entry
        copy = entry.model_copy(deep=True)
        for loc, _text in linked:
            text = _at(copy, loc)
            for code, value in text.items():
                text[code] = self._rewrite(value, origin, doc, (*loc, code))
        return copy

    def _rewrite(self, value: str, origin: str, doc: Document, loc: Loc) -> str:
        out, at = [], 0
        for match in sorted(targets(value), key=lambda m: m.start("target")):
            target, rest = match["target"], match["rest"].strip()
            if _SCHEME.match(target):
                continue  # another site, mail or phone: the sanitizer decides
            if rest or not target:
                # Content's escaping shows quotes and angle brackets as typed, so
                # a title or <target> would become part of the address.
                written = " ".join(part for part in (target, rest) if part)
                what = f"'{written}'" if written else "nothing"
                self._report(doc, loc, f"a link to {what}: write a link as [text](target), "
                             "with only the target between the parentheses, and no title "
                             "or angle brackets")
                continue
            if "#" in target:
                page = target.partition("#")[0] or "the page itself"
                self._report(doc, loc, f"links to '{target}', a heading: a heading's anchor is "
                             "made of its words in each language, and a text is shown on other "
                             f"pages and in other languages, where it would lead nowhere; link "
                             f"the page ({page}) instead")
                continue
            absolute = self._check(target, origin, doc, loc)
            if absolute is not None:
                out.append(value[at:match.start("target")] + absolute)
                at = match.end("target")
        return "".join(out) + value[at:]

    def _check(self, target: str, origin: str, doc: Document, loc: Loc) -> str | None:
        """The target written from the site's root, or None once its problem is reported."""
        resolved = resolve(target, origin)
        start = posixpath.dirname(origin) or "."
        if resolved is None:
            self._report(doc, loc, f"links to '{target}', which is outside the site; a link "
                         f"to one of our pages is relative to this entry's page ({origin})")
            return None
        page, anchor = resolved
        names_a_file = target.partition("#")[0].endswith(PAGE_SUFFIX)
        if page in self.pages and names_a_file:
            return "/" + page + anchor
        # What the author may have meant: the page's address, or a misspelt name.
        stem = page.removesuffix(".html").removesuffix(PAGE_SUFFIX).removesuffix("/index")
        for guess in (stem + PAGE_SUFFIX, stem + "/index" + PAGE_SUFFIX):
            if guess in self.pages and (guess != page or not names_a_file):
                wanted = posixpath.relpath(guess, start)
                self._report(doc, loc, f"links to '{target}', a page's address: write "
                             f"'{wanted}{anchor}', its Markdown file, which MkDocs turns into the "
                             "address of the page online and offline alike")
                return None
        # A page in the folder the link leads to first: `nope.md` is likelier
        # a misspelt neighbour than the home page.
        folder = posixpath.dirname(page)
        near = sorted(posixpath.relpath(p, start) for p in self.pages if posixpath.dirname(p) == folder)
        candidates = sorted(posixpath.relpath(p, start) for p in self.pages)
        written = target.partition("#")[0]
        guess = did_you_mean(written, near) or did_you_mean(written, candidates)
        self._report(doc, loc, f"links to '{target}', and the site has no page {page} "
                     f"(links are relative to this entry's page, {origin}){guess}")
        return None

    def _report(self, doc: Document, loc: Loc, message: str) -> None:
        line, col = doc.position(loc)
        self.problems.add(doc.path, line, col, f"{format_loc(loc)}: {message}")


def origin_of(folder: str | None, entry_id: str | None = None, single_key: str | None = None) -> str:
    """The page a text's relative links start from: its entry's page, the page
    a single file makes, or (a file without a page of its own) the home page."""
    if folder is not None and entry_id is not None:
        return KIND_BY_FOLDER[folder].page(entry_id)
    if single_key is not None and single_key in PAGE_FILE_BY_KEY:
        return PAGE_FILE_BY_KEY[single_key].page or HOME_PAGE
    return HOME_PAGE


def _texts(value: Any, loc: Loc, codes: set[str]) -> Iterator[tuple[Loc, dict[str, str]]]:
    """Every Text inside a model, with its place: a mapping of language codes to strings."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name), codes)
    elif isinstance(value, dict):
        if value and set(value) <= codes and all(isinstance(v, str) for v in value.values()):
            yield loc, value
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index), codes)


def _at(model: Any, loc: Loc) -> Any:
    for step in loc:
        model = model[step] if isinstance(step, int) else getattr(model, step)
    return model
