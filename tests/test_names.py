"""Names the site builds pages from: ids that would replace a page, theme languages,
titles and labels short enough to show, and the phrases each cheat sheet shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CUSTOMER_TYPE_YAML, TINY_TREE, write
from generator.content import read_content
from generator.load import COLLECTIONS
from generator.layout import BILINGUAL, KIND_BY_FOLDER, INDEX_PAGE, POCKET_SUMMARY
from generator.model import MAX_TITLE
from generator.render import Renderer
from generator.validate import material_languages
from test_validate import edit, line_of, problems_of

ENTRY_FILES = {rel.split("/")[0]: rel for rel in TINY_TREE if "/" in rel}


@pytest.mark.parametrize("folder", COLLECTIONS)
def test_an_entry_named_index_would_replace_its_section_page(content: Path, folder: str):
    (content / ENTRY_FILES[folder]).rename(content / folder / f"{INDEX_PAGE}.yaml")
    messages = problems_of(content)
    assert any(m.endswith(f"{folder}/index.yaml:1:1: error: file name 'index.yaml' is reserved: "
                          f"{folder}/index is the page listing the section's entries; rename "
                          "the file") for m in messages), messages


@pytest.mark.parametrize("stem, page", [
    (POCKET_SUMMARY, "cheatsheets/pocket-summary/ is the pocket summary of every customer type"),
    (f"angry{BILINGUAL}", "cheatsheets/angry-bilingual/ is the bilingual cheat sheet of "
                          "customer type 'angry'"),
])
def test_a_customer_type_named_like_a_sheet(content: Path, stem: str, page: str):
    write(content / f"customer-types/{stem}.yaml", CUSTOMER_TYPE_YAML)
    [message] = problems_of(content)
    assert message.endswith(f"customer-types/{stem}.yaml:1:1: error: file name '{stem}.yaml' is "
                            f"reserved: {page}; rename the file")


@pytest.mark.parametrize("folder", [f for f in COLLECTIONS if f != "customer-types"])
def test_sheet_names_are_free_in_other_kinds(content: Path, folder: str):
    # Only customer types have sheets: a tactic may be called pocket-summary.
    (content / ENTRY_FILES[folder]).rename(content / folder / f"{POCKET_SUMMARY}.yaml")
    if folder == "tactics":  # the type's reference to stay-calm now dangles, and only that
        [message] = problems_of(content)
        assert "no tactic with id 'stay-calm'" in message
    else:
        kb = read_content(content)
        assert POCKET_SUMMARY in kb.entries[KIND_BY_FOLDER[folder].key]


def test_a_bilingual_name_without_its_type_is_free(content: Path):
    (content / "customer-types/angry.yaml").rename(content / "customer-types/calm-bilingual.yaml")
    assert list(read_content(content).customer_types) == ["calm-bilingual"]


def test_the_installed_materials_languages_are_found():
    languages = material_languages()
    assert {"en", "tl", "az", "pt-BR"} <= languages
    assert "xx" not in languages


@pytest.mark.parametrize("bad, suggestion", [("tagalog", None), ("pt-br", "pt-BR"), ("azz", "az")])
def test_a_theme_language_material_does_not_ship(content: Path, bad: str, suggestion: str | None):
    languages = content / "languages.yaml"
    edit(languages, "theme_language: az", f"theme_language: {bad}")
    line = line_of(languages, f"theme_language: {bad}")
    [message] = problems_of(content)
    assert f"languages.yaml:{line}:5: error: languages[1].theme_language: '{bad}' is not a " \
           "language Material for MkDocs ships" in message
    assert (f"(did you mean '{suggestion}'?)" in message) == (suggestion is not None)


# --- titles and labels short enough to show ----------------------------------

TITLES = [
    ("tactics/stay-calm.yaml", "  en: Stay calm", "title.en"),
    ("guides/basics.yaml", "    en: First", "sections[0].heading.en"),
    ("sources.yaml", "      en: First article", "sources[0].title.en"),
    ("languages.yaml", "    site_name: Site Name EN", "languages[2].labels.site_name"),
    ("languages.yaml", "    name: English", "languages[2].name"),
    ("languages.yaml", "    native_name: Azərbaycanca", "languages[1].native_name"),
]


@pytest.mark.parametrize("rel, line, where", TITLES)
def test_a_title_or_label_too_long_to_show(content: Path, rel: str, line: str, where: str):
    key, value = line.split(": ", 1)
    long = "x" * (MAX_TITLE + 1)
    edit(content / rel, line, f"{key}: {long}")
    at = line_of(content / rel, long)
    shown = (content / rel).read_text().splitlines()[at - 1]
    column = shown.index(key.strip()) + 1
    [message] = problems_of(content)
    assert message.endswith(
        f"{rel}:{at}:{column}: error: {where}: {MAX_TITLE + 1:,} characters; a title or label is "
        f"at most {MAX_TITLE} characters, as it is shown in navigation, tabs and search "
        "results: put the rest in the summary or the text"), message
    assert long not in message


@pytest.mark.parametrize("rel, line, where", TITLES)
def test_a_title_at_the_limit_is_fine(content: Path, rel: str, line: str, where: str):
    key, _ = line.split(": ", 1)
    edit(content / rel, line, f"{key}: {'x' * MAX_TITLE}")
    read_content(content)


def test_a_glossary_term_too_long(content: Path):
    write(content / "glossary.yaml", f"terms:\n  - id: calm\n    term:\n      en: {'x' * 201}\n"
                                     "    definition:\n      en: Being calm.\n")
    [message] = problems_of(content)
    assert "glossary.yaml:4:7: error: terms[0].term.en: 201 characters" in message


# --- the phrases each sheet shows ----------------------------------------------


def test_a_customer_type_without_cheat_sheet_shows_its_first_four_phrases(content: Path):
    bank = content / "phrases/greetings.yaml"
    body = bank.read_text()
    phrase = body[body.index("  - id: calm-greeting"):]
    ids = ["calm-greeting"] + [f"extra-{i}" for i in range(5)]
    bank.write_text(body + "".join(phrase.replace("calm-greeting", pid) for pid in ids[1:]))
    edit(content / "customer-types/angry.yaml", "phrases:\n  - calm-greeting\ncheat_sheet:\n  - calm-greeting\n",
         "phrases:\n" + "".join(f"  - {pid}\n" for pid in ids))
    kb = read_content(content)
    assert kb.customer_types["angry"].cheat_sheet == []
    assert kb.sheet_phrases == {"angry": ids[:4]}
    pages = {page.path: page.text for page in Renderer(kb).pages("en")}
    assert pages["cheatsheets/angry/index.md"].count("hinahon-sheet-phrase") == 4
    assert "Good day." in pages["cheatsheets/pocket-summary/index.md"]


def test_a_cheat_sheet_chooses_the_sheets_phrases(content: Path):
    kb = read_content(content)
    assert kb.sheet_phrases == {"angry": ["calm-greeting"]}
