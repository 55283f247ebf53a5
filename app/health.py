"""Whether this process can serve: the store and the index answer (the web app's `/readyz`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app import resources


@dataclass(frozen=True)
class Readiness:
    store: str  # "ok", or what went wrong
    index: str

    @property
    def ready(self) -> bool:
        return self.store == "ok" and self.index == "ok"


def readiness() -> Readiness:
    shared = resources.get()
    return Readiness(store=_answer(shared.store.ping), index=_answer(shared.index.health))


def _answer(probe: Callable[[], object]) -> str:
    try:
        probe()
    except Exception as error:  # any failure means: not ready, and says why
        return f"{type(error).__name__}: {error}"
    return "ok"
