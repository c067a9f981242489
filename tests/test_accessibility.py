"""Every page, as a clerk on a cheap phone and a keyboard or screen-reader user meets it.

axe-core (the pinned copy in tests/js/axe, installed by `make test` with npm;
nothing is fetched while testing) runs in Debian's Chromium over every page
of every language, at a phone's width and a desktop's. The phone pass also
measures what a phone shows: no sideways scrolling at 360 px, and on every
type that can turn dangerous, "when to get help" on the first screen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import LANGS, ROOT
from generator.content import read_content

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "js" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
KB = read_content(ROOT / "content")
PHONE = {"width": 360, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    if AXE.is_file():
        return AXE.read_text("utf-8")
    message = f"{AXE} is missing: `make test` installs it (npm ci in tests/js/axe)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def pages_of(site: Path, lang: str) -> list[str]:
    """Every page of one language's site, as the URL path below the site's root,
    its "not found" page included."""
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in (site / lang).rglob("index.html"))
    assert len(pages) > 50, pages
    return pages + [f"{lang}/404.html"]


# Every Content-Security-Policy violation a page meets (generator/csp.py),
# recorded from before its first script runs.
WATCH_POLICY = """window.__violations = []
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""))
})"""


# preload: false skips fetching every stylesheet again for the one rule that
# reads them (css-orientation-lock), which is experimental and off by default:
# the same rules run, in 60% of the time.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"], preload: false})
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    where: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }))
}"""

MEASURE = """() => {
  const help = document.querySelector(".hinahon-help h2")
  return {
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    help_top: help ? help.getBoundingClientRect().top + window.scrollY : null,
    danger: !!document.querySelector(".hinahon-help--danger"),
  }
}"""


SETTLED = """() => document.querySelectorAll(".md-search-result__item").length > 0
  && document.getAnimations().every(a => a.playState !== "running"
                                        || a.effect.getComputedTiming().iterations === Infinity)"""


# The resize has been laid out: the page is as wide as the window, two frames on.
WIDE = """(width) => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
  () => done(window.innerWidth === width && document.documentElement.clientWidth <= width))))"""


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


def _judged(page, viewport: str, where: str) -> list[str]:
    return [f"{where} ({viewport}): {v['id']} ({v['impact']}) at {v['where']}"
            for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


# Each page is loaded once, at a phone's width (as a phone loads it, so what the
# first screen shows is measured there), judged, then widened to a desktop's and
# judged again: Material lays the page out anew on resize, and half the loads go.
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_or_critical_axe_violation_on_any_page(browser, site_url, real_site, axe, lang: str):
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(axe)
    context.add_init_script(WATCH_POLICY)
    page = context.new_page()
    found, sideways, late_help, blocked = [], [], [], []
    pages = pages_of(real_site, lang)
    for path in pages:
        page.set_viewport_size(PHONE)
        page.goto(f"{site_url}/{path}")
        found += _judged(page, "phone", path)
        blocked += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
        measured = page.evaluate(MEASURE)
        if measured["sideways"] > 0:
            sideways.append(f"{path}: {measured['sideways']} px wider than the screen")
        if "/customer-types/" in path and path.count("/") == 3:
            type_id = path.split("/")[2]
            expected = KB.customer_types[type_id].can_turn_dangerous
            assert measured["danger"] == expected, path
            if expected and not measured["help_top"] < PHONE["height"]:
                late_help.append(f"{path}: 'when to get help' starts at {measured['help_top']} px")
        page.set_viewport_size(DESKTOP)
        page.wait_for_function(WIDE, arg=DESKTOP["width"])
        found += _judged(page, "desktop", path)
    # And the search box, open, in both: a dialog with its own name and landmarks.
    for viewport in VIEWPORTS:
        page.set_viewport_size(VIEWPORTS[viewport])
        page.goto(f"{site_url}/{lang}/")
        page.keyboard.press("/")
        # A word every language's site holds, so there are results (with marks) to judge.
        word = max(KB.customer_types["angry"].title[lang].split(), key=len)
        page.locator(".md-search__input").fill(word)
        # The box fades from the header's colours to its own over 0.4 s: axe must
        # judge the colours a reader is left with, not a frame of the fade.
        page.wait_for_function(SETTLED)
        found += _judged(page, viewport, "search open")
        blocked += [f"search open: {v}" for v in page.evaluate("window.__violations")]
    context.close()
    assert found == []
    # Served as published (tests/conftest.py: nginx with deploy/nginx.conf, its
    # header beside each page's own policy), nothing the site ships is refused.
    assert blocked == []
    assert sideways == []
    assert late_help == []


def test_every_type_that_can_turn_dangerous_is_known_to_the_tests():
    # The phone check above means nothing if no type is marked.
    assert any(t.can_turn_dangerous for t in KB.customer_types.values())


@pytest.mark.parametrize("lang", LANGS)
def test_phone_keyboard_never_lands_in_the_closed_drawer(browser, site_url, lang: str):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/{lang}/customer-types/angry/")
    stops, hidden = [], []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => {
          const el = document.activeElement
          const box = el.getBoundingClientRect()
          return {tag: el.tagName, text: (el.textContent || "").trim().slice(0, 40),
                  drawer: !!el.closest(".md-sidebar--primary"),
                  content: !!el.closest(".md-content"),
                  shown: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth}
        }""")
        stops.append(where)
        if where["drawer"] or not where["shown"]:
            hidden.append(where)
        if where["content"]:
            break
    context.close()
    assert hidden == []
    # The page's own links are reached after the header's few controls.
    assert stops[-1]["content"], stops


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_names_each_term_in_every_language_each_marked_with_its_lang(
        browser, site_url, lang: str):
    page = browser.new_page()
    page.goto(f"{site_url}/{lang}/glossary/")
    for term in KB.glossary:
        block = page.locator(f"#{term.id}")
        assert block.locator("strong").first.inner_text() == term.term[lang]
        for other in KB.languages:
            if other.code == lang:
                continue
            span = block.locator(f".hinahon-term-other[lang='{other.code}']")
            assert term.term[other.code] in span.inner_text(), (term.id, other.code)
    page.close()
