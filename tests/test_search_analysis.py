"""Search analysis: the Python rules and their JavaScript half give the same answers.

Both run on tests/search_vectors.json (hand-written expectations) and on
tests/tagalog_roots.tsv (519 Tagalog words with their dictionary roots,
written by a Tagalog speaker without the stemmer in view).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.search.analysis import analyze_query, fold, index_terms, rules_json, stem

HERE = Path(__file__).resolve().parent
VECTORS = json.loads((HERE / "search_vectors.json").read_text(encoding="utf-8"))
ANALYSIS_JS = (HERE.parent / "generator" / "search" / "analysis.js").read_text(encoding="utf-8")

# The stemmer's measured accuracy on the table is 90.8% (471 of 519); a change
# to the rules that loses more than a few words fails here.
MIN_STEMMER_ACCURACY = 0.89


def tagalog_roots() -> list[tuple[str, str]]:
    rows = []
    for line in (HERE / "tagalog_roots.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, root, _pattern = line.split("\t")
            rows.append((word, root))
    return rows


# Each kind of case in the vector file, and the function that answers it.
ANSWERS = {"fold": fold, "stem": stem, "query": analyze_query, "index_terms": index_terms}
CASES = [(kind, case) for kind in ANSWERS for case in VECTORS[kind]]


@pytest.mark.parametrize(("kind", "case"), CASES,
                         ids=[f"{kind}-{case['lang']}:{case['in']}" for kind, case in CASES])
def test_python_gives_the_vector_files_answers(kind, case):
    assert ANSWERS[kind](case["in"], case["lang"]) == case["out"]


def test_tagalog_stemmer_accuracy_on_the_root_table():
    rows = tagalog_roots()
    assert len(rows) >= 100
    # The separator splits hyphenated words (mag-aral), so search stems the last part.
    right = sum(stem(fold(word.split("-")[-1], "tl"), "tl") == root for word, root in rows)
    assert right / len(rows) >= MIN_STEMMER_ACCURACY, f"{right}/{len(rows)}"


@pytest.fixture(scope="module")
def javascript(browser):
    """analysis.js, loaded with the build's rules into a blank Chromium page."""
    page = browser.new_page()
    page.add_script_tag(content=ANALYSIS_JS)
    page.evaluate(f"window.analysis = HinahonAnalysis.create({rules_json()})")
    yield page
    page.close()


@pytest.mark.browser
def test_javascript_gives_the_vector_files_answers(javascript):
    got = javascript.evaluate(
        """(vectors) => ({
            fold: vectors.fold.map(c => analysis.fold(c.in, c.lang)),
            stem: vectors.stem.map(c => analysis.stem(c.in, c.lang)),
            query: vectors.query.map(c => analysis.analyzeQuery(c.in, c.lang)),
        })""",
        VECTORS,
    )
    for kind in ("fold", "stem", "query"):
        expected = [case["out"] for case in VECTORS[kind]]
        wrong = [(case["in"], g) for case, g in zip(VECTORS[kind], got[kind]) if g != case["out"]]
        assert got[kind] == expected, f"{kind}: {wrong}"


@pytest.mark.browser
def test_javascript_stems_every_table_word_as_python_does(javascript):
    words = [fold(word.split("-")[-1], "tl") for word, _ in tagalog_roots()]
    from_js = javascript.evaluate("(words) => words.map(w => analysis.stem(w, 'tl'))", words)
    from_python = [stem(word, "tl") for word in words]
    differ = [(w, p, j) for w, p, j in zip(words, from_python, from_js) if p != j]
    assert differ == []
