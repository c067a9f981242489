"""Texts and labels a reader would not see, and browser codes that are not language tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_validate import edit

# (file, line to replace, replacement, the field the error names)
INVISIBLE = [
    ("tactics/stay-calm.yaml", "  en: Stay calm", '  en: "\\u200b\\u200b"', "title.en"),
    # A text's error names the text, and which language is empty.
    ("tactics/stay-calm.yaml", "  en: Keep calm.", "  en: '[](https://example.org/)'", "summary"),
    ("guides/basics.yaml", "      en: Text.", '      en: "\\u2060 \\u200d"', "sections[0].body"),
    ("languages.yaml", "    print: Print EN", '    print: ""', "languages[2].labels.print"),
    ("languages.yaml", "    native_name: English", '    native_name: "\\u200b"', "languages[2].native_name"),
    ("customer-types/angry.yaml", "    expert: Jane Doe, Example Ltd", '    expert: ""', "sources[0].expert"),
    ("languages.yaml", "    native_name: English", "    native_name: English\n    browser_codes: ['*']",
     "languages[2].browser_codes[0]"),
    ("languages.yaml", "    native_name: English",
     "    native_name: English\n    browser_codes: ['en\"</script>']", "languages[2].browser_codes[0]"),
]


@pytest.mark.parametrize("rel, old, new, field", INVISIBLE)
def test_what_a_reader_would_not_see_is_an_error(content: Path, rel, old, new, field):
    edit(content / rel, old, new)
    result = run_cli("check", "--content", "content", cwd=content.parent)
    assert result.returncode == 1, result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"content/{rel}:") and f": error: {field}: " in first, result.stderr


@pytest.mark.parametrize("new", ["  en: '— 👍'", "  en: '**Stay** calm'", "  en: '<b>'",
                                 "  en: '* *'", "  en: '__ ** __'",
                                 # not a rule: a rule is no part of the subset, so it shows
                                 "  en: '****'"])
def test_a_title_with_anything_visible_is_fine(content: Path, new):
    edit(content / "tactics/stay-calm.yaml", "  en: Stay calm", new)
    assert run_cli("check", "--content", "content", cwd=content.parent).returncode == 0
