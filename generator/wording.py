"""The wording check (run by `python -m generator check`): the content's words,
beyond what the schema can say about one field.

- **Terms.** A glossary term lists the `forms` each language writes it in and
  the `rejected` variants it must not be written in. Where the default
  language's text of a field uses one of the term's forms, the other languages'
  texts of that field use one of theirs; a rejected variant is never used.
- **Avoided words.** `languages.yaml` lists, per language, words not to write
  at all (a Turkish word in Azerbaijani), each with what to write instead.
- **Phrases said aloud.** A phrase has at most `phrases.max_words` words
  (runs of letters and digits between spaces); one
  said to the customer uses one of its language's polite words (Tagalog po/opo)
  where the language lists them, and none of its informal words (Azerbaijani sən).

Words match at the start of a word, after the letters are folded as search
folds them (case and diacritics do not matter), so a form matches its
inflections that add letters at the end: `sifarişçi` matches `sifarişçiyə`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .coverage import text_documents, texts
from .link import KnowledgeBase
from .load import Document, LoadedTree, Loc
from .model import Phrase
from .problems import Problems
from .safe import plain_text
from .search.analysis import Analyzer, rules_of, words
from .validate import did_you_mean, format_loc

GLOSSARY = "glossary.yaml"


class _Words:
    """Words of one language, folded once, each mapped back to what the author wrote."""

    def __init__(self, analyzer: Analyzer, written: Iterable[str]):
        self._written = {analyzer.fold(word): word for word in written}
        alternatives = sorted(self._written, key=len, reverse=True)
        self._pattern = (re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, alternatives)) + ")")
                         if alternatives else None)

    def found(self, folded_text: str) -> str | None:
        """The first of these words `folded_text` uses, as the author wrote it; else None."""
        match = self._pattern.search(folded_text) if self._pattern else None
        return self._written[match.group()] if match else None


def check_wording(tree: LoadedTree, kb: KnowledgeBase, problems: Problems) -> None:
    """Add every wording problem in the content to `problems`."""
    analyzers = {lang.code: Analyzer(rules_of(lang)) for lang in kb.languages}
    folded_cache: dict[str, str] = {}

    def folded(lang: str, text: str) -> str:
        key = f"{lang}\0{text}"
        if key not in folded_cache:
            folded_cache[key] = analyzers[lang].fold(plain_text(text))
        return folded_cache[key]

    terms = [(term, {code: _Words(analyzers[code], term.forms.get(code, ())) for code in analyzers},
              {code: _Words(analyzers[code], term.rejected.get(code, ())) for code in analyzers})
             for term in kb.glossary]
    avoided = {lang.code: (_Words(analyzers[lang.code], lang.avoid), lang.avoid)
               for lang in kb.languages}
    default = kb.default_language
    glossary = tree.singles.get(GLOSSARY)
    for index, term in enumerate(kb.glossary):
        for field_name in ("forms", "rejected"):
            for code in getattr(term, field_name):
                if code not in analyzers and glossary is not None:
                    _report(problems, glossary, ("terms", index, field_name), code,
                            f"no language '{code}' in languages.yaml"
                            f"{did_you_mean(code, sorted(analyzers))}")
    for doc in text_documents(tree):
        if doc is glossary:
            continue  # the glossary defines the terms: its texts name the rejected ones
        for loc, text in texts(doc, kb):
            for lang, value in text.items():
                if not isinstance(value, str) or lang not in analyzers:
                    continue
                said = folded(lang, value)
                word = avoided[lang][0].found(said)
                if word is not None:
                    _report(problems, doc, loc, lang,
                            f"'{word}' is on the {lang} list of words to avoid "
                            f"(languages.yaml): {avoided[lang][1][word]}")
                for term, _forms, rejected in terms:
                    word = rejected[lang].found(said)
                    if word is not None:
                        chosen = ", ".join(f"'{form}'" for form in term.forms.get(lang, ())) or "its term"
                        _report(problems, doc, loc, lang,
                                f"'{word}' is a rejected {lang} variant of the term "
                                f"'{term.id}' (glossary.yaml): write {chosen}")
            source = text.get(default)
            if not isinstance(source, str):
                continue
            for term, forms, _rejected in terms:
                if forms[default].found(folded(default, source)) is None:
                    continue
                for lang, value in text.items():
                    if lang == default or not isinstance(value, str) or not term.forms.get(lang):
                        continue
                    if forms[lang].found(folded(lang, value)) is None:
                        chosen = ", ".join(f"'{form}'" for form in term.forms[lang])
                        _report(problems, doc, loc, lang,
                                f"the {default} text uses the term '{term.id}' "
                                f"(glossary.yaml), so the {lang} text says it too, as "
                                f"one of {chosen}; one concept has one name on every page")
    for bank_id, bank in kb.phrase_banks.items():
        doc = _entry_document(tree, "phrases", bank_id)
        for index, phrase in enumerate(bank.phrases):
            for lang, message in _phrase_problems(phrase, kb, analyzers):
                _report(problems, doc, ("phrases", index, "text"), lang, message)


def _phrase_problems(phrase: Phrase, kb: KnowledgeBase,
                     analyzers: dict[str, Analyzer]) -> Iterator[tuple[str, str]]:
    for lang in kb.languages:
        text = getattr(phrase.text, "get", lambda _code: None)(lang.code)
        if not isinstance(text, str):
            continue
        rules = lang.phrases
        said = plain_text(text)
        # Words as a reader says them: "ika-31" is one, a dash alone is none.
        count = sum(1 for token in said.split() if any(c.isalnum() for c in token))
        if count > rules.max_words:
            yield lang.code, (f"{count} words, more than the {rules.max_words} a phrase may "
                              "have: a phrase is said aloud mid-conversation, so keep it to "
                              "one breath")
        if phrase.said_to != "customer":
            continue
        spoken = set(analyzers[lang.code].fold(word) for word in words(said))
        if rules.polite_words and not spoken & {analyzers[lang.code].fold(w) for w in rules.polite_words}:
            yield lang.code, ("said to the customer without any of "
                              + ", ".join(f"'{w}'" for w in rules.polite_words)
                              + " (languages.yaml phrases.polite_words); add one, or mark "
                              "a line for a colleague with said_to: colleague")
        rude = [w for w in rules.informal_words if analyzers[lang.code].fold(w) in spoken]
        if rude:
            yield lang.code, (f"uses the familiar '{rude[0]}' (languages.yaml "
                              "phrases.informal_words): a customer is addressed formally")


def _entry_document(tree: LoadedTree, folder: str, entry_id: str) -> Document:
    return next(doc for doc in tree.collections[folder] if doc.stem == entry_id)


def _report(problems: Problems, doc: Document, loc: Loc, lang: str, message: str) -> None:
    where = (*loc, lang)
    line, col = doc.position(where)
    problems.add(doc.path, line, col, f"{format_loc(where)}: {message}")

