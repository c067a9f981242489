"""Fitting a sheet to its paper: the largest type at which it still prints on
its pages, on A4 and on US Letter alike.

A sheet's printed text is sized from one custom property, `--hinahon-fit`
(site_templates/theme/assets/hinahon/hinahon.css): its body text, and its
headings and phrases in proportion. The print stage (generator/pdf.py) tries
the sizes in `SIZES` on the built page in Chromium, picks the largest at which
the sheet fits both papers, and writes it into the page as a class on
`<body>` (`hinahon-fit-130` for 13 pt), so a sheet printed from any browser
comes out at that size. A page no one fitted (a build without Chromium)
prints at the smallest size, `SIZES[0]`.

One-page sheets are measured: the page is laid out in print media at the
paper's printable width and its height compared with the printable height;
the PDF printed then is checked, and printed a size smaller should Chromium's
pagination disagree. Sheets of more than one page (the pocket summary) are
printed at each size tried and their pages counted, as page breaks cannot be
measured from a layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SIZES: tuple[float, ...] = tuple(11 + step / 2 for step in range(19))
"""Body text sizes in points, smallest first: 11 pt (read at arm's length) to 20 pt."""

MM = 96 / 25.4
"""CSS pixels in a millimetre."""


@dataclass(frozen=True)
class Paper:
    name: str
    """As Chromium's `page.pdf(format=...)` knows it."""
    width_mm: float
    height_mm: float

    def printable(self, margin_mm: float) -> tuple[float, float]:
        """The area inside the margins, in CSS pixels."""
        return (self.width_mm - 2 * margin_mm) * MM, (self.height_mm - 2 * margin_mm) * MM


PAPERS = (Paper("A4", 210, 297), Paper("Letter", 215.9, 279.4))
"""Every sheet fits both: a trainer in Manila may print on Letter, one in Baku on A4."""


def class_name(size: float) -> str:
    """The `<body>` class that sets a sheet's size: `hinahon-fit-115` for 11.5 pt."""
    return f"hinahon-fit-{round(size * 10)}"


def css_rules() -> str:
    """The stylesheet rules the classes need; hinahon.css holds exactly these
    (tests/test_fit.py compares), so Python and CSS cannot drift apart."""
    return "\n".join(f".{class_name(size)} {{ --hinahon-fit: {size:g}pt; }}" for size in SIZES)


_BODY = re.compile(rb"<body(?=[\s>])")
_FITTED = re.compile(rb'(<body) class="hinahon-fit-\d+"(?=[\s>])')


def unfitted(html: bytes) -> bytes:
    """A built page as the build made it, before any size was written into it."""
    return _FITTED.sub(rb"\1", html, count=1)


def apply(page: Path, size: float) -> None:
    """Write `size` into the built page at `page`, replacing any size it had."""
    html = unfitted(page.read_bytes())
    found = _BODY.search(html)
    if found is None:
        raise ValueError(f"{page}: no <body> to carry the sheet's size")
    at = found.end()
    page.write_bytes(html[:at] + f' class="{class_name(size)}"'.encode() + html[at:])


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: bytes) -> int:
    """How many pages a PDF Chromium printed has (each is one `/Type /Page` object)."""
    return len(_PAGE.findall(pdf))


_SET_SIZE = """const setSize = (name) => {
    document.body.className = document.body.className.replace(/\\bhinahon-fit-\\d+\\b/g, "").trim()
    if (name) document.body.classList.add(name)
  }"""

SET_SIZE = f"""(name) => {{
  {_SET_SIZE}
  setSize(name)
}}"""
"""Put a size class on the open page (null: none)."""

SLACK = 1.0
"""CSS pixels a laid-out page may exceed the printable height by and still print
on one page: Chromium's pagination rounds, the layout's heights are whole pixels."""

MEASURE = f"""([names, height]) => {{
  // The largest size whose laid-out page is no taller than the printable height;
  // -1 when even the smallest is. Sizes only grow the page, so halve the range.
  {_SET_SIZE}
  const fits = (i) => {{ setSize(names[i]); return document.body.scrollHeight <= height }}
  let low = -1, high = names.length - 1
  while (low < high) {{
    const mid = Math.ceil((low + high + 1) / 2)
    if (fits(mid)) low = mid; else high = mid - 1
  }}
  return low
}}"""
"""Run in print media, with the viewport at the paper's printable width."""


async def largest(fits, count: int) -> int:
    """The largest index below `count` for which `await fits(index)` holds, or -1;
    `fits` must hold for every index below one that it holds for."""
    low, high = -1, count - 1
    while low < high:
        mid = (low + high + 1) // 2
        if await fits(mid):
            low = mid
        else:
            high = mid - 1
    return low
