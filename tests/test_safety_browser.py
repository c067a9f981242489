"""Hostile trees built by MkDocs and opened in Chromium: nothing runs, nothing calls out.

Each round builds a tiny tree with a payload of tests/payloads.yaml in every
string field of the content model and every label (tests/hostile.py finds
them by introspection), field i holding payload i + round, so each round puts
different payloads in each field and every payload in several. The site is
built in all three languages, with one customer type left untranslated so tl
and az show its English as a fallback, and every page is opened in one
Chromium: the language chooser, every page of every language, and each
language's 404 page; then search is typed into.

`make test` runs a few rounds; `make fuzz` runs one per payload, which puts
every payload in every field (test_safety_render does that cross product
quickly, through the same templates and Markdown but without MkDocs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser import require_chromium, serve
from conftest import BASE_CONFIG, LANGS, run_cli
from hostile import NEVER_SHOWN, Elements, PAYLOADS, HostileTree, hostile_tree, rotation

# One worker runs this module, so its module fixture (a build) is made once, not once per worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_safety_browser")]

NEVER_SHOWN = dict(
    NEVER_SHOWN,
    **{f"languages.yaml:languages.{i}.labels.download_pdf": "on sheets only when PDFs are "
       "printed: test_safety_pdf" for i in range(len(LANGS))},
)

# Attributes that hold a URL a browser may load or run.
_CHECK_PAGE = """() => {
  const bad = [];
  const urlAttributes = ["href", "src", "action", "formaction", "srcset", "data", "poster",
                         "xlink:href", "background", "ping"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) bad.push(`<${el.localName} ${name}>`);
      if (urlAttributes.includes(name)) {
        const value = attr.value.toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, "");
        if (/^(javascript|vbscript|data):/.test(value)) bad.push(`<${el.localName} ${name}="${attr.value}">`);
      }
    }
  }
  // What content and our templates put on the page: Material's chrome is outside it.
  const content = document.querySelector("article") || document.body || document.documentElement;
  for (const el of content.querySelectorAll("[style]")) bad.push(`style on <${el.localName}> in content`);
  for (const el of content.querySelectorAll(
      "script, style, iframe, frame, object, embed, svg, math, form, input, textarea, link, meta, base"))
    bad.push(`<${el.localName}> in content`);
  for (const el of content.querySelectorAll("img")) bad.push(`<img src="${el.getAttribute("src")}"> in content`);
  return {
    bad: bad,
    text: [document.title, document.body.innerText,
           ...[...document.querySelectorAll("meta[name=description]")].map(m => m.content)].join("\\n"),
  };
}"""


ROUNDS = os.environ.get("HINAHON_SAFETY_ROUNDS", "2")
ROUNDS = len(PAYLOADS) if ROUNDS == "all" else int(ROUNDS)


def build_hostile(folder: Path, round_: int, pdfs: bool) -> tuple[HostileTree, Path]:
    tree = hostile_tree(folder / "content", rotation(round_))
    out = folder / "site"
    result = run_cli("build", "--content", str(tree.root), "--out", str(out),
                     "--config", str(BASE_CONFIG), cwd=folder,
                     env={} if pdfs else {"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, f"round {round_}:\n{result.stderr}"
    return tree, out


@pytest.fixture(scope="module", params=range(ROUNDS), ids=lambda i: f"round{i}")
def hostile_site(request, tmp_path_factory):
    # PDFs off: test_pdf_printing_of_a_hostile_tree prints one; here the pages are the point.
    tree, out = build_hostile(tmp_path_factory.mktemp(f"hostile{request.param}"),
                              request.param, pdfs=False)
    return request.param, tree, out


def _pages(site: Path) -> list[str]:
    pages = ["index.html"]
    for lang in LANGS:
        pages += sorted(p.relative_to(site).as_posix() for p in (site / lang).rglob("*.html"))
    return pages


def test_no_payload_runs_calls_out_or_disappears(browser, hostile_site):
    round_, tree, site = hostile_site
    tree: HostileTree
    what = f"round {round_}"
    dialogs: list[str] = []
    off_host: list[str] = []
    bad: dict[str, list[str]] = {}
    shown = ""

    # A locale the site does not have, so the chooser stays instead of redirecting.
    context = browser.new_context(locale="de-DE")

    def route(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            off_host.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    with serve(site) as url:
        pages = _pages(site)
        for path in pages:
            page.goto(f"{url}/{path}")
            found = page.evaluate(_CHECK_PAGE)
            if found["bad"]:
                bad[path] = found["bad"]
            shown += found["text"]
        # Search shows titles and text from the index: type what the fields hold
        # (in one language per round, taking turns).
        for lang in [LANGS[round_ % len(LANGS)]]:
            page.goto(f"{url}/{lang}/")
            search = page.locator("input.md-search__input")
            search.click(force=True)
            page.keyboard.type(tree.fields[0].marker)
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            found = page.evaluate(_CHECK_PAGE.replace('document.querySelector("article")',
                                                      'document.querySelector(".md-search-result")'))
            if found["bad"]:
                bad[f"{lang}/ search results"] = found["bad"]
    context.close()

    assert len(pages) > 40
    assert dialogs == [], f"{what}: a payload ran a script"
    assert off_host == [], f"{what}: a payload made the browser call another host"
    assert bad == {}, f"{what}: markup got through:\n{json.dumps(bad, indent=1)}"
    missing = [str(f) for f in tree.fields if f.marker not in shown and str(f) not in NEVER_SHOWN]
    assert missing == [], f"{what}: these fields' text is shown nowhere"


def test_every_refused_field_is_a_constrained_one(hostile_site):
    """A payload may only be refused by fields the model constrains, with a file:line error."""
    _round, tree, _site = hostile_site
    for field, message in tree.refused:
        assert field.loc[-1] in {"theme_language"}, (field, message)
        assert message.split(":")[1].isdigit() and ": error: " in message


def test_pdf_printing_of_a_hostile_tree(tmp_path: Path):
    """The build's own Chromium prints hostile sheets: a dialog there fails the build."""
    require_chromium()
    tree, site = build_hostile(tmp_path, 0, pdfs=True)
    sheets = ["angry", "angry-bilingual", "untranslated", "untranslated-bilingual", "pocket-summary"]
    for lang in LANGS:
        for sheet in sheets:
            pdf = site / lang / "cheatsheets" / f"{sheet}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF"), pdf
    # The one label only sheets with a PDF show is shown, as text.
    for index in range(len(LANGS)):
        field = next(f for f in tree.fields
                     if str(f) == f"languages.yaml:languages.{index}.labels.download_pdf")
        page = (site / LANGS[index] / "cheatsheets" / "angry" / "index.html").read_text("utf-8")
        elements = Elements(page)
        assert field.marker in elements.text
        assert not [name for _tag, attrs in elements.tags for name in attrs if name.startswith("on")]
        assert not [script for script in elements.scripts if "alert" in script or "hx" in script]
