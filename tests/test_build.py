"""Building tiny trees into three sites, atomically."""

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, LANGS, run_cli
from test_validate import edit


# One worker runs this module, so its module fixture (a build) is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("test_build")


def build(content: Path, out: Path, *extra: str, pdfs: bool = True):
    """The CLI's build; `pdfs=False` for tests about something else, as printing is slow."""
    return run_cli("build", "--content", str(content), "--out", str(out),
                   "--config", str(BASE_CONFIG), *extra, cwd=content.parent,
                   env=None if pdfs else {"HINAHON_CHROMIUM": "/nope"})


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def html_pages(site: Path, lang: str) -> set[str]:
    return {str(p.relative_to(site / lang)) for p in (site / lang).rglob("*.html")}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory) -> Path:
    from conftest import TINY_TREE, write
    root = tmp_path_factory.mktemp("tiny")
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    result = build(root / "content", root / "site")
    assert result.returncode == 0, result.stderr
    (root / "stdout.txt").write_text(result.stdout)
    (root / "stderr.txt").write_text(result.stderr)
    return root / "site"


def test_three_languages_with_the_same_pages(tiny_site: Path):
    pages = {lang: html_pages(tiny_site, lang) for lang in LANGS}
    assert pages["tl"] == pages["az"] == pages["en"]
    for path in ("index.html", "customer-types/angry/index.html", "tactics/stay-calm/index.html",
                 "phrases/greetings/index.html", "guides/basics/index.html"):
        assert path in pages["tl"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_declares_its_language(tiny_site: Path, lang: str):
    for page in (tiny_site / lang).rglob("*.html"):
        head = page.read_text(encoding="utf-8")[:300]
        assert f'<html lang="{lang}"' in head, page


def test_root_is_a_language_chooser_with_plain_links(tiny_site: Path):
    chooser = (tiny_site / "index.html").read_text(encoding="utf-8")
    for lang in LANGS:
        assert f'<a href="{lang}/" hreflang="{lang}"' in chooser
    assert "Azərbaycanca" in chooser


def test_no_third_party_host_is_referenced(tiny_site: Path):
    hosts = set()
    for page in tiny_site.rglob("*.html"):
        for url in re.findall(r'(?:src|href)="(https?://[^"/]+)', page.read_text(encoding="utf-8")):
            hosts.add(url)
    # Material's footer credits itself with a plain link; nothing is loaded from anywhere.
    assert hosts <= {"https://squidfunk.github.io"}, hosts
    for page in tiny_site.rglob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in body and "fonts.gstatic" not in body


def test_summary_line(tiny_site: Path):
    summary = (tiny_site.parent / "stdout.txt").read_text().strip().splitlines()[-1]
    assert re.fullmatch(
        # 9 pages + the cheat-sheet index, 2 sheets for the one type, the pocket summary;
        # 3 sheets a language printed to PDF, none of them cached yet.
        r"Built 3 language\(s\) — pages: tl 13, az 13, en 13; "
        r"search index: tl \d+ KB, az \d+ KB, en \d+ KB; 9 PDFs \(9 printed, 0 cached\); "
        # Each page and asset over 1 KB, beside itself as .gz and .br (generator/compress.py).
        # The theme's large assets may be in this machine's cache from an earlier run.
        r"\d+ files compressed \(\d+\.\d MB: gzip \d+%, brotli \d+%; \d+ unchanged, from the cache\); "
        # mkdocs.yml leaves site_url unset: the sheets can print no address.
        r"site_url is not set \(mkdocs.yml or build --site-url\): sheets print no web "
        r"address or QR code, and there is no sitemap; "
        r"0 warning\(s\); \d+\.\d s",
        summary
    ), summary


def test_one_language_only(content: Path, tmp_path: Path):
    result = build(content, tmp_path / "site", "--lang", "az", pdfs=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "site").iterdir()
                  if p.suffix not in (".gz", ".br")) == \
        [".hinahon-csp.conf", ".hinahon-site", "404.html", "az", "index.html", "robots.txt"]


def test_content_error_leaves_the_previous_site_byte_for_byte(content: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert build(content, out, pdfs=False).returncode == 0
    before = snapshot(out)
    edit(content / "tactics/stay-calm.yaml", "why:", "whyy:")
    result = build(content, out, pdfs=False)
    assert result.returncode == 1
    assert snapshot(out) == before


def test_mkdocs_failure_leaves_the_previous_site_byte_for_byte(content: Path, tmp_path: Path, tiny_site: Path):
    out = tmp_path / "site"
    # The same tree's sheets, printed once already: the first build takes them from its cache.
    shutil.copytree(tiny_site.parent / ".hinahon-cache", tmp_path / ".hinahon-cache")
    assert build(content, out).returncode == 0
    before = snapshot(out)
    # Content `check` accepts and a base config MkDocs refuses: every language fails.
    config = tmp_path / "config" / "mkdocs.yml"
    config.parent.mkdir()
    config.write_text(BASE_CONFIG.read_text("utf-8").replace(
        "\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n  - no_such_extension\n", 1), "utf-8")
    result = run_cli("build", "--content", str(content), "--out", str(out), "--config", str(config),
                     cwd=content.parent)
    assert result.returncode == 1
    assert "[en]" in result.stderr and "no_such_extension" in result.stderr
    assert "previous site was left untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    # No scratch folders are left behind either; the PDF cache of the first build stays.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hinahon-cache", "config", "content", "site"]
    assert not list((tmp_path / ".hinahon-cache" / "pdf").glob(".*"))


@pytest.mark.parametrize("args", [
    ["build", "--content", "content", "--lang", "fr"],
    ["build", "--content", "content", "--nope"],
    ["frobnicate"],
    [],
])
def test_usage_errors_exit_2(content: Path, args: list[str]):
    result = run_cli(*args, cwd=content.parent)
    assert result.returncode == 2, result.stderr
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_output_is_clean(tiny_site: Path):
    # The build with PDFs: Chromium and Playwright say nothing either.
    output = (tiny_site.parent / "stdout.txt").read_text() + (tiny_site.parent / "stderr.txt").read_text()
    assert "end of life" not in output
    assert output.strip().count("\n") == 0, output


def test_a_full_disk_under_mkdocs_is_one_line(tmp_path: Path):
    from generator.build import _Job, mkdocs_failure
    said = ("INFO    -  Building documentation...\nTraceback (most recent call last):\n"
            '  File "mkdocs/commands/build.py", line 1, in _build_page\n'
            "OSError: [Errno 28] No space left on device: 'site/en/tactics/index.html'\n")
    job = _Job("en", tmp_path / "mkdocs.yml", tmp_path / "scratch" / "en", 3, False)
    message = mkdocs_failure(said, 1, job)
    assert message == (f"[en] error: no space left on the device holding {tmp_path / 'scratch'} while "
                       "MkDocs wrote the en site: free some space, then build again")
    assert "Traceback" not in message
    # Anything else MkDocs says is passed on as it said it.
    assert "Other failure" in mkdocs_failure("ERROR - Other failure\n", 1, job)


@pytest.mark.parametrize("command", ["build", "check", "schema"])
def test_a_full_disk_anywhere_is_one_line_and_no_traceback(content: Path, monkeypatch, capsys,
                                                           command: str):
    import errno

    from generator import cli

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "site/en/index.html")

    monkeypatch.setattr(cli, {"build": "build", "check": "check_content",
                              "schema": "read_languages"}[command], full)
    code = cli.main([command, "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "no space left on the device (site/en/index.html): free some space" in err
    assert ("previous site was left untouched" in err) == (command == "build")


def test_another_os_error_is_one_line_too_and_not_called_a_full_disk(content: Path, monkeypatch,
                                                                      capsys):
    from generator import cli

    def broken(*args, **kwargs):
        raise OSError(5, "Input/output error", "content/tactics/stay-calm.yaml")

    monkeypatch.setattr(cli, "check_content", broken)
    assert cli.main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("python -m generator check: error: Input/output error "
                           "(content/tactics/stay-calm.yaml)")
