"""Search in Chromium: every language, served and from file://.

Each query is what a clerk might really type (no diacritics, capitals,
another inflection, a typo); the page beside it is where that word is
written, and it must be among the first five pages listed. Results come
from the language's own site only; the words that matched are marked in the
result and on the page it opens; and no page asks for the index before the
reader goes to the search box.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from test_search_analysis import ANALYZERS

pytestmark = pytest.mark.browser

TOP = 5
"""An expected page must be among this many pages listed."""

AZERBAIJANI_QUERIES = [
    ("musteri", "customer-types/"),                        # Müştəri növləri
    ("MÜŞTƏRİ", "customer-types/"),
    ("odenis", "phrases/payment-and-pausing-work/"),        # Ödəniş xatırlatmaları
    ("ODƏNİŞ", "tactics/payment-terms-in-contract/"),       # Ödəniş tarixini ...
    ("ISLEMEK", "tactics/pause-work-until-paid/"),          # Ödənişsiz işləmək
    ("qezebli", "customer-types/angry/"),                   # Qəzəbli müştəri
    ("QƏZƏBLİ", "customer-types/angry/"),
    ("hedeleyen", "customer-types/threatening/"),           # Hədələyən
    ("hedelyen", "customer-types/threatening/"),            # a letter left out
    ("tehlukesizlik", "phrases/escalation-and-safety/"),    # təhlükəsizlik
    ("muhafize", "tactics/call-security/"),                 # Mühafizəni
    ("polis", "tactics/call-security/"),
    ("senedlesdirin", "tactics/document-everything/"),      # sənədləşdirin
    ("muqavile", "tactics/payment-terms-in-contract/"),     # müqavilədə
    ("muqavle", "tactics/payment-terms-in-contract/"),      # a letter left out
    ("gulumseyin", "tactics/polite-smile-never-shout/"),    # gülümsəyin
    ("qisqiriq", "tactics/polite-smile-never-shout/"),      # qışqırıqla
    ("uzr istemek", "phrases/acknowledging-and-apologising/"),  # üzr istəmək
    ("telefon", "guides/phone-call-four-stages/"),
    ("geri zeng", "tactics/hand-over-or-call-back/"),       # geri zəng
    ("sesli mesaj", "tactics/personal-voice-note/"),        # səsli mesaj
    ("mesafe", "tactics/respect-personal-space/"),          # məsafəyə
    ("danisan", "customer-types/talkative/"),               # danışan
    ("tereddud", "tactics/acknowledge-doubt/"),             # Tərəddüdü
    ("gozlenti", "tactics/revisit-expectations/"),          # Gözləntiləri
    ("keyfiyyet", "guides/service-quality-criteria/"),      # keyfiyyətinin
    ("bagli pencere", "tactics/closed-window/"),            # Bağlı pəncərə
    ("bağlı pəncərə", "tactics/closed-window/"),
    ("tələfon", "guides/phone-call-four-stages/"),          # ə typed where e is written
]

TAGALOG_QUERIES = [
    ("galit", "customer-types/angry/"),                     # Ang galit na customer
    ("nagagalit", "customer-types/angry/"),
    ("pagkagalit", "customer-types/angry/"),
    ("kalmdo", "tactics/stay-calm/"),                       # a letter left out
    ("bayad", "customer-types/late-payer/"),                # huli sa bayad
    ("magbayad", "tactics/payment-terms-in-contract/"),     # petsa ng bayad
    ("pagbabayad", "phrases/payment-and-pausing-work/"),    # Paalala sa bayad
    ("babayaran", "customer-types/late-payer/"),            # babayaran din kita
    ("KALMADO", "tactics/stay-calm/"),                      # Manatiling kalmado
    ("sigaw", "tactics/polite-smile-never-shout/"),         # huwag ... sumigaw
    ("ngiti", "tactics/polite-smile-never-shout/"),         # Ngumiti nang magalang
    ("nananakot", "customer-types/threatening/"),           # Ang nananakot ...
    ("NANANAKOT", "customer-types/threatening/"),
    ("daldal", "customer-types/talkative/"),                # Ang madaldal na customer
    ("magpasya", "customer-types/indecisive/"),             # hindi makapagpasya
    ("kliyenteng hindi sumasagot", "customer-types/unresponsive/"),
    ("tawag", "guides/phone-call-four-stages/"),            # isang tawag sa telepono
    ("tumawag sa pulis", "tactics/call-security/"),
    ("kontrata", "tactics/payment-terms-in-contract/"),
    ("kontarta", "tactics/payment-terms-in-contract/"),     # two letters swapped
    ("paumanhin", "tactics/validate-then-apologise/"),
    ("espasyo", "tactics/respect-personal-space/"),
    ("bintana", "tactics/closed-window/"),                  # saradong bintana
    ("serbisyo", "guides/service-quality-criteria/"),
    ("pagkontrol", "tactics/explain-the-cost-of-control/"),  # sobrang pagkontrol
    ("kontrolin", "customer-types/controlling/"),
    ("bumati", "phrases/greeting-and-opening/"),            # Pagbati
    ("asahan", "tactics/revisit-expectations/"),            # inaasahan
    ("ang mga customer na madaldal", "tactics/steer-back/"),  # stop words dropped
]

ENGLISH_QUERIES = [
    ("angry", "customer-types/angry/"),                     # The angry customer
    ("ANGRY CUSTOMERS", "customer-types/angry/"),
    ("aggressive", "customer-types/aggressive/"),
    ("threatened", "customer-types/threatening/"),          # The threatening ... customer
    ("threatning", "customer-types/threatening/"),          # a letter left out
    ("dangerous", "customer-types/threatening/"),
    ("police", "tactics/call-security/"),                   # Call security or the police
    ("calling security", "tactics/call-security/"),
    ("apologizing", "phrases/acknowledging-and-apologising/"),  # US spelling: one letter off
    ("talkative", "customer-types/talkative/"),
    ("indecisive", "customer-types/indecisive/"),
    ("controling", "customer-types/controlling/"),          # a letter left out
    ("unresponsive", "customer-types/unresponsive/"),
    ("Critical", "customer-types/highly-critical/"),        # The highly critical customer
    ("highly critical", "customer-types/highly-critical/"),
    ("late payers", "customer-types/late-payer/"),
    ("contracts", "tactics/payment-terms-in-contract/"),    # Put the due date in the contract
    ("voice notes", "tactics/personal-voice-note/"),        # Send a personal voice note
    ("shouted", "tactics/polite-smile-never-shout/"),       # never shout back
    ("smiling", "tactics/polite-smile-never-shout/"),
    ("personal space", "tactics/respect-personal-space/"),
    ("stays calm", "tactics/stay-calm/"),                   # Stay calm
    ("closed window", "tactics/closed-window/"),
    ("expectation", "tactics/revisit-expectations/"),       # Go back over the expectations
    ("phone calls", "guides/phone-call-four-stages/"),      # A phone call in four stages
    ("etiquete", "guides/front-desk-etiquette/"),           # a letter left out
    ("when to let a client go", "guides/walking-away-and-offboarding/"),  # its title
    ("greetings", "phrases/greeting-and-opening/"),
    ("boundary", "phrases/boundaries-and-ending/"),         # Setting boundaries ...
    ("escalating", "phrases/escalation-and-safety/"),       # Escalation and safety
    ("empathy", "tactics/mirror-validate-empathise/"),      # Mirror, validate, empathise
    ("what to say to an angry customer", "customer-types/angry/"),  # stop words dropped
]

QUERIES = {"tl": TAGALOG_QUERIES, "az": AZERBAIJANI_QUERIES, "en": ENGLISH_QUERIES}

# A query whose written form differs from what is typed (folded, stemmed),
# the page it finds, and the word as the page writes it, which must be marked.
MARKED = {
    "tl": ("nagagalit", "customer-types/angry/", "galit"),
    "az": ("qezebli", "customer-types/angry/", "Qəzəbli"),
    "en": ("threatened", "customer-types/threatening/", "threatening"),
}


class SearchBox:
    """The search box on one page: type a query, read the pages listed."""

    LIST = "[data-hinahon-search] .md-search-result__list"

    def __init__(self, page):
        self.page = page
        self.input = page.locator("[data-hinahon-search] input.md-search__input")

    def type(self, query: str) -> None:
        self.input.click(force=True)
        self.input.fill(query)
        # The list says which query it answers: wait for this one's answer.
        self.page.wait_for_function(
            "([sel, q]) => document.querySelector(sel).getAttribute('data-query') === q",
            arg=[self.LIST, query], timeout=15000)

    def results(self, query: str) -> list[str]:
        """The pages listed for `query`, best first, without their ?hl=... or #anchor."""
        self.type(query)
        hrefs = self.page.eval_on_selector_all(
            f"{self.LIST} > .md-search-result__item > a:first-child",
            "links => links.map(link => link.href)")
        return [urlparse(href)._replace(query="", fragment="").geturl() for href in hrefs]

    def marked(self) -> list[str]:
        """The words marked in the listed results."""
        return self.page.eval_on_selector_all(
            f"{self.LIST} mark", "marks => marks.map(mark => mark.textContent)")


def check_table(page, start: str, table, page_url, site_root: str) -> list[str]:
    """Type every query of `table` on the page at `start`; returns what went wrong, as lines."""
    page.goto(start)
    box = SearchBox(page)
    misses = []
    for query, expected in table:
        results = box.results(query)
        wanted = page_url(expected)
        if wanted not in results[:TOP]:
            misses.append(f"{query!r} should find {expected} in the first {TOP}; got {results[:TOP]}")
        others = [r for r in results if not r.startswith(site_root)]
        if others:
            misses.append(f"{query!r} listed pages of another site: {others}")
    return misses


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_each_languages_queries_find_their_pages(browser, site_url, lang):
    table = QUERIES[lang]
    assert len(table) >= 25
    root = f"{site_url}/{lang}/"
    page = browser.new_page()
    misses = check_table(page, root, table, lambda path: urljoin(root, path), root)
    page.close()
    assert misses == [], "\n".join(misses)


def offline_file(site: Path, lang: str, path: str) -> str:
    """The file:// address of a page given by its served path ("customer-types/angry/")."""
    parts = [part for part in path.split("/") if part]
    if len(parts) <= 1:
        return (site / lang / Path(*parts) / "index.html").as_uri()
    return (site / lang / Path(*parts)).with_suffix(".html").as_uri()


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_the_offline_copy_finds_the_same_pages_from_file(browser, offline_site: Path, lang):
    page = browser.new_page()
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: failed.append(request.url))
    misses = check_table(page, offline_file(offline_site, lang, ""), QUERIES[lang],
                         lambda path: offline_file(offline_site, lang, path),
                         (offline_site / lang).as_uri() + "/")
    page.close()
    assert misses == [], "\n".join(misses)
    # Nothing leaves the computer, and every file search needs is there.
    assert requests and all(url.startswith("file://") for url in requests)
    assert failed == []


@pytest.mark.parametrize("lang", sorted(MARKED))
def test_matched_words_are_marked_in_results_and_on_the_page_opened(browser, site_url, lang):
    query, expected, written = MARKED[lang]
    page = browser.new_page()
    page.goto(f"{site_url}/{lang}/")
    box = SearchBox(page)
    box.type(query)
    assert written in box.marked(), (query, box.marked())
    link = page.locator(f"{SearchBox.LIST} > li > a[href*='{expected}']").first
    link.click()
    page.wait_for_url(f"{site_url}/{lang}/{expected}?*")
    page.wait_for_selector("article mark.hinahon-highlight")
    on_page = page.eval_on_selector_all("article mark.hinahon-highlight",
                                        "marks => marks.map(mark => mark.textContent)")
    terms = set(parse_qs(urlparse(page.url).query)["hl"][0].split())
    page.close()
    assert written in on_page
    # Every mark is a whole word, as the page writes it, that is one of the terms matched.
    analyzer = ANALYZERS[lang]
    assert all(set(analyzer.forms(word)) & terms for word in on_page), (terms, on_page)


def test_a_cold_page_load_asks_for_no_search_file_until_the_box_is_used(browser, site_url):
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(urlparse(request.url).path))
    for lang in sorted(QUERIES):
        for path in ("", "customer-types/angry/", "tactics/stay-calm/", "glossary/"):
            page.goto(f"{site_url}/{lang}/{path}")
            page.wait_for_load_state("networkidle")
    cold = [r for r in requests if "/search/" in r or "search_index" in r]
    assert cold == []
    page.goto(f"{site_url}/en/")
    page.wait_for_load_state("networkidle")
    SearchBox(page).results("angry")
    page.close()
    used = {r.removeprefix("/en/search/") for r in requests if r.startswith("/en/search/")}
    engine = {"worker.js", "minisearch.js", "analysis.js", "index.js"}
    assert engine <= used
    # Beside the engine, only the files holding the texts of the pages listed.
    texts = used - engine
    assert texts and all(name.startswith("text/") and name.endswith(".js") for name in texts), used
    assert not any("search_index" in r for r in requests)
