"""`make bench`: build and search figures, measured, never asserted.

- build: seconds for the whole site, pages per language;
- search index: bytes per page per language;
- search latency: from the last keystroke to results shown, in Chromium
  (Debian's, through Playwright), over the query tables the tests use;
- Tagalog stemmer: accuracy on tests/tagalog_roots.tsv, with its misses
  split into under-stemming (affix left on) and over-stemming (root cut);
- scale: synthetic content (tests/synthetic.py) for 10, 100 and 1,000
  customer types, each checked and built in a fresh process: seconds per
  stage, pages, HTML and search bytes per page, site bytes, peak memory, the
  speed-up of building the languages in parallel, and the scale targets.

Environment:
- BENCH_ONLY=scale (or build, stemmer, serve, lighthouse; comma-separated): only those sections
  (build includes the search latency, which needs the built site);
- BENCH_SCALES=10,100,1000: the numbers of customer types;
- BENCH_PDFS=1: the scale builds print their PDFs too (off by default);
- BENCH_RATIO_SCALE=100: the scale built also one language at a time;
- BENCH_DIR: where the scale trees and sites go (default: the temp folder);
  a scale whose estimated size exceeds the free space there is skipped, saying so;
- serve: `python -m generator serve` on synthetic content (BENCH_SERVE_SCALE,
  default 100 customer types): from saving one changed file to the page open
  in Chromium showing the change, over BENCH_SERVE_ROUNDS (default 5) saves,
  and what the server said each partial rebuild took.
- lighthouse: Lighthouse (npm, pinned in tests/js/lighthouse; `make bench` runs
  npm ci there) in Debian's Chromium, mobile with Lighthouse's default
  simulated throttling, on the real site (each language's home, a customer
  type, a tactic and a cheat sheet) and on a plain Material for MkDocs site
  built here from the English type page's Markdown, both served on 127.0.0.1;
  BENCH_LIGHTHOUSE_RUNS (default 3) runs of each page, medians reported.
  Skipped, saying why, without Node or the npm install.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

# Only what a build needs is imported here: the scale section's builds run
# this file in a fresh process (--build-child), whose peak memory is measured.
# The test modules (pytest, Playwright) are imported by the sections using them.
from generator.build import build  # noqa: E402
from generator.stages import IN_MKDOCS, OWN_STAGES, STAGES  # noqa: E402

ROOT = HERE.parent
BASE_CONFIG = ROOT / "mkdocs.yml"
ROUNDS = 3

# From the input event of the query's last key to the moment the result list
# says it answers that query (site_templates/theme/assets/hinahon/search.js).
MEASURE_JS = """
(query) => { window.hinahonMeasure = new Promise(resolve => {
  const input = document.querySelector("[data-hinahon-search] input.md-search__input")
  const list = document.querySelector("[data-hinahon-search] .md-search-result__list")
  let pressed = null
  const observer = new MutationObserver(() => {
    if (pressed !== null && list.getAttribute("data-query") === query) {
      observer.disconnect()
      resolve(performance.now() - pressed)
    }
  })
  input.addEventListener("input", () => { pressed = performance.now() }, { once: true, capture: true })
  observer.observe(list, { attributes: true, attributeFilter: ["data-query"] })
}) }
"""

COLD_PAGES = ("", "customer-types/angry/", "tactics/stay-calm/")
"""Pages whose cold load is weighed, per language."""


def bench_build(out: Path) -> dict:
    import gzip

    started = time.monotonic()
    report = build(ROOT / "content", out, BASE_CONFIG)
    seconds = time.monotonic() - started
    indexed, gzipped = {}, {}
    for r in report.languages:
        text = (out / r.code / "search" / "index.js").read_text("utf-8")
        indexed[r.code] = len(json.loads(text[text.index("{"):])["pages"])
        gzipped[r.code] = len(gzip.compress(text.encode("utf-8"), 9))
    return {"seconds": seconds, "pdfs": report.pdfs, "pages": indexed,
            "index_bytes": {r.code: r.search_bytes for r in report.languages},
            "index_gzip_bytes": gzipped}


def bench_search(site: Path) -> dict:
    from browser import CHROMIUM, CHROMIUM_ARGS, serve
    from conftest import LANGS
    from playwright.sync_api import sync_playwright
    from test_search_browser import QUERIES, TOP, SearchBox

    figures: dict[str, dict] = {}
    with sync_playwright() as playwright, serve(site) as url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang in LANGS:
            figures[lang] = lang_figures = {}
            # Cold loads, cache off: every byte a first visit moves.
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            moved: list[tuple[str, int]] = []
            cdp.on("Network.loadingFinished", lambda e: moved.append((e["requestId"], e["encodedDataLength"])))
            cold = []
            for path in COLD_PAGES:
                moved.clear()
                page.goto(f"{url}/{lang}/{path}")
                page.wait_for_load_state("networkidle")
                cold.append(sum(n for _, n in moved))
            lang_figures["cold_page_bytes"] = statistics.median(cold)
            # The worker's requests are not the page's in CDP; Playwright sees both.
            searched: list[int] = []
            page.on("requestfinished", lambda request: searched.append(
                sum(request.sizes()[k] for k in ("responseBodySize", "responseHeadersSize"))))
            box = SearchBox(page)
            box.results("a")  # the first use loads the worker and the index
            page.wait_for_load_state("networkidle")
            lang_figures["first_search_bytes"] = sum(searched)
            # Hit rate: the tests' table, expected page in the first TOP.
            root = f"{url}/{lang}/"
            hits = sum(urljoin(root, expected) in box.results(query)[:TOP]
                       for query, expected in QUERIES[lang])
            lang_figures["hit_rate"] = hits / len(QUERIES[lang])
            lang_figures["queries_in_table"] = len(QUERIES[lang])
            times = []
            for _ in range(ROUNDS):
                for query, _expected in QUERIES[lang]:
                    box.input.fill("")
                    box.input.fill(query[:-1])
                    page.wait_for_timeout(30)
                    page.evaluate(MEASURE_JS, query)
                    page.keyboard.insert_text(query[-1])  # one input event, as a key gives
                    times.append(page.evaluate("window.hinahonMeasure"))
            lang_figures.update(median_ms=statistics.median(times),
                                p95_ms=sorted(times)[int(0.95 * (len(times) - 1))],
                                searches=len(times))
            context.close()
        browser.close()
    return figures


def bench_stemmer() -> dict:
    from test_search_analysis import ANALYZERS, tagalog_roots

    rows = tagalog_roots()
    tl = ANALYZERS["tl"]
    right = under = over = other = 0
    for word, root in rows:
        got = tl.stem(tl.fold(word.split("-")[-1]))
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
    sections = ("build", "stemmer", "scale", "serve", "wire", "lighthouse")
    only = {name.strip() for name in os.environ.get("BENCH_ONLY", ",".join(sections)).split(",")}
    unknown = only - set(sections)
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown section(s) {', '.join(sorted(unknown))}; "
                 f"choose from {', '.join(sections)}")
    figures = {}
    if "build" in only:
        figures.update(main_build())
    if "stemmer" in only:
        figures["stemmer"] = main_stemmer()
    if "scale" in only:
        figures["scale"] = main_scale()
    if "serve" in only:
        figures["serve"] = main_serve()
    if "wire" in only:
        figures["wire"] = main_wire()
    if "lighthouse" in only:
        figures["lighthouse"] = main_lighthouse()
    print(json.dumps(figures))


def main_build() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        built = bench_build(site)
        search = bench_search(site)
    print(f"Build: {built['seconds']:.1f} s for {len(built['pages'])} languages, "
          f"{built['pdfs']} PDFs included")
    print("Search, per language (index.js; cold page loads with the cache off):")
    for code, pages in built["pages"].items():
        size, packed, found = built["index_bytes"][code], built["index_gzip_bytes"][code], search[code]
        print(f"  {code}: index {size:,} bytes for {pages} pages = {size / pages:,.0f} bytes per page, "
              f"{packed / pages:,.0f} gzipped; hit rate {found['hit_rate']:.0%} of "
              f"{found['queries_in_table']} queries (top 5); last keystroke to results median "
              f"{found['median_ms']:.1f} ms, p95 {found['p95_ms']:.1f} ms over {found['searches']}; "
              f"cold page {found['cold_page_bytes'] / 1024:,.0f} KB (median of {len(COLD_PAGES)}), "
              f"first search loads {found['first_search_bytes'] / 1024:,.0f} KB")
    return {"build": built, "search": search}


def main_stemmer() -> dict:
    stemmer = bench_stemmer()
    print(f"Tagalog stemmer on {stemmer['words']} word/root pairs: accuracy "
          f"{stemmer['accuracy']:.1%}, under-stemmed {stemmer['under_stemmed']:.1%}, "
          f"over-stemmed {stemmer['over_stemmed']:.1%}, other {stemmer['other']:.1%}")
    return stemmer


# --- on the wire --------------------------------------------------------------

WIRE_PAGES = ("customer-types/angry/", "", "cheatsheets/angry/")
"""A type page, the home, a sheet: what a phone loads first, cold."""


def main_wire() -> dict:
    """Cold-page bytes on the wire, served by nginx with deploy/nginx.conf: as a
    browser that accepts no compression gets them (what Python's server, the only
    one before, sent) and as Chromium gets them (brotli)."""
    import nginx
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    missing = nginx.missing()
    if missing:
        print(f"On the wire: SKIPPED, {missing}")
        return {"skipped": missing}
    figures: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        report = build(ROOT / "content", Path(scratch) / "site", BASE_CONFIG, pdfs=False)
        with nginx.nginx(Path(scratch) / "site", Path(scratch) / "nginx") as url, \
                sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for accept in ("identity", None):
                for r in report.languages:
                    for path in WIRE_PAGES:
                        # A new context each time: an empty cache, as a first visit.
                        context = chromium.new_context(
                            extra_http_headers={"Accept-Encoding": accept} if accept else {})
                        page = context.new_page()
                        sizes = []
                        page.on("requestfinished", lambda request: sizes.append(
                            (request.url, request.sizes()["responseBodySize"],
                             request.sizes()["responseHeadersSize"])))
                        page.goto(f"{url}/{r.code}/{path}", wait_until="load")
                        page.wait_for_timeout(200)
                        context.close()
                        figures.setdefault(r.code, {}).setdefault(path or "home", {})[
                            "compressed" if accept is None else "uncompressed"] = {
                            "requests": len(sizes), "body_bytes": sum(s[1] for s in sizes),
                            "wire_bytes": sum(s[1] + s[2] for s in sizes)}
            chromium.close()
        compressed = report.compressed
    print(f"On the wire (nginx, deploy/nginx.conf; cold loads, bodies + headers; "
          f"{compressed.files} files precompressed):")
    print("| language | page | requests | uncompressed | brotli | share |")
    print("|---|---|---:|---:|---:|---:|")
    for code, pages in figures.items():
        for name, forms in pages.items():
            before, after = forms["uncompressed"]["wire_bytes"], forms["compressed"]["wire_bytes"]
            print(f"| {code} | {name} | {forms['compressed']['requests']} | {before / 1024:,.1f} KB "
                  f"| {after / 1024:,.1f} KB | {after / before:.0%} |")
    return figures


# --- serve ------------------------------------------------------------------

TARGET_RELOAD_S = 1.0
"""One changed file to the reloaded page, at 100 customer types."""


PAINTED_JS = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0]
  const at = paint ? paint.startTime : performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd
  return performance.timeOrigin + at
}"""
"""Epoch milliseconds at which the page first painted (else: its DOM was ready)."""


def main_serve() -> dict:
    import queue
    import signal
    import threading

    from playwright.sync_api import sync_playwright

    import synthetic
    from browser import CHROMIUM, CHROMIUM_ARGS

    n = int(os.environ.get("BENCH_SERVE_SCALE", "100"))
    rounds = int(os.environ.get("BENCH_SERVE_ROUNDS", "5"))
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as scratch:
        content = Path(scratch) / "content"
        synthetic.write_tree(n, content)
        type_file = sorted((content / "customer-types").glob("*.yaml"))[0]
        started = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--content", str(content),
             "--config", str(BASE_CONFIG), "--port", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        said: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [said.put(line) for line in server.stdout], daemon=True).start()

        def wait_for(words: str) -> str:
            while True:
                line = said.get(timeout=1800)
                if words in line:
                    return line

        try:
            url = wait_for("Serving on ").split("Serving on ")[1].split()[0]
            first_build = time.monotonic() - started
            wait_for("Ready for changes")  # the partial rebuilds are set up after the first build
            reloads, rebuilds, paints = [], [], []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{url}en/customer-types/{type_file.stem}/")
                for i in range(rounds):
                    data = yaml.safe_load(type_file.read_text("utf-8"))
                    marker = f"Bench edit {i}."
                    data["summary"]["en"] = f"{data['summary']['en']} {marker}"
                    text = synthetic._dump(data)
                    saved, saved_epoch = time.monotonic(), time.time()
                    type_file.write_text(text, "utf-8")
                    # A function, not an expression: the page's policy forbids eval.
                    page.wait_for_function(
                        "(marker) => document.querySelector('article').innerText.includes(marker)",
                        arg=marker, timeout=120_000, polling="raf")
                    reloads.append(time.monotonic() - saved)
                    # When the reloaded page first painted, by its own clock (the same
                    # machine's): what the author sees, without Playwright's polling.
                    painted = page.evaluate(PAINTED_JS) / 1000
                    paints.append(painted - saved_epoch)
                    line = wait_for("page(s) in ")
                    rebuilds.append(float(line.rsplit(" in ", 1)[1].split()[0]))
                    time.sleep(0.5)
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
    median, painted = statistics.median(reloads), statistics.median(paints)
    print(f"Serve at {n} customer types: first build {first_build:.1f} s; saving one changed "
          f"file to the reloaded page painting it: median {painted:.2f} s, max {max(paints):.2f} s "
          f"over {rounds} saves (to Playwright seeing the change: median {median:.2f} s, max "
          f"{max(reloads):.2f} s; the partial rebuild itself: median "
          f"{statistics.median(rebuilds):.2f} s); target at 100 types {TARGET_RELOAD_S:.0f} s: "
          f"{'met' if painted <= TARGET_RELOAD_S else 'MISSED'}")
    return {"types": n, "first_build_s": first_build, "reload_s": reloads, "painted_s": paints,
            "rebuild_s": rebuilds}


# --- lighthouse -------------------------------------------------------------

LIGHTHOUSE = HERE / "js" / "lighthouse"
"""Lighthouse's npm folder: package.json and its lock, run.mjs; node_modules from npm ci."""
LIGHTHOUSE_PAGES = (("home", ""), ("type", "customer-types/angry/"),
                    ("tactic", "tactics/stay-calm/"), ("sheet", "cheatsheets/angry/"))
"""The pages audited in each language (a cold type page is the one the targets name)."""
PLAIN_PAGE = "customer-types/angry"
"""Where the plain Material site has the English type page's Markdown."""
LIGHTHOUSE_FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
"""Beside CHROMIUM_ARGS: no host name resolves but 127.0.0.1, so nothing in Chromium
(an update or sign-in check, an audit's fetch) reaches further, or waits for it."""
BUSY_BENCHMARK_INDEX = 1000
"""Below it Lighthouse warns that the CPU is slower than it expects (its
SLOW_CPU_BENCHMARK_INDEX_THRESHOLD); the best seen on our 2 cores was about 1,150."""
TARGET_LCP_RATIO = 1.10
"""A cold type page's LCP at most 10% above the plain Material page's."""
TARGET_TYPE_PAGE_KB = 300
"""A cold type page's bytes, uncompressed (KB = 1,024 bytes, as elsewhere here)."""
RUN_SETTINGS = ("form_factor", "throttling_method", "throttling", "lighthouse", "user_agent")
"""What each run's line repeats (the same in every run): said once in the JSON."""
RUN_SUMMED = ("url", "final_url", "hosts", "failed", "errored", "errored_weighed")
"""What a page's figures say for all its runs together."""
LIGHTHOUSE_COLUMNS = (
    # (key in a run's figures, heading, format)
    ("performance", "perf", "{:.0f}"), ("accessibility", "a11y", "{:.0f}"),
    ("best-practices", "best pr.", "{:.0f}"), ("lcp_ms", "LCP", "{:,.0f} ms"),
    ("fcp_ms", "FCP", "{:,.0f} ms"), ("tbt_ms", "TBT", "{:,.0f} ms"), ("cls", "CLS", "{:.3f}"),
    ("transfer_bytes", "transfer", "{:,.0f} KB"), ("resource_bytes", "uncompressed", "{:,.0f} KB"),
    ("requests", "requests", "{:.0f}"),
)


def lighthouse_missing() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    from browser import CHROMIUM

    node = shutil.which("node")
    if node is None:
        return "node is not on PATH (install Node.js 18.16 or later, e.g. Debian's nodejs and npm)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    major = int(version.lstrip("v").split(".")[0] or 0) if version[1:2].isdigit() else 0
    if major < 18:
        return f"node {version or '(no version)'} is too old for Lighthouse 12 (18.16 or later)"
    if not (LIGHTHOUSE / "node_modules" / "lighthouse" / "package.json").exists():
        return (f"Lighthouse is not installed in {LIGHTHOUSE.relative_to(ROOT)} (`make bench` "
                "installs it with npm ci, which needs npm)")
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


def plain_material_site(folder: Path) -> Path:
    """A plain Material for MkDocs site, built with our pinned MkDocs and Material:
    Material's defaults but for `font: false` (no Google Fonts), its search plugin
    on, and one page: the Markdown our generator renders for the English angry
    customer type, without our front matter, sidebar line and sanitizer's markers."""
    from generator.content import read_content
    from generator.render import Renderer
    from generator.safe import CONTENT_BEGIN, CONTENT_END

    page = next(p for p in Renderer(read_content(ROOT / "content")).pages("en")
                if p.path == f"{PLAIN_PAGE}.md")
    markdown = page.text.split(CONTENT_BEGIN, 1)[1].split(CONTENT_END, 1)[0].strip() + "\n"
    docs = folder / "docs"
    (docs / PLAIN_PAGE).parent.mkdir(parents=True)
    (docs / f"{PLAIN_PAGE}.md").write_text(markdown, "utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(yaml.safe_dump({
        "site_name": "Plain Material",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
    }, sort_keys=False), "utf-8")
    # Not strict: the page's links to the rest of our site lead nowhere here.
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(folder / "site")],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if built.returncode != 0:
        raise SystemExit(f"the plain Material site did not build:\n{built.stderr[-3000:]}")
    return folder / "site"


def run_lighthouse(urls: list[str], runs: int, timeout: float | None = None) -> list[dict]:
    """Every URL `runs` times in one Chromium (tests/js/lighthouse/run.mjs): one dict a run."""
    from browser import CHROMIUM, CHROMIUM_ARGS

    job = {"urls": urls, "runs": runs, "chromeFlags": CHROMIUM_ARGS + LIGHTHOUSE_FLAGS,
           "categories": ["performance", "accessibility", "best-practices"],
           "runTimeoutMs": 150_000}
    proc = subprocess.Popen(
        ["node", str(LIGHTHOUSE / "run.mjs"), json.dumps(job)], cwd=LIGHTHOUSE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    killed = False
    try:
        out, _ = proc.communicate(timeout=timeout or 60 + 200 * runs * len(urls))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = "timed out"
        proc.send_signal(signal.SIGINT)  # run.mjs's chrome-launcher then ends its Chromium
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            killed = True
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    started = [row["chromium_pid"] for row in rows if "chromium_pid" in row]
    rows = [row for row in rows if "url" in row]
    if killed and started:
        try:
            os.killpg(started[0], signal.SIGKILL)  # the Chromium run.mjs started, which leads its group
        except ProcessLookupError:
            pass
    if code != 0:
        print(f"  Lighthouse stopped ({code}) after {len(rows)} of {runs * len(urls)} runs")
    return rows


def _lighthouse_medians(rows: list[dict]) -> dict:
    """Each figure's median over the runs that finished."""
    good = [r for r in rows if not r.get("runtime_error")]
    medians: dict = {"runs": len(good),
                     "errors": [r["runtime_error"] for r in rows if r.get("runtime_error")]}
    if not good:
        return medians
    for key in [key for key, _, _ in LIGHTHOUSE_COLUMNS] + ["si_ms", "tti_ms", "benchmark_index"]:
        values = [r["scores"].get(key) if key in r["scores"] else r.get(key) for r in good]
        values = [v for v in values if v is not None]
        medians[key] = statistics.median(values) if values else None
    medians["hosts"] = sorted({h for r in good for h in r["hosts"]})
    medians["failed_audits"] = {c: sorted({a for r in good for a in r["failed"].get(c, [])})
                                for c in ("accessibility", "best-practices")}
    medians["errored_audits"] = sorted({a for r in good for a in r.get("errored", [])})
    medians["errored_weighed"] = sorted({a for r in good for a in r.get("errored_weighed", [])})
    return medians


def main_lighthouse() -> dict:
    missing = lighthouse_missing()
    if missing:
        print(f"Lighthouse: SKIPPED, {missing}")
        return {"skipped": missing}
    from browser import serve

    runs = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
    with tempfile.TemporaryDirectory() as scratch:
        # PDFs off: of the pages audited only a sheet's differs, by its PDF's link.
        report = build(ROOT / "content", Path(scratch) / "site", BASE_CONFIG, pdfs=False)
        plain = plain_material_site(Path(scratch) / "plain")
        started = time.monotonic()
        with serve(Path(scratch) / "site") as ours, serve(plain) as theirs:
            pages = {f"{r.code} {name}": f"{ours}/{r.code}/{path}"
                     for r in report.languages for name, path in LIGHTHOUSE_PAGES}
            pages["plain Material"] = f"{theirs}/{PLAIN_PAGE}/"
            load = os.getloadavg()[0]
            print(f"Lighthouse: {len(pages)} pages x {runs} runs, load average {load:.1f} on "
                  f"{os.cpu_count()} cores ...", flush=True)
            # In each round the type pages and the plain one first, one after another, so that
            # the pages the LCP target compares meet the machine in much the same state.
            compared = [url for label, url in pages.items() if label.endswith(" type")]
            compared.append(pages["plain Material"])
            rows = run_lighthouse(compared + [url for url in pages.values() if url not in compared], runs)
        seconds = time.monotonic() - started
    by_url = {url: [r for r in rows if r["url"] == url] for url in pages.values()}
    figures = {label: {"url": url.split("/", 3)[3], **_lighthouse_medians(by_url[url]),
                       "each_run": [{k: v for k, v in r.items() if k not in RUN_SETTINGS + RUN_SUMMED}
                                    for r in by_url[url]]}
               for label, url in pages.items()}
    first = next((r for r in rows if not r.get("runtime_error")), {})
    result = {"seconds": seconds, "runs": runs, "load_average": [load, os.getloadavg()[0]],
              **{k: first.get(k) for k in RUN_SETTINGS}, "pages": figures,
              "targets": _lighthouse_targets(figures, [r.code for r in report.languages])}
    print(lighthouse_table(result))
    return result


def _lighthouse_targets(figures: dict, codes: list[str]) -> dict:
    plain = figures["plain Material"].get("lcp_ms")
    targets = {}
    for code in codes:
        page = figures[f"{code} type"]
        lcp, size = page.get("lcp_ms"), page.get("resource_bytes")
        targets[code] = {
            "type_lcp_ms": lcp, "plain_lcp_ms": plain,
            "lcp_ratio": lcp / plain if lcp and plain else None,
            "lcp_met": lcp <= TARGET_LCP_RATIO * plain if lcp and plain else None,
            "type_bytes": size,
            "bytes_met": size <= TARGET_TYPE_PAGE_KB * 1024 if size is not None else None,
        }
    return targets


def lighthouse_table(result: dict) -> str:
    throttling = result["throttling"] or {}
    agent = result["user_agent"] or ""
    chromium = "Chromium " + agent.split("Chrome/")[1].split(".")[0] if "Chrome/" in agent else agent
    lines = [
        f"Lighthouse {result['lighthouse']}, {result['form_factor']} form factor, "
        f"{result['throttling_method']}d throttling ({throttling.get('rttMs')} ms RTT, "
        f"{throttling.get('throughputKbps', 0) / 1024:.1f} Mbit/s, CPU x"
        f"{throttling.get('cpuSlowdownMultiplier')}), {chromium}; served on 127.0.0.1 "
        f"without compression; median of {result['runs']} runs a page; {result['seconds']:.0f} s, "
        f"load average {result['load_average'][0]:.1f} before, {result['load_average'][1]:.1f} after",
        "",
        "| page | " + " | ".join(heading for _, heading, _ in LIGHTHOUSE_COLUMNS) + " |",
        "|---|" + "---:|" * len(LIGHTHOUSE_COLUMNS),
    ]
    for label, page in result["pages"].items():
        cells = []
        for key, _, form in LIGHTHOUSE_COLUMNS:
            value = page.get(key)
            if value is None:
                cells.append("-")
                continue
            if key in ("performance", "accessibility", "best-practices"):
                value *= 100
            elif key.endswith("_bytes"):
                value /= 1024
            cells.append(form.format(value))
        runs = "" if page["runs"] == result["runs"] else f" ({page['runs']} runs)"
        lines.append(f"| {label}{runs} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Pages: " + ", ".join(f"{name} = {path or 'the language home'}" for name, path in LIGHTHOUSE_PAGES)
        + f"; plain Material: {PLAIN_PAGE}/, the English type page's Markdown. Scores out of 100. "
        "Uncompressed: the decoded bytes of every request of a cold load (the cache cleared); "
        "transfer: Lighthouse's total byte weight, on the wire (it counts a worker's script short). "
        "KB = 1,024 bytes.",
        "",
        "Targets (figures, not assertions):",
    ]
    for code, target in result["targets"].items():
        if target["lcp_ratio"] is not None:
            lines.append(
                f"  {code}: cold type page LCP {target['type_lcp_ms']:,.0f} ms vs plain Material's "
                f"{target['plain_lcp_ms']:,.0f} ms ({target['lcp_ratio'] - 1:+.0%}), target within "
                f"+{TARGET_LCP_RATIO - 1:.0%}: {'met' if target['lcp_met'] else 'MISSED'}")
        if target["type_bytes"] is not None:
            lines.append(
                f"  {code}: cold type page {target['type_bytes'] / 1024:,.1f} KB uncompressed, target "
                f"<= {TARGET_TYPE_PAGE_KB} KB: {'met' if target['bytes_met'] else 'MISSED'}")
    pages = result["pages"].values()
    index = sorted(r["benchmark_index"] for p in pages for r in p["each_run"] if r.get("benchmark_index"))
    if index:
        slow = sum(i < BUSY_BENCHMARK_INDEX for i in index)
        lines.append(f"  Lighthouse's CPU benchmark index: median {statistics.median(index):,.0f}, "
                     f"{index[0]:,.0f} to {index[-1]:,.0f}; {slow} of {len(index)} runs below "
                     f"{BUSY_BENCHMARK_INDEX:,} (a busy machine: the timings above swing with it)")
    elsewhere = sorted({h for p in pages for h in p.get("hosts", []) if not h.startswith("127.0.0.1:")})
    lines.append(f"  requests to any host but 127.0.0.1: {', '.join(elsewhere) if elsewhere else 'none'}")
    for label, page in result["pages"].items():
        failed = {c: a for c, a in page.get("failed_audits", {}).items() if a}
        if failed:
            lines.append(f"  {label}, audits below full marks: " + "; ".join(
                f"{c}: {', '.join(a)}" for c, a in failed.items()))
        if page["errors"]:
            lines.append(f"  {label}: {len(page['errors'])} run(s) failed: {page['errors'][0]}")
    errored = sorted({a for p in pages for a in p.get("errored_audits", [])})
    weighed = sorted({a for p in pages for a in p.get("errored_weighed", [])})
    if errored:
        lines.append(f"  audits Lighthouse could not run: {', '.join(errored)}; of them weighed "
                     f"in a score: {', '.join(weighed) if weighed else 'none'}")
    return "\n".join(lines)


# --- scale ------------------------------------------------------------------

TARGET_HTML_KB = 40
"""HTML per page (median) at 1,000 customer types, in KB."""
TARGET_GROWTH = 11
"""t(1000) / t(100): ten times the content in at most eleven times the seconds."""
TARGET_OWN_SHARE = 0.05
"""The generator's own stages (OWN_STAGES) as a share of the whole build."""
# To guess the first scale's size on disk (later ones extrapolate from those
# measured), as measured at 10, 100 and 1,000 types: a page's size no longer
# grows with the number of types (the sidebar lists the current section only).
GUESS_PAGES_PER_TYPE = 23
"""HTML pages per customer type, all three languages together."""
GUESS_PAGE_BYTES = (25_000, 10)
"""An HTML page: bytes, plus bytes per customer type."""
GUESS_FIXED_BYTES = 20_000_000
"""Theme assets, search indexes, sitemaps: the site less its pages."""


def main_scale() -> dict:
    scales = [int(n) for n in os.environ.get("BENCH_SCALES", "10,100,1000").split(",") if n.strip()]
    pdfs = os.environ.get("BENCH_PDFS") == "1"
    ratio_scale = int(os.environ.get("BENCH_RATIO_SCALE", "100"))
    where = Path(os.environ.get("BENCH_DIR") or tempfile.gettempdir())
    print(f"Scale: {', '.join(map(str, scales))} customer types, every language at once, "
          f"PDFs {'on' if pdfs else 'off'}, in {where}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    rows: dict[int, dict] = {}
    for n in sorted(scales):
        needed = _estimate_bytes(n, rows)
        free = shutil.disk_usage(where).free
        print(f"  {n} types: needs about {_size(needed)} on disk, {_size(free)} free", flush=True)
        if needed > 0.9 * free:
            print(f"  {n} types: SKIPPED, not enough free space in {where} "
                  "(set BENCH_DIR to a bigger disk, or BENCH_SCALES to smaller scales)")
            continue
        rows[n] = bench_scale(n, where, pdfs, ratio=n == ratio_scale)
        print(f"  {n} types: {rows[n]['seconds']:.1f} s", flush=True)
    if rows:
        print(scale_tables(rows))
        print(scale_targets(rows))
    return {str(n): row for n, row in rows.items()}


def _size(count: float) -> str:
    return f"{count / 1e9:.1f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


def _estimate_bytes(n: int, rows: dict[int, dict]) -> float:
    """A guess at the size on disk of the site for n types, with a margin for its
    Markdown and content: pages grow with n, and each page grows (or not) with n
    as it did between the last two scales measured."""
    measured = sorted(rows)
    if not measured:
        pages, fixed = GUESS_PAGES_PER_TYPE * n, GUESS_FIXED_BYTES
        per_page = GUESS_PAGE_BYTES[0] + GUESS_PAGE_BYTES[1] * n
    else:
        last = rows[measured[-1]]
        pages = last["html_pages"] * n / measured[-1]
        last_page = last["html_bytes"] / last["html_pages"]
        if len(measured) > 1:
            before = rows[measured[-2]]
            slope = (last_page - before["html_bytes"] / before["html_pages"]) / (measured[-1] - measured[-2])
        else:
            slope = last_page / measured[-1]  # as if the page were all navigation
        per_page = last_page + max(slope, 0.0) * (n - measured[-1])
        fixed = last["site_bytes"] - last["html_bytes"]
    return 1.2 * (fixed + pages * per_page)


def bench_scale(n: int, where: Path, pdfs: bool, ratio: bool) -> dict:
    """Generate, check and build n customer types; measure the site; remove it all."""
    from synthetic import write_tree

    with tempfile.TemporaryDirectory(prefix=f"hinahon-bench-{n}-", dir=where) as scratch:
        content, site = Path(scratch) / "content", Path(scratch) / "site"
        started = time.monotonic()
        write_tree(n, content)
        generated = time.monotonic() - started
        started = time.monotonic()
        checked = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(content)],
                                 cwd=ROOT, capture_output=True, text=True, env=_child_env(pdfs))
        if checked.returncode != 0:
            raise SystemExit(f"{n} types: the synthetic content fails check:\n{checked.stderr}")
        row = {"generate_s": generated, "check_s": time.monotonic() - started}
        # Every language at once, whatever the cores: the figure to compare with one at a time.
        languages = yaml.safe_load((content / "languages.yaml").read_text("utf-8"))["languages"]
        row.update(_build_in_child(content, site, pdfs, len(languages)))
        row.update(_measure_site(site, row["languages"]))
        if ratio:
            shutil.rmtree(site)
            row["sequential"] = _build_in_child(content, site, pdfs, 1)
    return row


def _child_env(pdfs: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not pdfs:
        env["HINAHON_CHROMIUM"] = "/nope"
    return env


def _build_in_child(content: Path, site: Path, pdfs: bool, jobs: int) -> dict:
    """One build in a fresh Python, so its peak memory is its own."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--build-child", str(content), str(site),
         str(jobs)],
        cwd=ROOT, capture_output=True, text=True, env=_child_env(pdfs))
    if proc.returncode != 0:
        raise SystemExit(f"the build of {content} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def build_child(content: str, site: str, jobs: str) -> None:
    """`bench.py --build-child CONTENT SITE JOBS`: build, then print figures as one JSON line."""
    report = build(Path(content), Path(site), BASE_CONFIG, jobs=int(jobs))
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "seconds": report.seconds, "stages": report.stages, "pdfs": report.pdfs,
        "jobs": int(jobs),
        "languages": {r.code: {"pages": r.pages, "search_bytes": r.search_bytes}
                      for r in report.languages},
        "rss_build_mb": own.ru_maxrss / 1024, "rss_mkdocs_mb": children.ru_maxrss / 1024,  # KiB
        # CPU seconds, which a busy machine changes far less than the wall-clock ones.
        "cpu_build_s": own.ru_utime + own.ru_stime,
        "cpu_mkdocs_s": children.ru_utime + children.ru_stime,
    }))


def _measure_site(site: Path, languages: dict) -> dict:
    import gzip

    html: list[int] = []
    indexed, gzipped = {}, {}
    for code in languages:
        html += [p.stat().st_size for p in (site / code).rglob("*.html")
                 if p.relative_to(site / code).as_posix() != "404.html"]
        index = (site / code / "search" / "index.js").read_text("utf-8")
        indexed[code] = len(json.loads(index[index.index("{"):])["pages"])
        gzipped[code] = len(gzip.compress(index.encode("utf-8"), 6))
    on_disk = sum(os.lstat(os.path.join(folder, name)).st_blocks * 512
                  for folder, _, names in os.walk(site) for name in names)
    search = {code: languages[code]["search_bytes"] / indexed[code] for code in languages}
    packed = {code: gzipped[code] / indexed[code] for code in languages}
    return {"html_median": statistics.median(html), "html_max": max(html), "html_pages": len(html),
            "html_bytes": sum(html), "site_bytes": on_disk, "search_per_page": search,
            "search_gzip_per_page": packed, "indexed": indexed}


def scale_tables(rows: dict[int, dict]) -> str:
    stages = " | ".join(f"{stage} (in MkDocs)" if stage in IN_MKDOCS else stage for stage in STAGES)
    lines = [
        "",
        f"| types | pages/lang | generate | check | {stages} | other | total s | CPU s (build + MkDocs) |",
        "|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|",
    ]
    for n, row in rows.items():
        pages = next(iter(row["languages"].values()))["pages"]
        other = row["seconds"] - sum(v for stage, v in row["stages"].items() if stage not in IN_MKDOCS)
        lines.append(
            f"| {n:,} | {pages:,} | {row['generate_s']:.1f} | {row['check_s']:.1f} | "
            + " | ".join(f"{row['stages'][stage]:.1f}" for stage in STAGES)
            + f" | {other:.1f} | {row['seconds']:.1f} | "
            f"{row['cpu_build_s']:.0f} + {row['cpu_mkdocs_s']:.0f} |")
    lines += [
        "",
        "| types | HTML/page median | HTML/page max | site on disk | search/page (tl, az, en) "
        "| gzipped | peak RSS build | peak RSS one MkDocs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in rows.items():
        search = ", ".join(f"{v / 1024:.1f}" for v in row["search_per_page"].values())
        packed = ", ".join(f"{v / 1024:.1f}" for v in row["search_gzip_per_page"].values())
        lines.append(
            f"| {n:,} | {row['html_median'] / 1024:.0f} KB | {row['html_max'] / 1024:.0f} KB | "
            f"{row['site_bytes'] / 2**20:,.0f} MB | {search} KB | {packed} KB | "
            f"{row['rss_build_mb']:.0f} MB | "
            f"{row['rss_mkdocs_mb']:.0f} MB |")
    return "\n".join(lines)


def scale_targets(rows: dict[int, dict]) -> str:
    def verdict(value: float, target: float) -> str:
        return "pass" if value <= target else "miss"

    largest = max(rows)
    lines = ["", "Targets (figures, not assertions):"]
    html = rows[largest]["html_median"] / 1024
    if 1000 in rows:
        lines.append(f"  HTML per page (median) at 1,000 types: {html:.0f} KB, "
                     f"target <= {TARGET_HTML_KB} KB: {verdict(html, TARGET_HTML_KB)}")
    else:
        lines.append(f"  HTML per page (median) at 1,000 types: not measured; at {largest:,} types "
                     f"{html:.0f} KB (target <= {TARGET_HTML_KB} KB at 1,000)")
    if 100 in rows and 1000 in rows:
        growth = rows[1000]["seconds"] / rows[100]["seconds"]
        lines.append(f"  t(1,000)/t(100): {growth:.1f}, target <= {TARGET_GROWTH}: "
                     f"{verdict(growth, TARGET_GROWTH)}")
    else:
        lines.append(f"  t(1,000)/t(100): not measured (target <= {TARGET_GROWTH})")
    for small in rows:
        large = 10 * small
        if large in rows and rows[small]["pdfs"] and rows[large]["pdfs"]:
            ratio = rows[large]["stages"]["pdfs"] / rows[small]["stages"]["pdfs"]
            lines.append(
                f"  PDFs: {rows[small]['pdfs']:,} in {rows[small]['stages']['pdfs']:.1f} s at "
                f"{small:,} types, {rows[large]['pdfs']:,} in {rows[large]['stages']['pdfs']:.1f} s at "
                f"{large:,}: t ratio {ratio:.1f}, target <= {TARGET_GROWTH}: "
                f"{verdict(ratio, TARGET_GROWTH)}")
    for small in rows:
        if 10 * small in rows and small != 100:
            growth = rows[10 * small]["seconds"] / rows[small]["seconds"]
            lines.append(f"  t({10 * small:,})/t({small:,}): {growth:.1f} (for comparison)")
    for n, row in rows.items():
        outside = sum(row["stages"][stage] for stage in OWN_STAGES if stage not in IN_MKDOCS)
        inside = sum(row["stages"][stage] for stage in OWN_STAGES if stage in IN_MKDOCS)
        # The seconds inside MkDocs are counted in full, as if the languages ran one by one.
        share = (outside + inside) / row["seconds"]
        lines.append(f"  generator's own stages ({', '.join(OWN_STAGES)}) at {n:,} types: "
                     f"{outside:.1f} s in the build + {inside:.1f} s inside MkDocs "
                     f"({', '.join(IN_MKDOCS)}, summed over languages) = {share:.1%} of the "
                     f"build, target <= {TARGET_OWN_SHARE:.0%}: {verdict(share, TARGET_OWN_SHARE)}")
        # The same work against all the CPU the build used (zlib's and brotli's
        # threads, every MkDocs process), and the stages that run before MkDocs alone.
        cpu = row["cpu_build_s"] + row["cpu_mkdocs_s"]
        lines.append(f"    as CPU: {outside + inside:.1f} of {cpu:.0f} CPU s = {(outside + inside) / cpu:.1%}; "
                     f"before MkDocs only ({', '.join(s for s in OWN_STAGES if s not in IN_MKDOCS)}): "
                     f"{outside / row['seconds']:.1%} of the build")
    for n, row in rows.items():
        if "sequential" in row:
            seq, par = row["sequential"], row
            lines.append(
                f"  {n:,} types, {len(row['languages'])} languages one at a time vs "
                f"{par['jobs']} at once: {seq['seconds']:.1f} s / {par['seconds']:.1f} s = "
                f"{seq['seconds'] / par['seconds']:.2f}x (MkDocs stage "
                f"{seq['stages']['mkdocs'] / par['stages']['mkdocs']:.2f}x) on {os.cpu_count()} cores; "
                f"CPU s {seq['cpu_build_s'] + seq['cpu_mkdocs_s']:.0f} / "
                f"{par['cpu_build_s'] + par['cpu_mkdocs_s']:.0f}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-child"]:
        build_child(*sys.argv[2:5])
    else:
        main()
