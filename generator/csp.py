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
from html.parser import HTMLParser

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


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found = Inline()
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values:
            kind = (values.get("type") or "").strip().lower()
            self._open = "scripts" if kind in _RUN_TYPES else None
        elif tag == "style":
            self._open = "styles"
        else:
            return
        self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._open:
            getattr(self.found, self._open).append(source_hash("".join(self._text)))
        if tag in ("script", "style"):
            self._open = None


def inline_blocks(page: str) -> Inline:
    """The hashes of the inline scripts and style blocks `page` holds, in order."""
    finder = _InlineFinder()
    finder.feed(page)
    finder.close()
    return finder.found


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
