"""Stage 2, validate: check each loaded document against the content model.

Pydantic does the checking; this module turns its errors into messages an
author can act on (what was expected, what came, and a "did you mean" for
typos), each pinned to the file, line and column the problem is on.
"""

from __future__ import annotations

import functools
import importlib.util
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .layout import FILE_BY_NAME, FILES, KIND_BY_FOLDER, reserved
from .load import Document, LoadedTree, Loc
from .memo import ContentMemo
from .model import (
    ID_PATTERN,
    MAX_ID_LENGTH,
    ContentModel,
    Entry,
    GlossaryFile,
    LanguagesFile,
    SourcesFile,
    id_problem,
)
from .problems import Problems, did_you_mean, excerpt


@dataclass
class Validated:
    """Documents that passed validation, as model instances, keyed by id."""

    languages: LanguagesFile | None
    sources: SourcesFile | None
    glossary: GlossaryFile | None = None
    entries: dict[str, dict[str, tuple[Entry, Document]]] = field(default_factory=dict)
    # Ids of every file found, valid or not: a reference to an entry that has
    # its own errors is not also reported as dangling.
    known_ids: dict[str, set[str]] = field(default_factory=dict)
    sources_known: bool = True
    """False when sources.yaml is there but invalid: citations cannot be checked."""
    singles: dict[str, Document] = field(default_factory=dict)
    """The single files' documents, by file name: where their problems are."""


def validate_tree(tree: LoadedTree, problems: Problems, memo: ContentMemo | None = None) -> Validated:
    """Every document checked against its model; with a `memo`, a document it has
    validated before in the same context is not validated again."""
    def check(doc: Document, model, context: dict[str, Any]):
        if memo is None:
            return validate_document(doc, model, context, problems)
        return memo.validated(doc, model, context, problems, validate_document)

    languages = _validate_single(tree, "languages.yaml", problems, check)
    codes: tuple[str, ...] = ()
    default = None
    if isinstance(languages, LanguagesFile):
        codes = tuple(lang.code for lang in languages.languages)
        default = languages.default if languages.default in codes else None
        _check_languages_file(languages, tree.singles["languages.yaml"], problems)
    context = {"languages": codes, "default_language": default}
    sources = _validate_single(tree, "sources.yaml", problems, check, context)
    if isinstance(sources, SourcesFile):
        _check_unique(sources.sources, "sources", "id", tree.singles["sources.yaml"], problems)
    glossary = _validate_single(tree, "glossary.yaml", problems, check, context)
    if isinstance(glossary, GlossaryFile):
        _check_unique(glossary.terms, "terms", "id", tree.singles["glossary.yaml"], problems)
    result = Validated(languages=languages, sources=sources, glossary=glossary,  # type: ignore[arg-type]
                       sources_known=sources is not None or "sources.yaml" not in tree.found,
                       singles=dict(tree.singles))
    for single in FILES:  # any other single file: checked against its model alone
        if single.name not in _CHECKED_ABOVE:
            _validate_single(tree, single.name, problems, check, context)
    for folder, docs in tree.collections.items():
        model = KIND_BY_FOLDER[folder].model
        result.entries[folder] = {}
        result.known_ids[folder] = set(tree.stems.get(folder, set()))
        for doc in docs:
            wrong = id_problem(doc.stem)
            if wrong:
                problems.add(doc.path, 1, 1, f"file name '{doc.path.name}' {wrong}; rename the file")
                continue
            clash = reserved(KIND_BY_FOLDER[folder], doc.stem, result.known_ids[folder])
            if clash:
                problems.add(doc.path, 1, 1, f"file name '{doc.path.name}' is reserved: {clash}; "
                             "rename the file")
                continue
            entry = check(doc, model, context)
            if entry is not None:
                result.entries[folder][doc.stem] = (entry, doc)  # type: ignore[assignment]
    return result


_CHECKED_ABOVE = ("languages.yaml", "sources.yaml", "glossary.yaml")


def validate_languages(doc: Document, problems: Problems) -> LanguagesFile | None:
    """languages.yaml on its own, checked as a whole tree's would be (for commands that
    need only the languages: `schema`, `new`)."""
    languages = validate_document(doc, LanguagesFile, {}, problems)
    if isinstance(languages, LanguagesFile):
        _check_languages_file(languages, doc, problems)
    return languages  # type: ignore[return-value]


def validate_document(
    doc: Document, model: type[ContentModel], context: dict[str, Any], problems: Problems
) -> ContentModel | None:
    if not isinstance(doc.data, dict):
        problems.add(
            doc.path, 1, 1,
            f"expected a mapping of fields at the top of the file, got {_describe(doc.data)}",
        )
        return None
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        for error in exc.errors():
            loc: Loc = tuple(error["loc"])
            line, column = doc.position(loc)
            problems.add(doc.path, line, column, _message(model, error))
        return None


def _validate_single(tree: LoadedTree, name: str, problems: Problems, check, context=None):
    doc = tree.singles.get(name)
    if doc is None:
        return None
    return check(doc, FILE_BY_NAME[name].model, context or {})


def _check_languages_file(languages: LanguagesFile, doc: Document, problems: Problems) -> None:
    codes = [lang.code for lang in languages.languages]
    _check_unique(languages.languages, "languages", "code", doc, problems)
    shipped = material_languages()
    for index, lang in enumerate(languages.languages):
        if shipped and lang.theme_language not in shipped:
            line, col = doc.position(("languages", index, "theme_language"))
            problems.add(
                doc.path, line, col,
                f"languages[{index}].theme_language: {excerpt(lang.theme_language)} is not a "
                f"language Material for MkDocs ships{did_you_mean(lang.theme_language, sorted(shipped))}; "
                "it picks the theme's own words (search, previous, next), so it must be the name "
                "of a file in material/templates/partials/languages/",
            )
    if languages.default not in codes:
        line, col = doc.position(("default",))
        problems.add(
            doc.path, line, col,
            f"default: '{languages.default}' is not one of the site languages "
            f"({', '.join(codes)}){did_you_mean(languages.default, codes)}",
        )


@functools.cache
def material_languages() -> frozenset[str]:
    """The `theme.language` values the installed Material ships: its
    partials/languages/<code>.html files. Empty when Material is not installed."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folder = Path(spec.submodule_search_locations[0]) / "templates" / "partials" / "languages"
    return frozenset(path.stem for path in folder.glob("*.html"))


def _check_unique(items: list, field_name: str, key: str, doc: Document, problems: Problems) -> None:
    """Report items of a list whose `key` repeats an earlier item's."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            line, col = doc.position((field_name, index, key))
            problems.add(doc.path, line, col, f"{field_name}[{index}].{key}: duplicate {key} '{value}'")
        seen.add(value)


# --- turning pydantic errors into author-facing messages --------------------


def _message(model: type[BaseModel], error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    where = format_loc(loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        name = str(loc[-1])
        return (
            f"{where}: unknown field '{name}'{did_you_mean(name, allowed)}; "
            f"expected one of: {', '.join(allowed)}"
        )
    if kind == "missing":
        about = _field_description(model, loc)
        return f"{where}: missing required field" + (f" ({about})" if about else "")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == ID_PATTERN:
            return (
                f"{where}: {value!r} is not a valid id: ids are URL slugs, so use lowercase "
                "letters a-z, digits and single hyphens, e.g. 'stay-calm'"
            )
        return f"{where}: {value!r} does not have the expected form ({pattern})"
    if kind == "dict_type":
        if _is_text(model, loc):
            return (
                f"{where}: expected a text with one entry per language "
                f"(tl: ..., az: ..., en: ...), got {_describe(value)}"
            )
        return f"{where}: expected a mapping of fields, got {_describe(value)}"
    if kind == "string_type":
        return f"{where}: expected text, got {_describe(value)}; put it in quotes if it is meant as text"
    if kind == "list_type":
        return f"{where}: expected a list (lines starting with '- '), got {_describe(value)}"
    if kind == "int_type":
        return f"{where}: expected a whole number, got {_describe(value)}"
    if kind == "too_short":
        return f"{where}: needs at least {error['ctx']['min_length']} item(s), got {len(value)}"
    if kind == "string_too_long" and error.get("ctx", {}).get("max_length") == MAX_ID_LENGTH:
        wrong = id_problem(str(value))  # an id (the only strings held to that length)
        if wrong:
            return f"{where}: {value!r} {wrong}"
    if kind == "too_long":
        return f"{where}: allows at most {error['ctx']['max_length']} item(s), got {len(value)}"
    return f"{where}: {error['msg']}"


def format_loc(loc: Loc) -> str:
    """`('steps', 2, 'en')` -> `steps[2].en`, the way authors read YAML paths."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()}); YAML reads yes/no/on/off as true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional to get at the type that holds fields."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _annotation_at(model: type[BaseModel], loc: Loc) -> Any:
    current: Any = model
    for part in loc:
        current = unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return None
            current = info.annotation
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return current


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    target = unwrap(_annotation_at(model, loc))
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _field_description(model: type[BaseModel], loc: Loc) -> str | None:
    parent = unwrap(_annotation_at(model, loc[:-1]))
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        info = parent.model_fields.get(str(loc[-1]))
        if info is not None and info.description:
            return info.description.rstrip(".")
    return None


def _is_text(model: type[BaseModel], loc: Loc) -> bool:
    # Every mapping-of-strings in the model is a Text.
    return typing.get_origin(unwrap(_annotation_at(model, loc))) is dict
