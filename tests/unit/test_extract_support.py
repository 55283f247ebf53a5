"""Pages for the extraction tests, built from hand-written text (no tests here).

Words get boxes on a simple grid (one line per 20 px, 10 px per character),
so wrapped lines sit right under each other; an OCR page gives every word the
confidence `confidence`, except the words in `doubtful`.
"""

from __future__ import annotations

from pipeline.models import Box, Page, PageRead, ReadMethod
from pipeline.textlayer import join_lines

LINE_PX, CHAR_PX = 20, 10


def page(
    text: str, number: int = 1, *, ocr: bool = False, confidence: float = 0.96, doubtful: dict[str, float] | None = None
) -> Page:
    lines = []
    for row, line in enumerate(text.strip("\n").splitlines()):
        words, column = [], 0
        for part in line.split(" "):
            if part:
                words.append(
                    (part, Box(left=column * CHAR_PX, top=row * LINE_PX, width=len(part) * CHAR_PX, height=16))
                )
            column += len(part) + 1
        lines.append(words)
    joined, words = join_lines([line for line in lines if line])
    if ocr:
        doubtful = doubtful or {}
        words = [w.model_copy(update={"confidence": doubtful.get(w.text, confidence)}) for w in words]
    method = ReadMethod.OCR if ocr else ReadMethod.TEXT_LAYER
    return Page(number=number, text=joined, words=words, read=PageRead(method=method, dpi=300 if ocr else 72))
