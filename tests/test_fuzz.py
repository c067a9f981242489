"""Fuzzing: whatever YAML a content file holds, load + validate + link never raise.

The answer is always a knowledge base, or problems each formatted
`path:line:col: error: ...` on one line, pointing inside the file. Documents
are (a) the shape of each content kind, derived from the pydantic models (so
a new field is fuzzed as soon as it exists), with hostile values in it, and
(b) broken syntax: random text, and valid documents truncated or mutated.

`make test` runs the default profile; `make fuzz` runs thousands of examples
(HYPOTHESIS_PROFILE=fuzz, registered in conftest.py).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
import types
import typing
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.types import StringConstraints

from conftest import TINY_TREE, write
from generator.link import KnowledgeBase, link
from generator.load import load_tree
from generator.layout import MODEL_FOR_FILE, MODEL_FOR_FOLDER
from generator.model import ID_PATTERN
from generator.parse import MAX_DEPTH
from generator.problems import MAX_MESSAGE, Problems
from generator.validate import validate_tree

# The file each kind is fuzzed in; the rest of the tiny tree stays valid around it.
TARGETS = {
    **{name: name for name in MODEL_FOR_FILE},
    **{folder: next(rel for rel in TINY_TREE if rel.startswith(folder + "/"))
       for folder in MODEL_FOR_FOLDER},
}
MODELS = {**MODEL_FOR_FILE, **MODEL_FOR_FOLDER}
VALID = {rel: TINY_TREE.get(rel, "terms:\n  - id: calm\n    term:\n      en: calm\n"
                                 "    definition:\n      en: Being calm.\n")
         for rel in TARGETS.values()}
BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPORT = re.compile(r"[^\n]+:(\d+):(\d+): error: [^\n]+")


class Raw(str):
    """YAML source for one value, written into the document as it is."""


# --- hostile values -----------------------------------------------------------


def _escape(code: int) -> str:
    char = chr(code)
    if char in '"\\':
        return "\\" + char
    if 0x20 <= code < 0x7F or (code > 0xA0 and not 0xD800 <= code <= 0xDFFF and char.isprintable()):
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Surrogates, controls, line separators and everything else, as `\u` escapes.
quoted_text = st.lists(
    st.one_of(st.integers(0, 0x10FFFF), st.integers(0xD800, 0xDFFF), st.integers(0, 0x9F),
              st.integers(0x61, 0x7A)),
    max_size=12,
).map(lambda codes: Raw('"' + "".join(_escape(c) for c in codes) + '"'))

hostile = st.one_of(
    quoted_text,
    st.integers().map(str).map(Raw),
    st.integers(4000, 6000).map(lambda n: Raw("9" * n)),
    st.integers(1, 3000).map(lambda n: Raw("0x" + "f" * n)),
    st.floats().map(repr).map(Raw),
    st.sampled_from([
        "2024-13-45", "2024-02-30", "2024-01-01", "2024-01-01 10:00:00 +99:00", "1e999", ".nan",
        "-.inf", "0b", "0o9", "1_000", "yes", "no", "on", "null", "~", "''", '""',
        "!!int abc", "!!int ''", "!!float x", "!!bool maybe", "!!binary a", "!!binary '@@'",
        "!!timestamp nonsense", "!!null x", "!!str 12", "!foo bar", "! x",
        "!!python/object:os.system {}", "!!python/name:os.system x", "!!set {a, b}",
        "!!omap [a: 1]", "!!binary aGVsbG8=", "&a x", "*a", "*undefined", "&s [*s]",
        "&m {k: *m}", "'<script>alert(1)</script>'", "'{: onclick=x}'",
        "'[x](javascript:alert(1))'", "'<img src=x onerror=alert(1)>'", "'{{ 7*7 }}'",
        "'{% raw %}'", "'&lt;&#x3C;'", '"\\ud83d\\ude00"', '"\\U0001F600"', '"\\x85\\u2028"',
        "'''", "{", "]", "? [a]", "[a, b]", "{a: 1}", "{}", "[]", "|\n  block", ">-\n  folded",
    ]).map(Raw),
    st.integers(1, 2 * MAX_DEPTH).map(lambda n: Raw("[" * n + "]" * n)),
)
plain_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                     min_size=1, max_size=20).map(lambda s: Raw('"' + "".join(_escape(ord(c)) for c in s) + '"'))
ids = st.sampled_from(["stay-calm", "calm-greeting", "article-one", "angry", "basics", "index",
                       "pocket-summary", "angry-bilingual", "Upper", "../x", "a" * 300]).map(Raw)
codes = st.sampled_from(["tl", "az", "en", "fr", "EN", "tagalog"]).map(Raw)


def leaf(valid: st.SearchStrategy) -> st.SearchStrategy:
    # Mostly the right kind of value, so that some documents are valid but for
    # a hostile string, and a hostile value of any kind one time in six.
    return st.one_of(*[valid] * 5, hostile)


# --- shapes derived from the models -------------------------------------------


def _unwrap(annotation):
    """(the type, its Annotated metadata), Optional stripped."""
    metadata = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata += annotation.__metadata__
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation, metadata


def shape(annotation) -> st.SearchStrategy:
    kind, metadata = _unwrap(annotation)
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return model_shape(kind)
    if origin is list:
        return leaf(st.lists(shape(typing.get_args(kind)[0]), max_size=3))
    if origin is dict:  # a Text: language code -> value
        value = shape(typing.get_args(kind)[1])
        text = st.fixed_dictionaries({"en": value}, optional={"tl": value, "az": value})
        return leaf(st.one_of(text, text, text, text.map(lambda t: {**t, "fr": Raw("x")})))
    if kind is int:
        return leaf(st.integers(-5, 500).map(str).map(Raw))
    patterns = [m.pattern for m in metadata if isinstance(m, StringConstraints) and m.pattern]
    if patterns:
        return leaf(ids if patterns[0] == ID_PATTERN else codes)
    return leaf(st.one_of(plain_text, plain_text, plain_text, quoted_text))


def field_shapes(model: type[BaseModel]) -> tuple[dict, dict]:
    """Strategies for a model's required and optional fields, read from model_fields."""
    fields = {name: (info.is_required(), shape(info.annotation))
              for name, info in model.model_fields.items()}
    required = {name: strategy for name, (needed, strategy) in fields.items() if needed}
    optional = {name: strategy for name, (needed, strategy) in fields.items() if not needed}
    return required, optional


def model_shape(model: type[BaseModel]) -> st.SearchStrategy:
    required, optional = field_shapes(model)
    shaped = st.fixed_dictionaries(required, optional=optional)
    return st.one_of(shaped, shaped, shaped, st.tuples(shaped, hostile).map(
        lambda pair: {**pair[0], "unknwon_field": pair[1]}))


def emit(value, indent: int = 0) -> str:
    """Block-style YAML for a tree whose leaves are Raw YAML source."""
    pad = " " * indent
    if isinstance(value, Raw):
        return value.replace("\n", "\n" + pad + "  ")
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    items = value.items() if isinstance(value, dict) else (("-", item) for item in value)
    lines = []
    for key, item in items:
        head = f"{pad}{key}" if key == "-" else f"{pad}{key}:"
        if isinstance(item, Raw) or not item:
            lines.append(f"{head} {emit(item, indent)}")
        else:
            lines.append(f"{head}\n{emit(item, indent + 2)}")
    return "\n".join(lines)


valid_shapes = st.sampled_from(sorted(MODELS)).flatmap(
    lambda kind: st.tuples(st.just(TARGETS[kind]), model_shape(MODELS[kind]).map(emit)))

VALUE = re.compile(r"(?m)^( *(?:- )?[a-z_]+: )(\S.*)$")


@st.composite
def one_hostile_value(draw) -> tuple[str, str]:
    """A valid file with one value replaced: valid but for that one value."""
    rel = draw(st.sampled_from(sorted(VALID)))
    body = VALID[rel]
    spots = list(VALUE.finditer(body))
    spot = spots[draw(st.integers(0, len(spots) - 1))]
    value = draw(st.one_of(quoted_text, hostile))
    return rel, body[:spot.start(2)] + value + body[spot.end(2):]



@st.composite
def broken_syntax(draw) -> tuple[str, str | bytes]:
    rel = draw(st.sampled_from(sorted(VALID)))
    body = VALID[rel]
    how = draw(st.sampled_from(["random", "truncate", "mutate", "bytes"]))
    if how == "random":
        return rel, draw(st.text(max_size=200))
    if how == "bytes":  # not UTF-8, or UTF-8 cut mid-character
        data = bytearray(body.encode("utf-8"))
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0x80, 0xFF))
        return rel, bytes(data[: draw(st.integers(0, len(data)))])
    if how == "truncate":
        return rel, body[: draw(st.integers(0, len(body)))]
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(body)))
        cut = draw(st.integers(0, 3))
        body = body[:at] + draw(st.text(st.sampled_from(list(":-[]{}&*!|>'\"#\t\n %@`,?")) | st.characters(codec="utf-8"),
                                        max_size=4)) + body[at + cut:]
    return rel, body


# --- the property -----------------------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> Path:
    # Module-scoped and made by hand: Hypothesis reruns the test body, and a
    # function-scoped tmp_path would be shared by every example anyway.
    folder = Path(tempfile.mkdtemp(prefix="hinahon-fuzz-"))
    for rel, body in TINY_TREE.items():
        write(folder / "content" / rel, body)
    yield folder / "content"
    shutil.rmtree(folder)


def strings(value):
    """Every string in the knowledge base, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):
        names = type(value).model_fields if isinstance(value, BaseModel) else \
            [f.name for f in dataclasses.fields(value)]
        for name in names:
            yield from strings(getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def check(root: Path, rel: str, body: str | bytes) -> None:
    path = root / rel
    path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        problems = Problems()
        kb = link(validate_tree(load_tree(root, problems), problems), problems)
        event("knowledge base" if not problems else "problems")
        if not problems:
            assert isinstance(kb, KnowledgeBase)
            for text in strings(kb):
                text.encode("utf-8")  # no lone surrogates: every page can be written
                assert not BAD_CHARACTER.search(text), repr(text)
        lines = body.split("\n")
        for problem in problems.items:
            report = problem.format()
            match = REPORT.fullmatch(report)
            assert match, report
            line, column = int(match[1]), int(match[2])
            assert len(problem.message) <= MAX_MESSAGE
            if problem.path == path:
                assert 1 <= line <= len(lines), report
                assert 1 <= column <= len(lines[line - 1]) + 1, report
    finally:
        path.write_text(VALID.get(rel, TINY_TREE.get(rel, "")), encoding="utf-8")
        if rel not in TINY_TREE:
            path.unlink()


@given(st.one_of(valid_shapes, one_hostile_value()))
def test_any_shaped_document_gives_a_knowledge_base_or_problems(tree: Path, case):
    check(tree, *case)


@given(broken_syntax())
def test_any_broken_document_gives_problems_not_a_traceback(tree: Path, case):
    check(tree, *case)


def _models(model: type[BaseModel]):
    yield model
    for info in model.model_fields.values():
        for arg in (info.annotation, *typing.get_args(_unwrap(info.annotation)[0])):
            inner = _unwrap(arg)[0]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from _models(inner)


@pytest.mark.parametrize("model", sorted({m for top in MODELS.values() for m in _models(top)},
                                         key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_the_shapes_cover_every_field_of_every_model(model: type[BaseModel]):
    """A new field is fuzzed without touching this file: the shapes read model_fields."""
    required, optional = field_shapes(model)
    assert set(required) == {n for n, info in model.model_fields.items() if info.is_required()}
    assert set(required) | set(optional) == set(model.model_fields)
