"""Stage 1, load: read the content folder's YAML files into plain data,
remembering where each value came from (parse.py reads the YAML itself).

The folder's layout is fixed, and everything in it is accounted for:

    content/languages.yaml, sources.yaml, glossary.yaml   single files
    content/customer-types/, tactics/, phrases/, guides/  one <id>.yaml per entry

Any other file or folder, in content/ or in a kind folder, is an error saying
what is expected (`x.YAML`, `tactics/extra/x.yaml`, `guide/`, `notes.txt`), so
content never silently goes missing from the site. Names starting with '.'
are ignored: they are editor and OS files (`.DS_Store`, `.angry.yaml.swp`).

A link (symlink) is followed only when it resolves inside the content folder;
one pointing outside is refused without being opened, so the site publishes
only what is in the folder. Every file is read within MAX_FILE_BYTES, and a
file that cannot be read (a folder in its place, no permission, gone mid-run)
is a problem like any other, never a traceback.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .layout import FILES, KINDS
from .memo import ContentMemo
from .parse import Loc, parse
from .problems import Problems, did_you_mean

__all__ = ["Document", "LoadedTree", "Loc", "load_document", "load_tree"]

MAX_FILE_BYTES = 256 * 1024
"""Our largest content file is under 9 KiB, so 256 KiB is about 30 times that.
Checked before a file is read: a runaway file can neither stall the build nor
bloat the site (a 10 MB title made an 896 MB site)."""

# The folders and files generator/layout.py declares.
COLLECTIONS = [kind.folder for kind in KINDS]
SINGLE_FILES = [single.name for single in FILES]
_LAYOUT = (f"content/ holds the folders {', '.join(f'{f}/' for f in COLLECTIONS)} and the "
           f"files {', '.join(SINGLE_FILES)}; names starting with '.' are ignored")

_NOT_REGULAR = "not a regular file (a device, pipe or socket); content files are plain text files"


@dataclass
class Document:
    """One YAML file's data, plus the position of everything in it."""

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return self.path.stem

    def position(self, loc: Loc) -> tuple[int, int]:
        """Line and column (1-based) of `loc`, or of its nearest recorded ancestor."""
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))


@dataclass
class LoadedTree:
    """Every document under a content folder, grouped by kind."""

    root: Path
    singles: dict[str, Document] = field(default_factory=dict)
    collections: dict[str, list[Document]] = field(default_factory=dict)
    stems: dict[str, set[str]] = field(default_factory=dict)
    """Every entry file's stem per folder, including files that failed to load."""
    found: set[str] = field(default_factory=set)
    """The single files present, including those that failed to load."""


def load_document(path: Path, problems: Problems) -> Document | None:
    """Read and parse one YAML file; on any failure record it and return None."""
    text = _read_text(path, problems)
    if text is None:
        return None
    parsed = parse(text, path, problems)
    return None if parsed is None else Document(path, *parsed)


def _read_text(path: Path, problems: Problems) -> str | None:
    try:
        # Non-blocking, so a pipe named x.yaml cannot hang the run before fstat refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                problems.add(path, 1, 1, _NOT_REGULAR)
                return None
            if info.st_size > MAX_FILE_BYTES:
                problems.add(path, 1, 1, _too_big(info.st_size))
                return None
            data = _read_at_most(fd, MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except IsADirectoryError:
        problems.add(path, 1, 1, "is a folder, not a file; an entry is one .yaml file")
        return None
    except PermissionError:
        problems.add(path, 1, 1, "cannot be read: permission denied; make the file readable")
        return None
    except FileNotFoundError:
        problems.add(path, 1, 1, "disappeared while the content was being read; run again")
        return None
    except OSError as exc:
        problems.add(path, 1, 1, f"cannot be read: {exc.strerror or type(exc).__name__}")
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew after fstat
        problems.add(path, 1, 1, _too_big(len(data), more=True))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        problems.add(path, line, column, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_big(size: int, more: bool = False) -> str:
    return (f"the file is {'more than ' if more else ''}{size:,} bytes; a content file is at "
            f"most {MAX_FILE_BYTES // 1024} KiB (about 30 times our largest), so that a runaway "
            "file cannot stall the build or bloat the site: split it into several entries")


def load_tree(root: Path, problems: Problems, memo: ContentMemo | None = None) -> LoadedTree:
    """Read every content file under `root`, reporting anything out of place;
    with a `memo`, files unchanged since it last saw them are not read again."""
    def load(path: Path):
        return memo.document(path, problems, load_document) if memo else load_document(path, problems)

    tree = LoadedTree(root=root, collections={folder: [] for folder in COLLECTIONS})
    if not root.is_dir():
        problems.add(root, 1, 1, "content folder not found")
        return tree
    inside = root.resolve()
    names = set()
    for path in _listing(root, problems):
        names.add(path.name)
        kind = _kind(path, inside, problems)
        if kind is None:
            continue
        if path.name in SINGLE_FILES:
            tree.found.add(path.name)
            if kind == "dir":
                problems.add(path, 1, 1, f"is a folder; {path.name} must be a file")
            elif (doc := load(path)) is not None:
                tree.singles[path.name] = doc
        elif path.name in COLLECTIONS:
            if kind == "dir":
                tree.collections[path.name] = _load_folder(path, inside, tree, problems, load)
            else:
                problems.add(path, 1, 1, f"is a file; {path.name}/ must be a folder of "
                             "<id>.yaml entry files")
        else:
            what = "folder" if kind == "dir" else "file"
            problems.add(path, 1, 1, f"unexpected {what} '{path.name}'"
                         f"{did_you_mean(path.name, [*COLLECTIONS, *SINGLE_FILES])}; {_LAYOUT}")
    for single in FILES:
        if single.required and single.name not in names:
            problems.add(root / single.name, 1, 1,
                         f"missing: {single.name} {single.about}")
    return tree


def _load_folder(directory: Path, inside: Path, tree: LoadedTree, problems: Problems,
                 load) -> list[Document]:
    folder = directory.name
    docs = []
    for path in _listing(directory, problems):
        if path.suffix.lower() in (".yaml", ".yml"):
            # Known even if it fails to load, so references to it are not also dangling.
            tree.stems.setdefault(folder, set()).add(path.stem)
        kind = _kind(path, inside, problems)
        if kind is None:
            continue
        if kind == "dir":
            problems.add(path, 1, 1, f"is a folder; folders inside {folder}/ are not read: "
                         f"each entry is one <id>.yaml file directly in {folder}/")
        elif path.suffix == ".yaml":
            if (doc := load(path)) is not None:
                docs.append(doc)
        elif path.suffix == ".yml":
            problems.add(path, 1, 1, "content files end in '.yaml', not '.yml'")
        elif path.suffix.lower() == ".yaml":
            problems.add(path, 1, 1, "content files end in '.yaml' in lower case, "
                         "so the file is found the same way on every system")
        else:
            problems.add(path, 1, 1, f"unexpected file in {folder}/: only entry files named "
                         "<id>.yaml belong here; names starting with '.' are ignored")
    return docs


def _listing(directory: Path, problems: Problems) -> list[Path]:
    """The folder's entries in name order, hidden ones left out."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        problems.add(directory, 1, 1, f"cannot list the folder: {exc.strerror or exc}")
        return []
    return [directory / name for name in names if not name.startswith(".")]


def _kind(path: Path, inside: Path, problems: Problems) -> str | None:
    """'file' or 'dir' for a path to read; None, with the reason reported, otherwise."""
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            problems.add(path, 1, 1, (
                "is a link to a place outside the content folder, and is not read: the site "
                "publishes only what is inside content/; copy the file in instead"))
            return None
        mode = path.stat().st_mode
    except FileNotFoundError:
        problems.add(path, 1, 1, "is a link to nothing (its target does not exist), or "
                     "disappeared while the content was being read")
        return None
    except RuntimeError:  # Python 3.11's Path.resolve() on a loop of links
        problems.add(path, 1, 1, "is a link in a loop of links; it leads to no file")
        return None
    except OSError as exc:
        problems.add(path, 1, 1, f"cannot be read: {exc.strerror or type(exc).__name__}")
        return None
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    problems.add(path, 1, 1, _NOT_REGULAR)
    return None

