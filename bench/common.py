"""What the benchmarks share: character error rates, plain Tesseract, sample corpora."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pipeline.textnorm import nfc

_WHITESPACE = re.compile(r"\s+")
CANDIDATES = 3  # output lines compared exactly with each reference line, chosen by a fast fuzzy score


def normalise(text: str) -> str:
    """NFC, every run of white space one space, trimmed: what CER compares."""
    return _WHITESPACE.sub(" ", nfc(text)).strip()


def cer(reference: str, output: str) -> tuple[int, int]:
    """(edits, reference characters) between two texts in reading order."""
    ref = normalise(reference)
    return Levenshtein.distance(ref, normalise(output)), len(ref)


def cer_unordered(reference: str, output: str) -> tuple[int, int]:
    """(edits, reference characters), each reference line matched to its closest stretch of an output line.

    A two-column header has no single right reading order, and Tesseract may
    read the left and right column of a row as one line ("UBND QUẬN X  CỘNG
    HÒA ..."): this variant charges neither the order of the blocks nor the
    joining of lines, only the characters misread within each reference line.
    """
    candidates = [normalise(line) for line in output.splitlines() if line.strip()]
    edits = total = 0
    for line in (normalise(line) for line in reference.splitlines()):
        if not line:
            continue
        total += len(line)
        closest = process.extract(line, candidates, scorer=fuzz.partial_ratio, limit=CANDIDATES)
        edits += min((span_distance(line, candidate) for candidate, _, _ in closest), default=len(line))
    return edits, total


def span_distance(line: str, candidate: str) -> int:
    """Edit distance between `line` and the stretch of `candidate` it matches best (free start and end)."""
    target = np.array([ord(ch) for ch in candidate], dtype=np.int64)
    offsets = np.arange(len(target) + 1)
    previous = np.zeros(len(target) + 1, dtype=np.int64)  # a match may start anywhere in the candidate
    for row, char in enumerate(line, 1):
        best = np.empty_like(previous)
        best[0] = row
        best[1:] = np.minimum(previous[:-1] + (target != ord(char)), previous[1:] + 1)
        previous = np.minimum.accumulate(best - offsets) + offsets  # then insertions along the row
    return int(previous.min())


def plain_tesseract(path: Path, language: str = "vie") -> str:
    """`tesseract IMG - -l vie`: no preprocessing, single-threaded."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        ["tesseract", str(path), "-", "-l", language], capture_output=True, text=True, env=env, check=False
    )
    return done.stdout
