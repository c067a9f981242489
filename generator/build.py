"""Stage 5, build: one Material for MkDocs site per language, swapped in atomically.

Read top to bottom, `build` is the whole pipeline: read content, render each
language's Markdown and MkDocs config into a scratch folder, run the MkDocs
builds in parallel, add the language chooser, and only then replace the
output folder. A failure anywhere leaves the previous site as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .content import read_content
from .link import KnowledgeBase
from .render import Renderer


class BuildError(Exception):
    """MkDocs failed for at least one language; carries what it said."""


class UnknownLanguageError(ValueError):
    """`--lang` named a language the content does not have."""


@dataclass
class LanguageResult:
    code: str
    pages: int
    warnings: int = 0
    error: str | None = None
    """What MkDocs said, when it failed."""


@dataclass
class BuildReport:
    languages: list[LanguageResult] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        pages = ", ".join(f"{r.code} {r.pages}" for r in self.languages)
        warnings = sum(r.warnings for r in self.languages)
        return (
            f"Built {len(self.languages)} language(s) — pages: {pages}; "
            f"{warnings} warning(s); {self.seconds:.1f} s"
        )


def build(content: Path, out: Path, config: Path, languages: list[str] | None = None) -> BuildReport:
    """Build the site for `languages` (default: all) from `content` into `out`."""
    started = time.monotonic()
    kb = read_content(content)
    codes = languages or kb.language_codes
    unknown = [code for code in codes if code not in kb.language_codes]
    if unknown:
        raise UnknownLanguageError(
            f"unknown language(s) {', '.join(unknown)}; the content has {', '.join(kb.language_codes)}"
        )
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # The scratch folder sits beside the output so the final rename stays on one filesystem.
    scratch = Path(tempfile.mkdtemp(prefix=".hinahon-build-", dir=out.parent))
    try:
        renderer = Renderer(kb)
        new_site = scratch / "site"
        jobs = [
            _prepare_language(renderer, kb, code, scratch / "src" / code, new_site / code, config)
            for code in codes
        ]
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
            results = list(pool.map(_run_mkdocs, jobs))
        errors = [r.error for r in results if r.error]
        if errors:
            raise BuildError("\n".join(errors))
        (new_site / "index.html").write_text(renderer.chooser(), encoding="utf-8")
        _replace(out, new_site)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return BuildReport(results, time.monotonic() - started)


@dataclass
class _Job:
    code: str
    config_file: Path
    pages: int


def _prepare_language(
    renderer: Renderer, kb: KnowledgeBase, code: str, src: Path, site_dir: Path, base: Path
) -> _Job:
    """Write one language's Markdown pages and its MkDocs config."""
    docs = src / "docs"
    pages = renderer.pages(code)
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")
    language = kb.language(code)
    config = {
        # INHERIT deep-merges mappings (theme, extra) but replaces lists
        # (plugins, markdown_extensions): per-language lists would need repeating.
        "INHERIT": str(base.resolve()),
        "site_name": language.labels.site_name,
        "site_description": language.labels.site_description,
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "theme": {"language": language.theme_language},
        "nav": renderer.nav(code),
    }
    config_file = src / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return _Job(code, config_file, len(pages))


_WARNING = re.compile(r"^(WARNING|ERROR)\s+-", re.MULTILINE)


def _run_mkdocs(job: _Job) -> LanguageResult:
    env = dict(os.environ)
    # Material prints an end-of-life banner on every build; README notes it
    # once, so the build's own output stays readable.
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--config-file", str(job.config_file)],
        capture_output=True, text=True, env=env,
    )
    output = proc.stdout + proc.stderr
    warnings = len(_WARNING.findall(output))
    if proc.returncode != 0:
        lines = [line for line in output.splitlines() if not line.startswith("INFO")]
        error = "\n".join(f"[{job.code}] {line}" for line in lines)
        return LanguageResult(job.code, 0, warnings, error or f"[{job.code}] mkdocs exited {proc.returncode}")
    return LanguageResult(job.code, job.pages, warnings)


def _replace(out: Path, new_site: Path) -> None:
    """Put `new_site` where `out` is, with the old site gone only once the new one is in place."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        out.rename(old)
    try:
        new_site.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old)
