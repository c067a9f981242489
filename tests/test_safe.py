"""The safety boundary (generator/safe.py), every payload through every path, no browser."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml

from conftest import BASE_CONFIG, LANGS
from generator import safe
from hostile import PAYLOADS, Elements, as_mkdocs_would, dangers

MARKER = "hx0x"
CASES = [payload.replace("{m}", MARKER) for payload in PAYLOADS]


@pytest.mark.parametrize("payload", CASES)
def test_content_text_renders_to_nothing_dangerous(payload):
    rendered = as_mkdocs_would(str(safe.markdown_source(payload)))
    # Escaping alone keeps out every tag and attribute; a link's address is the
    # sanitizer's to judge ...
    assert [d for d in dangers(rendered) if not d.startswith("<a href=")] == []
    cleaned = safe.sanitize_fragment(rendered)
    assert dangers(cleaned) == []
    # ... and the reader still sees the text.
    assert MARKER in Elements(cleaned).text


@pytest.mark.parametrize("payload", CASES)
def test_sanitizer_alone_stops_the_payload_as_raw_html(payload):
    """The second wall: the payload's markup reaching the page unescaped is still cleaned."""
    rendered = as_mkdocs_would(payload)
    assert dangers(safe.sanitize_fragment(rendered)) == []


@pytest.mark.parametrize("payload", CASES)
def test_plain_text_is_text_in_markdown_headings_and_attributes(payload):
    text = safe.markdown_plain(payload)
    for source in (f"# {text}", f"## {text} ##", text, f"- {text}",
                   f'<p lang="en" markdown>{text}</p>', f'<a href="x" title="{text}">x</a>'):
        rendered = as_mkdocs_would(source)
        assert dangers(rendered) == [], source
        tags = {tag for tag, _ in Elements(rendered).tags}
        assert tags <= {"h1", "h2", "p", "ul", "li", "a"}, (source, rendered)
    assert Elements(as_mkdocs_would(text)).text.strip() == safe.plain_text(payload)


@pytest.mark.parametrize("payload", CASES)
def test_html_plain_is_inert_in_text_and_attributes(payload):
    escaped = safe.html_plain(payload)
    assert not set(escaped) & set("<>\"'"), escaped
    assert html.unescape(escaped) == safe.plain_text(payload)
    page = f'<meta name="description" content="{escaped}"><title>{escaped}</title>'
    assert [tag for tag, _ in Elements(page).tags] == ["meta", "title"]


@pytest.mark.parametrize("source, expected", [
    ("**bold** and *emphasis*", "bold and emphasis"),
    ("</title><script>alert(1)</script>", "</title><script>alert(1)</script>"),
    ("[a link](https://example.org/)", "a link"),
    ("&lt;b&gt;", "&lt;b&gt;"),
    ("1. Call security", "1. Call security"),
    ("- not a list", "- not a list"),
    ("# not a heading", "# not a heading"),
    ("two\n\nparagraphs\n  and   spaces", "two paragraphs and spaces"),
])
def test_plain_text_strips_markdown_and_keeps_html_as_text(source, expected):
    assert safe.plain_text(source) == expected


@pytest.mark.parametrize("source, kept", [
    ("*emphasis*", "<em>emphasis</em>"),
    ("**bold**", "<strong>bold</strong>"),
    ("- one\n- two", "<li>one</li>"),
    ("1. one\n2. two", "<ol>"),
    ("- one\n    - nested", "<li>nested</li>"),
    ("- one\n      - nested deeper", "<li>nested deeper</li>"),
    ("[site](https://example.org/)", 'href="https://example.org/"'),
    ("[site](http://example.org/)", 'href="http://example.org/"'),
    ("[mail](mailto:help@example.org)", 'href="mailto:help@example.org"'),
    ("[call](tel:+63-2-8888)", 'href="tel:+63-2-8888"'),
    ("[ours](../tactics/stay-calm/)", 'href="../tactics/stay-calm/"'),
])
def test_the_allowed_subset_survives(source, kept):
    assert kept in safe.sanitize_fragment(as_mkdocs_would(str(safe.markdown_source(source))))


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,hi)",
    "[x](vbscript:msgbox)", "[x](file:///etc/passwd)",
])
def test_links_outside_the_subset_lose_their_address(source):
    cleaned = safe.sanitize_fragment(as_mkdocs_would(str(safe.markdown_source(source))))
    assert "href" not in cleaned and "x" in cleaned


def test_images_attribute_lists_code_and_headings_are_shown_as_typed():
    for source, shown in [
        ("![alt](https://tracker.example/p.png)", "!alt"),
        ("*x*{: onclick=alert(1) }", "x{: onclick=alert(1) }"),
        ("`code`", "`code`"),
        ("# heading", "# heading"),
        ("a\n===", "a\n==="),
        ("a\n=", "a\n="),
        ("a\n-", "a\n-"),
        ("***", "***"),
        ("- - -", "- - -"),
        ("_ _ _", "_ _ _"),
        ("    four spaces <b>x</b>", "four spaces <b>x</b>"),
        ("\tA tab", "A tab"),
        ("> quote", "> quote"),
    ]:
        rendered = as_mkdocs_would(str(safe.markdown_source(source)))
        assert Elements(rendered).text.strip() == shown
        assert {tag for tag, _ in Elements(rendered).tags} <= {"p", "em", "a"}


@pytest.mark.parametrize("source, shown", [
    ("- # EVIL", "# EVIL"),
    ("* ---", "---"),
    ("- ## [x](https://example.com)", "## x"),
    ("1. # one", "# one"),
    ("3) ### three", "3) ### three"),  # not a list to Python-Markdown
    ("- - # nested", "# nested"),
    ("  - #### indented", "#### indented"),
    ("- ***", "***"),
    ("+ _ _ _", "_ _ _"),
    ("- a\n  ===", "a\n  ==="),
    ("- a\n  ---", "a\n  ---"),
    ("- ok\n- # second", "ok\n# second"),
    ("1000000000. # ten digits", "# ten digits"),
])
def test_no_heading_or_rule_inside_a_list_item(source: str, shown: str):
    tags, text = _rendered(source)
    assert tags <= {"ul", "ol", "li", "p", "em", "a"}, (source, tags)
    assert text == " ".join(shown.split())


def _rendered(source: str) -> tuple[set[str], str]:
    """The tags and the words (spaces collapsed) of a content text as MkDocs renders it."""
    elements = Elements(as_mkdocs_would(str(safe.markdown_source(source))))
    return {tag for tag, _ in elements.tags}, " ".join(elements.text.split())


@pytest.mark.parametrize("source, shown", [
    ("Ta | Tb\n:-: | ---\nTC | TD", "Ta | Tb :-: | --- TC | TD"),
    ("| a | b |\n|---|---|\n| c | d |", "| a | b | |---|---| | c | d |"),
    ("~~~\n<b>x</b>\n~~~", "~~~ <b>x</b> ~~~"),
    ("About ~5 minutes.", "About ~5 minutes."),
])
def test_no_table_or_fenced_code_from_content(source: str, shown: str):
    tags, text = _rendered(source)
    assert tags <= {"p", "em", "a"}, (source, tags)
    assert text == shown


def test_a_list_of_plain_items_stays_a_list():
    rendered = as_mkdocs_would(str(safe.markdown_source("- one\n- two\n\n1. first")))
    assert [tag for tag, _ in Elements(rendered).tags].count("li") == 3


@pytest.mark.parametrize("attribute, value, kept", [
    ("class", "hinahon-card", "hinahon-card"),
    ("class", "md-button md-button--primary", "md-button md-button--primary"),
    ("class", "md-header hinahon-card", "hinahon-card"),
    ("class", "md-sidebar", None),
])
def test_only_our_classes_survive(attribute, value, kept):
    cleaned = safe.sanitize_fragment(f'<div {attribute}="{value}">x</div>')
    assert cleaned == (f'<div class="{kept}">x</div>' if kept else "<div>x</div>")


@pytest.mark.parametrize("src, kept", [
    ("angry.jpg", True), ("../cheatsheets/angry.jpg", True),
    ("https://tracker.example/p.png", False), ("//tracker.example/p.png", False),
    ("http:tracker.example", False), ("\\\\tracker.example\\p.png", False),
])
def test_images_come_only_from_the_site(src, kept):
    cleaned = safe.sanitize_fragment(f'<img src="{src}" alt="">')
    assert ("src=" in cleaned) is kept


def test_a_page_is_sanitized_between_its_markers_only():
    head = '<html><head><script src="assets/bundle.js"></script></head><body>'
    page = f"{head}{safe.CONTENT_BEGIN}<p onclick=x>hi</p><script>alert(1)</script>{safe.CONTENT_END}<script>ok()</script>"
    cleaned = safe.sanitize_page(page)
    assert cleaned == f"{head}<p>hi</p><script>ok()</script>"


@pytest.mark.parametrize("body", [
    "<p>no markers</p>",
    f"{safe.CONTENT_BEGIN}<p>one begin, no end</p>",
    f"{safe.CONTENT_BEGIN}{safe.CONTENT_BEGIN}<p>x</p>{safe.CONTENT_END}",
    f"{safe.CONTENT_BEGIN}<p>x</p>{safe.CONTENT_END}{safe.CONTENT_END}",
])
def test_a_page_without_exactly_one_pair_of_markers_is_refused(body):
    with pytest.raises(safe.UnmarkedPageError):
        safe.sanitize_page(body)


def test_every_string_of_every_generated_config_is_escaped(tmp_path: Path):
    """What Material prints raw: site name, description, section and language names."""
    from generator.build import language_config
    from generator.content import read_content
    from generator.render import Renderer
    from hostile import hostile_tree

    for index, payload in enumerate(PAYLOADS):
        tree = hostile_tree(tmp_path / f"c{index}", payload)
        kb = read_content(tree.root)
        renderer = Renderer(kb)
        for code in LANGS:
            # As the build writes it: through YAML, as MkDocs reads it back.
            config = yaml.safe_load(yaml.safe_dump(language_config(
                renderer, kb, code, tmp_path / "docs", tmp_path / "site", BASE_CONFIG, None, False),
                allow_unicode=True))
            for value in _strings(config):
                assert not set(value) & set("<>\"'"), (payload, code, value)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
