"""The built site in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser import serve
from conftest import BASE_CONFIG, run_cli, write
from test_validate import edit

pytestmark = pytest.mark.browser


def test_tagalog_site_shows_materials_tagalog_ui(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/tl/")
    assert page.locator("html").get_attribute("lang") == "tl"
    # Strings from Material's own Tagalog translation (partials/languages/tl.html).
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Hanapin"
    assert page.locator("a.md-skip").inner_text() == "I-skip tungo sa nilalaman"
    page.close()


def test_azerbaijani_site_shows_materials_azerbaijani_ui(browser, site_url):
    page = browser.new_page()
    page.goto(f"{site_url}/az/")
    assert page.locator("html").get_attribute("lang") == "az"
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Axtar"
    page.close()


def test_pages_request_nothing_but_127_0_0_1(browser, site_url, real_site: Path):
    hosts: set[str] = set()
    failures: list[str] = []
    page = browser.new_page()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or request.url))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failures.append(
        f"{response.status} {response.url}"))
    paths = ["/"] + [
        f"/{lang}/{sub}"
        for lang in ("tl", "az", "en")
        for sub in ("", "customer-types/", "tactics/stay-calm/", "phrases/", "guides/")
    ]
    for path in paths:
        page.goto(site_url + path if path != "/" else site_url + "/tl/")
        page.wait_for_load_state("networkidle")
    # Search loads its index and worker on first use; count those requests too.
    page.goto(f"{site_url}/tl/")
    page.locator("input.md-search__input").click(force=True)
    page.keyboard.type("kalmado")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_load_state("networkidle")
    page.close()
    assert hosts == {"127.0.0.1"}
    assert failures == []


def test_chooser_sends_a_browser_to_its_language(browser, site_url):
    # Russian and Turkish browsers, common in Baku, read Azerbaijani (README, "Languages").
    for locale, lang in (("az-AZ", "az"), ("fil-PH", "tl"), ("en-GB", "en"), ("ru-RU", "az"),
                         ("tr-TR", "az"), ("tl", "tl")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{site_url}/")
        page.wait_for_url(f"{site_url}/{lang}/")
        assert page.locator("html").get_attribute("lang") == lang
        context.close()


@pytest.mark.parametrize("choose", ["chooser", "switch"])
def test_the_readers_choice_is_remembered_across_visits(browser, site_url, choose: str):
    # A browser that asks for English; the reader picks Azerbaijani, on the
    # chooser or in a page's language switch, and comes back another day.
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    if choose == "chooser":
        page.goto(f"{site_url}/#choose")
        page.get_by_role("link", name="Azərbaycanca").click()
    else:
        page.goto(f"{site_url}/en/tactics/")
        page.locator(".md-select").hover()
        page.locator("a.hinahon-language[hreflang=az]").click()
    page.wait_for_url(f"{site_url}/az/**")
    page.close()
    again = context.new_page()
    again.goto(f"{site_url}/")
    again.wait_for_url(f"{site_url}/az/")
    # Nothing but local storage holds it: no cookie.
    assert context.cookies() == []
    # "#choose" still offers every language.
    again.goto(f"{site_url}/#choose")
    assert again.url == f"{site_url}/#choose"
    assert again.locator("a[hreflang]").count() == 3
    assert again.title() == "Hinahon"
    context.close()
    # A new visitor (no storage) is routed by the browser's language again.
    fresh = browser.new_context(locale="en-US")
    page = fresh.new_page()
    page.goto(f"{site_url}/")
    page.wait_for_url(f"{site_url}/en/")
    fresh.close()


def test_chooser_without_javascript_offers_plain_links(browser, site_url):
    context = browser.new_context(java_script_enabled=False, locale="az-AZ")
    page = context.new_page()
    page.goto(f"{site_url}/")
    assert page.url == f"{site_url}/"
    page.get_by_role("link", name="Azərbaycanca").click()
    page.wait_for_url(f"{site_url}/az/")
    assert page.locator("html").get_attribute("lang") == "az"
    context.close()


def test_script_in_content_shows_as_text_and_never_runs(browser, content: Path, tmp_path: Path):
    edit(content / "tactics/stay-calm.yaml", "  en: Keep calm.",
         "  en: Keep calm <script>window.injected = 1</script> now.")
    out = tmp_path / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out),
                     "--config", str(BASE_CONFIG), "--lang", "en", cwd=tmp_path,
                     env={"HINAHON_CHROMIUM": "/nope"})  # the page is what is tested, not its sheet
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        page = browser.new_page()
        page.goto(f"{url}/en/tactics/stay-calm/")
        assert "Keep calm <script>window.injected = 1</script> now." in page.locator("article").inner_text()
        assert page.evaluate("typeof window.injected") == "undefined"
        page.close()
