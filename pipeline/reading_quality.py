"""Whether an OCR reading of a page looks bad: the page-level review signal.

A page's mean word confidence is too blunt: a reading that swaps the tones of
one word in ten (hỏi for sắc, "sổ" for "số") still averages 0.9. Two shares
of the page's words say more, measured on the OCR bench (`bench.ocr_quality`,
pages whose reading-order-free CER is above 2% against those read well):

- `unsure`: words Tesseract recognised with a confidence below `SURE_WORD`
  (0.85). On the bench, words read right come out at 0.97 (median; 2% of them
  below 0.85), words read wrong at 0.88 (43% below 0.85, only about one in ten
  below 0.5), so the share below 0.5, or the mean, hardly sees a page of wrong
  tones. Of the cuts tried (0.5 to 0.94) 0.85 separated the bad pages best.
- `not_vietnamese`: lettered tokens that are no Vietnamese syllable
  (`pipeline.syllables`), number, code or abbreviation. Real pages have very
  few (0-3%: stray marks, emails); a page read upside down or through heavy
  noise is mostly made of them, and tone errors on a stop coda ("đươc") or
  letters outside the alphabet ("ÂMột", "¡ch") show up here.

`score` is the share of words that pass both, `(1 - not_vietnamese) *
(1 - unsure)`: 0.93-0.99 for a page read well, 0.05 for a letter read upside
down (0.99 turned right). Two readings of one page are compared by the words
the score vouches for (`ReadingQuality.sound_words`, score × words), so that a
reading that dropped the hard part of a page does not win by its share alone.
"""

from __future__ import annotations

import re

from pipeline.models import ReadingQuality
from pipeline.syllables import is_syllable, tokens
from pipeline.textnorm import nfc

SURE_WORD = 0.85  # a word recognised with less confidence is unsure (see the module docstring)
# A reading is doubtful above either share. On the bench, at most one well-read page in ten has more
# unsure words than UNSURE_PAGE (its 90th percentile is 6.8%), while most pages above 2% CER do; well-read
# pages have at most 5% of tokens that are not Vietnamese, a letter read upside down about 40%.
UNSURE_PAGE = 0.07
NOT_VIETNAMESE_PAGE = 0.10

# Abbreviations and codes of these documents: UBND, GCN, CMND, CCCD, TP, QĐ, ODT, and the letters of
# land-use codes and certificate serials (plain capitals or Đ, no tone: "ĐẤT" is judged as a syllable).
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,5}$")


def judge(text: str, confidences: list[float]) -> ReadingQuality:
    """The reading quality of an OCR text and its words' confidences (0..1 each)."""
    lettered = [token for token in tokens(nfc(text)) if any(ch.isalpha() for ch in token)]
    not_vietnamese = _share(sum(not is_vietnamese(token) for token in lettered), len(lettered))
    unsure = _share(sum(confidence < SURE_WORD for confidence in confidences), len(confidences))
    score = (1 - not_vietnamese) * (1 - unsure) if confidences else 0.0
    return ReadingQuality(
        score=round(score, 3),
        doubtful=not confidences or unsure > UNSURE_PAGE or not_vietnamese > NOT_VIETNAMESE_PAGE,
        words=len(confidences),
        not_vietnamese=round(not_vietnamese, 3),
        unsure=round(unsure, 3),
    )


def is_vietnamese(token: str) -> bool:
    """A token a Vietnamese administrative page is made of: a syllable, a number or code with digits
    ("CH00536", "04a"), an abbreviation (`_ABBREVIATION`), or one plain letter (the items "a." "b." "đ."
    of a list, "V/v")."""
    if is_syllable(token) or any(ch.isdigit() for ch in token) or _ABBREVIATION.match(token):
        return True
    return len(token) == 1 and (token.isascii() or token in "đĐ")


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0
