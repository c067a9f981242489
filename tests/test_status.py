"""`status`: translated and stale texts per language.

A translation is stale when the default-language text changed after it was
written; content/translations.yaml records which text each translation was
made from. Every test runs with each language as the default in turn, and
looks at every other language.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from conftest import LANGS, ROOT, TACTIC_YAML, run_cli, write
from generator import status
from generator.cli import main
from generator.content import read_tree
from generator.load import MAX_FILE_BYTES, load_document
from generator.problems import Problems
from generator.validate import format_loc

STORE = status.STORE.name
PAIRS = list(itertools.permutations(LANGS, 2))  # (default, another language)


@pytest.fixture
def tree(content: Path, tmp_path: Path, monkeypatch) -> Path:
    """The tiny tree, a tactic with several steps, run from its parent folder."""
    monkeypatch.chdir(tmp_path)
    steps = "".join(f"  - tl: Hakbang {n}.\n    az: Addım {n}.\n    en: Step {n}.\n" for n in (1, 2, 3))
    write(content / "tactics/three-steps.yaml",
          TACTIC_YAML.split("steps:\n")[0] + "steps:\n" + steps)
    return content


def with_default(content: Path, default: str) -> None:
    path = content / "languages.yaml"
    path.write_text(path.read_text().replace("default: en", f"default: {default}"))


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["status", "--content", "content", *args])
    out, err = capsys.readouterr()
    return code, out, err


def every_text(content: Path):
    """(file, data, loc, text) of every Text in every file with texts."""
    for path in sorted(content.rglob("*.yaml")):
        if path.name in ("languages.yaml", STORE):
            continue
        data = yaml.safe_load(path.read_text())
        for loc in _texts(data):
            yield path, data, loc


def _texts(data, loc=()):
    if isinstance(data, dict):
        if data and set(data) <= set(LANGS):
            yield loc
            return
        for key, value in data.items():
            yield from _texts(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*loc, index))


def at(data, loc):
    for part in loc:
        data = data[part]
    return data


def change_every_text(content: Path, codes: tuple[str, ...]) -> None:
    """Rewrite every text in the languages `codes`, every file (YAML rewritten)."""
    for path in sorted(content.rglob("*.yaml")):
        if path.name in ("languages.yaml", STORE):
            continue
        data = yaml.safe_load(path.read_text())
        for loc in _texts(data):
            for code in codes:
                at(data, loc)[code] += " Changed."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def expected_stale(content: Path, codes) -> set[str]:
    """The line status prints for every translation in `codes`, from the files as they are."""
    lines = set()
    name = {"tl": "Tagalog", "az": "Azerbaijani", "en": "English"}
    default = yaml.safe_load((content / "languages.yaml").read_text())["default"]
    for path in sorted(content.rglob("*.yaml")):
        if path.name in ("languages.yaml", STORE):
            continue
        doc = load_document(path, Problems())
        for loc in _texts(doc.data):
            for code in codes:
                line, column = doc.position((*loc, code))
                lines.add(f"content/{path.relative_to(content).as_posix()}:{line}:{column}: "
                          f"{format_loc((*loc, code))}: the {name[default]} changed after this "
                          f"{code} translation was written")
    return lines


def stale_lines(out: str) -> set[str]:
    return {line for line in out.splitlines()
            if line.startswith("content/") and "translation was written" in line}


def recorded(content: Path, capsys) -> None:
    code, out, _ = run(capsys, "--update")
    assert code == 1 and f"wrote content/{STORE}" in out
    assert run(capsys, "--update")[0] == 0


# --- the store -------------------------------------------------------------------


def test_without_a_store_nothing_is_stale_and_update_writes_one(tree: Path, capsys):
    code, out, _ = run(capsys)
    assert code == 0
    assert "  tl: 26/26 translated (100.0%), 0 stale" in out
    assert "  az: 26/26 translated (100.0%), 0 stale" in out
    assert "  en: 26/26 (100.0%), the default language" in out
    assert f"52 translation(s) not recorded in content/{STORE} yet (there is none yet)" in out
    code, out, _ = run(capsys, "--update")
    assert code == 1 and f"wrote content/{STORE}: 52 translations recorded" in out
    code, out, _ = run(capsys, "--update")
    assert code == 0 and out.strip() == f"content/{STORE}: up to date"
    code, out, _ = run(capsys)
    assert code == 0 and "not recorded" not in out and stale_lines(out) == set()
    assert main(["check", "--content", "content"]) == 0  # the store is valid content


@pytest.mark.parametrize("default, other", PAIRS)
def test_a_changed_default_text_makes_every_translation_of_it_stale(tree: Path, capsys,
                                                                    default: str, other: str):
    with_default(tree, default)
    recorded(tree, capsys)
    change_every_text(tree, (default,))
    code, out, err = run(capsys)
    assert code == 1
    others = [c for c in LANGS if c != default]
    assert stale_lines(out) == expected_stale(tree, others)
    assert f"  {other}: 26/26 translated (100.0%), 26 stale" in out
    assert f"  {default}: 26/26 (100.0%), the default language" in out
    assert "52 stale translation(s)" in err
    # --update keeps them stale: nothing says they were brought up to date.
    code, out, _ = run(capsys, "--update")
    assert code == 0 and "up to date (52 stale kept as they are)" in out
    assert run(capsys)[0] == 1


@pytest.mark.parametrize("default, other", PAIRS)
def test_a_translation_changed_with_its_default_text_is_not_stale(tree: Path, capsys,
                                                                  default: str, other: str):
    with_default(tree, default)
    recorded(tree, capsys)
    change_every_text(tree, (default, other))
    code, out, _ = run(capsys)
    third = [c for c in LANGS if c not in (default, other)]
    assert code == 1
    assert stale_lines(out) == expected_stale(tree, third)
    assert f"  {other}: 26/26 translated (100.0%), 0 stale" in out
    # Bring the third language up to date too: then --update, and all is clean.
    change_every_text(tree, tuple(third))
    assert run(capsys)[0] == 0
    code, out, _ = run(capsys, "--update")
    assert code == 1
    code, out, _ = run(capsys)
    assert code == 0 and stale_lines(out) == set() and "not recorded" not in out


@pytest.mark.parametrize("default", LANGS)
def test_reordering_and_moving_texts_raises_no_alarm(tree: Path, capsys, default: str):
    with_default(tree, default)
    recorded(tree, capsys)
    path = tree / "tactics/three-steps.yaml"
    data = yaml.safe_load(path.read_text())
    data["steps"].reverse()
    data["summary"], data["why"] = data["why"], data["summary"]  # a text moved within its file
    path.write_text(yaml.safe_dump(dict(reversed(list(data.items()))), allow_unicode=True))
    code, out, _ = run(capsys)
    assert code == 0 and stale_lines(out) == set() and "not recorded" not in out
    assert run(capsys, "--update")[0] == 0  # and the record still holds as it is


@pytest.mark.parametrize("default, other", PAIRS)
def test_only_the_texts_whose_default_changed_are_stale(tree: Path, capsys, default: str,
                                                        other: str):
    with_default(tree, default)
    recorded(tree, capsys)
    path = tree / "tactics/three-steps.yaml"
    data = yaml.safe_load(path.read_text())
    data["steps"][1][default] += " Changed."
    data["steps"][1][other] += " Revised."
    data["why"][default] += " Changed."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, out, _ = run(capsys)
    assert code == 1
    doc = load_document(path, Problems())
    expected = set()
    third = next(c for c in LANGS if c not in (default, other))
    for loc, code_ in [(("steps", 1), third), (("why",), other), (("why",), third)]:
        line, column = doc.position((*loc, code_))
        expected.add(f"content/tactics/three-steps.yaml:{line}:{column}: {format_loc((*loc, code_))}:")
    assert {line.split(" the ")[0] for line in stale_lines(out)} == expected


def test_accept_records_a_files_stale_translations_as_checked(tree: Path, capsys):
    recorded(tree, capsys)
    change_every_text(tree, ("en",))
    code, out, err = run(capsys, "--accept", "content/tactics/three-steps.yaml", "glossary.yaml"
                         if (tree / "glossary.yaml").exists() else "tactics/stay-calm.yaml")
    assert code == 0, err
    assert "accepted content/tactics/three-steps.yaml: 12 stale translation(s)" in out
    code, out, _ = run(capsys)
    stale = stale_lines(out)
    assert stale and not any("three-steps.yaml" in line or "stay-calm.yaml" in line for line in stale)
    code, _, err = run(capsys, "--accept", "content/tactics/three-stpes.yaml")
    assert code == 2
    assert "'content/tactics/three-stpes.yaml' is not a content file with texts" in err
    assert "(did you mean 'tactics/three-steps.yaml'?)" in err
    code, _, err = run(capsys, "--accept", f"content/{STORE}")
    assert code == 2


BROKEN = [
    ("files: [\n", 2, 1, "content/translations.yaml:2:1: error:"),
    ("files:\n  - file: tactics/stay-calm.yaml\n    made_from:\n      - 1234abcd 12\n",
     4, 9, "made_from[0]: '1234abcd 12' does not have the expected form"),
    ("files:\n  - file: ../outside.yaml\n    made_from:\n      - 1234abcd 5678abcd\n",
     2, 5, "files[0].file: '../outside.yaml' does not have the expected form"),
    ("files:\n  - fiel: tactics/stay-calm.yaml\n", 2, 5, "unknown field 'fiel' (did you mean 'file'?)"),
    ("files: yes\n", 1, 1, "files: expected a list"),
    ("- 1234abcd 5678abcd\n", 1, 1, "expected a mapping of fields at the top of the file"),
]


@pytest.mark.parametrize("body, line, column, message", BROKEN)
def test_a_hand_broken_store_gives_file_line_errors(tree: Path, tmp_path: Path, capsys, body: str,
                                                    line: int, column: int, message: str):
    write(tree / STORE, body)
    code, out, err = run(capsys)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err
    assert any(f"content/{STORE}:" in part for part in err.splitlines())
    for command in (["status", "--content", "content", "--update"], ["check", "--content", "content"]):
        assert main(command) == 1
        assert message in capsys.readouterr().err
    assert (tree / STORE).read_text() == body  # never rewritten over


def test_a_store_naming_a_file_twice_or_a_gone_file(tree: Path, capsys):
    recorded(tree, capsys)
    body = (tree / STORE).read_text()
    entry = body.split("files:\n")[1]
    write(tree / STORE, body + entry + "  - file: tactics/gone.yaml\n    made_from:\n"
          "      - 1234abcd 5678abcd\n")
    assert run(capsys)[0] == 0
    code, _, _ = run(capsys, "--update")
    assert code == 1 and (tree / STORE).read_text() == body


RENAMES = {"customer-types/angry.yaml": "customer-types/angry-two.yaml",
           "tactics/three-steps.yaml": "tactics/three-more.yaml",
           "phrases/greetings.yaml": "phrases/greetings-two.yaml",
           "guides/basics.yaml": "guides/basics-two.yaml"}
"""A file of every kind, renamed: none is referenced by id (the type lists stay-calm)."""


def test_a_renamed_file_keeps_its_stale_translations(tree: Path, capsys):
    recorded(tree, capsys)
    change_every_text(tree, ("en",))
    before = stale_lines(run(capsys)[1])
    for old, new in RENAMES.items():
        (tree / old).rename(tree / new)
    code, out, err = run(capsys)
    assert code == 1 and "stale translation(s)" in err
    assert stale_lines(out) == expected_stale(tree, ("tl", "az"))
    assert len(stale_lines(out)) == len(before) > 0
    for old in RENAMES:
        assert f"content/{STORE} records {old}, which is gone" in out
    # --update drops the records of the gone files, and the stale stay stale.
    run(capsys, "--update")
    store = (tree / STORE).read_text()
    assert all(old not in store for old in RENAMES) and all(new in store for new in RENAMES.values())
    code, out, _ = run(capsys)
    assert code == 1 and stale_lines(out) == expected_stale(tree, ("tl", "az")) and "is gone" not in out


def test_a_text_moved_into_another_file_keeps_its_stale_translations(tree: Path, capsys):
    recorded(tree, capsys)
    three = tree / "tactics/three-steps.yaml"
    write(three, three.read_text().replace("en: Step 1.", "en: Step one, changed."))
    assert len(stale_lines(run(capsys)[1])) == 2  # its tl and az
    # Merged into stay-calm (which exists, and whose record knows nothing of it).
    data = yaml.safe_load(three.read_text())
    moved = data["steps"].pop(0)
    three.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    calm = tree / "tactics/stay-calm.yaml"
    other = yaml.safe_load(calm.read_text())
    other["steps"].append(moved)
    calm.write_text(yaml.safe_dump(other, allow_unicode=True, sort_keys=False))
    code, out, _ = run(capsys)
    assert code == 1 and len(stale_lines(out)) == 2
    assert all("tactics/stay-calm.yaml:" in line for line in stale_lines(out))
    run(capsys, "--update")
    code, out, _ = run(capsys)
    assert code == 1 and len(stale_lines(out)) == 2, out


def test_a_file_renamed_with_its_translations_fresh_is_fresh(tree: Path, capsys):
    recorded(tree, capsys)
    for old, new in RENAMES.items():
        (tree / old).rename(tree / new)
    code, out, _ = run(capsys)
    assert code == 0 and stale_lines(out) == set() and "not recorded" not in out


# --- the real content ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    tree, kb = read_tree(ROOT / "content")
    return status.survey(ROOT / "content", tree, kb)


def test_the_real_content_has_nothing_stale(real):
    assert [status.stale_message(t, real.kb) for t in real.stale()] == []


def test_the_real_store_is_up_to_date(real):
    assert real.new() == [], "run: python -m generator status --update, and commit the file"
    assert status.store_text(real.updated()) == real.store_path.read_text(encoding="utf-8"), (
        "run: python -m generator status --update, and commit the file")


def test_the_store_is_far_below_the_file_size_limit(real):
    # One line per text: the store grows with the content, 8 hex digits a text and language.
    assert real.store_path.stat().st_size * 4 < MAX_FILE_BYTES


def test_status_as_a_user_runs_it(tmp_path: Path):
    result = run_cli("status", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  tl: " in result.stdout and ", 0 stale" in result.stdout
