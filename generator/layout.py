"""The site's layout, declared once: what content/ holds and what pages it makes.

Every other stage derives from this module what it needs of the layout: the
loader which folders and files to read, the validator which model checks
which file and which names are taken, the linker which kinds to order, the
renderer which template makes which page and where that page lives, the
build which pages are printed, the CLI what to count and what `new` can
write. A kind of content is one `Kind` below; adding one means adding its
model class (with its heading in `UiLabels`) to generator/model.py, its line
here, its template in site_templates/, and its content.

A page's path inside a language's site is the same in every language: only
the words on it change, so a reader can switch language on any page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import (
    ContentModel,
    CustomerType,
    Entry,
    GlossaryFile,
    Guide,
    LanguagesFile,
    PhraseBank,
    SourcesFile,
    Tactic,
    TranslationsFile,
)


@dataclass(frozen=True)
class Kind:
    """One kind of entry: a folder of `<id>.yaml` files, each made into one page."""

    name: str
    """What one entry is called on the command line: `new customer-type ID`."""
    folder: str
    """`content/<folder>/<id>.yaml`, and the URL section of its pages: `/<lang>/<folder>/<id>/`."""
    key: str
    """The knowledge base's attribute that holds the entries, and the `UiLabels`
    field that heads their section."""
    model: type[Entry]
    """The class every file of the folder is validated against."""
    plural: str
    """How the CLI counts them: `9 customer types`."""
    sheets: bool = False
    """Whether each entry also has a printable cheat sheet and a bilingual one."""

    @property
    def template(self) -> str:
        """The template of one entry's page, in site_templates/."""
        return f"{self.folder}.md.j2"

    def page(self, entry_id: str | None = None) -> str:
        """The Markdown page of an entry, or of the section listing them (`entry_id=None`)."""
        return f"{self.folder}/{entry_id or INDEX_PAGE}.md"

    def source(self, entry_id: str) -> str:
        """The entry's file, relative to content/."""
        return f"{self.folder}/{entry_id}.yaml"


@dataclass(frozen=True)
class SingleFile:
    """One file directly in content/, holding a whole part of the content."""

    name: str
    """Its file name."""
    model: type[ContentModel]
    """The class the file is validated against."""
    about: str
    """What it is for, as errors say it: `languages.yaml declares the site's languages`."""
    required: bool = False
    """Whether content/ is unusable without it."""
    key: str | None = None
    """If the file makes a page: the knowledge base's attribute holding its
    content, the `UiLabels` field heading the page, and the page's name
    (`glossary` -> glossary.md, made from glossary.md.j2)."""
    written_by: str | None = None
    """The command that writes the file, if authors do not: such a file holds
    no text a reader sees, and is not to be edited by hand."""

    @property
    def page(self) -> str | None:
        return f"{self.key}.md" if self.key else None

    @property
    def template(self) -> str | None:
        return f"{self.key}.md.j2" if self.key else None


KINDS: tuple[Kind, ...] = (
    Kind("customer-type", "customer-types", "customer_types", CustomerType, "customer types",
         sheets=True),
    Kind("tactic", "tactics", "tactics", Tactic, "tactics"),
    Kind("phrase-bank", "phrases", "phrase_banks", PhraseBank, "phrase banks"),
    Kind("guide", "guides", "guides", Guide, "guides"),
)
"""In the order the navigation and the home page show them."""

FILES: tuple[SingleFile, ...] = (
    SingleFile("languages.yaml", LanguagesFile, "declares the site's languages", required=True),
    SingleFile("sources.yaml", SourcesFile, "lists the articles the advice comes from"),
    SingleFile("glossary.yaml", GlossaryFile, "holds the key terms, said one way in each language",
               key="glossary"),
    SingleFile("translations.yaml", TranslationsFile,
               "records which default-language text each translation was made from",
               written_by="status --update"),
)

HOME_PAGE = "index.md"
"""The language's home page."""
INDEX_PAGE = "index"
"""`<section>/index`: the page listing a section's entries; no entry may take its name."""

SHEETS = "cheatsheets"
"""The URL section of the printable pages; its heading is `UiLabels.cheat_sheets`."""
SHEETS_KEY = "cheat_sheets"
SHEET_ITEMS = {"signs": 3, "do": 4, "avoid": 3, "escalate": 3}
"""How many of a customer type's items of each list its cheat sheet shows, the
first ones: a sheet is read at arm's length, mid-conversation, in type no
smaller than 11 pt, and the full page (linked from the sheet) has the rest.
Authors put the most important first (README, "Writing content")."""
BILINGUAL_SHEET_ITEMS = {"signs": 2, "do": 2, "avoid": 2, "escalate": 3}
"""The same on a bilingual sheet, whose four phrases each take two or three lines
(on the English one, a line in every language): what to do gives way first, as
the phrases say it, and when to get help keeps its three."""
NOT_FOUND = "404.html"
"""What a host answers for an address that is no page: one at the site's root
(every language's way home) and one in each language (MkDocs' error page)."""
ROBOTS = "robots.txt"
"""At the site's root: crawlers may read everything, and where the sitemap is."""
POCKET_SUMMARY = "pocket-summary"
"""`cheatsheets/pocket-summary/`: every customer type in brief."""
BILINGUAL = "-bilingual"
"""`cheatsheets/<type>-bilingual/`: a customer type's bilingual sheet."""

KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
FILE_BY_NAME = {single.name: single for single in FILES}
PAGE_FILE_BY_KEY = {single.key: single for single in FILES if single.key}
"""The single files that make a page of their own (the glossary), by template key."""
MODEL_FOR_FOLDER = {kind.folder: kind.model for kind in KINDS}
MODEL_FOR_FILE = {single.name: single.model for single in FILES}


def sheet_page(sheet_id: str | None = None) -> str:
    """The Markdown page of one printable sheet, or of the index of them all.

    Each sheet is a folder's index, so its PDF sits one level up beside the
    others, at the same depth whether pages are folders (online) or .html
    files (offline).
    """
    return f"{SHEETS}/{sheet_id}/index.md" if sheet_id else f"{SHEETS}/index.md"


def sheet_ids(kind: Kind, entry_ids) -> list[tuple[str, str, bool]]:
    """(sheet id, entry id, bilingual) for every sheet of `kind`'s entries."""
    if not kind.sheets:
        return []
    return [(sheet, entry_id, bilingual) for entry_id in entry_ids
            for sheet, bilingual in ((entry_id, False), (entry_id + BILINGUAL, True))]


def reserved(kind: Kind, entry_id: str, entry_ids: set[str]) -> str | None:
    """The page an entry of `kind` named `entry_id` would take from another, if any."""
    if entry_id == INDEX_PAGE:
        return f"{kind.folder}/{INDEX_PAGE} is the page listing the section's entries"
    if not kind.sheets:
        return None
    if entry_id == POCKET_SUMMARY:
        return f"{SHEETS}/{POCKET_SUMMARY}/ is the pocket summary of every {kind.name.replace('-', ' ')}"
    base = entry_id.removesuffix(BILINGUAL)
    if base != entry_id and base in entry_ids:
        return f"{SHEETS}/{entry_id}/ is the bilingual cheat sheet of {kind.name.replace('-', ' ')} '{base}'"
    return None
