"""`serve`'s partial rebuilds (generator/incremental.py) make the same site a full
build makes, page for page, and redo only what a change touched."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from conftest import BASE_CONFIG, LANGS, TINY_TREE, write

from generator.build import BuildError, build
from generator.content import read_content
from generator.incremental import Session, affected, changes
from generator.memo import ContentMemo
from generator.problems import ContentError
from generator.render import Renderer

# (file, text as in the tiny tree, text after the change): one change of each
# kind of value in each kind of file.
EDITS = {
    "type-sign": ("customer-types/angry.yaml", "A loud voice.", "A raised, shaking voice."),
    "type-title": ("customer-types/angry.yaml", "Angry customer", "Furious customer"),
    "type-tl": ("customer-types/angry.yaml", "Galit siya.", "Galit na galit siya."),
    "tactic-step": ("tactics/stay-calm.yaml", "Breathe.", "Breathe out slowly."),
    "tactic-title": ("tactics/stay-calm.yaml", "Stay calm", "Keep your calm"),
    "phrase": ("phrases/greetings.yaml", "Good day.", "Good morning to you."),
    "phrase-az": ("phrases/greetings.yaml", "Xoş gördük.", "Xoş gəlmisiniz."),
    "guide-body": ("guides/basics.yaml", "body:\n      tl: Teksto.", "body:\n      tl: Bagong teksto."),
    "source-title": ("sources.yaml", "First article", "The first article"),
}


def _tree(root: Path) -> Path:
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    return root / "content"


def _edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _site(site: Path) -> dict[str, object]:
    """Every page of a site, and each language's search index with its entries in one order."""
    found: dict[str, object] = {}
    for path in sorted(site.rglob("*.html")):
        found[path.relative_to(site).as_posix()] = path.read_text("utf-8")
    for lang in LANGS:
        for path in sorted((site / lang / "search").rglob("*.*")):
            if path.suffix in (".gz", ".br"):
                continue  # made by a full build only (generator/compress.py)
            found[path.relative_to(site).as_posix()] = path.read_text("utf-8")
    return found


def _same_as_a_full_build(content: Path, site: Path, tmp: Path) -> None:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build(content, fresh, BASE_CONFIG, pdfs=False)
    ours, theirs = _site(site), _site(fresh)
    assert ours.keys() == theirs.keys()
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []


def _pages_are_what_a_full_render_makes(session: Session) -> None:
    """The cheaper check, after every step: each page's Markdown, as kept and as on
    disk for MkDocs, is what rendering the content afresh gives."""
    renderer = Renderer(read_content(session.content), session.renderer.site_url,
                        session.renderer.content_date, pdfs=False,
                        file_dates=session.renderer.file_dates)
    for lang, kept in session.pages.items():
        fresh = {page.path: page.text for page in renderer.pages(lang)}
        assert {path: page.text for path, page in kept.items()} == fresh
        on_disk = session.sources / lang / "docs"
        assert [p for p, text in fresh.items() if (on_disk / p).read_text("utf-8") != text] == []


@pytest.fixture
def session(tmp_path: Path) -> Session:
    session = Session(_tree(tmp_path), tmp_path / "site", BASE_CONFIG, sources=tmp_path / "src")
    assert session.full().full
    return session


def test_each_change_is_redone_in_part_and_the_site_is_what_a_full_build_makes(
        session: Session, tmp_path: Path):
    # One session through every edit: after each, every page's Markdown is checked
    # against a fresh render; the HTML against a full build at the end of each pass.
    for edit, (rel, old, new) in EDITS.items():
        before = _site(session.out)
        _edit(session.content, rel, old, new)
        outcome = session.update()
        assert not outcome.full, edit
        after = _site(session.out)
        changed = [name for name in after if after[name] != before[name]]
        # Something changed, and far from everything did.
        assert 0 < outcome.pages and changed, edit
        assert len([n for n in changed if n.endswith(".html")]) < len(before) // 2, edit
        _pages_are_what_a_full_render_makes(session)
    _same_as_a_full_build(session.content, session.out, tmp_path)
    # And back, undoing each in turn.
    for rel, old, new in EDITS.values():
        _edit(session.content, rel, new, old)
        assert not session.update().full
        _pages_are_what_a_full_render_makes(session)
    _same_as_a_full_build(session.content, session.out, tmp_path)


def test_saving_a_file_unchanged_redoes_nothing(session: Session):
    before = _site(session.out)
    path = session.content / "tactics/stay-calm.yaml"
    path.write_text(path.read_text("utf-8"), "utf-8")
    assert session.update().pages == 0
    assert _site(session.out) == before


def test_a_change_of_structure_is_a_full_build(session: Session, tmp_path: Path):
    content = session.content
    steps = {
        "add": lambda: write(content / "tactics/breathe.yaml", TINY_TREE["tactics/stay-calm.yaml"]),
        # "breathe" sorts before "stay-calm" until its order says otherwise.
        "reorder": lambda: _edit(content, "tactics/breathe.yaml", "title:", "order: 200\ntitle:"),
        "remove": lambda: (content / "guides/basics.yaml").unlink(),
        "languages": lambda: _edit(content, "languages.yaml", "Site Name EN", "Another name"),
    }
    # Each step is seen as a change of structure; the first is also built, in full.
    before = read_content(content)
    for name, step in steps.items():
        step()
        after = read_content(content)
        assert changes(before, after) is None, name
        before = after
        if name == "add":
            assert session.update().full
            _pages_are_what_a_full_render_makes(session)
    assert session.update().full
    _pages_are_what_a_full_render_makes(session)
    _same_as_a_full_build(content, session.out, tmp_path)


def test_a_content_error_leaves_the_site_and_the_next_change_starts_from_it(
        session: Session, tmp_path: Path):
    before = _site(session.out)
    _edit(session.content, "tactics/stay-calm.yaml", "steps:", "stepz:")
    with pytest.raises(ContentError):
        session.update()
    assert _site(session.out) == before
    _edit(session.content, "tactics/stay-calm.yaml", "stepz:", "steps:")
    _edit(session.content, "tactics/stay-calm.yaml", "Breathe.", "Breathe in.")
    assert not session.update().full
    _same_as_a_full_build(session.content, session.out, tmp_path)


def test_a_page_mkdocs_refuses_leaves_every_language_as_it_was(session: Session, tmp_path: Path,
                                                               monkeypatch):
    before = _site(session.out)
    sources = {p: p.read_text("utf-8") for p in sorted((tmp_path / "src").rglob("*.md"))}
    # `check` leaves MkDocs nothing in content to refuse (generator/page_links.py), so
    # MkDocs is made to warn about the English page, as strict mode would fail it.
    from mkdocs.commands import build as mkdocs_build
    populate = mkdocs_build._populate_page

    def warning_on_english_angry(page, config, files, *args, **kwargs):
        populate(page, config, files, *args, **kwargs)
        if page.file.src_uri == "customer-types/angry.md" and Path(config.site_dir).name == "en":
            logging.getLogger("mkdocs.structure.pages").warning("Doc file 'customer-types/angry.md' "
                                                               "contains a link 'x', a made-up warning")

    monkeypatch.setattr(mkdocs_build, "_populate_page", warning_on_english_angry)
    _edit(session.content, "customer-types/angry.yaml", "A loud voice.", "A loud, loud voice.")
    with pytest.raises(BuildError, match=r"\[en\].*made-up warning"):
        session.update()
    assert _site(session.out) == before
    assert {p: p.read_text("utf-8") for p in sources} == sources
    monkeypatch.setattr(mkdocs_build, "_populate_page", populate)
    _edit(session.content, "customer-types/angry.yaml", "A loud, loud voice.", "Loud.")
    assert not session.update().full
    _same_as_a_full_build(session.content, session.out, tmp_path)


def test_only_changed_files_are_read_again(tmp_path: Path):
    content = _tree(tmp_path)
    memo = ContentMemo()
    first = read_content(content, memo)
    assert memo.reads == len(TINY_TREE)
    assert read_content(content, memo) == first and memo.reads == len(TINY_TREE)
    _edit(content, "tactics/stay-calm.yaml", "Breathe.", "Breathe in.")
    second = read_content(content, memo)
    assert memo.reads == len(TINY_TREE) + 1
    assert second.tactics["stay-calm"] != first.tactics["stay-calm"]
    assert second.customer_types == first.customer_types
    # A file with an error reports it every time, read again or not.
    _edit(content, "guides/basics.yaml", "sections:", "sektions:")
    for _ in range(2):
        with pytest.raises(ContentError) as raised:
            read_content(content, memo)
        assert any("unknown field 'sektions'" in p.message for p in raised.value.problems)


def test_what_changed_is_named_by_collection_and_key(tmp_path: Path):
    content = _tree(tmp_path)
    old = read_content(content)
    _edit(content, "phrases/greetings.yaml", "Good day.", "Hello.")
    new = read_content(content)
    changed = changes(old, new)
    assert ("phrases", "calm-greeting") in changed and ("phrase_banks", "greetings") in changed
    assert ("phrases", "calm-greeting", "phrase") in changed
    assert ("phrase_banks", "greetings", "phrases") in changed
    assert ("phrase_banks", "greetings", "title") not in changed
    assert not {change[0] for change in changed} & {"customer_types", "tactics", "guides"}
    assert affected(frozenset({("phrases", "calm-greeting")}), changed)
    assert affected(frozenset({("phrases", "calm-greeting", "phrase")}), changed)
    assert affected(frozenset({("phrase_banks", "*")}), changed)
    # A page that shows only the bank's title is not redone.
    assert not affected(frozenset({("phrase_banks", "greetings", "title")}), changed)
    assert not affected(frozenset({("tactics", "stay-calm"), ("customer_types", "*")}), changed)


def test_a_warmed_session_redoes_the_first_save_without_starting_mkdocs_again(
        session: Session, monkeypatch):
    import generator.incremental as incremental

    session.warm()
    assert sorted(session.live) == sorted(LANGS)

    def refuse(*args, **kwargs):
        raise AssertionError("a language's MkDocs build was set up again")

    monkeypatch.setattr(incremental, "LiveLanguage", refuse)
    rel, old, new = EDITS["type-sign"]
    _edit(session.content, rel, old, new)
    outcome = session.update()
    assert not outcome.full and outcome.pages > 0
    assert new in (session.out / "en/customer-types/angry/index.html").read_text("utf-8")


def test_the_readers_index_finds_exactly_the_pages_affected_finds():
    """`Readers.stale` against the rule itself, `affected`, over every kind of use and
    change, pages added, replaced and removed included."""
    import random

    from generator.incremental import Readers
    from generator.render import Page

    names, keys, fields = ["a", "b"], ["x", "y", "*"], ["f", "g", "*"]
    every_use = ([(n, k) for n in names for k in keys]
                 + [(n, k, f) for n in names for k in keys[:2] for f in fields[:2]])
    every_change = ([(n, k) for n in names for k in keys]
                    + [(n, k, f) for n in names for k in keys[:2] for f in fields])
    chance = random.Random(13)
    for round_ in range(300):
        pages = {f"p{i}.md": Page(f"p{i}.md", "", None, frozenset(chance.sample(every_use, chance.randint(0, 5))))
                 for i in range(8)}
        readers = Readers(pages.values())
        for path in chance.sample(sorted(pages), 3):  # re-rendered: reads other things now
            new = Page(path, "", None, frozenset(chance.sample(every_use, chance.randint(0, 5))))
            readers.remove(pages[path])
            readers.add(new)
            pages[path] = new
        changed = set(chance.sample(every_change, chance.randint(1, 4)))
        expected = {path for path, page in pages.items() if affected(page.uses, changed)}
        assert readers.stale(changed) == expected, (round_, changed)
