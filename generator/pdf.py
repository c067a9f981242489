"""Print stage: each cheat sheet fitted to its paper, then to PDF, by the engine
readers print with.

Headless Chromium (Debian's, driven by Playwright) first finds the largest
type at which each sheet page of the freshly built site prints on its pages,
on A4 and on Letter, and writes that size into the page (generator/fit.py);
then it prints the page on A4 with the site's own print stylesheet, so the
PDF is exactly what the Print button gives. Where Chromium or Playwright is
missing, the build says so in one line and goes on without PDFs: the sheets
still print from any browser.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import fit

CHROMIUM = Path(os.environ.get("HINAHON_CHROMIUM", "/usr/bin/chromium"))
"""The engine; HINAHON_CHROMIUM points elsewhere (tests use it to take it away)."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

PAPER = "A4"
MARGIN_MM = 12
MARGIN = f"{MARGIN_MM}mm"
"""Kept equal to the `@page` margin in hinahon.css, so a browser prints the same page."""
MARGINS = {side: MARGIN for side in ("top", "right", "bottom", "left")}


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
    pages: int = 1
    """The most pages the sheet may print on (the pocket summary: two)."""
    source: str | None = None
    """The content file a sheet too long for its pages is blamed on
    (`content/customer-types/angry.yaml`)."""


class PrintError(Exception):
    """Printing failed; the message is one line naming the sheet and why."""


def missing_engine() -> str | None:
    """Why PDFs cannot be printed here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (make site installs it)"
    return None


PREVIEW_QUALITY = 70
"""JPEG quality of the preview images."""

WORKERS = "HINAHON_PDF_WORKERS"
"""Environment variable: how many sheets print at once (default: one per core)."""

STOP_SECONDS = 10.0
"""How long an interrupted print may take to close Chromium before it is killed."""


def default_workers() -> int:
    try:
        wanted = int(os.environ.get(WORKERS, ""))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else (os.cpu_count() or 1)


Printed = Callable[[PrintJob, "set[str]", float], None]
"""Called after each job is printed, with the URLs the page loaded and the size
it was fitted to (for generator/pdfcache.py)."""


def print_pdfs(jobs: list[PrintJob], site: Path, workers: int | None = None,
               printed: Printed | None = None) -> None:
    """Print every job with one Chromium, `workers` sheets at a time (default: one
    per core, or HINAHON_PDF_WORKERS); raises PrintError if anything goes wrong.

    Chromium may read only files inside `site`: every other request is refused
    and fails the build, and so does any JavaScript dialog, so that nothing in
    the content can make the build's browser contact another host or wait on a
    prompt no one will answer. The first failure stops the others and names its
    sheet.

    Playwright's async API runs in a thread of its own, so that the caller's
    thread keeps receiving signals: an `Interrupted` raised there cancels the
    printing, which closes Chromium (or, should that hang, kills it) before it
    goes on up.
    """
    if not jobs:
        return
    workers = max(1, min(len(jobs), workers or default_workers()))
    run = _Run(jobs, site.resolve(), workers, printed)
    thread = threading.Thread(target=run.thread, name="hinahon-print", daemon=True)
    thread.start()
    try:
        # An event, not thread.join(): a join cut short by a signal can leave the
        # thread looking finished when it is not.
        run.finished.wait()
    except BaseException:
        run.stop()
        if not run.finished.wait(STOP_SECONDS):
            run.kill()
            run.finished.wait(STOP_SECONDS)
        raise
    if run.error is not None:
        raise run.error


class _Run:
    """One print run: the event loop's thread, and how the caller's thread stops it."""

    def __init__(self, jobs, site: Path, workers: int, printed: Printed | None):
        self.jobs, self.site, self.workers, self.printed = jobs, site, workers, printed
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task | None = None
        self.driver: int | None = None
        """The Playwright driver's process id, for `kill`."""
        self.stopping = threading.Event()
        self.finished = threading.Event()

    def thread(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            self.loop = loop
            self.task = loop.create_task(self._main())
            if self.stopping.is_set():  # stopped before `stop` could see the task
                self.task.cancel()
            loop.run_until_complete(self.task)
        except BaseException as exc:  # noqa: BLE001 (handed to the caller's thread)
            self.error = exc
        finally:
            try:
                _cancel_rest(loop)
            finally:
                loop.close()
                self.finished.set()

    def stop(self) -> None:
        self.stopping.set()
        loop, task = self.loop, self.task
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:  # the loop has closed already
                pass

    def kill(self) -> None:
        """The last resort: SIGKILL the driver and everything it started (Chromium)."""
        if self.driver is not None:
            for pid in [*_descendants(self.driver), self.driver]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    async def _main(self) -> None:
        from playwright.async_api import Error, async_playwright

        manager = async_playwright()
        async with manager as playwright:
            self.driver = _driver_pid(manager)
            try:
                browser = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                           args=CHROMIUM_ARGS)
            except Error as exc:
                raise PrintError(f"PDF: Chromium at {CHROMIUM} did not start: "
                                 f"{_first_line(exc)}") from exc
            try:
                await self._print_all(browser, Error)
            finally:
                await browser.close()

    async def _print_all(self, browser, Error) -> None:
        pending = iter(enumerate(self.jobs))
        failures: list[tuple[int, PrintError]] = []
        # A sheet too long stops nothing: every too-long sheet is named at once,
        # so an author shortens them all in one go rather than one per build.
        too_long: list[tuple[int, str]] = []

        async def worker() -> None:
            trouble: list[str] = []
            loaded: set[str] = set()
            page = None
            for index, job in pending:  # one iterator shared by every worker
                if failures:
                    return
                loaded.clear()
                try:
                    if page is None:
                        page = await _guarded(await browser.new_page(), self.site, trouble, loaded)
                    size = await _print(page, job)
                except (Error, OSError, ValueError) as exc:
                    trouble.append(_first_line(exc))
                except TooLong as exc:
                    too_long.append((index, str(exc)))
                    continue
                if trouble:
                    failures.append((index, PrintError(f"PDF: {job.label or job.page}: {trouble[0]}")))
                    return
                if self.printed is not None:
                    self.printed(job, set(loaded), size)

        tasks = [asyncio.ensure_future(worker()) for _ in range(self.workers)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if failures:
            raise min(failures, key=lambda failure: failure[0])[1]
        if too_long:
            raise PrintError("\n".join(message for _, message in sorted(too_long)))


def _cancel_rest(loop: asyncio.AbstractEventLoop) -> None:
    rest = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in rest:
        task.cancel()
    if rest:
        loop.run_until_complete(asyncio.gather(*rest, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


class TooLong(Exception):
    """A sheet does not fit its pages even at the smallest size."""


async def _print(page, job: PrintJob) -> float:
    """Fit the job's page, print it, and say at which size."""
    await page.goto(job.page.as_uri())
    await page.evaluate("document.fonts.ready")
    await page.emulate_media(media="print")
    size = await _fit(page, job)
    while True:
        await page.evaluate(fit.SET_SIZE, fit.class_name(size))
        printed = await page.pdf(format=PAPER, print_background=True, margin=MARGINS)
        if fit.count_pages(printed) <= job.pages or size == fit.SIZES[0]:
            break
        size = fit.SIZES[fit.SIZES.index(size) - 1]  # measured a hair too tall for A4
    if fit.count_pages(printed) > job.pages:
        raise TooLong(_too_long(job, fit.count_pages(printed)))
    fit.apply(job.page, size)
    job.pdf.write_bytes(printed)
    if job.preview:
        # The page as printed (print media, the fitted size), one A4 page of it:
        # taken from the page just printed rather than loaded again.
        await page.set_viewport_size(A4_PIXELS)
        await page.screenshot(path=str(job.preview), type="jpeg", quality=PREVIEW_QUALITY)
    return size


async def _fit(page, job: PrintJob) -> float:
    """The largest of fit.SIZES at which the open page prints on `job.pages`
    pages of every paper in fit.PAPERS."""
    names = [fit.class_name(size) for size in fit.SIZES]

    async def pages_at(index: int, paper: fit.Paper) -> int:
        await page.evaluate(fit.SET_SIZE, names[index])
        return fit.count_pages(await page.pdf(format=paper.name, print_background=True,
                                              margin=MARGINS))

    if job.pages == 1:
        # Measured in the layout, then checked where it counts: Chromium's own
        # pagination, one size smaller each time it disagrees.
        best = len(names) - 1
        for paper in fit.PAPERS:
            width, height = paper.printable(MARGIN_MM)
            await page.set_viewport_size({"width": round(width), "height": round(height)})
            best = min(best, await page.evaluate(fit.MEASURE, [names, height + fit.SLACK]))
        # The last paper's check is the PDF printed next (A4): see _print.
        measured = best
        while best >= 0 and any([await pages_at(best, paper) > 1 for paper in fit.PAPERS
                                 if paper.name != PAPER]):
            best -= 1
        # The measure keeps a little slack, so it can stop a size short: the
        # size above is taken while it prints on one page of every paper
        # (the shortest paper first, where it overflows soonest).
        shortest_first = sorted(fit.PAPERS, key=lambda paper: paper.printable(MARGIN_MM)[1])

        async def on_one_page(index: int) -> bool:
            for paper in shortest_first:
                if await pages_at(index, paper) > 1:
                    return False
            return True

        while best == measured and best + 1 < len(names) and await on_one_page(best + 1):
            best = measured = best + 1
    else:
        async def fits(index: int) -> bool:
            return all([await pages_at(index, paper) <= job.pages for paper in fit.PAPERS])
        best = await fit.largest(fits, len(names))
    if best < 0:
        raise TooLong(_too_long(job, max([await pages_at(0, paper) for paper in fit.PAPERS])))
    return fit.SIZES[best]


def _too_long(job: PrintJob, needed: int) -> str:
    where = f"{job.source}: error: " if job.source else "error: "
    return (f"{where}the sheet {job.label or job.page} needs {needed} pages even at "
            f"{fit.SIZES[0]:g} pt, and must print on {job.pages}: shorten what it shows "
            f"(the first items of its signs, do, avoid and escalate lists, or its four phrases)")


async def _guarded(page, site: Path, trouble: list[str], loaded: set[str]):
    async def request(route) -> None:
        url = route.request.url
        if url.startswith("data:"):
            await route.continue_()
        elif _inside(url, site):
            loaded.add(url)
            await route.continue_()
        else:
            trouble.append(f"the page asked for {url}, which is not a file of the site; "
                           "printing reads only the site's own files")
            await route.abort("blockedbyclient")

    async def dialog(box) -> None:
        trouble.append(f"the page opened a JavaScript {box.type} ({box.message!r}); "
                       "a sheet must print without one")
        await box.dismiss()

    async def websocket(ws) -> None:
        trouble.append(f"the page opened a WebSocket to {ws.url}; "
                       "printing reads only the site's own files")
        await ws.close()

    await page.route("**/*", request)
    await page.route_web_socket("**/*", websocket)
    page.on("dialog", dialog)
    return page


def _driver_pid(manager) -> int | None:
    # Playwright keeps its driver process out of its public API: None if it moved.
    transport = getattr(getattr(manager, "_client", None), "_transport", None)
    return getattr(getattr(transport, "_proc", None), "pid", None)


def _descendants(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []  # it ended while we looked: it has no children to stop
    for task in tasks:
        try:
            kids += [int(kid) for kid in (task / "children").read_text().split()]
        except (OSError, ValueError):
            pass
    return kids + [d for kid in kids for d in _descendants(kid)]


def _inside(url: str, site: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path == site or site in path.parents


def _first_line(exc: Exception) -> str:
    # Playwright's messages go on with a call log.
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
