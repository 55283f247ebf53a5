"""The one field-type → storage-type map: what a value of each `FieldType` is wherever it is kept.

The Elasticsearch mapping and the Parquet export both read it, so a type is
decided once; this module sits in the domain core so that either may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pipeline.models import FieldType


@dataclass(frozen=True)
class Storage:
    elastic: str  # Elasticsearch field type
    arrow: str  # pyarrow type alias (`pyarrow.type_for_alias`) of the Parquet column
    convert: Callable[[Any], Any]  # a normalised value as this type; raises TypeError/ValueError when it is none


def _date(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


def _datetime(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


STORAGE: dict[FieldType, Storage] = {
    FieldType.TEXT: Storage(elastic="text", arrow="string", convert=str),
    FieldType.KEYWORD: Storage(elastic="keyword", arrow="string", convert=str),
    FieldType.DATE: Storage(elastic="date", arrow="date32", convert=_date),
    FieldType.DATETIME: Storage(elastic="date", arrow="timestamp[s]", convert=_datetime),
    FieldType.NUMBER: Storage(elastic="double", arrow="double", convert=float),
    FieldType.INTEGER: Storage(elastic="long", arrow="int64", convert=int),
}
