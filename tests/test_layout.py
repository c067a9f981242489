"""generator/layout.py is the one declaration of the site's layout: every stage
derives from it, so each test here walks every kind and file it declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LANGS, TINY_TREE, run_cli

from generator import layout
from generator.content import read_content
from generator.layout import FILES, KINDS, SHEETS
from generator.link import KnowledgeBase
from generator.load import load_tree
from generator.model import Entry, UiLabels
from generator.problems import Problems
from generator.render import TEMPLATES, Renderer

ENTRY_OF = {rel.split("/")[0]: rel for rel in TINY_TREE if "/" in rel}


def test_the_tiny_tree_has_one_entry_of_every_kind():
    # Otherwise the tests below would skip a kind without saying so.
    assert set(ENTRY_OF) == {kind.folder for kind in KINDS}


def test_names_folders_and_keys_are_each_declared_once():
    for attribute in ("name", "folder", "key"):
        values = [getattr(kind, attribute) for kind in KINDS]
        assert len(values) == len(set(values)), attribute
    names = [kind.folder for kind in KINDS] + [single.name for single in FILES] + [SHEETS]
    assert len(names) == len(set(names))
    pages = [kind.page() for kind in KINDS] + [s.page for s in FILES if s.page]
    assert len(pages) == len(set(pages))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_has_its_heading_model_and_template(kind):
    assert kind.key in UiLabels.model_fields, f"UiLabels needs a '{kind.key}' heading"
    assert issubclass(kind.model, Entry)
    assert (TEMPLATES / kind.template).is_file()


@pytest.mark.parametrize("single", [s for s in FILES if s.key], ids=lambda s: s.name)
def test_every_file_with_a_page_has_its_heading_and_template(single):
    assert single.key in UiLabels.model_fields
    assert (TEMPLATES / single.template).is_file()
    assert single.key in KnowledgeBase.__dataclass_fields__


def test_the_loader_reads_every_declared_folder_and_file(content: Path):
    tree = load_tree(content, problems := Problems())
    assert not problems
    assert set(tree.collections) == {kind.folder for kind in KINDS}
    for kind in KINDS:
        assert [doc.path.name for doc in tree.collections[kind.folder]] == [
            Path(ENTRY_OF[kind.folder]).name]
    assert set(tree.singles) == {s.name for s in FILES if s.name in TINY_TREE}


def test_a_missing_required_file_is_named_with_what_it_is_for(content: Path):
    for single in FILES:
        if single.required:
            (content / single.name).unlink()
    tree = load_tree(content, problems := Problems())
    messages = [p.message for p in problems.sorted()]
    for single in FILES:
        if single.required:
            assert f"missing: {single.name} {single.about}" in messages


def test_an_unexpected_name_lists_every_declared_folder_and_file(content: Path):
    (content / "notes").mkdir()
    problems = Problems()
    load_tree(content, problems)
    [problem] = problems.sorted()
    for name in [f"{kind.folder}/" for kind in KINDS] + [s.name for s in FILES]:
        assert name in problem.message


def test_every_kind_becomes_a_section_of_pages_in_every_language(content: Path):
    kb = read_content(content)
    assert set(kb.entries) == {kind.key for kind in KINDS}
    renderer = Renderer(kb)
    for lang in LANGS:
        pages = {page.path: page for page in renderer.pages(lang)}
        nav = renderer.nav(lang)
        labels = kb.language(lang).labels
        for kind in KINDS:
            entry_id = Path(ENTRY_OF[kind.folder]).stem
            assert pages[kind.page(entry_id)].source == kind.source(entry_id)
            assert kind.page() in pages
            heading = getattr(labels, kind.key)
            [section] = [item[heading] for item in nav if isinstance(item, dict) and heading in item]
            assert section == [kind.page(), kind.page(entry_id)]
        sheets = [path for path in pages if path.startswith(f"{SHEETS}/")]
        expected = {layout.sheet_page(), layout.sheet_page(layout.POCKET_SUMMARY)} | {
            layout.sheet_page(sheet) for kind in KINDS
            for sheet, _, _ in layout.sheet_ids(kind, kb.entries[kind.key])}
        assert set(sheets) == expected


def test_only_kinds_with_sheets_reserve_sheet_names():
    for kind in KINDS:
        assert layout.reserved(kind, layout.INDEX_PAGE, set())
        taken = layout.reserved(kind, layout.POCKET_SUMMARY, set())
        bilingual = layout.reserved(kind, "a" + layout.BILINGUAL, {"a"})
        assert bool(taken) == bool(bilingual) == kind.sheets
        assert layout.reserved(kind, "a" + layout.BILINGUAL, set()) is None


def test_check_counts_every_kind(tmp_path: Path, content: Path):
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for kind in KINDS:
        assert f"1 {kind.plural}" in result.stdout
    assert "1 phrases" in result.stdout
