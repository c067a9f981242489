"""Stage 5, build: one Material for MkDocs site per language, swapped in atomically.

Read top to bottom, `build` is the whole pipeline: check the output folder
(generator/output.py) and the base config, read content, render each
language's Markdown and MkDocs config into a scratch folder, run the MkDocs
builds in parallel (each sanitizes and indexes its pages as it writes them:
generator/mkdocs_hooks.py), print the sheets, add the language chooser, and
only then swap the new site in. A failure or a signal anywhere
leaves the previous site as it was (generator/interrupt.py).

An offline build (`offline=True`) is the same site made to work when opened
from file://: plain `.html` links, and workers run in an iframe (`site_templates/theme/assets/hinahon/file-worker.js`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import output
from .config import ConfigError, normal_site_url, read_base_config, site_root_path, site_url_problem
from .content import read_content
from .interrupt import Children, Interrupted, deferred
from .link import KnowledgeBase
from .memo import ContentMemo
from .compress import COMPRESSED_CACHE, Compressed, compress_site
from .csp import CSP_HEADER, Inline, csp_header, site_policy, with_policy
from .mkdocs_hooks import POLICY_FILE, RULES_FILE, STAGES_FILE
from .pdf import PrintError, PrintJob, missing_engine
from .pdfcache import cache_folder, print_sheets
from .layout import BILINGUAL, KIND_BY_KEY, NOT_FOUND, POCKET_SUMMARY, ROBOTS, SHEETS
from .render import Renderer
from .safe import html_plain
from .search.analysis import rules_of
from .search.index import FOLDER as SEARCH_FOLDER, INDEX_FILE
from .stages import IN_MKDOCS, STAGES, Stopwatch
from .trace import explain

THEME = Path(__file__).resolve().parent.parent / "site_templates" / "theme"
HOOKS = Path(__file__).resolve().with_name("mkdocs_hooks.py")
"""Our code inside each language's MkDocs build."""


class BuildError(Exception):
    """MkDocs failed for at least one language; carries what it said."""


class UnknownLanguageError(ValueError):
    """`--lang` named a language the content does not have."""


@dataclass
class LanguageResult:
    code: str
    pages: int
    warnings: int = 0
    error: str | None = None
    """What MkDocs said, when it failed."""
    search_bytes: int = 0
    """Size of the finished search index."""


@dataclass
class BuildReport:
    languages: list[LanguageResult] = field(default_factory=list)
    seconds: float = 0.0
    pdfs: int = 0
    pdfs_missing: str | None = None
    """Why no PDFs were printed, when none could be."""
    pdfs_printed: int = 0
    pdfs_cached: int = 0
    """Of `pdfs`, how many were printed and how many came from the cache (generator/pdfcache.py)."""
    pdf_cache_note: str | None = None
    """Why the cache was not (fully) used, when it was not."""
    no_address: bool = False
    """The site's address (`site_url`) is unset, so the sheets print none and no QR code."""
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage (generator/stages.py STAGES), wall time: the languages'
    MkDocs runs, sanitizing and search finishing each run in parallel."""
    kb: KnowledgeBase | None = None
    renderer: Renderer | None = None
    rendered: dict[str, list] = field(default_factory=dict)
    """Language -> its Markdown pages, for `serve` to rebuild parts of the site from."""
    compressed: Compressed | None = None
    """The .gz and .br files written (generator/compress.py), when they were."""

    def summary(self) -> str:
        pages = ", ".join(f"{r.code} {r.pages}" for r in self.languages)
        search = ", ".join(f"{r.code} {r.search_bytes / 1024:.0f} KB" for r in self.languages)
        warnings = sum(r.warnings for r in self.languages)
        if self.pdfs_missing:
            pdfs = f"no PDFs ({self.pdfs_missing})"
        else:
            note = f"; {self.pdf_cache_note}" if self.pdf_cache_note else ""
            pdfs = f"{self.pdfs} PDFs ({self.pdfs_printed} printed, {self.pdfs_cached} cached{note})"
        # Said in the one line, as each build goes on to print sheets no one can find the site from.
        address = ("; site_url is not set (mkdocs.yml or build --site-url): sheets print no web "
                   "address or QR code, and there is no sitemap" if self.no_address else "")
        packed = ""
        if self.compressed:
            c = self.compressed
            packed = (f"; {c.files} files compressed ({c.raw_bytes / 2**20:.1f} MB: gzip "
                      f"{c.gzip_bytes / max(c.raw_bytes, 1):.0%}, brotli {c.brotli_bytes / max(c.raw_bytes, 1):.0%}; "
                      f"{c.cached} unchanged, from the cache)")
        return (
            f"Built {len(self.languages)} language(s) — pages: {pages}; "
            f"search index: {search}; {pdfs}{packed}{address}; {warnings} warning(s); "
            f"{self.seconds:.1f} s"
        )


def build(
    content: Path, out: Path, config: Path, languages: list[str] | None = None, offline: bool = False,
    pdfs: bool = True, keep_sources: Path | None = None, memo: ContentMemo | None = None,
    jobs: int | None = None, pdf_cache: bool = True, site_url: str | None = None,
    compress: bool = True,
) -> BuildReport:
    """Build the site for `languages` (default: all) from `content` into `out`.

    `jobs` languages build at once (default: one per core, at most one per
    language); `pdf_cache` False reprints every sheet rather than take any
    from the cache. For `serve`: `pdfs=False` leaves the sheets' PDFs out;
    `keep_sources` is a folder where each language's Markdown and MkDocs
    config are kept (they are otherwise thrown away with the scratch folder);
    `memo` keeps the content as read for the next build (generator/memo.py);
    `site_url`, checked, replaces the base config's; `compress` False writes
    no .gz and .br beside the files (the offline copy never has them).
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs: at least 1 language must build at a time, not {jobs}")
    started = time.monotonic()
    watch = Stopwatch.fromkeys(STAGES, 0.0)
    out = output.check_out(out, content, config)
    base = read_base_config(config)
    if site_url is not None:
        problem = site_url_problem(site_url)
        if problem:
            raise ConfigError(f"--site-url: error: {problem}")
        site_url = normal_site_url(site_url)
    kb = read_content(content, memo, watch)
    codes = languages or kb.language_codes
    unknown = [code for code in codes if code not in kb.language_codes]
    if unknown:
        raise UnknownLanguageError(
            f"unknown language(s) {', '.join(unknown)}; the content has {', '.join(kb.language_codes)}"
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        output.sweep_scratch(out.parent)
        # The scratch folder sits beside the output so the final rename stays on one filesystem.
        scratch = output.make_scratch(out.parent)
    except OSError as exc:
        raise output.OutError(f"--out: {out}: nothing can be written beside it ({exc.strerror}); "
                              "choose a folder you can write to") from exc
    children = Children()
    keep_scratch = replaced = False
    ram: Path | None = None
    try:
        new_site = scratch / "site"
        site_url = None if offline else (site_url or base.site_url)
        pdfs_missing = missing_engine() if pdfs else "not asked for"
        if keep_sources:
            shutil.rmtree(keep_sources, ignore_errors=True)
        else:
            ram = output.make_ram_scratch(_content_bytes(content))
        with watch.stage("render"):
            renderer = Renderer(kb, site_url, pdfs=pdfs_missing is None,
                                directory_urls=base.use_directory_urls and not offline,
                                file_dates=_file_dates(content))

            def prepare(sources: Path) -> list[_Job]:
                return [_prepare_language(renderer, kb, code, sources / code, new_site / code,
                                          config, site_url, offline, content)
                        for code in codes]

            try:
                prepared = prepare(keep_sources or (ram or scratch) / "src")
            except OSError:
                if ram is None:
                    raise
                # The RAM folder filled up under us (another program's files): use the disk.
                shutil.rmtree(ram, ignore_errors=True)
                ram = None
                prepared = prepare(scratch / "src")
        workers = jobs or max(1, min(len(prepared), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                with watch.stage("mkdocs"):
                    results = list(pool.map(lambda job: _run_mkdocs(job, children), prepared))
            except BaseException:
                # Leaving the block waits for the workers, which wait for MkDocs.
                children.kill_all()
                raise
        for job, result in zip(prepared, results):
            _check_search(job, result)
        # Each language's MkDocs sanitized and indexed its pages as it wrote them
        # (generator/mkdocs_hooks.py).
        for stage in IN_MKDOCS:
            watch[stage] = sum(_hook_seconds(job).get(stage, 0.0) for job in prepared)
        errors = [r.error for r in results if r.error]
        if errors:
            raise BuildError("\n".join(errors))
        printing_started = time.perf_counter()
        printed = None
        if pdfs_missing is None:
            printing = [
                PrintJob(new_site / code / SHEETS / sheet / "index.html",
                         new_site / code / SHEETS / f"{sheet}.pdf",
                         new_site / code / SHEETS / f"{sheet}.jpg" if preview else None,
                         _sheet_label(kb, code, sheet),
                         pages=2 if sheet == POCKET_SUMMARY else 1,
                         source=_sheet_source(renderer, content, sheet))
                for code in codes for sheet, preview in renderer.sheet_ids()
            ]
            try:
                printed = print_sheets(printing, new_site, cache_folder(out), read=pdf_cache)
            except PrintError as exc:
                raise BuildError(str(exc)) from exc
        watch.add("pdfs", printing_started)
        root_pages = {"index.html": renderer.chooser(offline)}
        if not offline:
            # What a host answers for an address that is no page (nginx, GitHub Pages, ...).
            root_pages[NOT_FOUND] = renderer.not_found(site_url)
            # And what crawlers read first.
            (new_site / ROBOTS).write_text(renderer.robots(site_url), encoding="utf-8")
        allowed = []
        for name, page in root_pages.items():
            page, inline = with_policy(page)
            allowed.append(inline)
            (new_site / name).write_text(page, encoding="utf-8")
        if not offline:
            allowed += [_policy_of(job) for job in prepared]
            (new_site / CSP_HEADER).write_text(csp_header(site_policy(allowed)), encoding="utf-8")
        output.write_stamp(new_site, codes, offline)
        if site_url:
            (new_site / "sitemap.xml").write_text(renderer.sitemap_index(site_url, codes), "utf-8")
        compressed = None
        if compress and not offline:
            # Last: every file the site will hold is written.
            with watch.stage("compress"):
                compressed = compress_site(
                    new_site, jobs, cache_folder(out).parent / COMPRESSED_CACHE if pdf_cache else None)
        with deferred():
            try:
                output.swap(out, new_site, scratch)
            except output.SwapError:
                keep_scratch = True  # it holds the only copy of the previous site
                raise
            except OSError as exc:
                raise BuildError(f"{out}: the new site could not be put in place: {exc}") from exc
            replaced = True
    except Interrupted as exc:
        exc.site_replaced = replaced
        raise
    finally:
        children.kill_all()
        if ram:
            shutil.rmtree(ram, ignore_errors=True)
        if not keep_scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    report = BuildReport(results, time.monotonic() - started, pdfs_missing=pdfs_missing,
                         no_address=not site_url and not offline,
                         stages=dict(watch), kb=kb, renderer=renderer, compressed=compressed,
                         rendered={job.code: job.rendered for job in prepared})
    if printed:
        report.pdfs = printed.printed + printed.cached
        report.pdfs_printed, report.pdfs_cached = printed.printed, printed.cached
        report.pdf_cache_note = printed.note
    return report


def _sheet_source(renderer: Renderer, content: Path, sheet: str) -> str | None:
    """The content file to shorten when a sheet does not fit: its type's (the pocket summary has none)."""
    type_id = renderer.sheet_type(sheet)
    return str(content / KIND_BY_KEY["customer_types"].source(type_id)) if type_id else None


def _sheet_label(kb: KnowledgeBase, code: str, sheet: str) -> str:
    type_id = sheet.removesuffix(BILINGUAL)
    what = (f"customer type {type_id!r}{', bilingual' if type_id != sheet else ''}"
            if type_id in kb.customer_types else sheet.replace("-", " "))
    return f"{SHEETS}/{sheet}/index.html ({what}, {code})"


def _content_bytes(content: Path) -> int:
    total = 0
    for path in content.rglob("*.yaml"):
        try:
            total += path.stat().st_size
        except OSError:
            pass  # gone since the content was read: it cannot need room
    return total


def _file_dates(content: Path) -> dict[str, str]:
    """Each content file (relative to `content`) and the date it last changed: its
    last commit, from one `git log` for all of them, else (outside git, or not
    committed yet) its modification time."""
    committed: dict[str, str] = {}
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotePath=false", "log", "--relative", "--format=%x00%cs",
             "--name-only", "--", "."],
            cwd=content, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if proc.returncode == 0:
            date = ""
            for line in proc.stdout.splitlines():
                if line.startswith("\0"):
                    date = line[1:]
                elif line and date:
                    committed.setdefault(line, date)  # newest first: the first is the last change
    except (OSError, subprocess.TimeoutExpired):
        pass
    dates = {}
    for path in sorted(content.rglob("*.yaml")):
        rel = path.relative_to(content).as_posix()
        if any(part.startswith(".") for part in path.relative_to(content).parts):
            continue
        try:
            dates[rel] = committed.get(rel) or time.strftime(
                "%Y-%m-%d", time.gmtime(path.stat().st_mtime))
        except OSError:
            pass
    return dates


@dataclass
class _Job:
    code: str
    config_file: Path
    site_dir: Path
    pages: int
    offline: bool
    sources: dict[str, str] = field(default_factory=dict)
    """Generated page -> the content file it is made from, for tracing MkDocs' errors."""
    content: Path | None = None
    rendered: list = field(default_factory=list)
    """The Markdown pages written."""


def _prepare_language(
    renderer: Renderer, kb: KnowledgeBase, code: str, src: Path, site_dir: Path, base: Path,
    site_url: str | None, offline: bool, content: Path | None = None,
) -> _Job:
    """Write one language's Markdown pages and its MkDocs config."""
    docs = src / "docs"
    pages = renderer.pages(code)
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    for path, data in renderer.sheet_files(code).items():
        (docs / path).write_bytes(data)
    config = language_config(renderer, kb, code, docs, site_dir, base, site_url, offline)
    config_file = src / "mkdocs.yml"
    # Read by our hooks in MkDocs' process: kept out of the config, whose every
    # string is the theme's to print.
    (src / RULES_FILE).write_text(json.dumps(rules_of(kb.language(code)), ensure_ascii=False), "utf-8")
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    sources = {page.path: page.source for page in pages if page.source}
    return _Job(code, config_file, site_dir, len(pages), offline, sources, content, pages)


def language_config(
    renderer: Renderer, kb: KnowledgeBase, code: str, docs: Path, site_dir: Path, base: Path,
    site_url: str | None, offline: bool,
) -> dict:
    """One language's MkDocs config, inheriting the base config `base`."""
    language = kb.language(code)
    config = {
        # INHERIT deep-merges mappings (theme, extra) but replaces lists
        # (plugins, markdown_extensions): per-language lists would need repeating.
        "INHERIT": str(base.resolve()),
        # Material prints the config's strings as they are: each goes in as
        # escaped plain text (generator/safe.py), never as content's markup.
        "site_name": html_plain(language.labels.site_name),
        "site_description": html_plain(language.labels.site_description),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "theme": {"language": language.theme_language, "custom_dir": str(THEME)},
        # Ours, inside MkDocs: the sidebar into each page, each page sanitized.
        "hooks": [str(HOOKS)],
        "nav": renderer.nav(code),
        # The sheets are reached from the cheat-sheet index and each type's page.
        "not_in_nav": f"/{SHEETS}/*/",
        "extra": {
            # What site_templates/theme needs for the language switch and hreflang.
            "hinahon": {
                "current": code,
                "default": kb.default_language,
                "home": "index.html" if offline else "",
                # The search box's words (site_templates/theme/partials/search.html).
                "search": {
                    "placeholder": html_plain(language.labels.search_placeholder),
                    "loading": html_plain(language.labels.search_loading),
                    "none": html_plain(language.labels.search_none),
                    "results": html_plain(language.labels.search_results),
                },
                # The error page's words and where its links start (mkdocs_hooks.py).
                "not_found": {
                    "root": f"{site_root_path(site_url)}{code}/",
                    "title": html_plain(language.labels.not_found),
                    "text": html_plain(language.labels.not_found_text),
                    "home": html_plain(language.labels.home),
                    "sheets": html_plain(language.labels.cheat_sheets),
                    "sheets_path": f"{SHEETS}/index.html" if offline else f"{SHEETS}/",
                    "search": html_plain(language.labels.search_placeholder),
                },
                "languages": [
                    {"code": other.code, "native_name": html_plain(other.native_name),
                     "root": f"{site_url}{other.code}/" if site_url else ""}
                    for other in kb.languages
                ],
            },
        },
    }
    if site_url:
        config["site_url"] = f"{site_url}{code}/"
    if offline:
        # file:// shows a folder listing for "page/", so links name the file.
        config["use_directory_urls"] = False
        config["extra"]["polyfills"] = ["assets/hinahon/file-worker.js"]
    return config


_WARNING = re.compile(r"^(WARNING|ERROR)\s+-", re.MULTILINE)


def _policy_of(job: _Job) -> Inline:
    """What the policies of the language's pages allow, as its MkDocs recorded it."""
    try:
        allowed = json.loads(job.config_file.with_name(POLICY_FILE).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"[{job.code}] {POLICY_FILE}: the pages' policies were not recorded "
                         f"({exc}); the site would have no header policy") from exc
    return Inline(allowed["scripts"], allowed["styles"])


def _hook_seconds(job: _Job) -> dict[str, float]:
    try:
        return json.loads(job.config_file.with_name(STAGES_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _check_search(job: _Job, result: LanguageResult) -> None:
    """The language's search index, as its MkDocs wrote it: its size, or why not in `result.error`."""
    if result.error:
        return
    try:
        result.search_bytes = (job.site_dir / SEARCH_FOLDER / INDEX_FILE).stat().st_size
    except OSError:
        result.error = f"[{job.code}] {job.site_dir / SEARCH_FOLDER / INDEX_FILE}: no search index was written"


def _run_mkdocs(job: _Job, children: Children) -> LanguageResult:
    env = dict(os.environ)
    # Material prints an end-of-life banner on every build; README notes it
    # once, so the build's own output stays readable.
    env["NO_MKDOCS_2_WARNING"] = "1"
    status, said = children.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--config-file", str(job.config_file)], env)
    warnings = len(_WARNING.findall(said))
    if status != 0:
        return LanguageResult(job.code, 0, warnings, mkdocs_failure(said, status, job))
    return LanguageResult(job.code, job.pages, warnings)


_DISK_FULL = re.compile(r"\[Errno 28\]|No space left on device")


def mkdocs_failure(said: str, status: int, job: _Job) -> str:
    """What to print of a language's MkDocs that failed: a full disk in one line
    (MkDocs prints its traceback), else its words led by the content file and
    field at fault, where they point to one."""
    if _DISK_FULL.search(said):
        return (f"[{job.code}] error: no space left on the device holding {job.site_dir.parent} "
                f"while MkDocs wrote the {job.code} site: free some space, then build again")
    error = "\n".join(explain(said, job.code, job.content, job.sources)) if job.content else said
    return error or f"[{job.code}] mkdocs exited {status}"
