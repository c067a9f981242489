"""`python -m generator serve`: the site on 127.0.0.1, rebuilt whenever content changes.

An author saves a file: the content is validated and the site rebuilt, and
every page open in a browser reloads. When the content has an error, the
terminal prints it (`content/tactics/stay-calm.yaml:12:3: error: ...`), every
open page shows it in a banner, and the last good site goes on being served,
so the author can keep reading while fixing it.

The server listens on 127.0.0.1 only. Each HTML page it sends gets one
script (`live.js`, beside this module) that listens for the server's news
on an event stream; the site on disk is never changed for it, so what is
served is exactly what `build` would publish, plus that script.
"""

from __future__ import annotations

import functools
import gc
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import BuildError
from .config import ConfigError
from .incremental import Session
from .output import OutError, SwapError
from .problems import ContentError

LIVE = "/__hinahon/"
"""Where the server's own files are, beside the site's."""
LIVE_SCRIPT = Path(__file__).with_name("live.js")
SETTLE = 0.05
"""Seconds to wait after a change for the rest of a save (editors write in several steps)."""
KEEPALIVE = 10.0
"""Seconds between the event stream's keep-alive comments, so a dropped browser is noticed."""


@dataclass(frozen=True)
class State:
    """What the server last told browsers: the site's version, and the error if the last build failed."""

    version: int = 0
    error: str | None = None


class News:
    """The latest State, and a way for each browser's event stream to wait for the next."""

    def __init__(self) -> None:
        self._state = State()
        self._changed = threading.Condition()
        self.closed = False

    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def built(self) -> None:
        with self._changed:
            self._state = State(self._state.version + 1, None)
            self._changed.notify_all()

    def failed(self, error: str) -> None:
        with self._changed:
            self._state = State(self._state.version, error)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait(self, seen: State, timeout: float) -> State:
        """The state once it differs from `seen`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._state != seen or self.closed, timeout)
            return self._state


def _event(state: State) -> bytes:
    if state.error is not None:
        return b"event: error\ndata: " + json.dumps({"error": state.error}).encode() + b"\n\n"
    return f"event: version\ndata: {state.version}\n\n".encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    news: News
    """Set on the subclass `serve` makes."""

    def log_message(self, *args) -> None:
        pass  # the terminal is for the author's errors, not for every request

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = unquote(urlsplit(self.path).path)
        if path == LIVE + "events":
            self._events()
        elif path == LIVE + "live.js":
            self._send(LIVE_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        elif path.startswith(LIVE):
            self.send_error(404)
        elif not Path(self.directory).is_dir():
            # Nothing has built yet: a blank page, where the banner shows the error.
            self._send(_with_live_script(_WAITING, self.news.state.version), "text/html; charset=utf-8")
        elif (html := self._html_file(path)) is not None:
            self._send(_with_live_script(html.read_bytes(), self.news.state.version),
                       "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                return None  # http.server redirects to the folder's URL
            local = local / "index.html"
        return local if local.suffix == ".html" and local.is_file() else None

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.news.state
        try:
            self.wfile.write(b"retry: 500\n\n" + _event(state))
            self.wfile.flush()
            while not self.news.closed:
                new = self.news.wait(state, KEEPALIVE)
                self.wfile.write(_event(new) if new != state else b": still here\n\n")
                self.wfile.flush()
                state = new
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded


_WAITING = b"<!doctype html><meta charset=utf-8><title>Hinahon</title><body></body>"


def _with_live_script(html: bytes, version: int) -> bytes:
    tag = f'<script src="{LIVE}live.js" data-version="{version}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive


def make_server(site: Path, news: News, port: int) -> Server:
    """An HTTP server for `site` on 127.0.0.1:`port` (0: any free port)."""
    handler = type("Handler", (_Handler,), {"news": news})
    return Server(("127.0.0.1", port), functools.partial(handler, directory=str(site)))


def describe_failure(exc: BaseException) -> str:
    """What to tell the author about a failed build: the lines a `build` would print."""
    if isinstance(exc, ContentError):
        return "\n".join([*(p.format() for p in exc.problems), f"{len(exc.problems)} error(s)."])
    if isinstance(exc, (BuildError, ConfigError, OutError, SwapError)):
        return str(exc)
    return "".join(traceback.format_exception(exc)).rstrip()


class Rebuilder:
    """Builds the site into `out` again whenever asked, one build at a time."""

    def __init__(self, content: Path, out: Path, config: Path, languages: list[str] | None,
                 news: News, say=print, templates: Path | None = None):
        self.content, self.out, self.config, self.languages = content, out, config, languages
        self.session = Session(content, out, config, languages, sources=out.parent / "src")
        self.news = news
        self.say = say
        self.watched = [folder.resolve() for folder in (content, templates) if folder]
        """Folders whose files the site is made from; the base config is the other input."""
        self._wanted = threading.Event()
        self._content_only = True
        """Whether every change since the last build was to content (else: a full build)."""
        self._cold = False
        """Whether a full build happened since the partial rebuilds were last readied."""

    def rebuild(self) -> bool:
        """Build now, in part where only content changed; True when the new site is served."""
        content_only, self._content_only = self._content_only, True
        try:
            outcome = self.session.update() if content_only else self.session.full()
        except Exception as exc:  # noqa: BLE001 (any failure is the author's to see, never a crash)
            message = describe_failure(exc)
            self.say(f"{message}\nThe last good site is still being served.", file=sys.stderr)
            self.news.failed(message)
            return False
        self.news.built()
        how = "built" if outcome.full else "rebuilt"
        self.say(f"{how.capitalize()} {outcome.pages} page(s) in {outcome.seconds:.2f} s.")
        self._cold = self._cold or outcome.full
        return True

    def warm(self) -> None:
        """After a full build: ready the partial rebuilds before the author's next save."""
        if not self._cold:
            return
        self._cold = False
        started = time.monotonic()
        try:
            self.session.warm()
        except Exception:  # noqa: BLE001 (the next save builds in full and says why)
            return
        self.say(f"Ready for changes ({time.monotonic() - started:.1f} s to prepare).")
        # What the build left in memory stays for the session: setting it aside
        # spares every later garbage collection a walk through a hundred
        # thousand objects, tens of milliseconds in each partial rebuild.
        # Unfrozen first: what an earlier full build left is garbage by now.
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def changed(self, path: str) -> None:
        """Note a change to `path`; the loop in `run` builds once it settles."""
        if self.affects(Path(path)):
            content = self.content.resolve()
            if not Path(path).resolve().is_relative_to(content):
                self._content_only = False  # the config or a template: every page may change
            self._wanted.set()

    def affects(self, path: Path) -> bool:
        """Whether the site is made from `path`: the base config, or a file in a watched
        folder other than an editor's swap or backup file (their names start with '.')."""
        path = path.resolve()
        if path == self.config.resolve():
            return True
        for folder in self.watched:
            if path == folder or folder in path.parents:
                return not any(part.startswith(".") for part in path.relative_to(folder).parts)
        return False

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if not self._wanted.is_set():
                self.warm()
            if not self._wanted.wait(0.2):
                continue
            # Let the rest of a save land, then build once for all of it.
            while True:
                self._wanted.clear()
                if stop.wait(SETTLE) or not self._wanted.is_set():
                    break
            if not stop.is_set():
                self.rebuild()


def _watch(paths: list[Path], rebuilder: Rebuilder):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return  # reading is not changing
            rebuilder.changed(str(event.src_path))

    observer = Observer()
    for path in paths:
        # A file is watched through its folder (editors replace files by renaming).
        folder = path if path.is_dir() else path.parent
        observer.schedule(Changed(), str(folder), recursive=path.is_dir())
    observer.start()
    return observer


def serve(content: Path, config: Path, languages: list[str] | None, port: int) -> int:
    """Build, serve and rebuild on change until interrupted; returns the exit status."""
    from .render import TEMPLATES

    scratch = Path(tempfile.mkdtemp(prefix="hinahon-serve-"))
    out = scratch / "site"
    news = News()
    rebuilder = Rebuilder(content, out, config, languages, news, templates=TEMPLATES)
    stop = threading.Event()
    try:
        try:
            server = make_server(out, news, port)
        except OSError as exc:
            print(f"serve: cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
                  "choose another port with --port", file=sys.stderr)
            return 2
        rebuilder.rebuild()
        observer = _watch([content, config, TEMPLATES], rebuilder)
        worker = threading.Thread(target=rebuilder.run, args=(stop,), daemon=True)
        worker.start()
        host, bound = server.server_address[:2]
        print(f"Serving on http://{host}:{bound}/ — pages reload when content changes; "
              "Ctrl-C stops.", flush=True)
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            stop.set()
            news.close()
            observer.stop()
            server.server_close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0
