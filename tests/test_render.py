from pathlib import Path

from test_validate import edit
from conftest import write
import json

from generator.content import read_content
from generator.render import Renderer
from generator.safe import CONTENT_BEGIN, CONTENT_END


def pages_by_path(content: Path, lang: str) -> dict[str, str]:
    """Each page's content: what lies between the sanitizer's markers."""
    return {page.path: body(page.text) for page in Renderer(read_content(content)).pages(lang)}


def body(text: str) -> str:
    assert text.count(CONTENT_BEGIN) == 1 and text.count(CONTENT_END) == 1
    return text.split(CONTENT_BEGIN)[1].split(CONTENT_END)[0].strip() + "\n"


def front_matter(text: str) -> list[str]:
    assert text.startswith("---\n")
    return text[4:].split("\n---\n")[0].split("\n")


def test_every_page_states_its_title_first_in_its_front_matter(content: Path):
    edit(content / "tactics/stay-calm.yaml", "  en: Stay calm", '  en: "Stay <calm> & \\"collected\\""')
    for lang in ("tl", "az", "en"):
        for page in Renderer(read_content(content)).pages(lang):
            title = front_matter(page.text)[0]
            assert title.startswith("title: "), page.path
            heading = body(page.text).split("\n")[0]
            assert heading.startswith("# "), page.path
            if page.path == "index.md":
                # The home page asks the reader's question; its title is the site's name.
                assert json.loads(title[7:]) == read_content(content).language(lang).labels.site_name
            elif page.path.startswith("cheatsheets/") and page.path.count("/") == 2 \
                    and page.path != "cheatsheets/pocket-summary/index.md":
                # A type's sheet: its heading is the type's, its title says which sheet.
                labels = read_content(content).language(lang).labels
                name = labels.bilingual_sheet if "-bilingual" in page.path else labels.cheat_sheet
                assert json.loads(title[7:]) == f"{heading[2:]} · {name}", page.path
            else:
                assert json.loads(title[7:]) in heading, page.path
    page = next(p for p in Renderer(read_content(content)).pages("en") if p.path == "tactics/stay-calm.md")
    assert front_matter(page.text)[0] == 'title: "Stay &#60;calm&#62; &#38; &#34;collected&#34;"'


def test_every_kind_of_page_is_rendered_with_the_same_paths_in_every_language(content: Path):
    paths = {lang: set(pages_by_path(content, lang)) for lang in ("tl", "az", "en")}
    assert paths["tl"] == paths["az"] == paths["en"] == {
        "index.md",
        "customer-types/index.md", "customer-types/angry.md",
        "tactics/index.md", "tactics/stay-calm.md",
        "phrases/index.md", "phrases/greetings.md",
        "guides/index.md", "guides/basics.md",
        "cheatsheets/index.md", "cheatsheets/angry/index.md",
        "cheatsheets/angry-bilingual/index.md", "cheatsheets/pocket-summary/index.md",
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
    # A second phrase, not on the sheet: the page lists it below the four, linked to its bank.
    edit(content / "phrases/greetings.yaml", "phrases:\n", "phrases:\n  - id: polite-goodbye\n"
         "    text: {tl: Paalam po., az: Sağ olun., en: Goodbye.}\n"
         "    when: {tl: Sa dulo., az: Sonda., en: At the end.}\n")
    edit(content / "customer-types/angry.yaml", "phrases:\n  - calm-greeting\n",
         "phrases:\n  - calm-greeting\n  - polite-goodbye\n")
    pages = pages_by_path(content, "en")
    customer_type = pages["customer-types/angry.md"]
    assert "](../tactics/stay-calm.md)" in customer_type
    assert "[Greetings](../phrases/greetings.md#polite-goodbye)" in customer_type
    # The sheet's phrase is said once, at the top, not again in the list below.
    assert customer_type.count("Good day.") == 1
    assert customer_type.index("Good day.") < customer_type.index("Goodbye.")
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


def test_untranslated_text_falls_back_to_english_with_a_notice_in_the_readers_language(
        content: Path):
    tactic = content / "tactics/stay-calm.yaml"
    edit(tactic, "  az: Sakit qalın\n", "")          # title
    edit(tactic, "  az: Sakitlik yoluxur.\n", "")    # why: a block
    edit(tactic, "    az: Nəfəs alın.\n", "")        # a step: inline
    page = pages_by_path(content, "az")["tactics/stay-calm.md"]
    labels = read_content(content).language("az").labels
    title, notice = page.splitlines()[0], page.splitlines()[2]
    assert title == '# Stay calm {: lang="en" }'
    assert notice == f'<p class="hinahon-untranslated-page">{labels.untranslated_page}</p>'
    assert ('<div class="hinahon-untranslated" lang="en" markdown>\n'
            f'<p class="hinahon-untranslated-mark" lang="az">{labels.untranslated_mark}</p>\n\n'
            "Calm is catching.\n\n</div>") in page
    assert ('1. <span class="hinahon-untranslated" lang="en">Breathe.</span>'
            f'<sup class="hinahon-untranslated-mark" lang="az">{labels.untranslated_mark}</sup>'
            ) in page
    # Texts that are translated stay as they are, and other pages get no notice.
    assert "Sakit olun." in page
    assert "hinahon-untranslated" not in pages_by_path(content, "az")["guides/basics.md"]
    assert "hinahon-untranslated" not in pages_by_path(content, "tl")["tactics/stay-calm.md"]


def test_home_page_asks_the_question_and_shows_a_card_per_customer_type(content: Path):
    home = pages_by_path(content, "tl")["index.md"]
    labels = read_content(content).language("tl").labels
    assert home.startswith(f"# {labels.home_question}\n")
    # The rest of the site is a tap away: sheets, pocket summary, phrases, glossary.
    for target in ("cheatsheets/index.md", "cheatsheets/pocket-summary/index.md", "phrases/index.md",
                   "phrases/greetings.md", "tactics/index.md", "guides/index.md"):
        assert f"]({target})" in home, target
    # The glossary is optional: linked when there is one, never to a missing page.
    assert "](glossary.md)" not in home
    write(content / "glossary.yaml", "terms:\n  - id: calm\n    term: {tl: kalmado, az: sakit, en: calm}\n"
          "    definition: {tl: Tahimik., az: Sakit., en: Quiet.}\n")
    assert "](glossary.md)" in pages_by_path(content, "tl")["index.md"]
    assert '<div class="hinahon-cards" markdown>' in home
    assert home.count('<div class="hinahon-card" markdown>') == 1
    assert "[**Galit na customer**](customer-types/angry.md)" in home


def test_the_guides_a_type_lists_are_linked_inside_its_help_box(content: Path):
    edit(content / "customer-types/angry.yaml", "signs:", "can_turn_dangerous: true\nsigns:")
    edit(content / "customer-types/angry.yaml", "sources:", "guides:\n  - basics\nsources:")
    edit(content / "guides/basics.yaml", "sections:", "safety: true\nsections:")
    for lang, title in (("tl", "Gabay"), ("az", "Bələdçi"), ("en", "Guide")):
        page = pages_by_path(content, lang)["customer-types/angry.md"]
        box = page.split('<div class="hinahon-help hinahon-help--danger" markdown>')[1].split("</div>")[0]
        assert f'<p class="hinahon-help-guide" markdown>[{title}](../guides/basics.md)</p>' in box, box
    # Without guides, the box holds no guide line.
    edit(content / "customer-types/angry.yaml", "guides:\n  - basics\n", "")
    edit(content / "customer-types/angry.yaml", "can_turn_dangerous: true\n", "")
    assert "hinahon-help-guide" not in pages_by_path(content, "en")["customer-types/angry.md"]
