"""The one schema: what a hoso record is.

Every other shape in hoso is derived from these models: the store's rows, the
embedded index's columns, the Elasticsearch mapping, the export columns and the
CLI's JSON. Field *definitions* (which fields exist, their types and
labels) are data: `FieldSpec` instances registered in `extractors.registry`.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from pipeline.errors import INTERNAL_ERROR, HosoError


class DocState(StrEnum):
    """Where a document is in its life: received → extracted → indexed, or failed/duplicate."""

    RECEIVED = "received"
    EXTRACTED = "extracted"
    INDEXED = "indexed"
    FAILED = "failed"
    DUPLICATE = "duplicate"


class DocType(StrEnum):
    CERTIFICATE = "certificate"  # land-use-right certificate (GCN, "sổ đỏ/sổ hồng")
    RECEIPT = "receipt"  # dossier receipt slip ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    OTHER = "other"


class ReadMethod(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"


class FieldType(StrEnum):
    """How a field's normalised value is typed, indexed and exported."""

    TEXT = "text"  # free text: searched as written and folded
    KEYWORD = "keyword"  # exact codes and categories, pre-normalised
    DATE = "date"  # ISO 8601 date string, "2019-03-15"
    DATETIME = "datetime"  # ISO 8601 date-time string, "2023-06-20T08:30"
    NUMBER = "number"  # float (areas in m²)
    INTEGER = "integer"


class Typed(StrEnum):
    """How people type a field's value into the search box; the demo shows one search of each."""

    FOLDED = "typed without diacritics"  # names: lower case, no marks
    UNIT = "without its type word"  # "Ba Đình" for "Quận Ba Đình"
    SPACED = "typed with a space"  # "CS 01234" for "CS01234"
    AS_PRINTED = "as printed"  # long codes, copied from the paper


class Box(BaseModel):
    """A rectangle in page pixels (at the page's `dpi`), origin top-left."""

    model_config = ConfigDict(frozen=True)

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @classmethod
    def enclosing(cls, boxes: list[Box]) -> Box | None:
        """The smallest box holding all `boxes`, or None for none."""
        if not boxes:
            return None
        left = min(b.left for b in boxes)
        top = min(b.top for b in boxes)
        right = max(b.right for b in boxes)
        bottom = max(b.bottom for b in boxes)
        return cls(left=left, top=top, width=right - left, height=bottom - top)


class Word(BaseModel):
    """One recognised word, where it stands on the page and in the page text."""

    text: str
    box: Box
    confidence: float  # 0..1; 1.0 for words from a trusted text layer
    line: int  # index of the line within the page, in reading order
    start: int  # offset of the word in `Page.text`

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class Step(BaseModel):
    """One preprocessing step applied to a page image, with what it found and did."""

    name: str
    params: dict[str, Any] = PydanticField(default_factory=dict)


class ReadingQuality(BaseModel):
    """How well an OCR reading looks, judged from its text and confidences (`pipeline.reading_quality`)."""

    score: float  # 0..1, higher is better; comparable between two readings of the same page
    doubtful: bool  # the reading is likely bad: the page needs a person
    words: int  # words the OCR recognised
    not_vietnamese: float  # share of lettered tokens that are no syllable, abbreviation or code
    unsure: float  # share of words recognised with a confidence below `reading_quality.SURE_WORD`

    @property
    def sound_words(self) -> float:
        """The words read right, as far as the signal tells (score × words): what two readings of one
        page are compared by. The score alone, a share, would prefer a reading that dropped the hard
        half of the page (a streaked photocopy: 166 sure words against 184 less sure, 19.5% CER
        against 1.2%)."""
        return self.score * self.words


class PageRead(BaseModel):
    """How a page was read: provenance for review and for re-processing decisions."""

    method: ReadMethod
    steps: list[Step] = PydanticField(default_factory=list)
    engine: str | None = None  # "tesseract 5.3.0" or "pypdfium2 5.15.2, pdfplumber 0.11.10 words"
    language: str | None = None  # tesseract language(s), e.g. "vie"
    language_data: str | None = None  # traineddata file and its checksum prefix
    dpi: int = 300
    width: int = 0
    height: int = 0
    confidence: float | None = None  # mean word confidence 0..1
    seconds: float = 0.0
    text_layer_quality: float | None = None  # 0..1 when a text layer was judged
    quality: ReadingQuality | None = None  # of an OCR reading; None for text layers and older records
    note: str | None = None  # why this method was chosen, when not obvious
    # Who read the page and how, so that `hoso reread` can choose what today's pipeline would read
    # differently (None on pages read before hoso recorded it).
    reader: str | None = None  # "hoso 0.2.0"
    options: str | None = None  # digest of the reading options (`ReadOptions.digest`)
    read_at: datetime | None = None


class Failure(BaseModel):
    code: str  # stable reason code, see pipeline.errors
    message: str  # readable, names the file and the reason
    stage: str  # intake | read | extract | index

    @classmethod
    def from_error(cls, error: BaseException, name: str = "the document") -> Failure:
        """What `error` tells about the document `name`: a `HosoError` its own code, message and stage;
        anything else is a bug in hoso, told as `internal_error` with where it was raised, for the report."""
        if isinstance(error, HosoError):
            return cls(code=error.code, message=error.message, stage=error.stage)
        where = _raised_at(error)
        message = f"{name}: unexpected {type(error).__name__} while reading ({where}): {error}"
        return cls(code=INTERNAL_ERROR, message=message, stage="read")


class Page(BaseModel):
    number: int  # 1-based
    text: str
    read: PageRead
    words: list[Word] = PydanticField(default_factory=list)
    doc_type: DocType | None = None
    needs_review: bool = False
    failure: Failure | None = None  # this page alone could not be read


class ReviewAction(StrEnum):
    CONFIRMED = "confirmed"  # a person said the machine's value is right
    CORRECTED = "corrected"  # a person gave another value (or one the machine did not find)


class MachineReading(BaseModel):
    """What the machine read for a field a person has since checked: kept beside the person's value."""

    raw: str
    value: str | int | float | bool | None
    confidence: float
    valid: bool = True
    issues: list[str] = PydanticField(default_factory=list)


class Verification(BaseModel):
    """Who checked a field, when, and what the machine had read (None: it had found no such field)."""

    by: str
    at: datetime
    action: ReviewAction
    machine: MachineReading | None = None


class Field(BaseModel):
    """One extracted value: raw text as read, normalised value, and how sure we are; a field a person
    checked carries their value (confidence 1.0) and, in `verified`, who, when and the machine's reading."""

    name: str
    raw: str
    value: str | int | float | bool | None
    confidence: float  # 0..1
    page: int | None = None
    box: Box | None = None
    group: int = 0  # which item of a repeated group (e.g. the second holder is group 1)
    valid: bool = True
    issues: list[str] = PydanticField(default_factory=list)
    verified: Verification | None = None

    def as_read(self) -> Field | None:
        """The field as the machine read it, before any person's check; None when a person added it."""
        if self.verified is None:
            return self
        machine = self.verified.machine
        return self.model_copy(update={**machine.model_dump(), "verified": None}) if machine else None


class FieldSpec(BaseModel):
    """The definition of one extracted field; instances live in `extractors.registry`."""

    model_config = ConfigDict(frozen=True)

    name: str
    type: FieldType
    label_vi: str
    label_en: str
    doc_types: frozenset[DocType]
    repeated: bool = False  # may occur several times (holders)
    required: bool = False  # missing → the document needs review
    facet: bool = False  # offered as a facet / filter in search
    hit: int | None = None  # place in a search hit's one-line summary, 1 first; None: not shown
    typed: Typed | None = None  # how people search for it (the demo's example searches); None: not shown there
    person: bool = False  # a person's name: its first word, the family name, ranks a search naming it (`surname`)
    # Computed from other fields, not printed on the paper (today's units of the units it names): never a
    # reason for review by itself (a person reading the paper cannot correct it), and no code to type into
    # the search box (a province code "01" would hit every map sheet number 1).
    derived: bool = False


class Segment(BaseModel):
    """A run of pages inside one file that form one document of one type."""

    doc_type: DocType
    first_page: int
    last_page: int


class Extracted(BaseModel):
    """What reading and extraction produced for one document: what the store saves."""

    doc_type: DocType
    segments: list[Segment]
    pages: list[Page]
    fields: list[Field]
    needs_review: bool
    review_reasons: list[str] = PydanticField(default_factory=list)


class Record(BaseModel):
    """Everything hoso knows about one original file, keyed by its SHA-256."""

    sha256: str
    original_name: str
    other_names: list[str] = PydanticField(default_factory=list)
    size: int
    media_type: str
    state: DocState
    failure: Failure | None = None
    doc_type: DocType | None = None
    segments: list[Segment] = PydanticField(default_factory=list)
    pages: list[Page] = PydanticField(default_factory=list)
    fields: list[Field] = PydanticField(default_factory=list)
    needs_review: bool = False
    review_reasons: list[str] = PydanticField(default_factory=list)
    received_at: datetime
    updated_at: datetime

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def collection(self) -> str | None:
        """The folder of the inbox the file was found in ("ba-dinh/2019"); None at the top of it."""
        folder = PurePosixPath(self.original_name).parent.as_posix()
        return None if folder == "." else folder

    @property
    def text(self) -> str:
        return "\n\f\n".join(page.text for page in self.pages)

    def first(self, name: str) -> Field | None:
        """The first field called `name`, or None."""
        return next((f for f in self.fields if f.name == name), None)

    def values(self, name: str) -> list[Any]:
        """Every normalised value of field `name`, in group order."""
        return [f.value for f in sorted(self.fields, key=lambda f: f.group) if f.name == name]


def _raised_at(error: BaseException) -> str:
    """file:line where an unexpected error was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "unknown place"
