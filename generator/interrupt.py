"""Interrupts and child processes: a killed build cleans up after itself.

SIGINT, SIGTERM and SIGHUP become an `Interrupted` exception in the main
thread, so every `finally` runs: the scratch folder goes and the MkDocs
children are killed. For SIGKILL, which nothing can catch, each child asks
Linux to kill it when its parent dies (PR_SET_PDEATHSIG), and the next build
sweeps the scratch folder (generator/output.py).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager

CAUGHT = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A signal stopped the build. A BaseException, like KeyboardInterrupt, so
    that no `except Exception` on the way up mistakes it for a failure to report."""

    def __init__(self, signum: int):
        self.signum = signum
        self.site_replaced = False
        """Set when the signal came after the new site was already in place."""
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class _State:
    fired: int | None = None
    """The first caught signal; later ones are ignored, so that the clean-up the
    first one started is not cut short."""
    holding = 0
    """How deep we are in `deferred` blocks."""


@contextmanager
def signals_raise():
    """Within the block, the first caught signal raises Interrupted."""

    def handler(signum, _frame):
        if _State.fired is None:
            _State.fired = signum
            if not _State.holding:
                raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in CAUGHT}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
        _State.fired = None


@contextmanager
def deferred():
    """A signal caught within the block raises Interrupted only once the block is over,
    so the block either runs whole or not at all (given it does not fail)."""
    _State.holding += 1
    try:
        yield
    finally:
        _State.holding -= 1
    if not _State.holding and _State.fired is not None:
        raise Interrupted(_State.fired)


_PR_SET_PDEATHSIG = 1
_SIGKILL = int(signal.SIGKILL)


def _die_with_parent(parent: int):
    if not sys.platform.startswith("linux"):
        return None
    # Looked up here, in the parent: the child between fork and exec should do
    # as little as possible (preexec_fn runs there, with other threads frozen).
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def preexec() -> None:
        # The signal fires when the *thread* that forked us exits; each child is
        # awaited by the thread that started it, which outlives it.
        prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


class Children:
    """Child processes of one build, all killed by `kill_all` (and by Linux if we die)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self._closed = False

    def run(self, args: list[str], env: dict[str, str]) -> tuple[int, str]:
        """Run `args` to the end; returns its exit status and its output, both streams."""
        with self._lock:
            if self._closed:  # the build is being torn down: start nothing new
                return -signal.SIGKILL, ""
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, env=env, preexec_fn=_die_with_parent(os.getpid()))
            self._running.add(proc)
        try:
            output, _ = proc.communicate()
        finally:
            with self._lock:
                self._running.discard(proc)
        return proc.returncode, output

    def kill_all(self) -> None:
        with self._lock:
            self._closed = True
            for proc in self._running:
                proc.kill()
