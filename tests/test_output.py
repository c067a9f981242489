"""The output folder: what `--out` may name, the stamp, and that refusals change nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, ROOT, run_cli
from generator import output

PDFS_OFF = {"HINAHON_CHROMIUM": "/nope"}
CACHES = {"__pycache__", ".pytest_cache", ".hypothesis"}
# The virtualenv, git's store and npm's packages are large and never the guard's business:
# hashing them made each refusal test take seconds.
NOT_OURS = CACHES | {".venv", ".git", "node_modules"}


def tree_state(folder: Path) -> dict[str, str]:
    """Every entry below `folder` (links not followed): its kind, and a file's hash."""
    state = {}
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in NOT_OURS]
        for name in dirs + files:
            path = Path(top, name)
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                state[rel] = "link " + os.readlink(path)
            elif path.is_dir():
                state[rel] = "dir"
            else:
                state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.fixture
def world(content: Path) -> Path:
    """tmp_path holding content/, a copy of the base config in conf/, a file, a folder of
    someone else's files, a folder with a stamp that is not ours, a link to content/, and
    a copy of the generator in deep/repo/: the cases that name the repository name that
    copy, so that were the guard ever to fail, the repository lost would be a copy."""
    tmp = content.parent
    for part in ("generator", "site_templates"):
        shutil.copytree(ROOT / part, tmp / "deep" / "repo" / part,
                        ignore=shutil.ignore_patterns(*CACHES))
    (tmp / "conf").mkdir()
    shutil.copy(BASE_CONFIG, tmp / "conf" / "mkdocs.yml")
    (tmp / "notes.txt").write_text("mine\n")
    for folder in ("docs", "site", "site-offline"):
        (tmp / folder).mkdir()
        (tmp / folder / "thesis.tex").write_text("years of work\n")
    (tmp / "fake").mkdir()
    (tmp / "fake" / ".hinahon-site").write_text('{"generator": "someone else"}\n')
    (tmp / "fake" / "data.csv").write_text("1,2\n")
    (tmp / "link").symlink_to(content, target_is_directory=True)
    return tmp


# (what --out says, relative to tmp_path unless absolute; None: the default; what stderr says)
REFUSED = {
    "dot": (".", "holds the content folder"),
    "content": ("content", "is the content folder"),
    "folder inside content": ("content/customer-types", "lies inside the content folder"),
    "new folder inside content": ("content/site", "lies inside the content folder"),
    "parent of content": ("{tmp}", "holds the content folder"),
    "symlink to content": ("link", "is the content folder"),
    "filesystem root": ("/", "holds the content folder"),
    "repository root": ("deep/repo", "is the repository"),
    "parent of the repository": ("deep", "holds the repository"),
    "folder in the repository": ("deep/repo/generator", "no .hinahon-site stamp"),
    "base config": ("conf/mkdocs.yml", "is the base config"),
    "folder holding the base config": ("conf", "holds the base config"),
    "file": ("notes.txt", "is a file, not a folder"),
    "non-empty folder without stamp": ("docs", "no .hinahon-site stamp"),
    "folder with someone else's stamp": ("fake", "no .hinahon-site stamp"),
    "default site": (None, "no .hinahon-site stamp"),
    "default site-offline": (None, "no .hinahon-site stamp"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_out_is_refused_before_anything_changes(world: Path, case: str):
    out, message = REFUSED[case]
    args = ["build", "--content", "content", "--config", "conf/mkdocs.yml"]
    if out is not None:
        args += ["--out", out.format(tmp=world)]
    if case.endswith("offline"):
        args.append("--offline")
    before = tree_state(world), tree_state(ROOT)
    result = run_cli(*args, cwd=world, env={**PDFS_OFF, "PYTHONPATH": str(world / "deep" / "repo")})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("--out: "), result.stderr
    assert message in lines[0]
    assert (tree_state(world), tree_state(ROOT)) == before


def test_empty_folder_and_own_site_are_replaced_and_stamped(world: Path):
    (world / "empty").mkdir()
    for attempt in ("empty", "again"):
        result = run_cli("build", "--content", "content", "--config", "conf/mkdocs.yml",
                         "--out", "empty", "--lang", "en", cwd=world, env=PDFS_OFF)
        assert result.returncode == 0, (attempt, result.stderr)
        stamp = json.loads((world / "empty" / ".hinahon-site").read_text())
        assert stamp == {"generator": "hinahon", "languages": ["en"], "offline": False}


def test_offline_default_is_stamped_and_rebuilt(content: Path):
    for attempt in ("new", "again"):
        result = run_cli("build", "--offline", "--content", "content", "--lang", "az",
                         "--config", str(BASE_CONFIG), cwd=content.parent, env=PDFS_OFF)
        assert result.returncode == 0, (attempt, result.stderr)
        stamp = json.loads((content.parent / "site-offline" / ".hinahon-site").read_text())
        assert stamp == {"generator": "hinahon", "languages": ["az"], "offline": True}


@pytest.mark.parametrize("out", ["/proc/hinahon-out", "notes.txt/site", "/dev/null/site"])
def test_out_where_nothing_can_be_written_is_one_line(world: Path, out: str):
    before = tree_state(world)
    result = run_cli("build", "--content", "content", "--config", "conf/mkdocs.yml", "--out", out,
                     cwd=world, env=PDFS_OFF)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("--out: "), result.stderr
    assert "nothing can be written beside it" in lines[0], result.stderr
    assert tree_state(world) == before


# --- the throwaway Markdown in RAM ------------------------------------------

def _build_watching_sources(content: Path, monkeypatch, fail_in: Path | None = None) -> list[Path]:
    """Build `content` in this process (one language, no PDFs); returns where each
    language's Markdown went. `fail_in`: writing there fails as a full disk would."""
    from generator import build as build_module

    real = build_module._prepare_language
    seen: list[Path] = []

    def watching(renderer, kb, code, src, *args, **kwargs):
        seen.append(src)
        if fail_in and fail_in in src.parents:
            raise OSError(28, "No space left on device")
        return real(renderer, kb, code, src, *args, **kwargs)

    monkeypatch.setattr(build_module, "_prepare_language", watching)
    monkeypatch.setattr(build_module, "missing_engine", lambda: "off in this test")
    build_module.build(content, content.parent / "site", BASE_CONFIG, languages=["en"])
    assert (content.parent / "site" / "en" / "index.html").is_file()
    return seen


def test_the_markdown_is_written_in_ram_and_nothing_is_left_there(content: Path, monkeypatch):
    ram = content.parent / "ram"
    dead = ram / f"{output.SCRATCH_PREFIX}999999999-123-abc"  # a killed build's: swept
    dead.mkdir(parents=True)
    monkeypatch.setenv("HINAHON_RAM_FOLDER", str(ram))
    [src] = _build_watching_sources(content, monkeypatch)
    assert ram in src.parents
    assert list(ram.iterdir()) == []


@pytest.mark.parametrize("case", ["no room", "no such folder", "turned off"])
def test_without_room_in_ram_the_markdown_goes_beside_the_output(content: Path, monkeypatch, case):
    ram = content.parent / "ram"
    ram.mkdir()
    if case == "no room":
        monkeypatch.setattr(output, "RAM_PER_CONTENT_BYTE", 10**15)
    monkeypatch.setenv("HINAHON_RAM_FOLDER", {"no such folder": str(ram / "nope"),
                                              "turned off": ""}.get(case, str(ram)))
    [src] = _build_watching_sources(content, monkeypatch)
    assert src.parents[1].name.startswith(output.SCRATCH_PREFIX)
    assert src.parents[1].parent == content.parent
    assert list(ram.iterdir()) == []


def test_ram_filling_up_during_the_write_falls_back_to_the_disk(content: Path, monkeypatch):
    ram = content.parent / "ram"
    ram.mkdir()
    monkeypatch.setenv("HINAHON_RAM_FOLDER", str(ram))
    first, second = _build_watching_sources(content, monkeypatch, fail_in=ram)
    assert ram in first.parents and ram not in second.parents
    assert list(ram.iterdir()) == []
