"""Every page links to itself in every language: hreflang, the switch, sitemaps."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import BASE_CONFIG, LANGS, run_cli

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">')
SWITCH_FROM = ["tactics/stay-calm/", "customer-types/angry/", "phrases/greeting-and-opening/"]


def pages_of(site: Path, lang: str) -> list[Path]:
    return sorted(p for p in (site / lang).rglob("*.html") if p.name != "404.html")


def test_every_page_has_hreflang_for_each_language_and_x_default(real_site: Path):
    for lang in LANGS:
        pages = pages_of(real_site, lang)
        assert len(pages) >= 56
        for page in pages:
            links = HREFLANG.findall(page.read_text(encoding="utf-8"))
            assert [code for code, _ in links] == [*LANGS, "x-default"], page
            same_path = page.relative_to(real_site / lang)
            for code, href in links:
                target = (page.parent / href / "index.html").resolve() if href.endswith("/") \
                    else (page.parent / href).resolve()
                expected_lang = "en" if code == "x-default" else code
                assert target == (real_site / expected_lang / same_path).resolve(), (page, href)


def test_each_language_has_its_own_sitemap_listing_its_pages_in_every_language(real_site: Path):
    for lang in LANGS:
        sitemap = (real_site / lang / "sitemap.xml").read_text(encoding="utf-8")
        pages = len(pages_of(real_site, lang))
        assert sitemap.count("<url>") == pages
        assert "<loc>tactics/stay-calm/</loc>" in sitemap
        for code in LANGS:
            assert sitemap.count(f'hreflang="{code}"') == pages
        assert f'hreflang="az" href="../az/tactics/stay-calm/"' in sitemap


def test_site_url_makes_hreflang_and_sitemaps_absolute(content: Path, tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(BASE_CONFIG.read_text(encoding="utf-8").replace(
        "site_name: Hinahon\n", "site_name: Hinahon\nsite_url: https://example.org/hinahon\n"))
    out = tmp_path / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out),
                     "--config", str(config), cwd=tmp_path, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    page = (out / "tl/tactics/stay-calm/index.html").read_text(encoding="utf-8")
    assert HREFLANG.findall(page) == [
        ("tl", "https://example.org/hinahon/tl/tactics/stay-calm/"),
        ("az", "https://example.org/hinahon/az/tactics/stay-calm/"),
        ("en", "https://example.org/hinahon/en/tactics/stay-calm/"),
        ("x-default", "https://example.org/hinahon/en/tactics/stay-calm/"),
    ]
    assert "<loc>https://example.org/hinahon/az/tactics/stay-calm/</loc>" in \
        (out / "az/sitemap.xml").read_text(encoding="utf-8")
    index = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert [f"https://example.org/hinahon/{code}/sitemap.xml" for code in LANGS] == \
        re.findall(r"<loc>([^<]+)</loc>", index)


def _switch(page, to: str) -> None:
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"a.hinahon-language[hreflang={to}]").click()
    page.wait_for_load_state()


@pytest.mark.browser
def test_switch_stays_on_the_same_page_when_served(browser, site_url):
    page = browser.new_page()
    statuses: list[tuple[int, str]] = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    for path in SWITCH_FROM:
        for start, to in (("tl", "az"), ("az", "en"), ("en", "tl")):
            page.goto(f"{site_url}/{start}/{path}")
            _switch(page, to)
            assert page.url == f"{site_url}/{to}/{path}"
            assert page.locator("html").get_attribute("lang") == to
    # Material fetches a sitemap beside each rel=alternate link it sees; ours are
    # hidden from it while it starts, so no such request is made (or fails)...
    assert [url for _, url in statuses if "sitemap" in url] == []
    assert [s for s in statuses if s[0] >= 400] == []
    # ... and they are back in the page once it has.
    assert page.locator('link[rel=alternate][hreflang]').count() == 4
    page.close()


@pytest.mark.browser
def test_switch_stays_on_the_same_page_from_file(browser, offline_site: Path):
    page = browser.new_page()
    for path in SWITCH_FROM:
        file_path = path.rstrip("/") + ".html"
        page.goto((offline_site / "tl" / file_path).as_uri())
        _switch(page, "az")
        assert page.url == (offline_site / "az" / file_path).as_uri()
        assert page.locator("html").get_attribute("lang") == "az"
    page.close()


def test_offline_copy_links_name_their_files(offline_site: Path):
    home = (offline_site / "tl" / "index.html").read_text(encoding="utf-8")
    assert 'href="customer-types/angry.html"' in home
    # A script, which a page opened from file:// can load where it cannot fetch().
    assert (offline_site / "tl" / "search" / "index.js").read_text(
        encoding="utf-8").startswith("self.HinahonIndex = {")
    chooser = (offline_site / "index.html").read_text(encoding="utf-8")
    assert 'href="az/index.html"' in chooser
