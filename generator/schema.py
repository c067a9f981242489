"""JSON Schemas for editors, generated from the content model.

One schema per kind of entry and per single file that generator/layout.py
declares, walked from the pydantic models in generator/model.py, so a new
field, kind, file or language reaches the editor without a change here:

* every Text is an object whose properties are exactly the languages of
  languages.yaml, the default language required, nothing else allowed, no
  empty string;
* `extra="forbid"` becomes `additionalProperties: false`, so a misspelt field
  is underlined; each field's docstring is its `description`, shown on hover;
* ids get the id pattern, titles and labels `maxLength` MAX_TITLE, lists the
  model's `minItems` and `maxItems`.

What only the whole tree can tell (a reference to an id that does not exist,
a phrase id used twice) is left to `python -m generator check`.

The dialect is JSON Schema draft-07, the one VS Code's YAML extension (Red
Hat's) supports best. The schemas are written to content/.schemas/, which
the loader ignores (its name starts with '.').
"""

from __future__ import annotations

import inspect
import json
import os
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotated_types import MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic_core import PydanticUndefined

from . import model as content_model
from .layout import FILES, KINDS
from .model import MAX_TITLE, ContentModel, LanguagesFile
from .problems import display_path

DIALECT = "http://json-schema.org/draft-07/schema#"
FOLDER = ".schemas"
"""Where the schemas go, inside the content folder: hidden, so the loader ignores it."""
MARK = "Written by `python -m generator schema` from generator/model.py and languages.yaml: do not edit."
"""In every schema written (`$comment`): the command replaces or removes only
files that carry it, never a file of the same name it did not write."""
VISIBLE = r"\S"
"""A text or label must show something: the validator's check, as far as a regex can say it."""


@dataclass(frozen=True)
class Target:
    """One schema: the model it is made from and the content files it describes."""

    name: str
    """The schema's file stem: the kind's name (`customer-type`) or the file's stem."""
    model: type[ContentModel]
    glob: str
    """The files it applies to, relative to the content folder."""

    @property
    def file(self) -> str:
        return f"{self.name}.json"


def targets() -> list[Target]:
    """Every kind of entry and every single file in layout.py, in its order."""
    return ([Target(kind.name, kind.model, f"{kind.folder}/*.yaml") for kind in KINDS]
            + [Target(Path(single.name).stem, single.model, single.name) for single in FILES])


def schema_for(target: Target, languages: LanguagesFile) -> dict[str, Any]:
    """The JSON Schema of one kind of file, for the languages declared."""
    walker = _Walker([lang.code for lang in languages.languages], languages.default)
    return {"$schema": DIALECT, "$comment": MARK, "title": f"content/{target.glob}",
            **walker.model(target.model)}


def generate(languages: LanguagesFile) -> dict[str, str]:
    """File name -> the JSON text of its schema, for every target."""
    return {target.file: json.dumps(schema_for(target, languages), indent=2, ensure_ascii=False)
            + "\n" for target in targets()}


def out_of_date(files: dict[str, str], out: Path) -> list[str]:
    """What differs between the schemas as generated and the folder `out`: one line each."""
    lines = []
    for name, text in files.items():
        path = out / name
        try:
            current = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            lines.append(f"{display_path(path)}: missing")
            continue
        if current != text:
            lines.append(f"{display_path(path)}: out of date")
    lines += [f"{display_path(path)}: no longer generated (no such kind or file)"
              for path in _leftovers(files, out)]
    return lines


class SchemaError(Exception):
    """`out` holds a file of a schema's name that this command did not write."""


def write(files: dict[str, str], out: Path) -> list[Path]:
    """Write the schemas that changed into `out` (each atomically), remove the ones
    no longer generated; the paths written or removed. Only files carrying MARK
    are the command's: a file of a schema's name that is not stops it before
    anything is written, and no other file is ever removed."""
    foreign = [out / name for name in files if (out / name).exists() and not _ours(out / name)]
    if foreign:
        raise SchemaError(f"{display_path(foreign[0])}: not a schema this command wrote; it was left "
                          "as it is, and nothing was written: choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in files.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomically(path, text)
            changed.append(path)
    for path in _leftovers(files, out):
        path.unlink()
        changed.append(path)
    return changed


def vscode_setting(content: Path, out: Path) -> str:
    """The one line of VS Code settings that applies each schema to its files."""
    mapping = {_slashed(out / target.file): _slashed(content / target.glob) for target in targets()}
    return f'"yaml.schemas": {json.dumps(mapping, ensure_ascii=False)}'


def modeline(target: Target, path: Path, out: Path) -> str:
    """The first line of a new file `path`, naming its schema for the YAML extension."""
    relative = os.path.relpath(out / target.file, path.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"


def write_atomically(path: Path, text: str) -> None:
    """Write `path` through a hidden temporary file and a rename: never half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _leftovers(files: dict[str, str], out: Path) -> list[Path]:
    """Schemas this command wrote once and generates no more (a kind removed)."""
    if not out.is_dir():
        return []
    return sorted(path for path in out.glob("*.json") if path.name not in files and _ours(path))


_EARLIER = '{\n  "$schema": "' + DIALECT + '",\n  "title": "content/'
"""How a schema began before MARK was written into each."""


def _ours(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:1000] if path.is_file() else ""
    except OSError:
        return False
    return MARK in head or head.startswith(_EARLIER)


def _slashed(path: Path) -> str:
    return Path(display_path(path)).as_posix()


class _Walker:
    """Turns model classes and their annotations into JSON Schema, inlined."""

    def __init__(self, codes: list[str], default: str):
        self.codes = codes
        self.default = default

    def model(self, cls: type[BaseModel]) -> dict[str, Any]:
        properties = {}
        for name, info in cls.model_fields.items():
            schema = self.annotation(info.annotation, info.metadata)
            if info.description:
                schema = {"description": info.description, **schema}
            if info.default is not PydanticUndefined:
                schema["default"] = (info.default.model_dump() if isinstance(info.default, BaseModel)
                                     else info.default)
            properties[name] = schema
        required = [name for name, info in cls.model_fields.items() if info.is_required()]
        schema: dict[str, Any] = {"type": "object"}
        if cls.__doc__:
            schema["description"] = inspect.cleandoc(cls.__doc__)
        schema["properties"] = properties
        if required:
            schema["required"] = required
        if cls.model_config.get("extra") == "forbid":
            schema["additionalProperties"] = False
        return schema

    def annotation(self, annotation: Any, metadata: list | tuple = ()) -> dict[str, Any]:
        metadata = list(metadata)
        while typing.get_origin(annotation) is typing.Annotated:
            metadata += annotation.__metadata__
            annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                raise TypeError(f"no JSON Schema for the union {annotation!r}: teach schema.py")
            inner = self.annotation(options[0], metadata)
            return {"anyOf": [inner, {"type": "null"}]}  # `expert:` left empty is None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation)
        if origin is list:
            schema = {"type": "array", "items": self.annotation(typing.get_args(annotation)[0])}
            for meta in metadata:
                if isinstance(meta, MinLen):
                    schema["minItems"] = meta.min_length
                elif isinstance(meta, MaxLen):
                    schema["maxItems"] = meta.max_length
            return schema
        if origin is dict and any(_calls(meta, content_model._check_languages) for meta in metadata):
            return self.text(typing.get_args(annotation)[1], metadata)
        if origin is dict:
            key, value = typing.get_args(annotation)
            return {"type": "object", "propertyNames": self.annotation(key),
                    "additionalProperties": self.annotation(value)}
        if origin is typing.Literal:
            return {"enum": list(typing.get_args(annotation))}
        if annotation is str:
            return self.string(metadata)
        if annotation is bool:
            return {"type": "boolean"}
        if annotation is int:
            schema = {"type": "integer"}
            for meta in metadata:
                for bound, keyword in (("ge", "minimum"), ("le", "maximum")):
                    if getattr(meta, bound, None) is not None:
                        schema[keyword] = getattr(meta, bound)
            return schema
        raise TypeError(f"no JSON Schema for {annotation!r}: teach generator/schema.py")

    def text(self, value: Any, metadata: list) -> dict[str, Any]:
        """A Text or Title: one string per site language, the default one required."""
        if not any(_calls(meta, content_model._check_languages) for meta in metadata):
            raise TypeError("a mapping that is not a Text: teach generator/schema.py")
        each = self.annotation(value)
        each.setdefault("minLength", 1)
        each.setdefault("pattern", VISIBLE)
        return {
            "type": "object",
            "properties": {code: dict(each) for code in self.codes},
            "required": [self.default],
            "additionalProperties": False,
        }

    def string(self, metadata: list) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        for meta in metadata:
            if isinstance(meta, StringConstraints):
                if meta.pattern:
                    schema["pattern"] = meta.pattern
                if meta.min_length is not None:
                    schema["minLength"] = meta.min_length
                if meta.max_length is not None:
                    schema["maxLength"] = meta.max_length
            elif _calls(meta, content_model._check_short):  # a Label
                schema.update(minLength=1, maxLength=MAX_TITLE, pattern=VISIBLE)
        return schema


def _calls(meta: Any, function) -> bool:
    return isinstance(meta, AfterValidator) and meta.func is function

