"""`status`: per language, how much is translated, and which translations are stale.

A translation is stale when the default-language (English) text changed
after the translation was written. To tell, content/translations.yaml (one
machine-written file, so the content authors edit carries no bookkeeping)
records, per content file, the pairs (hash of a translation, hash of the
default-language text it was made from). A translation is then:

* **fresh** when its pair is recorded: nothing changed since;
* **stale** when the translation is recorded, but only with other
  default-language texts: the translation stayed while its source changed;
* **new** when the translation is not recorded at all: written or changed
  since the last `status --update`, together with its source or not, so it
  counts as made from the text beside it.

Pairs are keyed by the texts' hashes, not by their place, so reordering list
items or moving a text raises no alarm: a translation its own file's record
does not know is looked up in every file's, so one that moved to another file
(renamed, merged, split) keeps its stale mark. (The same translation made from
another text elsewhere then reads as stale too: a check too many, never one
too few.) `status --update`
records every translation that is not stale as made from the text it stands
beside now (stale ones keep their old record, and stay stale); `status
--accept FILE` records a file's translations, stale ones included, as checked
against the text they stand beside now.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .coverage import LanguageCoverage, text_documents, texts, translation_coverage
from .layout import FILES
from .link import KnowledgeBase
from .load import Document, LoadedTree, Loc
from .model import HASH_LENGTH, TranslationsFile
from .problems import display_path
from .schema import write_atomically
from .validate import format_loc

STORE = next(single for single in FILES if single.model is TranslationsFile)
"""The store's entry in layout.FILES: content/translations.yaml."""

Pairs = set[tuple[str, str]]
"""(hash of a translation, hash of the default-language text it was made from)."""

HEADER = f"""\
# Written by `python -m generator status --update`: not for editing by hand.
# For each content file, one line per default-language text: its hash, then
# the hash of each translation made from it (the first {HASH_LENGTH} hex digits
# of their SHA-256). `status` calls a translation stale when it is unchanged but
# was made from a default-language text that has changed since;
# `status --accept FILE` records a file's translations as checked.
"""


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class Translation:
    """One text in one language other than the default, and where it stands."""

    file: str
    """Its content file, relative to the content folder."""
    doc: Document
    loc: Loc
    """The Text's place in the file."""
    code: str
    translated: str
    """Hash of the translation."""
    source: str
    """Hash of the default-language text beside it now."""
    state: str
    """fresh, stale or new (see the module's docstring)."""

    def where(self) -> str:
        line, column = self.doc.position((*self.loc, self.code))
        return f"{display_path(self.doc.path)}:{line}:{column}: {format_loc((*self.loc, self.code))}"


@dataclass
class Status:
    """The translations of a content folder against its store."""

    root: Path
    kb: KnowledgeBase
    coverage: list[LanguageCoverage]
    translations: list[Translation] = field(default_factory=list)
    recorded: dict[str, Pairs] = field(default_factory=dict)
    """The store as read: content file -> its pairs."""
    store_found: bool = False
    _by_translation: dict[str, set[str]] | None = field(default=None, repr=False)
    gone: dict[str, Pairs] = field(default_factory=dict)
    """What the store records of files no longer there (renamed or removed): read
    for files it records nothing of, and dropped by `--update`."""
    text_files: list[str] = field(default_factory=list)
    """The content files that hold texts, relative to the content folder."""

    @property
    def store_path(self) -> Path:
        return self.root / STORE.name

    def stale(self, code: str | None = None) -> list[Translation]:
        return [t for t in self.translations
                if t.state == "stale" and (code is None or t.code == code)]

    def new(self) -> list[Translation]:
        return [t for t in self.translations if t.state == "new"]

    def made_from(self, translated: str) -> set[str]:
        """The default-language texts any file's record says `translated` was made from."""
        if self._by_translation is None:
            self._by_translation = defaultdict(set)
            for pairs in self.recorded.values():
                for made, source in pairs:
                    self._by_translation[made].add(source)
        return self._by_translation.get(translated, set())

    def updated(self, accept: set[str] = frozenset()) -> dict[str, Pairs]:
        """The store after recording every translation that is not stale (and, in the
        files in `accept`, the stale ones too) as made from the text beside it now."""
        store: dict[str, Pairs] = defaultdict(set)
        for t in self.translations:
            if t.state != "stale" or t.file in accept:
                store[t.file].add((t.translated, t.source))
            else:  # keep what it was made from, so it stays stale until dealt with
                own = {pair for pair in self.recorded.get(t.file, set()) if pair[0] == t.translated}
                store[t.file] |= own or {(t.translated, source) for source in self.made_from(t.translated)}
        return dict(store)


def survey(root: Path, tree: LoadedTree, kb: KnowledgeBase) -> Status:
    """Every translation in the (valid) content `tree`, fresh, stale or new."""
    status = Status(root, kb, translation_coverage(root, kb, tree))
    store_doc = tree.singles.get(STORE.name)
    if store_doc is not None:
        status.store_found = True
        status.recorded = read_store(TranslationsFile.model_validate(store_doc.data))
    default = kb.default_language
    documents = text_documents(tree)
    present = {doc.path.relative_to(root).as_posix() for doc in documents}
    status.gone = {rel: pairs for rel, pairs in status.recorded.items() if rel not in present}
    for doc in documents:
        rel = doc.path.relative_to(root).as_posix()
        status.text_files.append(rel)
        pairs = status.recorded.get(rel, set())
        known = {translated for translated, _ in pairs}
        for loc, text in texts(doc, kb):
            source = fingerprint(text[default])
            for code in kb.language_codes:
                if code == default or code not in text:
                    continue
                translated = fingerprint(text[code])
                if translated in known:
                    state = "fresh" if (translated, source) in pairs else "stale"
                else:
                    # Moved from another file (renamed, merged, split): its record there.
                    elsewhere = status.made_from(translated)
                    state = ("new" if not elsewhere else "fresh" if source in elsewhere else "stale")
                status.translations.append(
                    Translation(rel, doc, loc, code, translated, source, state))
    return status


def read_store(store: TranslationsFile) -> dict[str, Pairs]:
    recorded: dict[str, Pairs] = defaultdict(set)
    for entry in store.files:  # a file named twice (a bad merge) counts once, all its pairs
        for line in entry.made_from:
            source, *translations = line.split()
            recorded[entry.file] |= {(translated, source) for translated in translations}
    return dict(recorded)


def store_text(store: dict[str, Pairs]) -> str:
    """The store as YAML, in a stable order, so an unchanged store is the same bytes."""
    lines = [HEADER.rstrip("\n")]
    files = sorted(rel for rel, pairs in store.items() if pairs)
    lines.append("files:" if files else "files: []")
    for rel in files:
        made_from: dict[str, set[str]] = defaultdict(set)
        for translated, source in store[rel]:
            made_from[source].add(translated)
        lines += [f"  - file: {rel}", "    made_from:"]
        lines += [f"      - {source} {' '.join(sorted(made_from[source]))}"
                  for source in sorted(made_from)]
    return "\n".join(lines) + "\n"


def save(status: Status, store: dict[str, Pairs]) -> bool:
    """Write the store if it would change; whether it did."""
    text = store_text(store)
    path = status.store_path
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    write_atomically(path, text)
    return True


def stale_message(t: Translation, kb: KnowledgeBase) -> str:
    default = kb.language(kb.default_language).name
    return f"{t.where()}: the {default} changed after this {t.code} translation was written"
