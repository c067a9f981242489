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
from urllib.parse import unquote, urlsplit

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
    label: str = ""
    """How errors name the sheet, e.g. "cheatsheets/angry/index.html (customer type 'angry', tl)"."""


class PrintError(Exception):
    """Printing failed; the message is one line naming the sheet and why."""


def missing_engine() -> str | None:
    """Why PDFs cannot be printed here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (make site installs it)"
    return None


def print_pdfs(jobs: list[PrintJob], site: Path) -> None:
    """Print every job with one Chromium; raises PrintError if anything goes wrong.

    Chromium may read only files inside `site`: every other request is refused
    and fails the build, and so does any JavaScript dialog, so that nothing in
    the content can make the build's browser contact another host or wait on a
    prompt no one will answer.
    """
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Error as exc:
            raise PrintError(f"PDF: Chromium at {CHROMIUM} did not start: {_first_line(exc)}") from exc
        try:
            trouble: list[str] = []
            page = _guarded(browser.new_page(), site.resolve(), trouble)
            # Previews get a page of their own, always in print media: page.pdf()
            # would print whatever media a page last emulated.
            preview = _guarded(browser.new_page(viewport=A4_PIXELS), site.resolve(), trouble)
            preview.emulate_media(media="print")
            for job in jobs:
                try:
                    _print(page, preview, job)
                except (Error, OSError) as exc:
                    trouble.append(_first_line(exc))
                if trouble:
                    raise PrintError(f"PDF: {job.label or job.page}: {trouble[0]}")
        finally:
            browser.close()


def _print(page, preview, job: PrintJob) -> None:
    page.goto(job.page.as_uri())
    page.evaluate("document.fonts.ready")
    page.pdf(path=str(job.pdf), format=PAPER, print_background=True,
             margin={side: MARGIN for side in ("top", "right", "bottom", "left")})
    if job.preview:
        preview.goto(job.page.as_uri())
        preview.evaluate("document.fonts.ready")
        preview.screenshot(path=str(job.preview), type="jpeg", quality=70)


def _guarded(page, site: Path, trouble: list[str]):
    def request(route) -> None:
        url = route.request.url
        if url.startswith("data:") or _inside(url, site):
            route.continue_()
            return
        trouble.append(f"the page asked for {url}, which is not a file of the site; "
                       "printing reads only the site's own files")
        route.abort("blockedbyclient")

    def dialog(box) -> None:
        trouble.append(f"the page opened a JavaScript {box.type} ({box.message!r}); "
                       "a sheet must print without one")
        box.dismiss()

    page.route("**/*", request)
    page.route_web_socket("**/*", lambda ws: (trouble.append(
        f"the page opened a WebSocket to {ws.url}; printing reads only the site's own files"),
        ws.close()))
    page.on("dialog", dialog)
    return page


def _inside(url: str, site: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path == site or site in path.parents


def _first_line(exc: Exception) -> str:
    # Playwright's messages go on with a call log.
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
