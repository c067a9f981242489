"""The output folder: which folders a build may replace, its scratch, the swap.

A build writes everything into a scratch folder beside the output and, once
every stage has passed, exchanges the new site with the old one. Three rules
keep that from ever destroying anything that is not an earlier site:

- `check_out` refuses, before any work, an output folder that is or holds
  the content, the repository or the base config, a file, or a folder with
  files in it that carries no stamp (`STAMP`, written into every site built).
- Scratch folders are named for the process that owns them, so the next
  build sweeps those of builds that were killed and leaves live ones alone.
- `swap` exchanges the two folders in one rename where Linux can, so some
  complete site is in place at every instant.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import generator

STAMP = ".hinahon-site"
"""Marks a folder as a site we built: only such a folder (or an empty one) is replaced.
Hidden, so a web server that does not serve dot files leaves it out; one that
does publishes a few bytes of JSON naming the generator and the languages."""

SCRATCH_PREFIX = ".hinahon-build-"
REPOSITORY = Path(generator.__file__).resolve().parent.parent
OLD_SITE = "previous-site"
"""Where, inside the scratch folder, the fallback swap parks the old site."""
RAM_FOLDER = "/dev/shm"
"""A folder in memory (tmpfs) for the Markdown MkDocs reads once and the build
throws away: on a slow disk, writing a page there costs a tenth of writing it
beside the output. Set HINAHON_RAM_FOLDER to another folder, or to "" for none."""
RAM_PER_CONTENT_BYTE = 20
"""Free bytes the RAM folder must have per byte of content: the Markdown of all
languages together is about 6 bytes per byte of YAML, and a full tmpfs must
not starve the rest of the machine."""


class OutError(ValueError):
    """`--out` names a folder a build must not replace; the message says why and what to do."""


class SwapError(OSError):
    """The new site could not be put in place; the message says where the old one is."""


def check_out(out: Path, content: Path, config: Path) -> Path:
    """`out` resolved, once it is safe to replace; raises OutError otherwise."""
    target = out.resolve()
    guarded = [
        (content.resolve(), "the content folder", True),
        (REPOSITORY, "the repository (the folder holding generator/)", False),
        (config.resolve(), "the base config", False),
    ]
    for place, name, no_inside in guarded:
        if target == place:
            _refuse(out, f"is {name}")
        if target in place.parents:
            _refuse(out, f"holds {name} ({place})")
        if no_inside and place in target.parents:
            _refuse(out, f"lies inside {name} ({place})")
    if target.exists() and not target.is_dir():
        _refuse(out, "is a file, not a folder", "name a folder, new or from an earlier build")
    if target.is_dir() and any(target.iterdir()) and not is_site(target):
        _refuse(out, f"is a folder with files in it but no {STAMP} stamp, so not a site "
                     "Hinahon built", "name a new or empty folder, or empty this one yourself "
                     "(a site built before the stamp existed needs that once)")
    return target


def _refuse(out: Path, problem: str, todo: str = "") -> None:
    todo = todo or ("the build replaces the whole --out folder: name one apart from the "
                    "content, the repository and the base config, e.g. --out site")
    raise OutError(f"--out: {out}: {problem}; {todo}")


def is_site(folder: Path) -> bool:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))["generator"] == "hinahon"
    except (OSError, ValueError, TypeError, KeyError):
        return False


def write_stamp(site: Path, languages: list[str], offline: bool) -> None:
    stamp = {"generator": "hinahon", "languages": languages, "offline": offline}
    (site / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")


# Scratch folders: .hinahon-build-<pid>-<start time>-<random>. The start time
# (from /proc) tells a live owner from a new process that reused a dead one's PID.

def scratch_prefix(pid: int) -> str:
    return f"{SCRATCH_PREFIX}{pid}-{_start_time(pid)}-"


def make_scratch(parent: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=scratch_prefix(os.getpid()), dir=parent))


def make_ram_scratch(content_bytes: int) -> Path | None:
    """A scratch folder in RAM_FOLDER, if it has room for the Markdown of
    `content_bytes` of content with a wide margin; else None (use the disk).

    Named like every scratch folder, so a killed build's is swept by the next.
    """
    name = os.environ.get("HINAHON_RAM_FOLDER", RAM_FOLDER)
    ram = Path(name)
    if not name or not ram.is_dir():
        return None
    try:
        if shutil.disk_usage(ram).free < RAM_PER_CONTENT_BYTE * content_bytes + 64 * 2**20:
            return None
        sweep_scratch(ram)
        return make_scratch(ram)
    except OSError:
        return None


def sweep_scratch(parent: Path) -> list[Path]:
    """Remove the scratch folders in `parent` whose builds are dead; returns them."""
    swept = []
    for folder in parent.glob(SCRATCH_PREFIX + "*"):
        owner = folder.name[len(SCRATCH_PREFIX):].split("-")
        # Folders of an older layout or a stranger's name: no provable owner, kept.
        if len(owner) < 3 or not owner[0].isdigit() or not folder.is_dir():
            continue
        if _start_time(int(owner[0])) == owner[1]:
            continue
        # The fallback swap failed twice and left the only old site here.
        if (folder / OLD_SITE).exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        swept.append(folder)
    return swept


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot, or "dead"."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "dead"
    # Field 22; the command name (field 2) may hold spaces and parentheses.
    return stat.rsplit(")", 1)[1].split()[19]


# The swap.

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE)."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not in this C library")
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


def swap(out: Path, new_site: Path, scratch: Path) -> None:
    """Put `new_site` at `out`; the old site, if any, ends up in `scratch` for removal.

    Where the filesystem can exchange two folders, one renameat2 call does it,
    and a complete site is at `out` at every instant. Where it cannot (EINVAL,
    ENOSYS, EOPNOTSUPP), two plain renames: the old site into the scratch
    folder, the new one to `out`; if the second fails, the old site is moved
    back. Only in that fallback is there a moment with no site at `out`.
    The caller keeps signals from splitting it (build.py: interrupt.deferred).
    """
    if not out.exists():
        os.rename(new_site, out)
        return
    try:
        exchange(new_site, out)
        return
    except OSError as exc:
        if exc.errno not in _NO_EXCHANGE:
            raise
    old = scratch / OLD_SITE
    os.rename(out, old)
    try:
        os.rename(new_site, out)
    except OSError as exc:
        try:
            os.rename(old, out)
        except OSError as again:
            raise SwapError(f"putting the new site at {out} failed ({exc.strerror}), and so "
                            f"did moving the previous site back ({again.strerror}): it is at "
                            f"{old}; move it to {out} yourself") from exc
        raise

