"""Shared fixtures: tiny content trees in tmp_path, a CLI runner, a built site."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.model import UiLabels

ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = ROOT / "mkdocs.yml"
LANGS = ("tl", "az", "en")


def text(tl: str, az: str, en: str, indent: int = 0) -> str:
    """A Text mapping as YAML, indented to sit under a key."""
    pad = " " * indent
    return f"\n{pad}tl: {tl}\n{pad}az: {az}\n{pad}en: {en}"


LANGUAGES_YAML = textwrap.dedent(
    """\
    default: en
    languages:
    """
) + "".join(
    textwrap.indent(
        textwrap.dedent(
            f"""\
            - code: {code}
              name: {name}
              native_name: {native}
              theme_language: {code}
              labels:
            """
        )
        + "".join(
            f"    {label}: {label.replace('_', ' ').title()} {code.upper()}\n"
            for label in UiLabels.model_fields
        ),
        "  ",
    )
    for code, name, native in (
        ("tl", "Tagalog", "Tagalog"),
        ("az", "Azerbaijani", "Azərbaycanca"),
        ("en", "English", "English"),
    )
)

SOURCES_YAML = f"""\
sources:
  - id: article-one
    scrape: 000.txt
    language: tl
    title:{text("Unang artikulo", "Birinci məqalə", "First article", 6)}
"""

CUSTOMER_TYPE_YAML = f"""\
title:{text("Galit na customer", "Hirsli müştəri", "Angry customer", 2)}
summary:{text("Galit siya.", "O, hirslidir.", "They are angry.", 2)}
signs:
  -{text("Malakas ang boses.", "Səsi ucadır.", "A loud voice.", 4)}
needs:{text("Pakikinig.", "Dinlənilmək.", "To be heard.", 2)}
do:
  -{text("Makinig.", "Dinləyin.", "Listen.", 4)}
avoid:
  -{text("Huwag sumigaw.", "Qışqırmayın.", "Do not shout.", 4)}
tactics:
  - stay-calm
phrases:
  - calm-greeting
cheat_sheet:
  - calm-greeting
escalate:
  -{text("Tumawag sa manager.", "Meneceri çağırın.", "Call the manager.", 4)}
sources:
  - source: article-one
    expert: Jane Doe, Example Ltd
"""

TACTIC_YAML = f"""\
title:{text("Manatiling kalmado", "Sakit qalın", "Stay calm", 2)}
summary:{text("Kalmado lang.", "Sakit olun.", "Keep calm.", 2)}
why:{text("Nakakahawa ang kalmado.", "Sakitlik yoluxur.", "Calm is catching.", 2)}
steps:
  -{text("Huminga.", "Nəfəs alın.", "Breathe.", 4)}
"""

PHRASE_BANK_YAML = f"""\
title:{text("Pagbati", "Salamlaşma", "Greetings", 2)}
summary:{text("Mga pagbati.", "Salamlar.", "Greetings.", 2)}
phrases:
  - id: calm-greeting
    text:{text("Magandang araw po.", "Xoş gördük.", "Good day.", 6)}
    when:{text("Sa simula.", "Əvvəldə.", "At the start.", 6)}
"""

GUIDE_YAML = f"""\
title:{text("Gabay", "Bələdçi", "Guide", 2)}
summary:{text("Isang gabay.", "Bir bələdçi.", "A guide.", 2)}
sections:
  - heading:{text("Una", "Birinci", "First", 6)}
    body:{text("Teksto.", "Mətn.", "Text.", 6)}
"""

TINY_TREE = {
    "languages.yaml": LANGUAGES_YAML,
    "sources.yaml": SOURCES_YAML,
    "customer-types/angry.yaml": CUSTOMER_TYPE_YAML,
    "tactics/stay-calm.yaml": TACTIC_YAML,
    "phrases/greetings.yaml": PHRASE_BANK_YAML,
    "guides/basics.yaml": GUIDE_YAML,
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A tiny, valid content tree: one entry of every kind, three languages."""
    root = tmp_path / "content"
    for rel, body in TINY_TREE.items():
        write(root / rel, body)
    return root


def write(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` as a user runs it, from `cwd`, with `env` added."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=300,
    )


def built_tiny(root: Path, *flags: str) -> Path:
    """TINY_TREE built into root/site without PDFs (`flags` added); returns the site."""
    for rel, body in TINY_TREE.items():
        write(root / "content" / rel, body)
    result = run_cli("build", "--content", "content", "--out", "site", "--config", str(BASE_CONFIG),
                     *flags, cwd=root, env={"HINAHON_CHROMIUM": "/nope"})
    assert result.returncode == 0, result.stderr
    return root / "site"


def built_once(tmp_path_factory, name: str, *flags: str, pdfs: bool = True) -> Path:
    """The real content/ built once for the whole run, even when pytest-xdist runs
    it in several workers: the first to get the lock builds, the others wait and share."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # every worker's base folder lies in this one
    out = shared / f"shared-{name}" / "site"
    with FileLock(str(shared / f"shared-{name}.lock")):
        if not (out / ".hinahon-site").is_file():  # written by a build that succeeded
            result = run_cli("build", *flags, "--content", str(ROOT / "content"), "--out", str(out),
                             "--config", str(BASE_CONFIG), cwd=ROOT,
                             env=None if pdfs else {"HINAHON_CHROMIUM": "/nope"})
            assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real content/ built once for the run, into a temporary folder."""
    return built_once(tmp_path_factory, "real")


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The real content/ built with --offline, for opening from file://. Without
    PDFs: they are printed the same way for both copies, and the real site's are tested."""
    return built_once(tmp_path_factory, "offline", "--offline", pdfs=False)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright, shared by every browser test."""
    from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(real_site: Path, tmp_path_factory):
    """The real site, served on 127.0.0.1 by nginx with deploy/nginx.conf, as it is
    published (CI installs nginx; without it, and only outside CI, Python's server)."""
    import nginx
    from browser import serve

    if nginx.missing() is None or os.environ.get("CI") == "true":
        with nginx.nginx(real_site, tmp_path_factory.mktemp("nginx")) as url:
            yield url
    else:
        with serve(real_site) as url:
            yield url


@pytest.fixture(scope="session")
def static_url(real_site: Path):
    """The real site on a static host that sets no headers (as GitHub Pages):
    Python's server on 127.0.0.1, the pages' own <meta> policy the only one."""
    from browser import serve

    with serve(real_site) as url:
        yield url


# Fuzzing (tests/test_fuzz.py): bounded for `make test`, thousands for `make fuzz`.
settings.register_profile("default", max_examples=150, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
