"""Which files another process still holds open for writing, where the platform tells.

Linux says it in `/proc/<pid>/fdinfo/<fd>` (the open flags) and `/proc/<pid>/fd/<fd>`
(what the descriptor points at). A scanner driver or `cp` writing into the inbox keeps
its descriptor open between chunks: such a file is still being written however long
it has been quiet. Elsewhere (or for a writer on another machine of a network share)
nothing is known, and the settle interval is the only guard.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
_WRITE_MODES = (os.O_WRONLY, os.O_RDWR)

FileId = tuple[int, int]  # (st_dev, st_ino)


def file_id(stat: os.stat_result) -> FileId:
    return stat.st_dev, stat.st_ino


def open_for_writing(proc: Path = PROC) -> set[FileId]:
    """(device, inode) of every file some other process has open for writing."""
    if not (proc / "self" / "fdinfo").is_dir():
        return set()
    own = os.getpid()
    found: set[FileId] = set()
    for entry in proc.iterdir():
        if entry.name.isdigit() and int(entry.name) != own:
            found |= _written_by(entry)
    return found


def _written_by(process: Path) -> set[FileId]:
    found: set[FileId] = set()
    try:
        descriptors = list((process / "fdinfo").iterdir())
    except OSError:  # the process ended, or is not ours to look at
        return found
    for info in descriptors:
        try:
            if _opened_for_writing(info.read_text()):
                found.add(file_id((process / "fd" / info.name).stat()))
        except OSError:
            continue
    return found


def _opened_for_writing(fdinfo: str) -> bool:
    for line in fdinfo.splitlines():
        if line.startswith("flags:"):
            return (int(line.split()[1], 8) & os.O_ACCMODE) in _WRITE_MODES
    return False
