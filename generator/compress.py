"""Each page and asset, precompressed beside itself, for servers that send it.

A cheap phone on a slow line waits for bytes: the build writes `page.html.gz`
and `page.html.br` beside every HTML, JS, CSS, JSON, XML and SVG file over
1 KB, and a server that knows to (nginx's gzip_static and brotli_static, in
deploy/nginx.conf) sends the smaller one to a browser that accepts it, without
compressing anything itself. Smaller files gain nothing worth a second file.

gzip at level 9, brotli at 10 or 11 (LARGE_BYTES), both deterministically (a
gzip header holds no time or name), so an unchanged file compresses to the same bytes.
Files with the same bytes (Material's assets, the same in every language) are
compressed once a build, and the theme's large assets (its script and
stylesheet, the same every build until Material is upgraded) once a machine:
their forms are kept in `~/.cache/hinahon/compressed/` (`$XDG_CACHE_HOME`),
named by the hash of what they were made from and checked on each use. Every
other file's forms are kept the same way beside the output, in
`.hinahon-cache/compressed/` (the build gives the folder), so a page that did
not change is not compressed again: a build reproduces an unchanged page byte
for byte. That folder keeps only what the last build used.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

SUFFIXES = (".html", ".js", ".css", ".json", ".xml", ".svg")
"""What is compressed: text a browser reads (a PDF, JPEG or PNG is compressed already)."""
MIN_BYTES = 1024
"""Files this size or smaller are sent as they are."""
FORMS = (".gz", ".br")
COMPRESSED_CACHE = "compressed"
"""Beside the PDF cache, in the output's `.hinahon-cache/`: this output's forms."""


@dataclass
class Compressed:
    files: int = 0
    """Files compressed (each now has a .gz and a .br beside it)."""
    cached: int = 0
    """Of the different files, those whose forms came from a cache."""
    raw_bytes: int = 0
    gzip_bytes: int = 0
    brotli_bytes: int = 0


def wanted(path: Path) -> bool:
    return path.suffix in SUFFIXES and path.stat().st_size > MIN_BYTES


LARGE_BYTES = 64 * 1024
"""From this size (the theme's script and stylesheet, the search indexes),
brotli's slowest, smallest setting: 11. Below it, 10, within 0.5% of 11's bytes
on our pages at 40% of its time (measured on the real site)."""


def _forms(data: bytes) -> tuple[bytes, bytes]:
    # mtime=0 and no file name: the same input gives the same bytes, every build.
    return (gzip.compress(data, compresslevel=9, mtime=0),
            brotli.compress(data, quality=11 if len(data) >= LARGE_BYTES else 10))


def cache_folder() -> Path:
    """Where the theme's large assets' compressed forms are kept between builds."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hinahon" / "compressed"


def _cacheable(path: Path, data: bytes, site: Path) -> bool:
    # The theme's own large files, which do not change from build to build;
    # a search index does, and would only fill the cache.
    return len(data) >= LARGE_BYTES and "assets" in path.relative_to(site).parts


def _cached_forms(data: bytes, digest: bytes, folder: Path) -> tuple[bytes, bytes, bool]:
    """The forms of `data` from `folder` if it holds them whole, else made and
    kept there; and whether they came from it."""
    name = digest.hex()
    try:
        gz, br = (folder / f"{name}.gz").read_bytes(), (folder / f"{name}.br").read_bytes()
        # Trusted only when they give back exactly the file.
        if gzip.decompress(gz) == data and brotli.decompress(br) == data:
            return gz, br, True
    except (OSError, EOFError, ValueError, brotli.error):
        pass  # not there yet, or damaged: made again
    gz, br = _forms(data)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, form in ((".gz", gz), (".br", br)):
            part = folder / f"{name}{suffix}.{os.getpid()}.part"
            part.write_bytes(form)
            os.replace(part, folder / f"{name}{suffix}")
    except OSError:
        pass  # a cache that cannot be written only costs time
    return gz, br, False


def _prune(folder: Path, used: set[str]) -> None:
    """Remove from `folder` the forms no file of this build has, and parts left over."""
    try:
        names = list(folder.iterdir())
    except OSError:
        return
    for path in names:
        stem, _, suffix = path.name.partition(".")
        if suffix in ("gz", "br") and stem in used:
            continue
        if suffix in ("gz", "br") or path.name.endswith(".part"):
            path.unlink(missing_ok=True)


def compress_site(site: Path, jobs: int | None = None, cache: Path | None = None) -> Compressed:
    """Write the .gz and .br of every file under `site` that is `wanted`.

    Each file is read once, by the worker that compresses it, so the memory
    held is a few files' worth whatever the site's size (holding them all took
    a gigabyte at 1,000 customer types). Files with the same bytes are
    compressed once: the first worker to reach a hash does it, the others wait
    for its forms and copy them. With a `cache` folder, forms are taken from it
    and kept in it (see the module's docstring), and it is left holding this
    build's only.
    """
    files = sorted(p for p in site.rglob("*") if p.is_file() and wanted(p))
    total = Compressed()
    lock = threading.Lock()
    made: dict[bytes, Future] = {}

    def one(path: Path) -> tuple[int, int, int]:
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        with lock:
            first = digest not in made
            if first:
                made[digest] = Future()
        if first:
            try:
                if _cacheable(path, data, site):
                    gz, br, hit = _cached_forms(data, digest, cache_folder())
                elif cache is not None:
                    gz, br, hit = _cached_forms(data, digest, cache)
                else:
                    (gz, br), hit = _forms(data), False
                if hit:
                    with lock:
                        total.cached += 1
                path.with_name(path.name + ".gz").write_bytes(gz)
                path.with_name(path.name + ".br").write_bytes(br)
            except BaseException as exc:
                made[digest].set_exception(exc)
                raise
            made[digest].set_result(path)  # its forms are on disk: none is kept here
            return len(data), len(gz), len(br)
        done = made[digest].result()
        gz, br = (done.with_name(done.name + form).read_bytes() for form in FORMS)
        path.with_name(path.name + ".gz").write_bytes(gz)
        path.with_name(path.name + ".br").write_bytes(br)
        return len(data), len(gz), len(br)

    # brotli and zlib let go of the GIL while they work: threads use every core.
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        for raw, gz, br in pool.map(one, files):
            total.files += 1
            total.raw_bytes += raw
            total.gzip_bytes += gz
            total.brotli_bytes += br
    if cache is not None:
        _prune(cache, {digest.hex() for digest in made})
    return total
