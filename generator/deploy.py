"""`python -m generator deploy`: the site built, then published to a git branch.

The branch (gh-pages by default) holds the built site and nothing else, with a
`.nojekyll` so GitHub Pages serves it as it is (folders and files starting with
a dot or an underscore included). Each deploy adds one commit on top of the
branch as it stands on the remote, through `ghp-import`, which MkDocs' own
`gh-deploy` uses too, then pushes it.

It refuses, and leaves the branch as it was, when the site has no address (a
published site without `site_url` prints sheets nobody can find the page of and
has no sitemap) and when the build fails: only a site that built is pushed.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import output


class DeployError(Exception):
    """Nothing was published; the message says why, in one line."""


@dataclass
class Published:
    remote: str
    branch: str
    commit: str
    files: int


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


def check_repository(cwd: Path, remote: str) -> None:
    """Before a build: is there a git repository here with that remote?"""
    inside = _git("rev-parse", "--git-dir", cwd=cwd)
    if inside.returncode != 0:
        raise DeployError(f"{cwd}: not in a git repository; deploy publishes to a branch of the "
                          "repository it is run in")
    if _git("remote", "get-url", remote, cwd=cwd).returncode != 0:
        known = _git("remote", cwd=cwd).stdout.split()
        raise DeployError(f"--remote: the repository has no remote {remote!r} (it has "
                          f"{', '.join(known) if known else 'none'}); add one with "
                          f"`git remote add {remote} URL`")


def publish(site: Path, cwd: Path, remote: str, branch: str, message: str) -> Published:
    """Commit `site` as the whole of `branch`, on top of the remote's, and push it."""
    from ghp_import import GhpError, ghp_import

    try:
        stamp = json.loads((site / output.STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        stamp = None
    if not isinstance(stamp, dict) or stamp.get("offline") is not False:
        raise DeployError(f"{site}: not a site the build finished (or an offline copy); "
                          "nothing was published")
    # The remote's branch, if it has one, so the new commit goes on top of it.
    _git("fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}", cwd=cwd)
    try:
        ghp_import(str(site), mesg=message, remote=remote, branch=branch, push=True,
                   nojekyll=True)
    except GhpError as exc:
        raise DeployError(f"ghp-import: {exc}; nothing was published") from exc
    except subprocess.CalledProcessError as exc:
        raise DeployError(f"git push {remote} {branch} failed (exit {exc.returncode}); the branch "
                          f"is committed here but not on {remote}: see git's message above") from exc
    commit = _git("rev-parse", "--short", f"refs/heads/{branch}", cwd=cwd).stdout.strip()
    files = len(_git("ls-tree", "-r", "--name-only", f"refs/heads/{branch}", cwd=cwd).stdout.splitlines())
    return Published(remote, branch, commit, files)


def source_commit(cwd: Path) -> str:
    """The commit the site was built from, for the published commit's message."""
    head = _git("rev-parse", "--short", "HEAD", cwd=cwd)
    if head.returncode != 0:
        return "an uncommitted tree"
    dirty = _git("status", "--porcelain", "--untracked-files=no", cwd=cwd).stdout.strip()
    return head.stdout.strip() + (" with uncommitted changes" if dirty else "")
