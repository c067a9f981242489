"""The print stage: failures name the sheet; the page printed reads only the site's own files."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from browser import require_chromium
from conftest import BASE_CONFIG, ROOT, built_tiny, run_cli
from generator import build as build_module
from generator import pdf
from generator.build import BuildError, build
from generator.pdf import WORKERS, PrintError, PrintJob, print_pdfs
from test_interrupt import alive, cmdline, descendants, scratch_folders, wait_for
from test_output import tree_state


def off_the_loop(function, *args):
    """Call `function` in a thread of its own: Playwright's sync API refuses to start
    where another one (the session's `browser` fixture) already runs in this thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def chromium():
    require_chromium()


@pytest.fixture(scope="module")
def sheets_site(tmp_path_factory) -> Path:
    """A tiny site built without PDFs: its sheet pages, for printing here."""
    return built_tiny(tmp_path_factory.mktemp("sheets"), "--lang", "tl")


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def without_policy(page: str) -> str:
    """A sheet without its Content-Security-Policy, which would refuse the
    tampering below before the printer's own guard sees it: the guard must
    hold by itself."""
    stripped, count = POLICY.subn("", page)
    assert count == 1
    return stripped


# (what is added to the sheet page, what the error says)
TAMPERED = {
    "image from a local server": ('<img src="{host}/x.png">', "asked for {host}/x.png"),
    "image from another host": ('<img src="http://example.invalid/x.png">',
                                "asked for http://example.invalid/x.png"),
    "stylesheet from a local server": ('<link rel="stylesheet" href="{host}/x.css">',
                                       "asked for {host}/x.css"),
    "fetch to a local server": ('<script>fetch("{host}/f")</script>', "asked for {host}/f"),
    "file outside the site": ('<img src="file:///etc/hostname">', "asked for file:///etc/hostname"),
    "WebSocket": ('<script>new WebSocket("{ws}/w")</script>', "opened a WebSocket to {ws}/w"),
    "alert": ("<script>alert(1)</script>", "opened a JavaScript alert ('1')"),
    "confirm": ('<script>confirm("go?")</script>', "opened a JavaScript confirm ('go?')"),
    "prompt": ('<script>prompt("name")</script>', "opened a JavaScript prompt ('name')"),
}


@pytest.mark.parametrize("case", TAMPERED)
def test_tampered_sheet_is_refused_and_contacts_nobody(sheets_site, tmp_path, listener, case):
    host, asked = listener
    site = tmp_path / "site"
    shutil.copytree(sheets_site, site)
    page = site / "tl" / "cheatsheets" / "angry" / "index.html"
    addition, message = (part.format(host=host, ws=host.replace("http", "ws"))
                         for part in TAMPERED[case])
    page.write_text(without_policy(page.read_text(encoding="utf-8")).replace("</body>", addition + "</body>"))
    job = PrintJob(page, site / "angry.pdf", label="cheatsheets/angry/index.html (test)")
    with pytest.raises(PrintError) as caught:
        off_the_loop(print_pdfs, [job], site)
    assert str(caught.value).startswith("PDF: cheatsheets/angry/index.html (test): ")
    assert message in str(caught.value)
    assert asked == []


@pytest.mark.parametrize("case", [c for c in TAMPERED if c != "file outside the site"])
def test_with_its_policy_a_tampered_sheet_prints_and_nothing_it_adds_runs(sheets_site, tmp_path,
                                                                          listener, case):
    # The first wall: the page's own policy refuses what was added, so there
    # is nothing for the guard to stop (a file:// image is the policy's 'self').
    host, asked = listener
    site = tmp_path / "site"
    shutil.copytree(sheets_site, site)
    page = site / "tl" / "cheatsheets" / "angry" / "index.html"
    addition, _ = (part.format(host=host, ws=host.replace("http", "ws")) for part in TAMPERED[case])
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", addition + "</body>"))
    off_the_loop(print_pdfs, [PrintJob(page, site / "angry.pdf", label="test")], site)
    assert (site / "angry.pdf").read_bytes().startswith(b"%PDF")
    assert asked == []


def test_untampered_sheet_prints(sheets_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sheets_site, site)
    sheet = site / "tl" / "cheatsheets" / "angry"
    off_the_loop(print_pdfs, [PrintJob(sheet / "index.html", site / "a.pdf", site / "a.jpg")], site)
    assert (site / "a.pdf").read_bytes().startswith(b"%PDF") and (site / "a.jpg").stat().st_size


def test_chromium_that_will_not_start_is_a_one_line_pdf_error(content: Path, tmp_path: Path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'no display' >&2\nexit 1\n")
    fake.chmod(0o755)
    result = run_cli("build", "--content", "content", "--out", "site", "--lang", "en",
                     "--config", str(BASE_CONFIG), cwd=content.parent,
                     env={"HINAHON_CHROMIUM": str(fake)})
    assert result.returncode == 1, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"PDF: Chromium at {fake} did not start: "), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in content.parent.iterdir()) == ["chromium", "content"]


def test_failing_sheet_is_named_in_the_build_error(content: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    real = pdf.print_pdfs

    def tamper_then_print(jobs, site, *args):
        sheet = next(job.page for job in jobs if job.page.parent.name == "angry-bilingual")
        sheet.write_text(without_policy(sheet.read_text(encoding="utf-8")).replace(
            "</body>", "<script>alert(1)</script>"))
        real(jobs, site, *args)

    monkeypatch.setattr(pdf, "print_pdfs", tamper_then_print)
    before = tree_state(tmp_path)
    with pytest.raises(BuildError) as caught:
        off_the_loop(build, content, out, BASE_CONFIG, ["az"])
    assert str(caught.value).splitlines()[0] == (
        "PDF: cheatsheets/angry-bilingual/index.html (customer type 'angry', bilingual, az): "
        "the page opened a JavaScript alert ('1'); a sheet must print without one")
    # Nothing changed but the PDF cache, which kept the sheets that did print, never the failed one.
    cache = tmp_path / ".hinahon-cache"
    assert {k: v for k, v in tree_state(tmp_path).items() if not k.startswith(cache.name)} == before
    pages = [json.loads(m.read_text())["page"] for m in cache.glob("pdf/*/manifest.json")]
    assert "az/cheatsheets/angry-bilingual/index.html" not in pages
    assert not list(cache.glob("pdf/.*"))  # no scratch left in it


@pytest.mark.parametrize("sheet, label", [
    ("angry", "cheatsheets/angry/index.html (customer type 'angry', tl)"),
    ("angry-bilingual", "cheatsheets/angry-bilingual/index.html (customer type 'angry', bilingual, tl)"),
    ("pocket-summary", "cheatsheets/pocket-summary/index.html (pocket summary, tl)"),
])
def test_sheet_labels(content: Path, sheet: str, label: str):
    from generator.content import read_content

    assert build_module._sheet_label(read_content(content), "tl", sheet) == label


def test_parallel_printing_fails_on_a_guarded_request_naming_its_sheet(sheets_site, tmp_path, listener):
    host, asked = listener
    site = tmp_path / "site"
    shutil.copytree(sheets_site, site)
    page = without_policy((site / "tl" / "cheatsheets" / "angry" / "index.html").read_text(encoding="utf-8"))
    jobs = []
    for n in range(6):  # six sheets, three at a time; the fifth reaches out
        folder = site / "tl" / "cheatsheets" / f"copy-{n}"
        folder.mkdir()
        (folder / "index.html").write_text(page if n != 4 else page.replace(
            "</body>", f'<img src="{host}/x.png"></body>'), encoding="utf-8")
        jobs.append(PrintJob(folder / "index.html", folder.with_suffix(".pdf"),
                             folder.with_suffix(".jpg"), label=f"copy {n}"))
    # A browser test run earlier in this worker may have left the shared Chromium running.
    before = set(chromium_children(os.getpid()))
    with pytest.raises(PrintError) as caught:
        print_pdfs(jobs, site, workers=3)
    assert str(caught.value) == (f"PDF: copy 4: the page asked for {host}/x.png, which is not a "
                                 "file of the site; printing reads only the site's own files")
    assert asked == []
    assert [kid for kid in chromium_children(os.getpid()) if kid not in before] == []


def chromium_children(pid: int) -> list[int]:
    return [kid for kid in descendants(pid) if "chromium" in cmdline(kid) and alive(kid)]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    return built_tiny(tmp_path_factory.mktemp("previous"))


@pytest.fixture
def printing(tmp_path: Path, previous: Path):
    """A build into a copy of an earlier site, caught while it prints (one sheet at a time)."""
    root = tmp_path / "again"
    shutil.copytree(previous.parent / "content", root / "content")
    out = root / "site"
    shutil.copytree(previous, out, symlinks=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--out", "site",
         "--config", str(BASE_CONFIG)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), WORKERS: "1"},
    )
    try:
        chromium = wait_for(lambda: chromium_children(proc.pid), seconds=120)
        # Printing has begun: Chromium renders a page.
        wait_for(lambda: len(chromium_children(proc.pid)) > 2, seconds=60)
        yield proc, out, tree_state(out), chromium_children(proc.pid) or chromium
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_signal_while_printing_stops_chromium_and_keeps_the_previous_site(printing, signum):
    proc, out, before, chromium = printing
    proc.send_signal(signum)
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - started < 15
    assert proc.returncode == 128 + signum, stderr
    assert stderr == f"interrupted ({signal.Signals(signum).name}); the previous site was left untouched\n"
    assert [kid for kid in chromium if alive(kid)] == []
    assert tree_state(out) == before
    assert scratch_folders(out.parent) == []
    assert scratch_folders(out.parent / ".hinahon-cache" / "pdf") == []


def test_sigkill_while_printing_takes_chromium_with_it(printing):
    proc, out, before, chromium = printing
    proc.kill()
    proc.wait()
    # Playwright's driver sees its pipe close and closes Chromium.
    wait_for(lambda: not any(alive(kid) for kid in chromium), seconds=20)
    assert tree_state(out) == before


def test_a_print_that_will_not_stop_is_killed(sheets_site, tmp_path, monkeypatch):
    """The last resort, should closing Chromium hang: the driver and Chromium are killed."""
    site = tmp_path / "site"
    shutil.copytree(sheets_site, site)
    page = site / "tl" / "cheatsheets" / "angry" / "index.html"
    jobs = [PrintJob(page, tmp_path / f"{n}.pdf", label=str(n)) for n in range(200)]
    monkeypatch.setattr(pdf._Run, "stop", lambda self: None)  # cancelling does nothing
    monkeypatch.setattr(pdf, "STOP_SECONDS", 0.5)

    class Alarm(Exception):
        pass

    def ring(*_):
        raise Alarm

    main = threading.get_ident()
    seen: list[int] = []
    # A browser test run earlier in this worker may have left the shared Chromium running.
    before = set(chromium_children(os.getpid()))

    def ours() -> list[int]:
        return [kid for kid in chromium_children(os.getpid()) if kid not in before]

    def alarm_once_printing():
        seen.extend(wait_for(lambda: len(ours()) > 2 and list((tmp_path).glob("*.pdf")) and ours()))
        signal.pthread_kill(main, signal.SIGALRM)

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        threading.Thread(target=alarm_once_printing, daemon=True).start()
        with pytest.raises(Alarm):
            print_pdfs(jobs, site, workers=2)
    finally:
        signal.signal(signal.SIGALRM, previous)
    wait_for(lambda: not any(alive(kid) for kid in seen), seconds=10)
    assert len(list(tmp_path.glob("*.pdf"))) < len(jobs)
