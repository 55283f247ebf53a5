"""Dossier receipt slips ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")."""

from __future__ import annotations

from extractors.document import PageView
from extractors.fields import WHOLE, Reader, Rule, Scope
from extractors.parsers.codes import parse_dossier_code
from extractors.parsers.dates import parse_datetime
from extractors.parsers.names import parse_titled_name
from extractors.parsers.numbers import parse_int
from extractors.parsers.offices import parse_desk
from extractors.parsers.phones import parse_phone
from extractors.parsers.places import parse_address
from extractors.parsers.procedures import parse_procedure
from extractors.units import header, office_fields, place_fields
from pipeline.models import Field

MAX_SETS = 20
MAX_PROCESSING_DAYS = 365
OFFICE = Rule("receiving_office", ("Bộ phận tiếp nhận và trả kết quả",), parse_desk, wrap=True, colon=True)
APPLICANT = Rule("applicant_name", ("Tiếp nhận hồ sơ của", "Họ và tên người nộp", "Người nộp hồ sơ"), parse_titled_name)
RULES: tuple[Rule, ...] = (
    Rule("dossier_code", ("Mã hồ sơ", "Mã số hồ sơ"), parse_dossier_code),
    APPLICANT,
    Rule("procedure", ("Nội dung yêu cầu giải quyết", "Tên thủ tục hành chính"), parse_procedure, wrap=True),
    Rule("set_count", ("Số lượng hồ sơ",), lambda text: parse_int(text, MAX_SETS)),
    Rule(
        "processing_days",
        ("Thời gian giải quyết hồ sơ theo quy định là", "Thời gian giải quyết hồ sơ", "Thời hạn giải quyết"),
        lambda text: parse_int(text, MAX_PROCESSING_DAYS),
    ),
    Rule("received_at", ("Thời gian nhận hồ sơ", "Ngày nhận hồ sơ"), parse_datetime, wrap=True),
    Rule(
        "due_at",
        ("Thời gian trả kết quả giải quyết hồ sơ", "Thời gian trả kết quả", "Ngày hẹn trả kết quả"),
        parse_datetime,
        wrap=True,
    ),
)
ADDRESS = Rule("applicant_address", ("Địa chỉ",), parse_address, wrap=True)
PHONE = Rule("applicant_phone", ("Số điện thoại", "Điện thoại"), parse_phone)
STOPS = (
    *((rule.name, rule.labels) for rule in (*RULES, OFFICE, ADDRESS, PHONE)),
    ("email", ("Email", "Thư điện tử")),
    ("documents", ("Thành phần hồ sơ",)),
    ("result_at", ("Đăng ký nhận kết quả tại",)),
)


def extract_receipt(pages: list[PageView]) -> list[Field]:
    reader = Reader(pages, STOPS)
    fields = [field for rule in RULES if (field := reader.read(rule))]
    applicant = reader.hits(APPLICANT)
    after_applicant = Scope(applicant[0].span.position) if applicant else WHOLE
    fields += [field for rule in (ADDRESS, PHONE) if (field := reader.read(rule, after_applicant))]
    return fields + _office(reader)


def _office(reader: Reader) -> list[Field]:
    """The receiving office, and its ward, district and province (from its name, else the page header)."""
    office = reader.find(OFFICE)
    if office is not None:
        return [office.field(OFFICE.name), *place_fields(office.value_span, office.hit.quality)]
    return office_fields(header(reader.pages[0]))
