"""A build that MkDocs fails because of content says first which content file and field.

`check` now refuses what MkDocs used to fail on (links to missing pages and
headings, generator/page_links.py), so the build stops before MkDocs with the
same first line; the tracing itself is tested on MkDocs' words below."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE_CONFIG, run_cli
from generator.trace import explain
from test_validate import edit

# Where each broken link is written, the field it is in, and the link.
BROKEN_LINKS = [
    ("tactics/stay-calm.yaml", "  en: Keep calm.", "summary.en", "../guides/nope.md"),
    ("guides/basics.yaml", "      en: Text.", "sections[0].body.en", "basics.md#nope"),
    ("customer-types/angry.yaml", "    en: Listen.", "do[0].en", "/guides/nope.md"),
    ("phrases/greetings.yaml", "      en: At the start.", "phrases[0].when.en",
     "../guides/basics.md#nope"),
]


@pytest.mark.parametrize("rel, line, field, link", BROKEN_LINKS)
def test_a_broken_link_in_content_is_reported_at_its_field(content: Path, rel, line, field, link):
    edit(content / rel, line, line + f" See [the guide]({link}).")
    written = (content / rel).read_text(encoding="utf-8").splitlines()
    expected_line = next(i for i, text in enumerate(written, 1) if "nope" in text)
    out = content.parent / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out),
                     "--config", str(BASE_CONFIG), cwd=content.parent,
                     env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"content/{rel}:{expected_line}:"), result.stderr
    assert f": error: {field}: links to '{link}'" in first, first
    assert "nothing was built" in result.stderr and "[en]" not in result.stderr
    assert not out.exists()


def test_a_report_no_field_explains_names_the_pages_content_file(tmp_path: Path):
    output = "WARNING -  Doc file 'tactics/stay-calm.md' has a problem nobody wrote\n"
    lines = explain(output, "az", tmp_path, {"tactics/stay-calm.md": "tactics/stay-calm.yaml"})
    assert lines[0].endswith("tactics/stay-calm.yaml:1:1: error: the az page made from this "
                             "file: has a problem nobody wrote")
    assert lines[1] == "[az] WARNING -  Doc file 'tactics/stay-calm.md' has a problem nobody wrote"


def test_one_field_shown_on_many_pages_is_reported_once(content: Path):
    output = "".join(
        f"WARNING -  Doc file '{page}' contains a link 'x.md', but the target is not found.\n"
        for page in ("tactics/stay-calm.md", "tactics/index.md", "customer-types/angry.md"))
    edit(content / "tactics/stay-calm.yaml", "  en: Keep calm.", "  en: Keep calm [x](x.md).")
    lines = explain(output, "en", content, {})
    assert sum(": error: summary.en: " in line for line in lines) == 1
    assert sum(line.startswith("[en] WARNING - ") for line in lines) == 3


def test_a_report_about_the_config_blames_no_content_file(content: Path):
    """MkDocs quotes a setting's name; content holding the same word is not at fault."""
    edit(content / "tactics/stay-calm.yaml", "  en: Keep calm.", "  en: Keep calm, x.")
    output = "ERROR   -  Config value 'x': Unrecognised configuration name: x\n"
    assert explain(output, "en", content, {}) == [
        "[en] ERROR   -  Config value 'x': Unrecognised configuration name: x"]


def test_words_in_two_files_are_blamed_on_the_pages_own_file(content: Path):
    # languages.yaml and customer-types/ are read before tactics/.
    edit(content / "customer-types/angry.yaml", "    en: Listen.", "    en: Listen [x](x.md).")
    edit(content / "tactics/stay-calm.yaml", "  en: Keep calm.", "  en: Keep calm [x](x.md).")
    output = "WARNING -  Doc file 'tactics/stay-calm.md' contains a link 'x.md', but the target is not found.\n"
    lines = explain(output, "en", content, {"tactics/stay-calm.md": "tactics/stay-calm.yaml"})
    assert "tactics/stay-calm.yaml:" in lines[0] and ": error: summary.en: " in lines[0]
