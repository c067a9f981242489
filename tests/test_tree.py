"""The content folder's layout: everything in it is read or reported, nothing dropped."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from conftest import TINY_TREE, run_cli, write
from generator.content import read_content
from generator.load import COLLECTIONS, SINGLE_FILES, load_tree
from generator.problems import ContentError, Problems

ENTRY_FILES = {rel.split("/")[0]: rel for rel in TINY_TREE if "/" in rel}


def problems_of(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(content)
    return [p.format() for p in caught.value.problems]


def only_problem(content: Path) -> str:
    [message] = problems_of(content)
    return message


@pytest.mark.parametrize("folder", COLLECTIONS)
@pytest.mark.parametrize("name, expected", [
    ("x.YAML", "x.YAML:1:1: error: content files end in '.yaml' in lower case"),
    ("x.Yaml", "x.Yaml:1:1: error: content files end in '.yaml' in lower case"),
    ("notes.txt", "notes.txt:1:1: error: unexpected file in {folder}/: only entry files named "
                  "<id>.yaml belong here; names starting with '.' are ignored"),
    ("README.md", "README.md:1:1: error: unexpected file in {folder}/"),
    ("x.yaml~", "x.yaml~:1:1: error: unexpected file in {folder}/"),
    ("x", "/x:1:1: error: unexpected file in {folder}/"),
])
def test_unexpected_files_in_a_kind_folder(content: Path, folder: str, name: str, expected: str):
    write(content / folder / name, "title: x\n")
    assert expected.format(folder=folder) in only_problem(content)


@pytest.mark.parametrize("folder", COLLECTIONS)
def test_a_subfolder_of_a_kind_folder_is_an_error(content: Path, folder: str):
    write(content / folder / "extra" / "x.yaml", (content / ENTRY_FILES[folder]).read_text())
    assert only_problem(content).endswith(
        f"{folder}/extra:1:1: error: is a folder; folders inside {folder}/ are not read: "
        f"each entry is one <id>.yaml file directly in {folder}/")


@pytest.mark.parametrize("folder", COLLECTIONS)
def test_a_folder_named_like_an_entry_is_an_error(content: Path, tmp_path: Path, folder: str):
    (content / folder / "x.yaml").mkdir()
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"content/{folder}/x.yaml:1:1: error: is a folder")
    assert result.stderr.splitlines()[-1] == "1 error(s)."


@pytest.mark.parametrize("name", SINGLE_FILES)
def test_a_single_file_that_is_a_folder(content: Path, name: str):
    (content / name).unlink(missing_ok=True)
    (content / name).mkdir()
    messages = problems_of(content)
    assert any(m.endswith(f"{name}:1:1: error: is a folder; {name} must be a file")
               for m in messages), messages
    assert not any("missing" in m for m in messages), messages


@pytest.mark.parametrize("folder", COLLECTIONS)
def test_a_kind_folder_that_is_a_file(content: Path, folder: str):
    write(content / "x", "")
    for path in (content / folder).iterdir():
        path.unlink()
    (content / folder).rmdir()
    (content / "x").rename(content / folder)
    messages = problems_of(content)
    assert any(f"{folder}:1:1: error: is a file; {folder}/ must be a folder" in m
               for m in messages), messages


@pytest.mark.parametrize("folder", COLLECTIONS)
def test_a_misspelt_kind_folder_suggests_the_right_one(content: Path, folder: str):
    misspelt = folder[:-1] if folder.endswith("s") else folder + "s"
    write(content / misspelt / "x.yaml", "title: x\n")
    assert f"{misspelt}:1:1: error: unexpected folder '{misspelt}' (did you mean '{folder}'?); " \
           "content/ holds the folders customer-types/, tactics/, phrases/, guides/ and the " \
           "files languages.yaml, sources.yaml, glossary.yaml" in only_problem(content)


@pytest.mark.parametrize("name, suggestion", [
    ("Glossary.yaml", "glossary.yaml"), ("languages.YAML", "languages.yaml"), ("notes.txt", None),
    ("README.md", None), ("sources.yaml~", "sources.yaml"), ("Tactics", "tactics"),
])
def test_unexpected_names_in_the_content_folder(content: Path, name: str, suggestion: str | None):
    write(content / name, "terms: []\n")
    message = only_problem(content)
    assert f"{name}:1:1: error: unexpected file '{name}'" in message
    assert (f"(did you mean '{suggestion}'?)" in message) == (suggestion is not None)


@pytest.mark.parametrize("where", ["", *COLLECTIONS])
@pytest.mark.parametrize("name", [".DS_Store", ".angry.yaml.swp", ".hidden.yaml", ".git"])
def test_hidden_names_are_ignored(content: Path, where: str, name: str):
    write(content / where / name, "not: [valid\n")
    assert read_content(content).customer_types.keys() == {"angry"}


# --- file-system errors: each one error, all reported together --------------


@pytest.mark.parametrize("error, expected", [
    (PermissionError(errno.EACCES, "Permission denied"),
     "cannot be read: permission denied; make the file readable"),
    (FileNotFoundError(errno.ENOENT, "No such file"),
     "disappeared while the content was being read; run again"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"),
     "is a folder, not a file; an entry is one .yaml file"),
    (OSError(errno.EIO, "Input/output error"), "cannot be read: Input/output error"),
])
def test_a_file_that_cannot_be_read(content: Path, monkeypatch, error: OSError, expected: str):
    # Injected: tests may run as root, whom chmod 000 does not stop.
    unreadable = {content / rel for rel in TINY_TREE}
    real_open = os.open

    def failing_open(path, *args, **kwargs):
        if Path(path) in unreadable:
            raise error
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    messages = problems_of(content)
    assert sorted(messages) == sorted(
        f"{os.path.relpath(content / rel)}:1:1: error: {expected}" for rel in TINY_TREE)


def test_a_pipe_named_like_an_entry_is_refused_without_blocking(content: Path):
    os.mkfifo(content / "tactics" / "pipe.yaml")
    assert only_problem(content).endswith(
        "pipe.yaml:1:1: error: not a regular file (a device, pipe or socket); content files "
        "are plain text files")


# --- symlinks ----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = write(tmp_path / "secret" / "passwords.yaml", "title: SECRET-BYTES\n")
    return secret


@pytest.mark.parametrize("rel", [*TINY_TREE, "customer-types", "tactics", "phrases", "guides"])
def test_a_link_that_leads_outside_the_content_folder_is_refused_unread(
        content: Path, outside: Path, monkeypatch, rel: str):
    target = outside if rel.endswith(".yaml") else outside.parent
    link = content / rel
    if link.is_dir():
        for path in link.iterdir():
            path.unlink()
        link.rmdir()
    else:
        link.unlink()
    link.symlink_to(target)
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(Path(p)) or real_open(p, *a, **k))
    messages = problems_of(content)
    assert any(m.endswith(f"{rel}:1:1: error: is a link to a place outside the content folder, "
                          "and is not read: the site publishes only what is inside content/; "
                          "copy the file in instead") for m in messages), messages
    assert not any("SECRET" in m or "secret" in m for m in messages)
    assert not any(outside.parent in (path, *path.parents) or path == link for path in opened)


def test_a_link_through_the_parent_folder_is_outside(content: Path, outside: Path):
    (content / "tactics" / "sneaky.yaml").symlink_to(Path("..") / ".." / "secret" / "passwords.yaml")
    assert "sneaky.yaml:1:1: error: is a link to a place outside" in only_problem(content)


def test_links_that_stay_inside_are_followed(content: Path):
    write(content / "drafts" / "calm.yaml", (content / "tactics/stay-calm.yaml").read_text())
    (content / "tactics/stay-calm.yaml").unlink()
    (content / "tactics/stay-calm.yaml").symlink_to(Path("..") / "drafts" / "calm.yaml")
    (content / "drafts").rename(content / ".drafts")  # hidden: not itself content
    (content / "tactics/stay-calm.yaml").unlink()
    (content / "tactics/stay-calm.yaml").symlink_to(Path("..") / ".drafts" / "calm.yaml")
    assert list(read_content(content).tactics) == ["stay-calm"]


def test_a_broken_link_and_a_loop_of_links(content: Path):
    (content / "tactics" / "broken.yaml").symlink_to(content / "tactics" / "nowhere.yaml")
    (content / "tactics" / "loop-a.yaml").symlink_to(content / "tactics" / "loop-b.yaml")
    (content / "tactics" / "loop-b.yaml").symlink_to(content / "tactics" / "loop-a.yaml")
    messages = problems_of(content)
    assert len(messages) == 3, messages
    assert any("broken.yaml:1:1: error: is a link to nothing" in m for m in messages)
    assert sum("error: is a link in a loop of links" in m for m in messages) == 2


def test_every_layout_problem_is_reported_in_one_run(content: Path):
    write(content / "tactics" / "x.YAML", "")
    write(content / "guide" / "x.yaml", "")
    write(content / "notes.txt", "")
    (content / "phrases" / "dir.yaml").mkdir()
    problems = Problems()
    load_tree(content, problems)
    assert sorted(p.path.name for p in problems.items) == ["dir.yaml", "guide", "notes.txt", "x.YAML"]
