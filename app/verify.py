"""Checking the archive like the one copy of the originals it is: every file the store names is there
and still hashes to its SHA-256, and every file there is one the store names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app import resources
from pipeline.archive import hash_file


@dataclass
class Verification:
    checked: int = 0  # documents whose original was found and hashed
    missing: list[tuple[str, str]] = field(default_factory=list)  # (sha256, name): the store names it, gone
    corrupt: list[tuple[str, str]] = field(default_factory=list)  # (sha256, name): its bytes changed
    orphaned: list[str] = field(default_factory=list)  # archive keys no document names

    @property
    def sound(self) -> bool:
        return not (self.missing or self.corrupt or self.orphaned)


def verify(on_file: Callable[[str], None] | None = None) -> Verification:
    """Re-hash every archived original against the store; `on_file` hears each name as it is checked."""
    shared = resources.get()
    archive = shared.archive
    outcome = Verification()
    named: set[str] = set()
    for sha256, name, key in shared.store.archived():
        named.add(key)
        if on_file:
            on_file(name)
        path = archive.local_path(key)
        if not path.is_file():
            outcome.missing.append((sha256, name))
        elif hash_file(path) != sha256:
            outcome.corrupt.append((sha256, name))
        else:
            outcome.checked += 1
    outcome.orphaned = [key for key in archive.held() if key not in named]
    return outcome
