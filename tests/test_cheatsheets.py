"""Cheat sheets: one printed page per customer type per language, PDFs, fonts.

Printing is Chromium's own (page.pdf), on A4 and on US Letter, with the
site's print stylesheet; pypdf counts the pages and reads the text back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pypdf import PdfReader

from conftest import BASE_CONFIG, LANGS, ROOT, run_cli
from generator.content import read_content
from generator.pdf import MARGIN, PAPER

pytestmark = pytest.mark.browser

KB = read_content(ROOT / "content")
SHEETS = [(lang, type_id, variant) for lang in LANGS for type_id in KB.customer_types
          for variant in ("", "-bilingual")]
MARGINS = {side: MARGIN for side in ("top", "right", "bottom", "left")}


def printed(page, url: str, paper: str) -> PdfReader:
    """The sheet at `url` on `paper`. On the build's own paper, the PDF the build
    printed (what readers download); on any other, printed here the same way."""
    sheet = Path(unquote(urlsplit(url).path)).parent
    if paper == PAPER and sheet.with_suffix(".pdf").is_file():
        return PdfReader(sheet.with_suffix(".pdf"))
    page.goto(url)
    page.evaluate("document.fonts.ready")
    return PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True, margin=MARGINS)))


def flat(text: str) -> str:
    # PDF text comes back in lines, with ligatures (ﬁ) as single characters.
    return " ".join(text.replace("\ufb01", "fi").replace("\ufb00", "ff").split())


@pytest.fixture(scope="module")
def printer(browser):
    page = browser.new_page()
    yield page
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_sheet_prints_on_one_page(printer, real_site: Path, paper: str):
    over = []
    for lang, type_id, variant in SHEETS:
        url = (real_site / lang / "cheatsheets" / f"{type_id}{variant}" / "index.html").as_uri()
        pages = len(printed(printer, url, paper).pages)
        if pages != 1:
            over.append(f"{lang}/{type_id}{variant}: {pages} pages")
    assert over == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pocket_summary_prints_on_two_pages_at_most(printer, real_site: Path, paper: str):
    for lang in LANGS:
        url = (real_site / lang / "cheatsheets" / "pocket-summary" / "index.html").as_uri()
        pdf = printed(printer, url, paper)
        assert len(pdf.pages) <= 2, lang
        text = flat(" ".join(p.extract_text() for p in pdf.pages))
        for customer_type in KB.customer_types.values():
            assert flat(customer_type.title[lang]) in text


def test_printed_sheet_has_its_title_and_four_phrases_and_nothing_of_the_site(
        printer, real_site: Path):
    for lang, type_id, variant in SHEETS:
        url = (real_site / lang / "cheatsheets" / f"{type_id}{variant}" / "index.html").as_uri()
        text = flat(printed(printer, url, "A4").pages[0].extract_text())
        customer_type = KB.customer_types[type_id]
        labels = KB.language(lang).labels
        assert flat(customer_type.title[lang]) in text
        assert len(customer_type.cheat_sheet) == 4
        for phrase_id in customer_type.cheat_sheet:
            assert flat(KB.phrases[phrase_id].phrase.text[lang]) in text, (lang, type_id, phrase_id)
            if variant:
                assert flat(KB.phrases[phrase_id].phrase.text["en"]) in text
        # No navigation, search, footer or buttons: words only the site around it has.
        for chrome in (labels.tactics, labels.glossary, labels.print, labels.download_pdf,
                       "Material for MkDocs", KB.language(lang).native_name):
            assert chrome not in text, (lang, type_id, chrome)
        assert re.search(rf"{re.escape(labels.content_as_of)} \d{{4}}-\d\d-\d\d", text)
        assert f"/{lang}/customer-types/{type_id}/" in text


def test_body_text_is_at_least_10pt(browser, real_site: Path):
    page = browser.new_page()
    page.emulate_media(media="print")
    sizes = {}
    for lang, type_id, variant in SHEETS:
        page.goto((real_site / lang / "cheatsheets" / f"{type_id}{variant}" / "index.html").as_uri())
        sizes[f"{lang}/{type_id}{variant}"] = page.evaluate("""() => Math.min(...[
            ...document.querySelectorAll('.hinahon-sheet *, .md-content h1')]
            .filter(e => e.innerText && e.innerText.trim())
            .map(e => parseFloat(getComputedStyle(e).fontSize)))""")
    page.close()
    assert min(round(px * 0.75, 2) for px in sizes.values()) >= 10  # CSS px to pt


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
