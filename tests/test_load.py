import unicodedata
from pathlib import Path

from conftest import write
from generator.load import load_document, load_tree
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
