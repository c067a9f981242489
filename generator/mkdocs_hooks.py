"""What runs inside each language's MkDocs build (MkDocs `hooks:`, set by
generator/build.py): the page's sidebar into its metadata, and every page
through the safety boundary before it is written.

Both are ours and small; MkDocs only calls them. Doing them here, in the
language's own process, spares the build reading and writing every page a
second time after MkDocs, and lets the languages do them in parallel.

- **The sidebar** (generator/sidebar.py) comes to MkDocs as the first line of
  the page's Markdown, an HTML comment holding JSON; it goes into the page's
  metadata, where the theme finds it (`page.meta.hinahon_sidebar`).
- **The content** of each page is cleaned by `sanitize_page` (generator/safe.py).
  A page without its markers stops the build, naming the page.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

# MkDocs loads this file by its path: the package it belongs to need not be on
# the path of the process MkDocs runs in.
_REPOSITORY = str(Path(__file__).resolve().parent.parent)
if _REPOSITORY not in sys.path:
    sys.path.insert(0, _REPOSITORY)

from mkdocs.exceptions import PluginError  # noqa: E402

from generator.safe import UnmarkedPageError, sanitize_page  # noqa: E402
from generator.sidebar import SIDEBAR_KEY, take_sidebar  # noqa: E402

STAGES_FILE = "hinahon-stages.json"
"""Written beside the language's MkDocs config: the seconds this process spent
in our stages (`{"sanitize": 1.2}`), for the build report."""

_seconds = {"sanitize": 0.0}


def on_pre_build(config) -> None:
    _seconds["sanitize"] = 0.0


def on_page_markdown(markdown: str, page, config, files) -> str:
    sidebar, markdown = take_sidebar(markdown)
    if sidebar is not None:
        page.meta[SIDEBAR_KEY] = sidebar
    return markdown


def on_post_page(output: str, page, config) -> str:
    started = time.perf_counter()
    try:
        return sanitize_page(output)
    except UnmarkedPageError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    finally:
        _seconds["sanitize"] += time.perf_counter() - started


def on_post_build(config) -> None:
    if config.config_file_path:
        Path(config.config_file_path).with_name(STAGES_FILE).write_text(json.dumps(_seconds))
