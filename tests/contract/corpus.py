"""The records the read-only contract cases search: a few named ones, and filler around them.

Each named record exists for a case: spellings with and without diacritics,
codes, a parcel reference, a best page that is not the first, an undated
document. The filler (generated, no "Văn An" among it) makes ranking,
pagination and facets non-trivial.
"""

from __future__ import annotations

from pipeline.models import DocType
from tests.contract.records import generate, make_record

DOSSIER = "000.00.15.H26-230620-0001"

AN = make_record(
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\n"
    "Ông: Nguyễn Văn An, năm sinh: 1975\nSố phát hành: CS 01234",
    "II. Thửa đất số: 345, tờ bản đồ số: 12\nMục đích sử dụng: Đất ở tại đô thị\nDiện tích: 85,6 m²",
    name="an.pdf",
    fields={
        "serial": "CS01234",
        "holder_name": "Nguyễn Văn An",
        "parcel_number": "345",
        "map_sheet": "12",
        "area_m2": 85.6,
        "land_purpose_code": "ODT",
        "issue_date": "2019-03-15",
        "ward": "Hoàng Liệt",
        "district": "Hoàng Mai",
        "province": "Hà Nội",
    },
)
BINH = make_record(
    "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nBà: Trần Thị Bình\nThửa đất số: 345, tờ bản đồ số: 7",
    name="binh.pdf",
    needs_review=True,
    fields={
        "serial": "AB 555666",
        "holder_name": "Trần Thị Bình",
        "parcel_number": "345",
        "map_sheet": "7",
        "land_purpose_code": "CLN",
        "issue_date": "2015-06-01",
        "ward": "Hà Cầu",
        "district": "Hà Đông",
        "province": "Hà Nội",
    },
)
HA = make_record("Người nộp hồ sơ: Đỗ Thu Hà", name="ha.pdf", doc_type=DocType.OTHER)
HA_DOT = make_record("Người nộp hồ sơ: Lê Văn Hạ", name="ha-dot.pdf", doc_type=DocType.OTHER)
DAT = make_record(
    "GIẤY TIẾP NHẬN HỒ SƠ\nÔng/bà: Ngô Văn Đạt\nThời gian nhận hồ sơ: 20/6/2023",
    f"Mã hồ sơ: {DOSSIER}",
    name="dat.pdf",
    doc_type=DocType.RECEIPT,
    fields={
        "dossier_code": DOSSIER,
        "applicant_name": "Ngô Văn Đạt",
        "received_at": "2023-06-20T08:30",
        "ward": "Dịch Vọng",
        "district": "Cầu Giấy",
        "province": "Hà Nội",
    },
)
MENTION = make_record(
    f"Công văn trả lời về hồ sơ {DOSSIER} của ông Ngô Văn Đạt",
    name="mention.pdf",
    doc_type=DocType.OTHER,
    fields={"doc_date": "2023-07-01", "district": "Cầu Giấy"},
)
UNDATED = make_record("Biên bản họp tổ dân phố, không ghi ngày", name="undated.pdf", doc_type=DocType.OTHER)

NAMED = [AN, BINH, HA, HA_DOT, DAT, MENTION, UNDATED]
FILLER = [record for record in generate(60, seed=11) if "Văn An" not in record.text][:40]
CORPUS = NAMED + FILLER
