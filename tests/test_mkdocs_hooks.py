"""generator/mkdocs_hooks.py: inside each language's MkDocs, every page is
sanitized as it is written, a page without its markers stops the build, and
the sidebar reaches the theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE_CONFIG, TINY_TREE, write

from generator import build as build_module
from generator import output
from generator import render
from generator.safe import CONTENT_END


def _content(root: Path) -> Path:
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    return root / "content"


def test_pages_are_sanitized_inside_mkdocs_and_the_seconds_reported(tmp_path: Path):
    content = _content(tmp_path)
    report = build_module.build(content, tmp_path / "site", BASE_CONFIG, pdfs=False)
    assert report.stages["sanitize"] > 0
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text("utf-8")
        # The markers go with the sanitizing; the sidebar's line is taken out before it.
        assert "hinahon:content" not in text and "hinahon:sidebar" not in text, page


@pytest.mark.parametrize("lost", ["the end marker", "a second begin marker"])
def test_a_page_without_its_markers_stops_the_build_naming_the_page(tmp_path: Path, monkeypatch,
                                                                    lost: str):
    content = _content(tmp_path)
    real = render._finish_page

    def broken(text: str, sidebar: dict, title: str | None = None) -> str:
        page = real(text, sidebar, title)
        if "Stay calm" not in page.split("\n", 2)[1]:  # the title line of one page
            return page
        if lost == "the end marker":
            return page.replace(CONTENT_END, "")
        return page.replace(CONTENT_END, "<!-- hinahon:content -->\n" + CONTENT_END)

    monkeypatch.setattr(render, "_finish_page", broken)
    (tmp_path / "site").mkdir()
    output.write_stamp(tmp_path / "site", ["en"], offline=False)
    (tmp_path / "site" / "kept.txt").write_text("the previous site")
    with pytest.raises(build_module.BuildError) as caught:
        build_module.build(content, tmp_path / "site", BASE_CONFIG, pdfs=False, languages=["en"])
    assert "tactics/stay-calm.md" in str(caught.value)
    assert "expected one pair of content markers" in str(caught.value)
    assert (tmp_path / "site" / "kept.txt").read_text() == "the previous site"
