"""`schema`: JSON Schemas from the content model, for editors.

The schemas must accept every real content file, and refuse what the
validator refuses that one file can show: a misspelt field at any level, an
unknown language, a text without the default language, an empty text.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import LANGS, LANGUAGES_YAML, ROOT, TINY_TREE, run_cli, write
from generator import schema
from generator.cli import main
from generator.content import read_languages
from generator.layout import FILES, KINDS
from generator.load import load_document
from generator.model import MAX_TITLE, LanguagesFile
from generator.problems import Problems
from generator.validate import validate_document

CONTENT = ROOT / "content"
REAL_FILES = sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml")
                    if not any(part.startswith(".") for part in p.relative_to(CONTENT).parts))
TINY_FILES = sorted(TINY_TREE)


def target_of(rel: str) -> schema.Target:
    [target] = [t for t in schema.targets() if fnmatch.fnmatch(rel, t.glob)]
    return target


def languages_with(default: str = "en", extra: str = "") -> LanguagesFile:
    body = LANGUAGES_YAML.replace("default: en", f"default: {default}") + extra
    return LanguagesFile.model_validate(__import__("yaml").safe_load(body))


TINY_LANGUAGES = languages_with()


def data_of(path: Path):
    problems = Problems()
    doc = load_document(path, problems)
    assert not problems, problems.items
    return doc.data


def schema_errors(rel: str, data, languages: LanguagesFile = TINY_LANGUAGES) -> list[str]:
    validator = Draft7Validator(schema.schema_for(target_of(rel), languages))
    return [error.message for error in validator.iter_errors(data)]


def validator_accepts(rel: str, data, languages: LanguagesFile = TINY_LANGUAGES) -> bool:
    """What `check` says of this one file (cross-file checks aside)."""
    from generator.load import Document

    codes = tuple(lang.code for lang in languages.languages)
    problems = Problems()
    validate_document(Document(Path(rel), data), target_of(rel).model,
                      {"languages": codes, "default_language": languages.default}, problems)
    return not problems


def tiny(rel: str):
    return __import__("yaml").safe_load(TINY_TREE[rel])


def texts_in(data, loc=()):
    """The place of every Text in a document: a mapping keyed by language codes only."""
    if isinstance(data, dict):
        if data and set(data) <= set(LANGS):
            yield loc
            return
        for key, value in data.items():
            yield from texts_in(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts_in(value, (*loc, index))


def models_in(data, model, loc=()):
    """(place, model class) of every mapping of fields in a document."""
    import typing

    from generator.validate import unwrap as _unwrap

    yield loc, model
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        inner = _unwrap(info.annotation)
        values = [(name,)] if typing.get_origin(inner) is not list else \
            [(name, i) for i in range(len(data[name]))]
        if typing.get_origin(inner) is list:
            inner = _unwrap(typing.get_args(inner)[0])
        if isinstance(inner, type) and hasattr(inner, "model_fields"):
            for sub in values:
                yield from models_in(at(data, sub), inner, (*loc, *sub))


def at(data, loc):
    for part in loc:
        data = data[part]
    return data


def misspelt(name: str) -> str:
    return name[:-2] + name[-1] + name[-2] if len(name) > 1 else name + name


# --- the real content -----------------------------------------------------------


def test_every_real_file_has_exactly_one_schema():
    assert REAL_FILES, "no content found"
    for rel in REAL_FILES:
        target_of(rel)  # exactly one match, or the unpacking fails


@pytest.mark.parametrize("rel", REAL_FILES)
def test_every_real_content_file_is_valid_against_its_schema(rel: str):
    languages = read_languages(CONTENT)
    assert schema_errors(rel, data_of(CONTENT / rel), languages) == []


def test_the_committed_schemas_are_up_to_date():
    files = schema.generate(read_languages(CONTENT))
    assert schema.out_of_date(files, CONTENT / schema.FOLDER) == [], (
        "run: python -m generator schema")


def test_every_schema_is_valid_draft_07_and_covers_every_kind_and_file():
    files = schema.generate(TINY_LANGUAGES)
    assert set(files) == {f"{k.name}.json" for k in KINDS} | {f"{Path(s.name).stem}.json" for s in FILES}
    for text in files.values():
        document = json.loads(text)
        assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
        Draft7Validator.check_schema(document)


def test_the_readme_shows_the_settings_line_the_command_prints(tmp_path: Path):
    result = run_cli("schema", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    line = result.stdout.splitlines()[-1]
    assert line == schema.vscode_setting(Path("content"), Path("content") / schema.FOLDER)
    assert line.startswith('"yaml.schemas": {')
    for target in schema.targets():
        assert f'"content/.schemas/{target.file}": "content/{target.glob}"' in line
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")


# --- what the schema refuses, as the validator does ----------------------------------


@pytest.mark.parametrize("rel", TINY_FILES)
def test_a_misspelt_field_is_rejected_at_every_level(rel: str):
    data = tiny(rel)
    assert schema_errors(rel, data) == [] and validator_accepts(rel, data)
    checked = 0
    for loc, model in models_in(data, target_of(rel).model):
        for name in model.model_fields:
            wrong = copy.deepcopy(data)
            holder = at(wrong, loc)
            holder[misspelt(name)] = holder.pop(name, "x")
            errors = schema_errors(rel, wrong)
            assert any(repr(misspelt(name)) in e and "not allowed" in e for e in errors), (loc, name)
            assert not validator_accepts(rel, wrong)
            checked += 1
    assert checked >= len(target_of(rel).model.model_fields)


@pytest.mark.parametrize("default", LANGS)
@pytest.mark.parametrize("rel", [r for r in TINY_FILES if r != "languages.yaml"])
def test_texts_need_the_default_language_and_no_other(rel: str, default: str):
    languages = languages_with(default)
    data = tiny(rel)
    places = list(texts_in(data))
    assert places
    for loc in places:
        for code in LANGS:
            without = copy.deepcopy(data)
            del at(without, loc)[code]
            valid = code != default
            assert (schema_errors(rel, without, languages) == []) is valid, (loc, code)
            assert validator_accepts(rel, without, languages) is valid, (loc, code)
        unknown = copy.deepcopy(data)
        at(unknown, loc)["fr"] = "Bonjour"
        assert schema_errors(rel, unknown, languages)
        assert not validator_accepts(rel, unknown, languages)
        for blank in ("", "   "):
            empty = copy.deepcopy(data)
            at(empty, loc)[default] = blank
            assert schema_errors(rel, empty, languages), (loc, blank)
            assert not validator_accepts(rel, empty, languages)


def test_a_text_has_exactly_the_declared_languages():
    extra = LANGUAGES_YAML.split("languages:\n", 1)[1].split("  - code: az", 1)[0] \
        .replace("code: tl", "code: fr").replace("theme_language: tl", "theme_language: fr")
    languages = languages_with("en", extra)
    assert [lang.code for lang in languages.languages] == [*LANGS, "fr"]
    found = 0
    for target in schema.targets():
        for node in _walk(schema.schema_for(target, languages)):
            if node.get("type") == "object" and set(node.get("properties", {})) <= {*LANGS, "fr"} \
                    and "en" in node.get("properties", {}):
                assert list(node["properties"]) == [*LANGS, "fr"]
                assert node["required"] == ["en"] and node["additionalProperties"] is False
                assert all(each["minLength"] == 1 for each in node["properties"].values())
                found += 1
    assert found >= 15


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_every_field_docstring_is_a_description():
    for target in schema.targets():
        document = schema.schema_for(target, TINY_LANGUAGES)
        assert document["description"]
        for loc, model in models_in({}, target.model):
            for name, info in model.model_fields.items():
                if info.description:
                    assert document["properties"][name]["description"] == info.description


HOSTILE = [
    ("tactics/stay-calm.yaml", ("title",), "yes, a string"),
    ("tactics/stay-calm.yaml", ("title",), True),
    ("tactics/stay-calm.yaml", ("title", "en"), "x" * MAX_TITLE),
    ("tactics/stay-calm.yaml", ("title", "en"), "x" * (MAX_TITLE + 1)),
    ("tactics/stay-calm.yaml", ("title", "en"), 12),
    ("tactics/stay-calm.yaml", ("order",), "5"),
    ("tactics/stay-calm.yaml", ("order",), 5),
    ("tactics/stay-calm.yaml", ("steps",), []),
    ("tactics/stay-calm.yaml", ("pitfalls",), []),
    ("tactics/stay-calm.yaml", ("steps",), {"en": "One step, not a list."}),
    ("customer-types/angry.yaml", ("tactics", 0), "Stay-Calm"),
    ("customer-types/angry.yaml", ("tactics", 0), "stay--calm"),
    ("customer-types/angry.yaml", ("tactics", 0), "stay-calm-2"),
    ("customer-types/angry.yaml", ("cheat_sheet",), ["calm-greeting"] * 5),
    ("customer-types/angry.yaml", ("cheat_sheet",), ["calm-greeting"] * 4),
    ("customer-types/angry.yaml", ("sources", 0, "expert"), None),
    ("customer-types/angry.yaml", ("sources", 0, "expert"), ""),
    ("customer-types/angry.yaml", ("sources", 0, "page"), 3),
    ("phrases/greetings.yaml", ("phrases", 0, "id"), "Calm greeting"),
    ("phrases/greetings.yaml", ("phrases", 0, "text", "en"), "<script>alert(1)</script>"),
    ("guides/basics.yaml", ("sections", 0, "heading"), {}),
    ("languages.yaml", ("languages", 0, "code"), "tagalog"),
    ("languages.yaml", ("languages", 0, "browser_codes"), ["fil", "tl-PH"]),
    ("languages.yaml", ("languages", 0, "browser_codes"), ["fil ph"]),
    ("languages.yaml", ("languages",), []),
    ("sources.yaml", ("sources", 0, "scrape"), 7),
]


@pytest.mark.parametrize("rel, loc, value", HOSTILE, ids=lambda v: repr(v)[:30])
def test_the_schema_agrees_with_the_validator(rel: str, loc: tuple, value):
    data = tiny(rel)
    holder = at(data, loc[:-1])
    holder[loc[-1]] = value
    assert (schema_errors(rel, data) == []) == validator_accepts(rel, data), (
        schema_errors(rel, data))


# --- the command ----------------------------------------------------------------


def test_schema_writes_checks_and_names_what_is_out_of_date(content: Path, tmp_path: Path, monkeypatch,
                                                          capsys):
    monkeypatch.chdir(tmp_path)
    check = cli(capsys, "schema", "--check", "--content", "content")
    assert check.returncode == 1
    for target in schema.targets():
        assert f"content/.schemas/{target.file}: missing" in check.stdout
    wrote = cli(capsys, "schema", "--content", "content")
    assert wrote.returncode == 0, wrote.stderr
    for target in schema.targets():
        assert f"wrote content/.schemas/{target.file}" in wrote.stdout
        assert json.loads((content / schema.FOLDER / target.file).read_text())
    # One of ours gone stale, one whose kind is gone: both the command's to mend.
    tactic = content / schema.FOLDER / "tactic.json"
    write(tactic, tactic.read_text().replace('"title": "content/', '"title": "old content/', 1))
    write(content / schema.FOLDER / "old-kind.json", tactic.read_text())
    write(content / schema.FOLDER / "notes.json", '{"mine": true}')  # not ours: kept
    check = cli(capsys, "schema", "--check", "--content", "content")
    assert check.returncode == 1
    assert "content/.schemas/tactic.json: out of date" in check.stdout
    assert "content/.schemas/old-kind.json: no longer generated" in check.stdout
    assert "customer-type.json" not in check.stdout
    assert cli(capsys, "schema", "--content", "content").returncode == 0
    again = cli(capsys, "schema", "--check", "--content", "content")
    assert again.returncode == 0 and "Schemas up to date" in again.stdout
    assert not (content / schema.FOLDER / "old-kind.json").exists()
    assert (content / schema.FOLDER / "notes.json").read_text() == '{"mine": true}'
    assert "notes.json" not in again.stdout
    # The loader ignores the folder: the content is still valid.
    assert cli(capsys, "check", "--content", "content").returncode == 0


def test_a_schemas_folder_that_links_into_content_is_refused(content: Path, tmp_path: Path,
                                                             monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (content / schema.FOLDER).symlink_to(content / "tactics", target_is_directory=True)
    before = sorted(p.name for p in (content / "tactics").iterdir())
    result = cli(capsys, "schema", "--content", "content")
    assert result.returncode == 2 and "is inside the content folder" in result.stderr
    assert sorted(p.name for p in (content / "tactics").iterdir()) == before


def test_a_schemas_folder_that_links_elsewhere_keeps_what_is_not_ours(content: Path, tmp_path: Path,
                                                                     monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine/data.json", '{"data": 1}')
    (content / schema.FOLDER).symlink_to(tmp_path / "mine", target_is_directory=True)
    assert cli(capsys, "schema", "--content", "content").returncode == 0
    assert (tmp_path / "mine/data.json").read_text() == '{"data": 1}'
    write(tmp_path / "mine/tactic.json", '{"x": 2}')
    result = cli(capsys, "schema", "--content", "content")
    assert result.returncode == 1 and (tmp_path / "mine/tactic.json").read_text() == '{"x": 2}'


@pytest.mark.parametrize("out, why", [
    ("content", "is inside the content folder"),
    ("content/tactics", "is inside the content folder"),
    ("content/.schemas/../guides", "is inside the content folder"),
    ("content/tactics/stay-calm.yaml", "is a file, not a folder"),
    ("notes.txt", "is a file, not a folder"),
])
def test_an_out_that_would_spoil_content_or_a_file_is_refused(content: Path, tmp_path: Path,
                                                              monkeypatch, capsys, out: str, why: str):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "notes.txt", "mine")
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    for args in ([], ["--check"]):
        result = cli(capsys, "schema", *args, "--content", "content", "--out", out)
        assert result.returncode == 2 and why in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before
    assert cli(capsys, "check", "--content", "content").returncode == 0


def test_another_folder_keeps_every_file_the_command_did_not_write(content: Path, tmp_path: Path,
                                                                  monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "project/package.json", '{"name": "mine"}')
    assert cli(capsys, "schema", "--content", "content", "--out", "project").returncode == 0
    assert (tmp_path / "project/package.json").read_text() == '{"name": "mine"}'
    check = cli(capsys, "schema", "--check", "--content", "content", "--out", "project")
    assert check.returncode == 0, check.stdout
    # A file of a schema's name that is someone else's stops the command before it writes.
    write(tmp_path / "other/tactic.json", '{"mine": true}')
    result = cli(capsys, "schema", "--content", "content", "--out", "other")
    assert result.returncode == 1 and "other/tactic.json: not a schema this command wrote" in result.stderr
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == ["tactic.json"]
    assert (tmp_path / "other/tactic.json").read_text() == '{"mine": true}'
    # A schema this command wrote, even before it marked them, is its own to replace.
    old = (tmp_path / "project/tactic.json").read_text().replace(f'  "$comment": {json.dumps(schema.MARK)},\n', "")
    write(tmp_path / "project/tactic.json", old.replace('"description"', '"descriptionx"', 1))
    assert cli(capsys, "schema", "--content", "content", "--out", "project").returncode == 0
    assert schema.MARK in (tmp_path / "project/tactic.json").read_text()


def test_schema_with_invalid_languages_says_where(content: Path, tmp_path: Path, monkeypatch,
                                                 capsys):
    monkeypatch.chdir(tmp_path)
    write(content / "languages.yaml", "default: en\nlanguages:\n  - code: Tagalog\n")
    result = cli(capsys, "schema", "--content", "content", "--out", "out")
    assert result.returncode == 1
    assert "content/languages.yaml:3:5: error: languages[0].code: 'Tagalog'" in result.stderr
    assert not (tmp_path / "out").exists()
    (content / "languages.yaml").unlink()
    result = cli(capsys, "schema", "--content", "content")
    assert result.returncode == 1 and "content/languages.yaml:1:1: error: missing" in result.stderr


def cli(capsys, *args: str):
    """`python -m generator ARGS` in this process: its exit status, stdout and stderr."""
    import types

    code = main(list(args))
    out, err = capsys.readouterr()
    return types.SimpleNamespace(returncode=code, stdout=out, stderr=err)
