"""Killed builds: signals clean up, MkDocs children die with the build, leftovers are swept."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, ROOT, built_tiny, run_cli
from generator import output
from generator.interrupt import Children
from test_output import PDFS_OFF, tree_state


def descendants(pid: int) -> list[int]:
    kids = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # it exited while we looked
        return []
    for task in tasks:
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids + [d for kid in kids for d in descendants(kid)]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def processes_mentioning(text: str) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and text in cmdline(int(p.name)) and alive(int(p.name))]


def wait_for(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting after {seconds} s")


def mkdocs_children(pid: int) -> list[int]:
    return [kid for kid in descendants(pid) if " mkdocs build " in cmdline(kid)]


def scratch_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(output.SCRATCH_PREFIX + "*"))


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    return built_tiny(tmp_path_factory.mktemp("previous"))


@pytest.fixture
def started(content: Path, previous_site: Path):
    """A second build into a copy of the previous site, caught while MkDocs runs."""
    out = content.parent / "site"
    shutil.copytree(previous_site, out, symlinks=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--out", "site",
         "--config", str(BASE_CONFIG)],
        cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **PDFS_OFF},
    )
    try:
        children = wait_for(lambda: mkdocs_children(proc.pid))
        yield proc, children, out
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_signal_stops_the_build_and_cleans_up(started, signum: int):
    proc, children, out = started
    before = tree_state(out)
    assert len(scratch_folders(out.parent)) == 1
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, stderr
    assert stderr == f"interrupted ({signal.Signals(signum).name}); the previous site was left untouched\n"
    assert [kid for kid in children if alive(kid)] == []
    assert processes_mentioning(str(out.parent)) == []
    assert scratch_folders(out.parent) == []
    assert tree_state(out) == before


def test_sigkill_leaves_scratch_the_next_build_sweeps(started, content: Path):
    proc, children, out = started
    dead = scratch_folders(out.parent)
    assert len(dead) == 1
    proc.kill()
    proc.wait()
    # PR_SET_PDEATHSIG: the children are killed with the build, not left to finish.
    wait_for(lambda: not any(alive(kid) for kid in children), seconds=10)
    live = Path(tempfile.mkdtemp(prefix=output.scratch_prefix(os.getpid()), dir=out.parent))
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(BASE_CONFIG),
                     cwd=content.parent, env=PDFS_OFF)
    assert result.returncode == 0, result.stderr
    assert scratch_folders(out.parent) == [live]


def test_sweep_removes_dead_builds_only(tmp_path: Path):
    dead = tmp_path / f"{output.SCRATCH_PREFIX}999999999-123-abc"  # above any pid_max
    # Our PID with another start time: a dead build whose PID this process reuses.
    reused = tmp_path / f"{output.SCRATCH_PREFIX}{os.getpid()}-1-abc"
    live = Path(tempfile.mkdtemp(prefix=output.scratch_prefix(os.getpid()), dir=tmp_path))
    unowned = tmp_path / f"{output.SCRATCH_PREFIX}k3j2_x9"  # the old random-only names
    parked = tmp_path / f"{output.SCRATCH_PREFIX}999999998-123-abc"  # holds the only old site
    for folder in (dead, reused, unowned, parked / output.OLD_SITE):
        folder.mkdir(parents=True)
    assert sorted(output.sweep_scratch(tmp_path)) == sorted([dead, reused])
    assert scratch_folders(tmp_path) == sorted([live, unowned, parked])


def test_kill_all_stops_running_children_and_refuses_new_ones():
    children = Children()
    results = []
    worker = threading.Thread(target=lambda: results.append(children.run(["sleep", "60"], {})))
    worker.start()
    wait_for(lambda: any("sleep 60" in cmdline(kid) for kid in descendants(os.getpid())))
    started = time.monotonic()
    children.kill_all()
    worker.join(10)
    assert results == [(-signal.SIGKILL, "")] and time.monotonic() - started < 10
    assert children.run(["true"], {}) == (-signal.SIGKILL, "")


def test_children_die_with_a_killed_parent(tmp_path: Path):
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "from generator.interrupt import Children; Children().run(['sleep', '60'], {})"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        sleeper = wait_for(lambda: [k for k in descendants(parent.pid) if "sleep" in cmdline(k)])
    finally:
        parent.kill()
        parent.wait()
    wait_for(lambda: not alive(sleeper[0]), seconds=10)
