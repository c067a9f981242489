"""The Content-Security-Policy of every page (generator/csp.py).

What a page's policy allows is recomputed here from the page itself, by a
second reading of its scripts (Python's HTML parser, a tokenizer, where the
generator scans with a regular expression), so the two must agree for the
test to pass.
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import re
from pathlib import Path

import pytest

from conftest import LANGS
from generator.csp import CSP_HEADER, Inline, inline_blocks, policy, site_policy, source_hash, with_policy

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
REQUIRED = ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'")


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(value: str) -> dict[str, list[str]]:
    parts = [d.split() for d in value.split(";") if d.strip()]
    return {d[0]: d[1:] for d in parts}


class _Blocks(html.parser.HTMLParser):
    """The text of every script and style element, as a tokenizer reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and "src" not in values and (values.get("type") or "").strip().lower() in (
                "", "text/javascript", "application/javascript", "module", "text/ecmascript"):
            self._open, self._text = self.scripts, []
        elif tag == "style":
            self._open, self._text = self.styles, []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            if self._open is not None:
                self._open.append(sha256("".join(self._text)))
            self._open = None


def blocks(page: str) -> _Blocks:
    parser = _Blocks()
    parser.feed(page)
    parser.close()
    return parser


def expected_scripts(page: str) -> list[str]:
    """The hashes of the inline scripts a browser runs, read by a tokenizer."""
    return blocks(page).scripts


# --- the module --------------------------------------------------------------

def test_hash_is_the_sha256_a_browser_computes():
    # The sha256 of the empty string, as CSP writes it (a value known beforehand).
    assert source_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    assert source_hash("alert(1)") == sha256("alert(1)")


def test_inline_blocks_are_found_exactly_and_data_and_files_are_not():
    page = ('<html><head><script>a()</script><script src="x.js"></script>'
            '<script type="application/json">{"b": 1}</script><script type="module"> m() </script>'
            '<style>p{color:red}</style></head><body><script>\n  c("</p>")\n</script></body></html>')
    found = inline_blocks(page)
    assert found.scripts == [sha256("a()"), sha256(" m() "), sha256('\n  c("</p>")\n')]
    assert found.styles == [sha256("p{color:red}")]


@pytest.mark.parametrize("page", [
    '<SCRIPT>up()</SCRIPT><Style>b{}</STYLE>',
    '<!-- <script>commented()</script> --><script>real()</script>',
    '<script data-x="a>b">gt()</script>',
    "<script type='text/javascript'>single()</script>",
    '<script type=module>bare()</script>',
    '<script data-src="x" data-type="json">named()</script>',
    '<script src>empty()</script><script async src="y.js"></script>',
    '<script>document.write("<b>")</script >',
    '<script type="text/template"><p>data</p></script>',
    '<scripts>not()</scripts><stylesheet>no</stylesheet>',
    '<script>\n</script><style>\n</style>',
])
def test_the_scan_reads_scripts_and_styles_as_a_tokenizer_does(page: str):
    found, oracle = inline_blocks(f"<html><head>{page}</head></html>"), blocks(page)
    assert (found.scripts, found.styles) == (oracle.scripts, oracle.styles)


def test_policy_goes_before_every_script_and_names_each_hash():
    page = '<!doctype html><html><head><meta charset="utf-8"><script>go()</script></head><body></body></html>'
    out, inline = with_policy(page)
    meta = META.search(out)
    assert meta and meta.start() < out.index("<script>") and meta.start() > out.index("<meta charset")
    rules = directives(meta.group(1))
    assert rules["script-src"] == ["'self'", sha256("go()")]
    for rule in REQUIRED:
        name, *value = rule.split()
        assert rules[name] == value


def test_a_page_without_charset_gets_the_policy_right_after_head():
    out, _ = with_policy("<html><head><script>x()</script></head></html>")
    assert out.startswith('<html><head><meta http-equiv="Content-Security-Policy"')


@pytest.mark.parametrize("page, why", [
    ("<html><body>no head</body></html>", "no <head>"),
    ('<html><head><meta http-equiv="content-security-policy" content="x"></head></html>', "already"),
])
def test_a_page_the_policy_cannot_go_into_is_refused(page: str, why: str):
    with pytest.raises(ValueError, match=why):
        with_policy(page)


def test_content_that_only_names_the_header_is_no_policy():
    # An author may write about the header; only a <meta> tag is one.
    out, _ = with_policy("<html><head></head><body><p>Content-Security-Policy</p></body></html>")
    assert len(META.findall(out)) == 1


def test_site_policy_allows_every_page_and_repeats_nothing():
    one, two = Inline([sha256("a")], []), Inline([sha256("b"), sha256("a")], [sha256("s")])
    rules = directives(site_policy([one, two]))
    assert sorted(rules["script-src"]) == sorted(["'self'", sha256("a"), sha256("b")])
    assert rules["style-src"] == ["'self'", sha256("s")]
    assert "'unsafe-inline'" not in policy(Inline()) and "'unsafe-eval'" not in policy(Inline())


# --- the built site ----------------------------------------------------------

def every_html_page(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_of_every_language_carries_its_own_policy(real_site: Path):
    pages = every_html_page(real_site)
    per_language = {lang: 0 for lang in LANGS}
    wrong = []
    for path in pages:
        page = path.read_text("utf-8")
        metas = META.findall(page)
        head = page[:page.lower().index("</head>")]
        if len(metas) != 1 or META.search(head) is None:
            wrong.append(f"{path}: {len(metas)} policies")
            continue
        first_script = page.find("<script")
        if first_script >= 0 and META.search(page).start() > first_script:
            wrong.append(f"{path}: the policy comes after a script")
        rules = directives(metas[0])
        if [r for r in REQUIRED if rules.get(r.split()[0]) != r.split()[1:]]:
            wrong.append(f"{path}: {metas[0]}")
        scripts = rules["script-src"]
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts or scripts[0] != "'self'":
            wrong.append(f"{path}: script-src {scripts}")
        if sorted(scripts[1:]) != sorted(set(expected_scripts(page))):
            wrong.append(f"{path}: allows {scripts[1:]}, carries {expected_scripts(page)}")
        styles = rules["style-src"]
        if sorted(styles[1:]) != sorted(set(blocks(page).styles)):
            wrong.append(f"{path}: style-src {styles}")
        if ' style="' in page or re.search(r"<[^>]+\son[a-z]+=", page):
            wrong.append(f"{path}: an inline style or handler, which the policy would refuse")
        lang = path.relative_to(real_site).parts[0]
        if lang in per_language:
            per_language[lang] += 1
    assert wrong == []
    # The language chooser and the root's "not found" too, and every page of every language.
    assert {p.name for p in pages if p.parent == real_site} == {"index.html", "404.html"}
    assert all(count > 130 for count in per_language.values()), per_language


def test_the_header_policy_allows_what_every_page_does_and_no_more(real_site: Path):
    conf = (real_site / CSP_HEADER).read_text("utf-8")
    [header] = re.findall(r'^set \$hinahon_csp "([^"]*)";$', conf, re.MULTILINE)
    allowed = set(directives(header)["script-src"])
    carried = {"'self'"}
    for path in every_html_page(real_site):
        page_rules = directives(META.search(path.read_text("utf-8")).group(1))
        assert set(page_rules["script-src"]) <= allowed, path
        carried |= set(page_rules["script-src"])
        assert {k: v for k, v in page_rules.items() if k not in ("script-src", "style-src")} == \
            {k: v for k, v in directives(header).items() if k not in ("script-src", "style-src")}
    assert allowed == carried


def test_the_offline_copy_keeps_its_policy_and_has_no_header_file(offline_site: Path):
    pages = every_html_page(offline_site)
    assert pages and all(len(META.findall(p.read_text("utf-8"))) == 1 for p in pages)
    assert not (offline_site / CSP_HEADER).exists()
