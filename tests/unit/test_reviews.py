"""People's reviews of fields: applied over any reading, the machine's reading kept beside them, the review
flag decided again, and what a person types read and checked like the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.reviewed import settled
from extractors.typed_values import Refused, typed_value
from pipeline.models import (
    Box,
    DocType,
    Extracted,
    Field,
    Page,
    PageRead,
    ReadMethod,
    ReviewAction,
    Segment,
)
from pipeline.reviews import FieldReview, applied, machine_fields, reading_of

AT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
THRESHOLD = 0.8


def field(name: str, value: object, confidence: float = 0.95, **extra: object) -> Field:
    return Field(name=name, raw=str(value), value=value, confidence=confidence, page=1, **extra)  # type: ignore[arg-type]


def review(name: str, value: object, machine: Field | None, group: int = 0) -> FieldReview:
    action = ReviewAction.CONFIRMED if machine is not None and machine.value == value else ReviewAction.CORRECTED
    return FieldReview(
        sha256="a" * 64,
        name=name,
        group=group,
        action=action,
        raw=str(value),
        value=value,  # type: ignore[arg-type]
        machine=reading_of(machine),
        reviewer="lan",
        at=AT,
        page=1,
    )


def receipt(fields: list[Field], page_review: bool = False) -> Extracted:
    read = PageRead(method=ReadMethod.OCR, confidence=0.5 if page_review else 0.95)
    page = Page(number=1, text="", read=read, needs_review=page_review)
    return Extracted(
        doc_type=DocType.RECEIPT,
        segments=[Segment(doc_type=DocType.RECEIPT, first_page=1, last_page=1)],
        pages=[page],
        fields=fields,
        needs_review=True,
        review_reasons=[],
    )


def test_a_correction_holds_over_a_new_reading_and_keeps_the_machines() -> None:
    misread = field(
        "due_at",
        "2025-02-14T16:00",
        0.5,
        valid=False,
        issues=["due before received"],
        box=Box(left=1, top=2, width=3, height=4),
    )
    correction = review("due_at", "2025-03-14T16:00", misread)
    reread = field("due_at", "2025-02-15T16:00", 0.6)  # the machine reads it again, differently
    [held] = applied([reread], [correction])
    assert (held.value, held.confidence, held.valid, held.issues) == ("2025-03-14T16:00", 1.0, True, [])
    assert held.verified is not None and held.verified.by == "lan" and held.verified.action == ReviewAction.CORRECTED
    assert held.verified.machine is not None and held.verified.machine.value == "2025-02-15T16:00"
    assert held.as_read() == reread  # the machine's reading comes back out whole


def test_a_field_the_machine_missed_is_added_and_taken_out_as_the_machines() -> None:
    given = review("due_at", "2025-03-14T16:00", None)
    [added] = applied([], [given])
    assert added.value == "2025-03-14T16:00" and added.page == 1 and added.verified is not None
    assert added.verified.machine is None
    assert machine_fields([added]) == []


def test_settled_decides_the_flag_again_with_the_persons_values() -> None:
    unsure = field("dossier_code", "000.00.15.H26-250310-0003", 0.5)
    rest = [
        field("applicant_name", "Nguyễn Văn An"),
        field("procedure", "Đăng ký"),
        field("received_at", "2025-03-10T08:00"),
    ]
    read = receipt([unsure, *rest])  # due_at missing and the code unsure
    first = settled(read, [review("dossier_code", unsure.value, unsure)], THRESHOLD)
    assert first.needs_review and first.review_reasons == ["due_at: missing"]
    both = settled(
        read, [review("dossier_code", unsure.value, unsure), review("due_at", "2025-03-14T16:00", None)], THRESHOLD
    )
    assert not both.needs_review and both.review_reasons == []


def test_a_doubtful_page_reading_no_longer_holds_a_document_a_person_checked() -> None:
    fields = [field(name, "x") for name in ("dossier_code", "applicant_name", "procedure", "received_at", "due_at")]
    read = receipt(fields, page_review=True)
    assert settled(read, [], THRESHOLD).needs_review is True  # nobody looked yet: nothing changes
    checked = settled(read, [review("applicant_name", "x", fields[1])], THRESHOLD)
    assert not checked.needs_review


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("issue_date", "15/3/2019", "2019-03-15"),
        ("issue_date", "2019-03-15", "2019-03-15"),
        ("received_at", "20/06/2023 14:05", "2023-06-20T14:05"),
        ("area_m2", "125,5", 125.5),
        ("serial", "ab 123456", "AB123456"),
        ("ward", "lieu giai", "Phường Liễu Giai"),
        ("district", "q. cau giay", "Quận Cầu Giấy"),
        ("province", "tp ho chi minh", "Thành phố Hồ Chí Minh"),
    ],
)
def test_what_a_person_types_is_read_like_the_page(name: str, typed: str, stored: object) -> None:
    district = field("district", "Quận Ba Đình")
    assert typed_value(name, typed, [district] if name == "ward" else []) == (typed, stored)


def test_a_ward_is_checked_in_the_documents_own_province() -> None:
    da_nang = [field("province", "Thành phố Đà Nẵng"), field("district", "Quận Liên Chiểu")]
    assert typed_value("ward", "hoa khanh bac", da_nang)[1] == "Phường Hòa Khánh Bắc"
    assert typed_value("district", "lien chieu", da_nang[:1])[1] == "Quận Liên Chiểu"
    with pytest.raises(Refused, match="is not a ward of Quận Liên Chiểu"):
        typed_value("ward", "Liễu Giai", da_nang)


@pytest.mark.parametrize(
    ("name", "typed", "told"),
    [
        ("issue_date", "31/02/2019", "date does not exist: 31/2/2019"),
        ("issue_date", "hôm qua", "is not a date"),
        ("due_at", "01/06/2023 10:00", "due 2023-06-01T10:00 before received 2023-06-20T14:05"),
        ("ward", "Dịch Vọng", "is not a ward of Quận Ba Đình"),
        ("holder_birth_year", "1066", "implausible"),
        ("dossier_code", "12345", "is not a dossier code"),
        ("serial", "   ", "type a value"),
        ("colour", "red", "there is no field 'colour'"),
        ("ward_now", "Phường Ngọc Hà", "computed from the paper's units"),
    ],
)
def test_a_value_that_cannot_be_is_refused_with_its_reason(name: str, typed: str, told: str) -> None:
    others = [field("district", "Quận Ba Đình"), field("received_at", "2023-06-20T14:05")]
    with pytest.raises(Refused, match=told):
        typed_value(name, typed, others)


def test_confirming_what_the_machine_read_overrides_a_warning_across_fields() -> None:
    code = field("dossier_code", "000.00.15.H26-250310-0003", 0.5, valid=False)
    received = field("received_at", "2025-03-11T08:00")
    assert typed_value("dossier_code", "000.00.15.H26-250310-0003", [code, received])[1] == code.value
    with pytest.raises(Refused, match="filing date"):
        typed_value("dossier_code", "000.00.15.H26-250309-0003", [code, received])


def test_the_purpose_code_follows_a_corrected_purpose() -> None:
    purpose = field("land_purpose", "Đất trồng lúa", 0.5)
    code = field("land_purpose_code", "LUA", 0.5)
    read = receipt([purpose, code])
    fixed = settled(read, [review("land_purpose", "Đất ở tại đô thị", purpose)], THRESHOLD)
    assert {f.name: f.value for f in fixed.fields}["land_purpose_code"] == "ODT"
    kept = settled(
        read, [review("land_purpose", "Đất ở tại đô thị", purpose), review("land_purpose_code", "LUA", code)], THRESHOLD
    )
    assert {f.name: f.value for f in kept.fields}["land_purpose_code"] == "LUA"


def test_a_corrected_ward_brings_todays_ward_along() -> None:
    ward = field("ward", "Phường Dịch Vọng", 0.5)
    district = field("district", "Quận Ba Đình")
    fixed = settled(receipt([ward, district]), [review("ward", "Phường Liễu Giai", ward)], THRESHOLD)
    now = [f for f in fixed.fields if f.name == "ward_now_code"]
    assert [f.value for f in now] == ["00008"] and all(f.verified is None for f in now)
