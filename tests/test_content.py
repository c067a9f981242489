"""Quality gates for the real knowledge base in content/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lingua import Language, LanguageDetectorBuilder
from pydantic import BaseModel

from conftest import LANGS, ROOT
from content_exceptions import LANGUAGE_ID_EXCEPTIONS, SAME_TEXT_ALLOWED
from generator.content import read_content
from generator.link import KnowledgeBase

LINGUA = {"tl": Language.TAGALOG, "az": Language.AZERBAIJANI, "en": Language.ENGLISH}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return read_content(ROOT / "content")


@pytest.fixture(scope="module")
def detector():
    return LanguageDetectorBuilder.from_languages(
        Language.TAGALOG, Language.AZERBAIJANI, Language.ENGLISH, Language.TURKISH
    ).build()


def texts(kb: KnowledgeBase) -> Iterator[tuple[str, dict[str, str]]]:
    """Every reader-facing Text in the knowledge base, with a path naming it."""

    def walk(value, where: str):
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), f"{where}.{name}")
        elif (isinstance(value, dict) and set(value) == set(LANGS)
              and all(isinstance(text, str) for text in value.values())):
            yield where, value  # a term's `forms` (language -> words) is not a text
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]")

    for kind in ("customer_types", "tactics", "phrase_banks", "guides"):
        for entry_id, entry in kb.entries[kind].items():
            yield from walk(entry, f"{kind}/{entry_id}")
    for index, term in enumerate(kb.glossary):
        yield from walk(term, f"glossary[{index}]")
    for source in kb.sources.values():
        yield from walk(source, f"sources/{source.id}")


def test_minimum_counts(kb: KnowledgeBase):
    assert len(kb.customer_types) >= 17
    assert len(kb.tactics) >= 35
    assert len(kb.phrase_banks) >= 13
    assert len(kb.phrases) >= 150
    assert len(kb.entries["guides"]) >= 7
    assert len(kb.glossary) >= 12


# The situations a review found missing (issue 12), each with the types that
# answer it: a group is covered when every one of its types exists.
MISSING_GROUPS = {
    "abuse, harassment and being filmed": {"abusive-or-harassing", "filming-you"},
    "written and public channels": {"angry-in-writing", "review-threat"},
    "vulnerable customers": {"needs-extra-care", "language-barrier", "intoxicated"},
    "freelance: scope creep, non-payment after delivery, legal threats": {
        "scope-creep", "unpaid-after-delivery", "legal-threat"},
    "policy disputes and the manager": {"policy-dispute", "wants-the-manager"},
}


@pytest.mark.parametrize("group", MISSING_GROUPS)
def test_every_situation_the_review_found_missing_has_its_pages(kb: KnowledgeBase, group: str):
    assert MISSING_GROUPS[group] - set(kb.customer_types) == set()


def test_the_written_channels_guide_covers_chat_e_mail_and_reviews(kb: KnowledgeBase):
    guide = kb.entries["guides"]["written-channels"]
    text = " ".join(section.body["en"] + section.heading["en"] for section in guide.sections).lower()
    assert [word for word in ("chat", "e-mail", "review", "screenshot") if word not in text] == []
    assert {"angry-in-writing", "review-threat"} <= {
        type_id for type_id, t in kb.customer_types.items() if "written-channels" in t.guides}


def test_every_type_that_can_turn_dangerous_links_the_one_safety_guide(kb: KnowledgeBase):
    safety = [guide_id for guide_id, guide in kb.entries["guides"].items() if guide.safety]
    assert safety == ["staying-safe"]
    dangerous = {type_id for type_id, t in kb.customer_types.items() if t.can_turn_dangerous}
    assert {"threatening", "aggressive", "abusive-or-harassing", "intoxicated"} <= dangerous
    assert {type_id for type_id in dangerous if "staying-safe" not in kb.customer_types[type_id].guides} == set()


# Emergency numbers as each language's safety guide must give them: the
# Philippines' national hotline, Azerbaijan's general, police and ambulance lines.
EMERGENCY_NUMBERS = {"911", "112", "102", "103"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_safety_guide_gives_the_emergency_numbers_and_says_to_check_them(kb: KnowledgeBase, lang: str):
    guide = kb.entries["guides"]["staying-safe"]
    text = " ".join(section.body[lang] for section in guide.sections)
    assert {number for number in EMERGENCY_NUMBERS if number not in text} == set()
    # The numbers appear nowhere else: the rule lives on one page.
    elsewhere = {f"{kind}/{entry_id}" for kind in ("customer_types", "tactics", "guides")
                 for entry_id, entry in kb.entries[kind].items()
                 if entry_id != "staying-safe" and "911" in entry.model_dump_json()}
    assert elsewhere == set()


def test_advice_beyond_the_articles_cites_the_editors_guidance(kb: KnowledgeBase):
    assert kb.sources["editors-guidance"].scrape is None
    new_types = set().union(*MISSING_GROUPS.values())
    assert {type_id for type_id in new_types
            if "editors-guidance" not in {c.source for c in kb.customer_types[type_id].sources}} == set()


def test_required_customer_types_exist(kb: KnowledgeBase):
    assert {
        "indecisive", "highly-critical", "aggressive", "angry", "threatening", "talkative",
        "unresponsive", "controlling", "late-payer",
    } <= set(kb.customer_types)


@pytest.mark.parametrize("field, minimum", [("do", 4), ("avoid", 3), ("tactics", 3), ("phrases", 4)])
def test_every_customer_type_is_complete(kb: KnowledgeBase, field: str, minimum: int):
    short = {tid: len(getattr(t, field)) for tid, t in kb.customer_types.items()
             if len(getattr(t, field)) < minimum}
    assert short == {}


def test_every_customer_type_has_four_cheat_sheet_phrases(kb: KnowledgeBase):
    assert {tid: len(t.cheat_sheet) for tid, t in kb.customer_types.items()
            if len(set(t.cheat_sheet)) != 4} == {}


def test_every_tactic_and_phrase_is_used_by_a_customer_type(kb: KnowledgeBase):
    assert [tid for tid, users in kb.tactic_users.items() if not users] == []
    assert [pid for pid, users in kb.phrase_users.items() if not users] == []


def test_every_tactic_has_steps_and_pitfalls(kb: KnowledgeBase):
    assert [tid for tid, t in kb.tactics.items() if len(t.steps) < 2 or len(t.pitfalls) < 1] == []


def test_every_entry_cites_a_source(kb: KnowledgeBase):
    uncited = [f"{kind}/{eid}" for kind in ("customer_types", "tactics", "phrase_banks", "guides")
               for eid, entry in kb.entries[kind].items() if not entry.sources]
    assert uncited == []


def test_no_text_is_the_same_in_two_languages(kb: KnowledgeBase):
    same = []
    for where, text in texts(kb):
        for i, a in enumerate(LANGS):
            for b in LANGS[i + 1:]:
                if text[a].strip() == text[b].strip() and text[a].strip() not in SAME_TEXT_ALLOWED:
                    same.append(f"{where}: {a} == {b}: {text[a]!r}")
    assert same == []


def test_every_text_is_in_its_own_language(kb: KnowledgeBase, detector):
    """Texts of four words or more are identified as their language, offline."""
    wrong = []
    for where, text in texts(kb):
        for code, value in text.items():
            if len(value.split()) < 4 or (where, code) in LANGUAGE_ID_EXCEPTIONS:
                continue
            found = detector.detect_language_of(value)
            if found != LINGUA[code]:
                wrong.append(f"{where}.{code}: detected {found}: {value[:60]!r}")
    assert wrong == []


def test_language_exceptions_are_still_needed_and_justified(kb: KnowledgeBase):
    known = {where: text for where, text in texts(kb)}
    for (where, code), reason in LANGUAGE_ID_EXCEPTIONS.items():
        assert where in known, f"stale exception: {where}"
        assert len(reason) > 20, f"exception without a reason: {where}"


def test_the_detector_tells_our_languages_apart(detector):
    """The gate above means something only if the detector can fail: feed it known text."""
    assert detector.detect_language_of("Huwag po kayong mag-alala, aayusin namin ito") == Language.TAGALOG
    assert detector.detect_language_of("Narahat olmayın, biz bunu mütləq həll edəcəyik") == Language.AZERBAIJANI
    assert detector.detect_language_of("Endişelenmeyin, bunu mutlaka çözeceğiz") == Language.TURKISH
    assert detector.detect_language_of("Please don't worry, we will sort this out") == Language.ENGLISH


SOURCES = ROOT.parent / "shared" / "sources"
# Seven words in a row shared with a source scrape is a pasted sentence, not a
# common phrase ("numero ng telepono o e-mail" is six and is fine).
PASTE_RUN = 7


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def _source_runs() -> set[tuple[str, ...]]:
    scrapes = sorted(SOURCES.glob("0*.txt"))
    if not scrapes:
        # The scrapes live outside the repository (shared/ beside the checkout).
        pytest.skip(f"source scrapes not found in {SOURCES}")
    runs = set()
    for scrape in scrapes:
        words = _words(scrape.read_text(encoding="utf-8"))
        runs |= {tuple(words[i:i + PASTE_RUN]) for i in range(len(words) - PASTE_RUN + 1)}
    return runs


def find_pasted(items, runs: set[tuple[str, ...]]) -> list[str]:
    pasted = []
    for where, text in items:
        for code, value in text.items():
            words = _words(value)
            for i in range(len(words) - PASTE_RUN + 1):
                if tuple(words[i:i + PASTE_RUN]) in runs:
                    pasted.append(f"{where}.{code}: {' '.join(words[i:i + PASTE_RUN])}")
                    break
    return pasted


def test_no_sentence_is_pasted_from_the_sources(kb: KnowledgeBase):
    assert find_pasted(texts(kb), _source_runs()) == []


def test_the_paste_check_finds_a_pasted_sentence():
    runs = _source_runs()
    # A sentence from source 001, lightly re-cased and re-punctuated, inside our own words.
    pasted = "Tandaan: ANG ISANG NEGOSYO ay nakasalalay sa masayang mga customer, palagi."
    found = find_pasted([("example", {"tl": pasted, "az": "Yox.", "en": "No."})], runs)
    assert found == ["example.tl: ang isang negosyo ay nakasalalay sa masayang"]


def test_the_three_language_sites_have_the_same_pages(real_site: Path, kb: KnowledgeBase):
    pages = {
        lang: {str(p.relative_to(real_site / lang)) for p in (real_site / lang).rglob("*.html")}
        for lang in LANGS
    }
    assert pages["tl"] == pages["az"] == pages["en"]
    for type_id in kb.customer_types:
        assert f"customer-types/{type_id}/index.html" in pages["tl"]
    assert "glossary/index.html" in pages["az"]
