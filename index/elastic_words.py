"""A page's words as written and folded, cut the way the embedded index and the query parser cut them.

Elasticsearch's standard tokenizer keeps "1.082", "TP.HCM", "85,6" or "P.Hà"
whole, where `\\w+` (the query parser) and SQLite's tokenizer see two words.
So hoso blanks every character that is not a word character (`\\w`) before
Elasticsearch sees the text, and folds the words with `pipeline.textnorm`'s
`fold_char`: the standard tokenizer then finds exactly hoso's words.

Indexing spends more time here than anywhere else in hoso, so the per-character
map runs vectorised (numpy) over the code points where page text lives; a page
holding any other character takes the plain `str.translate` path. Both apply
the same table.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from pipeline.textnorm import fold_char

_WORD = re.compile(r"\w")
_VECTOR_LIMIT = 0x3000  # Latin, Vietnamese, punctuation, symbols: code points below this take the fast path


class _WordsTable(dict[int, str]):
    """For `str.translate`: word characters as written (or folded), everything else a blank."""

    def __init__(self, folded: bool) -> None:
        super().__init__()
        self.folded = folded

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = " " if not _WORD.fullmatch(char) else fold_char(char) if self.folded else char
        self[code] = kept
        return kept


_AS_WRITTEN, _FOLDED = _WordsTable(folded=False), _WordsTable(folded=True)


@cache
def _vectors() -> tuple[np.ndarray, np.ndarray]:
    """Both tables as arrays indexed by code point, built once."""
    as_written, folded = (
        np.fromiter((ord(table[code]) for code in range(_VECTOR_LIMIT)), dtype=np.uint32, count=_VECTOR_LIMIT)
        for table in (_AS_WRITTEN, _FOLDED)
    )
    return as_written, folded


def page_words(text: str) -> tuple[str, str]:
    """(words as written, words folded) of `text`, blanks between them; each as long as `text`."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not codes.size or codes.max() >= _VECTOR_LIMIT:
        return text.translate(_AS_WRITTEN), text.translate(_FOLDED)
    written, folded = (vector[codes].tobytes().decode("utf-32-le") for vector in _vectors())
    return written, folded
