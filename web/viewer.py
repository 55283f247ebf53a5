"""What the record page shows: one page's preview with the search's words and the chosen field boxed on it,
and the record's fields in the registry's order."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from app import pages, records, vocabulary
from pipeline.models import Box, Field, Page, Record


@dataclass(frozen=True)
class Rect:
    """A box in preview pixels: the SVG drawn over the image uses the preview's size as its viewBox."""

    x: int
    y: int
    width: int
    height: int

    @classmethod
    def scaled(cls, box: Box, scale: float, pad: int = 3) -> Rect:
        return cls(
            x=max(0, round(box.left * scale) - pad),
            y=max(0, round(box.top * scale) - pad),
            width=round(box.width * scale) + 2 * pad,
            height=round(box.height * scale) + 2 * pad,
        )


@dataclass(frozen=True)
class FieldRow:
    field: Field
    doubtful: bool
    selected: bool
    url: str | None  # shows the field on its page; None when it has no box


@dataclass(frozen=True)
class PageView:
    sha256: str
    page: Page
    count: int
    image_url: str
    width: int
    height: int
    hits: list[Rect]
    field_box: Rect | None
    text_html: str
    rows: list[FieldRow]

    @property
    def number(self) -> int:
        return self.page.number

    def page_url(self, number: int, query: str) -> str:
        return _record_url(self.sha256, {"q": query, "page": str(number)})


def page_view(record: Record, query: str, number: int | None, field_name: str, group: int) -> PageView:
    """Page `number` (else the selected field's page, else the page richest in the query's words)."""
    chosen = next((f for f in record.fields if f.name == field_name and f.group == group), None)
    number = number or (chosen.page if chosen and chosen.page else records.best_page(record, query))
    page = records.page_of(record, number)
    preview = pages.preview(record.sha256, number)
    marks = records.marks(page, query)
    selected_box = chosen.box if chosen and chosen.box and chosen.page == number else None
    return PageView(
        sha256=record.sha256,
        page=page,
        count=record.page_count,
        image_url=f"/api/records/{record.sha256}/pages/{number}/image",
        width=preview.width,
        height=preview.height,
        hits=[Rect.scaled(box, preview.scale) for box in marks.boxes],
        field_box=Rect.scaled(selected_box, preview.scale) if selected_box else None,
        text_html=marks.text_html,
        rows=_rows(record, query, chosen),
    )


def _rows(record: Record, query: str, chosen: Field | None) -> list[FieldRow]:
    order = vocabulary.field_order()
    ordered = sorted(record.fields, key=lambda f: (order.get(f.name, len(order)), f.group))
    return [
        FieldRow(
            field=f,
            doubtful=records.doubtful(f),
            selected=f is chosen,
            url=_record_url(record.sha256, {"q": query, "field": f.name, "group": str(f.group)}) + "#viewer"
            if f.box and f.page
            else None,
        )
        for f in ordered
    ]


def _record_url(sha256: str, params: dict[str, str]) -> str:
    kept = {name: value for name, value in params.items() if value and value != "0"}
    return f"/records/{sha256}" + (f"?{urlencode(kept)}" if kept else "")
