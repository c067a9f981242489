"""tests/synthetic.py, the content `make bench` builds at scale: valid, in the real
content's proportions, the same every time, every text in every language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import LANGS, ROOT, run_cli
from synthetic import PHRASES, counts, generate, write_tree

from generator.layout import FILES, KIND_BY_KEY, KINDS

REAL = {kind.key: len(list((ROOT / "content" / kind.folder).glob("*.yaml"))) for kind in KINDS}


def test_nine_types_come_with_as_much_as_the_real_content():
    real_phrases = sum(len(yaml.safe_load(p.read_text("utf-8"))["phrases"])
                       for p in (ROOT / "content" / KIND_BY_KEY["phrase_banks"].folder).glob("*.yaml"))
    assert counts(REAL["customer_types"]) == {**REAL, PHRASES: real_phrases}


@pytest.mark.parametrize("n, expected", [
    # customer types, tactics (41/21), phrase banks (16/21), guides (7/21), phrases (166/21),
    # rounded half up, at least one
    (1, (1, 2, 1, 1, 8)),
    (2, (2, 4, 2, 1, 16)),
    (10, (10, 20, 8, 3, 79)),
    (100, (100, 195, 76, 33, 790)),
    (1000, (1000, 1952, 762, 333, 7905)),
])
def test_counts_keep_the_real_proportions(n: int, expected: tuple[int, ...]):
    assert tuple(counts(n).values()) == expected


@pytest.mark.parametrize("n", [1, 2, 10])
def test_the_tree_passes_check_with_the_counts_promised(tmp_path: Path, n: int):
    made = write_tree(n, tmp_path / "content")
    result = run_cli("check", "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    said = ", ".join(f"{made[kind.key]} {kind.plural}" for kind in KINDS)
    assert said.replace(" phrase banks,", f" phrase banks, {made[PHRASES]} phrases,") in result.stdout
    content = tmp_path / "content"
    assert {p.name for p in content.iterdir()} == {k.folder for k in KINDS} | {f.name for f in FILES if not f.written_by}
    for kind in KINDS:
        assert len(list((content / kind.folder).glob("*.yaml"))) == made[kind.key] >= 1


def test_the_tree_builds_and_its_copied_links_lead_to_copies(tmp_path: Path):
    # What the bench does with it: `check` passing is not enough if the build fails.
    write_tree(10, tmp_path / "content")
    result = run_cli("build", "--content", "content", "--out", "site", "--lang", "en",
                     "--config", str(ROOT / "mkdocs.yml"), cwd=tmp_path, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    linked = [text for path in sorted((tmp_path / "content").rglob("*.yaml"))
              for text in [path.read_text("utf-8")] if ".md)" in text]
    assert linked, "the real guides link pages: some copies must too"
    for text in linked:
        for target in re.findall(r"\]\(([^)]*\.md)\)", text):
            assert re.search(r"-\d+\.md$", target), f"{target}: a link to a real entry, not its copy"


def test_the_same_n_writes_the_same_bytes(tmp_path: Path):
    trees = []
    for run in ("a", "b"):
        write_tree(10, tmp_path / run)
        trees.append({p.relative_to(tmp_path / run): p.read_bytes()
                      for p in sorted((tmp_path / run).rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert generate(11) != generate(10)


def _texts(value, where: str):
    """Every mapping in `value` that holds a text, with where it is (a term's
    `forms`, language -> list of words, is not a text)."""
    if isinstance(value, dict):
        if set(value) & set(LANGS) and not any(isinstance(item, list) for item in value.values()):
            yield where, value
        else:
            for key, item in value.items():
                yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def test_every_text_is_in_every_language_and_every_entry_is_used():
    tree = generate(10)
    used: set[str] = set()
    assert [lang["code"] for lang in yaml.safe_load(tree["languages.yaml"])["languages"]] == list(LANGS)
    for rel, body in tree.items():
        if rel == "languages.yaml":
            continue  # its labels are one block per language, checked by the validator
        data = yaml.safe_load(body)
        found = list(_texts(data, rel))
        assert found, rel
        for where, text in found:
            assert set(text) == set(LANGS) and all(s.strip() for s in text.values()), where
        if rel.startswith(KIND_BY_KEY["customer_types"].folder + "/"):
            used |= set(data["tactics"]) | set(data["phrases"])
            assert set(data["cheat_sheet"]) <= set(data["phrases"]) and len(data["cheat_sheet"]) == 4
    tactics = {Path(rel).stem for rel in tree if rel.startswith(KIND_BY_KEY["tactics"].folder + "/")}
    phrases = {phrase["id"] for rel, body in tree.items()
               if rel.startswith(KIND_BY_KEY["phrase_banks"].folder + "/")
               for phrase in yaml.safe_load(body)["phrases"]}
    assert tactics | phrases == used


def test_the_command_line_wants_a_number_and_a_new_folder(tmp_path: Path):
    def synthetic(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "tests" / "synthetic.py"), *args],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)

    for args in ([], ["0", "out"], ["ten", "out"], ["1"]):
        result = synthetic(*args)
        assert result.returncode == 2 and "usage: python tests/synthetic.py N OUT_DIR" in result.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("")
    result = synthetic("1", "full")
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    result = synthetic("1", "new")
    assert result.returncode == 0, result.stderr
    assert "1 customer types, 2 tactics" in result.stdout
    assert (tmp_path / "new" / "languages.yaml").is_file()
