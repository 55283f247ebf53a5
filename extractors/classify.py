"""Document type per page, and a file's pages grouped into typed segments.

A page that carries a title near its top ("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG
ĐẤT", "GIẤY TIẾP NHẬN HỒ SƠ ...", "QUYẾT ĐỊNH", a letter's "Số: .../..." and
"V/v") starts a document of that type; the first title on the page decides, so
a decision "về việc cấp Giấy chứng nhận quyền sử dụng đất" is a decision. A
page without a title continues the document before it (a certificate's second
face, a letter's second page) unless another type's labels clearly outweigh
its own. Cues are matched like every label: folded and fuzzy, so OCR noise
does not hide them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.document import PageView
from extractors.labels import LabelHit, LabelIndex
from pipeline.models import DocType, Segment

CERT, RECEIPT, OTHER = DocType.CERTIFICATE, DocType.RECEIPT, DocType.OTHER
TOP_LINES = 14  # a title stands in the first lines of its page (after the office header and motto)
MIN_SCORE = 3.0  # a first page scoring less is `other`
SWITCH_SCORE = 4.0  # labels of another type that end the document before without a title


@dataclass(frozen=True)
class Cue:
    doc_type: DocType
    labels: tuple[str, ...]
    weight: float
    title: bool = False  # near the top of a page, starts a document
    colon: bool = False  # only as a label ("Thửa đất số:"), not in running text
    line_start: bool = False  # only first on its line, after at most a numbering ("3. Thời gian ...")


CUES: tuple[Cue, ...] = (
    Cue(CERT, ("Giấy chứng nhận quyền sử dụng đất",), 4, title=True),
    Cue(CERT, ("quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "quyền sở hữu tài sản gắn liền với đất"), 1),
    Cue(CERT, ("Người sử dụng đất, chủ sở hữu",), 2),
    Cue(CERT, ("Địa chỉ thường trú",), 1, colon=True),
    Cue(CERT, ("Năm sinh", "Sinh năm"), 1, colon=True),
    Cue(CERT, ("Thửa đất số",), 2, colon=True),
    Cue(CERT, ("Tờ bản đồ số",), 2, colon=True),
    Cue(CERT, ("Thông tin thửa đất",), 2),
    Cue(CERT, ("Sơ đồ thửa đất",), 2),
    Cue(CERT, ("Những thay đổi sau khi cấp Giấy chứng nhận",), 3),
    Cue(CERT, ("Nội dung thay đổi và cơ sở pháp lý",), 2),
    Cue(CERT, ("Số vào sổ cấp", "Vào sổ cấp GCN số"), 2),
    Cue(CERT, ("Mục đích sử dụng", "Loại đất"), 1, colon=True),
    Cue(CERT, ("Thời hạn sử dụng",), 1, colon=True),
    Cue(CERT, ("Nguồn gốc sử dụng",), 1, colon=True),
    Cue(CERT, ("Hình thức sử dụng",), 1, colon=True),
    Cue(
        RECEIPT, ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Phiếu tiếp nhận hồ sơ và hẹn trả kết quả"), 5, title=True
    ),
    Cue(RECEIPT, ("Mã hồ sơ",), 2, colon=True),
    Cue(RECEIPT, ("Tiếp nhận hồ sơ của",), 2, line_start=True),
    Cue(RECEIPT, ("Thành phần hồ sơ",), 1, line_start=True),
    Cue(RECEIPT, ("Số lượng hồ sơ",), 2, line_start=True),
    Cue(RECEIPT, ("Thời gian giải quyết hồ sơ",), 2, line_start=True),
    Cue(RECEIPT, ("Thời gian nhận hồ sơ",), 2, line_start=True),
    Cue(RECEIPT, ("Thời gian trả kết quả",), 2, line_start=True),
    Cue(RECEIPT, ("Nội dung yêu cầu giải quyết",), 2, line_start=True),
    Cue(RECEIPT, ("Người tiếp nhận hồ sơ",), 1),
    Cue(RECEIPT, ("Sổ theo dõi hồ sơ",), 1),
    Cue(OTHER, ("Kính gửi",), 2),
    Cue(OTHER, ("Nơi nhận",), 2),
    Cue(OTHER, ("Căn cứ",), 1),
    Cue(OTHER, ("Quyết định", "Thông báo", "Tờ trình", "Báo cáo", "Công văn"), 3, title=True),
)
# a letter's number ("Số: 123/QĐ-UBND") and subject ("V/v ...") head it like a title (folded text)
_LETTER_HEAD = re.compile(r"(?m)^[ \t]*(?:so[ \t]*:[ \t]*\d+[ \t]*/[ \t]*[a-z]|v[ \t]*/[ \t]*v\b)")
LETTER_HEAD_WEIGHT = 2.0
_NUMBERING = re.compile(r"(?:\d{1,2}|[a-zđ])?[.)]?")  # "", "3.", "b)"


@dataclass(frozen=True)
class PageCues:
    scores: dict[DocType, float]
    title: DocType | None  # the type of the first title near the top, if any

    @property
    def best(self) -> DocType:
        return max(self.scores, key=lambda t: self.scores[t])


def page_cues(index: LabelIndex, page: PageView) -> PageCues:
    """How much each type's cues weigh on `page`, and which title comes first on it."""
    scores = dict.fromkeys(DocType, 0.0)
    top = page.line_end(page.line_starts[min(TOP_LINES, len(page.line_starts)) - 1])
    titles: list[tuple[int, DocType]] = []
    for cue in CUES:
        hits = [h for h in index.find(cue.labels[0], cue.labels) if h.span.page is page and _counts(cue, h)]
        if not hits:
            continue
        first = min(h.span.start for h in hits)
        scores[cue.doc_type] += cue.weight if first < top or not cue.title else cue.weight / 4
        if cue.title and first < top:
            titles.append((first, cue.doc_type))
    for match in _LETTER_HEAD.finditer(page.folded, 0, top):
        scores[OTHER] += LETTER_HEAD_WEIGHT
        titles.append((match.start(), OTHER))
    return PageCues(scores, min(titles)[1] if titles else None)


def _counts(cue: Cue, hit: LabelHit) -> bool:
    """A colon cue only as a label; a title only in capitals, first on its line; a line-start cue
    only after a numbering. A letter's running text ("... hẹn lại thời gian trả kết quả") uses a
    receipt's words, not its labels."""
    text = hit.span.page.text
    before = text[text.rfind("\n", 0, hit.span.start) + 1 : hit.span.start].strip()
    if cue.colon:
        return text[hit.span.end :].lstrip(" \t")[:1] == ":"
    if cue.title:
        letters = [ch for ch in hit.span.raw if ch.isalpha()]
        return not before and sum(ch.isupper() for ch in letters) > len(letters) / 2
    if cue.line_start:
        return _NUMBERING.fullmatch(before) is not None
    return True


def classify(pages: list[PageView]) -> tuple[dict[int, DocType], list[Segment]]:
    """Each page's type and the segments they form, in page order."""
    index = LabelIndex(pages)
    page_types: dict[int, DocType] = {}
    segments: list[Segment] = []
    for page in pages:
        cues = page_cues(index, page)
        current = segments[-1] if segments else None
        doc_type = _page_type(cues, current.doc_type if current else None)
        page_types[page.number] = doc_type
        if current is None or doc_type != current.doc_type or cues.title is not None:
            segments.append(Segment(doc_type=doc_type, first_page=page.number, last_page=page.number))
        else:
            segments[-1] = current.model_copy(update={"last_page": page.number})
    return page_types, segments


def _page_type(cues: PageCues, current: DocType | None) -> DocType:
    if cues.title is not None:
        return cues.title
    best = cues.best
    if current is None:
        return best if cues.scores[best] >= MIN_SCORE else OTHER
    if best != current and cues.scores[best] >= SWITCH_SCORE and cues.scores[best] > cues.scores[current]:
        return best
    return current
