"""The swap: a complete site at `out` at every instant, and the old one back on any failure."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, built_tiny, write
from generator import output, pdf
from generator.build import BuildError, build
from test_interrupt import scratch_folders
from test_output import tree_state

REAL_RENAME = os.rename
REAL_EXCHANGE = output.exchange


def site(folder: Path, text: str) -> Path:
    write(folder / "index.html", text)
    write(folder / "en" / "index.html", text + " en")
    return folder


@pytest.fixture
def folders(tmp_path: Path):
    out = site(tmp_path / "site", "old")
    scratch = output.make_scratch(tmp_path)
    new = site(scratch / "site", "new")
    return out, new, scratch, tree_state(out)


def refuse_exchange(code: int):
    def exchange(a: Path, b: Path) -> None:
        raise OSError(code, os.strerror(code))
    return exchange


def fail_rename(*failing: tuple[str, str]):
    """os.rename, failing for the (source name, target name) pairs given."""
    def rename(src, dst, *args, **kwargs):
        if (Path(src).name, Path(dst).name) in failing:
            raise OSError(errno.EIO, f"injected: {Path(src).name} -> {Path(dst).name}")
        return REAL_RENAME(src, dst, *args, **kwargs)
    return rename


def test_exchange_puts_the_new_site_in_one_step(folders, monkeypatch):
    out, new, scratch, old_state = folders
    calls = []
    monkeypatch.setattr(output, "exchange", lambda a, b: calls.append((a, b)) or REAL_EXCHANGE(a, b))
    output.swap(out, new, scratch)
    assert calls == [(new, out)]
    assert (out / "index.html").read_text() == "new"
    assert tree_state(new) == old_state  # the old site, in the scratch, for removal


def test_no_old_site_is_a_plain_rename(folders, monkeypatch):
    out, new, scratch, _ = folders
    shutil.rmtree(out)
    monkeypatch.setattr(output, "exchange", refuse_exchange(errno.EIO))
    output.swap(out, new, scratch)
    assert (out / "index.html").read_text() == "new" and not new.exists()


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP], ids=errno.errorcode.get)
def test_without_exchange_two_renames(folders, monkeypatch, code: int):
    out, new, scratch, old_state = folders
    monkeypatch.setattr(output, "exchange", refuse_exchange(code))
    output.swap(out, new, scratch)
    assert (out / "index.html").read_text() == "new"
    assert tree_state(scratch / output.OLD_SITE) == old_state


# Each way the swap can fail short of losing both copies: the old site stays at `out`.
FAULTS = {
    "exchange fails": (errno.EIO, ()),
    "old site cannot move aside": (errno.EINVAL, (("site", output.OLD_SITE),)),
    "new site cannot move in": (errno.EINVAL, (("site", "site"),)),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_swap_leaves_the_old_site(folders, monkeypatch, fault: str):
    out, new, scratch, old_state = folders
    code, failing = FAULTS[fault]
    monkeypatch.setattr(output, "exchange", refuse_exchange(code))
    monkeypatch.setattr(os, "rename", fail_rename(*failing))
    with pytest.raises(OSError):
        output.swap(out, new, scratch)
    assert tree_state(out) == old_state


def test_old_site_that_cannot_move_back_is_kept_and_named(folders, monkeypatch):
    out, new, scratch, old_state = folders
    monkeypatch.setattr(output, "exchange", refuse_exchange(errno.EINVAL))
    monkeypatch.setattr(os, "rename", fail_rename(("site", "site"), (output.OLD_SITE, "site")))
    with pytest.raises(output.SwapError, match=f"it is at {scratch / output.OLD_SITE}; move it to"):
        output.swap(out, new, scratch)
    assert tree_state(scratch / output.OLD_SITE) == old_state
    assert output.sweep_scratch(out.parent) == []  # not even once its build is dead


# The same, through a whole build.

@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    return built_tiny(tmp_path_factory.mktemp("previous"), "--lang", "en")


@pytest.fixture
def rebuild(content: Path, previous_site: Path, monkeypatch):
    monkeypatch.setattr(pdf, "CHROMIUM", Path("/nope"))
    out = content.parent / "site"
    shutil.copytree(previous_site, out, symlinks=True)
    return lambda: build(content, out, BASE_CONFIG, ["en"])


def test_a_site_is_at_out_just_before_and_just_after_the_exchange(rebuild, content, monkeypatch):
    out = content.parent / "site"
    seen = []

    def exchange(a: Path, b: Path) -> None:
        seen.append((out / "index.html").is_file())
        REAL_EXCHANGE(a, b)
        seen.append((out / "index.html").is_file())

    monkeypatch.setattr(output, "exchange", exchange)
    rebuild()
    assert seen == [True, True]
    assert scratch_folders(content.parent) == []


@pytest.mark.parametrize("fault", FAULTS)
def test_failed_swap_in_a_build_is_reported_and_cleaned_up(rebuild, content, monkeypatch, fault):
    out = content.parent / "site"
    before = tree_state(out)
    code, failing = FAULTS[fault]
    monkeypatch.setattr(output, "exchange", refuse_exchange(code))
    monkeypatch.setattr(os, "rename", fail_rename(*failing))
    with pytest.raises(BuildError, match=f"^{out}: the new site could not be put in place: "):
        rebuild()
    assert tree_state(out) == before
    assert scratch_folders(content.parent) == []
