"""Turn one file's YAML text into plain data and the position of every value.

PyYAML's safe loader composes a node tree; we construct the Python values
ourselves so that we can:

* refuse duplicate keys (PyYAML silently keeps the last one, losing text);
* NFC-normalise every string, so "ə" typed two ways is one letter;
* refuse strings no page can hold: lone surrogates (`"\\ud800"`) and
  invisible control characters;
* record the line and column of every key and value;
* turn every value PyYAML cannot construct (`2024-13-45`, `!!int abc`) into
  a problem instead of a traceback.

Nothing in a file may exhaust the machine, so composition and construction
run within the limits below; each is far above what content needs.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Any

import yaml
from yaml.cyaml import CParser

from .problems import Problems, excerpt

# A location inside a document: keys and list indexes from the root.
Loc = tuple[str | int, ...]

MAX_ALIASES = 16
"""Alias uses (`*name`) per file. Content needs none; a few are harmless, and
the budget stops an alias bomb (each level repeating the last) before it grows."""
MAX_DEPTH = 32
"""Levels of nesting. Our deepest file is 6 levels; a deeper one is a mistake,
and must be refused long before Python's own recursion limit is reached."""
MAX_NODES = 100_000
"""Values built per file, aliases expanded. Our largest file has about 200; the
budget bounds what the aliases that remain can expand to."""

_STR = "tag:yaml.org,2002:str"
_SCALAR_KINDS = {
    _STR: "text",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true/false",
    "tag:yaml.org,2002:null": "nothing",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "base64 data",
}
_PLAIN_COLLECTIONS = {yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                      yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG}
# Surrogates are not characters (no UTF-8 file can hold one); controls other
# than tab and line breaks are invisible and break pages and terminals.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class Refused(Exception):
    """A file exceeds a limit or holds a value that cannot be read: stop reading it."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index
        self.message = message


class _Limits:
    """A composer mixin counting aliases and nesting as it composes."""

    def _start_limits(self) -> None:
        self._aliases = 0
        self._depth = 0
        self._open_anchors: set[str] = set()

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._check_alias(event)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(event.start_mark.index, (
                f"nested more than {MAX_DEPTH} levels deep; content needs 6 at most, and the "
                "loader stops here rather than run out of stack"))
        anchor = event.anchor
        if anchor is not None:
            self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(anchor)

    def _check_alias(self, event: yaml.AliasEvent) -> None:
        name = excerpt(event.anchor, quote=False)
        if event.anchor in self._open_anchors:
            raise Refused(event.start_mark.index, (
                f"the alias *{name} is inside the value it names (&{name}), so that value "
                "would contain itself forever"))
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise Refused(event.start_mark.index, (
                f"more than {MAX_ALIASES} aliases (*name) in one file; content needs none, "
                "and the limit stops a few lines from expanding into gigabytes"))


class _LimitedLoader(_Limits, yaml.SafeLoader):
    """PyYAML's own Python loader, within the limits: it says what is wrong with a
    file in the words our messages (and their tests) are written around."""

    def __init__(self, text: str):
        super().__init__(text)
        self._start_limits()


class _FastLoader(_Limits, yaml.composer.Composer, CParser, yaml.resolver.Resolver):
    """libyaml's parser (C) under PyYAML's Python composer, within the same limits.

    Scanning and parsing are nine tenths of reading a file in Python; libyaml
    does them some twenty times faster and gives the same events, with marks
    that count characters as the Python parser's do. Composing stays in Python,
    so the limits apply before anything is built. A file libyaml refuses is read
    again by `_LimitedLoader`, so an error reads the same whichever parser ran.
    """

    def __init__(self, text: str):
        CParser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._start_limits()

    def dispose(self) -> None:
        pass


class _Lines:
    """Line and column (1-based) of a character index, counting only '\\n' as a
    line break, as editors do (PyYAML also counts U+0085, U+2028 and U+2029)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


class _Builder:
    """Turns a composed node tree into Python values and a position map."""

    def __init__(self, lines: _Lines, report):
        self.lines = lines
        self.report = report
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.unreadable = False
        self.nodes = 0
        # Scalars are resolved (int, bool, null, str...) by PyYAML's own rules.
        self._constructor = yaml.SafeLoader("")

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        return self.lines.at(node.start_mark.index)

    def build(self, node: yaml.Node, loc: Loc = (), depth: int = 1) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Refused(node.start_mark.index, (
                f"more than {MAX_NODES:,} values once aliases are expanded; content files "
                "hold a few hundred, and the limit keeps aliases from exhausting memory"))
        if depth > MAX_DEPTH:
            raise Refused(node.start_mark.index, (
                f"nested more than {MAX_DEPTH} levels deep once aliases are expanded; "
                "content needs 6 at most"))
        self.positions.setdefault(loc, self.pos(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in _PLAIN_COLLECTIONS:
            # Content is plain data; a tag like !!python/object must not be dropped silently.
            raise Refused(node.start_mark.index, _unsupported_tag(node.tag))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_KINDS:
            raise Refused(node.start_mark.index, _unsupported_tag(node.tag))
        try:
            value = self._constructor.construct_object(node)
        # PyYAML's scalar constructors fail in many ways (ValueError, KeyError,
        # AttributeError...); whichever it is, the author's value is at fault.
        except Exception as exc:  # noqa: BLE001
            self.unreadable = True
            self.report(node, _unreadable_scalar(node, exc))
            return None
        if isinstance(value, str):
            bad = _BAD_CHARACTER.search(value)
            if bad:
                self.report(node, _bad_character(bad.group(), bad.start()))
            return unicodedata.normalize("NFC", value)
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, loc + ("<key>",), depth + 1)
            if not isinstance(key, (str, int, bool)) or key is None:
                self.report(key_node, "a key must be a plain word")
                continue
            key = str(key)
            if key in result:
                first_line, _ = self.positions[loc + (key,)]
                self.report(key_node, (
                    f"duplicate key {excerpt(key)} (first set on line {first_line}); "
                    "YAML would silently keep only the last one"))
                continue
            self.positions[loc + (key,)] = self.pos(key_node)
            result[key] = self.build(value_node, loc + (key,), depth + 1)
            # The key's own position wins over its value's for error reports.
            self.positions[loc + (key,)] = self.pos(key_node)
        self.positions.pop(loc + ("<key>",), None)
        return result


def _unsupported_tag(tag: str) -> str:
    if tag == "tag:yaml.org,2002:merge":
        return "merge keys ('<<') are not supported; write the fields out"
    shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
    return (f"invalid YAML value: unsupported tag {excerpt(shown)}; content is plain text, "
            "numbers and lists, so it needs no tags")


def _unreadable_scalar(node: yaml.ScalarNode, exc: Exception) -> str:
    kind = _SCALAR_KINDS[node.tag]
    # Python's ValueErrors say what is wrong ("month must be in 1..12"); the
    # others (a None with no .groupdict) would only puzzle an author.
    reason = getattr(exc, "problem", None) or (str(exc) if isinstance(exc, ValueError) else "")
    because = f" ({excerpt(reason, quote=False, limit=80)})" if reason else ""
    value = excerpt(node.value)
    if not node.style and yaml.SafeLoader("").resolve(  # plain: None, or "" from libyaml
            yaml.ScalarNode, node.value, (True, False)) == node.tag:
        return (f"{value} reads as {kind} in YAML but is not a valid one{because}; "
                "put it in quotes if it is meant as text")
    return (f"{value} is tagged as {kind} but is not a valid one{because}; content needs no "
            "tags like '!!int': write the plain value")


def _bad_character(char: str, offset: int) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        what = (f"{code}, half of a UTF-16 surrogate pair, which is not a character and cannot "
                "be written to a page; write the character itself, or \\U and 8 hex digits")
    else:
        what = f"the control character {code}, which is invisible and breaks pages; remove it"
    return f"text contains {what} (character {offset + 1} of the text)"


def _compose(loader_class, text: str) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def parse(text: str, path, problems: Problems) -> tuple[Any, dict[Loc, tuple[int, int]]] | None:
    """The data in `text` and its positions, or None with the reason in `problems`."""
    lines = _Lines(text)

    def report(node: yaml.Node, message: str) -> None:
        problems.add(path, *lines.at(node.start_mark.index), message)

    try:
        try:
            # libyaml's marks leave out a byte order mark, which the Python parser counts.
            node = _compose(_LimitedLoader if text.startswith("\ufeff") else _FastLoader, text)
        except yaml.YAMLError:
            node = _compose(_LimitedLoader, text)
        if node is None:
            problems.add(path, 1, 1, "the file is empty")
            return None
        builder = _Builder(lines, report)
        data = builder.build(node)
    except Refused as exc:
        problems.add(path, *lines.at(exc.index), exc.message)
        return None
    except yaml.reader.ReaderError as exc:
        problems.add(path, *lines.at(exc.position), (
            f"invalid YAML: the control character U+{exc.character:04X} is not allowed in a "
            "YAML file; remove it"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = lines.at(mark.index) if mark else (1, 1)
        problems.add(path, *where,
                     f"invalid YAML: {excerpt(exc.problem or exc.context, quote=False, limit=120)}")
        return None
    if builder.unreadable:
        return None
    return data, builder.positions
