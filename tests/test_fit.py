"""generator/fit.py: the sizes a sheet can print at, and how a page carries one."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT
from generator import fit

CSS = ROOT / "site_templates" / "theme" / "assets" / "hinahon" / "hinahon.css"


def test_sizes_start_at_11_pt_and_grow():
    assert fit.SIZES[0] == 11
    assert all(b > a for a, b in zip(fit.SIZES, fit.SIZES[1:]))


def test_the_stylesheet_holds_a_rule_for_every_size_and_no_other():
    css = CSS.read_text(encoding="utf-8")
    found = dict(re.findall(r"\.hinahon-fit-(\d+) \{ --hinahon-fit: ([\d.]+)pt; \}", css))
    assert found == {str(round(size * 10)): f"{size:g}" for size in fit.SIZES}
    # And the sheet's text follows the property, 11 pt where no size was set.
    assert "font-size: var(--hinahon-fit, 11pt)" in css


@pytest.mark.parametrize("body", [
    '<html><body dir="ltr">x</body></html>',
    "<html><body>x</body></html>",
    '<html><body class="hinahon-fit-200" dir="ltr">x</body></html>',
])
def test_apply_puts_exactly_one_size_on_body(tmp_path: Path, body: str):
    page = tmp_path / "index.html"
    page.write_text(body, encoding="utf-8")
    fit.apply(page, 12.5)
    fit.apply(page, 13)  # a second fitting replaces the first
    html = page.read_text(encoding="utf-8")
    assert re.findall(r"hinahon-fit-\d+", html) == ["hinahon-fit-130"]
    assert html.count("<body") == 1 and html.endswith("x</body></html>")


def test_apply_refuses_a_page_without_body(tmp_path: Path):
    page = tmp_path / "index.html"
    page.write_text("<html><bodyguard>x</bodyguard></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="no <body>"):
        fit.apply(page, 12)


def test_pages_are_counted_and_the_page_tree_is_not():
    one = b"1 0 obj << /Type /Pages /Count 1 >> 2 0 obj << /Type /Page /Parent 1 0 R >>"
    assert fit.count_pages(one) == 1
    assert fit.count_pages(one + b" 3 0 obj <</Type/Page/Parent 1 0 R>>") == 2
    assert fit.count_pages(b"<< /Type /PageLabel >>") == 0


@pytest.mark.parametrize("limit", [-1, 0, 1, 7, 17, 18])
def test_largest_finds_the_last_index_that_fits(limit: int):
    tried = []

    async def fits(index: int) -> bool:
        tried.append(index)
        return index <= limit

    # A loop of its own, in a thread of its own: Playwright's may run in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(asyncio.run, fit.largest(fits, len(fit.SIZES))).result()
    assert found == limit
    assert len(tried) <= 5  # halving 19 sizes, not trying each


def test_printable_areas_of_the_papers():
    a4, letter = fit.PAPERS
    # (210 - 24) mm and (297 - 24) mm at 96 px to the inch; Letter is 8.5 x 11 in.
    assert a4.printable(12) == pytest.approx((702.99, 1031.81), abs=0.01)
    assert letter.printable(12) == pytest.approx((725.29, 965.29), abs=0.01)
