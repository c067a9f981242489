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


def test_our_stylesheet_ships_without_its_comments_and_with_every_rule(real_site):
    import re as _re

    from generator.mkdocs_hooks import strip_css_comments

    source = (Path(__file__).resolve().parent.parent / "site_templates/theme/assets/hinahon/hinahon.css"
              ).read_text("utf-8")
    # The stripping is safe only while no string in our CSS holds a comment marker:
    # read as a browser reads it, character by character.
    in_string, in_comment, i = None, False, 0
    while i < len(source):
        two = source[i:i + 2]
        if in_comment:
            in_comment, i = (False, i + 2) if two == "*/" else (True, i + 1)
        elif in_string:
            assert two not in ("/*", "*/"), source[i - 20:i + 20]
            in_string = None if source[i] == in_string else in_string
            i += 1
        elif two == "/*":
            in_comment, i = True, i + 2
        else:
            in_string = source[i] if source[i] in "\"'" else None
            i += 1
    assert not in_comment and not in_string
    assert strip_css_comments("a { b: c; } /* why */\n/* more\n   lines */ d { e: f; }") == \
        "a { b: c; } d { e: f; }"
    for lang in ("tl", "az", "en"):
        shipped = (real_site / lang / "assets/hinahon/hinahon.css").read_text("utf-8")
        assert "/*" not in shipped and "*/" not in shipped
        assert shipped == strip_css_comments(source)
        assert shipped.count("{") == _re.sub(r"/\*.*?\*/", "", source, flags=_re.DOTALL).count("{")
        assert len(shipped) < 0.9 * len(source)


def test_the_favicon_is_our_small_svg(real_site):
    page = (real_site / "az/customer-types/angry/index.html").read_text("utf-8")
    assert '<link rel="icon" href="../../assets/hinahon/favicon.svg">' in page
    icon = real_site / "az/assets/hinahon/favicon.svg"
    assert icon.read_text("utf-8").startswith("<svg") and icon.stat().st_size < 512
