"""Precompressed files beside each page and asset (generator/compress.py)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli

from conftest import built_tiny
from generator.compress import MIN_BYTES, SUFFIXES, compress_site


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_each_kind_over_a_kilobyte_gets_both_forms_and_nothing_else_does(tmp_path: Path):
    body = ("Kalmado lang po. " * 200).encode()
    wanted = [write(tmp_path / f"a/page{suffix}", body) for suffix in SUFFIXES]
    left = [
        write(tmp_path / "small.html", b"x" * MIN_BYTES),   # exactly the limit: left as it is
        write(tmp_path / "sheet.pdf", body),
        write(tmp_path / "photo.jpg", body),
        write(tmp_path / "notes.txt", body),
        write(tmp_path / "bundle.js.map", body),
    ]
    write(tmp_path / "just-over.css", b"y" * (MIN_BYTES + 1))
    total = compress_site(tmp_path)
    for path in wanted + [tmp_path / "just-over.css"]:
        data = path.read_bytes()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == data, path
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == data, path
    for path in left:
        assert not path.with_name(path.name + ".gz").exists(), path
        assert not path.with_name(path.name + ".br").exists(), path
    assert total.files == len(wanted) + 1
    assert total.raw_bytes == sum(p.stat().st_size for p in wanted) + MIN_BYTES + 1
    assert 0 < total.brotli_bytes < total.gzip_bytes < total.raw_bytes


def test_the_same_file_compresses_to_the_same_bytes(tmp_path: Path):
    one = write(tmp_path / "one/index.html", b"<p>Sige po.</p>" * 300)
    two = write(tmp_path / "two/index.html", one.read_bytes())
    compress_site(tmp_path)
    first = {p: p.read_bytes() for p in tmp_path.rglob("*.gz")} | {p: p.read_bytes() for p in tmp_path.rglob("*.br")}
    assert one.with_suffix(".html.gz").read_bytes() == two.with_suffix(".html.gz").read_bytes()
    compress_site(tmp_path)  # again: no time or name in a gzip header
    assert {p: p.read_bytes() for p in first} == first


def test_the_built_site_has_both_forms_beside_every_file_that_wants_them(tmp_path: Path):
    site = built_tiny(tmp_path)
    missing = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in SUFFIXES and path.stat().st_size > MIN_BYTES:
            for form in (".gz", ".br"):
                if not path.with_name(path.name + form).is_file():
                    missing.append(f"{path}{form}")
    assert missing == []
    assert (site / "tl/index.html.br").is_file() and (site / "index.html.gz").is_file()


def test_the_offline_copy_has_no_compressed_files(tmp_path: Path):
    site = built_tiny(tmp_path, "--offline")
    # MkDocs' own sitemap.xml.gz is all there is.
    assert {p.name for p in site.rglob("*.gz")} == {"sitemap.xml.gz"}
    assert not list(site.rglob("*.br"))
    assert (site / "tl/index.html").is_file()


def test_the_themes_large_assets_are_compressed_once_a_machine_and_a_damaged_copy_is_not_used(
        tmp_path: Path, monkeypatch):
    import hashlib

    from generator.compress import LARGE_BYTES, cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = bytes(range(256)) * (LARGE_BYTES // 256 + 1)
    asset = write(tmp_path / "site/tl/assets/javascripts/bundle.js", data)
    index = write(tmp_path / "site/tl/search/index.js", data + b"//")  # changes every build: not kept
    compress_site(tmp_path / "site")
    kept = sorted(p.name for p in cache_folder().iterdir())
    name = hashlib.sha256(data).hexdigest()
    assert kept == [f"{name}.br", f"{name}.gz"]
    # Damaged in the cache: made again, and the site gets the right bytes.
    (cache_folder() / f"{name}.br").write_bytes(b"not brotli")
    (cache_folder() / f"{name}.gz").write_bytes(gzip.compress(b"another file"))
    asset.with_name("bundle.js.br").unlink()
    compress_site(tmp_path / "site")
    assert brotli.decompress(asset.with_name("bundle.js.br").read_bytes()) == data
    assert gzip.decompress(asset.with_name("bundle.js.gz").read_bytes()) == data
    assert gzip.decompress((cache_folder() / f"{name}.gz").read_bytes()) == data
    assert brotli.decompress(index.with_name("index.js.br").read_bytes()) == index.read_bytes()


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch):
    blocker = write(tmp_path / "cache", b"a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    from generator.compress import LARGE_BYTES
    asset = write(tmp_path / "site/assets/main.css", b"p{color:red}" * (LARGE_BYTES // 10))
    assert compress_site(tmp_path / "site").files == 1
    assert gzip.decompress(asset.with_name("main.css.gz").read_bytes()) == asset.read_bytes()


def test_memory_held_is_a_few_files_not_the_site(tmp_path: Path):
    import random
    import tracemalloc

    rng = random.Random(7)
    words = ["kalmado", "po", "müştəri", "customer", "sandali", "lamang", "gözləyin", "please"]
    size = 128 * 1024
    for n in range(40):
        text = " ".join(rng.choice(words) for _ in range(size // 6))
        write(tmp_path / f"p{n}/index.html", text.encode()[:size])
    tracemalloc.start()
    try:
        total = compress_site(tmp_path, jobs=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total.files == 40
    # Forty files of 128 KB: holding them all would be 5 MB before any output.
    assert peak < 12 * size, f"{peak / 2**20:.1f} MB at the peak"


def test_files_with_the_same_bytes_are_compressed_once(tmp_path: Path, monkeypatch):
    from generator import compress

    calls = []
    real = compress._forms
    monkeypatch.setattr(compress, "_forms", lambda data: calls.append(len(data)) or real(data))
    body = b"<p>Isang sandali lamang po.</p>" * 100
    for lang in ("tl", "az", "en"):
        write(tmp_path / lang / "assets/app.js", body)
        write(tmp_path / lang / "index.html", body + lang.encode())
    total = compress_site(tmp_path, jobs=3)
    assert total.files == 6 and len(calls) == 4
    for lang in ("tl", "az", "en"):
        assert gzip.decompress((tmp_path / lang / "assets/app.js.gz").read_bytes()) == body
        assert brotli.decompress((tmp_path / lang / "assets/app.js.br").read_bytes()) == body


def test_an_unchanged_file_is_taken_from_the_cache_which_keeps_only_the_last_builds(tmp_path: Path):
    cache = tmp_path / "cache"
    site = tmp_path / "site"
    pages = {f"p{n}/index.html": (f"<p>Pahina {n} po.</p>" * 200).encode() for n in range(4)}
    for rel, body in pages.items():
        write(site / rel, body)
    first = compress_site(site, cache=cache)
    assert (first.files, first.cached) == (4, 0)
    made = {p: p.read_bytes() for p in site.rglob("*.br")} | {p: p.read_bytes() for p in site.rglob("*.gz")}
    assert len(list(cache.glob("*.br"))) == len(list(cache.glob("*.gz"))) == 4
    # Unchanged: every form from the cache, the same bytes.
    for path in made:
        path.unlink()
    again = compress_site(site, cache=cache)
    assert (again.files, again.cached) == (4, 4)
    assert {p: p.read_bytes() for p in made} == made
    # One page changed: it alone is compressed; the cache drops its old forms.
    write(site / "p0/index.html", b"<p>Bago po.</p>" * 200)
    changed = compress_site(site, cache=cache)
    assert (changed.files, changed.cached) == (4, 3)
    assert gzip.decompress((site / "p0/index.html.gz").read_bytes()) == b"<p>Bago po.</p>" * 200
    assert len(list(cache.glob("*.br"))) == 4


def test_a_damaged_cache_entry_is_made_again_not_trusted(tmp_path: Path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    body = b"<p>Sandali lamang po.</p>" * 200
    write(site / "index.html", body)
    compress_site(site, cache=cache)
    [br] = cache.glob("*.br")
    br.write_bytes(brotli.compress(b"something else"))
    [gz] = cache.glob("*.gz")
    gz.write_bytes(gz.read_bytes()[:20])
    assert compress_site(site, cache=cache).cached == 0
    assert brotli.decompress((site / "index.html.br").read_bytes()) == body
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == body
    assert brotli.decompress(br.read_bytes()) == body


def test_a_second_build_takes_its_unchanged_pages_from_the_cache(tmp_path: Path):
    from conftest import BASE_CONFIG, run_cli
    site = built_tiny(tmp_path)
    assert (tmp_path / ".hinahon-cache" / "compressed").is_dir()
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(BASE_CONFIG),
                     cwd=tmp_path, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    said = re.search(r"(\d+) files compressed \([^)]*; (\d+) unchanged, from the cache\)", result.stdout)
    assert said and int(said.group(2)) > 0, result.stdout
    for path in site.rglob("*.html"):
        if path.stat().st_size > MIN_BYTES:
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
