"""generator/parse.py reads with libyaml where it can, and must read exactly as
PyYAML's Python parser does: the same data, positions and problems."""

from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator import parse as parse_module
from generator.problems import Problems

PAYLOADS = yaml.safe_load((ROOT / "tests" / "payloads.yaml").read_text("utf-8"))

TRICKY = {
    "anchors and aliases": "a: &x {tl: one, az: two}\nb: *x\nc: [*x, *x]\n",
    "CRLF line ends": "title:\r\n  tl: a\r\n  en: b\r\n",
    "old Mac line ends": "title:\r  tl: a\r  en: b\r",
    "NEL, LS, PS inside text": 'a: "x\u0085y"\nb: "x\u2028y"\nc: "x\u2029y"\nd: 1\ne: [1, 2]\n',
    "NEL, LS, PS in plain text": "a: x\u0085y\nb: x\u2028y\nc: 1\n",
    "byte order mark": "\ufefftitle: x\nsummary: y\n",
    "tabs in text": "a: \"x\ty\"\nb: |\n  x\ty\n",
    "folded and literal blocks": "a: >-\n  one\n  two\n\n  three\nb: |+\n  keep\n\nc: |2\n    indented\n",
    "flow collections over lines": "a: [one,\n  two, {b: c,\n  d: e}]\n",
    "quoted keys and escapes": '"a b": \'it\'\'s\'\n"\\u0259": "\\x41\\U0001F600"\n',
    "numbers, dates, nulls, bools": "a: 1\nb: 1.5\nc: 2024-02-03\nd: ~\ne: yes\nf: 0x1F\ng: .inf\n",
    "wide characters before values": "ə: 😀😀\nç: [ğ, ı, ö]\nnext: 3\n",
    "comments everywhere": "# top\na: 1 # after\n# between\nb:\n  # inside\n  - x # item\n",
    "document markers": "---\na: 1\n...\n",
    "explicit keys": "? a\n: 1\n? [x, y]\n: 2\n",
    "duplicate keys": "a: 1\nb: 2\na: 3\n",
    "deep nesting": "a:\n" + "".join("  " * i + "- \n" for i in range(1, 40)),
    "deep flow nesting": "a: " + "[" * 200 + "]" * 200 + "\n",
    "alias bomb": "a: &a [x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)),
    "alias inside itself": "a: &a [1, *a]\n",
    "undefined alias": "a: *nope\n",
    "unsupported tag": "a: !!python/object:os.system x\n",
    "bad date": "a: 2024-13-45\n",
    "tagged int": "a: !!int abc\n",
    "merge key": "a: &a {x: 1}\nb:\n  <<: *a\n",
    "mapping value in plain text": "title:\n  tl: Ganito: ayos\n",
    "tab as indentation": "a:\n\tb: 1\n",
    "unclosed quote": 'a: "open\nb: 2\n',
    "unclosed flow": "a: [1, 2\nb: 3\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "control character": "a: x\x07y\n",
    "escaped control character": 'a: "x\\x07y"\n',
    "escaped surrogate": 'a: "\\ud800"\n',
    "empty": "",
    "only a comment": "# nothing\n",
    "a bare scalar": "just text\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "key with no value": "a:\nb: 2\n",
    "non-text keys": "1: a\ntrue: b\n~: c\n[x]: d\n",
}


def _read(text: str, monkeypatch=None) -> tuple:
    problems = Problems()
    parsed = parse_module.parse(text, Path("x.yaml"), problems)
    return parsed, [(p.line, p.column, p.message) for p in problems.items]


def _read_in_python(text: str, monkeypatch) -> tuple:
    with monkeypatch.context() as patched:
        patched.setattr(parse_module, "_FastLoader", parse_module._LimitedLoader)
        return _read(text)


def _cases():
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        yield pytest.param(path.read_text("utf-8"), id=path.relative_to(ROOT).as_posix())
    for name, text in TRICKY.items():
        yield pytest.param(text, id=name)
    for i, payload in enumerate(PAYLOADS):
        value = payload.replace("{m}", "m")
        # Each payload as a plain, a quoted and a block value.
        yield pytest.param(f"title:\n  tl: {value}\n  en: x\n", id=f"payload {i} plain")
        yield pytest.param(f"title: {yaml.safe_dump(value, allow_unicode=True)}", id=f"payload {i} quoted")
        yield pytest.param("title: |\n" + "".join(f"  {line}\n" for line in value.splitlines() or [""]),
                           id=f"payload {i} block")


@pytest.mark.parametrize("text", _cases())
def test_libyaml_reads_as_the_python_parser_does(text: str, monkeypatch):
    assert _read(text) == _read_in_python(text, monkeypatch)


def test_a_valid_file_is_read_by_libyaml_alone(monkeypatch):
    """The Python parser (twenty times slower) is only for files libyaml refuses."""
    def refuse(*args, **kwargs):
        raise AssertionError("the Python parser ran on a valid file")

    monkeypatch.setattr(parse_module, "_LimitedLoader", refuse)
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        parsed, problems = _read(path.read_text("utf-8"))
        assert parsed is not None and problems == [], path


def test_a_file_libyaml_refuses_gets_the_python_parsers_words(monkeypatch):
    parsed, problems = _read("title:\n  tl: Ganito: ayos\n")
    assert parsed is None
    [(line, _, message)] = problems
    assert line == 2 and message.startswith("invalid YAML: mapping values are not allowed here")
