"""PDF text layers: words from a page's characters (read by PDFium, `pipeline.pdftext`), and whether to trust them.

Scanners embed OCR layers of their own and old documents use legacy fonts
(TCVN3, VNI) whose text is garbage once extracted ("Hµ Néi"); such a layer is
worse than none. `quality` scores a text by the share of its words that are
well-formed Vietnamese syllables (or numbers and codes). A layer that scores
low is tried in each legacy encoding (`pipeline.legacy_fonts`) and kept
converted when that reads as Vietnamese; otherwise the reader falls back to OCR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pdfplumber.utils.text import WordExtractor

from pipeline.legacy_fonts import LEGACY_ENCODINGS, decode_word
from pipeline.models import Box, Word
from pipeline.syllables import is_syllable, tokens
from pipeline.textnorm import fold, nfc

TEXT_LAYER_DPI = 72  # text-layer boxes are in PDF points
MIN_CHARACTERS = 30  # fewer letters than this is not a text layer worth judging
UNICODE = "unicode"
GOOD_QUALITY = 0.9  # a layer this plausible is Unicode as it stands: no legacy encoding is tried
LEGACY_GAIN = 0.2  # a legacy decoding must read this much better than the raw text to be used

_CODE = re.compile(r"^[A-ZĐ0-9]{1,8}$")
# pdfplumber's word grouping: characters closer than 1.5 pt on a line are one word, tops within 3 pt one line.
_WORDS = WordExtractor(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False)


@dataclass(frozen=True)
class TextLayer:
    text: str
    words: list[Word]
    width: int  # points
    height: int
    quality: float  # 0..1, see `quality`
    letters: int  # letters and digits in the layer
    encoding: str = UNICODE  # or the legacy encoding the layer was converted from


def read_text_layer(chars: list[dict[str, Any]], width: float, height: float) -> TextLayer:
    """Words and text of one page from its characters (`pdftext.page_chars`; the page `width` × `height`
    points), lines in top-to-bottom order, legacy fonts converted."""
    raw_words = _WORDS.extract_words(chars, return_chars=True)
    raw_words = [w for w in raw_words if w["text"].strip()]
    encoding, texts, text_quality = decode(raw_words)
    boxed = [
        (text, Box(left=round(w["x0"]), top=round(w["top"]), width=_span(w, "x"), height=_span(w, "y")))
        for text, w in zip(texts, raw_words, strict=True)
    ]
    text, words = assemble_lines(boxed)
    letters = sum(ch.isalnum() for ch in text)
    return TextLayer(
        text=text,
        words=words,
        width=round(width),
        height=round(height),
        quality=text_quality,
        letters=letters,
        encoding=encoding,
    )


def decode(raw_words: list[dict[str, Any]]) -> tuple[str, list[str], float]:
    """The words' text as Unicode NFC, the encoding it was in, and its `quality`.

    Text that already reads as Vietnamese is kept; otherwise each legacy
    encoding is tried and the best is used when it reads clearly better.
    """
    texts = [nfc(w["text"]) for w in raw_words]
    raw_quality = quality(" ".join(texts))
    if raw_quality >= GOOD_QUALITY:
        return UNICODE, texts, raw_quality
    best, best_texts, best_quality = UNICODE, texts, raw_quality
    chars = [[(c["text"], c.get("fontname", "")) for c in w["chars"]] for w in raw_words]
    for encoding in LEGACY_ENCODINGS:
        converted = [decode_word(word, encoding) for word in chars]
        score = quality(" ".join(converted))
        if score > best_quality:
            best, best_texts, best_quality = encoding, converted, score
    if best_quality < raw_quality + LEGACY_GAIN:
        return UNICODE, texts, raw_quality
    return best, best_texts, best_quality


def _span(word: dict[str, Any], axis: str) -> int:
    start, end = ("x0", "x1") if axis == "x" else ("top", "bottom")
    return max(1, round(word[end] - word[start]))


def assemble_lines(boxed: list[tuple[str, Box]], column_gap_ratio: float = 2.5) -> tuple[str, list[Word]]:
    """Group boxed words into lines by vertical overlap, left to right within a line.

    A gap wider than `column_gap_ratio` line heights starts a new line, so the
    two columns of an official header do not run together.
    """
    rows: list[list[tuple[str, Box]]] = []
    row_top = row_bottom = 0  # of the last row
    for item in sorted(boxed, key=lambda item: (item[1].top, item[1].left)):
        box = item[1]
        centre = box.top + box.height / 2
        if rows and row_top <= centre <= row_bottom:
            rows[-1].append(item)
            row_top, row_bottom = min(row_top, box.top), max(row_bottom, box.bottom)
        else:
            rows.append([item])
            row_top, row_bottom = box.top, box.bottom
    lines: list[list[tuple[str, Box]]] = []
    for row in rows:
        row.sort(key=lambda item: item[1].left)
        height = max(1, *(b.height for _, b in row))
        current = [row[0]]
        for item in row[1:]:
            if item[1].left - current[-1][1].right > column_gap_ratio * height:
                lines.append(current)
                current = []
            current.append(item)
        lines.append(current)
    return join_lines(lines)


def join_lines(lines: list[list[tuple[str, Box]]]) -> tuple[str, list[Word]]:
    """Text of lines already in reading order, with each word's offset in it."""
    parts: list[str] = []
    words: list[Word] = []
    offset = 0
    for line_index, line in enumerate(lines):
        if line_index:
            parts.append("\n")
            offset += 1
        for word_index, (text, box) in enumerate(line):
            if word_index:
                parts.append(" ")
                offset += 1
            words.append(Word(text=text, box=box, confidence=1.0, line=line_index, start=offset))
            parts.append(text)
            offset += len(text)
    return "".join(parts), words


MARKED_SHARE = 0.6  # generated and real Vietnamese pages mark 80-90% of their words; stripped OCR layers far fewer


def quality(text: str) -> float:
    """How far a text can be trusted as Vietnamese (0..1).

    The share of word tokens that are well-formed syllables, numbers or codes,
    scaled down when a long text carries almost no diacritics (a scanner's OCR
    layer that dropped them).
    """
    verdicts = [verdict for token in tokens(nfc(text)) if (verdict := _verdict(token)) is not None]
    if not verdicts:
        return 0.0
    plausible = sum(1 for verdict in verdicts if verdict[0]) / len(verdicts)
    if len(verdicts) < 20:
        return plausible
    marked = sum(1 for verdict in verdicts if verdict[1]) / len(verdicts)
    return plausible * min(1.0, marked / MARKED_SHARE)


@lru_cache(maxsize=1 << 16)
def _verdict(token: str) -> tuple[bool, bool] | None:
    """(plausible, marked) for a token holding a letter, else None; a page repeats its syllables,
    so each is judged once (the text layer's quality is judged up to three times a page)."""
    if not any(ch.isalpha() for ch in token):
        return None
    return is_plausible_token(token), fold(token) != token.lower()


def is_plausible_token(token: str) -> bool:
    """A Vietnamese syllable (`pipeline.syllables`), or a code like ODT or CH00536."""
    if _CODE.match(token) and any(ch.isdigit() for ch in token):
        return True
    return is_syllable(token) or bool(_CODE.match(token))
