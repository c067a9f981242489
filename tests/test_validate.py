"""Each kind of bad input: its message, file and line, exit 1, no traceback."""

from pathlib import Path

import pytest

from conftest import BASE_CONFIG, run_cli, write
from generator.content import read_content
from generator.problems import ContentError


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(content)
    return [p.format() for p in caught.value.problems]


def line_of(path: Path, snippet: str) -> int:
    """1-based line where `snippet` first occurs, found by plain text search."""
    body = path.read_text(encoding="utf-8")
    assert snippet in body, f"test setup: {snippet!r} not in {path.name}"
    return body[: body.index(snippet)].count("\n") + 1


def edit(path: Path, old: str, new: str) -> None:
    body = path.read_text(encoding="utf-8")
    assert old in body, f"test setup: {old!r} not in {path.name}"
    path.write_text(body.replace(old, new, 1), encoding="utf-8")


def test_the_tiny_tree_is_valid(content: Path):
    kb = read_content(content)
    assert list(kb.customer_types) == ["angry"]
    assert kb.tactic_users == {"stay-calm": ["angry"]}
    assert kb.phrase_users == {"calm-greeting": ["angry"]}


def test_unknown_field_suggests_the_right_one(content: Path):
    tactic = content / "tactics/stay-calm.yaml"
    edit(tactic, "summary:", "sumary:")
    messages = problems_of(content)
    line = line_of(tactic, "sumary:")
    assert any(
        m.endswith(f"tactics/stay-calm.yaml:{line}:1: error: sumary: unknown field 'sumary' "
                   "(did you mean 'summary'?); expected one of: title, summary, order, "
                   "sources, why, steps, pitfalls")
        for m in messages
    ), messages
    # The misspelt field also leaves `summary` missing, reported at the top.
    assert any("stay-calm.yaml:1:1: error: summary: missing required field" in m for m in messages)


def test_missing_default_language(content: Path):
    edit(content / "tactics/stay-calm.yaml", "  en: Stay calm\n", "")
    [message] = problems_of(content)
    assert message.endswith(
        "tactics/stay-calm.yaml:1:1: error: title: missing the 'en' text; every text needs one "
        "in the default language, which readers see wherever a translation is missing"
    )


def test_missing_other_language_is_not_an_error(content: Path):
    # The page falls back to English; `check --translations` reports the gap.
    edit(content / "tactics/stay-calm.yaml", "  az: Sakit qalın\n", "")
    assert read_content(content).tactics["stay-calm"].title == {"tl": "Manatiling kalmado",
                                                               "en": "Stay calm"}


def test_unknown_language(content: Path):
    edit(content / "tactics/stay-calm.yaml", "  en: Stay calm\n", "  en: Stay calm\n  fr: Restez calme\n")
    [message] = problems_of(content)
    assert "stay-calm.yaml:1:1: error: title: unknown language 'fr'" in message


def test_wrong_types(content: Path):
    tactic, guide = content / "tactics/stay-calm.yaml", content / "guides/basics.yaml"
    customer_type = content / "customer-types/angry.yaml"
    edit(tactic, "why:", "why: 12\nwhy_unused:")
    edit(guide, "sections:", "order: soon\nsections:")
    edit(customer_type, "tactics:\n  - stay-calm", "tactics: stay-calm")
    messages = "\n".join(problems_of(content))
    assert (f"stay-calm.yaml:{line_of(tactic, 'why: 12')}:1: error: why: expected a text with "
            "one entry per language (tl: ..., az: ..., en: ...), got a number (12)") in messages
    assert (f"guides/basics.yaml:{line_of(guide, 'order:')}:1: error: order: expected a whole "
            "number, got a string ('soon')") in messages
    assert (f"angry.yaml:{line_of(customer_type, 'tactics:')}:1: error: tactics: expected a "
            "list (lines starting with '- ')") in messages


def test_yes_is_not_text(content: Path):
    tactic = content / "tactics/stay-calm.yaml"
    edit(tactic, "  en: Stay calm", "  en: yes")
    [message] = problems_of(content)
    assert f"stay-calm.yaml:{line_of(tactic, 'en: yes')}:3: error: title.en: expected text, got true/false (true)" in message


@pytest.mark.parametrize("bad_id", ["../x", "Upper", "two words"])
def test_bad_ids_in_references(content: Path, bad_id: str):
    customer_type = content / "customer-types/angry.yaml"
    edit(customer_type, "  - stay-calm", f"  - '{bad_id}'")
    line = line_of(customer_type, bad_id)
    messages = problems_of(content)
    assert any(
        f"angry.yaml:{line}:5: error: tactics[0]: {bad_id!r} is not a valid id" in m
        for m in messages
    ), messages


@pytest.mark.parametrize("stem", ["Upper", "two words", "under_score"])
def test_bad_ids_in_file_names(content: Path, stem: str):
    (content / "tactics/stay-calm.yaml").rename(content / f"tactics/{stem}.yaml")
    messages = problems_of(content)
    assert any(f"{stem}.yaml:1:1: error: file name '{stem}.yaml' is not a valid id" in m
               for m in messages), messages


def test_an_id_longer_than_the_limit_is_refused_everywhere(content: Path):
    from generator.model import MAX_ID_LENGTH
    long_id = "a" * (MAX_ID_LENGTH + 1)
    (content / "tactics/stay-calm.yaml").rename(content / f"tactics/{long_id}.yaml")
    edit(content / "phrases/greetings.yaml", "id: calm-greeting", f"id: {'p' * (MAX_ID_LENGTH + 1)}")
    messages = problems_of(content)
    assert any(f"tactics/{long_id}.yaml:1:1: error: file name '{long_id}.yaml' is 65 characters "
               f"long, more than the {MAX_ID_LENGTH} an id may have" in m for m in messages), messages
    assert any("greetings.yaml:" in m and "phrases[0].id: 'ppp" in m and "is 65 characters long" in m
               for m in messages), messages


def test_the_longest_id_builds_with_its_sheets(content: Path, tmp_path: Path):
    from generator.model import MAX_ID_LENGTH
    longest = "b" * MAX_ID_LENGTH
    (content / "customer-types/angry.yaml").rename(content / f"customer-types/{longest}.yaml")
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"), "--lang", "en",
                     "--config", str(BASE_CONFIG), cwd=tmp_path, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/en/cheatsheets" / f"{longest}-bilingual" / "index.html").is_file()


def test_bad_phrase_id_inside_a_bank(content: Path):
    bank = content / "phrases/greetings.yaml"
    edit(bank, "id: calm-greeting", "id: Calm_Greeting")
    line = line_of(bank, "id: Calm_Greeting")
    messages = problems_of(content)
    assert any(f"greetings.yaml:{line}:5: error: phrases[0].id: 'Calm_Greeting' is not a valid id"
               in m for m in messages), messages


def test_dangling_references_suggest_the_nearest_id(content: Path):
    customer_type = content / "customer-types/angry.yaml"
    edit(customer_type, "  - stay-calm", "  - stay-clam")
    edit(customer_type, "phrases:\n  - calm-greeting", "phrases:\n  - calm-greting")
    edit(customer_type, "  - source: article-one", "  - source: article-1")
    messages = problems_of(content)
    assert any(m.endswith(f"angry.yaml:{line_of(customer_type, 'stay-clam')}:5: error: tactics[0]: "
                          "no tactic with id 'stay-clam' in content/tactics/ (did you mean "
                          "'stay-calm'?)") for m in messages), messages
    assert any(f"angry.yaml:{line_of(customer_type, 'calm-greting')}:5: error: phrases[0]: "
               "no phrase with id 'calm-greting'" in m
               and "(did you mean 'calm-greeting'?)" in m for m in messages), messages
    assert any("sources[0].source: no source with id 'article-1' in sources.yaml "
               "(did you mean 'article-one'?)" in m for m in messages), messages


def test_cheat_sheet_phrase_must_be_one_of_the_types_phrases(content: Path):
    edit(content / "customer-types/angry.yaml", "cheat_sheet:\n  - calm-greeting",
         "cheat_sheet:\n  - other-phrase")
    [message] = problems_of(content)
    assert "cheat_sheet[0]: 'other-phrase' is not in this type's phrases" in message


def test_duplicate_phrase_ids_across_banks(content: Path):
    write(content / "phrases/more.yaml",
          (content / "phrases/greetings.yaml").read_text(encoding="utf-8"))
    [message] = problems_of(content)
    assert "duplicate phrase id 'calm-greeting' (already used in phrases/greetings.yaml)" in message
    assert f"more.yaml:{line_of(content / 'phrases/more.yaml', 'id: calm')}:5:" in message


def test_duplicate_language_and_bad_default(content: Path):
    edit(content / "languages.yaml", "default: en", "default: eng")
    messages = problems_of(content)
    assert any("languages.yaml:1:1: error: default: 'eng' is not one of the site languages "
               "(tl, az, en) (did you mean 'en'?)" in m for m in messages), messages


def test_a_bank_that_does_not_parse_does_not_make_its_phrases_dangling(content: Path):
    write(content / "phrases/greetings.yaml", "title: [unclosed\n")
    messages = problems_of(content)
    assert len(messages) == 1
    assert "greetings.yaml:2:1: error: invalid YAML" in messages[0]


def test_cli_reports_every_error_in_one_run_and_exits_1(content: Path, tmp_path: Path):
    edit(content / "tactics/stay-calm.yaml", "summary:", "sumary:")
    edit(content / "customer-types/angry.yaml", "  - stay-calm", "  - stay-calm\n  - missing-one")
    edit(content / "guides/basics.yaml", "sections:", "summary: twice\nsections:")
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    errors = [line for line in lines if ": error: " in line]
    # sumary: unknown + summary missing; missing-one dangling; summary duplicated.
    assert len(errors) == 4, result.stderr
    assert {line.split(":")[0] for line in errors} == {
        "content/tactics/stay-calm.yaml", "content/customer-types/angry.yaml",
        "content/guides/basics.yaml",
    }
    assert lines[-1] == "4 error(s)."


def test_cli_build_with_bad_content_builds_nothing(content: Path, tmp_path: Path):
    edit(content / "tactics/stay-calm.yaml", "why:", "whyy:")
    result = run_cli("build", "--content", str(content), "--out", str(tmp_path / "site"),
                     "--config", str(Path(__file__).parent.parent / "mkdocs.yml"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was built" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_reference_listed_twice(content: Path):
    customer_type = content / "customer-types/angry.yaml"
    edit(customer_type, "  - stay-calm", "  - stay-calm\n  - stay-calm")
    [message] = problems_of(content)
    line = line_of(customer_type, "  - stay-calm\n  - stay-calm") + 1
    assert message.endswith(f"angry.yaml:{line}:5: error: tactics[1]: 'stay-calm' is listed twice")


@pytest.mark.parametrize("body, expected", [
    ("", "1:1: error: the file is empty"),
    ("- just\n- a list\n", "1:1: error: expected a mapping of fields at the top of the file, got a list"),
    ("title: [1, 2\n", "invalid YAML"),
    ("\tsummary: tab\n", "invalid YAML"),
])
def test_malformed_files_give_a_message_not_a_traceback(content: Path, tmp_path: Path, body: str,
                                                        expected: str):
    write(content / "guides/basics.yaml", body)
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/guides/basics.yaml:")
    assert expected in result.stderr.splitlines()[0]


def test_a_file_that_is_not_utf8(content: Path, tmp_path: Path):
    (content / "guides/basics.yaml").write_bytes("title: m\xfc\xfeteri\n".encode("latin-1"))
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "content/guides/basics.yaml:1:9: error: not UTF-8 text" in result.stderr  # at the bad byte
    assert "Traceback" not in result.stderr


def test_duplicate_language_code(content: Path):
    languages = content / "languages.yaml"
    edit(languages, "- code: az", "- code: tl")
    messages = problems_of(content)
    line = line_of(languages, "- code: tl\n    name: Azerbaijani")
    assert any(f"languages.yaml:{line}:5: error: languages[1].code: duplicate code 'tl'" in m
               for m in messages), messages


def make_dangerous(content: Path, guides: str = "") -> Path:
    customer_type = content / "customer-types/angry.yaml"
    edit(customer_type, "signs:", "can_turn_dangerous: true\nsigns:")
    if guides:
        edit(customer_type, "sources:", f"guides:\n{guides}sources:")
    return customer_type


def test_a_dangerous_type_without_a_safety_guide_says_how_to_make_one(content: Path):
    customer_type = make_dangerous(content)
    [message] = problems_of(content)
    assert message.endswith(
        f"customer-types/angry.yaml:{line_of(customer_type, 'can_turn_dangerous')}:1: error: "
        "can_turn_dangerous: this type can turn dangerous, so it must link the safety guide, "
        "where the reader finds what to do and whom to call: no guide has safety: true yet; "
        "mark the guide that says how to stay safe with it, and list that guide here"), message


def test_a_dangerous_type_must_list_the_safety_guide(content: Path):
    edit(content / "guides/basics.yaml", "sections:", "safety: true\nsections:")
    write(content / "guides/other.yaml", (content / "guides/basics.yaml").read_text("utf-8")
          .replace("safety: true\n", ""))
    customer_type = make_dangerous(content, "  - other\n")
    [message] = problems_of(content)
    assert message.endswith(
        f"angry.yaml:{line_of(customer_type, 'guides:')}:1: error: guides: this type can turn "
        "dangerous, so it must link the safety guide, where the reader finds what to do and "
        "whom to call: add 'basics'"), message
    edit(customer_type, "  - other\n", "  - other\n  - basics\n")
    assert read_content(content).customer_types["angry"].guides == ["other", "basics"]


def test_a_broken_safety_guide_hides_which_guide_is_safe(content: Path):
    # Until the guide reads, no one can tell whether it is the safety guide:
    # its own error is reported, not a second one on every dangerous type.
    edit(content / "guides/basics.yaml", "sections:", "safety: yes please\nsections:")
    make_dangerous(content)
    [message] = problems_of(content)
    assert "guides/basics.yaml" in message and "safety" in message


def test_a_listed_guide_must_exist(content: Path):
    customer_type = content / "customer-types/angry.yaml"
    edit(customer_type, "sources:", "guides:\n  - basic\n  - basics\n  - basics\nsources:")
    first = line_of(customer_type, "  - basic")
    messages = problems_of(content)
    assert [m.split("customer-types/angry.yaml:", 1)[1] for m in messages] == [
        f"{first}:5: error: guides[0]: no guide with id 'basic' in content/guides/ "
        "(did you mean 'basics'?)",
        f"{first + 2}:5: error: guides[2]: 'basics' is listed twice",
    ], messages


@pytest.mark.parametrize("drop, keep", [("scrape", "language"), ("language", "scrape")])
def test_a_source_gives_its_scrape_and_language_together(content: Path, drop: str, keep: str):
    sources = content / "sources.yaml"
    edit(sources, {"scrape": "    scrape: 000.txt\n", "language": "    language: tl\n"}[drop], "")
    [message] = problems_of(content)
    assert "sources.yaml:" in message and f"source 'article-one' gives {keep} but not {drop}" in message


def test_the_team_s_own_guidance_is_a_source_without_a_scrape(content: Path):
    edit(content / "sources.yaml", "    scrape: 000.txt\n    language: tl\n", "")
    assert read_content(content).sources["article-one"].scrape is None
