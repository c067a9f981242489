"""Every payload in every field, through the real templates and Markdown, no MkDocs.

The full cross product — each payload of tests/payloads.yaml in every string
field at once, every page of every language — rendered as MkDocs would render
it (Python-Markdown with mkdocs.yml's extensions), is checked twice: as it comes
out of escaping alone, and after the sanitizer. test_safety_browser builds a
few of these trees for real and opens every page in Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import LANGS
from generator import safe
from generator.content import read_content
from generator.render import Renderer
from generator.sidebar import take_sidebar
from hostile import NEVER_SHOWN, PAYLOADS, Elements, as_mkdocs_would, dangers, hostile_tree


def _split_front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=lambda i: f"payload{i}")
def test_every_page_of_every_language_is_inert(tmp_path: Path, index: int):
    payload = PAYLOADS[index]
    tree = hostile_tree(tmp_path / "content", payload)
    kb = read_content(tree.root)
    renderer = Renderer(kb, site_url="https://example.org/hinahon/", content_date="2026-12-01",
                        pdfs=True)
    shown = ""
    for lang in LANGS:
        for page in renderer.pages(lang):
            front, body = _split_front_matter(page.text)
            # The title goes to MkDocs as HTML text, printed unescaped by Material.
            assert not set(front["title"]) & set("<>\"'"), (page.path, front["title"])
            rendered = as_mkdocs_would(body)
            # Escaping alone: no tag or attribute of the payload's, only link
            # addresses, which the sanitizer judges ...
            assert [d for d in dangers(rendered) if not d.startswith("<a href=")] == [], page.path
            # ... and after the sanitizer, nothing at all.
            cleaned = safe.sanitize_page(rendered)
            assert dangers(cleaned) == [], page.path
            sidebar, _ = take_sidebar(body)
            shown += Elements(cleaned).text + front["title"] + _titles(sidebar)
    for offline in (False, True):
        chooser = renderer.chooser(offline)
        # Its own style and script are the template's; the payload adds no tag.
        assert dangers(chooser, allowed_tags={
            "html", "head", "meta", "title", "link", "style", "script", "body", "main", "h1",
            "ul", "li", "a", "small"}) == []
        assert chooser.count("<script>") == 1 and chooser.count("<style>") == 1
        shown += Elements(chooser).text
    # The root's "not found" page: the template's style, no script, the payload adds no tag.
    not_found = renderer.not_found("https://example.org/hinahon/")
    assert dangers(not_found, allowed_tags={
        "html", "head", "meta", "title", "style", "body", "main", "h1", "p", "ul", "li", "a",
        "small"}) == []
    assert "<script" not in not_found and not_found.count("<style>") == 1
    shown += Elements(not_found).text
    missing = [str(f) for f in tree.fields if f.marker not in shown and str(f) not in NEVER_SHOWN]
    assert missing == [], "these fields' text is on no page"


def _titles(sidebar) -> str:
    """Every title in a page's sidebar (generator/sidebar.py), as one string."""
    if isinstance(sidebar, dict):
        return " ".join([str(sidebar.get("title", ""))] + [_titles(v) for v in sidebar.values()])
    if isinstance(sidebar, list):
        return " ".join(_titles(item) for item in sidebar)
    return ""
