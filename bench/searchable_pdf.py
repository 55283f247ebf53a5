"""How faithful a searchable PDF's text layer is: what `pdftotext` gets back, and where it finds each word.

    PYTHONPATH=. .venv/bin/python -m bench.searchable_pdf [WORKDIR]

Reads generated documents with the real pipeline (Tesseract for scans, the
text layer for born-digital files), writes each as a searchable PDF
(`app.searchable_pdf`) and prints per document: text fidelity (the share of the
stored text's characters that `pdftotext -raw` gives back, 1 - edits/length
after white space is folded), the same for `pdftotext`'s own reading order
(each stored line matched where it stands, `bench.common.cer_unordered`),
placement (the share of stored words that `pdftotext -bbox` finds with the
same text over their box scaled to points), and the PDF's size against the
original's.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from app.searchable_pdf import layer_pages
from bench.common import cer, cer_unordered
from pipeline import filetypes
from pipeline.config import Settings
from pipeline.models import Box, Page
from pipeline.reading import ReadOptions, read_document
from pipeline.searchable_pdf import write_searchable_pdf
from pipeline.sources import POINTS_PER_INCH
from samples import SampleSpec, generate
from tests.documents import scanned_png

PLACEMENT_TOLERANCE = 1.0  # points either side of a word's box the found word's ends may stand
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r"<page .*?</page>", re.DOTALL)
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Giấy chứng nhận quyền sử dụng đất",
    "Thửa đất số 127, tờ bản đồ số 14",
    "Địa chỉ: phường Bến Nghé, quận 1",
    "Người sử dụng đất: ông Nguyễn Văn Hưởng",
    "Mục đích sử dụng: đất ở tại đô thị",
]


@dataclass(frozen=True)
class FoundWord:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Fidelity:
    name: str
    characters: int
    raw: float  # share of characters `pdftotext -raw` gives back in the stored order
    layout: float  # the same for `pdftotext`'s own reading order, line by line
    placed: float  # share of words found over their box
    size_ratio: float  # the PDF's bytes per byte of the original


def page_texts(pdf: Path, *options: str) -> list[str]:
    """`pdftotext` of each page (form feeds split them)."""
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[: _page_count(text)]


def found_words(pdf: Path) -> list[list[FoundWord]]:
    """The words `pdftotext -bbox` finds on each page, with their boxes in points, origin top-left."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [FoundWord(unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in _WORD.findall(page)]
        for page in _PAGE.findall(html)
    ]


def placed(page: Page, found: list[FoundWord]) -> float:
    """The share of the page's words found with their text over their box: ends within the tolerance,
    the box's middle inside the found word's height."""
    scale = POINTS_PER_INCH / page.read.dpi
    words = [word for word in page.words if word.text.strip()]
    hits = sum(any(_over(word.text, word.box, scale, one) for one in found) for word in words)
    return hits / len(words) if words else 1.0


def fidelity(stored: str, extracted: str, unordered: bool = False) -> float:
    edits, length = (cer_unordered if unordered else cer)(stored, extracted)
    return 1 - edits / length if length else 1.0


def measure(name: str, original: Path, workdir: Path, options: ReadOptions, executor: ThreadPoolExecutor) -> Fidelity:
    media = filetypes.media_type(original, original.read_bytes()[: filetypes.HEAD_BYTES], original.name)
    read = read_document(original, media, original.name, options, executor=executor, window=2)
    pdf = workdir / f"{original.stem}-searchable.pdf"
    write_searchable_pdf(layer_pages(read, original, media, original.name, options.limits), pdf, title=name)
    raw, layout, words = page_texts(pdf, "-raw"), page_texts(pdf), found_words(pdf)
    stored = "\n".join(page.text for page in read)
    return Fidelity(
        name=name,
        characters=len(stored),
        raw=fidelity(stored, "\n".join(raw)),
        layout=fidelity(stored, "\n".join(layout), unordered=True),
        placed=sum(placed(page, found) for page, found in zip(read, words, strict=True)) / len(read),
        size_ratio=pdf.stat().st_size / original.stat().st_size,
    )


def corpus(workdir: Path) -> list[tuple[str, Path]]:
    """A plain scan of Vietnamese lines at 300 and 150 dpi, a certificate as a skewed scan and as a scanned PDF, and a
    born-digital certificate in Unicode and in the legacy TCVN3/VNI encodings."""
    specs = [
        SampleSpec("certificate-scan", "gcn2014", "png", ("skew",), seed=25),
        SampleSpec("certificate-pdf-scan", "gcn2024", "pdf_scan", seed=26),
        SampleSpec("certificate-born-digital", "gcn2014", "pdf_text", seed=21),
        SampleSpec("letter-legacy-encoding", "letter", "pdf_legacy", seed=27),
    ]
    made = generate(specs, workdir / "samples", workers=1)
    plain = scanned_png(workdir / "lines.png", LINES)
    coarse = scanned_png(workdir / "lines-150dpi.png", LINES, dpi=150)  # upsampled for Tesseract
    return [("lines-scan", plain), ("lines-scan-150dpi", coarse), *((path.stem, path) for path in made)]


def main() -> None:
    workdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="searchable-pdf-"))
    workdir.mkdir(parents=True, exist_ok=True)
    options = ReadOptions.from_settings(Settings())
    print(f"{'document':28} {'chars':>6} {'raw':>7} {'layout':>7} {'placed':>7} {'size':>6}")
    with ThreadPoolExecutor(2) as executor:
        for name, path in corpus(workdir):
            got = measure(name, path, workdir, options, executor)
            print(
                f"{got.name:28} {got.characters:6d} {got.raw:7.2%} {got.layout:7.2%} {got.placed:7.2%} "
                f"{got.size_ratio:5.2f}x"
            )


def _over(text: str, box: Box, scale: float, found: FoundWord) -> bool:
    middle = (box.top + box.height / 2) * scale
    return (
        found.text == text
        and abs(found.left - box.left * scale) <= PLACEMENT_TOLERANCE
        and abs(found.right - box.right * scale) <= PLACEMENT_TOLERANCE
        and found.top <= middle <= found.bottom
    )


def _page_count(text: str) -> int:
    return max(text.count("\f"), 1)


if __name__ == "__main__":
    main()
