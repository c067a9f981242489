"""Links from content text to our own pages (generator/page_links.py): each one
checked at `check` time with its file, line and field, and each one leading
to its page from every page that shows the text, online and offline."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
import yaml

from conftest import BASE_CONFIG, TINY_TREE, run_cli, text, write
from generator.content import read_content, read_tree
from generator.coverage import _texts
from generator.memo import ContentMemo
from generator.problems import ContentError

GLOSSARY_YAML = f"""\
terms:
  - id: customer
    term:{text("customer", "müştəri", "customer", 6)}
    definition:{text("Bumibili.", "Alan şəxs.", "Someone who buys.", 6)}
"""


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(content)
    return [p.format() for p in caught.value.problems]


def every_text(content: Path) -> list[tuple[str, tuple, int]]:
    """(file, field path, line of its English text) of every text in the tree."""
    found = []
    for rel in sorted(TINY_TREE) + ["glossary.yaml"]:
        if rel == "languages.yaml":
            continue
        body = (content / rel).read_text(encoding="utf-8")
        node = yaml.compose(body)
        data = yaml.safe_load(body)
        for loc, _value in _texts(data, (), {"tl", "az", "en"}, "en"):
            found.append((rel, loc, _line_of_en(node, loc)))
    return found


def _line_of_en(node, loc) -> int:
    for step in (*loc, "en"):
        if isinstance(step, int):
            node = node.value[step]
        else:
            node = next(value for key, value in node.value if key.value == step)
    return node.start_mark.line + 1


def _field(loc: tuple) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


@pytest.fixture
def tree(content: Path) -> Path:
    write(content / "glossary.yaml", GLOSSARY_YAML)
    return content


def _put_in_en(path: Path, loc: tuple, addition: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    for step in loc:
        node = node[step]
    node["en"] = node["en"] + " " + addition
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_enumeration_covers_every_kind_and_the_glossary(tree: Path):
    files = {rel for rel, _loc, _line in every_text(tree)}
    assert files == {rel for rel in TINY_TREE if rel != "languages.yaml"} | {"glossary.yaml"}
    # Titles too: plain text on their own page, but a link in one is still a link MkDocs checks.
    assert {loc[-1] for _rel, loc, _line in every_text(tree)} >= {"title", "term", "heading"}
    assert len(every_text(tree)) >= 20


def test_a_broken_link_in_any_text_names_its_file_line_and_field(tree: Path):
    # Every text of every file, one at a time: the check walks every field.
    for rel, loc, _line in every_text(tree):
        original = (tree / rel).read_text(encoding="utf-8")
        _put_in_en(tree / rel, loc, "See [this](nowhere-at-all.md).")
        expected_line = _line_of_en(yaml.compose((tree / rel).read_text(encoding="utf-8")), loc)
        messages = problems_of(tree)
        wanted = f"{rel}:{expected_line}:"
        field = _field((*loc, "en"))
        assert any(wanted in m and f"error: {field}: links to 'nowhere-at-all.md'" in m
                   for m in messages), (rel, loc, messages)
        assert len(messages) == 1, messages
        (tree / rel).write_text(original, encoding="utf-8")
    read_content(tree)  # every file put back: valid again


@pytest.mark.parametrize("origin, target, page", [
    ("guides/basics.yaml", "basics.md", "guides/basics.md"),
    ("guides/basics.yaml", "../tactics/stay-calm.md", "tactics/stay-calm.md"),
    ("guides/basics.yaml", "/customer-types/angry.md", "customer-types/angry.md"),
    ("guides/basics.yaml", "index.md", "guides/index.md"),
    ("guides/basics.yaml", "../index.md", "index.md"),
    ("guides/basics.yaml", "../glossary.md", "glossary.md"),
    ("tactics/stay-calm.yaml", "../cheatsheets/angry/index.md", "cheatsheets/angry/index.md"),
    ("tactics/stay-calm.yaml", "../cheatsheets/angry-bilingual/index.md",
     "cheatsheets/angry-bilingual/index.md"),
    ("tactics/stay-calm.yaml", "../cheatsheets/pocket-summary/index.md",
     "cheatsheets/pocket-summary/index.md"),
    ("tactics/stay-calm.yaml", "../cheatsheets/index.md", "cheatsheets/index.md"),
    ("phrases/greetings.yaml", "../guides/./basics.md", "guides/basics.md"),
    ("glossary.yaml", "tactics/stay-calm.md", "tactics/stay-calm.md"),
    ("sources.yaml", "guides/basics.md", "guides/basics.md"),
])
def test_a_good_link_reaches_the_renderer_written_from_the_site_root(
        tree: Path, origin: str, target: str, page: str):
    rel, loc, _line = next(item for item in every_text(tree) if item[0] == origin)
    _put_in_en(tree / rel, loc, f"See [it]({target}) and [us](https://example.org/x.md).")
    kb = read_content(tree)
    shown = _model_text(kb, rel, loc)["en"]
    assert f"[it](/{page})" in shown
    assert "[us](https://example.org/x.md)" in shown  # a link with a scheme is left as written


def _model_text(kb, rel: str, loc: tuple) -> dict:
    folder, _, name = rel.partition("/")
    if rel == "glossary.yaml":
        model = {"terms": kb.glossary}
    elif rel == "sources.yaml":
        model = {"sources": list(kb.sources.values())}
    else:
        from generator.layout import KIND_BY_FOLDER
        model = kb.entries[KIND_BY_FOLDER[folder].key][name.removesuffix(".yaml")]
    for step in loc:
        model = model[step] if isinstance(step, int) or isinstance(model, dict) else getattr(model, step)
    return model


@pytest.mark.parametrize("target, says", [
    ("nowhere.md", "the site has no page guides/nowhere.md"),
    ("basic.md", "(did you mean 'basics.md'?)"),
    ("../tactic/stay-calm.md", "(did you mean '../tactics/stay-calm.md'?)"),
    ("../tactics/stay-calm/", "a page's address: write '../tactics/stay-calm.md'"),
    ("../tactics/stay-calm.html", "a page's address: write '../tactics/stay-calm.md'"),
    ("../cheatsheets/angry/", "a page's address: write '../cheatsheets/angry/index.md'"),
    ("../tactics/stay-calm.md/", "a page's address: write '../tactics/stay-calm.md'"),
    ("../../secret.md", "which is outside the site"),
    ("../../../etc/passwd", "which is outside the site"),
    ("/etc/passwd.md", "the site has no page etc/passwd.md"),
    ("../cheatsheets/calm/index.md", "the site has no page cheatsheets/calm/index.md"),
    ("../customer-types/angry.yaml", "the site has no page customer-types/angry.yaml"),
    ("../tactics/stay-calm.md#why", "a heading: a heading's anchor is made of its words in each language"),
    ("#why", "link the page (the page itself) instead"),
    ("basics.md#first", "link the page (basics.md) instead"),
    ('../tactics/stay-calm.md "Stay calm"', "write a link as [text](target), with only the target"),
    ("<../tactics/stay-calm.md>", "no title or angle brackets"),
    ("", "a link to nothing"),
    ("  ", "a link to nothing"),
])
def test_a_bad_link_says_what_is_wrong_and_what_to_write(tree: Path, target: str, says: str):
    guide = tree / "guides/basics.yaml"
    _put_in_en(guide, ("sections", 0, "body"), f"See [it]({target}).")
    [message] = problems_of(tree)
    assert "guides/basics.yaml:" in message and "sections[0].body.en: " in message
    assert says in message, message


@pytest.mark.parametrize("definition", [
    "[x]: nowhere.md", "   [x]: nowhere.md", "- [x]: nowhere.md", "1. [x]: nowhere.md",
    "- - [x]:   nowhere.md", "\t[x]: nowhere.md", "[]: nowhere.md", "> [x]: nowhere.md",
    "1000000000. [x]: nowhere.md"])
def test_a_reference_definition_is_checked_too(tree: Path, definition: str):
    # Python-Markdown reads a definition inside a list item as well as at a line's start.
    _put_in_en(tree / "guides/basics.yaml", ("sections", 0, "body"), f"See [it][x].\n\n{definition}")
    [message] = problems_of(tree)
    assert "links to 'nowhere.md'" in message


def test_a_reference_definition_with_a_title_is_refused(tree: Path):
    _put_in_en(tree / "guides/basics.yaml", ("sections", 0, "body"), 'See [it][x].\n\n[x]: basics.md "T"')
    [message] = problems_of(tree)
    assert "with only the target" in message


@pytest.mark.parametrize("target", ["https://example.org/", "mailto:help@example.org",
                                    "tel:+63-2-8888-0000", "//example.org/a.md",
                                    "https://en.wikipedia.org/wiki/Composure_(trait)",
                                    "https://example.org/#section"])
def test_links_that_are_not_to_a_page_are_left_as_written(tree: Path, target: str):
    _put_in_en(tree / "guides/basics.yaml", ("sections", 0, "body"), f"See [it]({target}).")
    kb = read_content(tree)
    assert f"[it]({target})" in kb.entries["guides"]["basics"].sections[0].body["en"]


def test_a_link_to_an_entry_that_goes_away_is_reported(tree: Path):
    _put_in_en(tree / "guides/basics.yaml", ("sections", 0, "body"), "See [it](../tactics/stay-calm.md).")
    read_content(tree)
    (tree / "tactics/stay-calm.yaml").unlink()
    messages = problems_of(tree)
    assert any("guides/basics.yaml" in m and "the site has no page tactics/stay-calm.md" in m
               for m in messages), messages


def test_the_validated_entries_are_not_changed(tree: Path):
    # serve keeps validated entries between rebuilds: rewriting them in place
    # would show the author a text they did not write.
    _put_in_en(tree / "guides/basics.yaml", ("sections", 0, "body"), "See [it](../tactics/stay-calm.md).")
    memo = ContentMemo()
    _tree, first = read_tree(tree, memo)
    assert "[it](/tactics/stay-calm.md)" in first.entries["guides"]["basics"].sections[0].body["en"]
    _tree, second = read_tree(tree, memo)
    assert second.entries["guides"]["basics"] == first.entries["guides"]["basics"]
    from generator.validate import validate_tree
    from generator.problems import Problems
    from generator.load import load_tree
    problems = Problems()
    valid = validate_tree(load_tree(tree, problems, memo), problems, memo)
    kept, _doc = valid.entries["guides"]["basics"]
    assert "[it](../tactics/stay-calm.md)" in kept.sections[0].body["en"]


# --- built: every page that shows a linked text ----------------------------

LINKED = {
    # A customer type's item shows on its page and on both its cheat sheets,
    # one folder deeper; a tactic's summary on the type's page.
    "customer-types/angry.yaml": ("do", 0, "[Stay calm](../tactics/stay-calm.md)"),
    "tactics/stay-calm.yaml": ("summary", None, "[the guide](../guides/basics.md)"),
    "guides/basics.yaml": ("sections", 0, "[the angry customer](../customer-types/angry.md)"),
    # A phrase shows on its bank's page, its type's page and inside the sheets' HTML.
    "phrases/greetings.yaml": ("phrases", 0, "[the basics](../guides/basics.md)"),
}


@pytest.fixture(scope="module", params=["online", "offline"])
def linked_site(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(f"linked-{request.param}")
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    for rel, (field, index, link) in LINKED.items():
        path = root / "content" / rel
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        node = data[field] if index is None else data[field][index]
        if field == "sections":
            node = node["body"]
        elif field == "phrases":
            node = node["text"]
        for code in ("tl", "az", "en"):
            node[code] += f" {link}."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    flags = ["--offline"] if request.param == "offline" else []
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(BASE_CONFIG),
                     *flags, cwd=root, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    return root / "site"


_HREF = re.compile(r'<a [^>]*href="([^"#]*)(#[^"]*)?"[^>]*>([^<]*)</a>')


@pytest.mark.parametrize("lang", ["tl", "az", "en"])
def test_every_page_that_shows_a_linked_text_links_the_right_page(linked_site: Path, lang: str):
    wanted = {"Stay calm": "tactics/stay-calm", "the guide": "guides/basics",
              "the angry customer": "customer-types/angry", "the basics": "guides/basics"}
    seen: dict[str, set[str]] = {label: set() for label in wanted}
    for page in sorted((linked_site / lang).rglob("*.html")):
        if page.name == "404.html":
            continue
        body = page.read_text(encoding="utf-8")
        for href, anchor, label in _HREF.findall(body):
            if label not in wanted:
                continue
            target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), href)))
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(linked_site)}: {href} leads nowhere"
            rel = target.relative_to(linked_site / lang).as_posix()
            assert rel.removesuffix("/index.html").removesuffix(".html") == wanted[label], (page, href)
            assert not anchor, (page, href, anchor)
            seen[label].add(page.relative_to(linked_site / lang).as_posix())
    pages = {label: {p.replace("/index.html", "").replace(".html", "") for p in shown}
             for label, shown in seen.items()}
    assert {"customer-types/angry", "cheatsheets/angry", "cheatsheets/angry-bilingual"} <= pages["Stay calm"]
    assert {"tactics/stay-calm", "customer-types/angry"} <= pages["the guide"]
    assert "guides/basics" in pages["the angry customer"]
    assert {"phrases/greetings", "customer-types/angry", "cheatsheets/angry",
            "cheatsheets/angry-bilingual"} <= pages["the basics"]
    for page in (linked_site / lang).rglob("*.html"):
        assert "](" not in page.read_text("utf-8"), f"{page}: Markdown shown as typed"
