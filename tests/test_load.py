import os
import time
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, TACTIC_YAML, run_cli, write
from generator.layout import FILES
from generator.load import MAX_FILE_BYTES, load_document, load_tree
from generator.parse import MAX_ALIASES, MAX_DEPTH, MAX_NODES
from generator.problems import Problems


def test_duplicate_key_is_an_error_with_its_line(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "title: one\nsummary: two\ntitle: three\n")
    problems = Problems()
    load_document(path, problems)
    [problem] = problems.items
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key 'title' (first set on line 1)" in problem.message


def test_duplicate_key_inside_a_text(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "title:\n  tl: a\n  az: b\n  tl: c\n")
    problems = Problems()
    load_document(path, problems)
    [problem] = problems.items
    assert (problem.line, problem.column) == (4, 3)
    assert "duplicate key 'tl'" in problem.message


def test_syntax_error_reports_line_and_column(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "title:\n  tl: Ganito: ayos\n")
    problems = Problems()
    assert load_document(path, problems) is None
    [problem] = problems.items
    assert problem.line == 2
    assert problem.message.startswith("invalid YAML: mapping values are not allowed")


def test_strings_are_nfc_normalised(tmp_path: Path):
    decomposed = unicodedata.normalize("NFD", "müştəri İş")
    assert decomposed != "müştəri İş"
    path = write(tmp_path / "x.yaml", f"title: {decomposed}\n")
    doc = load_document(path, Problems())
    assert doc.data["title"] == "müştəri İş"


def test_positions_point_at_keys_and_list_items(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "steps:\n  - tl: a\n    en: b\n  - tl: c\n")
    doc = load_document(path, Problems())
    assert doc.position(("steps",)) == (1, 1)
    assert doc.position(("steps", 1)) == (4, 5)
    assert doc.position(("steps", 0, "en")) == (3, 5)
    # A field that is not there points at its nearest ancestor.
    assert doc.position(("steps", 1, "az")) == (4, 5)


def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "title: !!python/object:os.system {}\n")
    problems = Problems()
    assert load_document(path, problems) is None
    assert "invalid YAML value" in problems.items[0].message


def test_misplaced_files_are_reported_not_ignored(content: Path):
    write(content / "tactics" / "typo.yml", "title: x\n")
    write(content / "stray.yaml", "title: x\n")
    problems = Problems()
    load_tree(content, problems)
    messages = {p.path.name: p.message for p in problems.items}
    assert "'.yaml', not '.yml'" in messages["typo.yml"]
    assert messages["stray.yaml"].startswith("unexpected file")


# --- values PyYAML cannot construct: one error each, never a traceback ------

UNREADABLE_VALUES = [
    ("order: 2024-13-45\n", "1:8", "'2024-13-45' reads as a date in YAML but is not a valid one "
     "(month must be in 1..12); put it in quotes if it is meant as text"),
    ("order: !!int abc\n", "1:8", "'abc' is tagged as a whole number but is not a valid one"),
    ("order: " + "9" * 5000 + "\n", "1:8", "reads as a whole number in YAML but is not a valid one"),
    ("order: !!float x\n", "1:8", "'x' is tagged as a number but is not a valid one"),
    ("order: !!binary 'a'\n", "1:8", "'a' is tagged as base64 data but is not a valid one"),
    ("order: !!timestamp nonsense\n", "1:8", "'nonsense' is tagged as a date but is not a valid one"),
    ("order: !!bool maybe\n", "1:8", "'maybe' is tagged as true/false but is not a valid one"),
    ("order: !!int ''\n", "1:8", "'' is tagged as a whole number but is not a valid one"),
    ("order: 2024-01-01 10:00:00 +99:00\n", "1:8", "reads as a date in YAML but is not a valid one"),
    ("title:\n  en: !!python/name:os.system x\n", "2:7", "invalid YAML value: unsupported tag '!!python/name:os.system'"),
    ("<<: {title: x}\n", "1:1", "merge keys ('<<') are not supported"),
    ("a: &x [*x]\n", "1:8", "the alias *x is inside the value it names (&x), so that value would "
     "contain itself forever"),
    ("a: &x {b: *x}\n", "1:11", "the alias *x is inside the value it names"),
    ("[" * 10_000 + "\n", "1:33", "nested more than 32 levels deep"),
    ("".join(f"{' ' * 2 * i}k{i}:\n" for i in range(40)), "32:63", "nested more than 32 levels deep"),
]


@pytest.mark.parametrize("body, where, message", UNREADABLE_VALUES)
def test_values_yaml_cannot_read_are_one_error_each(tmp_path: Path, body: str, where: str, message: str):
    path = write(tmp_path / "x.yaml", body)
    problems = Problems()
    assert load_document(path, problems) is None
    [problem] = problems.items
    assert f"{problem.line}:{problem.column}" == where
    assert message in problem.message
    assert len(problem.message) < 300


def test_every_unreadable_value_in_a_file_is_reported(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "a: 2024-13-45\nb: !!int x\nc: !!float y\n")
    problems = Problems()
    assert load_document(path, problems) is None
    assert [p.line for p in problems.items] == [1, 2, 3]


def test_check_reports_every_bad_file_in_one_run(content: Path, tmp_path: Path):
    bad = {f"tactics/bad-{i}.yaml": body for i, (body, _, _) in enumerate(UNREADABLE_VALUES)}
    for rel, body in bad.items():
        write(content / rel, body)
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert sorted(line.split(":")[0] for line in errors) == sorted(f"content/{rel}" for rel in bad)


# --- limits: nothing in a file can exhaust the machine ----------------------


def test_an_alias_bomb_is_stopped_at_the_alias_budget(tmp_path: Path):
    levels = [f"l0: &l0 [{', '.join(['lol'] * 9)}]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = write(tmp_path / "x.yaml", "\n".join(levels) + "\n")
    problems = Problems()
    started = time.monotonic()
    assert load_document(path, problems) is None
    assert time.monotonic() - started < 5
    [problem] = problems.items
    # The 17th alias: the 8th on line 3.
    assert (problem.line, problem.column) == (3, 10 + 5 * 7)
    assert f"more than {MAX_ALIASES} aliases (*name) in one file" in problem.message


def test_aliases_within_budget_cannot_expand_past_the_node_budget(tmp_path: Path):
    items = MAX_NODES // MAX_ALIASES + 1
    body = f"a: &a [{', '.join(['x'] * items)}]\nb: [{', '.join(['*a'] * MAX_ALIASES)}]\n"
    path = write(tmp_path / "x.yaml", body)
    problems = Problems()
    assert load_document(path, problems) is None
    [problem] = problems.items
    assert problem.line == 1
    assert f"more than {MAX_NODES:,} values once aliases are expanded" in problem.message


def test_a_few_aliases_are_fine(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "a: &a [x, y]\nb: [*a, *a]\n")
    doc = load_document(path, Problems())
    assert doc.data == {"a": ["x", "y"], "b": [["x", "y"], ["x", "y"]]}


def test_nesting_up_to_the_limit_is_read(tmp_path: Path):
    path = write(tmp_path / "x.yaml", "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    problems = Problems()
    assert load_document(path, problems) is not None
    assert problems.items == []
    write(path, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n")
    assert load_document(path, problems) is None


def test_aliases_cannot_nest_past_the_depth_limit(tmp_path: Path):
    # Each alias sits 8 levels deep in the value the next one names.
    lines = ["a0: &a0 x"] + [f"a{i}: &a{i} {'[' * 8}*a{i - 1}{']' * 8}" for i in range(1, 6)]
    path = write(tmp_path / "x.yaml", "\n".join(lines) + "\n")
    problems = Problems()
    assert load_document(path, problems) is None
    assert "nested more than 32 levels deep once aliases are expanded" in problems.items[0].message


@pytest.mark.parametrize("size", [MAX_FILE_BYTES + 1, 50 * 2**20])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch, size: int):
    path = tmp_path / "x.yaml"
    with path.open("wb") as f:
        f.truncate(size)  # sparse: costs no disk
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    problems = Problems()
    assert load_document(path, problems) is None
    assert reads == []
    [problem] = problems.items
    assert (problem.line, problem.column) == (1, 1)
    assert f"the file is {size:,} bytes; a content file is at most 256 KiB" in problem.message


def test_a_file_at_the_size_limit_is_read(tmp_path: Path):
    head = "title: x\n"
    path = write(tmp_path / "x.yaml", head + "#" * (MAX_FILE_BYTES - len(head) - 1) + "\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    problems = Problems()
    assert load_document(path, problems).data == {"title": "x"}
    assert problems.items == []


def test_the_size_limit_is_at_least_twenty_times_the_largest_content_file():
    # Files a command writes (translations.yaml) are not content an author
    # writes; tests/test_status.py bounds the store's size.
    written = {single.name for single in FILES if single.written_by}
    largest = max(p.stat().st_size for p in (ROOT / "content").rglob("*.yaml")
                  if p.name not in written)
    assert MAX_FILE_BYTES >= 20 * largest


# --- strings no page can hold ----------------------------------------------


@pytest.mark.parametrize("escape, code", [
    ("\\ud800", "U+D800"), ("\\udfff", "U+DFFF"), ("\\0", "U+0000"), ("\\a", "U+0007"),
    ("\\e", "U+001B"), ("\\x7f", "U+007F"), ("\\N", "U+0085"), ("\\x9f", "U+009F"),
    ("\\x0b", "U+000B"), ("\\f", "U+000C"),
])
def test_surrogates_and_control_characters_are_refused(tmp_path: Path, escape: str, code: str):
    path = write(tmp_path / "x.yaml", f'title:\n  en: "ab{escape}"\n')
    problems = Problems()
    load_document(path, problems)
    [problem] = problems.items
    assert (problem.line, problem.column) == (2, 7)
    assert f"text contains" in problem.message and code in problem.message
    assert "(character 3 of the text)" in problem.message


def test_tabs_and_line_breaks_are_fine(tmp_path: Path):
    path = write(tmp_path / "x.yaml", 'title:\n  en: "a\\tb\\nc\\rd"\n')
    problems = Problems()
    assert load_document(path, problems).data == {"title": {"en": "a\tb\nc\rd"}}
    assert problems.items == []


def test_a_surrogate_fails_check_not_a_later_build(content: Path, tmp_path: Path):
    tactic = write(content / "tactics/stay-calm.yaml",
                   TACTIC_YAML.replace("en: Stay calm", 'en: "Stay \\ud83d calm"'))
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = tactic.read_text().splitlines().index('  en: "Stay \\ud83d calm"') + 1
    assert result.stderr.startswith(f"content/tactics/stay-calm.yaml:{line}:7: error: text contains "
                                    "U+D83D, half of a UTF-16 surrogate pair")
