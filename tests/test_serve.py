"""`python -m generator serve`: rebuilds on change, reloads the page, shows errors
in a banner and keeps serving the last good site."""

from __future__ import annotations

import http.client
import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser import require_chromium
from conftest import BASE_CONFIG, ROOT, TINY_TREE, run_cli, write

from generator.serve import LIVE, News, Rebuilder, _with_live_script, make_server

TYPE = "customer-types/angry.yaml"


def test_only_the_sites_own_inputs_trigger_a_rebuild(tmp_path: Path):
    content, templates, config = tmp_path / "content", tmp_path / "templates", tmp_path / "mkdocs.yml"
    for folder in (content, templates):
        folder.mkdir()
    rebuilder = Rebuilder(content, tmp_path / "out", config, None, News(), templates=templates)
    for path in [config, content / "tactics/stay-calm.yaml", content / "languages.yaml",
                 content / "tactics", templates / "theme/main.html", content / "notes.txt"]:
        assert rebuilder.affects(path), path
    for path in [content / "tactics/.stay-calm.yaml.swp", content / ".git/index",
                 content / ".schemas/tactic.json", tmp_path / "README.md", tmp_path / "out/x.html",
                 templates / ".#main.html"]:
        assert not rebuilder.affects(path), path


@pytest.mark.parametrize("html", [b"<html><body><p>x</p></body></html>", b"<p>no body</p>",
                                  b"<body></body><p>a second </body> in text</p></body>"])
def test_the_live_script_goes_in_once_before_the_last_body_end(html: bytes):
    out = _with_live_script(html, 7)
    assert out.count(b"live.js") == 1
    assert b'data-version="7"' in out
    assert out.replace(b'<script src="/__hinahon/live.js" data-version="7"></script>', b"") == html
    if b"</body>" in html:
        assert out.rindex(b"live.js") < out.rindex(b"</body>")


@pytest.fixture
def server(tmp_path: Path):
    site = tmp_path / "site"
    write(site / "en/index.html", "<!doctype html><body><h1>Hi</h1></body>")
    write(site / "en/style.css", "body{}")
    write(tmp_path / "secret.txt", "not for the web")
    news = News()
    httpd = make_server(site, news, 0)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd, news
    news.close()
    httpd.shutdown()
    httpd.server_close()


def _get(httpd, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(*httpd.server_address[:2], timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


def test_it_listens_on_127_0_0_1_only(server):
    httpd, _ = server
    assert httpd.server_address[0] == "127.0.0.1"


def test_pages_get_the_script_and_everything_else_comes_as_it_is(server):
    httpd, _ = server
    for path in ("/en/", "/en/index.html"):
        response = _get(httpd, path)
        body = response.read()
        assert response.status == 200 and b"/__hinahon/live.js" in body, path
        assert response.getheader("Cache-Control") == "no-store"
    assert _get(httpd, "/en/style.css").read() == b"body{}"
    script = _get(httpd, LIVE + "live.js")
    assert script.status == 200 and b"EventSource" in script.read()
    assert _get(httpd, LIVE + "nothing").status == 404
    assert _get(httpd, "/en/missing/").status == 404
    assert _get(httpd, "/en").status == 301  # to the folder's URL, as any static server does
    for sneaky in ("/../secret.txt", "/en/../../secret.txt", "/%2e%2e/secret.txt"):
        response = _get(httpd, sneaky)
        assert b"not for the web" not in response.read(), sneaky


def test_the_event_stream_tells_each_build_and_each_error(server):
    httpd, news = server
    connection = http.client.HTTPConnection(*httpd.server_address[:2], timeout=10)
    connection.request("GET", LIVE + "events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    events: queue.Queue = queue.Queue()

    def read() -> None:
        block: list[str] = []
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line:
                block.append(line)
            elif block:
                events.put(block)
                block = []

    threading.Thread(target=read, daemon=True).start()
    assert events.get(timeout=5) == ["retry: 500"]
    assert events.get(timeout=5) == ["event: version", "data: 0"]
    news.failed("content/x.yaml:3:1: error: <b>bad</b>")
    kind, data = events.get(timeout=5)
    assert kind == "event: error"
    assert json.loads(data.removeprefix("data: ")) == {"error": "content/x.yaml:3:1: error: <b>bad</b>"}
    news.built()
    assert events.get(timeout=5) == ["event: version", "data: 1"]


@pytest.mark.parametrize("port", ["abc", "-1", "65536", "80.5"])
def test_a_mistyped_port_is_a_usage_error(tmp_path: Path, port: str):
    result = run_cli("serve", "--port", port, cwd=tmp_path)
    assert result.returncode == 2
    assert "expected a port number from 0 to 65535" in result.stderr


def test_a_port_in_use_is_refused_with_what_to_do(tmp_path: Path, server):
    httpd, _ = server
    taken = str(httpd.server_address[1])
    for rel, body in TINY_TREE.items():
        write(tmp_path / "content" / rel, body)
    result = run_cli("serve", "--content", "content", "--config", str(BASE_CONFIG), "--port", taken,
                     cwd=tmp_path)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{taken}" in result.stderr and "--port" in result.stderr


class Served:
    """`python -m generator serve` running on a tiny tree, its output collected."""

    def __init__(self, root: Path):
        self.root = root
        self.lines: queue.Queue = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--content", "content",
             "--config", str(BASE_CONFIG), "--port", "0"],
            cwd=root, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                           "HINAHON_CHROMIUM": "/nope"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("Serving on ").split("Serving on ")[1].split()[0]

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, words: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if words in line:
                return line
        raise AssertionError(f"{words!r} not said; said: {''.join(seen)}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


@pytest.mark.browser
def test_a_page_reloads_after_a_change_and_keeps_serving_after_a_bad_one(tmp_path: Path, browser):
    require_chromium()
    for rel, body in TINY_TREE.items():
        write(tmp_path / "content" / rel, body)
    served = Served(tmp_path)
    try:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda box: (dialogs.append(box.message), box.dismiss()))
        for lang, angry, furious in (("en", "They are angry.", "They are furious."),
                                     ("tl", "Galit siya.", "Galit na galit siya.")):
            page.goto(f"{served.url}{lang}/customer-types/angry/")
            assert angry in page.inner_text("article")
            source = tmp_path / "content" / TYPE
            source.write_text(source.read_text("utf-8").replace(angry, furious), "utf-8")
            # A function, not an expression: Playwright evaluates an expression with eval,
            # which the pages' policy refuses (generator/csp.py).
            page.wait_for_function(f"() => document.querySelector('article').innerText.includes({furious!r})",
                                   timeout=90_000)

        # A bad save: the terminal and the page say where, and the last good page stays.
        good = source.read_text("utf-8")
        source.write_text(good.replace("title:", "<img src=x onerror=alert(1)>:", 1), "utf-8")
        banner = page.wait_for_selector("#hinahon-build-error", timeout=90_000)
        said = banner.inner_text()
        assert "customer-types/angry.yaml:1:1: error:" in said
        assert "unknown field '<img src=x onerror=alert(1)>'" in said
        assert banner.query_selector("img") is None
        served.wait_for("customer-types/angry.yaml:1:1: error:")
        served.wait_for("The last good site is still being served.")
        page.reload()
        assert "Galit na galit siya." in page.inner_text("article")
        page.wait_for_selector("#hinahon-build-error", timeout=30_000)

        # Fixed: the banner goes and the page shows the fixed text.
        source.write_text(good.replace("Galit na galit siya.", "Mahinahon na siya."), "utf-8")
        page.wait_for_function(
            "() => document.querySelector('article').innerText.includes('Mahinahon na siya.')",
            timeout=90_000)
        assert page.query_selector("#hinahon-build-error") is None
        assert dialogs == []
    finally:
        status = served.stop()
    assert status == 130  # interrupted by Ctrl-C, as the CLI reports it
