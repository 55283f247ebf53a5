"""Filter values as people type them: the stored values they stand for, or a refusal naming the nearest."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app import resources
from app import search as searching
from app.errors import RequestError
from app.filters import resolve
from cli.main import app as cli
from pipeline.gazetteer import load_gazetteer, provinces
from pipeline.models import DocType, Record
from tests.contract.records import make_record

pytestmark = pytest.mark.usefixtures("fresh_home")


# -- administrative units -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["ba dinh", "Ba Đình", "BA ĐÌNH", "quận ba đình", "quan ba dinh", "q. ba đình", "Q.Ba Đình", " q ba dinh "]
)
def test_a_district_is_found_with_or_without_its_type_word(typed: str) -> None:
    assert resolve("district", [typed]) == ["Quận Ba Đình", "Ba Đình"]


@pytest.mark.parametrize(
    "typed", ["phuong lieu giai", "Liễu Giai", "p. liễu giai", "P.Liễu Giai", "Phường Liễu Giai", "lieu  giai"]
)
def test_a_ward_is_found_with_or_without_its_type_word(typed: str) -> None:
    assert resolve("ward", [typed]) == ["Phường Liễu Giai", "Liễu Giai"]


def test_a_name_that_begins_like_a_type_word_is_the_name() -> None:
    assert resolve("ward", ["phuong liet"]) == ["Phường Phương Liệt", "Phương Liệt"]


def test_a_name_shared_by_units_of_two_types_stands_for_both_unless_the_type_word_says() -> None:
    assert set(resolve("ward", ["quang trung"])) == {"Phường Quang Trung", "Xã Quang Trung", "Quang Trung"}
    assert resolve("ward", ["xã quang trung"]) == ["Xã Quang Trung", "Quang Trung"]
    assert set(resolve("ward", ["phu dong"])) >= {"Xã Phù Đổng", "Xã Phú Đông"}  # one folded name, two wards
    assert resolve("ward", ["Phù Đổng"]) == ["Xã Phù Đổng", "Phù Đổng"]  # the marks typed choose
    assert resolve("district", ["quận sơn tây"]) == ["Thị xã Sơn Tây", "Sơn Tây"]  # a wrong type word still finds it


def test_the_province_is_found_as_people_write_it() -> None:
    for typed in ("ha noi", "Hà Nội", "tp. hà nội", "thành phố hà nội"):
        assert resolve("province", [typed]) == ["Thành phố Hà Nội", "Hà Nội"]


def test_every_unit_as_stored_finds_itself_first() -> None:
    """The web app's facet links send stored values back: each must come back as it was."""
    gazetteer = load_gazetteer()
    for name, units in (("district", gazetteer.districts), ("ward", gazetteer.all_wards)):
        for unit in units:
            assert resolve(name, [unit.full_name])[0] == unit.full_name


def test_a_misspelt_unit_is_refused_naming_the_nearest() -> None:
    with pytest.raises(RequestError, match=r"^no district matches 'ba dihn'; did you mean Quận Ba Đình\?$"):
        resolve("district", ["ba dihn"])
    with pytest.raises(RequestError, match=r"^no ward matches 'phuong lieu giao'; did you mean Phường Liễu Giai\?$"):
        resolve("ward", ["phuong lieu giao"])


def test_an_unknown_district_is_refused_with_every_district_of_ha_noi() -> None:
    with pytest.raises(RequestError) as refused:
        resolve("district", ["Quận Zz"])
    assert refused.value.message.startswith("no district matches 'Quận Zz'; choose one of Quận Ba Đình, ")
    assert refused.value.message.count(", ") == len(load_gazetteer().districts) - 1


def test_an_unknown_ward_is_refused_saying_how_to_write_one() -> None:
    with pytest.raises(RequestError, match=r"^no ward matches 'zzzz'; type its name with or without"):
        resolve("ward", ["zzzz"])


def test_units_of_other_provinces_are_found_when_ha_noi_has_none_of_the_name() -> None:
    assert resolve("district", ["lien chieu"]) == ["Quận Liên Chiểu", "Liên Chiểu"]
    assert resolve("district", ["Quận 1"]) == ["Quận 1", "1"]
    assert resolve("ward", ["P. Hòa Khánh Bắc"]) == ["Phường Hòa Khánh Bắc", "Hòa Khánh Bắc"]
    assert resolve("province", ["tinh hung yen"]) == ["Tỉnh Hưng Yên", "Hưng Yên"]
    assert resolve("province", ["TP. Đà Nẵng"]) == ["Thành phố Đà Nẵng", "Đà Nẵng"]
    assert resolve("district", ["ba dinh"]) == ["Quận Ba Đình", "Ba Đình"]  # Hà Nội's first, as before


def test_every_unit_of_another_province_as_stored_finds_itself_first() -> None:
    """A facet link of a paper from Đà Nẵng sends its stored value back."""
    da_nang = next(g for g in provinces() if g.province.name == "Đà Nẵng")
    for name, units in (("district", da_nang.districts), ("ward", da_nang.all_wards)):
        for unit in units:
            assert unit.full_name in resolve(name, [unit.full_name])


@pytest.mark.parametrize("typed", ["ngoc ha", "Phường Ngọc Hà", "p. ngọc hà"])
def test_todays_ward_is_found_with_or_without_its_type_word(typed: str) -> None:
    assert resolve("ward_now", [typed]) == ["Phường Ngọc Hà", "Ngọc Hà"]


def test_todays_province_is_found_and_a_former_one_is_refused_naming_the_nearest() -> None:
    assert resolve("province_now", ["hai phong"]) == ["Thành phố Hải Phòng", "Hải Phòng"]
    with pytest.raises(RequestError, match=r"^no province_now matches 'quang nam'; did you mean .*Tỉnh Quảng Ngãi"):
        resolve("province_now", ["quang nam"])  # merged into Đà Nẵng in 2025


# -- document types, years, the review flag --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("certificate", DocType.CERTIFICATE),
        ("GCN", DocType.CERTIFICATE),
        ("gcn", DocType.CERTIFICATE),
        ("sổ đỏ", DocType.CERTIFICATE),
        ("so do", DocType.CERTIFICATE),
        ("Sổ hồng", DocType.CERTIFICATE),
        ("giấy chứng nhận", DocType.CERTIFICATE),
        ("Giấy chứng nhận QSDĐ", DocType.CERTIFICATE),  # the registry's label
        ("receipt", DocType.RECEIPT),
        ("biên nhận", DocType.RECEIPT),
        ("bien nhan", DocType.RECEIPT),
        ("giấy tiếp nhận hồ sơ", DocType.RECEIPT),
        ("Dossier receipt slip", DocType.RECEIPT),
        ("other", DocType.OTHER),
        ("văn bản khác", DocType.OTHER),
        ("khac", DocType.OTHER),
    ],
)
def test_a_document_type_is_known_by_the_words_staff_use(typed: str, stored: DocType) -> None:
    assert resolve("doc_type", [typed]) == [stored.value]


def test_a_misspelt_document_type_is_refused_with_the_nearest_and_the_choices() -> None:
    with pytest.raises(RequestError) as refused:
        resolve("doc_type", ["gcnn"])
    assert refused.value.message.startswith("unknown document type 'gcnn'; did you mean certificate? choose one of")
    assert "certificate (gcn, sổ đỏ" in refused.value.message and "receipt (biên nhận" in refused.value.message


def test_an_unknown_document_type_is_refused_with_the_choices() -> None:
    with pytest.raises(RequestError, match=r"^unknown document type 'map'; choose one of certificate \(.*other \("):
        resolve("doc_type", ["map"])


@pytest.mark.parametrize("typed", ["abc", "19", "20190", "2019-03"])
def test_a_year_is_four_digits(typed: str) -> None:
    with pytest.raises(RequestError, match=rf"year must be four digits, e.g. 2019, not '{typed}'"):
        resolve("year", [typed])


def test_the_review_flag_is_yes_or_no() -> None:
    assert resolve("needs_review", ["Yes", "true", "có"]) == ["true"]
    assert resolve("needs_review", ["no", "FALSE", "không"]) == ["false"]
    with pytest.raises(RequestError, match=r"needs_review must be yes or no \(true or false\), not 'maybe'"):
        resolve("needs_review", ["maybe"])


def test_a_whole_number_field_takes_digits_and_codes_pass_as_typed() -> None:
    with pytest.raises(RequestError, match=r"holder_birth_year is a whole number, not 'abc'"):
        resolve("holder_birth_year", ["abc"])
    assert resolve("serial", ["bh 722706"]) == ["bh 722706"]  # the backends store and match codes in code_key form


# -- through the search use case, on a real embedded index ----------------------------------------------


def _record(name: str, doc_type: DocType, **fields: str) -> Record:
    return make_record(f"{name} văn bản", doc_type=doc_type, fields=fields, name=name)


@pytest.fixture
def indexed(fresh_home: Path) -> None:
    records = [
        _record(
            "ba-dinh.pdf",
            DocType.CERTIFICATE,
            district="Quận Ba Đình",
            ward="Phường Liễu Giai",
            land_purpose_code="ODT",
            issue_date="2019-03-15",
        ),
        _record("ba-dinh-old.pdf", DocType.OTHER, district="Ba Đình", doc_date="2020-01-02"),  # a bare name
        _record("cau-giay.pdf", DocType.RECEIPT, district="Quận Cầu Giấy", received_at="2021-06-20T08:30:00"),
    ]
    assert not resources.get().index.upsert(records).errors


def _found(filters: dict[str, list[str]]) -> set[str]:
    result = searching.search(searching.query("", filters))
    return {hit.original_name for hit in result.hits}


@pytest.mark.usefixtures("indexed")
def test_a_search_finds_a_district_as_people_type_it() -> None:
    exact = _found({"district": ["Quận Ba Đình"]})
    assert exact == {"ba-dinh.pdf", "ba-dinh-old.pdf"}
    for typed in ("ba dinh", "Ba Đình", "q. ba đình", "quan ba dinh"):
        assert _found({"district": [typed]}) == exact
    assert _found({"ward": ["phuong lieu giai"]}) == {"ba-dinh.pdf"}


@pytest.mark.usefixtures("indexed")
def test_a_search_finds_types_and_years_as_people_type_them() -> None:
    assert _found({"doc_type": ["gcn"]}) == {"ba-dinh.pdf"}
    assert _found({"doc_type": ["biên nhận", "văn bản"]}) == {"cau-giay.pdf", "ba-dinh-old.pdf"}
    assert _found({"year": ["2019"]}) == {"ba-dinh.pdf"}


@pytest.mark.usefixtures("indexed")
def test_a_facet_outside_the_gazetteer_is_matched_against_the_indexed_values() -> None:
    assert _found({"land_purpose_code": ["odt"]}) == {"ba-dinh.pdf"}
    with pytest.raises(RequestError, match=r"^no land_purpose_code in the index matches 'odx'; choose one of ODT$"):
        searching.query("", {"land_purpose_code": ["odx"]})


def test_a_facet_the_index_holds_nothing_of_yet_passes_as_typed() -> None:
    assert searching.query("", {"land_purpose_code": ["odt"]}).filters == {"land_purpose_code": ["odt"]}


# -- the CLI: a refusal exits 2 with the reason -----------------------------------------------------------


@pytest.mark.usefixtures("indexed")
def test_the_cli_searches_filters_as_typed_and_refuses_with_the_reason() -> None:
    found = CliRunner().invoke(cli, ["search", "--district", "ba dinh", "--type", "gcn"])
    assert found.exit_code == 0, found.output
    assert "1 document(s) match" in found.output and "ba-dinh.pdf" in found.output
    for options, reason in (
        (["--year", "abc"], "year must be four digits, e.g. 2019, not 'abc'"),
        (["--type", "gcnn"], "unknown document type 'gcnn'; did you mean certificate?"),
        (["--district", "ba dihn"], "no district matches 'ba dihn'; did you mean Quận Ba Đình?"),
    ):
        refused = CliRunner().invoke(cli, ["search", *options])
        assert refused.exit_code == 2, (options, refused.output)
        assert reason in " ".join(refused.output.split()), refused.output


def test_show_with_too_short_an_id_states_the_rule() -> None:
    refused = CliRunner().invoke(cli, ["show", "e3"])
    assert refused.exit_code == 2, refused.output
    assert "'e3' is not a document id: give its SHA-256, or at least its first 4 hexadecimal characters" in " ".join(
        refused.output.split()
    )
