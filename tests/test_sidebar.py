"""The sidebar (generator/sidebar.py, theme partials/nav.html) does not grow with
the content: each page lists the sections, and only its own section's entries
around it."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
import yaml
from conftest import BASE_CONFIG, LANGS, TACTIC_YAML, TINY_TREE, run_cli, write

from generator.layout import KINDS
from generator.sidebar import LIMIT, Link, Section, Sidebars, sidebar_line, take_sidebar

# One worker runs this module, so its module fixture (a build) is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("test_sidebar")


SIDEBAR = re.compile(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', re.S)
# The page's own headings (#anchors) are the table of contents, not the sidebar's.
HREF = re.compile(r'<a href="([^"#][^"]*)" class="md-nav__link[^"]*"')


def _sidebars(counts: list[int], directory_urls: bool = True) -> Sidebars:
    sections = [Section(Link("index.md", "Home"))]
    for number, count in enumerate(counts):
        sections.append(Section(Link(f"s{number}/index.md", f"S{number}"), tuple(
            Link(f"s{number}/e{i}.md", f"E{i}") for i in range(count))))
    sections.append(Section(Link("glossary.md", "Glossary")))
    return Sidebars(sections, directory_urls)


def _links(sidebar: dict) -> list[str]:
    links = []
    for item in sidebar["items"]:
        links.append(item["href"])
        links += [entry["href"] for entry in item.get("entries", [])]
        links += [item[end] for end in ("more_before", "more_after") if item.get(end)]
    return links


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("count", [1, LIMIT, LIMIT + 1, 2 * LIMIT, 1000])
def test_a_pages_sidebar_is_bounded_and_holds_the_page(count: int, directory_urls: bool):
    sidebars = _sidebars([count, 3], directory_urls)
    bound = 4 + LIMIT + 2  # the top level, the entries, two ellipses
    for i in range(count):
        page = f"s0/e{i}.md"
        sidebar = sidebars.of(page)
        assert len(_links(sidebar)) <= bound
        [section] = [item for item in sidebar["items"] if item.get("active")]
        assert section["title"] == "S0"
        [here] = [entry for entry in section["entries"] if entry["here"]]
        assert here["title"] == f"E{i}"
        shown = [int(entry["title"][1:]) for entry in section["entries"]]
        assert shown == list(range(shown[0], shown[-1] + 1))  # neighbours, in order
        if count <= LIMIT:
            assert shown == list(range(count))
        else:
            assert len(shown) == LIMIT
            if 0 < shown[0] and shown[-1] < count - 1:  # cut at both ends: centred on the page
                assert i - shown[0] == shown[-1] - i
            assert (section["more_before"] is not None) == (shown[0] > 0)
            assert (section["more_after"] is not None) == (shown[-1] < count - 1)
        # The other section is a link only.
        [other] = [item for item in sidebar["items"] if item["title"] == "S1"]
        assert "entries" not in other and not other.get("active")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_leads_to_its_page_from_every_page(directory_urls: bool):
    sidebars = _sidebars([3, 50], directory_urls)
    pages = ["index.md", "glossary.md", "cheatsheets/angry/index.md"] + [
        f"s{n}/{name}.md" for n, count in enumerate([3, 50]) for name in
        ["index", *(f"e{i}" for i in range(count))]]
    for page in pages:
        here = sidebars.url(page)
        folder = here if here.endswith("/") or not here else posixpath.dirname(here)
        sidebar = sidebars.of(page)
        targets = {item["title"]: item for item in sidebar["items"]}
        for item in sidebar["items"]:
            expected = sidebars.url(next(s.link.page for s in sidebars.sections
                                         if s.link.title == item["title"]))
            assert _resolve(folder, item["href"]) == expected, (page, item)
            for entry in item.get("entries", []):
                number = item["title"][1:]
                assert _resolve(folder, entry["href"]) == sidebars.url(
                    f"s{number}/{entry['title'].lower()}.md"), (page, entry)
        assert set(targets) == {"Home", "S0", "S1", "Glossary"}


def _resolve(folder: str, href: str) -> str:
    joined = posixpath.normpath(posixpath.join(folder or ".", href))
    joined = "" if joined == "." else joined
    return joined + "/" if href.endswith("/") and joined else joined


def _tree(root: Path, extra_tactics: int) -> Path:
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    for i in range(extra_tactics):
        write(root / "content" / "tactics" / f"extra-{i:03}.yaml", TACTIC_YAML)
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(BASE_CONFIG),
                     cwd=root, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def small_and_large(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny tree, and the same with a tactics section far longer than LIMIT."""
    return (_tree(tmp_path_factory.mktemp("small"), 0),
            _tree(tmp_path_factory.mktemp("large"), LIMIT + 12))


def test_pages_outside_a_growing_section_do_not_change_at_all(small_and_large):
    small, large = small_and_large
    for lang in LANGS:
        for kind in KINDS:
            if kind.key == "tactics":
                continue
            for page in sorted((small / lang / kind.folder).rglob("index.html")):
                rel = page.relative_to(small)
                if kind.key == "customer_types" or rel.parent.name != kind.folder:
                    ours, theirs = page.read_text("utf-8"), (large / rel).read_text("utf-8")
                    # The page lists none of the new tactics: its sidebar is the same.
                    assert SIDEBAR.search(ours).group() == SIDEBAR.search(theirs).group(), rel


def test_a_page_in_a_long_section_lists_its_neighbours_only(small_and_large):
    _, large = small_and_large
    tactics = 1 + LIMIT + 12
    top_level = len(KINDS) + 2  # home, the kinds, cheat sheets (the tiny tree has no glossary)
    for lang in LANGS:
        pages = sorted((large / lang / "tactics").glob("*/index.html"))
        assert len(pages) == tactics
        for page in pages:
            sidebar = SIDEBAR.search(page.read_text("utf-8")).group()
            links = HREF.findall(sidebar)
            # Links: the logo's, the top level, the window, up to two ellipses.
            assert len(links) <= 1 + top_level + LIMIT + 2
            # Every link leads to a page of the site.
            for href in links:
                target = (page.parent / href).resolve()
                assert (target / "index.html").is_file() or target.is_file(), (page, href)
            assert 'md-nav__link md-nav__link--active' in sidebar


@pytest.mark.parametrize("which", ["real_site", "offline_site"])
def test_every_sidebar_link_of_every_real_page_leads_to_a_page(which: str, request):
    site = request.getfixturevalue(which)
    for lang in LANGS:
        pages = sorted((site / lang).rglob("*.html"))
        assert len(pages) > 50
        for page in pages:
            if page.name == "404.html" or "/cheatsheets/" in page.as_posix():
                continue
            sidebar = SIDEBAR.search(page.read_text("utf-8")).group()
            links = HREF.findall(sidebar)
            assert len(links) >= len(KINDS) + 3, page
            for href in links:
                target = (page.parent / href).resolve()
                found = target.is_file() if href.endswith(".html") else (target / "index.html").is_file()
                assert found, (page.relative_to(site), href)


PAYLOADS = yaml.safe_load((Path(__file__).parent / "payloads.yaml").read_text("utf-8"))


@pytest.mark.parametrize("title", ["-->", "--!>", "<!-- x -->", "a\n-->\nb", *PAYLOADS])
def test_the_sidebar_line_carries_any_title_and_nothing_can_end_it_early(title: str):
    sidebar = {"items": [{"title": title, "href": "./", "here": True}]}
    line = sidebar_line(sidebar)
    # One line, one comment: no '<', '>' or '&' inside it but the comment's own.
    assert line.count("\n") == 1 and line.endswith("\n")
    inside = line.removeprefix("<!--").removesuffix("-->\n")
    assert not set("<>&") & set(inside)
    body = "<!-- hinahon:content -->\n\ntext\n"
    assert take_sidebar(line + body) == (sidebar, body)


def test_markdown_without_a_sidebar_line_is_left_as_it_is():
    for text in ("", "# Title\n", "<!-- hinahon:content -->\n", " <!-- hinahon:sidebar {} -->\n"):
        assert take_sidebar(text) == (None, text)
