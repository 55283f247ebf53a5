"""The one registry of extracted fields: name, type, labels, which documents carry them.

The store, the index mappings, facets and filters, export columns and the CLI's
hit summary read this list; the sample generator's ground truth uses the same
names. Add a field here and everything downstream picks it up.
"""

from __future__ import annotations

from typing import Any

from pipeline.models import DocType, FieldSpec, FieldType, Typed

_C = frozenset({DocType.CERTIFICATE})
_R = frozenset({DocType.RECEIPT})
_O = frozenset({DocType.OTHER})
_ALL = frozenset(DocType)

T, K, D, DT, N, INT = (
    FieldType.TEXT,
    FieldType.KEYWORD,
    FieldType.DATE,
    FieldType.DATETIME,
    FieldType.NUMBER,
    FieldType.INTEGER,
)


def _spec(name: str, type_: FieldType, vi: str, en: str, docs: frozenset[DocType], **flags: Any) -> FieldSpec:
    return FieldSpec(name=name, type=type_, label_vi=vi, label_en=en, doc_types=docs, **flags)


FIELDS: tuple[FieldSpec, ...] = (
    # Land-use-right certificate
    _spec("serial", K, "Số phát hành", "Serial number", _C, required=True, hit=3, typed=Typed.SPACED),
    _spec("registry_number", K, "Số vào sổ cấp GCN", "Registry number", _C, required=True),
    _spec("holder_title", K, "Danh xưng", "Holder title", _C, repeated=True),
    _spec(
        "holder_name",
        T,
        "Người sử dụng đất",
        "Holder name",
        _C,
        repeated=True,
        required=True,
        hit=1,
        typed=Typed.FOLDED,
        person=True,
    ),
    _spec("holder_birth_year", INT, "Năm sinh", "Holder birth year", _C, repeated=True),
    _spec("holder_id_type", K, "Loại giấy tờ", "Holder id type", _C, repeated=True),
    _spec("holder_id_number", K, "Số giấy tờ", "Holder id number", _C, repeated=True),
    _spec("holder_address", T, "Địa chỉ thường trú", "Holder address", _C),
    _spec("parcel_number", K, "Thửa đất số", "Parcel number", _C, required=True, hit=7),
    _spec("map_sheet", K, "Tờ bản đồ số", "Map sheet number", _C, required=True, hit=6),
    _spec("parcel_address", T, "Địa chỉ thửa đất", "Parcel address", _C, required=True),
    _spec("area_m2", N, "Diện tích (m²)", "Area (m²)", _C, required=True, hit=8),
    _spec("use_form", K, "Hình thức sử dụng", "Use form", _C),
    _spec("land_purpose", T, "Mục đích sử dụng", "Land-use purpose", _C, required=True),
    _spec("land_purpose_code", K, "Mã mục đích", "Purpose code", _C, facet=True),
    _spec("use_term", K, "Thời hạn sử dụng", "Use term", _C),
    _spec("origin", T, "Nguồn gốc sử dụng", "Origin of use", _C),
    _spec("issue_place", T, "Nơi cấp", "Issue place", _C),
    _spec("issue_date", D, "Ngày cấp", "Issue date", _C, required=True),
    _spec("issuing_authority", T, "Cơ quan cấp", "Issuing authority", _C),
    # Dossier receipt slip
    _spec("dossier_code", K, "Mã hồ sơ", "Dossier code", _R, required=True, hit=4, typed=Typed.AS_PRINTED),
    _spec("receiving_office", T, "Bộ phận tiếp nhận", "Receiving office", _R),
    _spec("applicant_name", T, "Người nộp hồ sơ", "Applicant", _R, required=True, hit=2, person=True),
    _spec("applicant_address", T, "Địa chỉ người nộp", "Applicant address", _R),
    _spec("applicant_phone", K, "Số điện thoại", "Phone", _R),
    _spec("procedure", T, "Nội dung yêu cầu giải quyết", "Procedure", _R, required=True, hit=11),
    _spec("set_count", INT, "Số lượng hồ sơ (bộ)", "Number of sets", _R),
    _spec("processing_days", INT, "Thời gian giải quyết (ngày)", "Statutory processing days", _R),
    _spec("received_at", DT, "Thời gian nhận hồ sơ", "Received at", _R, required=True),
    _spec("due_at", DT, "Thời gian trả kết quả", "Due at", _R, required=True),
    # Other documents (letters, decisions)
    _spec("doc_number", K, "Số, ký hiệu", "Document number", _O, hit=5),
    _spec("issuing_body", T, "Cơ quan ban hành", "Issuing body", _O),
    _spec("doc_date", D, "Ngày ban hành", "Document date", _O),
    _spec("subject", T, "Trích yếu", "Subject", _O, hit=12),
    _spec("signer", T, "Người ký", "Signer", _O),
    # Place, shared by all types: of the parcel, or of the issuing office
    _spec("ward", K, "Phường/Xã", "Ward", _ALL, facet=True, hit=9),
    _spec("district", K, "Quận/Huyện", "District", _ALL, facet=True, hit=10, typed=Typed.UNIT),
    _spec("province", K, "Tỉnh/Thành phố", "Province", _ALL, facet=True),
    # The same place in today's units (since 1 July 2025), derived by `extractors.units_now`; a ward that
    # was split gives every candidate (groups 0, 1, ...)
    _spec("ward_now", K, "Phường/Xã hiện nay", "Ward today", _ALL, repeated=True, facet=True, derived=True),
    _spec("ward_now_code", K, "Mã phường/xã hiện nay", "Ward code today", _ALL, repeated=True, derived=True),
    _spec("province_now", K, "Tỉnh/Thành phố hiện nay", "Province today", _ALL, facet=True, derived=True),
    _spec("province_now_code", K, "Mã tỉnh/thành phố hiện nay", "Province code today", _ALL, derived=True),
)

BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}

# Labels of what every document has besides its fields, for the front doors (Vietnamese, English).
ATTRIBUTE_LABELS: dict[str, tuple[str, str]] = {
    "doc_type": ("Loại tài liệu", "Document type"),
    "year": ("Năm", "Year"),
    "needs_review": ("Cần kiểm tra", "Needs review"),
    "collection": ("Thư mục nhập", "Collection"),
}
DOC_TYPE_LABELS: dict[DocType, tuple[str, str]] = {
    DocType.CERTIFICATE: ("Giấy chứng nhận QSDĐ", "Land-use-right certificate"),
    DocType.RECEIPT: ("Giấy tiếp nhận hồ sơ", "Dossier receipt slip"),
    DocType.OTHER: ("Văn bản khác", "Other document"),
}

# Which field dates a document of each type: drives the "year" facet and date sort.
DATE_FIELD: dict[DocType, str] = {
    DocType.CERTIFICATE: "issue_date",
    DocType.RECEIPT: "received_at",
    DocType.OTHER: "doc_date",
}


def specs_for(doc_type: DocType) -> tuple[FieldSpec, ...]:
    """The fields a document of `doc_type` may carry."""
    return tuple(spec for spec in FIELDS if doc_type in spec.doc_types)


def hit_fields() -> tuple[str, ...]:
    """The fields a search hit's summary shows, in the order staff read them (`FieldSpec.hit`)."""
    shown = sorted((spec for spec in FIELDS if spec.hit is not None), key=lambda spec: spec.hit or 0)
    return tuple(spec.name for spec in shown)


def required_for(doc_type: DocType) -> tuple[str, ...]:
    """Names of the fields whose absence sends a document of `doc_type` to review."""
    return tuple(spec.name for spec in specs_for(doc_type) if spec.required)
