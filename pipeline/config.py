"""Settings in one place: `HOSO_*` environment variables, or `hoso.toml`.

Environment variables win over the file; the file is looked for in the current
directory (or wherever `HOSO_CONFIG` points). Every setting is documented in the
README's "Settings" table, which a test keeps in step with this class.
"""

from __future__ import annotations

import os
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class OcrOptions(BaseModel):
    """Tesseract's reading of a page (`HOSO_OCR_*`)."""

    model_config = ConfigDict(frozen=True)

    language: str = Field("vie", description="Tesseract language(s), e.g. `vie` or `vie+eng`.")
    timeout_seconds: int = Field(180, description="A page taking longer fails alone with `ocr_timeout`.")
    psm: int = Field(3, description="Tesseract page segmentation mode.")
    retry_psm: int = Field(
        4, description="Pages whose words come out stacked as vertical text are read again with this psm (0: never)."
    )
    review_confidence: float = Field(
        0.75, description="OCRed pages with a lower mean word confidence flag their document for review."
    )


class PreprocessOptions(BaseModel):
    """Which page-image steps run before OCR, and their parameters (`HOSO_PREPROCESS_*`), passed down whole
    (chosen by measurement: docs/decisions/0003-ocr-model-and-preprocessing.md)."""

    model_config = ConfigDict(frozen=True)

    colour: bool = Field(True, description="Fade red and blue seals and stamps before OCR.")
    stamp_keep_darker: bool = Field(
        True,
        description="Inside a stamp, keep ink of its hue much darker than its own (a red title under a red seal).",
    )
    grey_stamps: bool = Field(True, description="On grey pages (faxes), fade seals printed lighter than the text.")
    denoise: bool = Field(True, description="Remove specks, grain and fax dithering (3x3 median).")
    specks: bool = Field(True, description="On noisy pages, remove small specks that stand apart from the text.")
    streaks: bool = Field(True, description="Remove the thin vertical lines a copier's or scanner's dirty glass draws.")
    background: bool = Field(True, description="Flatten uneven light, shadows and yellowed paper.")
    borders: bool = Field(True, description="Paint dark scanner edges and photo surroundings white.")
    orientation: bool = Field(True, description="Turn pages upright (line analysis, OSD when unsure).")
    deskew: bool = Field(True, description="Level skewed text lines (up to `max_skew` degrees).")
    max_skew: float = Field(10.0, description="The largest skew, in degrees, that deskewing looks for.")
    binarise: bool = Field(False, description="Hand Tesseract our Otsu binarisation, not the flat grey.")
    min_dpi: int = Field(250, description="Pages scanned below this resolution are upsampled.")
    target_dpi: int = Field(300, description="Resolution low-dpi pages are upsampled to.")


class ElasticsearchOptions(BaseModel):
    """The Elasticsearch cluster, when there is one (`HOSO_ELASTICSEARCH_*`); the index gets these whole."""

    model_config = ConfigDict(frozen=True)

    url: str | None = Field(None, description="Use Elasticsearch here, not the embedded index.")
    api_key: str | None = Field(None, description="API key for Elasticsearch.")
    username: str | None = Field(None, description="User for Elasticsearch basic auth.")
    password: str | None = Field(None, description="Password for Elasticsearch basic auth.")
    ca_certs: Path | None = Field(None, description="CA certificate bundle for an HTTPS cluster.")
    index: str = Field("hoso-records", description="Alias the records are searched through.")
    shards: int = Field(1, description="Primary shards of a new index version.")
    replicas: int = Field(0, description="Replicas of a new index version.")
    timeout: float = Field(30.0, description="Seconds an Elasticsearch request may take.")
    max_retries: int = Field(
        5, description="Retries, with backoff, of Elasticsearch requests failing on 429, 5xx, timeouts, connections."
    )
    refresh: bool = Field(
        True, description="Make each indexed batch searchable at once; off leaves it to the index refresh interval."
    )


class Settings(BaseSettings):
    """Every setting, declared once. A group (`ocr`, `preprocess`, `elasticsearch`) is passed down whole to
    the part it configures; its variables are `HOSO_<GROUP>_<NAME>`, e.g. `HOSO_OCR_LANGUAGE`."""

    model_config = SettingsConfigDict(
        env_prefix="HOSO_", env_nested_delimiter="_", env_nested_max_split=1, extra="ignore"
    )

    # Where things live
    home: Path = Field(Path("hoso-data"), description="Data directory: store, archive, failed/, index, Prefect home.")
    inbox: Path = Field(
        Path("inbox"), description="Folder `hoso watch`, the `ingest-inbox` deployment and `hoso demo` read."
    )
    watch_rescan_seconds: float = Field(
        60.0, description="`hoso watch` looks through the whole inbox this often (network shares miss events)."
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the store; default SQLite in HOME; `postgresql+psycopg://…` to share one."
    )

    # Intake
    settle_seconds: float = Field(
        30.0, description="A file must be unchanged this long before intake (network shares stall for seconds)."
    )
    incomplete_wait_seconds: float = Field(
        900.0,
        description="A file that looks cut short (a PDF without its end, an image that stops early) and changed "
        "less than this long ago waits for its writer instead of failing.",
    )
    max_file_mb: int = Field(1024, description="Larger files fail with `file_too_large`.")
    keep_originals: bool = Field(False, description="Leave ingested files in the inbox instead of removing them.")

    # Reading pages
    max_pages: int = Field(2000, description="Documents with more pages fail with `too_many_pages`.")
    max_page_megapixels: float = Field(150.0, description="Larger pages fail with `page_too_large`.")
    render_dpi: int = Field(300, description="Resolution PDF pages are rasterised at for OCR.")
    workers: int = Field(default_factory=_default_workers, description="Pages read at once (one Tesseract each).")
    text_layer_min_quality: float = Field(0.8, description="PDF text layers judged below this are OCRed instead.")
    ocr: OcrOptions = Field(default_factory=OcrOptions)
    preprocess: PreprocessOptions = Field(default_factory=PreprocessOptions)

    # Extraction
    review_confidence: float = Field(
        0.8, description="Extracted fields below this confidence flag their document (pages: `HOSO_OCR_…`)."
    )

    # Dossier deadlines
    extra_days_off: Annotated[list[date], NoDecode] = Field(
        [],
        description="The offices' days off besides weekends and public holidays, comma-separated ISO dates "
        "(`2026-12-24,2026-12-31`): deadlines in working days skip them.",
    )
    due_soon_days: int = Field(2, description="Dossiers due within this many working days are listed as due soon.")

    # Index
    elasticsearch: ElasticsearchOptions = Field(default_factory=ElasticsearchOptions)

    # Orchestration
    task_runner: Literal["threads", "dask"] = Field("threads", description="Prefect task runner for documents.")
    prefect_server: Literal["keep", "temporary"] = Field(
        "keep",
        description="Without PREFECT_API_URL: `keep`, the first `hoso ingest` with work to do starts this data "
        "directory's Prefect server and leaves it running for the next (`hoso server stop`); `temporary`, each "
        "one starts its own and stops it.",
    )

    @field_validator("extra_days_off", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """An environment variable holds the dates comma-separated; `hoso.toml` may give a list."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("HOSO_CONFIG", "hoso.toml"))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))

    @cached_property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def archive_dir(self) -> Path:
        return self.home_dir / "archive"

    @property
    def failed_dir(self) -> Path:
        return self.home_dir / "failed"

    @property
    def prefect_home(self) -> Path:
        return self.home_dir / "prefect"

    @property
    def tmp_dir(self) -> Path:
        """Temporary files of hoso's processes, one folder each (`pipeline.scratch`)."""
        return self.home_dir / "tmp"

    @property
    def embedded_index_path(self) -> Path:
        return self.home_dir / "index.sqlite3"

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'store.sqlite3'}"

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_page_pixels(self) -> int:
        return int(self.max_page_megapixels * 1_000_000)
