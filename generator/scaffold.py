"""`new KIND ID`: a new entry's file, every field ready to fill.

The file is written from the kind's model (generator/layout.py names it), so
it holds every field, required and optional, each under a comment with its
docstring; a list holds one example item (a guide's section, a bank's phrase);
every text has a key for every language in languages.yaml. Every value to
write is left empty (`""`), which `check` refuses, naming each one by file,
line and field, until it is filled in.
"""

from __future__ import annotations

import inspect
import os
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from . import schema
from .layout import KIND_BY_NAME, Kind, reserved
from .model import LanguagesFile, id_problem
from .problems import did_you_mean, display_path
from .validate import unwrap

EMPTY = '""'


class NewError(Exception):
    """The entry cannot be written; `usage` when the command line was wrong."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def kind_named(name: str) -> Kind:
    kind = KIND_BY_NAME.get(name)
    if kind is None:
        names = list(KIND_BY_NAME)
        raise NewError(f"unknown kind '{name}'{did_you_mean(name, names)}; "
                       f"the kinds are: {', '.join(names)}", usage=True)
    return kind


def new_entry(root: Path, kind: Kind, entry_id: str, languages: LanguagesFile) -> Path:
    """Write `root/<folder>/<entry_id>.yaml` for `kind`, never over an existing file."""
    wrong = id_problem(entry_id)
    if wrong:
        raise NewError(f"'{entry_id}' {wrong}", usage=True)
    folder = root / kind.folder
    existing = {path.stem for path in folder.glob("*.yaml")} if folder.is_dir() else set()
    clash = reserved(kind, entry_id, existing)
    if clash:
        raise NewError(f"'{entry_id}' is reserved: {clash}; choose another id", usage=True)
    path = folder / f"{entry_id}.yaml"
    if path.exists() or path.is_symlink():
        raise NewError(f"{display_path(path)} already exists; it was left as it is")
    target = next(t for t in schema.targets() if t.model is kind.model and t.name == kind.name)
    text = scaffold(kind, languages, schema.modeline(target, path, root / schema.FOLDER))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_new(path, text)
    except OSError as exc:
        raise NewError(f"{display_path(path)} could not be written ({exc.strerror or exc}); "
                       "nothing was written") from None
    return path


def scaffold(kind: Kind, languages: LanguagesFile, first_line: str = "") -> str:
    """The YAML text of an empty entry of `kind`."""
    doc = inspect.cleandoc(kind.model.__doc__ or kind.name).splitlines()[0]
    lines = [first_line] if first_line else []
    lines += [f"# {doc}",
              '# Write every "" below, in every language, then run: python -m generator check',
              ""]
    lines += _Writer([lang.code for lang in languages.languages]).fields(kind.model, 0)
    return "\n".join(lines) + "\n"


class _Writer:
    def __init__(self, codes: list[str]):
        self.codes = codes

    def fields(self, model: type[BaseModel], indent: int) -> list[str]:
        pad = " " * indent
        lines = []
        for name, info in model.model_fields.items():
            about = info.description.splitlines() if info.description else []
            if not info.is_required():
                about.append("Optional: delete the field if it is not needed.")
            lines += [f"{pad}# {line}".rstrip() for line in about]
            inline, block = self.value(info.annotation, info.default, indent)
            lines += [f"{pad}{name}: {inline}"] if inline is not None else [f"{pad}{name}:", *block]
            if indent == 0:
                lines.append("")
        return lines[:-1] if indent == 0 else lines

    def value(self, annotation: Any, default: Any, indent: int) -> tuple[str | None, list[str]]:
        """(the value on the key's line, or None and the lines below it)."""
        annotation = unwrap(annotation)
        origin = typing.get_origin(annotation)
        pad = " " * (indent + 2)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return None, self.fields(annotation, indent + 2)
        if origin is dict:  # a Text: one key per language
            return None, [f"{pad}{code}: {EMPTY}" for code in self.codes]
        if origin is list:
            inline, block = self.value(typing.get_args(annotation)[0], PydanticUndefined, indent + 2)
            if inline is not None:
                return None, [f"{pad}- {inline}"]
            return None, _as_item(block, indent + 4)
        if annotation is bool:
            return ("true" if default is True else "false"), []
        if origin is typing.Literal:  # the default, which the field's comment explains
            options = typing.get_args(annotation)
            return str(default if default in options else options[0]), []
        if annotation is int:
            return str(default if isinstance(default, int) else 0), []
        return EMPTY, []


def _as_item(block: list[str], indent: int) -> list[str]:
    """Lines indented at `indent` made one list item: `- ` before the first value."""
    lines = list(block)
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    for i in range(first):  # its comments stand level with the dash
        lines[i] = lines[i][2:]
    lines[first] = " " * (indent - 2) + "- " + lines[first][indent:]
    return lines


def _write_new(path: Path, text: str) -> None:
    """Write `path` whole or not at all, and never over a file that appeared meanwhile."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails if the name was taken meanwhile
        except FileExistsError:
            raise NewError(f"{display_path(path)} already exists; it was left as it is") from None
        except OSError:  # a file system without hard links: rename, having looked once more
            if path.exists():
                raise NewError(f"{display_path(path)} already exists; it was left as it is") from None
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
