"""Cheat sheets: one printed page per customer type per language, at the
largest size that fits; PDFs, fonts, the address and QR code on paper.

Printing is Chromium's own (page.pdf), on A4 and on US Letter, with the
site's print stylesheet; pypdf counts the pages and reads the text back.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader

from conftest import BASE_CONFIG, LANGS, ROOT, run_cli
from generator.content import read_content
from generator import fit
from generator.layout import BILINGUAL_SHEET_ITEMS, SHEET_ITEMS
from generator.safe import plain_text
from generator.pdf import MARGIN, MARGIN_MM, PAPER

# One worker runs this module, so every sheet is measured once (the `sheets` fixture).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_cheatsheets")]

KB = read_content(ROOT / "content")
SHEETS = [(lang, type_id, variant) for lang in LANGS for type_id in KB.customer_types
          for variant in ("", "-bilingual")]
EVERY_SHEET = [(lang, f"{type_id}{variant}") for lang, type_id, variant in SHEETS] + \
    [(lang, "pocket-summary") for lang in LANGS]
FITTED = re.compile(r'<body class="hinahon-fit-(\d+)"')
MARGINS = {side: MARGIN for side in ("top", "right", "bottom", "left")}


LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl"}


def flat(text: str) -> str:
    # PDF text comes back in lines, with ligatures (ﬁ) as single characters.
    # A line may break after a word's hyphen ("pag-" / "usapan"): joined again here.
    return " ".join(text.translate(LIGATURES).split()).replace("- ", "-").replace("\u2019", "'")


def said(text: str) -> str:
    """A content text as the printed sheet shows it: its Markdown rendered."""
    return flat(plain_text(text))


def sheet_file(site: Path, lang: str, sheet: str) -> Path:
    return site / lang / "cheatsheets" / sheet / "index.html"


def fitted_size(real_site: Path, lang: str, sheet: str) -> float:
    [tenths] = FITTED.findall(sheet_file(real_site, lang, sheet).read_text(encoding="utf-8"))
    return int(tenths) / 10


SIZES_SHOWN = """() => ({
  text: Math.min(...[...document.querySelectorAll('.hinahon-sheet *, .md-content h1')]
    .filter(e => e.offsetParent !== null || getComputedStyle(e).display !== 'none')
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize))),
  phrases: Math.min(...[...document.querySelectorAll('.hinahon-sheet-phrase p')]
    .map(e => parseFloat(getComputedStyle(e).fontSize))),
  count: document.querySelectorAll('.hinahon-sheet-phrase').length,
})"""

WITH_QR_AT_11PT = """() => {
  // What a build with site_url prints: the foot's QR code, here at the smallest size.
  const img = document.createElement("img")
  img.className = "hinahon-sheet-qr"
  document.querySelector(".hinahon-sheet-foot p").prepend(img)
  document.body.className = "hinahon-fit-110"
}"""


@dataclass
class Sheet:
    """One built sheet, loaded once in Chromium's print layout and measured."""

    pdfs: dict[str, PdfReader]
    """Per paper, the sheet printed at its fitted size: on the build's own paper
    the PDF the build printed (what readers download), on the other printed here."""
    text_pt: float
    """The smallest printed text, and the smallest of the four phrases, in points."""
    phrases_pt: float
    phrases: int
    fill: dict[str, float]
    """Per paper, the share of its printable height the sheet's content takes."""
    larger_pages: dict[str, int]
    """Per paper, pages at the next size up (Letter first, the one that usually
    overflows: A4 is tried only if Letter held); empty at the largest size. Where
    the content is taller than the pages allowed, one more than allowed (at
    least that many), unprinted."""
    qr_fits: dict[str, bool]
    """Per paper, whether it still fits at 11 pt with a QR code in its foot."""


def _pdf(page, paper: str) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True, margin=MARGINS)))


def _heights(page) -> dict[str, float]:
    """Per paper, the content's height in the print layout at that paper's width,
    and the paper's printable height."""
    heights = {}
    for paper in fit.PAPERS:
        width, height = paper.printable(MARGIN_MM)
        page.set_viewport_size({"width": round(width), "height": round(height)})
        heights[paper.name] = (page.evaluate("document.body.scrollHeight"), height)
    return heights


def _measure(page, site: Path, lang: str, sheet: str) -> Sheet:
    path = sheet_file(site, lang, sheet)
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready")
    shown = page.evaluate(SIZES_SHOWN)
    fill = {name: used / height for name, (used, height) in _heights(page).items()}
    pdfs = {name: PdfReader(path.parent.with_suffix(".pdf")) if name == PAPER else _pdf(page, name)
            for name in ("A4", "Letter")}
    larger_pages = {}
    size = fitted_size(site, lang, sheet)
    if size != fit.SIZES[-1]:
        page.evaluate(fit.SET_SIZE, fit.class_name(fit.SIZES[fit.SIZES.index(size) + 1]))
        allowed = 2 if sheet == "pocket-summary" else 1
        taller = _heights(page)
        for paper in ("Letter", "A4"):
            used, height = taller[paper]
            # Taller than its pages put together, it cannot print on them: no
            # need to print it to know (a lower bound on the pages it takes).
            # Otherwise it is printed and its pages counted.
            larger_pages[paper] = allowed + 1 if used > allowed * height else len(_pdf(page, paper).pages)
            if larger_pages[paper] > allowed:
                break
    qr_fits = {}
    if sheet != "pocket-summary":
        page.evaluate(WITH_QR_AT_11PT)
        qr_fits = {name: used <= height for name, (used, height) in _heights(page).items()}
    return Sheet(pdfs, shown["text"] * 0.75, shown["phrases"] * 0.75,  # CSS px to pt
                 shown["count"], fill, larger_pages, qr_fits)


@pytest.fixture(scope="module")
def sheets(browser, real_site: Path) -> dict[tuple[str, str], Sheet]:
    """Every sheet of every language, each loaded once (in print media) and
    measured for all the tests below."""
    page = browser.new_page()
    page.emulate_media(media="print")
    measured = {(lang, sheet): _measure(page, real_site, lang, sheet) for lang, sheet in EVERY_SHEET}
    page.close()
    return measured


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_sheet_prints_on_one_page(sheets, paper: str):
    over = [f"{lang}/{sheet}: {len(measured.pdfs[paper].pages)} pages"
            for (lang, sheet), measured in sheets.items()
            if sheet != "pocket-summary" and len(measured.pdfs[paper].pages) != 1]
    assert over == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pocket_summary_prints_on_two_pages_at_most_no_entry_alone(sheets, paper: str):
    for lang in LANGS:
        pdf = sheets[lang, "pocket-summary"].pdfs[paper]
        assert len(pdf.pages) <= 2, lang
        text = flat(" ".join(p.extract_text() for p in pdf.pages))
        for customer_type in KB.customer_types.values():
            assert said(customer_type.title[lang]) in text
        # No entry left alone on a page of its own.
        last = flat(pdf.pages[-1].extract_text())
        on_last = [t.title[lang] for t in KB.customer_types.values() if said(t.title[lang]) in last]
        assert len(pdf.pages) == 1 or len(on_last) >= 2, (lang, paper, on_last)


def test_printed_sheet_has_its_title_and_four_phrases_and_nothing_of_the_site(sheets):
    for lang, type_id, variant in SHEETS:
        text = flat(sheets[lang, f"{type_id}{variant}"].pdfs["A4"].pages[0].extract_text())
        customer_type = KB.customer_types[type_id]
        labels = KB.language(lang).labels
        assert said(customer_type.title[lang]) in text
        assert len(customer_type.cheat_sheet) == 4
        for phrase_id in customer_type.cheat_sheet:
            assert said(KB.phrases[phrase_id].phrase.text[lang]) in text, (lang, type_id, phrase_id)
            if variant:
                assert said(KB.phrases[phrase_id].phrase.text["en"]) in text
        # No navigation, search, footer or buttons: words only the site around it has.
        for chrome in (labels.tactics, labels.glossary, labels.print, labels.download_pdf,
                       "Material for MkDocs", KB.language(lang).native_name):
            assert chrome not in text, (lang, type_id, chrome)
        assert re.search(rf"{re.escape(labels.content_as_of)} \d{{4}}-\d\d-\d\d", text)
        # No site_url in mkdocs.yml: the way to the full page, in words (a path is no use on paper).
        trail = f"{labels.site_name} › {labels.customer_types} › {customer_type.title[lang]}"
        assert flat(trail) in text, (lang, type_id)
        assert f"/{lang}/customer-types/" not in text
        # Each list shows its first items, as many as the sheet has room for.
        limits = BILINGUAL_SHEET_ITEMS if variant else SHEET_ITEMS
        for field, limit in limits.items():
            items = getattr(customer_type, field)
            assert all(said(item[lang])[:40] in text for item in items[:limit]), (lang, type_id, field)
            assert not any(said(item[lang])[:40] in text for item in items[limit:]), (lang, type_id, field)


def test_every_sheet_was_fitted_to_one_of_the_sizes(real_site: Path):
    sizes = {f"{lang}/{sheet}": fitted_size(real_site, lang, sheet) for lang, sheet in EVERY_SHEET}
    assert set(sizes.values()) <= set(fit.SIZES), sizes


def test_one_size_larger_would_not_fit_on_a4_or_on_letter(sheets, real_site: Path):
    # The largest size that fits: at the next size up some paper needs another page.
    fits_larger = []
    for (lang, sheet), measured in sheets.items():
        if fitted_size(real_site, lang, sheet) == fit.SIZES[-1]:
            assert measured.larger_pages == {}
            continue  # already the largest there is
        allowed = 2 if sheet == "pocket-summary" else 1
        if max(measured.larger_pages.values()) <= allowed:
            fits_larger.append(f"{lang}/{sheet}: fits one size larger too ({measured.larger_pages})")
    assert fits_larger == []


def test_printed_text_is_at_least_11pt_and_the_four_phrases_at_least_13pt(sheets):
    small = []
    for (lang, sheet), measured in sheets.items():
        if sheet == "pocket-summary":  # no phrases of its own; no text under 11 pt either
            if measured.text_pt < 11:
                small.append(f"{lang}/{sheet}: text {measured.text_pt:.2f} pt")
            continue
        assert measured.phrases == 4, (lang, sheet)
        if measured.text_pt < 11 or measured.phrases_pt < 13:
            small.append(f"{lang}/{sheet}: text {measured.text_pt:.2f} pt, "
                         f"phrases {measured.phrases_pt:.2f} pt")
    assert small == []


def test_every_one_page_sheet_fills_at_least_80_percent_of_a4_and_of_letter(sheets):
    empty, unfit = [], []
    for (lang, sheet), measured in sheets.items():
        if sheet == "pocket-summary":
            continue
        assert set(measured.fill) == set(measured.qr_fits) == {paper.name for paper in fit.PAPERS}
        empty += [f"{lang}/{sheet} on {paper}: {share:.0%}"
                  for paper, share in measured.fill.items() if share < 0.8]
        # And with a QR code in its foot (site_url set), it still fits at 11 pt,
        # so setting the site's address can never make the build fail.
        unfit += [f"{lang}/{sheet} on {paper}" for paper, fits in measured.qr_fits.items() if not fits]
    assert empty == []
    assert unfit == []


@pytest.fixture(scope="module")
def printer(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_printed_fonts_cover_azerbaijani_and_tagalog_letters(printer, real_site: Path):
    from fontTools.ttLib import TTFont

    letters = "ə ı ş ğ ñ Ə İ Ş Ğ Ñ"
    printer.goto((real_site / "az/cheatsheets/angry/index.html").as_uri())
    printer.evaluate("""(letters) => {
        const p = document.createElement("p"); p.textContent = letters
        document.querySelector(".hinahon-sheet").append(p) }""", letters)
    pdf = PdfReader(io.BytesIO(printer.pdf(format="A4", margin=MARGINS)))
    fonts = {font["/BaseFont"].split("+")[-1]
             for page in pdf.pages for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()]}
    # One family for the whole sheet: no letter needed a fallback font.
    assert fonts and all(name.startswith("DejaVuSans") for name in fonts), fonts
    assert letters.replace(" ", "") in flat(pdf.pages[0].extract_text()).replace(" ", "")
    # And that family maps every one of those letters to a glyph of its own.
    cmap = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").getBestCmap()
    assert all(ord(letter) in cmap for letter in letters.replace(" ", ""))


def test_build_ships_a_one_page_pdf_per_sheet_linked_from_its_page(real_site: Path):
    for lang in LANGS:
        folder = real_site / lang / "cheatsheets"
        for sheet in [*(t + v for t in KB.customer_types for v in ("", "-bilingual")),
                      "pocket-summary"]:
            pdf = PdfReader(folder / f"{sheet}.pdf")
            assert len(pdf.pages) <= (2 if sheet == "pocket-summary" else 1), (lang, sheet)
            assert f'href="../{sheet}.pdf" download' in \
                (folder / sheet / "index.html").read_text(encoding="utf-8")


def test_sheets_are_reachable_from_each_type_and_the_index(real_site: Path):
    for lang in LANGS:
        index = (real_site / lang / "cheatsheets" / "index.html").read_text(encoding="utf-8")
        assert 'href="pocket-summary/"' in index
        for type_id in KB.customer_types:
            assert f'href="{type_id}/"' in index and f'href="{type_id}-bilingual/"' in index
            page = (real_site / lang / "customer-types" / type_id / "index.html").read_text(
                encoding="utf-8")
            assert f'href="../../cheatsheets/{type_id}/"' in page
            assert f'href="../../cheatsheets/{type_id}-bilingual/"' in page


def test_without_chromium_the_build_says_so_in_one_line_and_succeeds(content: Path, tmp_path: Path):
    out = tmp_path / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out),
                     "--config", str(BASE_CONFIG), cwd=tmp_path,
                     env={"HINAHON_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.strip().splitlines()
    assert f"no PDFs (no Chromium at {tmp_path / 'no-chromium'} (apt-get install -y chromium))" in line
    assert list(out.rglob("*.pdf")) == []
    sheet = (out / "tl/cheatsheets/angry/index.html").read_text(encoding="utf-8")
    assert "hinahon-print" in sheet and ".pdf" not in sheet


SITE_URL = "https://example.org/hinahon/"


def svg_matrix(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's SVG path: an absolute move, then runs ("h")
    and relative moves ("m"), one row per y."""
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    dark, x, y = set(), 0.0, 0.0
    for command, numbers in re.findall(r"([MmHh])([^MmHh]*)", path):
        values = [float(v) for v in numbers.replace(",", " ").split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            run = values[0] if command == "h" else values[0] - x
            dark.update((int(x + i), int(y)) for i in range(int(run)))
            x += run
    return dark


def expected_matrix(url: str) -> set[tuple[int, int]]:
    import segno

    border = 2  # modules of white the sheet's code is drawn with (its page margin adds more)
    return {(col + border, row + border)
            for row, line in enumerate(segno.make(url, error="m", micro=False).matrix)
            for col, cell in enumerate(line) if cell}


@pytest.fixture(scope="module")
def addressed(tmp_path_factory) -> tuple[Path, str]:
    """The tiny content built with site_url set (and its PDFs), and the build's summary."""
    root = tmp_path_factory.mktemp("addressed")
    from conftest import TINY_TREE, write
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    config = root / "mkdocs.yml"
    config.write_text(BASE_CONFIG.read_text(encoding="utf-8").replace(
        "site_name: Hinahon\n", f"site_name: Hinahon\nsite_url: {SITE_URL}\n"))
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(config), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "site", result.stdout


def test_with_site_url_each_sheet_prints_its_full_address_and_a_qr_code_to_it(printer, addressed):
    site, summary = addressed
    assert "site_url" not in summary  # nothing to warn about
    for lang in LANGS:
        folder = site / lang / "cheatsheets"
        for sheet, page in [("angry", "customer-types/angry/"), ("angry-bilingual", "customer-types/angry/"),
                            ("pocket-summary", "")]:
            address = f"{SITE_URL}{lang}/{page}"
            svg = (folder / f"{sheet}-qr.svg").read_text(encoding="utf-8")
            assert f"<title>{address}</title>" in svg
            assert svg_matrix(svg) == expected_matrix(address), (lang, sheet)
            html = (folder / sheet / "index.html").read_text(encoding="utf-8")
            [img] = re.findall(r'<img[^>]*class="hinahon-sheet-qr"[^>]*>', html)
            assert address in re.search(r'alt="([^"]*)"', img).group(1), (lang, sheet)
            text = flat(" ".join(p.extract_text() for p in PdfReader(folder / f"{sheet}.pdf").pages))
            assert address in text.replace(" ", ""), (lang, sheet)
            # On screen the sheet leads back to its full page.
            assert f'href="../../{page}"' in html, (lang, sheet)


def test_without_site_url_the_build_says_so_in_its_one_line(real_site: Path):
    # real_site is built from mkdocs.yml, which leaves site_url unset; no sheet has a QR code.
    assert list(real_site.rglob("*-qr.svg")) == []
    for lang in LANGS:
        html = (real_site / lang / "cheatsheets/angry/index.html").read_text(encoding="utf-8")
        assert "hinahon-sheet-qr" not in html
        assert 'href="../../customer-types/angry/"' in html


def test_a_sheet_too_long_for_its_page_fails_the_build_naming_its_file(content: Path, tmp_path: Path):
    from conftest import text as texts

    out = tmp_path / "site"
    first = run_cli("build", "--content", str(content), "--out", str(out),
                    "--config", str(BASE_CONFIG), cwd=tmp_path, env={"HINAHON_CHROMIUM": "/nope"})
    assert first.returncode == 0, first.stderr
    before = (out / "tl/index.html").read_bytes()
    angry = content / "customer-types" / "angry.yaml"
    long = " ".join(["Isang napakahabang paalala na hindi kasya sa isang pahina."] * 150)
    body = angry.read_text(encoding="utf-8").replace(
        "needs:", "  -" + texts(long, long.replace("Isang", "Bir"), long.replace("Isang", "A"), 4)
        + "\nneeds:", 1)
    angry.write_text(body, encoding="utf-8")
    result = run_cli("build", "--content", str(content), "--out", str(out),
                     "--config", str(BASE_CONFIG), cwd=tmp_path)
    assert result.returncode != 0
    assert f"{angry}: error: the sheet cheatsheets/angry/index.html (customer type 'angry', " in result.stderr
    assert "pages even at 11 pt, and must print on 1" in result.stderr
    # Every sheet that shows the long sign is named, in one build: each of them to shorten.
    for lang in LANGS:
        for variant in ("", "bilingual, "):
            assert f"(customer type 'angry', {variant}{lang}) needs" in result.stderr, (lang, variant)
    assert (out / "tl/index.html").read_bytes() == before  # the previous site is untouched


def test_a_type_its_sheet_and_its_bilingual_sheet_have_three_distinct_titles(real_site: Path):
    for lang in LANGS:
        labels = KB.language(lang).labels
        for type_id, customer_type in KB.customer_types.items():
            titles = []
            for page in (f"customer-types/{type_id}", f"cheatsheets/{type_id}",
                         f"cheatsheets/{type_id}-bilingual"):
                html = (real_site / lang / page / "index.html").read_text(encoding="utf-8")
                titles.append(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
            assert len(set(titles)) == 3, titles
            assert labels.cheat_sheet in titles[1] and labels.bilingual_sheet in titles[2], titles
