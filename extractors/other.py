"""Everything else (letters, decisions): number and symbol, issuing body, date, subject, signer.

The office header gives the issuing body (and its ward, district and
province); "Số: ..." the number; the place-and-date line the date; "V/v ..."
or a decision's "Về việc ..." the subject; the signer is the name that closes
the signature block, under the signing titles.
"""

from __future__ import annotations

import re

from extractors.dated import dated_line
from extractors.document import PageView
from extractors.fields import Reader, Rule, make_field
from extractors.parsers import Parsed
from extractors.parsers.codes import parse_doc_number
from extractors.parsers.names import MAX_NAME_WORDS, MIN_NAME_WORDS
from extractors.parsers.text import parse_text
from extractors.units import header, office_fields
from pipeline.models import Field

RULES = (
    Rule("doc_number", ("Số",), parse_doc_number, colon=True),
    Rule("subject", ("V/v", "Về việc"), parse_text, wrap=True),
)
STOPS = (
    ("subject", ("V/v", "Về việc")),
    ("motto", ("Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc")),
    ("addressee", ("Kính gửi",)),
)
# the end of a line above a signer's name: "KT. CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "TRƯỞNG PHÒNG" (the recipients
# column may stand before it on the same line)
_SIGNING = re.compile(r"(?m)(?:chu[ \t]*tich|giam[ \t]*doc|truong[ \t]*phong)[ \t]*$")
_NOT_A_NAME = re.compile(r"[-+•():;/]")
MIN_NAME_SHARE = 0.75  # of the line's letters: the signer's name stands (nearly) alone on its line


def extract_other(pages: list[PageView]) -> list[Field]:
    reader = Reader(pages, STOPS)
    dated = dated_line(pages)
    if dated is not None:
        reader.column_at(dated.span)  # a text layer may set the date on the subject's line
    fields = [field for rule in RULES if (field := reader.read(rule))]
    fields += office_fields(header(pages[0]), "issuing_body")
    if dated is not None:
        fields.append(make_field("doc_date", dated.span, dated.date))
    return fields + _signer(pages)


def _signature_name(line: str) -> Parsed | None:
    """The signer's name on a line under the signing titles: two to five words in title case
    ("Hoàng Mạnh Dũng"), making up most of the line (OCR may leave specks of the signature)."""
    letters = sum(ch.isalpha() for ch in line)
    for run in _title_case_runs(line):
        words = [word.group() for word in run]
        share = sum(len(word) for word in words) / max(1, letters)
        if MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS and share >= MIN_NAME_SHARE:
            return Parsed(" ".join(words), run[0].start(), run[-1].end(), min(1.0, share), verbatim=True)
    return None


def _title_case_runs(line: str) -> list[list[re.Match[str]]]:
    """Runs of consecutive words in title case ("Hoàng", "Mạnh", "Dũng")."""
    runs: list[list[re.Match[str]]] = [[]]
    for word in re.finditer(r"\S+", line):
        text = word.group()
        if text.isalpha() and text[0].isupper() and (len(text) == 1 or text[1:].islower()):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _signer(pages: list[PageView]) -> list[Field]:
    """The first name-like line after the last signing title of the document."""
    for page in reversed(pages):
        titles = list(_SIGNING.finditer(page.folded))
        if not titles:
            continue
        offset = titles[-1].end()
        while offset < len(page.text):
            start = offset + 1
            offset = page.line_end(start)
            line = page.span(start, offset)
            if _NOT_A_NAME.search(line.raw):
                continue
            parsed = _signature_name(line.raw)
            if parsed is not None:
                return [make_field("signer", line, parsed)]
        return []
    return []
