"""The base config and the build's flags: every mistake is one line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE_CONFIG, run_cli
from test_output import PDFS_OFF, tree_state

GOOD = BASE_CONFIG.read_text(encoding="utf-8")


def with_site_url(value: str) -> str:
    return GOOD.replace("site_name: Hinahon\n", f"site_name: Hinahon\nsite_url: {value}\n")


# (how the config is broken, the start of the one line the build prints)
BROKEN = {
    "YAML syntax": ("site_name: [Hinahon\n", "conf/mkdocs.yml:2:1: error: YAML syntax: "),
    "a list": ("- site_name\n- Hinahon\n", "conf/mkdocs.yml:1:1: error: expected a mapping"),
    "a single value": ("Hinahon\n", "conf/mkdocs.yml:1:1: error: expected a mapping"),
    "not UTF-8": (b"site_name: Hinahon\xff\n", "config: error: conf/mkdocs.yml: is not UTF-8 text"),
    "a folder": (None, "config: error: conf/mkdocs.yml: is a folder, not a file"),
    "empty": ("", "conf/mkdocs.yml:1:1: error: the file is empty"),
    "only a comment": ("# nothing\n", "conf/mkdocs.yml:1:1: error: the file is empty"),
    "INHERIT": ("INHERIT: /etc/passwd\n" + GOOD, "conf/mkdocs.yml:1:10: error: INHERIT: "),
    **{f"site_url {label}": (with_site_url(value), "conf/mkdocs.yml:11:11: error: site_url: expected ")
       for label, value in {
           "a number": "42",
           "a list": "[https://example.org/]",
           "a mapping": "{url: https://example.org/}",
           "javascript:": "'javascript:alert(1)'",
           "ftp": "ftp://example.org/",
           "no scheme": "example.org/hinahon/",
           "no host": "'https:///hinahon/'",
           "a space": "'https://example.org/hina hon/'",
           "a double quote": "'https://example.org/\"x'",
           "a single quote": "\"https://example.org/'x\"",
           "angle brackets": "'https://example.org/<x>'",
           "a backslash": "'https://example.org\\\\x/'",
           "a query": "'https://example.org/?a=1'",
           "user info": "'https://user:secret@example.org/'",
           "a control character": '"https://example.org/\\tx/"',
       }.items()},
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_config_is_one_line_and_builds_nothing(content: Path, case: str):
    body, message = BROKEN[case]
    config = content.parent / "conf" / "mkdocs.yml"
    if body is None:
        config.mkdir(parents=True)
    else:
        config.parent.mkdir()
        config.write_bytes(body if isinstance(body, bytes) else body.encode())
    before = tree_state(content.parent)
    result = run_cli("build", "--content", "content", "--config", "conf/mkdocs.yml",
                     cwd=content.parent, env=PDFS_OFF)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.stderr
    assert tree_state(content.parent) == before


@pytest.mark.parametrize("value", [
    "https://example.org/hinahon", "https://example.org/hinahon/", "http://127.0.0.1:8000",
])
def test_site_url_ends_in_one_slash(tmp_path: Path, value: str):
    from generator.config import read_base_config

    config = tmp_path / "mkdocs.yml"
    config.write_text(with_site_url(value), encoding="utf-8")
    assert read_base_config(config).site_url == value.rstrip("/") + "/"


def test_mkdocs_tags_are_read_past(tmp_path: Path):
    from generator.config import read_base_config

    config = tmp_path / "mkdocs.yml"
    config.write_text(GOOD + "extra:\n  key: !ENV [HINAHON_NOPE, x]\n"
                      "hooks: !!python/name:os.getcwd\n", encoding="utf-8")
    assert read_base_config(config).site_url is None
    assert read_base_config(BASE_CONFIG).site_url is None


@pytest.mark.parametrize("langs, message", [
    (["en", "en"], "--lang: en given more than once"),
    (["tl", "az", "tl", "az"], "--lang: tl, az given more than once"),
    (["fr"], "--lang: unknown language(s) fr"),
])
def test_lang_mistakes_are_usage_errors(content: Path, langs: list[str], message: str):
    result = run_cli("build", "--content", "content", "--config", str(BASE_CONFIG), "--lang", *langs,
                     cwd=content.parent,
                     env=PDFS_OFF)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("usage:") and message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in content.parent.iterdir()) == ["content"]
