"""The PDF cache: an unchanged sheet is never printed again, a changed one always is.

Three builds of a two-type tiny tree share one module fixture: cold, unchanged,
and with one type's body text changed. The other cases work on copies of that
site and its cache, through the print stage alone (no MkDocs).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from browser import require_chromium
from conftest import BASE_CONFIG, CUSTOMER_TYPE_YAML, LANGS, TINY_TREE, run_cli, write
from generator import output, pdf, pdfcache
from generator.build import _sheet_label, build
from generator.content import read_content
from generator.pdfcache import CACHE, print_sheets
from generator.render import Renderer

# One worker runs this module, so its module fixture (a build) is made once, not once per worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_pdf_cache")]

CALM_YAML = (CUSTOMER_TYPE_YAML.replace("Galit na customer", "Kalmadong customer")
             .replace("Hirsli müştəri", "Sakit müştəri").replace("Angry customer", "Calm customer"))
TWO_TYPES = {**TINY_TREE, "customer-types/calm.yaml": CALM_YAML}
SHEETS = ["angry", "angry-bilingual", "calm", "calm-bilingual", "pocket-summary"]
ALL = {f"{lang}/cheatsheets/{sheet}" for lang in LANGS for sheet in SHEETS}
ANGRY = {f"{lang}/cheatsheets/{sheet}" for lang in LANGS for sheet in ("angry", "angry-bilingual")}


@pytest.fixture(scope="module", autouse=True)
def chromium():
    require_chromium()


def sheet(job: pdf.PrintJob, site: Path) -> str:
    return job.page.parent.relative_to(site).as_posix()


def outputs(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("cheatsheets/*.*")) if p.suffix in (".pdf", ".jpg")}


class Spy:
    """Records which sheets print_pdfs was given, by their folder in the site."""

    def __init__(self, monkeypatch):
        self.printed: list[str] = []
        real = pdf.print_pdfs

        def spy(jobs, site, *args):
            self.printed += [sheet(job, site) for job in jobs]
            return real(jobs, site, *args)

        monkeypatch.setattr(pdf, "print_pdfs", spy)

    def take(self) -> set[str]:
        taken, self.printed = set(self.printed), []
        return taken


# One line of `angry`'s "avoid", in every language (the pocket summary does not show it).
AVOID = [("Huwag sumigaw.", "Huwag kailanman sumigaw."), ("Qışqırmayın.", "Heç vaxt qışqırmayın."),
         ("Do not shout.", "Never raise your voice.")]


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    """(report, sheets printed, PDFs and previews) of three builds: cold, unchanged,
    and after AVOID."""
    root = tmp_path_factory.mktemp("cache")
    for rel, body in TWO_TYPES.items():
        write(root / "content" / rel, body)
    out = root / "site"
    seen = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        spy = Spy(monkeypatch)
        for change in (None, None, AVOID):
            if change:
                angry = root / "content" / "customer-types" / "angry.yaml"
                text = angry.read_text(encoding="utf-8")
                for old, new in change:
                    text = text.replace(old, new)
                angry.write_text(text, "utf-8")
            report = build(root / "content", out, BASE_CONFIG)
            seen.append((report, spy.take(), outputs(out)))
    return root, seen


def test_a_cold_build_prints_every_sheet(rounds):
    _, [(report, printed, files), *_] = rounds
    assert printed == ALL
    assert (report.pdfs, report.pdfs_printed, report.pdfs_cached) == (15, 15, 0)
    assert "15 PDFs (15 printed, 0 cached)" in report.summary()
    assert len([name for name in files if name.endswith(".jpg")]) == 9


def test_an_unchanged_build_prints_nothing_and_ships_the_same_files(rounds):
    _, [(_, _, first), (report, printed, files), _] = rounds
    assert printed == set()
    assert (report.pdfs, report.pdfs_printed, report.pdfs_cached) == (15, 0, 15)
    assert "15 PDFs (0 printed, 15 cached)" in report.summary()
    assert files == first  # byte for byte: PDFs (with their creation dates) and previews


def test_one_changed_type_reprints_its_sheets_only(rounds):
    root, [(_, _, first), _, (report, printed, files)] = rounds
    assert printed == ANGRY  # its sheet and bilingual sheet, in every language
    assert (report.pdfs_printed, report.pdfs_cached) == (6, 9)
    for name, data in files.items():
        if name.rsplit(".", 1)[0] in ANGRY:
            assert data != first[name], name
        else:
            assert data == first[name], name
    text = PdfReader(root / "site" / "en" / "cheatsheets" / "angry.pdf").pages[0].extract_text()
    assert "Never raise your voice." in " ".join(text.split())  # however the line broke


@pytest.fixture
def copy(rounds, tmp_path: Path):
    """The last round's site and cache, copied, and its print jobs."""
    root, _ = rounds
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)
    cache = tmp_path / "cache"
    shutil.copytree(root / CACHE, cache)
    kb = read_content(root / "content")
    renderer = Renderer(kb)
    jobs = []
    for code in LANGS:
        for sheet_id, preview in renderer.sheet_ids():
            folder = site / code / "cheatsheets"
            jobs.append(pdf.PrintJob(folder / sheet_id / "index.html", folder / f"{sheet_id}.pdf",
                                     folder / f"{sheet_id}.jpg" if preview else None,
                                     _sheet_label(kb, code, sheet_id)))
    for job in jobs:  # as in a new build, nothing printed yet
        for target in (job.pdf, job.preview):
            if target:
                target.unlink()
    return site, cache, jobs


def entries(cache: Path) -> dict[str, Path]:
    """Each entry's folder, by its sheet's folder in the site. A sheet printed again
    after a change has an older entry too: the one the last build used (its
    manifest touched, or written, last) wins."""
    manifests = sorted(cache.glob("*/manifest.json"), key=lambda m: m.stat().st_mtime_ns)
    return {json.loads(m.read_text())["page"].removesuffix("/index.html"): m.parent
            for m in manifests}


def test_the_copied_cache_serves_every_sheet(copy, monkeypatch):
    site, cache, jobs = copy
    spy = Spy(monkeypatch)
    outcome = print_sheets(jobs, site, cache)
    assert (outcome.printed, outcome.cached, outcome.note) == (0, 15, None)
    assert spy.take() == set()
    assert all(job.pdf.read_bytes().startswith(b"%PDF") for job in jobs)


def test_a_changed_stylesheet_reprints_every_sheet_that_loads_it(copy, monkeypatch):
    site, cache, jobs = copy
    # Each language's site has its own copy of the theme: en's changes, by a comment.
    css = site / "en" / "assets" / "hinahon" / "hinahon.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    spy = Spy(monkeypatch)
    outcome = print_sheets(jobs, site, cache)
    assert spy.take() == {name for name in ALL if name.startswith("en/")}
    assert (outcome.printed, outcome.cached) == (5, 10)


def test_corrupt_entries_are_reprinted_not_served(copy, monkeypatch):
    site, cache, jobs = copy
    entry_of = entries(cache).__getitem__
    pdf_file = entry_of("en/cheatsheets/angry") / "sheet.pdf"
    pdf_file.write_bytes(pdf_file.read_bytes()[:1000])  # truncated
    (entry_of("tl/cheatsheets/pocket-summary") / "manifest.json").write_text("{garbage")
    preview = entry_of("az/cheatsheets/calm") / "preview.jpg"
    preview.write_bytes(b"\xff\xd8" + bytes(100))  # right size is not enough either
    (entry_of("az/cheatsheets/angry-bilingual") / "manifest.json").write_text(
        json.dumps({"format": 1, "key": None}))
    spy = Spy(monkeypatch)
    outcome = print_sheets(jobs, site, cache)
    broken = {"en/cheatsheets/angry", "tl/cheatsheets/pocket-summary", "az/cheatsheets/calm",
              "az/cheatsheets/angry-bilingual"}
    assert spy.take() == broken
    assert (outcome.printed, outcome.cached, outcome.note) == (4, 11, None)
    for job in jobs:
        assert len(PdfReader(job.pdf).pages) >= 1
    # Each broken entry was replaced by the one just printed: the next run prints nothing.
    for job in jobs:
        for target in (job.pdf, job.preview):
            if target:
                target.unlink()
    assert print_sheets(jobs, site, cache).cached == 15
    assert spy.take() == set()


def test_no_cache_reprints_everything_and_refreshes_the_cache(copy, monkeypatch):
    site, cache, jobs = copy
    en = [job for job in jobs if sheet(job, site).startswith("en/")]
    spy = Spy(monkeypatch)
    outcome = print_sheets(en, site, cache, read=False)
    assert (outcome.printed, outcome.cached) == (5, 0)
    assert outcome.note == "--no-cache: none taken from the cache"
    assert spy.take() == {f"en/cheatsheets/{s}" for s in SHEETS}
    printed = {job.pdf: job.pdf.read_bytes() for job in en}
    for job in en:
        job.pdf.unlink()
    assert print_sheets(en, site, cache).cached == 5
    assert {job.pdf: job.pdf.read_bytes() for job in en} == printed


def test_an_unwritable_cache_prints_everything_and_says_so(tmp_path: Path):
    for rel, body in TINY_TREE.items():
        write(tmp_path / "content" / rel, body)
    (tmp_path / ".hinahon-cache").write_text("not a folder")
    result = run_cli("build", "--content", "content", "--out", "site", "--lang", "en",
                     "--config", str(BASE_CONFIG), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (f"; 3 PDFs (3 printed, 0 cached; printed without a cache: "
            f"{tmp_path / CACHE}: Not a directory);") in result.stdout
    assert (tmp_path / "site" / "en" / "cheatsheets" / "angry.pdf").read_bytes().startswith(b"%PDF")


def test_prune_keeps_what_was_used_lately_and_caps_the_rest(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pdfcache, "KEEP_ENTRIES", 3)
    root = tmp_path / "cache"
    now = time.time()
    for n in range(8):
        manifest = write(root / f"{n:064x}" / "manifest.json", "{}")
        age = pdfcache.KEEP_DAYS * 86400 + 60 if n == 0 else n * 60
        os.utime(manifest, (now - age, now - age))
    write(root / "notes" / "mine.txt", "not an entry: left alone")
    cache = pdfcache._Cache(root, output.make_scratch(root), tmp_path, b"")
    cache.prune(used=1)  # four builds of one sheet: 4 entries, above KEEP_ENTRIES
    cache.close()
    assert sorted(p.name for p in root.iterdir()) == [f"{n:064x}" for n in (1, 2, 3, 4)] + ["notes"]
    assert cache.trouble is None
