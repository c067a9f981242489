"""`make bench`: build and search figures, measured, never asserted.

- build: seconds for the whole site, pages per language;
- search index: bytes per page per language;
- search latency: from the last keystroke to results shown, in Chromium
  (Debian's, through Playwright), over the query tables the tests use;
- Tagalog stemmer: accuracy on tests/tagalog_roots.tsv, with its misses
  split into under-stemming (affix left on) and over-stemming (root cut).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from conftest import BASE_CONFIG, LANGS, ROOT  # noqa: E402
from generator.build import build  # noqa: E402
from generator.search.analysis import fold, stem  # noqa: E402
from test_search_analysis import tagalog_roots  # noqa: E402
from test_search_browser import AZERBAIJANI_QUERIES, TAGALOG_QUERIES  # noqa: E402

QUERIES = {
    "tl": [q for q, _ in TAGALOG_QUERIES],
    "az": [q for q, _ in AZERBAIJANI_QUERIES],
    "en": ["angry", "calm", "payment", "contract", "security", "talkative", "apologise",
           "phone", "deadline", "boundaries"],
}
ROUNDS = 3

# Time from the keyup of the query's last key to the moment Material has put
# the results of that query on the page.
MEASURE_JS = """
(query) => { window.hinahonMeasure = new Promise(resolve => {
  const input = document.querySelector("input.md-search__input")
  const list = document.querySelector(".md-search-result__list")
  const meta = document.querySelector(".md-search-result__meta")
  let pressed = null
  const observer = new MutationObserver(() => {
    if (pressed !== null && input.value === query) {
      observer.disconnect()
      resolve(performance.now() - pressed)
    }
  })
  input.addEventListener("keyup", () => { pressed = performance.now() }, { once: true, capture: true })
  observer.observe(list, { childList: true })
  observer.observe(meta, { childList: true, characterData: true, subtree: true })
}) }
"""


def bench_build(out: Path) -> dict:
    started = time.monotonic()
    report = build(ROOT / "content", out, BASE_CONFIG)
    seconds = time.monotonic() - started
    # Cheat sheets repeat their type's page and stay out of search, so the
    # pages counted here are the ones the index holds.
    indexed = {}
    for r in report.languages:
        docs = json.loads((out / r.code / "search" / "search_index.json").read_text("utf-8"))["docs"]
        indexed[r.code] = sum("#" not in doc["location"] for doc in docs)
    return {"seconds": seconds, "pdfs": report.pdfs, "pages": indexed,
            "index_bytes": {r.code: r.search_bytes for r in report.languages}}


def bench_search(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {}
    with sync_playwright() as playwright, serve(site) as url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for lang in LANGS:
            page.goto(f"{url}/{lang}/")
            box = page.locator("input.md-search__input")
            box.click(force=True)
            box.fill("x")
            box.dispatch_event("keyup")  # the first search loads the index
            page.wait_for_selector(".md-search-result__meta")
            page.wait_for_timeout(500)
            times = timings.setdefault(lang, [])
            for _ in range(ROUNDS):
                for query in QUERIES[lang]:
                    box.fill("")
                    box.dispatch_event("keyup")
                    page.wait_for_timeout(50)
                    box.fill(query[:-1])
                    page.evaluate(MEASURE_JS, query)
                    last = query[-1]
                    if last.isascii():
                        page.keyboard.press(last)  # keydown, input, keyup: a real key
                    else:
                        # No US-layout key for İ or Ş: insert it and send its keyup.
                        page.keyboard.insert_text(last)
                        box.dispatch_event("keyup")
                    times.append(page.evaluate("window.hinahonMeasure"))
        browser.close()
    return {lang: {"median_ms": statistics.median(t), "p95_ms": sorted(t)[int(0.95 * (len(t) - 1))],
                   "queries": len(t)} for lang, t in timings.items()}


def bench_stemmer() -> dict:
    rows = tagalog_roots()
    right = under = over = other = 0
    for word, root in rows:
        got = stem(fold(word.split("-")[-1], "tl"), "tl")
        if got == root:
            right += 1
        elif len(got) > len(root):
            under += 1
        elif len(got) < len(root):
            over += 1
        else:
            other += 1
    n = len(rows)
    return {"words": n, "accuracy": right / n, "under_stemmed": under / n,
            "over_stemmed": over / n, "other": other / n}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        built = bench_build(site)
        search = bench_search(site)
    stemmer = bench_stemmer()
    print(f"Build: {built['seconds']:.1f} s for {len(built['pages'])} languages, "
          f"{built['pdfs']} PDFs included")
    print("Search index (bytes per page it holds):")
    for code, pages in built["pages"].items():
        size = built["index_bytes"][code]
        print(f"  {code}: {size:,} bytes / {pages} pages = {size / pages:,.0f} bytes per page")
    print(f"Last keystroke to results shown ({ROUNDS} rounds of each language's query table):")
    for code, figures in search.items():
        print(f"  {code}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms "
              f"over {figures['queries']} searches")
    print(f"Tagalog stemmer on {stemmer['words']} word/root pairs: accuracy "
          f"{stemmer['accuracy']:.1%}, under-stemmed {stemmer['under_stemmed']:.1%}, "
          f"over-stemmed {stemmer['over_stemmed']:.1%}, other {stemmer['other']:.1%}")
    print(json.dumps({"build": built, "search": search, "stemmer": stemmer}))


if __name__ == "__main__":
    main()
