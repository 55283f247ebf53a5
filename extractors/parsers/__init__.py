"""Value parsers shared by every extractor: one module per kind of value.

Each parser takes the text found after a label (the raw page text, NFC) and
returns a `Parsed`: the normalised value, where in that text the value stands
(so the field keeps its raw slice and box), how sure the parser is, and what
looked wrong. Parsers match on folded text (`pipeline.textnorm.fold` keeps
offsets) and never "correct" a value that fails a check: they report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

Value = str | int | float


@dataclass(frozen=True)
class Parsed:
    value: Value
    start: int  # offsets of the value in the parsed text
    end: int
    certainty: float = 1.0  # 1.0: the canonical form; lower when OCR repairs or guesses were needed
    issues: tuple[str, ...] = field(default_factory=tuple)
    verbatim: bool = False  # the value is the text as read (a name, an address): OCR misreads pass into it

    @property
    def valid(self) -> bool:
        return not self.issues

    def shifted(self, offset: int) -> Parsed:
        """The same result with offsets moved by `offset` (the text parsed was a slice)."""
        return replace(self, start=self.start + offset, end=self.end + offset)

    def with_issues(self, *issues: str) -> Parsed:
        return replace(self, issues=(*self.issues, *issues))
