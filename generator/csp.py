"""The Content-Security-Policy of every page: a second wall behind escaping.

Every HTML page the build writes gets the policy as a `<meta http-equiv>` at
the top of its `<head>`, before any script, so it holds on a host that cannot
set headers (GitHub Pages). Scripts run only from the site itself and, inline,
by the sha256 of each inline script the page carries, read off the page as
MkDocs wrote it: Material's own few (its scope, palette and tab scripts) and
ours (site_templates/theme/main.html, the chooser). Anything else that ever
slipped past escaping, an injected `<script>` or an `onclick`, does not run.

Styles: inline `<style>` blocks by hash too (the chooser's); Material sets
styles from its scripts through the CSSOM, which a policy does not govern.
Images may be `data:` URLs: Material's stylesheet draws its icons with them.

`site_policy` is the union over every page, for a server that sends the policy
as a header (deploy/nginx.conf): a browser enforces both, header and meta.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

META_NAME = "Content-Security-Policy"
CSP_HEADER = ".hinahon-csp.conf"
"""At the site's root: the site-wide policy as an nginx variable, `$hinahon_csp`,
which deploy/nginx.conf includes and sends as a header. Written with each build,
so the header always allows what the pages it serves carry."""

# Script types a browser runs; a `<script type="application/json">` (Material's
# config) is data, and no policy applies to it.
_RUN_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


@dataclass
class Inline:
    """The inline scripts and style blocks of one page, as their sha256 sources."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)


def source_hash(text: str) -> str:
    """A policy's hash source for an inline block's exact text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


_ATTRS = r"""(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)"""
_BLOCKS = re.compile(
    r"<!--.*?-->"  # a comment holds no element: skipped whole
    r"|<(?P<tag>script|style)(?=[\s>/])" + _ATTRS + r">(?P<body>.*?)</(?P=tag)\s*>",
    re.DOTALL | re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_SRC = re.compile(r"""\ssrc(?:\s*=|[\s/]|$)""", re.IGNORECASE)


def inline_blocks(page: str) -> Inline:
    """The hashes of the inline scripts and style blocks `page` holds, in order.

    A scan, not a parse: the pages are MkDocs' and ours, whose only raw-text
    elements are scripts and styles, and the sanitizer has taken every one out
    of the content. A script's text runs to its first `</script`, as in a
    browser. (An HTML parser in Python took a millisecond and a half a page,
    more than the rest of our work on it; tests/test_csp.py checks this scan
    against one, on every built page.)
    """
    found = Inline()
    for match in _BLOCKS.finditer(page):
        tag = match.group("tag")
        if tag is None:
            continue
        if tag.lower() == "script":
            attrs = " " + match.group("attrs")
            kind = _TYPE.search(attrs)
            value = next((v for v in kind.groups() if v is not None), "") if kind else ""
            if _SRC.search(attrs) or value.strip().lower() not in _RUN_TYPES:
                continue
            found.scripts.append(source_hash(match.group("body")))
        else:
            found.styles.append(source_hash(match.group("body")))
    return found


def policy(inline: Inline) -> str:
    """The policy for a page with these inline blocks (or a site, for their union)."""
    scripts = " ".join(["'self'", *dict.fromkeys(inline.scripts)])
    styles = " ".join(["'self'", *dict.fromkeys(inline.styles)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        f"style-src {styles}",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


_META = re.compile(r"<meta[^>]*http-equiv\s*=\s*[\"']?content-security-policy", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)


def with_policy(page: str) -> tuple[str, Inline]:
    """`page` with its policy as the first element after `<meta charset>` (or `<head>`),
    before any script; and what it allowed."""
    if _META.search(page):
        raise ValueError(f"the page already carries a {META_NAME}: it would be enforced beside ours")
    inline = inline_blocks(page)
    tag = f'<meta http-equiv="{META_NAME}" content="{policy(inline)}">'
    head = _HEAD.search(page)
    if head is None:
        raise ValueError("the page has no <head>: there is nowhere to put its policy")
    charset = _CHARSET.search(page, head.end())
    first_script = page.find("<script", head.end())
    # After the charset, which must stay in the first 1,024 bytes, unless a script comes first.
    at = (charset.end() if charset and (first_script < 0 or charset.start() < first_script)
          else head.end())
    return page[:at] + tag + page[at:], inline


def site_policy(pages: Iterable[Inline]) -> str:
    """One policy that allows what every page does, for a header."""
    union = Inline()
    for inline in pages:
        union.scripts += inline.scripts
        union.styles += inline.styles
    union.scripts.sort()
    union.styles.sort()
    return policy(union)


def csp_header(site_wide: str) -> str:
    """The file CSP_HEADER: `site_wide` for nginx to send (deploy/nginx.conf)."""
    return ("# Written by `python -m generator build`: the Content-Security-Policy every\n"
            "# page allows, for deploy/nginx.conf to send as a header. Do not edit.\n"
            f'set $hinahon_csp "{site_wide}";\n')
