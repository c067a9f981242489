"""Search, the language switch and the offline copy, in Chromium.

Each query is what a clerk might really type (no diacritics, capitals,
another affix); the page beside it is where that word is written, and it
must be among the results shown (Material shows the best ten first).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

AZERBAIJANI_QUERIES = [
    ("musteri", "customer-types/"),                        # Müştəri növləri
    ("MÜŞTƏRİ", "customer-types/"),
    ("odenis", "phrases/payment-and-pausing-work/"),        # Ödəniş xatırlatmaları
    ("ODƏNİŞ", "tactics/payment-terms-in-contract/"),       # Ödəniş tarixini ...
    ("cetin", ""),                                          # home: çətin müştərilərlə
    ("ISLEMEK", "tactics/pause-work-until-paid/"),          # Ödənişsiz işləmək
    ("qezebli", "customer-types/angry/"),                   # Qəzəbli müştəri
    ("QƏZƏBLİ", "customer-types/angry/"),
    ("hedeleyen", "customer-types/threatening/"),           # Hədələyən
    ("tehlukesizlik", "phrases/escalation-and-safety/"),    # təhlükəsizlik
    ("muhafize", "tactics/call-security/"),                 # Mühafizəni
    ("polis", "tactics/call-security/"),
    ("senedlesdirin", "tactics/document-everything/"),      # sənədləşdirin
    ("muqavile", "tactics/payment-terms-in-contract/"),     # müqavilədə
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
]

TAGALOG_QUERIES = [
    ("galit", "customer-types/angry/"),                     # Ang galit na customer
    ("nagagalit", "customer-types/angry/"),
    ("pagkagalit", "customer-types/angry/"),
    ("bayad", "customer-types/late-payer/"),                # huli sa bayad
    ("magbayad", "tactics/payment-terms-in-contract/"),     # petsa ng bayad
    ("pagbabayad", "phrases/payment-and-pausing-work/"),    # Paalala sa bayad
    ("babayaran", "customer-types/late-payer/"),            # babayaran din kita
    ("KALMADO", "tactics/stay-calm/"),                      # Manatiling kalmado
    ("sigaw", "tactics/polite-smile-never-shout/"),         # huwag ... sumigaw
    ("sumisigaw", "tactics/polite-smile-never-shout/"),
    ("nananakot", "customer-types/threatening/"),           # Ang nananakot ...
    ("daldal", "customer-types/talkative/"),                # Ang madaldal na customer
    ("magpasya", "customer-types/indecisive/"),             # hindi makapagpasya
    ("sagot", "customer-types/unresponsive/"),              # hindi sumasagot
    ("tawag", "guides/phone-call-four-stages/"),            # isang tawag sa telepono
    ("tumawag sa pulis", "tactics/call-security/"),
    ("kontrata", "tactics/payment-terms-in-contract/"),
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


class SearchBox:
    """Material's search box on one page: type a query, read the result pages."""

    def __init__(self, page):
        self.page = page
        self.input = page.locator("input.md-search__input")
        self.placeholder = page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent)"
            ".translations['search.result.placeholder']"
        )

    def results(self, query: str) -> list[str]:
        meta = ".md-search-result__meta"
        self.input.click(force=True)
        # Material searches on keyup; one keyup after the whole query is in the
        # box runs exactly one search, for exactly that query.
        self.input.fill("")
        self.input.dispatch_event("keyup")
        self.page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent.trim() === text",
            arg=[meta, self.placeholder])
        self.input.fill(query)
        self.input.dispatch_event("keyup")
        self.page.wait_for_function(
            "([sel, text]) => document.querySelector(sel).textContent.trim() !== text",
            arg=[meta, self.placeholder], timeout=15000)
        hrefs = self.page.eval_on_selector_all(
            ".md-search-result__item > a", "links => links.map(link => link.href)")
        return [urlparse(href)._replace(query="", fragment="").geturl() for href in hrefs]


def _check_queries(browser, site_url: str, lang: str, table) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/{lang}/")
    box = SearchBox(page)
    misses = []
    for query, expected in table:
        results = box.results(query)
        wanted = urljoin(f"{site_url}/{lang}/", expected)
        if wanted not in results:
            misses.append((query, expected, [r.removeprefix(site_url) for r in results]))
        # Results come from this language's site only.
        assert all(r.startswith(f"{site_url}/{lang}/") for r in results), (query, results)
    page.close()
    assert misses == [], "\n".join(f"{q!r} should find {e}; got {r}" for q, e, r in misses)


def test_azerbaijani_queries_find_their_pages(browser, site_url):
    assert len(AZERBAIJANI_QUERIES) >= 20
    _check_queries(browser, site_url, "az", AZERBAIJANI_QUERIES)


def test_tagalog_queries_find_their_pages(browser, site_url):
    assert len(TAGALOG_QUERIES) >= 20
    _check_queries(browser, site_url, "tl", TAGALOG_QUERIES)
