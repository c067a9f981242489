"""The safety boundary: the only ways a value from content reaches HTML.

Everything in `content/` (every Text, every label in `languages.yaml`, an
expert's name) is written by people we must not have to trust: a trainer may
paste a web page into a field. So each value takes exactly one of three paths,
and nothing else in the generator turns content into markup:

* **Content text** (`markdown_source`): the Markdown subset content may use —
  emphasis, lists, and links to http(s), mailto, tel or our own pages. HTML,
  entities, attribute lists (`{: ...}`), images and code are escaped before
  Markdown sees them, so they show as the characters the author typed.
* **Plain text** (`plain_text`, `markdown_plain`, `html_plain`): titles, labels
  and names. Markup is stripped, what is left is text; it is escaped for the
  place it goes (a Markdown page, or HTML in the MkDocs config, whose strings
  Material prints as they are).
* **Rendered pages** (`sanitize_page`): after MkDocs, the content part of every
  page is cleaned by nh3 (the Ammonia sanitizer) to the tags and attributes our
  templates and the Markdown subset produce. This is the wall that holds even if
  an escape above is ever wrong: no script, no event handler, no `style`, no
  `javascript:` link, no image from another host.
"""

from __future__ import annotations

import functools
import html
import re
import threading

import markdown
import nh3
from markupsafe import Markup

CONTENT_BEGIN = "<!-- hinahon:content -->"
CONTENT_END = "<!-- /hinahon:content -->"
"""Around each page's own content in the Markdown we hand MkDocs, and so in the
built HTML: what lies between them is sanitized. Content cannot forge them, as
`<` in content is always escaped."""

# --- content text: the Markdown subset -------------------------------------

_CONTENT_ESCAPES = {
    "&": "&amp;",  # an entity typed in content is shown as typed
    "<": "&lt;",  # no raw HTML, comments or autolinks
    ">": "&gt;",  # no block quotes
    '"': "&quot;",
    "{": "&#123;",  # no attr_list: `*x*{: onclick=... }`
    "}": "&#125;",
    "`": "&#96;",  # no code spans
    "~": "&#126;",  # no ~~~ code fences
    "|": "&#124;",  # no tables
}
_CONTENT_ESCAPE = re.compile("[" + re.escape("".join(_CONTENT_ESCAPES)) + "]")
_IMAGE = re.compile(r"!(?=\s*\[)")
_LINE_START = re.compile(
    r"^([ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)*?)(#|=+[ \t]*$|-+[ \t]*$|([-*_])(?:[ \t]*\3){2,}[ \t]*$)",
    re.MULTILINE)
"""Headings (ATX and setext) and rules would break the page's outline, at a
line's start or a list item's (`- # Heading`, `* ---`); the fewest list markers
are taken first, so `- - -` stays a rule's characters, not a list."""
_CODE_INDENT = re.compile(r"^(?= {4}|\t)[ \t]+(?![ \t]|(?:[-*+]|\d+[.)])[ \t])", re.MULTILINE)
"""Four spaces would make a code block, in which the escapes show; only a nested
list item keeps its indentation."""


def markdown_source(text: str) -> Markup:
    """A content text as Markdown source limited to our subset, ready for a page."""
    escaped = _CODE_INDENT.sub("", text)
    escaped = _CONTENT_ESCAPE.sub(lambda m: _CONTENT_ESCAPES[m.group()], escaped)
    escaped = _IMAGE.sub("&#33;", escaped)
    escaped = _LINE_START.sub(lambda m: m.group(1) + _entities(m.group(2)[0]) + m.group(2)[1:],
                              escaped)
    return Markup(escaped)


# --- plain text: titles, labels, names --------------------------------------

# Every character that can start Markdown or HTML syntax inside a line, and
# the quotes that would end an attribute.
_PLAIN_SPECIALS = re.compile(r"""[&<>"'*_`\[\]!{}\\|#~^]""")
_PLAIN_LEADING = re.compile(r"^(?:[-+]|\d+[.)])(?=\s)")
"""A list marker at the start of a value printed at the start of a line."""


@functools.lru_cache(maxsize=65536)
def plain_text(value: str) -> str:
    """What a reader sees of `value` as one line: Markdown rendered, tags dropped.

    HTML in the value is text (as in content text), so `</title>` stays the
    characters `</title>`; `**bold**` becomes `bold`.
    """
    source = str(markdown_source(" ".join(value.split())))
    source = _PLAIN_LEADING.sub(lambda m: _entities(m.group()), source)
    rendered = _markdown().reset().convert(source)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return " ".join(text.split())


_converters = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown converter: building one costs more than converting a title."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown()
    return converter


def markdown_plain(value: str) -> Markup:
    """A plain text for a Markdown page: numeric entities, so nothing in it is syntax.

    Entities work in every place our templates print a value — Markdown text,
    headings, and the attributes of the HTML blocks in them.
    """
    text = _PLAIN_SPECIALS.sub(lambda m: _entities(m.group()), plain_text(value))
    return Markup(_PLAIN_LEADING.sub(lambda m: _entities(m.group()), text))


def html_plain(value: str) -> str:
    """A plain text as HTML, safe in element text and in quoted attributes.

    For the strings of the MkDocs config (site name, description, section and
    language names), which Material's templates print without escaping.
    """
    return html.escape(plain_text(value), quote=True)


def _entities(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


# --- rendered pages ---------------------------------------------------------

ALLOWED_TAGS = {
    "a", "p", "em", "strong", "ul", "ol", "li", "br", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "div", "span", "sup",
    "table", "thead", "tbody", "tr", "th", "td",
    "img", "button",
}
"""What the Markdown subset and our templates (site_templates/*.j2) produce."""

ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "lang"},
    "a": {"href", "hreflang", "download"},
    "img": {"src", "alt", "loading", "width", "height"},
    "button": {"type"},
    "ol": {"start"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel"}
"""Where a link may lead; relative links (our own pages) are always allowed."""

_OUR_CLASS = re.compile(r"^(?:hinahon-[a-z0-9-]+|md-button(?:--primary)?)$")
_RELATIVE_SRC = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\\]*$")


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        # Only our templates' classes: content cannot restyle or hide the page.
        kept = [c for c in value.split() if _OUR_CLASS.match(c)]
        return " ".join(kept) or None
    if tag == "img" and name == "src" and not _RELATIVE_SRC.match(value):
        # An image from another host would make every reader's browser call it.
        return None
    return value


def sanitize_fragment(fragment: str) -> str:
    """`fragment` with everything outside the allowlist removed."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


class UnmarkedPageError(ValueError):
    """A built page lacks the markers around its content, so it cannot be cleaned."""


def sanitize_page(page: str) -> str:
    """A built HTML page with the part between the content markers sanitized."""
    begin, end = page.count(CONTENT_BEGIN), page.count(CONTENT_END)
    if begin != 1 or end != 1:
        raise UnmarkedPageError(
            f"expected one pair of content markers, found {begin} begin and {end} end")
    head, rest = page.split(CONTENT_BEGIN)
    body, tail = rest.split(CONTENT_END)
    return head + sanitize_fragment(body) + tail
