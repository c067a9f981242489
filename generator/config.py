"""The base MkDocs config, read once before a build for the little the generator needs.

MkDocs reads the file again itself (each language's config INHERITs it), with
its own tags; here they are read past. What is wrong is said in one line,
`file:line:col: error: ...` where a place is known, `config: error: ...`
otherwise.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .problems import display_path

_FIX = "--config takes the base MkDocs config file, e.g. --config mkdocs.yml"


class ConfigError(ValueError):
    """The base config cannot be used; the message is the one line to print."""


@dataclass(frozen=True)
class BaseConfig:
    site_url: str | None
    """An absolute http(s) address ending in a slash, or None when the config sets none."""
    use_directory_urls: bool = True
    """MkDocs' setting: each page a folder (`tactics/stay-calm/`) or a file (`.html`)."""


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' own tags (!ENV, !!python/name, ...) as nothing."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
_ConfigLoader.add_multi_constructor("!", lambda *_: None)


def read_base_config(path: Path) -> BaseConfig:
    where = display_path(path)
    if path.is_dir():
        raise ConfigError(f"config: error: {where}: is a folder, not a file; {_FIX}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config: error: {where}: is not UTF-8 text ({exc.reason} at byte "
                          f"{exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"config: error: {where}: cannot be read ({exc.strerror}); {_FIX}") from exc
    loader = _ConfigLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"{where}:{mark.line + 1}:{mark.column + 1}: error: YAML syntax: "
                          f"{exc.problem or exc.context}; fix the YAML") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config: error: {where}: YAML: {exc}") from exc
    finally:
        loader.dispose()
    if root is None:
        raise ConfigError(f"{where}:1:1: error: the file is empty; it needs at least the MkDocs "
                          f"settings of mkdocs.yml (theme, markdown_extensions, ...); {_FIX}")
    if not isinstance(data, dict):
        raise ConfigError(f"{where}:1:1: error: expected a mapping of MkDocs settings "
                          f"(name: value lines), got {_kind(data)}; {_FIX}")
    if "INHERIT" in data:
        node = _value_node(root, "INHERIT")
        raise ConfigError(f"{where}:{node.start_mark.line + 1}:{node.start_mark.column + 1}: error: "
                          "INHERIT: the base config cannot inherit another; every language's "
                          "config inherits it, so put the settings in it directly")
    directory_urls = data.get("use_directory_urls", True)
    if not isinstance(directory_urls, bool):
        mark = _value_node(root, "use_directory_urls").start_mark
        raise ConfigError(f"{where}:{mark.line + 1}:{mark.column + 1}: error: use_directory_urls: "
                          f"expected true or false, got {_kind(directory_urls)}")
    return BaseConfig(_site_url(data.get("site_url"), where, _value_node(root, "site_url")),
                      directory_urls)


_UNSAFE = set(string.whitespace) | set("\"'<>`\\{}|^")


def _site_url(url: object, where: str, node: yaml.Node | None) -> str | None:
    if url is None or url == "":
        return None
    problem = site_url_problem(url)
    if problem:
        mark = node.start_mark
        raise ConfigError(f"{where}:{mark.line + 1}:{mark.column + 1}: error: site_url: {problem}")
    return normal_site_url(url)


def site_url_problem(url: object) -> str | None:
    """Why `url` cannot be the site's address (what was expected, what came), or None."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.query or parts.fragment or not url.isprintable() or _UNSAFE & set(url)
            # A user name or password would be printed in every page's links.
            or "@" in parts.netloc):
        got = repr(url) if isinstance(url, str) else f"{_kind(url)}, {url!r}"
        return ("expected the absolute http(s) address the site is served from, as text with "
                "no spaces, quotes, <, > or ?query, like https://example.org/hinahon/; "
                f"got {got}")
    try:
        parts.port
    except ValueError:
        return f"the port of {url!r} is not a number from 0 to 65535"
    return None


def site_root_path(site_url: str | None) -> str:
    """The path the site's root is served at: site_url's, or the host's root without one."""
    return urlsplit(site_url).path if site_url else "/"


def normal_site_url(url: str) -> str:
    """A checked address with the one trailing slash every link is joined to."""
    return url.rstrip("/") + "/"


def _value_node(root: yaml.Node, key: str) -> yaml.Node | None:
    # The last, as YAML loaders keep the last of duplicate keys.
    found = [value for name, value in root.value if name.value == key]
    return found[-1] if found else None


def _kind(value: object) -> str:
    kinds = {list: "a list", dict: "a mapping", str: "text", bool: "true or false",
             int: "a number", float: "a number", type(None): "nothing"}
    return kinds.get(type(value), f"a {type(value).__name__}")
