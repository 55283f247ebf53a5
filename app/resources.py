"""The composition root: the long-lived parts one process shares (settings, store, access, archive, index, pages).

Built once per process from the settings, by whichever front door the process
entered through: a use case of `app/`, or a flow a Prefect or Dask worker runs
(which builds its own from the same `HOSO_*` environment). Free of Prefect, so
search and export never start any orchestration. The parts a command may not use (the store and
its SQLAlchemy, page reading with NumPy and OpenCV) are imported when first used, so that `hoso search`
loads neither.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from extractors.registry import DATE_FIELD, FIELDS
from index.base import SearchIndex
from index.embedded import EmbeddedIndex
from index.schema import IndexSchema
from pipeline.archive import LocalArchive
from pipeline.config import Settings

if TYPE_CHECKING:
    from pipeline.access import AccessStore
    from pipeline.reading import ReadOptions
    from pipeline.returns import ReturnLog
    from pipeline.runs import RunLog
    from pipeline.store import Store

INDEX_SCHEMA = IndexSchema(fields=FIELDS, date_fields=DATE_FIELD)


def open_index(settings: Settings) -> SearchIndex:
    """Elasticsearch when a URL is configured, the embedded index otherwise."""
    if settings.elasticsearch.url:
        from index.elastic import ElasticIndex

        return ElasticIndex.from_options(settings.elasticsearch, INDEX_SCHEMA)
    return EmbeddedIndex(settings.embedded_index_path, INDEX_SCHEMA)


@dataclass
class Resources:
    settings: Settings

    @cached_property
    def store(self) -> Store:
        from pipeline.store import Store

        return Store(self.settings.store_url)

    @cached_property
    def runs(self) -> RunLog:
        """The ingest runs' log, in the store's database."""
        from pipeline.runs import RunLog

        return RunLog(self.store.engine)

    @cached_property
    def returns(self) -> ReturnLog:
        """The dossiers staff marked returned, in the store's database."""
        from pipeline.returns import ReturnLog

        return ReturnLog(self.store.engine)

    @cached_property
    def access(self) -> AccessStore:
        """Tokens and the audit log, in the store's database."""
        from pipeline.access import AccessStore

        return AccessStore(self.store.engine)

    @cached_property
    def archive(self) -> LocalArchive:
        return LocalArchive(self.settings.archive_dir)

    @cached_property
    def index(self) -> SearchIndex:
        return open_index(self.settings)

    @cached_property
    def page_pool(self) -> ThreadPoolExecutor:
        """One pool for the pages of every document in flight: one Tesseract per worker."""
        return ThreadPoolExecutor(max_workers=self.settings.workers, thread_name_prefix="hoso-page")

    @cached_property
    def read_options(self) -> ReadOptions:
        from pipeline.reading import ReadOptions

        return ReadOptions.from_settings(self.settings)

    @property
    def page_window(self) -> int:
        """Pages one document may have queued: enough to keep every worker busy on a long PDF."""
        return 2 * self.settings.workers

    def close(self) -> None:
        if "page_pool" in self.__dict__:
            self.page_pool.shutdown(wait=True)
        if "index" in self.__dict__:
            self.index.close()
        if "store" in self.__dict__:
            self.store.close()


_lock = threading.Lock()
_current: Resources | None = None


def get() -> Resources:
    global _current
    with _lock:
        if _current is None:
            _current = Resources(Settings())
        return _current


def reset() -> None:
    """Close and forget the shared resources (tests, or after changing settings)."""
    global _current
    with _lock:
        if _current is not None:
            _current.close()
        _current = None
