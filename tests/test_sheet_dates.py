"""Each cheat sheet shows the date of what it is made from, not of the whole content,
so that a change to one type leaves every other sheet (and its cached PDF) as it was."""

from __future__ import annotations

import calendar
import os
import subprocess
from pathlib import Path

from conftest import CUSTOMER_TYPE_YAML, TINY_TREE, write
from generator import build as build_module
from generator.content import read_content
from generator.render import Renderer

CALM_YAML = CUSTOMER_TYPE_YAML.replace("Angry customer", "Calm customer")
BANK_YAML = TINY_TREE["phrases/greetings.yaml"].replace("calm-greeting", "calm-farewell")


def tree(root: Path) -> Path:
    content = root / "content"
    for rel, body in {**TINY_TREE, "customer-types/calm.yaml": CALM_YAML.replace(
            "calm-greeting", "calm-farewell"), "phrases/farewells.yaml": BANK_YAML}.items():
        write(content / rel, body)
    return content


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{date}T12:00:00Z"
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def dates_and_calls(content: Path, monkeypatch) -> tuple[dict[str, str], int]:
    calls = []
    real = subprocess.run
    monkeypatch.setattr(build_module.subprocess, "run",
                        lambda args, **kw: calls.append(args) or real(args, **kw))
    return build_module._file_dates(content), len(calls)


def test_sheet_dates_come_from_each_files_last_commit_in_one_git_call(tmp_path: Path, monkeypatch):
    content = tree(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "all", date="2026-01-02")
    write(content / "customer-types" / "calm.yaml", CALM_YAML.replace(
        "calm-greeting", "calm-farewell").replace("A loud voice.", "A quiet voice."))
    git(tmp_path, "commit", "-q", "-am", "calm", date="2026-03-04")
    write(content / "phrases" / "farewells.yaml", BANK_YAML.replace("Good day.", "Goodbye."))
    git(tmp_path, "commit", "-q", "-am", "farewells", date="2026-05-06")
    write(content / "guides" / "new.yaml", TINY_TREE["guides/basics.yaml"])  # not committed
    moment = calendar.timegm((2026, 7, 8, 9, 0, 0))
    os.utime(content / "guides" / "new.yaml", (moment, moment))

    dates, calls = dates_and_calls(content, monkeypatch)
    assert calls == 1
    assert dates["customer-types/angry.yaml"] == "2026-01-02"
    assert dates["customer-types/calm.yaml"] == "2026-03-04"
    assert dates["phrases/farewells.yaml"] == "2026-05-06"
    assert dates["guides/new.yaml"] == "2026-07-08"

    renderer = Renderer(read_content(content), file_dates=dates)
    assert renderer.sheet_sources("angry") == [
        "customer-types/angry.yaml", "languages.yaml", "phrases/greetings.yaml"]
    assert renderer.sheet_date("angry") == renderer.sheet_date("angry-bilingual") == "2026-01-02"
    # calm quotes the farewells, changed last of its files.
    assert renderer.sheet_date("calm") == renderer.sheet_date("calm-bilingual") == "2026-05-06"
    assert renderer.sheet_date("pocket-summary") == "2026-05-06"
    for sheet in renderer.cheat_sheets("en")[1:]:
        sheet_id = sheet.path.split("/")[1]
        assert f"Content As Of EN {renderer.sheet_date(sheet_id)}" in sheet.text


def test_outside_git_a_sheet_is_dated_by_its_newest_file(tmp_path: Path, monkeypatch):
    content = tree(tmp_path)
    for n, path in enumerate(sorted(content.rglob("*.yaml"))):
        moment = calendar.timegm((2025, 1, 1 + n, 0, 0, 0))
        os.utime(path, (moment, moment))
    newer = calendar.timegm((2025, 6, 30, 23, 0, 0))
    os.utime(content / "customer-types" / "calm.yaml", (newer, newer))
    dates, _ = dates_and_calls(content, monkeypatch)
    renderer = Renderer(read_content(content), file_dates=dates)
    assert renderer.sheet_date("calm") == renderer.sheet_date("pocket-summary") == "2025-06-30"
    assert renderer.sheet_date("angry") == max(
        dates[f] for f in ("customer-types/angry.yaml", "languages.yaml", "phrases/greetings.yaml"))
    assert renderer.sheet_date("angry") < "2025-06-30"
