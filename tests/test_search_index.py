"""generator/search/index.py and its place in the build: pages cut into
sections, analysed into terms, written as one script per language with the
engine beside it, read back by serve, and checked against the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASE_CONFIG, TINY_TREE, write

from generator import build as build_module
from generator.search.index import FORMAT, INDEX_FILE, SearchIndex, SearchSetupError, page_sections
from test_search_analysis import RULES

ENGINE = {"index.js", "text", "analysis.js", "worker.js", "minisearch.js", "LICENSES.txt"}


def _index_data(site: Path, lang: str) -> dict:
    text = (site / lang / "search" / INDEX_FILE).read_text("utf-8")
    prefix = "self.HinahonIndex = "
    assert text.startswith(prefix)
    return json.loads(text[len(prefix):])


def test_a_page_is_cut_at_its_headings_with_their_anchors():
    html = ('<h1 id="title">The angry customer</h1><p>Opening &amp; more.</p>'
            '<h2 id="signs">Signs <a href="#signs">¶</a></h2><ul><li>Raised</li><li>voice</li></ul>'
            '<script>not(text)</script><style>p{}</style>'
            '<h3 id="deeper">Deeper</h3><p>Last<br>line</p><h4>Small</h4><p>still deeper</p>')
    sections = page_sections(html, "The angry customer")
    assert [(s.anchor, s.title) for s in sections] == [
        ("", "The angry customer"), ("signs", "Signs ¶"), ("deeper", "Deeper")]
    assert sections[0].text == "Opening & more."
    assert sections[1].text == "Raised voice"
    # h4 and below stay inside their section; scripts and styles are no text.
    assert sections[2].text == "Last line Small still deeper"
    assert all("not(text)" not in s.text and "p{}" not in s.text for s in sections)


def test_a_page_without_headings_is_one_section_and_an_empty_one_none():
    assert [(s.anchor, s.text) for s in page_sections("<p>Only text</p>", "T")] == [("", "Only text")]
    assert [(s.anchor, s.title, s.text) for s in page_sections("", "T")] == [("", "T", "")]


def _terms(data: dict, ids: str) -> list[str]:
    return [data["terms"][int(i, 36)] for i in ids.split()]


def test_terms_are_the_languages_own_and_the_index_reads_back(tmp_path: Path):
    index = SearchIndex(RULES["en"])
    index.add_page("customer-types/angry/", "The angry customer",
                   "<h1>The angry customer</h1><p>Customers shouting.</p><h2 id='do'>Do</h2><p>Stay calm</p>")
    index.add_page("tactics/stay-calm/", "Stay calm", "<p>Breathe calm</p>")
    data, texts = index.data()
    assert data["format"] == FORMAT and data["lang"] == "en"
    assert data["pages"] == [["customer-types/angry/", "The angry customer"], ["tactics/stay-calm/", "Stay calm"]]
    top, do, calm = data["docs"]
    assert top[:3] == [0, "", "The angry customer"]
    # Title and text terms: folded form then stem, stop words ("the") left out, each term once.
    assert _terms(data, top[3]) == ["angry", "angri", "customer", "custom"]
    assert _terms(data, top[4]) == ["customers", "custom", "shouting", "shout"]
    assert len(data["terms"]) == len(set(data["terms"]))
    assert do[:3] == [0, "do", "Do"] and calm[0] == 1 and _terms(data, calm[4]) == ["breathe", "breath", "calm"]
    # The texts are apart from the index, in doc order.
    assert texts == [["Customers shouting.", "Stay calm", "Breathe calm"]]
    written = index.write(tmp_path)
    assert written == (tmp_path / INDEX_FILE).stat().st_size
    assert (tmp_path / "text" / "0.js").read_text("utf-8").startswith("self.HinahonTexts[0] = [")
    again = SearchIndex.read(tmp_path, RULES["en"])
    assert again.data() == (data, texts)
    again.remove_page("customer-types/angry/")
    assert [page for page, _ in again.data()[0]["pages"]] == ["tactics/stay-calm/"]


def test_texts_go_in_files_of_ten_pages(tmp_path: Path):
    index = SearchIndex(RULES["tl"])
    for number in range(23):
        index.add_page(f"page-{number}/", f"Pahina {number}", f"<p>salita {number}</p><h2 id='a'>A</h2><p>x</p>")
    index.write(tmp_path)
    files = sorted((tmp_path / "text").iterdir())
    assert [f.name for f in files] == ["0.js", "1.js", "2.js"]
    assert SearchIndex.read(tmp_path, RULES["tl"]).data() == index.data()
    # A file that is gone is named, not skipped.
    (tmp_path / "text" / "1.js").unlink()
    with pytest.raises(SearchSetupError, match=r"index\.js"):
        SearchIndex.read(tmp_path, RULES["tl"])


def test_the_porter_stemmer_goes_only_with_the_rules_that_name_it(tmp_path: Path):
    from generator.search.index import write_engine

    for code, rules in RULES.items():
        write_engine(tmp_path / code, rules)
        analysis = (tmp_path / code / "analysis.js").read_text("utf-8")
        assert ("var porterStemmer" in analysis) == (rules["stemmer"] == "porter"), code
    assert RULES["en"]["stemmer"] == "porter"


@pytest.mark.parametrize("written", ["", "self.HinahonIndex = {not json", 'self.HinahonIndex = {"format": 99}'])
def test_an_index_that_cannot_be_read_back_says_which_and_why(tmp_path: Path, written: str):
    (tmp_path / INDEX_FILE).write_text(written, "utf-8")
    with pytest.raises(SearchSetupError, match=r"index\.js"):
        SearchIndex.read(tmp_path, RULES["tl"])


def test_every_language_gets_its_index_and_engine_and_materials_index_is_gone(tmp_path: Path):
    for rel, body in TINY_TREE.items():
        write(tmp_path / "content" / rel, body)
    site = tmp_path / "site"
    report = build_module.build(tmp_path / "content", site, BASE_CONFIG, pdfs=False)
    assert report.stages["search"] > 0
    for result in report.languages:
        folder = site / result.code / "search"
        # Each beside its .gz and .br where it is over 1 KB (generator/compress.py).
        assert {p.name for p in folder.iterdir() if p.suffix not in (".gz", ".br")} == ENGINE
        assert result.search_bytes == (folder / INDEX_FILE).stat().st_size
        data = _index_data(site, result.code)
        assert data["lang"] == result.code
        pages = [url for url, _ in data["pages"]]
        # Every page but the sheets and the pocket summary, which repeat others.
        built = {p.relative_to(site / result.code).parent.as_posix() + "/"
                 for p in (site / result.code).rglob("index.html")}
        expected = {("" if u == "./" else u) for u in built
                    if not u.startswith("cheatsheets/") or u == "cheatsheets/"}
        assert set(pages) == expected - {"cheatsheets/pocket-summary/"}
        # Titles as a reader reads them: no entity left from the page's front matter.
        assert all("&#" not in title and "&amp;" not in title for _, title in data["pages"])
        analysis = (folder / "analysis.js").read_text("utf-8")
        assert f'"lang": "{result.code}"' in analysis
        # The Porter stemmer goes only where the language's rules name it (none do here).
        assert '"stemmer": "none"' in analysis and "var porterStemmer" not in analysis
