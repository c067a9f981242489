"""deploy/nginx.conf, as nginx runs it (tests/nginx.py starts it on 127.0.0.1):
what a reader's browser gets back, header by header."""

from __future__ import annotations

import gzip
import http.client
import re
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

import nginx
from conftest import LANGS
from generator.csp import CSP_HEADER

SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def served(real_site: Path, tmp_path_factory):
    with nginx.nginx(real_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def get(url: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def site_policy(real_site: Path) -> str:
    [policy] = re.findall(r'"([^"]*)"', (real_site / CSP_HEADER).read_text("utf-8"))
    return policy


def test_the_config_nginx_is_given_is_the_file_in_deploy(real_site: Path, tmp_path: Path):
    block = nginx.server_block(real_site, 8123)
    kept = [line for line in nginx.CONF.read_text("utf-8").splitlines()
            if "EDIT" not in line and "[::]" not in line]
    assert [line for line in kept if line not in block.splitlines()] == []
    assert "listen 127.0.0.1:8123;" in block and f"root {real_site};" in block


@pytest.mark.parametrize("encoding, decode", [("br", brotli.decompress), ("gzip", gzip.decompress)])
@pytest.mark.parametrize("lang", LANGS)
def test_pages_and_assets_go_out_compressed_to_a_browser_that_accepts_it(
        served, real_site: Path, lang: str, encoding: str, decode):
    for path in (f"/{lang}/customer-types/angry/", f"/{lang}/search/index.js",
                 f"/{lang}/assets/hinahon/hinahon.css"):
        status, headers, body = get(served, path, **{"Accept-Encoding": encoding})
        assert status == 200, path
        assert headers.get("content-encoding") == encoding, (path, headers)
        assert "Accept-Encoding" in headers.get("vary", ""), path
        on_disk = real_site / path.lstrip("/")
        on_disk = on_disk / "index.html" if path.endswith("/") else on_disk
        assert decode(body) == on_disk.read_bytes(), path
        assert len(body) < on_disk.stat().st_size / 2, path


def test_a_browser_that_accepts_no_compression_gets_the_file_as_it_is(served, real_site: Path):
    status, headers, body = get(served, "/en/customer-types/angry/")
    assert status == 200 and "content-encoding" not in headers
    assert body == (real_site / "en/customer-types/angry/index.html").read_bytes()
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_hashed_assets_are_kept_a_year_and_everything_else_is_asked_again(served, real_site: Path):
    [bundle] = (real_site / "tl/assets/javascripts").glob("bundle.*.min.js")
    [style] = (real_site / "tl/assets/stylesheets").glob("main.*.min.css")
    for asset in (bundle, style):
        status, headers, _ = get(served, "/" + asset.relative_to(real_site).as_posix())
        assert status == 200 and headers["cache-control"] == YEAR, asset
    for path in ("/", "/tl/", "/tl/customer-types/angry/", "/tl/search/index.js",
                 "/tl/assets/hinahon/search.js", "/tl/sitemap.xml", "/tl/cheatsheets/angry.pdf"):
        status, headers, _ = get(served, path)
        assert status == 200 and headers["cache-control"] == "no-cache", (path, headers)


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/tl/tactics/stay-calm/", 200), ("/az/no-such-page/", 404), ("/nothing", 404),
    ("/en/assets/hinahon/hinahon.js", 200),
])
def test_every_answer_carries_the_security_headers(served, real_site: Path, path: str, status: int):
    got, headers, _ = get(served, path)
    assert got == status
    for name, value in SECURITY.items():
        assert headers.get(name.lower()) == value, (path, name)
    assert "camera=()" in headers["permissions-policy"]
    assert headers["content-security-policy"] == site_policy(real_site)
    # Left for the maintainer to turn on once HTTPS is certain.
    assert "strict-transport-security" not in headers


def test_the_header_policy_is_the_one_the_build_wrote(served, real_site: Path):
    policy = site_policy(real_site)
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert policy.count("'sha256-") >= 5


def test_the_root_is_the_chooser_and_a_language_without_slash_is_redirected(served, real_site: Path):
    status, _, body = get(served, "/")
    assert status == 200 and body == (real_site / "index.html").read_bytes()
    for lang in LANGS:
        status, headers, _ = get(served, f"/{lang}")
        # Relative, so it holds behind any host name and port.
        assert (status, headers.get("location")) == (301, f"/{lang}/")


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_address_in_a_language_gets_that_languages_not_found(served, real_site: Path, lang: str):
    for path in (f"/{lang}/no-such-page/", f"/{lang}/customer-types/nobody/", f"/{lang}/a/b/c.html"):
        status, _, body = get(served, path)
        assert status == 404, path
        assert body == (real_site / lang / "404.html").read_bytes(), path


def test_an_unknown_address_outside_the_languages_gets_the_roots_not_found(served, real_site: Path):
    for path in ("/xx/", "/xx/yy/zz", "/missing.html", "/" + CSP_HEADER, "/.hinahon-site"):
        status, _, body = get(served, path)
        assert status == 404, path
        assert body == (real_site / "404.html").read_bytes(), path
