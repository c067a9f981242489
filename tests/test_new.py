"""`new KIND ID`: an entry with every field, in every language, that `check`
refuses until each value is written, and accepts once it is."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from conftest import LANGS, LANGUAGES_YAML, TINY_TREE, run_cli, write
from generator import schema
from generator.cli import main
from generator.content import read_content
from generator.layout import KINDS
from generator.load import load_document
from generator.problems import ContentError, Problems, display_path
from generator.validate import unwrap as _unwrap
from generator.validate import format_loc

# What each empty reference becomes when filled: ids the tiny tree has.
FILL = {"tactics": "stay-calm", "phrases": "calm-greeting", "cheat_sheet": "calm-greeting",
        "source": "article-one", "id": "new-phrase", "guides": "basics"}
FOURTH = LANGUAGES_YAML.split("languages:\n", 1)[1].split("  - code: az", 1)[0] \
    .replace("code: tl", "code: fr").replace("theme_language: tl", "theme_language: fr")


def new(content: Path, *args: str, capsys=None) -> tuple[int, str, str]:
    code = main(["new", *args, "--content", str(content)])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def empties(data, loc=()):
    """The place of every empty value."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from empties(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from empties(value, (*loc, index))
    elif data == "":
        yield loc


def texts(data, codes, loc=()):
    if isinstance(data, dict):
        if data and set(data) <= set(codes) and "en" in data:
            yield loc, data
            return
        for key, value in data.items():
            yield from texts(value, codes, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts(value, codes, (*loc, index))


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(content)
    return [p.format() for p in caught.value.problems]


def fill(path: Path, doc) -> None:
    """Write a value into every "" of the file, in place, comments kept."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for loc in sorted(empties(doc.data), key=doc.position, reverse=True):
        line, column = doc.position(loc)
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)
                     and part not in LANGS + ("fr",)), "")
        value = FILL.get(name) or f"Words for {format_loc(loc)}"
        text = lines[line - 1]
        start = text.index('""', column - 1)  # the position is the key's, or the value's
        lines[line - 1] = text[:start] + value + text[start + 2:]
    path.write_text("\n".join(lines), encoding="utf-8")


def fields_everywhere(data, model, loc=()):
    """Assert every field of `model` (and of the models inside it) is in `data`."""
    assert list(data) == list(model.model_fields), loc
    for name, info in model.model_fields.items():
        inner = _unwrap(info.annotation)
        items = [(data[name], (name,))]
        if typing.get_origin(inner) is list:
            assert len(data[name]) == 1, (loc, name)  # one example item
            inner = _unwrap(typing.get_args(inner)[0])
            items = [(data[name][0], (name, 0))]
        if isinstance(inner, type) and hasattr(inner, "model_fields"):
            for value, sub in items:
                fields_everywhere(value, inner, (*loc, *sub))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_new_writes_every_field_in_every_language(content: Path, kind, capsys):
    code, out, _ = new(content, kind.name, "fresh-one", capsys=capsys)
    assert code == 0
    path = content / kind.folder / "fresh-one.yaml"
    assert f"wrote {path}" in out or f"{kind.folder}/fresh-one.yaml" in out
    doc = load_document(path, problems := Problems())
    assert not problems, problems.items
    fields_everywhere(doc.data, kind.model)
    found = list(texts(doc.data, LANGS))
    assert found
    for loc, text in found:
        assert list(text) == list(LANGS), loc
        assert set(text.values()) == {""}, loc
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../.schemas/{kind.name}.json"
    assert (path.parent / "../.schemas" / f"{kind.name}.json").resolve() == \
        (content / schema.FOLDER / f"{kind.name}.json").resolve()
    for name, info in kind.model.model_fields.items():  # each field under its docstring
        at = lines.index(next(line for line in lines if line.startswith(f"{name}:")))
        if info.description:
            above = info.description.splitlines()[-1]
            assert above in "\n".join(lines[max(0, at - 3):at]), name
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_check_names_every_empty_value_until_it_is_filled(content: Path, tmp_path: Path, kind,
                                                          capsys):
    assert new(content, kind.name, "fresh-one", capsys=capsys)[0] == 0
    path = content / kind.folder / "fresh-one.yaml"
    doc = load_document(path, Problems())
    messages = problems_of(content)
    places = list(empties(doc.data))
    assert places
    for loc in places:
        # An empty text is named as a whole; an empty id or label by itself.
        named = []
        for where in (loc, loc[:-1]):
            line, column = doc.position(where)
            named.append(f"{display_path(path)}:{line}:{column}: error: {format_loc(where)}: ")
        assert any(m.startswith(tuple(named)) for m in messages), (loc, messages)
    assert all(m.startswith(display_path(path)) for m in messages), messages
    fill(path, doc)
    read_content(content)  # raises if anything is left
    assert main(["check", "--content", str(content)]) == 0


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_fourth_language_needs_no_change(content: Path, kind, capsys):
    write(content / "languages.yaml", LANGUAGES_YAML + FOURTH)
    assert new(content, kind.name, "fresh-one", capsys=capsys)[0] == 0
    path = content / kind.folder / "fresh-one.yaml"
    doc = load_document(path, Problems())
    found = list(texts(doc.data, (*LANGS, "fr")))
    assert found and all(list(text) == [*LANGS, "fr"] for _, text in found)
    fill(path, load_document(path, Problems()))
    kb = read_content(content)
    assert "fresh-one" in kb.entries[kind.key]


# --- refusals ---------------------------------------------------------------------


def test_an_unknown_kind_suggests_the_nearest(content: Path, capsys):
    code, _, err = new(content, "custmer-type", "x", capsys=capsys)
    assert code == 2
    assert err.strip().endswith(
        "unknown kind 'custmer-type' (did you mean 'customer-type'?); the kinds are: "
        + ", ".join(k.name for k in KINDS))
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("bad", ["Stay-Calm", "stay calm", "stay--calm", "x-", "x.yaml", "../x", ""])
def test_an_invalid_id_is_a_usage_error(content: Path, kind, bad: str, capsys):
    before = sorted(p.name for p in (content / kind.folder).iterdir())
    code, _, err = new(content, kind.name, bad, capsys=capsys)
    assert code == 2 and f"'{bad}' is not a valid id" in err
    assert sorted(p.name for p in (content / kind.folder).iterdir()) == before


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("length", [65, 250, 300])
def test_an_id_too_long_is_a_usage_error(content: Path, kind, length: int, capsys):
    before = sorted(p.name for p in (content / kind.folder).iterdir())
    code, _, err = new(content, kind.name, "x" * length, capsys=capsys)
    assert code == 2 and f"is {length} characters long, more than the 64" in err, err
    assert "Traceback" not in err
    assert sorted(p.name for p in (content / kind.folder).iterdir()) == before


@pytest.mark.parametrize("error", [OSError(30, "Read-only file system"),
                                   OSError(28, "No space left on device"),
                                   PermissionError(13, "Permission denied")])
def test_a_file_that_cannot_be_written_is_one_line_and_leaves_nothing(content: Path, monkeypatch,
                                                                     error: OSError, capsys):
    from generator import scaffold

    def refuse(path, text):
        raise error

    monkeypatch.setattr(scaffold, "_write_new", refuse)
    code, _, err = new(content, "tactic", "fresh-one", capsys=capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ") and error.strerror in err and "nothing was written" in err
    assert not (content / "tactics/fresh-one.yaml").exists()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_reserved_ids_are_refused(content: Path, kind, capsys):
    existing = next(Path(rel).stem for rel in TINY_TREE if rel.startswith(kind.folder + "/"))
    reserved = ["index"] + (["pocket-summary", f"{existing}-bilingual"] if kind.sheets else [])
    for entry_id in reserved:
        code, _, err = new(content, kind.name, entry_id, capsys=capsys)
        assert code == 2 and f"'{entry_id}' is reserved: " in err, err
        assert not (content / kind.folder / f"{entry_id}.yaml").exists()
    if not kind.sheets:  # the same names are free where there are no sheets
        assert new(content, kind.name, "pocket-summary", capsys=capsys)[0] == 0


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_an_existing_file_is_never_overwritten(content: Path, kind, capsys):
    rel = next(rel for rel in TINY_TREE if rel.startswith(kind.folder + "/"))
    before = (content / rel).read_bytes()
    code, _, err = new(content, kind.name, Path(rel).stem, capsys=capsys)
    assert code == 1 and "already exists; it was left as it is" in err
    assert (content / rel).read_bytes() == before


def test_a_missing_content_folder_or_languages_file(tmp_path: Path, content: Path, capsys):
    code, _, err = new(tmp_path / "nope", "tactic", "x", capsys=capsys)
    assert code == 1 and "nope:1:1: error: content folder not found" in err
    (content / "languages.yaml").unlink()
    code, _, err = new(content, "tactic", "x", capsys=capsys)
    assert code == 1 and "languages.yaml:1:1: error: missing: languages.yaml" in err
    write(content / "languages.yaml", "default: en\nlanguages: yes\n")
    code, _, err = new(content, "tactic", "x", capsys=capsys)
    assert code == 1 and "languages.yaml:2:1: error: languages: expected a list" in err
    assert not (content / "tactics/x.yaml").exists()


def test_a_missing_kind_folder_is_made(content: Path, capsys):
    for path in (content / "guides").iterdir():
        path.unlink()
    (content / "guides").rmdir()
    assert new(content, "guide", "first", capsys=capsys)[0] == 0
    assert (content / "guides/first.yaml").is_file()


def test_the_command_line_as_a_user_runs_it(content: Path, tmp_path: Path):
    result = run_cli("new", "tactic", "keep-your-word", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote content/tactics/keep-your-word.yaml")
    check = run_cli("check", "--content", "content", cwd=tmp_path)
    assert check.returncode == 1
    assert "content/tactics/keep-your-word.yaml:" in check.stderr
