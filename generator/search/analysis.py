"""How search reads a word, per language: folding, Tagalog stemming, queries.

The same rules run twice: here at build time, over every word of the search
index, and in the browser (`analysis.js`), over what the reader types. Both
read the tables below (the build hands them to the browser as JSON), and both
are tested on one vector file, so a page is found exactly when the words meet.

- **Folding** makes case and diacritics not matter: "MÜŞTƏRİ", "müştəri"
  and "musteri" are one word. Azerbaijani lowercases by its own rules first
  (İ→i, I→ı), or "ISLEMEK" would not meet "işləmək".
- **Stemming** (Tagalog only) reduces a word to its root, so "galit",
  "nagagalit" and "pagkagalit" are one word. It is rule-based: prefixes,
  the -um-/-in- infixes, syllable reduplication and the -an/-in suffixes.
- **Stop words** (Tagalog only) are dropped from a query that has other
  words, so "paano ang galit" searches for "galit".
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata

SEPARATOR = r"""[\s\-–—.,;:!?¿¡"“”„'‘’«»()\[\]{}/\\|…•·]+|&(?:[a-z]+|#[0-9]+);"""
"""What splits text into words, for Material's tokenizer and for ours.

Punctuation never sticks to a word ("galit," is "galit"), and an HTML entity
in the index text ("&amp;") is a separator, not a word.
"""

RULES: dict = {
    "separator": SEPARATOR,
    "fold": {
        # Letters replaced before lowercasing: Azerbaijani's dotted and
        # dotless capitals lowercase to i and ı, not to i + U+0307 and i.
        "az": {"before_lower": {"İ": "i", "I": "ı"},
               "after_lower": {"ə": "e", "ı": "i", "ş": "s", "ç": "c",
                               "ğ": "g", "ö": "o", "ü": "u"}},
        "tl": {"before_lower": {}, "after_lower": {}},
        "en": {"before_lower": {}, "after_lower": {}},
    },
    # Languages whose words are reduced to their Tagalog root.
    "stem": ["tl"],
    # lunr's own pipeline per language. Its stemmer and stop words are
    # English; its trimmer strips non-ASCII letters ("çətin" → "tin"), so it
    # is never on.
    "lunr_pipeline": {"tl": [], "az": [], "en": ["stemmer", "stopWordFilter"]},
    "tagalog": {
        # A root keeps at least this many letters (one fewer when it starts
        # with a vowel: aga, asa, una); shorter would merge unrelated words.
        "min_root": 4,
        # Longest first. A prefix ending in a consonant is only stripped
        # before a consonant: before a vowel Tagalog writes a hyphen
        # ("mag-aral"), which the separator has already split.
        "prefixes": [
            "pakikipag", "ipinagpa", "makipag", "nakipag", "pakiki", "nakiki", "makiki",
            "makapag", "nakapag", "ipinag", "pinaka", "napaka", "magpa", "nagpa",
            "pagpa", "napag", "mapag", "pinag", "ipag", "magka", "nagka", "pagka",
            "maka", "naka", "paka", "maki", "naki", "paki", "ipa", "pina", "mang",
            "nang", "pang", "mag", "nag", "pag", "ma", "na", "pa", "ka", "i",
        ],
        # Prefixes that need a longer remainder, because many roots begin
        # with them (isip, ibig, iwas).
        "cautious_prefixes": {"i": 5},
        # mang-/nang-/pang- fuse with a root's first consonant: ma-nakit is
        # mang- + sakit, ma-milit is mang- + pilit. After ma-, na- or pa-,
        # such an n or m is read back as the commonest consonant it replaced.
        "assimilating_prefixes": ["ma", "na", "pa"],
        "assimilated": {"n": "s", "m": "p"},
        "suffixes": ["han", "hin", "an", "in"],
        # After a suffix: bayaran → bayar → bayad, tanungin → tanung → tanong.
        "suffix_alternations": [["r$", "d"], ["u([^aeiou]+)$", "o\\1"], ["u$", "o"]],
        "stop_words": [
            "ang", "ng", "nang", "mga", "sa", "na", "at", "ay", "ni", "nina", "si", "sina",
            "kay", "kina", "para", "kung", "pa", "po", "ho", "ito", "iyan", "iyon", "yung",
            "yun", "din", "rin", "lang", "lamang", "ba", "ko", "mo", "niya", "namin",
            "natin", "ninyo", "nila", "ako", "ka", "ikaw", "siya", "kami", "tayo", "kayo",
            "sila", "may", "mayroon", "o", "pero", "kasi", "dahil", "upang", "nito", "noon",
            "paano", "ano", "bakit", "saan", "kailan", "sino",
        ],
    },
}
"""The tables both implementations read; `rules_json()` hands them to the browser."""

VOWELS = "aeiou"
_SEPARATOR = re.compile(SEPARATOR)
_TAG = re.compile(r"<[^>]*>")


def rules_json() -> str:
    return json.dumps(RULES, ensure_ascii=False, sort_keys=True)


# A site says the same words thousands of times: each is folded and stemmed once.
@functools.lru_cache(maxsize=1 << 16)
def fold(word: str, lang: str) -> str:
    """Lowercase and strip diacritics the way `lang` reads its letters."""
    rules = RULES["fold"].get(lang, RULES["fold"]["en"])
    for letter, replacement in rules["before_lower"].items():
        word = word.replace(letter, replacement)
    word = word.lower()
    for letter, replacement in rules["after_lower"].items():
        word = word.replace(letter, replacement)
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str, lang: str) -> str:
    """A folded word's root, for languages that stem; the word itself otherwise."""
    if lang not in RULES["stem"]:
        return word
    return stem_tagalog(word)


def stem_tagalog(word: str) -> str:
    """Reduce a folded Tagalog word to its root (nagagalit → galit).

    Affixes are peeled from the front (infixes, prefixes, the reduplicated
    syllable) and from the back (suffixes) in both orders; the shorter
    result wins, since a suffix can hide a prefix's remainder (isipin is
    isip + -in, not i- + sipin) and a prefix can hide a suffix (pagkain is
    pag- + kain, not pagka + -in).
    """
    rules = RULES["tagalog"]
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


def words(text: str) -> list[str]:
    """The words of an index text: markup dropped, split as Material splits."""
    return [w for w in _SEPARATOR.split(_TAG.sub(" ", text)) if w]


def index_terms(text: str, lang: str) -> list[str]:
    """Forms of `text`'s words that search would otherwise miss, each once.

    Material indexes each word lowercased; a folded or stemmed form that
    differs from that is what a reader's folded, stemmed query will look for.
    """
    seen: dict[str, None] = {}
    for word in words(text):
        plain = word.lower()
        folded = fold(word, lang)
        for form in (folded, stem(folded, lang)):
            if form != plain:
                seen.setdefault(form, None)
    return list(seen)


_MODIFIERS = re.compile(r"^([+-]?)(.*?)(\*?)$")


def analyze_query(query: str, lang: str) -> str:
    """A reader's query, rewritten into the words the index holds.

    Each word is folded and stemmed; `+`/`-` in front and `*` behind are
    kept. Tagalog stop words go when the query has other words.
    """
    stop_words = set(RULES["tagalog"]["stop_words"]) if lang == "tl" else set()
    terms: list[tuple[str, str, str, bool]] = []
    for part in query.split():
        sign, core, star = _MODIFIERS.match(part).groups()
        for word in _SEPARATOR.split(core):
            if word:
                folded = fold(word, lang)
                terms.append((sign, stem(folded, lang), star, folded in stop_words))
    if any(not is_stop for *_, is_stop in terms):
        terms = [term for term in terms if not term[3]]
    return " ".join(sign + term + star for sign, term, star, _ in terms)
