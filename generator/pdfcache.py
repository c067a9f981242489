"""The PDF cache: a sheet is printed again only when what it is printed from changed.

Each printed sheet is kept in `.hinahon-cache/pdf/` beside the output folder
(or where HINAHON_PDF_CACHE says), one folder per entry, named by its key: a
hash of

- the sheet's built HTML (without the size fitting writes into it) and its place in the site,
- the paper settings (paper, margins, preview size and quality, Chromium's flags),
- the Chromium and Playwright versions and the system's font files (path, size, date).

Beside the PDF (and preview) the entry's manifest records the size the sheet
was fitted to (generator/fit.py), which a hit writes into the new page as the
print stage would have, and lists every file of the site
the page loaded while it was printed (stylesheets, scripts, images: the
requests Chromium made), each with its hash. A later build uses the entry only
if each of those files is unchanged in the new site, and the copied PDF's and
preview's hashes are those the manifest recorded; anything else, a truncated
file or an unreadable manifest included, is a miss and the sheet is printed
again (its entry replaced).

Entries are written into a build's own scratch folder and renamed into place
in one step, so no build ever sees half an entry; two builds at once at worst
both print a sheet. The cache keeps what was used in the last
`KEEP_DAYS` days, and at most `KEEP_BUILDS` times as many entries as one
build prints (or `KEEP_ENTRIES`, if more); the rest is removed after each print. A cache that cannot be
created or written makes the build print everything, say so once in its
summary, and go on: the cache never fails a build.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import fit, output, pdf

CACHE = Path(".hinahon-cache") / "pdf"
"""Where the cache lives, relative to the output folder's parent."""
CACHE_ENV = "HINAHON_PDF_CACHE"
"""Environment variable: another folder for the cache."""
FORMAT = 2
"""Bumped whenever an entry's layout or what the key covers changes."""
KEEP_DAYS = 14
KEEP_BUILDS = 4
KEEP_ENTRIES = 400
"""At least this many entries (about 100 KB each) are kept, so that a `--lang` build
does not push out the entries of the other languages."""
FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

_ENTRY = re.compile(r"^[0-9a-f]{64}$")
_MANIFEST = "manifest.json"
_PDF = "sheet.pdf"
_PREVIEW = "preview.jpg"


@dataclass
class PrintOutcome:
    printed: int = 0
    cached: int = 0
    note: str | None = None
    """Why the cache was not used, or not fully, said once in the build's summary."""
    seconds: float = 0.0


def cache_folder(out: Path) -> Path:
    """The cache for a build into `out`."""
    return Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else out.parent / CACHE


def print_sheets(jobs: list[pdf.PrintJob], site: Path, folder: Path | None,
                 read: bool = True, workers: int | None = None) -> PrintOutcome:
    """Put every job's PDF (and preview) in place: from the cache where it holds
    them for exactly this page, printed (and then cached) otherwise.

    `folder` None: no cache at all. `read` False (`--no-cache`): print
    everything, and refresh the cache with what was printed.
    Raises pdf.PrintError as printing does.
    """
    started = time.monotonic()
    outcome = PrintOutcome()
    cache: _Cache | None = None
    if folder is not None:
        cache, outcome.note = _Cache.open(folder, site)
    if cache and not read:
        outcome.note = "--no-cache: none taken from the cache"
    try:
        keys = {}
        to_print = []
        for job in jobs:
            key = cache.key(job) if cache else None
            keys[job] = key
            if cache and read and key and cache.fetch(job, key):
                outcome.cached += 1
            else:
                to_print.append(job)

        def printed(job: pdf.PrintJob, loaded: set[str], size: float) -> None:
            if cache and keys[job]:
                cache.store(job, keys[job], loaded, size)

        pdf.print_pdfs(to_print, site, workers, printed)
        outcome.printed = len(to_print)
        if cache:
            cache.prune(used=len(jobs))
    finally:
        if cache:
            cache.close()
            if cache.trouble and not outcome.note:
                outcome.note = cache.trouble
    outcome.seconds = time.monotonic() - started
    return outcome


class _Cache:
    def __init__(self, root: Path, scratch: Path, site: Path, settings: bytes):
        self.root, self.scratch, self.site, self.settings = root, scratch, site, settings
        self.trouble: str | None = None
        """The first thing that went wrong with the cache; from then on nothing is stored."""
        self._digests: dict[Path, str | None] = {}
        self._lock = threading.Lock()
        self._count = 0

    @classmethod
    def open(cls, root: Path, site: Path) -> tuple[_Cache | None, str | None]:
        """The cache at `root`, or None and why not."""
        try:
            settings = _settings()
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            return None, f"printed without a cache: Chromium's version is unknown ({_why(exc)})"
        site = site.resolve()
        if site in root.resolve().parents or root.resolve() in site.parents:
            return None, f"printed without a cache: {root} is inside the site"
        try:
            root.mkdir(parents=True, exist_ok=True)
            output.sweep_scratch(root)
            scratch = output.make_scratch(root)
        except OSError as exc:
            return None, f"printed without a cache: {root}: {_why(exc)}"
        return cls(root, scratch, site, settings), None

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def key(self, job: pdf.PrintJob) -> str | None:
        try:
            page = job.page.resolve()
            # A page fitted already (one copied from a built site) has the same key.
            html = fit.unfitted(page.read_bytes())
        except OSError:
            return None
        digest = hashlib.sha256(self.settings)
        for part in (page.relative_to(self.site).as_posix().encode(),
                     b"preview" if job.preview else b"no preview", html):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    # Reading.

    def fetch(self, job: pdf.PrintJob, key: str) -> bool:
        """Put the entry's files at the job's places; False (and nothing left there)
        unless the entry is whole and was printed from exactly these files."""
        entry = self.root / key
        try:
            manifest = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
            size = manifest["size"]
            if not (manifest["format"] == FORMAT and manifest["key"] == key
                    and isinstance(manifest["loaded"], dict) and size in fit.SIZES
                    and bool(job.preview) == (manifest["preview"] is not None)):
                return False
            for rel, digest in manifest["loaded"].items():
                if self._digest(self._in_site(rel)) != digest:
                    return False
            placed = [(entry / _PDF, job.pdf, manifest["pdf"])]
            if job.preview:
                placed.append((entry / _PREVIEW, job.preview, manifest["preview"]))
            for source, target, digest in placed:
                _link_or_copy(source, target)
                if _file_digest(target) != digest:
                    raise ValueError(f"{source} is not the file its manifest describes")
            fit.apply(job.page, size)
            os.utime(entry / _MANIFEST)  # used: kept by `prune`
            return True
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            for target in (job.pdf, job.preview):
                if target is not None:
                    target.unlink(missing_ok=True)
            return False

    def _in_site(self, rel: str) -> Path:
        path = (self.site / rel).resolve()
        if path != self.site and self.site not in path.parents:
            raise ValueError(f"{rel} is not in the site")
        return path

    def _digest(self, path: Path) -> str | None:
        """A site file's hash, None for one that is not there; each file read once a build."""
        with self._lock:
            if path not in self._digests:
                try:
                    self._digests[path] = _file_digest(path)
                except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                    self._digests[path] = None
            return self._digests[path]

    # Writing.

    def store(self, job: pdf.PrintJob, key: str, loaded: set[str], size: float) -> None:
        """Keep what was just printed; never raises (the first failure is noted)."""
        if self.trouble:
            return
        try:
            page = job.page.resolve()
            files = {}
            for url in loaded:
                path = _local_path(url)
                if path is None or path == page:
                    continue
                files[path.relative_to(self.site).as_posix()] = self._digest(path)
            with self._lock:
                self._count += 1
                fresh = self.scratch / str(self._count)
            fresh.mkdir()
            _link_or_copy(job.pdf, fresh / _PDF)
            manifest = {"format": FORMAT, "key": key, "page": page.relative_to(self.site).as_posix(),
                        "pdf": _file_digest(fresh / _PDF), "preview": None, "size": size,
                        "loaded": dict(sorted(files.items()))}
            if job.preview:
                _link_or_copy(job.preview, fresh / _PREVIEW)
                manifest["preview"] = _file_digest(fresh / _PREVIEW)
            (fresh / _MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
            self._put(fresh, self.root / key)
        except (OSError, ValueError) as exc:
            self.trouble = f"the cache could not be written ({self.root}: {_why(exc)})"

    def _put(self, fresh: Path, entry: Path) -> None:
        """`fresh` becomes `entry` in one rename; an older entry there is replaced."""
        try:
            os.rename(fresh, entry)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        # A stale or corrupt entry (or one a concurrent build just wrote): swap it out.
        try:
            output.exchange(fresh, entry)
        except OSError:
            old = fresh.with_name(fresh.name + "-old")
            os.rename(entry, old)
            os.rename(fresh, entry)
            fresh = old
        shutil.rmtree(fresh, ignore_errors=True)

    def prune(self, used: int) -> None:
        """Remove entries unused for KEEP_DAYS, and the least recently used beyond
        KEEP_BUILDS builds' worth (KEEP_ENTRIES at least)."""
        if self.trouble:
            return
        try:
            entries = []
            for entry in self.root.iterdir():
                if not _ENTRY.match(entry.name):
                    continue
                try:
                    entries.append(((entry / _MANIFEST).stat().st_mtime, entry))
                except OSError:
                    entries.append((0.0, entry))  # no manifest: useless
            entries.sort(reverse=True)
            oldest = time.time() - KEEP_DAYS * 86400
            for rank, (used_at, entry) in enumerate(entries):
                if used_at < oldest or rank >= max(KEEP_BUILDS * used, KEEP_ENTRIES):
                    gone = self.scratch / f"gone-{rank}"
                    os.rename(entry, gone)  # out of sight at once, then removed
                    shutil.rmtree(gone, ignore_errors=True)
        except OSError as exc:
            self.trouble = f"the cache could not be pruned ({self.root}: {_why(exc)})"


def _settings() -> bytes:
    """Everything but the page itself that makes a printed sheet what it is."""
    version = subprocess.run([str(pdf.CHROMIUM), "--version"], capture_output=True, text=True,
                             timeout=60, stdin=subprocess.DEVNULL)
    if version.returncode != 0 or not version.stdout.strip():
        raise ValueError(f"{pdf.CHROMIUM} --version exited {version.returncode}")
    fonts = hashlib.sha256()
    for folder in FONT_FOLDERS:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            stat = path.stat()
            fonts.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return json.dumps({
        "format": FORMAT, "paper": pdf.PAPER, "margin": pdf.MARGIN, "preview": pdf.A4_PIXELS,
        "sizes": fit.SIZES, "papers": [(p.name, p.width_mm, p.height_mm) for p in fit.PAPERS],
        "quality": pdf.PREVIEW_QUALITY, "args": pdf.CHROMIUM_ARGS,
        "chromium": version.stdout.strip(), "playwright": importlib.metadata.version("playwright"),
        "fonts": fonts.hexdigest(),
    }, sort_keys=True).encode()


def _local_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path)).resolve()


def _link_or_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def _file_digest(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
