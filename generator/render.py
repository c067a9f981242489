"""Stage 4, render: turn the knowledge base into Markdown pages, one set per language.

Templates in `site_templates/` hold the presentation; this module only decides
which page gets which template and what it is given. Every value a template
prints goes through the safety boundary (`generator/safe.py`): a content text
as our Markdown subset (`t`), anything else as plain text, so HTML written in
content (a stray `<script>`) appears as text on the page and never runs. Each
page's content is put between markers, inside which the built HTML is then
sanitized.

A text not yet translated into the page's language is shown in the default
language, marked as such beside it and in a notice at the top of the page.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup
from pydantic import BaseModel

from .layout import (
    BILINGUAL,
    BILINGUAL_SHEET_ITEMS,
    FILES,
    HOME_PAGE,
    KIND_BY_KEY,
    KINDS,
    PAGE_FILE_BY_KEY,
    POCKET_SUMMARY,
    SHEETS,
    SHEETS_KEY,
    SHEET_ITEMS,
    sheet_ids,
    sheet_page,
)
from .config import site_root_path
from .link import KnowledgeBase, PhraseRef
from .safe import (
    CONTENT_BEGIN,
    CONTENT_END,
    html_plain,
    markdown_plain,
    markdown_source,
    plain_text,
)
from .qr import qr_code, qr_file
from .sidebar import Link, Section, Sidebars, relative_path, sidebar_line

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"



@dataclass(frozen=True)
class Page:
    """One Markdown page of one language's site."""

    path: str
    """Path inside docs_dir, e.g. `tactics/stay-calm.md`."""
    text: str
    source: str | None = None
    """The content file the page is made from (`tactics/stay-calm.yaml`), if it is one file's."""
    uses: frozenset[tuple[str, str]] = frozenset()
    """What rendering it read of the knowledge base: (collection, key) for a value,
    (collection, key, field) for one field of an entry, (collection, "*") for a
    whole collection (generator/incremental.py redoes a page when one changes)."""


def _plain_markdown(value):
    # Whatever a Markdown template prints that is not already markup is plain text.
    if isinstance(value, str) and not isinstance(value, Markup):
        return markdown_plain(value)
    return value


def _plain_html(value):
    # An HTML template autoescapes; markup in a label is still stripped first.
    if isinstance(value, str) and not isinstance(value, Markup):
        return plain_text(value)
    return value


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Each Renderer reads the templates once: checking them for changes
        # on every page cost more than rendering some (serve rebuilds in full
        # when a template changes).
        auto_reload=False,
        autoescape=autoescape,
        finalize=_plain_html if autoescape else _plain_markdown,
    )
    env.filters["t"] = _translate
    env.filters["inline"] = lambda text: _keep_markup(text, " ".join(str(text).split()))
    env.globals["link"] = _link
    return env


def _keep_markup(original, changed: str):
    # A filter over text that is already escaped must not have it escaped again.
    return Markup(changed) if isinstance(original, Markup) else changed


@jinja2.pass_context
def _translate(context, text: dict[str, str], block: bool = False, title: bool = False,
               language: str | None = None) -> Markup:
    """A Text in the language being rendered (or in `language`), as escaped Markdown.

    Where it is missing, the default language's text, in an element that says
    which language it is in, and (unless it is a page title) a mark in the
    reader's language. `block` wraps a text that may hold paragraphs or lists
    and stands at the top level of the page.
    """
    lang = language or context["lang"]
    shown_lang = lang if lang in text else context["kb"].default_language
    # A title is plain text; any other text is the Markdown subset content may use.
    shown = markdown_plain(text[shown_lang]) if title else markdown_source(
        _separate_lists(text[shown_lang]))
    if shown_lang == lang:
        return shown
    default = shown_lang  # the fallback: the default language's text
    context["untranslated"].append(text[default])
    if title:
        # attr_list: the heading says its language; the page's notice says why.
        return Markup(f'{shown} {{: lang="{default}" }}')
    mark = markdown_plain(context["labels"].untranslated_mark)
    if block:
        return Markup(
            f'<div class="hinahon-untranslated" lang="{default}" markdown>\n'
            f'<p class="hinahon-untranslated-mark" lang="{lang}">{mark}</p>\n\n'
            f"{shown}\n\n</div>"
        )
    return Markup(
        f'<span class="hinahon-untranslated" lang="{default}">{shown}</span>'
        f'<sup class="hinahon-untranslated-mark" lang="{lang}">{mark}</sup>'
    )


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _separate_lists(text: str) -> str:
    """Put a blank line before a list that follows a paragraph line.

    Authors write "for example:" and the list on the next line; Python-Markdown
    would fold such a list into the paragraph.
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line) and out and out[-1].strip() and not _LIST_ITEM.match(out[-1]):
            out.append("")
        out.append(line)
    return "\n".join(out)


@jinja2.pass_context
def _link(context, section: str, entry_id: str | None = None, anchor: str | None = None) -> Markup:
    """Relative link from the page being rendered to a section index or an entry.

    Links point at `.md` files so that MkDocs checks every one of them in
    strict mode, and rewrites them for whichever URL style it uses.
    """
    if section == SHEETS_KEY:
        target = sheet_page(entry_id)
    elif section in KIND_BY_KEY:
        target = KIND_BY_KEY[section].page(entry_id)
    elif section in PAGE_FILE_BY_KEY:  # a page of its own, made from one file
        target = PAGE_FILE_BY_KEY[section].page
    else:
        known = sorted([SHEETS_KEY, *KIND_BY_KEY, *PAGE_FILE_BY_KEY])
        raise jinja2.TemplateRuntimeError(
            f"link({section!r}): no such section; a template can link {', '.join(known)}")
    start = posixpath.dirname(context["page_path"])
    href = relative_path(target, start or ".")
    return Markup(href + (f"#{anchor}" if anchor else ""))


_FRONT_MATTER = "---\n"
_ATTR_LIST = re.compile(r"\s*\{:[^}]*\}\s*$")


def _finish_page(text: str, sidebar: dict, title: str | None = None) -> str:
    """Front matter with the page's title, its sidebar's line, then the content
    between the sanitizer's markers.

    The title is the page's heading, which templates print as plain text
    (entities only), so it is HTML the MkDocs config may carry. It is stated
    here because MkDocs would otherwise look for the heading at the very top,
    where the marker is.
    """
    front = []
    if text.startswith(_FRONT_MATTER):
        end = text.index("\n" + _FRONT_MATTER, 3)
        front, text = text[len(_FRONT_MATTER):end].split("\n"), text[end + len(_FRONT_MATTER) + 1:]
    if title is None:
        heading = next(line for line in text.split("\n") if line.startswith("# "))
        title = _ATTR_LIST.sub("", heading[2:])
    # JSON's strings are YAML's double-quoted ones: nothing in the title is YAML syntax.
    front.insert(0, "title: " + json.dumps(title, ensure_ascii=False))
    return (_FRONT_MATTER + "\n".join(front) + "\n" + _FRONT_MATTER + sidebar_line(sidebar)
            + f"{CONTENT_BEGIN}\n\n{text.strip()}\n\n{CONTENT_END}\n")


class Renderer:
    """Renders every page of the knowledge base for one language at a time."""

    def __init__(self, kb: KnowledgeBase, site_url: str | None = None,
                 content_date: str = "", pdfs: bool = False, directory_urls: bool = True,
                 templates_from: Renderer | None = None,
                 file_dates: Mapping[str, str] | None = None):
        self.kb = kb
        self.site_url = site_url
        """Where the site is served, for the address printed on each cheat sheet."""
        self.content_date = content_date
        """The date printed on a cheat sheet none of whose files has one in `file_dates`."""
        self.file_dates = dict(file_dates or {})
        """Each content file (`customer-types/angry.yaml`) and the date it last changed:
        a sheet shows the newest date of the files it is made from (`sheet_sources`),
        so a sheet changes only when what is on it does."""
        self.pdfs = pdfs
        """Whether the build prints each sheet to PDF, so its page links to one."""
        # `templates_from`: a renderer of the same templates, whose compiled ones are reused.
        self.markdown = templates_from.markdown if templates_from else _environment(autoescape=False)
        self.html = templates_from.html if templates_from else _environment(autoescape=True)
        self.directory_urls = directory_urls
        """Whether MkDocs makes each page a folder (`use_directory_urls`), for the sidebar's links."""
        self._sidebars: dict[str, Sidebars] = {}

    def pages(self, lang: str) -> list[Page]:
        """Every page of the site in `lang`."""
        return [self._render(spec, lang) for spec in self._plan(lang)]

    def pages_at(self, lang: str, paths) -> list[Page]:
        """The pages at `paths` (in docs_dir) only, for a rebuild of part of the site."""
        wanted = set(paths)
        return [self._render(spec, lang) for spec in self._plan(lang) if spec.path in wanted]

    def _plan(self, lang: str) -> list[_Spec]:
        """Which template makes which page from what, without rendering any."""
        kb = self.kb
        plan = [_Spec("home.md.j2", HOME_PAGE)]
        for kind in KINDS:
            entries = kb.entries[kind.key]
            plan.append(_Spec("section.md.j2", kind.page(), values={"section": kind.key},
                              lists=kind.key))
            for entry_id, entry in entries.items():
                plan.append(_Spec(kind.template, kind.page(entry_id), kind.source(entry_id),
                                  {"entry_id": entry_id, "entry": entry}, (kind.key, entry_id)))
        for single in self._single_pages():
            plan.append(_Spec(single.template, single.page, single.name))
        return plan + self._sheet_plan(lang)

    def _single_pages(self):
        # A single file's page is made when the file has content (the glossary is optional).
        return [single for single in FILES if single.key and getattr(self.kb, single.key)]

    def cheat_sheets(self, lang: str) -> list[Page]:
        """The printable pages: a sheet and a bilingual sheet per type, the pocket summary."""
        return [self._render(spec, lang) for spec in self._sheet_plan(lang)]

    def _sheet_plan(self, lang: str) -> list[_Spec]:
        kb = self.kb
        default = kb.default_language
        # A bilingual sheet puts English beside the page's language; the English
        # one puts every other language beside English.
        beside = [default] if lang != default else [c for c in kb.language_codes if c != default]
        # With PDFs come preview images, which the index shows.
        plan = [_Spec("cheatsheets.md.j2", sheet_page(), values={"pdf": self.pdfs})]
        labels = kb.language(lang).labels
        for kind in KINDS:
            entries = kb.entries[kind.key]
            for sheet_id, entry_id, bilingual in sheet_ids(kind, entries):
                entry = entries[entry_id]
                name = labels.bilingual_sheet if bilingual else labels.cheat_sheet
                plan.append(_Spec(
                    "cheatsheet.md.j2", sheet_page(sheet_id), kind.source(entry_id),
                    {"entry_id": entry_id, "entry": entry, "sheet_items": BILINGUAL_SHEET_ITEMS if bilingual else SHEET_ITEMS,
                     "sheet_languages": [lang, *beside] if bilingual else [lang],
                     **self._sheet_foot(lang, sheet_id, kind.page(entry_id),
                                        [getattr(labels, kind.key), self._title(entry.title, lang)]),
                     "page_title": f"{self._title(entry.title, lang)} · {name}"},
                    (kind.key, entry_id)))
        plan.append(_Spec(
            "pocket-summary.md.j2", sheet_page(POCKET_SUMMARY),
            values=self._sheet_foot(lang, POCKET_SUMMARY, HOME_PAGE, [])))
        return plan

    def _sheet_foot(self, lang: str, sheet_id: str, full_page: str, trail: list[str]) -> dict:
        """What a sheet's page says of itself: its id, its date, its PDF, and
        where its full page (`full_page`, in docs_dir) is: a link on screen,
        and on paper the address and its QR code when the site's address is
        known, else the way there through the site (`trail`, the headings
        after the site's name)."""
        address = self._address(lang, full_page)
        labels = self.kb.language(lang).labels
        values = {
            "sheet_id": sheet_id, "content_date": self.sheet_date(sheet_id), "pdf": self.pdfs,
            # Where the sheets' PDFs and QR codes are, from the sheet's page.
            "sheets_folder": "../" if self.directory_urls else "",
            "full_page_link": relative_path(full_page, posixpath.dirname(sheet_page(sheet_id))),
            "address": address, "trail": " › ".join([labels.site_name, *trail]),
            "qr": None, "qr_modules": 0,
        }
        if address:
            values["qr"], values["qr_modules"] = qr_file(sheet_id), qr_code(address).modules
        return values

    def sheet_files(self, lang: str) -> dict[str, bytes]:
        """The files the sheets show besides their pages, by path in docs_dir:
        the QR code to each sheet's full page, when the site's address is known."""
        files = {}
        for spec in self._sheet_plan(lang):
            if spec.values.get("qr"):
                files[f"{SHEETS}/{spec.values['qr']}"] = qr_code(spec.values["address"]).svg
        return files

    def sheet_sources(self, sheet_id: str) -> list[str]:
        """The content files a printable sheet is made from, relative to content/:
        languages.yaml (its labels), and the customer type(s) it shows with the
        phrase banks of the phrases it quotes (the pocket summary: every type,
        each with its first phrase)."""
        kb = self.kb
        kind = KIND_BY_KEY["customer_types"]
        banks = KIND_BY_KEY["phrase_banks"]
        if sheet_id == POCKET_SUMMARY:
            shown = {type_id: kb.sheet_phrases[type_id][:1] for type_id in kb.customer_types}
        else:
            type_id = self.sheet_type(sheet_id)
            shown = {type_id: kb.sheet_phrases[type_id]}
        files = {"languages.yaml"}
        for type_id, phrase_ids in shown.items():
            files.add(kind.source(type_id))
            files.update(banks.source(kb.phrases[phrase_id].bank_id) for phrase_id in phrase_ids)
        return sorted(files)

    def sheet_type(self, sheet_id: str) -> str | None:
        """The customer type a sheet shows; None for the pocket summary (every type)."""
        if sheet_id == POCKET_SUMMARY:
            return None
        # A type may be called `x-bilingual` when there is no type `x`.
        types = self.kb.customer_types
        return sheet_id if sheet_id in types else sheet_id.removesuffix(BILINGUAL)

    def sheet_date(self, sheet_id: str) -> str:
        """The date printed on a sheet: when the newest of its files last changed."""
        dates = [self.file_dates[f] for f in self.sheet_sources(sheet_id) if f in self.file_dates]
        return max(dates, default=self.content_date)

    def sheet_ids(self) -> list[tuple[str, bool]]:
        """Every printable page's id (its folder under cheatsheets/, its PDF's name),
        and whether the sheet index shows a preview of it (the bilingual ones it does not)."""
        ids = [(sheet_id, not bilingual) for kind in KINDS
               for sheet_id, _, bilingual in sheet_ids(kind, self.kb.entries[kind.key])]
        return ids + [(POCKET_SUMMARY, True)]

    def _address(self, lang: str, page: str) -> str | None:
        """The absolute address of `page` (in docs_dir), printed on the sheets;
        None while the site's address is unknown, as a path is no use on paper."""
        return f"{self.site_url}{lang}/{self.sidebars(lang).url(page)}" if self.site_url else None

    def sidebars(self, lang: str) -> Sidebars:
        """Every page's sidebar in `lang` (generator/sidebar.py)."""
        if lang not in self._sidebars:
            labels = self.kb.language(lang).labels
            sections = [Section(Link(HOME_PAGE, html_plain(labels.home)))]
            for kind in KINDS:
                sections.append(Section(
                    Link(kind.page(), html_plain(getattr(labels, kind.key))),
                    tuple(Link(kind.page(entry_id), html_plain(self._title(entry.title, lang)),
                               entry_id)
                          for entry_id, entry in self.kb.entries[kind.key].items()),
                    kind.key))
            for single in self._single_pages():
                sections.append(Section(Link(single.page, html_plain(getattr(labels, single.key)))))
            sections.append(Section(Link(sheet_page(), html_plain(getattr(labels, SHEETS_KEY)))))
            self._sidebars[lang] = Sidebars(sections, self.directory_urls)
        return self._sidebars[lang]

    def _title(self, title: dict[str, str], lang: str) -> str:
        return title.get(lang) or title[self.kb.default_language]

    def nav(self, lang: str) -> list:
        """MkDocs `nav` for one language: sections titled in that language."""
        labels = self.kb.language(lang).labels
        nav: list = [HOME_PAGE]
        for kind in KINDS:
            title = html_plain(getattr(labels, kind.key))
            items = [kind.page()] + [kind.page(entry_id) for entry_id in self.kb.entries[kind.key]]
            nav.append({title: items})
        for single in self._single_pages():
            nav.append({html_plain(getattr(labels, single.key)): single.page})
        nav.append({html_plain(getattr(labels, SHEETS_KEY)): sheet_page()})
        return nav

    def chooser(self, offline: bool = False) -> str:
        """`site/index.html`: sends a browser to its language, or offers plain links."""
        browser_codes = {}
        for language in self.kb.languages:
            for tag in [language.code, *language.browser_codes]:
                browser_codes[tag.lower()] = language.code
        return self.html.get_template("chooser.html.j2").render(
            kb=self.kb, browser_codes=browser_codes,
            # file:// shows a folder listing for "tl/", so offline links name the file.
            home="index.html" if offline else "",
        )

    def not_found(self, site_url: str | None) -> str:
        """`site/404.html`, for an address outside every language: each language's
        way home. Served at any depth, so its links are absolute paths (without
        site_url, the site is taken to be at its host's root)."""
        return self.html.get_template("not-found.html.j2").render(
            kb=self.kb, root=site_root_path(site_url))

    def robots(self, site_url: str | None) -> str:
        """`site/robots.txt`: every page may be crawled; the sitemap is named
        when the site's address is known (crawlers want it absolute)."""
        sitemap = f"Sitemap: {site_url}sitemap.xml\n" if site_url else ""
        return f"User-agent: *\nAllow: /\n{sitemap}"

    def sitemap_index(self, site_url: str, codes: list[str]) -> str:
        """`site/sitemap.xml`: points search engines at each language's sitemap."""
        return self.html.get_template("sitemap-index.xml.j2").render(site_url=site_url, codes=codes)

    def _render(self, spec: _Spec, lang: str) -> Page:
        language = self.kb.language(lang)
        uses: set[tuple[str, str]] = set()
        if spec.own:
            uses.add(spec.own)
        kb = _Reading(self.kb, uses)
        values = dict(spec.values)
        if spec.lists:
            values["entries"] = kb.entries[spec.lists]
        untranslated: list[str] = []
        text = self.markdown.get_template(spec.template).render(
            kb=kb, lang=lang, labels=language.labels, page_path=spec.path,
            untranslated=untranslated, **values
        )
        if untranslated:
            # The notice goes right under the page's title.
            lines = text.split("\n")
            at = next(i for i, line in enumerate(lines) if line.startswith("# ")) + 1
            notice = markdown_plain(language.labels.untranslated_page)
            lines[at:at] = ["", f'<p class="hinahon-untranslated-page">{notice}</p>']
            text = "\n".join(lines)
        sidebar, shown = self.sidebars(lang).of(spec.path), self.sidebars(lang).shown(spec.path)
        uses.update(shown)
        # The home page's heading asks the reader's question; its title names the site.
        title = markdown_plain(language.labels.site_name) if spec.path == HOME_PAGE else None
        if "page_title" in spec.values:  # a sheet: not the same title as its type's page
            title = markdown_plain(spec.values["page_title"])
        return Page(spec.path, _finish_page(text, sidebar, title), spec.source, frozenset(uses))


@dataclass(frozen=True)
class _Spec:
    """One page to render: the template, where the page goes, what it is given."""

    template: str
    path: str
    source: str | None = None
    values: dict = field(default_factory=dict)
    own: tuple[str, str] | None = None
    """The entry the page is about, as `Page.uses` names it."""
    lists: str | None = None
    """The kind whose entries a section page lists."""


class _Reading:
    """The knowledge base as a template reads it, noting in `uses` each part read,
    as `Page.uses` names them."""

    def __init__(self, kb: KnowledgeBase, uses: set[tuple[str, str]]):
        self._kb, self._uses = kb, uses

    def __getattr__(self, name: str):
        value = getattr(self._kb, name)
        if name == "entries":
            return {key: _ReadingDict(entries, key, self._uses) for key, entries in value.items()}
        if isinstance(value, dict):
            return _ReadingDict(value, name, self._uses)
        if not callable(value):
            self._uses.add((name, "*"))
        return value


class _ReadingDict(Mapping):
    def __init__(self, data: dict, name: str, uses: set[tuple[str, str]]):
        self._data, self._name, self._uses = data, name, uses

    def __getitem__(self, key):
        value = self._data[key]
        if isinstance(value, (BaseModel, PhraseRef)):
            # Which of its fields a page reads: a tactic's page shows only the
            # titles of the types that use it.
            return _ReadingFields(value, (self._name, key), self._uses)
        self._uses.add((self._name, key))
        return value

    def __contains__(self, key) -> bool:
        self._uses.add((self._name, key))
        return key in self._data

    def __iter__(self):
        self._uses.add((self._name, "*"))
        return iter(self._data)

    def __len__(self) -> int:
        self._uses.add((self._name, "*"))
        return len(self._data)


class _ReadingFields:
    """One entry as a template reads it: each field read noted as (collection, key, field)."""

    def __init__(self, value, where: tuple[str, str], uses: set):
        self._value, self._where, self._uses = value, where, uses

    def __getattr__(self, name: str):
        self._uses.add((*self._where, name))
        return getattr(self._value, name)
