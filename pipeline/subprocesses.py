"""Child processes that die with hoso: a `kill -9` of hoso must leave no Tesseract or server running.

A process killed by SIGKILL cannot stop its children; on Linux the child can
ask the kernel to kill it when its parent goes (`prctl(PR_SET_PDEATHSIG)`),
which is armed here between fork and exec. Elsewhere children are started
plainly (and may outlive a killed hoso).

The kernel sends that signal when the *thread* that started the child ends,
not only the process. That is safe for hoso's callers: `run` waits for its
child in the thread that started it, so the thread cannot end first; a `popen`
child must be started from a thread that lives as long as the child should
(the main thread, or a pool thread that waits for it).

Children also get a process group of their own: the terminal's Ctrl-C (sent to the whole
foreground group) and a group-wide SIGTERM reach hoso alone, which finishes the documents in hand
with its Tesseracts and its server still running (`hoso watch`), then stops them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1
_SIGKILL = int(signal.SIGKILL)
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def popen(args: Sequence[str], **options: Any) -> subprocess.Popen[bytes]:
    """`subprocess.Popen` whose child is killed when this process (the starting thread) ends."""
    return subprocess.Popen(args, preexec_fn=_die_with(os.getpid()), process_group=0, **options)  # noqa: PLW1509


def run(args: Sequence[str], timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run to the end with output captured; killed when hoso dies, and on `timeout` (TimeoutExpired)
    with its whole process group: what it started goes too (a wrapper script's real program, a stuck
    helper), where killing the child alone would leave its children running for good."""
    with popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:  # TimeoutExpired, or anything else that leaves the child unwaited for
            _kill_group(process)
            raise
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the group `popen` made the child lead (its id is the child's), then reap the child."""
    with contextlib.suppress(ProcessLookupError):  # the whole group ended meanwhile
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _die_with(parent: int) -> Callable[[], None] | None:
    """What the child runs between fork and exec.

    `preexec_fn` is unsafe in a threaded parent when it needs a lock another
    thread held at the fork (logging, imports, a library's own): this one takes
    none, it makes two system calls through an already loaded function.
    """
    prctl = _prctl
    if prctl is None:
        return None

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, _SIGKILL)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)

    return arm
