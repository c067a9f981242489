"""What runs inside each language's MkDocs build (MkDocs `hooks:`, set by
generator/build.py): the page's sidebar into its metadata, every page through
the safety boundary before it is written, and each page into the search index.

All are ours and small; MkDocs only calls them. Doing them here, in the
language's own process, spares the build reading and writing every page a
second time after MkDocs, and lets the languages do them in parallel.

- **The sidebar** (generator/sidebar.py) comes to MkDocs as the first line of
  the page's Markdown, an HTML comment holding JSON; it goes into the page's
  metadata, where the theme finds it (`page.meta.hinahon_sidebar`).
- **The content** of each page is cleaned by `sanitize_page` (generator/safe.py).
  A page without its markers stops the build, naming the page.
- **Search** (generator/search): each page's body is cut into sections and
  analysed by the language's rules (`RULES_FILE` beside the config); the
  index and the files that search it go into the site's `search/` folder.
"""

from __future__ import annotations

import html
import json
import re
import sys
import time
from pathlib import Path

# MkDocs loads this file by its path: the package it belongs to need not be on
# the path of the process MkDocs runs in.
_REPOSITORY = str(Path(__file__).resolve().parent.parent)
if _REPOSITORY not in sys.path:
    sys.path.insert(0, _REPOSITORY)

from mkdocs.exceptions import PluginError  # noqa: E402

from generator.csp import Inline, with_policy  # noqa: E402
from generator.layout import NOT_FOUND  # noqa: E402
from generator.safe import UnmarkedPageError, sanitize_page  # noqa: E402
from generator.search.index import FOLDER, REGISTRY, SearchIndex, write_engine  # noqa: E402
from generator.sidebar import SIDEBAR_KEY, take_sidebar  # noqa: E402

STAGES_FILE = "hinahon-stages.json"
"""Written beside the language's MkDocs config: the seconds this process spent
in our stages (`{"sanitize": 1.2, "search": 0.4}`), for the build report."""
RULES_FILE = "hinahon-search-rules.json"
"""Beside the language's MkDocs config: its search rules (analysis.rules_of)."""

POLICY_FILE = "hinahon-csp.json"
"""Beside the language's MkDocs config: the inline blocks its pages' policies
allow, `{"scripts": [...], "styles": [...]}`, for the site-wide header policy."""

_seconds = {"sanitize": 0.0, "search": 0.0}
_allowed = Inline()


def excluded_from_search(page) -> bool:
    """Whether the page's front matter keeps it out of search (`search: {exclude: true}`)."""
    search = page.meta.get("search")
    return isinstance(search, dict) and search.get("exclude") is True


def index_for(config) -> SearchIndex | None:
    """The search index this build fills, if the language has rules beside its config."""
    return REGISTRY.get(str(config.site_dir))


def on_config(config):
    _seconds.update(sanitize=0.0, search=0.0)
    _allowed.scripts.clear()
    _allowed.styles.clear()
    if config.config_file_path:
        rules_file = Path(config.config_file_path).with_name(RULES_FILE)
        if rules_file.is_file():
            REGISTRY[str(config.site_dir)] = SearchIndex(json.loads(rules_file.read_text("utf-8")))
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    sidebar, markdown = take_sidebar(markdown)
    if sidebar is not None:
        page.meta[SIDEBAR_KEY] = sidebar
    return markdown


def on_page_content(html_text: str, page, config, files) -> str:
    index = index_for(config)
    if index is not None:
        started = time.perf_counter()
        if excluded_from_search(page):
            index.remove_page(page.url)
        else:
            # The title as the reader reads it: our front matter holds it escaped.
            index.add_page(page.url, html.unescape(page.title or ""), html_text)
        _seconds["search"] += time.perf_counter() - started
    return html_text


def on_post_page(output: str, page, config) -> str:
    started = time.perf_counter()
    try:
        return _with_policy(sanitize_page(output), page.file.src_uri)
    except UnmarkedPageError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    finally:
        _seconds["sanitize"] += time.perf_counter() - started


def on_post_template(output: str, template_name: str, config) -> str:
    return _with_policy(output, template_name) if template_name.endswith(".html") else output


def _with_policy(page: str, where: str) -> str:
    """The page with its Content-Security-Policy (generator/csp.py), the last
    change made to it: the hashes are of the scripts exactly as written."""
    try:
        page, inline = with_policy(page)
    except ValueError as exc:
        raise PluginError(f"{where}: {exc}") from None
    _allowed.scripts += inline.scripts
    _allowed.styles += inline.styles
    return page


def on_template_context(context, template_name: str, config):
    # MkDocs gives its error page links from the host's root when site_url is
    # unset, where this language is not: they start at the language's own root.
    if template_name == NOT_FOUND:
        context["base_url"] = config.extra["hinahon"]["not_found"]["root"]
    return context


def write_search(config) -> int:
    """Write the language's index and search files; returns the index's bytes."""
    index = index_for(config)
    if index is None:
        return 0
    folder = Path(config.site_dir) / FOLDER
    write_engine(folder, index.rules)
    return index.write(folder)


_CSS_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)


def strip_css_comments(css: str) -> str:
    """Our stylesheet as a browser needs it: its comments (the why, for whoever
    edits it) are a fifth of its bytes, and every cold page loads it. Our CSS
    holds no comment marker inside a string (tested)."""
    return _CSS_COMMENT.sub("", css)


def on_post_build(config) -> None:
    started = time.perf_counter()
    for sheet in (Path(config.site_dir) / "assets" / "hinahon").glob("*.css"):
        sheet.write_text(strip_css_comments(sheet.read_text("utf-8")), "utf-8")
    write_search(config)
    _seconds["search"] += time.perf_counter() - started
    if config.config_file_path:
        Path(config.config_file_path).with_name(STAGES_FILE).write_text(json.dumps(_seconds))
        Path(config.config_file_path).with_name(POLICY_FILE).write_text(json.dumps(
            {"scripts": sorted(set(_allowed.scripts)), "styles": sorted(set(_allowed.styles))}))
