"""The site's address (`site_url` or `build --site-url`), robots.txt, and the
"not found" pages at the root and in each language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, LANGS, TINY_TREE, run_cli, write
from generator.config import normal_site_url, site_url_problem
from generator.content import read_content

ROOT = Path(__file__).resolve().parent.parent
NO_PDFS = {"HINAHON_CHROMIUM": "/nope"}


def tiny(root: Path) -> Path:
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    return root


def build(root: Path, *flags: str, config: Path = BASE_CONFIG):
    return run_cli("build", "--content", "content", "--out", "site", "--config", str(config),
                   *flags, cwd=root, env=NO_PDFS)


@pytest.mark.parametrize("url", [
    "ftp://example.org/", "example.org", "/hinahon/", "https://", "https://exa mple.org/",
    "https://example.org/?q=1", "https://example.org/#top", "https://user:pw@example.org/",
    'https://example.org/"onload', "https://example.org:99999/", "https://example.org:port/",
    "https://example.org/<x>", "",
])
def test_a_site_url_that_is_no_address_is_refused_saying_what_was_expected(tmp_path: Path, url: str):
    result = build(tiny(tmp_path), "--site-url", url)
    assert result.returncode == 2
    assert "--site-url" in result.stderr
    assert "expected the absolute http(s) address" in result.stderr or "the port of" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("url, normal", [
    ("https://example.org", "https://example.org/"),
    ("https://example.org/hinahon", "https://example.org/hinahon/"),
    ("http://127.0.0.1:8080/a/b///", "http://127.0.0.1:8080/a/b/"),
])
def test_an_address_is_kept_with_one_trailing_slash(url: str, normal: str):
    assert site_url_problem(url) is None
    assert normal_site_url(url) == normal


def test_site_url_on_the_command_line_replaces_the_configs(tmp_path: Path):
    root = tiny(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(BASE_CONFIG.read_text("utf-8").replace(
        "site_name: Hinahon\n", "site_name: Hinahon\nsite_url: https://old.example/\n"))
    result = build(root, "--site-url", "https://example.org/kb", config=config)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert "site_url is not set" not in result.stdout
    index = (site / "sitemap.xml").read_text("utf-8")
    assert re.findall(r"<loc>([^<]+)</loc>", index) == \
        [f"https://example.org/kb/{code}/sitemap.xml" for code in LANGS]
    assert (site / "robots.txt").read_text("utf-8") == \
        "User-agent: *\nAllow: /\nSitemap: https://example.org/kb/sitemap.xml\n"
    assert "https://example.org/kb/az/" in (site / "tl/index.html").read_text("utf-8")
    assert "old.example" not in "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    # Served below /kb/, the "not found" pages link from there.
    assert 'href="/kb/tl/"' in (site / "404.html").read_text("utf-8")
    assert 'href="/kb/az/cheatsheets/"' in (site / "az/404.html").read_text("utf-8")


def test_without_an_address_the_summary_says_so_and_robots_names_no_sitemap(tmp_path: Path):
    result = build(tiny(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "site_url is not set (mkdocs.yml or build --site-url)" in result.stdout.splitlines()[-1]
    assert (tmp_path / "site/robots.txt").read_text("utf-8") == "User-agent: *\nAllow: /\n"
    assert not (tmp_path / "site/sitemap.xml").exists()


def test_site_url_with_offline_is_a_usage_error(tmp_path: Path):
    result = build(tiny(tmp_path), "--offline", "--site-url", "https://example.org/")
    assert result.returncode == 2 and "--offline" in result.stderr
    assert not (tmp_path / "site").exists()


def test_each_languages_not_found_page_speaks_it_and_leads_home_sheets_and_search(real_site: Path):
    kb = read_content(ROOT / "content")
    for lang in LANGS:
        labels = kb.language(lang).labels
        page = (real_site / lang / "404.html").read_text("utf-8")
        assert f'<html lang="{lang}"' in page
        assert f"<title>{labels.not_found} · {labels.site_name}</title>" in page
        assert f"<h1>{labels.not_found}</h1>" in page and labels.not_found_text in page
        # Without site_url the site is taken to be at its host's root.
        assert f'<a href="/{lang}/.">{labels.home}</a>' in page
        assert f'<a href="/{lang}/cheatsheets/">{labels.cheat_sheets}</a>' in page
        assert f'class="hinahon-open-search">{labels.search_placeholder}</button>' in page
        assert f'href="/{lang}/assets/hinahon/hinahon.css"' in page
        for other in LANGS:
            # The language switch, to the other language's home.
            assert f'href="/{lang}/../{other}/"' in page


def test_the_roots_not_found_page_offers_every_languages_home_in_its_own_words(real_site: Path):
    kb = read_content(ROOT / "content")
    page = (real_site / "404.html").read_text("utf-8")
    default = kb.language(kb.default_language).labels
    assert f'<html lang="{kb.default_language}">' in page and f"<h1>{default.not_found}</h1>" in page
    assert '<meta name="robots" content="noindex">' in page
    for language in kb.languages:
        assert (f'<a href="/{language.code}/" hreflang="{language.code}" lang="{language.code}">'
                f"{language.native_name}<small>{language.labels.home}") in page


def test_every_language_has_the_two_not_found_labels(real_site: Path):
    kb = read_content(ROOT / "content")
    texts = {lang: (kb.language(lang).labels.not_found, kb.language(lang).labels.not_found_text)
             for lang in LANGS}
    # Each in its own words: no language shows another's.
    assert len({title for title, _ in texts.values()}) == len(LANGS)
    assert len({text for _, text in texts.values()}) == len(LANGS)
