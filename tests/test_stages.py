"""The build times each of its stages, and builds as many languages at once as asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE_CONFIG, run_cli

from generator import build as build_module
from generator.build import build
from generator.stages import IN_MKDOCS, OWN_STAGES, STAGES


def test_every_stage_is_timed(content: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(build_module, "missing_engine", lambda: "no PDFs in this test")
    report = build(content, tmp_path / "site", BASE_CONFIG, jobs=1)
    assert list(report.stages) == list(STAGES)
    assert all(isinstance(s, float) and s >= 0 for s in report.stages.values()), report.stages
    assert report.stages["mkdocs"] > 0
    # Stages inside MkDocs lie within its seconds (one language at a time here).
    outside = sum(v for stage, v in report.stages.items() if stage not in IN_MKDOCS)
    assert outside <= report.seconds
    assert sum(report.stages[stage] for stage in IN_MKDOCS) <= report.stages["mkdocs"]
    assert all(report.stages[stage] > 0 for stage in IN_MKDOCS), report.stages
    assert set(OWN_STAGES) < set(STAGES)
    assert [r.code for r in report.languages] == ["tl", "az", "en"]
    assert all(r.search_bytes > 0 for r in report.languages)


def test_jobs_must_be_one_or_more(content: Path, tmp_path: Path):
    with pytest.raises(ValueError, match="at least 1"):
        build(content, tmp_path / "site", BASE_CONFIG, jobs=0)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("jobs, said", [
    ("0", "must be at least 1 (how many languages build at once), not 0"),
    ("-2", "must be at least 1 (how many languages build at once), not -2"),
    ("x", "'x' is not a whole number"),
])
def test_jobs_on_the_command_line_is_a_usage_error_below_one(content: Path, jobs: str, said: str):
    result = run_cli("build", "--content", "content", "--out", "site", "--config",
                     str(BASE_CONFIG), "--jobs", jobs, cwd=content.parent)
    assert result.returncode == 2
    assert f"argument --jobs: {said}" in result.stderr
    assert not (content.parent / "site").exists()
