"""Stage 3, link: resolve references between entries and compute the reverse ones.

Authors write references one way only (a customer type lists its tactics and
phrases); which types use a tactic or a phrase is computed here, so the two
directions can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .layout import KIND_BY_KEY, KINDS, PAGE_FILE_BY_KEY
from .load import Document, Loc
from .model import (
    SHEET_PHRASES,
    CustomerType,
    Entry,
    Guide,
    Language,
    Phrase,
    PhraseBank,
    Source,
    Tactic,
    Term,
)
from .page_links import PageLinks, origin_of, site_pages
from .problems import Problems
from .validate import Validated, did_you_mean, format_loc


@dataclass(frozen=True)
class PhraseRef:
    """Where a phrase lives: its bank and the phrase itself."""

    bank_id: str
    phrase: Phrase


@dataclass
class KnowledgeBase:
    """The whole, validated, cross-linked content: what the renderer reads."""

    languages: list[Language]
    default_language: str
    sources: dict[str, Source]
    entries: dict[str, dict[str, Entry]]
    """Kind key (generator/layout.py) -> entry id -> entry, in reading order."""
    glossary: list[Term] = field(default_factory=list)
    phrases: dict[str, PhraseRef] = field(default_factory=dict)
    tactic_users: dict[str, list[str]] = field(default_factory=dict)
    """Tactic id -> ids of the customer types that recommend it."""
    phrase_users: dict[str, list[str]] = field(default_factory=dict)
    """Phrase id -> ids of the customer types that use it."""
    sheet_phrases: dict[str, list[str]] = field(default_factory=dict)
    """Customer type id -> ids of the phrases its cheat sheets show."""

    # The kinds the links between entries are made of.
    @property
    def customer_types(self) -> dict[str, CustomerType]:
        return self.entries["customer_types"]  # type: ignore[return-value]

    @property
    def tactics(self) -> dict[str, Tactic]:
        return self.entries["tactics"]  # type: ignore[return-value]

    @property
    def phrase_banks(self) -> dict[str, PhraseBank]:
        return self.entries["phrase_banks"]  # type: ignore[return-value]

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


def _in_order(valid: Validated, folder: str) -> dict:
    """A folder's entries, id -> model, in reading order: by `order`, then by id."""
    entries = valid.entries.get(folder, {})
    ordered = sorted(entries.items(), key=lambda item: (item[1][0].order, item[0]))
    return {entry_id: entry for entry_id, (entry, _doc) in ordered}


def link(valid: Validated, problems: Problems) -> KnowledgeBase | None:
    """Check every reference; return the knowledge base, or None if content is unusable."""
    # Entries whose texts link our pages, as copies with those links written from the root.
    linked = _page_links(valid, problems) if valid.languages is not None else {}
    phrases = _index_phrases(valid, problems, linked)
    # A bank with errors of its own hides its phrase ids: don't call them dangling.
    banks = KIND_BY_KEY["phrase_banks"].folder
    phrases_known = valid.known_ids.get(banks, set()) == set(valid.entries.get(banks, {}))
    source_ids = {s.id for s in valid.sources.sources} if valid.sources else set()
    tactic_ids = valid.known_ids.get(KIND_BY_KEY["tactics"].folder, set())
    phrase_ids = set(phrases) if phrases_known else None
    guides_folder = KIND_BY_KEY["guides"].folder
    guide_ids = valid.known_ids.get(guides_folder, set())
    # A guide with errors of its own may be the safety guide: until it is
    # readable, which guide is the safe one can't be known.
    guides_known = guide_ids == set(valid.entries.get(guides_folder, {}))
    safety_ids = ({guide_id for guide_id, (guide, _doc) in valid.entries.get(guides_folder, {}).items()
                   if isinstance(guide, Guide) and guide.safety} if guides_known else None)
    for entries in valid.entries.values():
        for entry, doc in entries.values():
            for index, citation in enumerate(entry.sources if valid.sources_known else []):
                _check_ref(doc, ("sources", index, "source"), citation.source, source_ids,
                           "source", "sources.yaml", problems)
            if isinstance(entry, CustomerType):
                _check_customer_type(
                    entry, doc, tactic_ids, phrase_ids, guide_ids, safety_ids, problems
                )

    if problems or valid.languages is None:
        return None

    glossary, sources = linked.pop("glossary.yaml", valid.glossary), linked.pop("sources.yaml", valid.sources)
    kb = KnowledgeBase(
        languages=list(valid.languages.languages),
        default_language=valid.languages.default,
        sources={s.id: s for s in sources.sources} if sources else {},
        entries={kind.key: {entry_id: linked.get((kind.folder, entry_id), entry)
                            for entry_id, entry in _in_order(valid, kind.folder).items()}
                 for kind in KINDS},
        glossary=list(glossary.terms) if glossary else [],
        phrases=phrases,
    )
    kb.tactic_users = {tactic_id: [] for tactic_id in kb.tactics}
    kb.phrase_users = {phrase_id: [] for phrase_id in kb.phrases}
    for type_id, customer_type in kb.customer_types.items():
        kb.sheet_phrases[type_id] = list(
            customer_type.cheat_sheet or customer_type.phrases[:SHEET_PHRASES])
        for tactic_id in customer_type.tactics:
            kb.tactic_users[tactic_id].append(type_id)
        for phrase_id in customer_type.phrases:
            kb.phrase_users[phrase_id].append(type_id)
    return kb


def _page_links(valid: Validated, problems: Problems) -> dict:
    """Every text's links to our pages checked (generator/page_links.py); the
    entries ((folder, id)) and single files (name) that have any, as copies whose
    links are written from the site's root."""
    languages = valid.languages
    assert languages is not None
    single_pages = {single.page for single in PAGE_FILE_BY_KEY.values()
                    if single.page and single.name in valid.singles}
    checker = PageLinks(site_pages(valid.known_ids, single_pages),
                        {lang.code for lang in languages.languages}, problems)
    linked: dict = {}
    for folder, entries in valid.entries.items():
        for entry_id, (entry, doc) in entries.items():
            copy = checker.entry(entry, doc, origin_of(folder, entry_id))
            if copy is not entry:
                linked[folder, entry_id] = copy
    for name, model, key in (("glossary.yaml", valid.glossary, "glossary"),
                             ("sources.yaml", valid.sources, None)):
        if model is not None and name in valid.singles:
            copy = checker.entry(model, valid.singles[name], origin_of(None, single_key=key))
            if copy is not model:
                linked[name] = copy
    return linked


def _index_phrases(valid: Validated, problems: Problems, linked: dict) -> dict[str, PhraseRef]:
    """Phrase id -> its bank and itself; `linked` holds banks whose texts' links
    were rewritten (generator/page_links.py)."""
    phrases: dict[str, PhraseRef] = {}
    folder = KIND_BY_KEY["phrase_banks"].folder
    banks = valid.entries.get(folder, {})
    for bank_id, bank in _in_order(valid, folder).items():
        bank = linked.get((folder, bank_id), bank)
        doc = banks[bank_id][1]
        for index, phrase in enumerate(bank.phrases):
            if phrase.id in phrases:
                line, col = doc.position(("phrases", index, "id"))
                problems.add(
                    doc.path, line, col,
                    f"phrases[{index}].id: duplicate phrase id '{phrase.id}' (already used in "
                    f"phrases/{phrases[phrase.id].bank_id}.yaml); customer types refer to phrases by id, so ids "
                    "must be unique across all banks",
                )
                continue
            phrases[phrase.id] = PhraseRef(bank_id, phrase)
    return phrases


def _check_customer_type(
    entry: CustomerType, doc: Document, tactic_ids: set[str], phrase_ids: set[str] | None,
    guide_ids: set[str], safety_ids: set[str] | None, problems: Problems,
) -> None:
    """Check a type's references; `phrase_ids` and `safety_ids` are None when
    they can't all be known."""
    for field_name, ids, kind, where in (
        ("tactics", tactic_ids, "tactic", f"content/{KIND_BY_KEY['tactics'].folder}/"),
        ("phrases", phrase_ids, "phrase", f"a bank in content/{KIND_BY_KEY['phrase_banks'].folder}/"),
        ("guides", guide_ids, "guide", f"content/{KIND_BY_KEY['guides'].folder}/"),
    ):
        refs: list[str] = getattr(entry, field_name)
        for index, ref in enumerate(refs):
            loc = (field_name, index)
            if ref in refs[:index]:
                _report(doc, loc, f"{format_loc(loc)}: '{ref}' is listed twice", problems)
            elif ids is not None:
                _check_ref(doc, loc, ref, ids, kind, where, problems)
    for index, ref in enumerate(entry.cheat_sheet):
        if ref not in entry.phrases:
            loc = ("cheat_sheet", index)
            _report(
                doc, loc,
                f"{format_loc(loc)}: '{ref}' is not in this type's phrases; the cheat sheet "
                f"shows a selection of them{did_you_mean(ref, entry.phrases)}",
                problems,
            )
    if entry.can_turn_dangerous and safety_ids is not None and not safety_ids & set(entry.guides):
        # The safety rule lives on one page; a dangerous type's page must reach it.
        if safety_ids:
            wanted = "add " + " or ".join(f"'{guide_id}'" for guide_id in sorted(safety_ids))
        else:
            wanted = ("no guide has safety: true yet; mark the guide that says how to stay "
                      "safe with it, and list that guide here")
        loc = ("guides",) if "guides" in doc.data else ("can_turn_dangerous",)
        _report(
            doc, loc,
            f"{format_loc(loc)}: this type can turn dangerous, so it must link the safety "
            f"guide, where the reader finds what to do and whom to call: {wanted}",
            problems,
        )


def _check_ref(doc: Document, loc: Loc, ref: str, known: set[str], kind: str, where: str,
               problems: Problems) -> None:
    if ref not in known:
        _report(
            doc, loc,
            f"{format_loc(loc)}: no {kind} with id '{ref}' in {where}"
            f"{did_you_mean(ref, sorted(known))}",
            problems,
        )


def _report(doc: Document, loc: Loc, message: str, problems: Problems) -> None:
    line, col = doc.position(loc)
    problems.add(doc.path, line, col, message)
