"""The content model, declared once.

Each class is one kind of YAML file (or a part of one). Validation, the
templates and (later) the JSON Schema for editors all derive from these
classes; a field's docstring is its documentation in all three places.

Every text a reader sees is a `Text`: a mapping with one entry per site
language, e.g. ``{tl: ..., az: ..., en: ...}``. The languages, and which one
is the default every text must have, come from ``content/languages.yaml``,
passed in as validation context, so a fourth language needs content and
configuration only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from .safe import plain_text

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ID_LENGTH = 64
"""An id is a file name, a folder of every language's site and, with
`-bilingual` and `.pdf`, a sheet's: kept far below the 255 bytes a file
system allows a name, and short enough to read in an address."""
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"
BROWSER_CODE_PATTERN = r"^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$"
"""A language tag as browsers send it (BCP 47: `fil`, `tl-PH`)."""

SHEET_PHRASES = 4
"""Phrases on a printed cheat sheet: a type's `cheat_sheet`, else its first phrases."""
MAX_TITLE = 200
"""Characters in a title, heading, term or label, per language. Our longest is
111; these are shown in navigation, tabs and search results, where a runaway
one (a 10 MB title made an 896 MB site) would swamp every page."""


class ContentModel(BaseModel):
    """Base for every content class: strict types, no unknown fields."""

    # strict: YAML's `yes` is not a string, `12` is not a text.
    # forbid: a misspelt field is an error, not silently dropped content.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
    )


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]
"""An entry's id: the file stem, and the URL slug in every language."""


def id_problem(value: str) -> str | None:
    """Why `value` cannot be an id, or None: the words every command uses."""
    if not re.match(ID_PATTERN, value):
        return ("is not a valid id: the id is the file name and the page's URL in every "
                "language, so use lowercase letters a-z, digits and single hyphens, e.g. 'stay-calm'")
    if len(value) > MAX_ID_LENGTH:
        return (f"is {len(value)} characters long, more than the {MAX_ID_LENGTH} an id may have: "
                "it names the entry's file and pages, and its cheat sheets' folders and PDFs")
    return None


def _check_languages(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    languages: tuple[str, ...] = (info.context or {}).get("languages", ())
    default: str | None = (info.context or {}).get("default_language")
    if default and default not in value:
        raise PydanticCustomError(
            "missing_language",
            "missing the '{default}' text; every text needs one in the default language, "
            "which readers see wherever a translation is missing",
            {"default": default},
        )
    unknown = [code for code in value if languages and code not in languages]
    if unknown:
        raise PydanticCustomError(
            "unknown_language",
            "unknown language {unknown}; the site languages are {languages} "
            "(declared in languages.yaml)",
            {"unknown": ", ".join(repr(c) for c in unknown), "languages": ", ".join(languages)},
        )
    blank = [code for code, text in value.items() if not _visible(text)]
    if blank:
        raise PydanticCustomError(
            "blank_text",
            "the {blank} text is empty; write it, or the page would show a gap",
            {"blank": ", ".join(repr(c) for c in blank)},
        )
    return value


def _visible(text: str) -> bool:
    """Whether a reader would see anything: `****` or zero-width spaces show nothing."""
    if "](" not in text and any(char.isalnum() for char in text):
        return True  # a letter or digit is shown unless it is only a link's address
    return any(not char.isspace() and unicodedata.category(char) != "Cf"
               for char in plain_text(text))


def _check_short(value: str) -> str:
    if not _visible(value):
        raise PydanticCustomError(
            "blank_label",
            "shows nothing once its markup is gone; write the words a reader should see",
        )
    if len(value) > MAX_TITLE:
        raise PydanticCustomError(
            "title_too_long",
            "{length} characters; a title or label is at most {max} characters, as it is shown "
            "in navigation, tabs and search results: put the rest in the summary or the text",
            {"length": f"{len(value):,}", "max": MAX_TITLE},
        )
    return value


Label = Annotated[str, AfterValidator(_check_short)]
"""A short text our templates show in navigation and headings: at most MAX_TITLE characters."""

Text = Annotated[dict[str, str], AfterValidator(_check_languages)]
"""A text a reader sees, one entry per site language.

Only the default language's entry is required: a page shows it, marked as not
translated yet, until the others are written (`check --translations` lists them).
"""

Title = Annotated[dict[str, Label], AfterValidator(_check_languages)]
"""A Text that names something (a page, a section, a term): each language's at most MAX_TITLE."""

NonEmpty = Field(min_length=1)


# --- languages.yaml -------------------------------------------------------


class UiLabels(ContentModel):
    """The words our templates put around the content, in one language."""

    site_name: Label
    """The site's name as shown in the header."""
    site_description: Label
    """One sentence saying what the site is, for search engines and the home page."""
    home_question: Label
    """The question the home page asks: which kind of customer is in front of you?"""
    home: Label
    """The home page's name in the sidebar (the header already names the site)."""
    more_on_the_site: Label
    """Heading on the home page, above the links to the rest of the site."""
    customer_types: Label
    """Heading for the customer types."""
    tactics: Label
    """Heading for the tactics."""
    phrase_banks: Label
    """Heading for the phrase banks."""
    guides: Label
    """Heading for the guides."""
    glossary: Label
    """Heading for the glossary of key terms."""
    signs: Label
    """Heading: how to recognise this customer."""
    needs: Label
    """Heading: what this customer needs."""
    do: Label
    """Heading: what to do."""
    avoid: Label
    """Heading: what to avoid."""
    what_to_say: Label
    """Heading: the phrases to use."""
    more_to_say: Label
    """Heading on a type's page: its phrases beyond the four shown first."""
    recommended_tactics: Label
    """Heading: tactics that work with this customer."""
    escalate: Label
    """Heading: when to call for help or walk away."""
    why: Label
    """Heading: why a tactic works."""
    steps: Label
    """Heading: a tactic's steps."""
    pitfalls: Label
    """Heading: a tactic's pitfalls."""
    used_for: Label
    """Heading: the customer types a tactic or phrase is used with."""
    when_to_use: Label
    """Label before a phrase's situation."""
    sources: Label
    """Heading: where the advice comes from."""
    choose_language: Label
    """The prompt on the language chooser."""
    untranslated_page: Label
    """Notice at the top of a page where some text is shown in the default language."""
    untranslated_mark: Label
    """Short mark beside each passage shown in the default language."""
    cheat_sheets: Label
    """Heading: the printable cheat sheets."""
    cheat_sheet: Label
    """Link from a customer type to its one-page sheet."""
    bilingual_sheet: Label
    """Link to the sheet with each phrase also in English (or, in English, in every language)."""
    pocket_summary: Label
    """Title of the summary of every customer type, printed on two pages at most."""
    print: Label
    """The button that prints a sheet."""
    download_pdf: Label
    """The link to a sheet's PDF."""
    full_page: Label
    """At a sheet's foot, before the address of the full page online."""
    content_as_of: Label
    """At a sheet's foot, before the date of the content."""
    search_placeholder: Label
    """The hint in the empty search box; also the link that opens it on the "not found" page."""
    search_loading: Label
    """Shown while the search index loads, after the reader first types."""
    search_none: Label
    """Shown when no page matches what was typed."""
    not_found: Label
    """Heading of the page a reader gets for an address that is no page."""
    not_found_text: Label
    """Below it: why that may be, and to start again from the links that follow."""
    search_results: Label
    """Above the results: `#` stands for how many pages match ("Matching pages: #");
    without one, the number follows the label."""


# --- search rules (languages.yaml, per language) -------------------------

Letter = Annotated[str, StringConstraints(min_length=1, max_length=1)]
"""One character."""
FoldedLetter = Annotated[str, StringConstraints(min_length=1, max_length=1, pattern=r"^[^0-9]$")]
"""A letter search folds: not a digit, whose key JavaScript would move to the front
of the table and so fold before the others (`q: "7"` then `"7": k` would differ)."""
Replacement = Annotated[str, StringConstraints(max_length=4)]
"""What a letter is read as: a few letters at most (ß → ss), as every letter of
every word of the site is folded through it."""
Word = Annotated[str, StringConstraints(pattern=r"^[^\s]+$", max_length=40)]
"""One word as search folds it: no spaces."""

Form = Annotated[str, StringConstraints(pattern=r"^\S(?:.*\S)?$", max_length=80)]
"""A word or a few words as they stand in a text, without spaces around them."""
Forms = dict[Annotated[str, StringConstraints(pattern=LANGUAGE_CODE_PATTERN)],
             Annotated[list[Form], Field(min_length=1)]]


class Folding(ContentModel):
    """How search reads a language's letters, so case and diacritics do not matter.

    A word is changed by `before_lower`, lowercased, changed by `after_lower`,
    and stripped of combining marks (é → e), at build time and as the reader
    types: "MÜŞTƏRİ", "müştəri" and "musteri" are then one word.
    """

    before_lower: dict[FoldedLetter, Replacement] = {}
    """Letters replaced before lowercasing: Azerbaijani `İ: i` and `I: ı`, which
    would otherwise lowercase to i + a dot and to i."""
    after_lower: dict[FoldedLetter, Replacement] = {}
    """Letters replaced after lowercasing, for letters that are not a base letter
    with a mark (ə → e, ı → i), or that readers type without one (ş → s)."""


# A pattern both Python's `re` and JavaScript's RegExp (with the `u` flag, as
# generator/search/analysis.js makes it: characters, not UTF-16 halves) read
# the same way, on a word: letters, classes, groups, alternatives, anchors and
# quantifiers. Refused: `(?` but `(?:` (named groups, flags, lookarounds and
# atomic groups differ or are Python's alone); escapes but of the syntax
# characters (`\d` `\s` `\w` `\b` are Unicode in Python, ASCII in JavaScript,
# `\A` `\Z` Python's); possessive quantifiers; a brace or bracket that is not
# a quantifier or a class (literal in Python, an error in JavaScript); a class
# opening with `]` (`[]a]`: one character to Python, none to JavaScript); and a
# quantifier on a group, where backtracking can take a time exponential in a
# word's length (`(a+)+`, `(a|a)*`).
_PORTABLE_ESCAPES = set("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")
MAX_PATTERN = 100


def _check_portable_pattern(value: str) -> str:
    if len(value) > MAX_PATTERN:
        raise PydanticCustomError(
            "pattern_too_long", "a pattern of {length} characters, more than {most}: the stemmer "
            "tries it on every word", {"length": len(value), "most": MAX_PATTERN})
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise PydanticCustomError("bad_pattern", "'{pattern}' is not a regular expression: {why}",
                                  {"pattern": value, "why": str(exc)}) from None
    problem = _unportable(value)
    if problem:
        raise PydanticCustomError(
            "unportable_pattern", "'{pattern}': {problem}; the stemmer runs it in Python and in the "
            "reader's browser, which must read it alike", {"pattern": value, "problem": problem})
    if compiled.groups > 9:
        raise PydanticCustomError("bad_pattern", "'{pattern}' has more than 9 groups",
                                  {"pattern": value})
    return value


def _unportable(value: str) -> str | None:
    """What in `value` Python and JavaScript read differently, or None."""
    in_class = False
    at = 0
    while at < len(value):
        char = value[at]
        if char == "\\":
            escaped = value[at + 1:at + 2]
            if escaped not in _PORTABLE_ESCAPES:
                return (f"'\\{escaped}' means something else in JavaScript (or nothing); "
                        "write the characters out, e.g. [0-9] or [a-z]")
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            if value.startswith(("[]", "[^]"), at):
                return "a class opening with ']' is one character to Python and none to JavaScript"
            in_class = True
            at += 2 if value.startswith("[^", at) else 1
            continue
        elif char == "(" and value.startswith("(?", at) and not value.startswith("(?:", at):
            return f"'(?' at {at}: only '(?:' reads the same in both"
        elif char == "{":
            quantifier = _QUANTIFIER.match(value, at)
            if not quantifier:
                return f"'{{' at {at} is not a quantifier such as {{2}} or {{1,3}}: escape it as \\{{"
            if at > 0 and value[at - 1] == ")" and _unescaped(value, at - 1):
                return "a quantifier on a group can take a time exponential in a word's length"
            at = quantifier.end()
            if value[at:at + 1] == "+":
                return f"a possessive quantifier at {at} (Python's alone)"
            continue
        elif char in "}]":
            return f"'{char}' at {at} closes nothing: escape it as \\{char}"
        elif char in "*+?":
            if at > 0 and value[at - 1] == ")" and _unescaped(value, at - 1):
                return "a quantifier on a group can take a time exponential in a word's length"
            if value[at + 1:at + 2] == "+":
                return f"a possessive quantifier at {at} (Python's alone)"
        at += 1
    return None


def _unescaped(value: str, at: int) -> bool:
    """Whether the character at `at` is not itself escaped by a backslash before it."""
    backslashes = len(value[:at]) - len(value[:at].rstrip("\\"))
    return backslashes % 2 == 0


def _check_alternation(pair: list[str]) -> list[str]:
    pattern, replacement = pair
    groups = re.compile(_check_portable_pattern(pattern)).groups
    if len(replacement) > 20:
        raise PydanticCustomError("bad_replacement", "replacement of {length} characters, more "
                                  "than 20", {"length": len(replacement)})
    for match in re.finditer(r"\\(.?)(\d?)|\$", replacement):
        if match.group() == "$" or not match.group(1).isdigit() or match.group(1) == "0":
            raise PydanticCustomError(
                "bad_replacement", "replacement '{replacement}': write letters and \\1 to \\9 "
                "(a group of the pattern) only; '$' and other escapes mean different things in "
                "Python and JavaScript", {"replacement": replacement})
        if match.group(2):
            raise PydanticCustomError(
                "bad_replacement", "replacement '{replacement}': a digit right after \\{number} "
                "reads as group {number}{digit} in Python; put the digit in the pattern's group",
                {"replacement": replacement, "number": match.group(1), "digit": match.group(2)})
        if int(match.group(1)) > groups:
            raise PydanticCustomError(
                "bad_replacement", "replacement '{replacement}' names group {number}, and the "
                "pattern '{pattern}' has {groups}",
                {"replacement": replacement, "number": match.group(1), "pattern": pattern,
                 "groups": groups})
    return pair


class TagalogStemming(ContentModel):
    """The tables of the Tagalog stemmer (generator/search/analysis.py): affixes
    peeled off a word until its root is left (nagagalit → galit)."""

    min_root: int = Field(ge=2, le=10)
    """Letters a root keeps at least (one fewer when it starts with a vowel)."""
    prefixes: list[Word] = NonEmpty
    """Prefixes to strip, longest first."""
    cautious_prefixes: dict[Word, int] = {}
    """Prefixes that need a longer remainder (many roots begin with `i`)."""
    assimilating_prefixes: list[Word] = []
    """Prefixes after which a fused n or m is read back as the consonant it replaced."""
    assimilated: dict[Letter, Letter] = {}
    """The fused consonant, and the consonant it is read back as (`n: s`, `m: p`)."""
    suffixes: list[Word] = NonEmpty
    """Suffixes to strip, longest first."""
    suffix_alternations: list[Annotated[list[str], Field(min_length=2, max_length=2),
                                        AfterValidator(_check_alternation)]] = []
    """[pattern, replacement] pairs applied after a suffix went (bayar → bayad):
    a regular expression both Python and JavaScript read the same way."""


class SearchRules(ContentModel):
    """How the site's search reads words in this language, at build time and as the
    reader types (both read these same rules)."""

    stemmer: Literal["none", "porter", "tagalog"] = "none"
    """How a word is reduced to its stem, so inflected forms meet: `porter`
    (English, the Porter stemmer), `tagalog` (the rules under `tagalog`), or `none`."""
    tagalog: TagalogStemming | None = None
    """The Tagalog stemmer's tables; required with `stemmer: tagalog`."""
    fold: Folding = Folding()
    """How letters are folded."""
    stop_words: list[Word] = []
    """Words too common to search for, dropped from a query that has other words
    (as folded: `paano`, `the`). Each language's own: English ones never touch Tagalog."""

    @model_validator(mode="after")
    def _stemmer_has_its_tables(self) -> SearchRules:
        if self.stemmer == "tagalog" and self.tagalog is None:
            raise PydanticCustomError(
                "missing_stemmer_tables",
                "stemmer 'tagalog' needs its tables under 'tagalog' (prefixes, suffixes, min_root)",
            )
        if self.stemmer != "tagalog" and self.tagalog is not None:
            raise PydanticCustomError(
                "unused_stemmer_tables",
                "has 'tagalog' tables but stemmer '{stemmer}': set 'stemmer: tagalog' or remove them",
                {"stemmer": self.stemmer},
            )
        return self


class PhraseRules(ContentModel):
    """What a phrase in this language must be, to be said aloud to a customer."""

    max_words: int = Field(default=25, ge=5, le=60)
    """Words a phrase has at most: one breath, mid-conversation."""
    polite_words: list[Word] = []
    """A phrase said to the customer uses at least one of these (Tagalog `po`,
    `opo`); none listed, no such rule."""
    informal_words: list[Word] = []
    """Words a phrase said to the customer never uses (Azerbaijani familiar `sən`)."""


class Language(ContentModel):
    """One language the site is built in."""

    code: Annotated[str, StringConstraints(pattern=LANGUAGE_CODE_PATTERN)]
    """ISO 639 code; the key in every text and the site's URL prefix (`/tl/`)."""
    name: Label
    """The language's name in English, for maintainers."""
    native_name: Label
    """The language's name in itself, shown on the language chooser."""
    theme_language: Label
    """Material for MkDocs' `theme.language` for this site (its UI strings)."""
    browser_codes: list[Annotated[str, StringConstraints(pattern=BROWSER_CODE_PATTERN)]] = []
    """Other language tags a browser may prefer for this language (`fil` for Tagalog)."""
    labels: UiLabels
    """The words our templates need, in this language."""
    search: SearchRules = SearchRules()
    """How search folds, stems and filters words in this language."""
    phrases: PhraseRules = PhraseRules()
    """The rules a phrase in this language keeps (generator/wording.py)."""
    avoid: dict[Form, Label] = {}
    """Words never to write in this language, each with what to write instead
    (`önəmli: a Turkish word; write vacib`)."""


class LanguagesFile(ContentModel):
    """`content/languages.yaml`: the languages the site is built in."""

    default: Annotated[str, StringConstraints(pattern=LANGUAGE_CODE_PATTERN)]
    """The language of a text's fallback and of the chooser's `x-default`."""
    languages: list[Language] = NonEmpty
    """The site languages, in the order the chooser lists them."""


# --- sources.yaml ---------------------------------------------------------


class Source(ContentModel):
    """An article the advice comes from."""

    id: Id
    """How entries cite this source."""
    title: Title
    """What the article is about, in our own words."""
    scrape: str | None = None
    """File name of the scrape we worked from, in `shared/sources/`. None for
    advice that is the team's own (the editors' guidance), which has no article."""
    language: str | None = None
    """The language the scrape is written in; given exactly when `scrape` is."""

    @model_validator(mode="after")
    def _scrape_and_language_together(self) -> "Source":
        # A scrape without its language cannot be checked for pasted text in
        # the right language; a language without a scrape names nothing.
        if (self.scrape is None) != (self.language is None):
            given, missing = ("scrape", "language") if self.scrape else ("language", "scrape")
            raise ValueError(
                f"source {self.id!r} gives {given} but not {missing}: an article's scrape "
                "and its language come together, and the team's own guidance has neither"
            )
        return self


class SourcesFile(ContentModel):
    """`content/sources.yaml`: the articles the knowledge comes from."""

    sources: list[Source] = NonEmpty


class Citation(ContentModel):
    """A pointer from an entry to the source of its advice."""

    source: Id
    """The id of a source in sources.yaml."""
    expert: Label | None = None
    """The expert the article quotes for this advice, if it names one."""


# --- glossary.yaml ------------------------------------------------------


class Term(ContentModel):
    """A key word, and the one way each language says it across the content."""

    id: Id
    """Stable handle for the term (its English word, slugged)."""
    term: Title
    """The word itself, in each language."""
    definition: Text
    """What it means here, in a sentence."""
    forms: Forms = {}
    """Per language code, the ways the term is written in running text (`refund`,
    `refunds`). Where the default language's text of a field uses one of its
    forms, the field's other texts must use one of theirs (generator/wording.py)."""
    rejected: Forms = {}
    """Per language code, variants that must not be written (a calque, a
    second name for the same concept): `python -m generator check` names them."""


class GlossaryFile(ContentModel):
    """`content/glossary.yaml`: the key terms, so every page says them the same way."""

    terms: list[Term] = NonEmpty


# --- entries --------------------------------------------------------------


class Entry(ContentModel):
    """Fields every page-making entry has."""

    title: Title
    """The page title."""
    summary: Text
    """One or two sentences: what this is. Shown under the title and in lists."""
    order: int = 100
    """Where the entry sorts in lists and navigation (lower first, then by id)."""
    sources: list[Citation] = []
    """Where the advice comes from."""


class CustomerType(Entry):
    """`content/customer-types/<id>.yaml`: a kind of difficult customer."""

    at_a_glance: Text | None = None
    """The signs in one short line, the first thing on the type's page: how a
    clerk tells, mid-conversation, that this is the customer in front of them.
    Without it the page opens with the first of `signs`."""
    can_turn_dangerous: bool = False
    """True when this customer may become a danger to someone. Their page then
    puts when to get help first, above what to say, so it is on the first
    screen of a phone."""
    signs: list[Text] = NonEmpty
    """How to recognise this customer."""
    needs: Text
    """What this customer needs from you."""
    do: list[Text] = NonEmpty
    """What to do."""
    avoid: list[Text] = NonEmpty
    """What not to do."""
    tactics: list[Id] = NonEmpty
    """Ids of the tactics that work with this customer."""
    phrases: list[Id] = NonEmpty
    """Ids of the phrases to use with this customer (from any phrase bank)."""
    cheat_sheet: list[Id] = Field(default=[], max_length=SHEET_PHRASES)
    """The best phrases for the printed cheat sheet: ids from `phrases`, at most four.
    Without it the sheet shows the first four of `phrases`."""
    escalate: list[Text] = NonEmpty
    """When to call for help, hand over, or walk away."""
    guides: list[Id] = []
    """Ids of the guides that go with this customer, linked inside "When to get
    help". A type that can turn dangerous must list the safety guide (the guide
    with `safety: true`), so the way to stay safe is one tap from its page."""


class Tactic(Entry):
    """`content/tactics/<id>.yaml`: one way of handling a difficult moment.

    Which customer types use a tactic is computed from the types; it is never
    written here.
    """

    why: Text
    """Why it works."""
    steps: list[Text] = NonEmpty
    """How to do it, in order."""
    pitfalls: list[Text] = []
    """How it goes wrong."""


class Phrase(ContentModel):
    """One thing to say, in every language."""

    id: Id
    """Unique across all banks; customer types refer to the phrase by it."""
    text: Text
    """What to say."""
    when: Text
    """When to say it."""
    said_to: Literal["customer", "colleague"] = "customer"
    """Who hears it. Phrases are said to the customer, politely (po/opo, formal
    Siz); a line for a colleague ("please call security") is marked so, and is
    exempt from the customer-register rules but not from the length rule."""


class PhraseBank(Entry):
    """`content/phrases/<bank-id>.yaml`: phrases for one kind of moment."""

    phrases: list[Phrase] = NonEmpty


class Section(ContentModel):
    """A titled part of a guide."""

    heading: Title
    """The section's heading."""
    body: Text
    """Plain text with a Markdown subset: emphasis, lists, links."""


class Guide(Entry):
    """`content/guides/<id>.yaml`: a longer piece of background or procedure."""

    sections: list[Section] = NonEmpty
    safety: bool = False
    """True for the one guide that holds the safety rule (what to do when a
    customer becomes a danger, emergency numbers). Every type that can turn
    dangerous links it, so the rule is written once and linked, not repeated."""


# --- translations.yaml ------------------------------------------------------

HASH_LENGTH = 8
"""Hex digits of SHA-256 kept per text in translations.yaml: enough to tell the
few hundred texts of one file apart, short enough to keep the file small."""
CONTENT_FILE_PATTERN = r"^(?:[a-z0-9-]+/)?[a-z0-9-]+\.yaml$"
"""A content file, relative to content/: `glossary.yaml`, `tactics/stay-calm.yaml`."""
MADE_FROM_PATTERN = rf"^[0-9a-f]{{{HASH_LENGTH}}}(?: [0-9a-f]{{{HASH_LENGTH}}})+$"


class TranslatedFile(ContentModel):
    """One content file's translations, each with the default-language text it was made from."""

    file: Annotated[str, StringConstraints(pattern=CONTENT_FILE_PATTERN)]
    """The content file, relative to content/ (`tactics/stay-calm.yaml`)."""
    made_from: list[Annotated[str, StringConstraints(pattern=MADE_FROM_PATTERN)]] = NonEmpty
    """One line per default-language text: its hash, then the hash of each
    translation made from it (the first HASH_LENGTH hex digits of each text's SHA-256)."""


class TranslationsFile(ContentModel):
    """`content/translations.yaml`, written by `python -m generator status --update`:
    which default-language text each translation was made from, so that `status`
    can tell a translation whose default-language text has changed since (stale)."""

    files: list[TranslatedFile] = []
    """The content files that have translations, by name."""
