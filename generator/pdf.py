"""Print stage: each cheat sheet to PDF, by the engine readers print with.

Headless Chromium (Debian's, driven by Playwright) prints each sheet page of
the freshly built site, on A4, with the site's own print stylesheet, so the
PDF is exactly what the Print button gives. Where Chromium or Playwright is
missing, the build says so in one line and goes on without PDFs: the sheets
still print from any browser.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path(os.environ.get("HINAHON_CHROMIUM", "/usr/bin/chromium"))
"""The engine; HINAHON_CHROMIUM points elsewhere (tests use it to take it away)."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

PAPER = "A4"
MARGIN = "12mm"
"""Kept equal to the `@page` margin in hinahon.css, so a browser prints the same page."""


# An A4 page at CSS's 96 dpi, for the preview image.
A4_PIXELS = {"width": 794, "height": 1123}


@dataclass(frozen=True)
class PrintJob:
    page: Path
    """The built sheet page (its index.html)."""
    pdf: Path
    preview: Path | None = None
    """Where to put a JPEG of the printed page, if anywhere."""


def missing_engine() -> str | None:
    """Why PDFs cannot be printed here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (make site installs it)"
    return None


def print_pdfs(jobs: list[PrintJob]) -> None:
    """Print every job with one Chromium; raises if Chromium fails."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Previews get a page of their own, always in print media: page.pdf()
            # would print whatever media a page last emulated.
            preview = browser.new_page(viewport=A4_PIXELS)
            preview.emulate_media(media="print")
            for job in jobs:
                page.goto(job.page.as_uri())
                page.evaluate("document.fonts.ready")
                page.pdf(path=str(job.pdf), format=PAPER, print_background=True,
                         margin={side: MARGIN for side in ("top", "right", "bottom", "left")})
                if job.preview:
                    preview.goto(job.page.as_uri())
                    preview.evaluate("document.fonts.ready")
                    preview.screenshot(path=str(job.preview), type="jpeg", quality=70)
        finally:
            browser.close()
