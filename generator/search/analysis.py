"""How search reads a word, per language: folding, stemming, stop words.

The same rules run twice: here at build time, over every word a page puts in
the search index, and in the browser (`analysis.js`), over what the reader
types. Both read one language's rules as JSON (`rules_of`, from the
`search:` entry of that language in content/languages.yaml), and both are
tested on one vector file, so a page is found exactly when the words meet.

- **Folding** makes case and diacritics not matter: "MÜŞTƏRİ", "müştəri"
  and "musteri" are one word. A language may replace letters before
  lowercasing (Azerbaijani İ→i, I→ı, or "ISLEMEK" would not meet "işləmək")
  and after it (ə→e).
- **Stemming** reduces a folded word to its stem, so inflected forms meet:
  `porter` is the Porter stemmer (English: "customers" → "custom"), here
  Snowball's and in the browser its JavaScript build of the same algorithm;
  `tagalog` is our rule-based stemmer, read from its tables: prefixes, the
  -um-/-in- infixes, syllable reduplication and the -an/-in suffixes
  ("nagagalit" → "galit").
- **Stop words** are left out of the index and out of queries: "paano ang
  galit" searches for "galit". Each language has its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

SEPARATOR = r"""[\s\-–—.,;:!?¿¡"“”„'‘’«»()\[\]{}/\\|…•·+*=<>#%@$^~`_&]+"""
"""What splits text into words, here and in the browser: punctuation and
symbols never stick to a word ("galit," is "galit"; "+bayad" is "bayad")."""

VOWELS = "aeiou"
_SEPARATOR = re.compile(SEPARATOR)


def rules_of(language) -> dict[str, Any]:
    """One language's search rules as the JSON both halves read (a `model.Language`)."""
    search = language.search
    return {
        "lang": language.code,
        "separator": SEPARATOR,
        "fold": search.fold.model_dump(),
        "stemmer": search.stemmer,
        "tagalog": search.tagalog.model_dump() if search.tagalog else None,
        "stop_words": list(search.stop_words),
    }


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query, as the index may hold it."""

    folded: str
    """The word folded: what a prefix of a word in the index is matched against."""
    stem: str
    """Its stem: what the same word in another form is matched by."""


class Analyzer:
    """One language's analysis: `Analyzer(rules_of(language))`."""

    def __init__(self, rules: dict[str, Any]):
        self.rules = rules
        self.lang: str = rules["lang"]
        self._before = rules["fold"]["before_lower"]
        self._after = rules["fold"]["after_lower"]
        self._stemmer = _stemmer(rules)
        # A site says the same words thousands of times: each is analysed once.
        self._forms: dict[str, tuple[str, str]] = {}
        self.stop_words = frozenset(self.fold(word) for word in rules["stop_words"])

    def fold(self, word: str) -> str:
        """Lowercase and strip diacritics the way this language reads its letters."""
        for letter, replacement in self._before.items():
            word = word.replace(letter, replacement)
        word = word.lower()
        for letter, replacement in self._after.items():
            word = word.replace(letter, replacement)
        decomposed = unicodedata.normalize("NFD", word)
        return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")

    def stem(self, folded: str) -> str:
        """A folded word's stem (the word itself where the language does not stem,
        or where it holds a character beyond U+FFFF, an emoji say, which
        JavaScript counts as two and the stemmers would cut differently)."""
        if any(ord(char) > 0xFFFF for char in folded):
            return folded
        return self._stemmer(folded)

    def forms(self, word: str) -> tuple[str, str]:
        """A word as written, folded and stemmed."""
        forms = self._forms.get(word)
        if forms is None:
            folded = self.fold(word)
            forms = self._forms[word] = (folded, self.stem(folded))
        return forms

    def index_terms(self, text: str) -> list[str]:
        """The terms a text puts in the index, each once, in order: every word's
        folded form and, where it differs, its stem; stop words left out."""
        seen: dict[str, None] = {}
        for word in words(text):
            folded, stemmed = self.forms(word)
            if folded in self.stop_words:
                continue
            seen.setdefault(folded, None)
            seen.setdefault(stemmed, None)
        return list(seen)

    def query(self, query: str) -> list[QueryTerm]:
        """A reader's query as terms the index holds; stop words dropped."""
        terms = []
        for word in words(query):
            folded, stemmed = self.forms(word)
            if folded not in self.stop_words:
                terms.append(QueryTerm(folded, stemmed))
        return terms


def words(text: str) -> list[str]:
    """The words of a text, split where search splits them."""
    return [word for word in _SEPARATOR.split(text) if word]


def _stemmer(rules: dict[str, Any]) -> Callable[[str], str]:
    if rules["stemmer"] == "porter":
        import snowballstemmer

        return snowballstemmer.stemmer("porter").stemWord
    if rules["stemmer"] == "tagalog":
        tables = rules["tagalog"]
        return lambda word: stem_tagalog(word, tables)
    return lambda word: word


# --- the Tagalog stemmer ----------------------------------------------------


def stem_tagalog(word: str, rules: dict[str, Any]) -> str:
    """Reduce a folded Tagalog word to its root (nagagalit → galit).

    Affixes are peeled from the front (infixes, prefixes, the reduplicated
    syllable) and from the back (suffixes) in both orders; the shorter
    result wins, since a suffix can hide a prefix's remainder (isipin is
    isip + -in, not i- + sipin) and a prefix can hide a suffix (pagkain is
    pag- + kain, not pagka + -in).
    """
    front_first = _strip_suffix(_strip_front(word, rules), rules)
    back_first = _strip_front(_strip_suffix(word, rules), rules)
    return back_first if len(back_first) < len(front_first) else front_first


def _long_enough(root: str, rules: dict, minimum: int | None = None) -> bool:
    minimum = minimum or rules["min_root"]
    if root[:1] in VOWELS:
        minimum -= 1
    return len(root) >= minimum and any(c in VOWELS for c in root)


def _strip_front(word: str, rules: dict) -> str:
    while True:
        shorter = _strip_reduplication(_strip_prefix(_strip_infix(word, rules), rules), rules)
        if shorter == word:
            return word
        word = shorter


def _starts_like_a_root(word: str) -> bool:
    # A Tagalog root starts with a vowel, one consonant (ng counts as one),
    # or a consonant and l/r/w/y (trabaho, plano): ka-lmado is not a split.
    if word[0] in VOWELS:
        return True
    width = 2 if word.startswith("ng") else 1
    after = word[width:width + 1]
    if after in tuple(VOWELS):
        return True
    return width == 1 and after in ("l", "r", "w", "y") and word[2:3] in tuple(VOWELS)


def _strip_infix(word: str, rules: dict) -> str:
    # Vowel-initial roots take -um-/-in- as a prefix: umalis, inalis.
    if word[:2] in ("um", "in") and word[2:3] in tuple(VOWELS) and _long_enough(word[2:], rules):
        return word[2:]
    # Otherwise after the first consonant, before a vowel: b-um-ili, s-in-abi.
    if word[:1] not in ("", *VOWELS) and word[1:3] in ("um", "in") and word[3:4] in tuple(VOWELS) \
            and _long_enough(word[0] + word[3:], rules):
        return word[0] + word[3:]
    return word


def _strip_prefix(word: str, rules: dict) -> str:
    for prefix in rules["prefixes"]:
        rest = word[len(prefix):]
        if not word.startswith(prefix) or not rest:
            continue
        if not _long_enough(rest, rules, rules["cautious_prefixes"].get(prefix)) \
                or not _starts_like_a_root(rest):
            continue
        if prefix[-1] not in VOWELS:
            if rest[0] in VOWELS:
                continue
            return rest
        # d between vowels is spoken r: ma-rami is dami, ka-rapatan is dapat.
        if rest[0] == "r" and rest[1:2] in tuple(VOWELS):
            return "d" + rest[1:]
        if prefix in rules["assimilating_prefixes"] and rest[0] in rules["assimilated"] \
                and rest[1:2] in tuple(VOWELS):
            # The doubled syllable goes first: na-nanakit → nakit → sakit.
            rest = _strip_reduplication(rest, rules)
            return rules["assimilated"][rest[0]] + rest[1:]
        return rest
    return word


def _strip_reduplication(word: str, rules: dict) -> str:
    if len(word) < 4:
        return word
    first, vowel, rest = word[0], word[1], word[2:]
    # Aspect doubles the root's first consonant and vowel: ga-galit,
    # ta-trabaho, da-rating (d spoken r between vowels), a-alis.
    if first not in VOWELS and vowel in VOWELS:
        root_vowel = next((c for c in rest if c in VOWELS), "")
        same_start = rest[0] == first or (first == "d" and rest[0] == "r")
        if same_start and root_vowel == vowel and _long_enough(rest, rules):
            return first + rest[1:] if first == "d" else rest
    if first in VOWELS and vowel == first and _long_enough(word[1:], rules):
        return word[1:]
    return word


def _strip_suffix(word: str, rules: dict) -> str:
    for suffix in rules["suffixes"]:
        rest = word[: -len(suffix)]
        if word.endswith(suffix) and _long_enough(rest, rules):
            for pattern, replacement in rules["suffix_alternations"]:
                rest = re.sub(pattern, replacement, rest, count=1)
            return rest
    return word
