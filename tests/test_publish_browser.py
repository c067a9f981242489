"""The published site in Chromium, as each host serves it: on nginx with
deploy/nginx.conf (header and <meta> policy both), and on a static host that
sets no headers (the <meta> alone, as on GitHub Pages).

Every page of every language on the static host (the axe walk in
test_accessibility.py covers nginx): no policy violation. On both: search
finds, the language switch and Print work, the "not found" pages lead back in,
and a script slipped into a page is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import nginx

from conftest import LANGS
from generator.content import read_content
from test_accessibility import WATCH_POLICY, pages_of

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
KB = read_content(ROOT / "content")
SERVERS = ["site_url", "static_url"]


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_POLICY)
    # Print opens no dialog headless: the call itself is what is checked.
    context.add_init_script("window.__printed = 0; window.print = function () { window.__printed++ }")
    yield context
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


@pytest.mark.parametrize("lang", [None, *LANGS])
def test_no_page_meets_a_violation_on_a_static_host(context, static_url, real_site, lang):
    # One language a test (None: the root's chooser and 404), so the workers share the walk.
    page = context.new_page()
    blocked, seen = [], 0
    for path in ["", "404.html"] if lang is None else pages_of(real_site, lang):
        # Every script has run by DOMContentLoaded (Material's and ours are
        # deferred or at the end of <body>), and each inline one was judged then.
        page.goto(f"{static_url}/{path}", wait_until="domcontentloaded")
        seen += 1
        blocked += [f"{path}: {v}" for v in violations(page)]
    page.close()
    assert blocked == []
    assert seen == 2 if lang is None else seen > 130


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("lang", LANGS)
def test_search_switch_and_print_work_under_the_policy(context, request, server: str, lang: str):
    url = request.getfixturevalue(server)
    page = context.new_page()
    page.goto(f"{url}/{lang}/cheatsheets/angry/")
    page.locator(".hinahon-print").first.click()
    assert page.evaluate("window.__printed") == 1
    page.keyboard.press("/")
    word = max(KB.customer_types["angry"].title[lang].split(), key=len)
    page.locator(".md-search__input").fill(word)
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
    assert violations(page) == []
    page.keyboard.press("Escape")
    other = next(code for code in LANGS if code != lang)
    page.locator(".md-header__option .md-select").hover()
    page.locator(f"a.hinahon-language[hreflang={other}]").click()
    page.wait_for_url(f"{url}/{other}/cheatsheets/angry/")
    assert page.evaluate("document.documentElement.lang") == other
    assert violations(page) == []
    page.close()


@pytest.mark.parametrize("server", SERVERS)
def test_a_script_slipped_into_a_page_is_refused(context, request, real_site: Path, server: str):
    url = request.getfixturevalue(server)
    for lang in LANGS:
        original = real_site / lang / "tactics" / "stay-calm" / "index.html"
        # .htm: served as HTML, but no other test's walk over *.html meets it meanwhile.
        slipped = original.with_name("slipped.htm")
        page_text = original.read_text("utf-8").replace(
            "</article>", '<script>window.__ran = "inline"</script>'
            '<img src="data:," onerror="window.__ran = \'handler\'"></article>', 1)
        assert "window.__ran" in page_text
        slipped.write_text(page_text, "utf-8")
        page = context.new_page()
        try:
            page.goto(f"{url}/{lang}/tactics/stay-calm/slipped.htm")
            page.wait_for_function("() => window.__violations.length >= 2")
            assert page.evaluate("window.__ran") is None
            refused = violations(page)
            assert any(v.startswith("script-src-elem inline") for v in refused), refused
            assert any(v.startswith("script-src-attr inline") for v in refused), refused
            # The page's own scripts still ran: the search box is Material's and ours.
            assert page.evaluate("typeof window.__md_scope") == "object"
        finally:
            page.close()
            slipped.unlink()


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_address_gets_its_languages_way_back_in(context, site_url, lang: str):
    nginx.require_nginx()  # site_url is nginx wherever nginx is (tests/conftest.py)
    labels = KB.language(lang).labels
    page = context.new_page()
    response = page.goto(f"{site_url}/{lang}/customer-types/no-such-type/")
    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").inner_text() == labels.not_found
    assert page.title().startswith(labels.not_found)
    links = page.locator(".hinahon-not-found a")
    assert links.all_inner_texts() == [labels.home, labels.cheat_sheets]
    page.locator(".hinahon-not-found button").click()
    # The box opens ready to type in.
    page.wait_for_function("() => document.getElementById('__search').checked && "
                           "document.activeElement.matches('.md-search__input')")
    page.keyboard.type(max(KB.customer_types["angry"].title[lang].split(), key=len))
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length > 0")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('__search').checked")
    with page.expect_navigation():
        links.nth(1).click()
    assert page.url == f"{site_url}/{lang}/cheatsheets/"
    assert violations(page) == []
    page.close()


def test_an_address_outside_every_language_offers_each_home(context, site_url):
    nginx.require_nginx()
    page = context.new_page()
    response = page.goto(f"{site_url}/xx/nothing-here")
    assert response.status == 404
    default = KB.language(KB.default_language).labels
    assert page.locator("h1").inner_text() == default.not_found
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => [a.lang, a.getAttribute('href')])")
    assert hrefs == [[code, f"/{code}/"] for code in LANGS]
    with page.expect_navigation():
        page.locator("main a[lang=az]").click()
    assert page.url == f"{site_url}/az/"
    assert violations(page) == []
    page.close()
