"""Stage 1, load: read YAML files into plain data, remembering where each value came from.

PyYAML's safe loader is used to *compose* a node tree; we construct the Python
values ourselves so that we can:

* refuse duplicate keys (PyYAML silently keeps the last one, losing text);
* NFC-normalise every string, so "ə" typed two ways is one letter;
* record the line and column of every key and value, so later stages can
  point at the exact place a problem lives.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

# A location inside a document: keys and list indexes from the root.
Loc = tuple[str | int, ...]

# Where the content kinds live, and the single files beside them.
COLLECTIONS = {
    "customer-types": "customer_types",
    "tactics": "tactics",
    "phrases": "phrase_banks",
    "guides": "guides",
}
SINGLE_FILES = {
    "languages.yaml": "languages",
    "sources.yaml": "sources",
    "glossary.yaml": "glossary",
}


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
    """Every entry file's stem per folder, including files that failed to parse."""


class _Builder:
    """Turns a composed YAML node tree into Python values and a position map."""

    def __init__(self, path: Path, problems: Problems):
        self.path = path
        self.problems = problems
        self.positions: dict[Loc, tuple[int, int]] = {}
        # Scalars are resolved (int, bool, null, str...) by PyYAML's own rules.
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc = ()) -> Any:
        self.positions.setdefault(loc, _pos(node))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            # Content is plain data; a tag like !!python/object must not be dropped silently.
            raise yaml.constructor.ConstructorError(
                None, None, f"unsupported tag {node.tag!r}", node.start_mark
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        value = self._constructor.construct_object(node)
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, loc + ("<key>",))
            if not isinstance(key, (str, int, bool)) or key is None:
                line, col = _pos(key_node)
                self.problems.add(self.path, line, col, "a key must be a plain word")
                continue
            key = str(key)
            if key in result:
                line, col = _pos(key_node)
                first_line, _ = self.positions[loc + (key,)]
                self.problems.add(
                    self.path, line, col,
                    f"duplicate key '{key}' (first set on line {first_line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            self.positions[loc + (key,)] = _pos(key_node)
            result[key] = self.build(value_node, loc + (key,))
            # The key's own position wins over its value's for error reports.
            self.positions[loc + (key,)] = _pos(key_node)
        self.positions.pop(loc + ("<key>",), None)
        return result


_PLAIN_TAGS = {yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
               yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG}


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_document(path: Path, problems: Problems) -> Document | None:
    """Parse one YAML file; on a syntax error record it and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(path, 1, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(path, line, col, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.add(path, 1, 1, f"invalid YAML: {exc}")
        return None
    if node is None:
        problems.add(path, 1, 1, "the file is empty")
        return None
    builder = _Builder(path, problems)
    try:
        data = builder.build(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(path, line, col, f"invalid YAML value: {exc.problem}")
        return None
    return Document(path, data, builder.positions)


def load_tree(root: Path, problems: Problems) -> LoadedTree:
    """Read every content file under `root`.

    Files in an unexpected place are reported rather than ignored, so content
    never silently goes missing from the site.
    """
    tree = LoadedTree(root=root)
    if not root.is_dir():
        problems.add(root, 1, 1, "content folder not found")
        return tree
    for name in SINGLE_FILES:
        path = root / name
        if path.is_file():
            doc = load_document(path, problems)
            if doc is not None:
                tree.singles[name] = doc
        elif name == "languages.yaml":
            problems.add(path, 1, 1, "missing: languages.yaml declares the site's languages")
    for folder in COLLECTIONS:
        docs = []
        directory = root / folder
        for path in sorted(directory.glob("*")) if directory.is_dir() else []:
            if path.suffix == ".yml":
                problems.add(path, 1, 1, "content files end in '.yaml', not '.yml'")
            elif path.suffix == ".yaml":
                tree.stems.setdefault(folder, set()).add(path.stem)
                doc = load_document(path, problems)
                if doc is not None:
                    docs.append(doc)
        tree.collections[folder] = docs
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix in (".yaml", ".yml") and path.name not in SINGLE_FILES:
            problems.add(
                path, 1, 1,
                f"unexpected file; content files go in {', '.join(f'{f}/' for f in COLLECTIONS)}"
                f" or are one of {', '.join(SINGLE_FILES)}",
            )
    return tree
