"""`python -m generator deploy`: built, then pushed to a branch of a local bare
repository standing in for GitHub (generator/deploy.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, LANGS, TINY_TREE, run_cli, write

NO_PDFS = {"HINAHON_CHROMIUM": "/nope"}
URL = "https://example.org/hinahon/"


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout with the tiny content and a remote `origin`, a bare repository."""
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    work = tmp_path / "work"
    for rel, body in TINY_TREE.items():
        write(work / "content" / rel, body)
    (work / "mkdocs.yml").write_text(BASE_CONFIG.read_text("utf-8"))
    git("init", "--quiet", "-b", "main", cwd=work)
    for key, value in (("user.name", "Test"), ("user.email", "test@example.org")):
        git("config", key, value, cwd=work)
    git("add", ".", cwd=work)
    git("commit", "--quiet", "-m", "content", cwd=work)
    git("remote", "add", "origin", str(remote), cwd=work)
    return work, remote


def deploy(work: Path, *flags: str):
    return run_cli("deploy", *flags, cwd=work, env=NO_PDFS)


def branch_files(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git("ls-tree", "-r", "--name-only", branch, cwd=remote).splitlines())


def test_deploy_pushes_the_built_site_with_nojekyll_on_top_of_the_last(project):
    work, remote = project
    result = deploy(work, "--site-url", URL)
    assert result.returncode == 0, result.stderr
    files = branch_files(remote)
    assert {"index.html", "404.html", "robots.txt", "sitemap.xml", ".nojekyll"} <= files
    for lang in LANGS:
        assert f"{lang}/index.html" in files and f"{lang}/404.html" in files
    # The branch holds the site and nothing of the project.
    assert not any(f.startswith(("content/", "generator/")) or f == "mkdocs.yml" for f in files)
    built = {p.relative_to(work / "site").as_posix() for p in (work / "site").rglob("*") if p.is_file()}
    assert files == built | {".nojekyll"}
    # GitHub Pages compresses on the fly: no precompressed forms in the branch
    # (MkDocs' own sitemap.xml.gz is a file of its own, which crawlers read).
    assert not [f for f in files if f.endswith((".gz", ".br")) and not f.endswith("/sitemap.xml.gz")]
    assert "files compressed" not in result.stdout
    message = git("log", "-1", "--format=%s", "gh-pages", cwd=remote)
    assert message == f"Publish {URL} from {git('rev-parse', '--short', 'HEAD', cwd=work)}"
    said = result.stdout.splitlines()[-1]
    assert said.startswith("Published site (") and "to origin gh-pages as" in said and URL in said
    assert git("rev-parse", "--short", "gh-pages", cwd=remote) in said

    # A second deploy goes on top of the first: the branch keeps its history.
    first = git("rev-parse", "gh-pages", cwd=remote)
    assert deploy(work, "--site-url", URL).returncode == 0
    assert git("rev-parse", "gh-pages~1", cwd=remote) == first

    # Another branch, as named; gh-pages is left where it was.
    top = git("rev-parse", "gh-pages", cwd=remote)
    assert deploy(work, "--site-url", URL, "--branch", "published").returncode == 0
    assert "index.html" in branch_files(remote, "published")
    assert git("rev-parse", "gh-pages", cwd=remote) == top


def test_site_url_from_the_config_is_enough(project):
    work, remote = project
    config = work / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "site_name: Hinahon\n", f"site_name: Hinahon\nsite_url: {URL}\n"))
    result = deploy(work)
    assert result.returncode == 0, result.stderr
    assert "Sitemap: " + URL + "sitemap.xml" in git("show", "gh-pages:robots.txt", cwd=remote)


def test_without_an_address_nothing_is_built_or_published(project):
    work, remote = project
    result = deploy(work)
    assert result.returncode == 2
    assert "site_url" in result.stderr and "--site-url" in result.stderr
    assert "nothing was built or published" in result.stderr
    assert git("branch", "--list", "gh-pages", cwd=remote) == ""
    assert not (work / "site").exists()


def test_a_failed_build_leaves_the_branch_as_it_was(project):
    work, remote = project
    assert deploy(work, "--site-url", URL).returncode == 0
    before = git("rev-parse", "gh-pages", cwd=remote)
    (work / "content/tactics/stay-calm.yaml").write_text("title: [unclosed\n")
    result = deploy(work, "--site-url", URL)
    assert result.returncode == 1
    assert "stay-calm.yaml" in result.stderr and "nothing was built or published" in result.stderr
    assert git("rev-parse", "gh-pages", cwd=remote) == before


def test_an_unknown_remote_is_named_before_anything_is_built(project):
    work, remote = project
    result = deploy(work, "--site-url", URL, "--remote", "upstream")
    assert result.returncode == 1
    assert "no remote 'upstream'" in result.stderr and "origin" in result.stderr
    assert not (work / "site").exists()


def test_outside_a_git_repository_deploy_says_so(tmp_path: Path):
    for rel, body in TINY_TREE.items():
        write(tmp_path / "content" / rel, body)
    (tmp_path / "mkdocs.yml").write_text(BASE_CONFIG.read_text("utf-8"))
    result = deploy(tmp_path, "--site-url", URL)
    assert result.returncode == 1 and "not in a git repository" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_workflow_tests_then_publishes_on_main_with_readmes_commands():
    import yaml

    root = Path(__file__).resolve().parent.parent
    flow = yaml.safe_load((root / ".github/workflows/pages.yml").read_text("utf-8"))
    # YAML reads the key `on` as true.
    trigger = flow.get("on", flow.get(True))
    assert trigger["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "write"}
    [job] = flow["jobs"].values()
    commands = [step["run"] for step in job["steps"] if "run" in step]
    project = [line.strip() for run in commands for line in run.splitlines()
               if line.strip().startswith((".ci/", "make "))]
    assert project == [".ci/run", 'make deploy SITE_URL="$SITE_URL"']
    readme = (root / "README.md").read_text("utf-8")
    for command in (".ci/run", "make deploy", "make test"):
        assert command in readme, command
    ci = (root / ".ci/run").read_text("utf-8")
    assert ci.rstrip().endswith("make test") and "nginx" in ci
