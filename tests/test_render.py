from pathlib import Path

from test_validate import edit
from generator.content import read_content
from generator.render import Renderer


def pages_by_path(content: Path, lang: str) -> dict[str, str]:
    return {page.path: page.text for page in Renderer(read_content(content)).pages(lang)}


def test_every_kind_of_page_is_rendered_with_the_same_paths_in_every_language(content: Path):
    paths = {lang: set(pages_by_path(content, lang)) for lang in ("tl", "az", "en")}
    assert paths["tl"] == paths["az"] == paths["en"] == {
        "index.md",
        "customer-types/index.md", "customer-types/angry.md",
        "tactics/index.md", "tactics/stay-calm.md",
        "phrases/index.md", "phrases/greetings.md",
        "guides/index.md", "guides/basics.md",
    }


def test_each_language_gets_its_own_text(content: Path):
    tl = pages_by_path(content, "tl")["tactics/stay-calm.md"]
    az = pages_by_path(content, "az")["tactics/stay-calm.md"]
    assert tl.startswith("# Manatiling kalmado\n")
    assert az.startswith("# Sakit qalın\n")
    assert "Sakit" not in tl


def test_raw_html_in_content_is_escaped(content: Path):
    edit(content / "tactics/stay-calm.yaml", "  en: Keep calm.", "  en: Keep <script>alert(1)</script> & calm.")
    page = pages_by_path(content, "en")["tactics/stay-calm.md"]
    assert "<script>" not in page
    assert "Keep &lt;script&gt;alert(1)&lt;/script&gt; &amp; calm." in page


def test_cross_links_are_relative_md_links_mkdocs_can_check(content: Path):
    pages = pages_by_path(content, "en")
    customer_type = pages["customer-types/angry.md"]
    assert "](../tactics/stay-calm.md)" in customer_type
    assert "](../phrases/greetings.md#calm-greeting)" in customer_type
    # The reverse link is computed: the tactic names the type that uses it.
    assert "[Angry customer](../customer-types/angry.md)" in pages["tactics/stay-calm.md"]


def test_multi_line_list_items_stay_inside_their_item(content: Path):
    edit(content / "customer-types/angry.yaml", "    en: Listen.", "    en: |-\n      Listen.\n      Then answer.")
    page = pages_by_path(content, "en")["customer-types/angry.md"]
    assert "- Listen.\n  Then answer.\n" in page


def test_nav_titles_are_in_the_pages_language(content: Path):
    nav = Renderer(read_content(content)).nav("az")
    assert nav[0] == "index.md"
    assert nav[1] == {"Customer Types AZ": ["customer-types/index.md", "customer-types/angry.md"]}


def test_a_list_right_after_a_paragraph_line_becomes_a_list(content: Path):
    edit(content / "guides/basics.yaml", "      en: Text.",
         "      en: |-\n        For example:\n        - first\n        - second")
    page = pages_by_path(content, "en")["guides/basics.md"]
    assert "For example:\n\n- first\n- second\n" in page
