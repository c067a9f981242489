"""`check --translations`: coverage per language, every gap named by file, line and field."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_cli
from test_validate import edit, line_of


def test_complete_tree_reports_100_percent_and_exits_0(content: Path, tmp_path: Path):
    result = run_cli("check", "--content", str(content), "--translations", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # The tiny tree has 20 texts: 1 source title, 7 in the customer type, 4 each in
    # the tactic, the phrase bank and the guide (conftest.TINY_TREE).
    assert "Translations: tl 100.0% (20/20), az 100.0% (20/20), en 100.0% (20/20)" in result.stdout


def test_missing_translations_are_listed_and_exit_1(content: Path, tmp_path: Path):
    tactic = content / "tactics/stay-calm.yaml"
    why_line = line_of(tactic, "why:")
    edit(tactic, "  az: Sakitlik yoluxur.\n", "")
    edit(tactic, "    tl: Huminga.\n", "")
    result = run_cli("check", "--content", str(content), "--translations", cwd=tmp_path)
    assert result.returncode == 1
    assert "Translations: tl 95.0% (19/20), az 95.0% (19/20), en 100.0% (20/20)" in result.stdout
    assert (f"content/tactics/stay-calm.yaml:{why_line}:1: why: no az text yet; "
            "the az site shows the en text there") in result.stdout
    assert "content/tactics/stay-calm.yaml:" in result.stdout and ": steps[0]: no tl text yet" in result.stdout
    assert "Not fully translated: tl, az." in result.stderr


def test_plain_check_does_not_report_coverage(content: Path, tmp_path: Path):
    edit(content / "tactics/stay-calm.yaml", "  az: Sakitlik yoluxur.\n", "")
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 0
    assert "Translations" not in result.stdout


def test_the_knowledge_base_is_fully_translated(tmp_path: Path):
    result = run_cli("check", "--content", str(ROOT / "content"), "--translations", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
