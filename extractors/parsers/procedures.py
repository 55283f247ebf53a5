"""Administrative procedures on land, by their names in the national procedure catalogue.

A receipt names the procedure requested; read by OCR, its tone marks may be wrong
("quyên sử dụng"). A reading whose folded letters match a catalogued name (exactly,
or within a few OCR slips) is given that name; any other is kept as read.
"""

from __future__ import annotations

from extractors.parsers import Parsed
from extractors.parsers.text import parse_text
from extractors.parsers.vocabulary import Vocabulary

CATALOGUE = (
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho",
    "Đăng ký biến động do thừa kế quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và "
    "tài sản khác gắn liền với đất lần đầu",
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
    "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    "Cấp lại Giấy chứng nhận do bị mất",
    "Chuyển mục đích sử dụng đất",
    "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
    "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
    "Tách thửa hoặc hợp thửa đất",
    "Đính chính Giấy chứng nhận đã cấp",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Cung cấp thông tin, dữ liệu đất đai",
    "Gia hạn sử dụng đất",
    "Thu hồi đất",
)
PROCEDURES = Vocabulary(CATALOGUE)


def parse_procedure(text: str) -> Parsed | None:
    printed = parse_text(text)
    if printed is None:
        return None
    known = PROCEDURES.match(str(printed.value))
    return Parsed(known[0], printed.start, printed.end, known[1]) if known else printed
