"""Each process's temporary files in its own folder under `HOSO_HOME/tmp`, swept at the next start.

Page images for Tesseract and whatever the libraries hoso calls write to the
temporary folder would otherwise pile up in the system's when a run is killed.
`HOSO_HOME/tmp/<owner tag>` is this process's (`tempfile` and `TMPDIR`, which
child processes inherit); a start removes the folders of processes gone.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from pipeline import owners


def use_private_tmp(root: Path) -> Path:
    """Make a folder of its own under `root` this process's temporary folder; idempotent."""
    mine = root / owners.tag()
    if tempfile.tempdir == str(mine):
        return mine
    root.mkdir(parents=True, exist_ok=True)
    sweep(root)
    mine.mkdir(exist_ok=True)
    tempfile.tempdir = str(mine)
    os.environ["TMPDIR"] = str(mine)
    atexit.register(shutil.rmtree, mine, ignore_errors=True)
    return mine


def sweep(root: Path) -> None:
    """Remove the temporary folders under `root` that no live process owns."""
    for folder in root.iterdir():
        try:
            if owners.abandoned(folder.name, folder.stat().st_mtime):
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another start swept it first
            continue
