"""nginx, started on 127.0.0.1 with deploy/nginx.conf, serving a built site.

The lines of deploy/nginx.conf marked EDIT (the address, the site's folder and
the policy file beside it) are rewritten for a free port and the folder given;
each must be there exactly once, so the file a maintainer follows is the file
tested. Everything else is used as it stands, inside a minimal main config
that loads Debian's brotli_static module as Debian's own nginx.conf does.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")

# What the maintainer edits, as deploy/nginx.conf writes it.
LISTEN = re.compile(r"^(\s*)listen 80;(.*)$", re.MULTILINE)
LISTEN6 = re.compile(r"^\s*listen \[::\]:80;.*\n", re.MULTILINE)
SITE_ROOT = re.compile(r"^(\s*)root /srv/hinahon/site;(.*)$", re.MULTILINE)
INCLUDE = re.compile(r"^(\s*)include /srv/hinahon/site/\.hinahon-csp\.conf;(.*)$", re.MULTILINE)


def missing() -> str | None:
    """Why nginx cannot be started here, or None."""
    if not Path(NGINX).exists():
        return "nginx is missing (apt-get install -y nginx libnginx-mod-http-brotli-static)"
    if not BROTLI_MODULE.exists():
        return f"{BROTLI_MODULE} is missing (apt-get install -y libnginx-mod-http-brotli-static)"
    if not MIME_TYPES.exists():
        return f"{MIME_TYPES} is missing (apt-get install -y nginx)"
    return None


def require_nginx() -> None:
    """nginx tests run wherever it is installed; under CI they must never be skipped."""
    why = missing()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)


def server_block(site: Path, port: int) -> str:
    """deploy/nginx.conf with its EDIT lines set for `site` on 127.0.0.1:`port`."""
    text = CONF.read_text("utf-8")
    for pattern, line in (
        (LISTEN, f"listen 127.0.0.1:{port};"),
        (SITE_ROOT, f"root {site};"),
        (INCLUDE, f"include {site}/.hinahon-csp.conf;"),
    ):
        text, count = pattern.subn(lambda m, line=line: f"{m.group(1)}{line}{m.group(2)}", text)
        assert count == 1, f"deploy/nginx.conf: expected one line matching {pattern.pattern}, found {count}"
    text, count = LISTEN6.subn("", text)
    assert count == 1, "deploy/nginx.conf: expected one `listen [::]:80;` line"
    return text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def nginx(site: Path, scratch: Path):
    """nginx serving `site` with deploy/nginx.conf; yields the base URL."""
    require_nginx()
    scratch.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    temp = {name: scratch / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir(exist_ok=True)
    main = scratch / "nginx.conf"
    main.write_text(
        f"load_module {BROTLI_MODULE};\n"
        "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        f"pid {scratch / 'nginx.pid'};\nerror_log {scratch / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  include {MIME_TYPES};\n  default_type application/octet-stream;\n  access_log off;\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        + server_block(site.resolve(), port) + "\n}\n", "utf-8")
    command = [NGINX, "-p", str(scratch), "-e", str(scratch / "error.log"), "-c", str(main)]
    checked = subprocess.run(command + ["-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}"
                                         f"{(scratch / 'error.log').read_text()}")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
