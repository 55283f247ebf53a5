"""Who owns a leftover, and whether its owner still runs: one answer for files, folders and claims.

A killed run leaves things behind (half-written archive copies, temporary
folders, claims in the store). Each carries its owner's tag, `<host>-<pid>-<life>`,
so the next run can tell an abandoned leftover from one a live process is
still using: on this host, by asking whether the pid runs; on another host
(a shared network folder), only by age. The `life` part tells this process
from an earlier one that had the same pid, as a container restarted as pid 1 has.
"""

from __future__ import annotations

import os
import socket
import time
import uuid

STALE_SECONDS = 24 * 3600  # leftovers of other hosts older than this are abandoned
_LIFE = uuid.uuid4().hex[:8]


def tag() -> str:
    """This process's owner tag (the pid is read each time: a forked child is a new owner)."""
    return f"{socket.gethostname()}-{os.getpid()}-{_LIFE}"


def pid_runs_here(host: str, pid: int) -> bool:
    """False only when `pid` names a process of this host that no longer runs."""
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    return True


def abandoned(owner_tag: str, modified: float) -> bool:
    """True when no live process owns a leftover tagged `owner_tag`, last modified at `modified`."""
    host, pid, life = _parse(owner_tag)
    if host != socket.gethostname() or pid is None:
        return modified < time.time() - STALE_SECONDS
    if pid == os.getpid():
        return life != _LIFE
    return not pid_runs_here(host, pid)


def _parse(owner_tag: str) -> tuple[str, int | None, str]:
    """(host, pid, life) of a tag; pid None when it is not one (a name from an older hoso)."""
    head, _, life = owner_tag.rpartition("-")
    host, _, pid_text = head.rpartition("-")
    if not host or not pid_text.isdigit():
        return owner_tag, None, ""
    return host, int(pid_text), life
