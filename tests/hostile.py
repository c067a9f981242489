"""Hostile content trees: every text field of the content model holding a payload.

The fields are found by walking the pydantic models (generator/model.py), not
listed by hand, so a field added to the model is attacked automatically. A
field whose value the model constrains (an id, a language code, Material's
`theme_language`) refuses a payload at validation; `hostile_tree` finds those
by validating, and keeps their original value so the rest can be built.
"""

from __future__ import annotations

import copy
import html.parser
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml
from pydantic import BaseModel

from conftest import BASE_CONFIG, TINY_TREE, text, write
from generator import safe
from generator.config import _ConfigLoader
from generator.content import read_content
from generator.load import load_document
from generator.layout import MODEL_FOR_FILE, MODEL_FOR_FOLDER
from generator.problems import ContentError, Problems

PAYLOADS: list[str] = yaml.safe_load((Path(__file__).parent / "payloads.yaml").read_text("utf-8"))


def rotation(round_: int) -> typing.Callable[[int], str]:
    """Field i gets payload i + round_: every field a payload, every payload several fields."""
    return lambda index: PAYLOADS[(index + round_) % len(PAYLOADS)]


GLOSSARY_YAML = f"""\
terms:
  - id: composure
    term:{text("hinahon", "təmkin", "composure", 6)}
    definition:{text("Kalmado.", "Sakitlik.", "Staying calm.", 6)}
"""

# One entry of every kind, with every optional list present, so every field
# has a value to attack.
# The type can turn dangerous, opens with its signs in brief, links the safety
# guide and has a phrase beyond its sheet's: every part of its page is drawn.
HOSTILE_TYPE_YAML = TINY_TREE["customer-types/angry.yaml"].replace(
    "signs:\n",
    f"at_a_glance:{text('Galit.', 'Hirslidir.', 'Angry.', 2)}\ncan_turn_dangerous: true\nsigns:\n", 1,
).replace("phrases:\n  - calm-greeting\n", "phrases:\n  - calm-greeting\n  - calm-goodbye\n", 1
          ).replace("sources:\n", "guides:\n  - basics\nsources:\n", 1)
HOSTILE_GUIDE_YAML = TINY_TREE["guides/basics.yaml"] + "safety: true\n"
HOSTILE_BANK_YAML = TINY_TREE["phrases/greetings.yaml"] + f"""\
  - id: calm-goodbye
    text:{text("Paalam po.", "Sağ olun.", "Goodbye.", 6)}
    when:{text("Sa dulo.", "Sonda.", "At the end.", 6)}
"""
BASE_TREE = dict(TINY_TREE, **{"glossary.yaml": GLOSSARY_YAML,
                               "customer-types/angry.yaml": HOSTILE_TYPE_YAML,
                               "phrases/greetings.yaml": HOSTILE_BANK_YAML,
                               "guides/basics.yaml": HOSTILE_GUIDE_YAML})
FALLBACK_TYPE = "customer-types/untranslated.yaml"
"""A second customer type with English only: tl and az show its texts as fallbacks."""


NEVER_SHOWN = {
    "sources.yaml:sources.0.scrape": "the scrape's file name, for editors",
    "sources.yaml:sources.0.language": "the scrape's language, for editors",
    **{f"languages.yaml:languages.{i}.name": "the language's English name, for maintainers"
       for i in range(3)},
    # English is the default language: nothing on its pages is a fallback.
    "languages.yaml:languages.2.labels.untranslated_page": "en is the default language",
    "languages.yaml:languages.2.labels.untranslated_mark": "en is the default language",
    # The search box's words are attributes of its markup, shown only as the reader
    # searches; like every string of the MkDocs config they go in escaped (test_safe.py).
    **{f"languages.yaml:languages.{i}.labels.search_{label}": "the search box's words"
       for i in range(3) for label in ("placeholder", "loading", "none", "results")},
    # So are the "not found" page's words (each language's 404.html, opened in
    # Chromium by test_safety_browser); the root's 404 shows the default's.
    **{f"languages.yaml:languages.{i}.labels.{label}": "the 'not found' page's words"
       for i in range(2) for label in ("not_found", "not_found_text")},
}
"""Fields no page shows, and why; every other field's text must be on some page."""


@dataclass(frozen=True)
class Field:
    """One place in one file that holds a string a reader may see."""

    file: str
    loc: tuple
    marker: str
    payload: str

    def __str__(self) -> str:
        return f"{self.file}:{'.'.join(map(str, self.loc))}"


def _unwrap(annotation):
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            if any(getattr(meta, "pattern", None) for meta in args[1:]):
                return None  # a pattern-constrained string: an id or a code
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def _is_text(annotation) -> bool:
    # A Text maps plain language keys to strings; a term's `forms` (keys with a
    # pattern, lists of words) and a language's `avoid` list are not shown.
    if typing.get_origin(annotation) is not dict:
        return False
    key, value = typing.get_args(annotation)
    return key is str and _unwrap(value) is str


def _string_slots(model: type[BaseModel], data: dict, loc: tuple = ()):
    """(loc, kind) of every string `data` holds or could hold under `model`, filling gaps."""
    for name, info in model.model_fields.items():
        # pydantic keeps an Annotated field's constraints in its metadata.
        if any(getattr(meta, "pattern", None) for meta in info.metadata):
            continue
        annotation = _unwrap(info.annotation)
        if annotation is None:
            continue
        item = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None
        if item is not None:
            item = _unwrap(item)
            if item is None:
                continue
            values = data.setdefault(name, [])
            if isinstance(item, type) and issubclass(item, BaseModel):
                for index, value in enumerate(values):
                    yield from _string_slots(item, value, (*loc, name, index))
            elif _is_text(item) or item is str:
                if not values:
                    values.append({} if _is_text(item) else "")
                yield (*loc, name, 0), "text" if _is_text(item) else "str"
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if name not in data:
                continue  # an optional part the tree leaves out (a language's search rules)
            yield from _string_slots(annotation, data[name], (*loc, name))
        elif _is_text(annotation):
            data.setdefault(name, {})
            yield (*loc, name), "text"
        elif annotation is str:
            data.setdefault(name, "")
            yield (*loc, name), "str"


def _model_for(rel: str) -> type[BaseModel]:
    return MODEL_FOR_FILE.get(rel) or MODEL_FOR_FOLDER[rel.split("/")[0]]


def _set(data, loc, value) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _get(data, loc):
    for part in loc:
        data = data[part]
    return data


@dataclass
class HostileTree:
    root: Path
    fields: list[Field]
    """Every field that holds the payload."""
    refused: list[tuple[Field, str]]
    """Fields whose payload validation refused, with the error it gave."""


def hostile_tree(root: Path, payload: str | typing.Callable[[int], str],
                 languages: tuple[str, ...] = ("tl", "az", "en")) -> HostileTree:
    """Write BASE_TREE to `root` with a payload in every string field (each with its marker).

    `payload` is one payload for every field, or a function from a field's
    number to the payload it gets (to spread several payloads over one tree).
    """
    payload_for = payload if callable(payload) else (lambda _index: payload)
    documents = {rel: yaml.safe_load(body) for rel, body in BASE_TREE.items()}
    originals = copy.deepcopy(documents)
    fields: list[Field] = []
    for rel in sorted(documents):
        for loc, kind in list(_string_slots(_model_for(rel), documents[rel])):
            marker = f"hx{len(fields)}x"
            value = payload_for(len(fields)).replace("{m}", marker)
            _set(documents[rel], loc, {code: value for code in languages} if kind == "text" else value)
            fields.append(Field(rel, loc, marker, payload_for(len(fields))))
    en_only = copy.deepcopy(documents["customer-types/angry.yaml"])
    for loc, kind in _string_slots(_model_for(FALLBACK_TYPE), en_only):
        if kind == "text":
            _set(en_only, loc, {"en": _get(en_only, loc)["en"]})
    documents[FALLBACK_TYPE] = en_only

    refused: list[tuple[Field, str]] = []
    while True:
        _write(root, documents)
        try:
            read_content(root)
            break
        except ContentError as exc:
            hit = _fields_hit(root, [f for f in fields if f not in dict(refused)], exc.problems)
            if not hit:
                raise
            # Put back the original value of each refused field, and build the rest.
            for field, message in hit:
                refused.append((field, message))
                for rel in (field.file, FALLBACK_TYPE if field.file == "customer-types/angry.yaml"
                            else None):
                    if rel:
                        _restore(documents[rel], originals[field.file], field.loc)
    refused_fields = dict(refused)
    return HostileTree(root, [f for f in fields if f not in refused_fields], refused)


def _fields_hit(root: Path, fields: list[Field], problems) -> list[tuple[Field, str]]:
    """The fields that `problems` point at, each with the first problem's text."""
    lines: dict[str, dict] = {}
    hit = []
    for field in fields:
        if field.file not in lines:
            doc = load_document(root / field.file, Problems())
            lines[field.file] = doc
        line = lines[field.file].position(field.loc)[0]
        for problem in problems:
            if Path(problem.path) == root / field.file and problem.line == line:
                hit.append((field, problem.format()))
                break
    return hit


def _restore(data, original, loc) -> None:
    """Put `loc` back as it was in `original`, or remove it if it was not there."""
    if _has(original, loc):
        _set(data, loc, copy.deepcopy(_get(original, loc)))
    else:
        parent = _get(data, loc[:-1])
        del parent[loc[-1]]


def _has(data, loc) -> bool:
    try:
        _get(data, loc)
        return True
    except (KeyError, IndexError, TypeError):
        return False


def _write(root: Path, documents: dict) -> None:
    for rel, data in documents.items():
        write(root / rel, yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6))


# --- what MkDocs would make of a page, and what in it is dangerous -----------


def _base_extensions() -> list:
    """The Markdown extensions every language's site is built with, from mkdocs.yml."""
    config = yaml.load(BASE_CONFIG.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    named = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    # MkDocs adds its own three to whatever the config lists (config/defaults.py).
    return list(dict.fromkeys(["toc", "tables", "fenced_code", *named]))


def as_mkdocs_would(source: str) -> str:
    return markdown.markdown(source, extensions=_base_extensions())


class Elements(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.scripts: list[str] = []
        """The text of each <script> element."""
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append("")

    def handle_data(self, data):
        self.text += data
        if self.tags and self.tags[-1][0] == "script" and self.scripts:
            self.scripts[-1] += data


def dangers(fragment: str, allowed_tags: set[str] = safe.ALLOWED_TAGS) -> list[str]:
    """What in `fragment` could run, call out or restyle the page."""
    found = []
    for tag, attrs in Elements(fragment).tags:
        if tag not in allowed_tags:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"<{tag} {name}>")
            if name in ("href", "src") and value and "".join(value.split()).lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                found.append(f"<{tag} {name}={value}>")
            if tag == "img" and re.match(r"(?i)^\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", attrs.get("src") or ""):
                found.append(f"<img src={attrs['src']}>")
    return found
