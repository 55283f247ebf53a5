"""Land-use-right certificates: the 2014 four-face template and the 2024 two-page one.

A certificate reads in two parts: the holders (title, name, birth year, id,
address), then the parcel (number, map sheet, address, area, use form, purpose,
term, origin), then the place and date of issue and the signing authority. The
parcel part starts at its section heading or its first parcel label, which
tells the holder's "Địa chỉ" from the parcel's.
"""

from __future__ import annotations

import re

from extractors.dated import dated_line
from extractors.document import PageView, Span
from extractors.fields import END, START, Found, Reader, Rule, Scope, derived, make_field
from extractors.labels import LabelHit
from extractors.parsers import Parsed
from extractors.parsers.codes import parse_registry_number, parse_serial
from extractors.parsers.dates import parse_term, parse_year
from extractors.parsers.ids import id_issues, id_type_for, id_type_in, parse_id
from extractors.parsers.names import HOLDER_TITLE, parse_name, parse_title
from extractors.parsers.numbers import parse_area, parse_digits
from extractors.parsers.offices import parse_office
from extractors.parsers.origins import parse_origin
from extractors.parsers.places import parse_address
from extractors.parsers.purposes import parse_purpose, purpose_code
from extractors.units import place_fields
from pipeline.models import Field
from pipeline.textnorm import fold

SIGNATURE_LINES = 4  # lines after the place and date that name the signing authority
UNLABELED_SERIAL_QUALITY = 0.95
INFERRED_CERTAINTY = 0.85  # an authority not printed but inferred
DEPARTMENT_RENAMED = "2025-03-01"  # Sở Tài nguyên và Môi trường became Sở Nông nghiệp và Môi trường


def parse_use_form(text: str) -> Parsed | None:
    """ "Sử dụng riêng", or of "Sử dụng riêng: 85,6 m²; Sử dụng chung: không" the form that has an area."""
    forms = list(re.finditer(r"su\s*dung\s*(rieng|chung)\s*:?\s*([^;\n]*)", fold(text)))
    if not forms:
        return None
    chosen = next((m for m in forms if re.search(r"\d", m.group(2))), forms[0])
    value = "Sử dụng riêng" if chosen.group(1) == "rieng" else "Sử dụng chung"
    return Parsed(value, chosen.start(), chosen.end(1))


ID_LABELS = ("CMND số", "Số CMND", "Chứng minh nhân dân số", "CCCD số", "Số CCCD", "Căn cước công dân số")
BIRTH_YEAR = Rule("holder_birth_year", ("Năm sinh", "Sinh năm"), parse_year)
HOLDER_ID = Rule("holder_id_number", ID_LABELS, parse_id, wrap=True)
HOLDER_ADDRESS = Rule("holder_address", ("Địa chỉ thường trú", "Địa chỉ"), parse_address, wrap=True)
PARCEL_NUMBER = Rule("parcel_number", ("Thửa đất số",), parse_digits)
MAP_SHEET = Rule("map_sheet", ("Tờ bản đồ số",), parse_digits)
PARCEL_ADDRESS = Rule("parcel_address", ("Địa chỉ thửa đất", "Địa chỉ"), parse_address, wrap=True)
PURPOSE = Rule("land_purpose", ("Mục đích sử dụng", "Loại đất"), parse_purpose)
PARCEL_RULES = (
    PARCEL_NUMBER,
    MAP_SHEET,
    Rule("area_m2", ("Diện tích",), parse_area),
    Rule("use_form", ("Hình thức sử dụng",), parse_use_form, wrap=True),
    Rule("use_term", ("Thời hạn sử dụng", "Thời hạn"), parse_term),
    Rule("origin", ("Nguồn gốc sử dụng",), parse_origin, wrap=True),
)
DOCUMENT_RULES = (
    Rule("serial", ("Số phát hành", "Số seri", "Số sê-ri"), parse_serial),
    Rule(
        "registry_number",
        ("Số vào sổ cấp GCN", "Số vào sổ cấp Giấy chứng nhận", "Vào sổ cấp GCN số"),
        parse_registry_number,
    ),
)
# the headings that open the parcel part ("Thửa đất:" alone would also match "Sơ đồ thửa đất:")
PARCEL_SECTION = ("Thửa đất, nhà ở và tài sản khác gắn liền với đất", "Thông tin thửa đất")
HOLDERS_SECTION = ("Người sử dụng đất, chủ sở hữu",)
STOPS = (
    *((rule.name, rule.labels) for rule in (BIRTH_YEAR, HOLDER_ID, HOLDER_ADDRESS, PARCEL_ADDRESS, PURPOSE)),
    *((rule.name, rule.labels) for rule in (*PARCEL_RULES, *DOCUMENT_RULES)),
    ("parcel_section", PARCEL_SECTION),
    ("later_items", ("2. Nhà ở", "3. Công trình xây dựng khác", "4. Rừng sản xuất", "5. Cây lâu năm", "6. Ghi chú")),
    ("assets", ("3. Thông tin tài sản gắn liền với đất", "5. Ghi chú")),
)
# the serial is printed alone (a spread's OCR may put the other face's text after it on the line)
_SERIAL_LINE = re.compile(r"(?m)^[ \t]*([A-Z]{1,2}[ \t]?\d{6}(?:\d{2})?)(?:[ \t]*$|[ \t]+(?=[^\W\d]))")


def extract_certificate(pages: list[PageView]) -> list[Field]:
    reader = Reader(pages, STOPS)
    holders, parcel = _parts(reader)
    fields = _holders(reader, holders)
    fields += [field for rule in PARCEL_RULES if (field := reader.read(rule, parcel))]
    fields += [field for rule in DOCUMENT_RULES if (field := reader.read(rule))]
    if not any(f.name == "serial" for f in fields):
        fields += _unlabeled_serial(reader)
    if address := reader.find(HOLDER_ADDRESS, holders):
        fields.append(address.field(HOLDER_ADDRESS.name))
    if address := reader.find(PARCEL_ADDRESS, parcel):
        fields.append(address.field(PARCEL_ADDRESS.name))
        fields += place_fields(address.value_span, address.hit.quality)
    if purpose := reader.find(PURPOSE, parcel):
        fields += _purpose(purpose)
    registry = next((str(f.value) for f in fields if f.name == "registry_number"), "")
    return fields + _issue(reader, registry)


def _parts(reader: Reader) -> tuple[Scope, Scope]:
    """The holders' part and the parcel's part of the document.

    Usually the holders come first. OCR of a spread (both faces in one image)
    may read the parcel face first; then the holders' part starts at its own
    heading and the parcel's part ends there.
    """
    hits = [*reader.hits(("parcel_section", PARCEL_SECTION)), *reader.hits(PARCEL_NUMBER), *reader.hits(MAP_SHEET)]
    parcel = min((h.span.position for h in hits), default=END)
    heading = reader.hits(("holders_section", HOLDERS_SECTION))
    holders = heading[0].span.position if heading else START
    if holders > parcel:
        return Scope(holders, END), Scope(parcel, holders)
    return Scope(START, parcel), Scope(parcel, END)


def _holders(reader: Reader, scope: Scope) -> list[Field]:
    """Each holder's title, name, birth year and id, in the order printed (group = holder index).

    The holders come before their address ("Địa chỉ thường trú"), whose wrapped
    lines may start with a title's letters ("Ba Đình").
    """
    address = reader.hits(HOLDER_ADDRESS, scope)
    if address:
        scope = Scope(scope.start, address[0].span.position)
    starts = [
        (page, match)
        for page in reader.pages
        for match in HOLDER_TITLE.finditer(page.folded)
        if scope.holds(page.span(match.start("title"), match.end()))
        and page.text[match.end() : match.end() + 1].isupper()
    ]
    fields: list[Field] = []
    for group, (page, match) in enumerate(starts):
        following = starts[group + 1] if group + 1 < len(starts) else None
        end = (following[0].index, following[1].start()) if following else scope.end
        within = Scope((page.index, match.start("title")), min(end, scope.end))
        title = page.span(match.start("title"), match.end("title"))
        hit = LabelHit("holder_title", title, 1.0)
        parsed_title = parse_title(page.text[title.start : page.line_end(title.start)])
        if parsed_title is not None:
            fields.append(make_field("holder_title", title, parsed_title, 1.0, group))
        region = reader.value_region(hit, wrap=False, scope=within)
        if region is not None and (name := parse_name(region.raw)):
            fields.append(make_field("holder_name", region, name, 1.0, group))
        fields += _holder_details(reader, within, group)
    return fields


def _holder_details(reader: Reader, scope: Scope, group: int) -> list[Field]:
    fields: list[Field] = []
    birth = reader.read(BIRTH_YEAR, scope, group)
    if birth is not None:
        fields.append(birth)
    found = reader.find(HOLDER_ID, scope)
    if found is None:
        return fields
    declared = id_type_in(found.hit.span.raw)
    number = str(found.parsed.value)
    birth_year = int(birth.value) if birth is not None and birth.valid else None  # type: ignore[arg-type]
    checked = Parsed(number, found.parsed.start, found.parsed.end, found.parsed.certainty)
    checked = checked.with_issues(*id_issues(number, declared, birth_year))
    fields.append(make_field("holder_id_number", found.region, checked, found.hit.quality, group))
    kind = id_type_for(number, declared)
    if kind is not None:
        label = found.hit.span
        parsed = Parsed(kind, 0, label.end - label.start, 1.0 if declared else INFERRED_CERTAINTY)
        fields.append(make_field("holder_id_type", label, parsed, 1.0, group))
    return fields


def _purpose(found: Found) -> list[Field]:
    purpose = found.field(PURPOSE.name)
    code = purpose_code(found.region.raw, str(purpose.value))
    if code is None:
        return [purpose]
    return [purpose, derived(purpose, "land_purpose_code", code.value, code.certainty)]


def _unlabeled_serial(reader: Reader) -> list[Field]:
    """A serial printed alone on its line (the red number at the foot of face 1)."""
    for page in reader.pages:
        for match in _SERIAL_LINE.finditer(page.text):
            span = page.span(match.start(1), match.end(1))
            parsed = parse_serial(span.raw)
            if parsed is not None:
                return [make_field("serial", span, parsed, UNLABELED_SERIAL_QUALITY)]
    return []


def _issue(reader: Reader, registry: str) -> list[Field]:
    """Place and date of issue ("Hà Nội, ngày 15 tháng 3 năm 2019"), and the authority signing below."""
    dated = dated_line(reader.pages)
    if dated is None:
        return []
    page = dated.span.page
    fields = [make_field("issue_place", dated.span, dated.place), make_field("issue_date", dated.span, dated.date)]
    block = page.span(dated.span.end, _lines_after(page, dated.span.end))
    return fields + _authority(block, str(dated.place.value), registry, dated.date)


def _lines_after(page: PageView, offset: int) -> int:
    end = offset
    for _ in range(SIGNATURE_LINES):
        end = page.line_end(min(end + 1, len(page.text)))
    return end


def _authority(block: Span, place: str, registry: str, issued: Parsed) -> list[Field]:
    """The office signing under the date of issue.

    A committee prints itself ("TM. ỦY BAN NHÂN DÂN QUẬN ..."); a bare one takes
    its district from the place of issue. A department signs as its director
    ("KT. GIÁM ĐỐC") without its name: which one is inferred from the register
    book (VP: the registration office) and the date (the department's 2025
    renaming), and marked as inferred.
    """
    parsed = parse_office(block.raw) or parse_office(f"{block.raw}\nquận {place}")
    if parsed is None and re.search(r"giam\s*doc", block.folded):
        parsed = Parsed(_department(registry, str(issued.value)), 0, len(block.raw), INFERRED_CERTAINTY)
    if parsed is None:
        return []
    end = min(parsed.end, len(block.raw))  # the second try read past the block, into the place added
    return [make_field("issuing_authority", block, Parsed(parsed.value, parsed.start, end, parsed.certainty))]


def _department(registry: str, issued: str) -> str:
    if registry.startswith("VP"):
        return "Văn phòng đăng ký đất đai Hà Nội"
    if issued >= DEPARTMENT_RENAMED:
        return "Sở Nông nghiệp và Môi trường thành phố Hà Nội"
    return "Sở Tài nguyên và Môi trường thành phố Hà Nội"
