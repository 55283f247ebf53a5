"""The sample generator: determinism, formats, text layers, ground truth, gazetteer, OCR realism."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pytest
from PIL import Image
from rapidfuzz.distance import Levenshtein

from extractors.registry import BY_NAME
from pipeline import legacy_fonts
from pipeline.gazetteer import Unit, load_gazetteer
from pipeline.models import DocType
from pipeline.sources import PageLimits, open_pages
from pipeline.textnorm import fold, nfc
from samples import SampleSpec, degrade, generate, load_truth, plan, vnformat
from samples.build import Sample
from samples.content import TEMPLATES, build_content
from samples.fonts import FAMILIES
from samples.land import PURPOSES
from samples.layout import layout_page
from samples.people import cccd_is_valid
from samples.render import declared_dpi, render_page
from samples.templates.receipt import add_workdays

FORMAT_SPECS = {
    "png": SampleSpec("f-png", "receipt", "png", seed=11),
    "jpg": SampleSpec("f-jpg", "receipt", "jpg", ("skew",), seed=12),
    "tiff": SampleSpec("f-tiff", "gcn2014", "tiff", seed=13),
    "tiff_fax": SampleSpec("f-fax", "receipt", "tiff_fax", seed=14),
    "pdf_scan": SampleSpec("f-scan", "gcn2024", "pdf_scan", ("seal",), seed=15),
    "pdf_text": SampleSpec("f-text", "gcn2014", "pdf_text", seed=16),
    "pdf_legacy": SampleSpec("f-legacy", "letter", "pdf_legacy", seed=17, pages=2),
    "pdf_badocr": SampleSpec("f-badocr", "receipt", "pdf_badocr", seed=18),
}
EXPECTED_PAGES = {"png": 1, "jpg": 1, "tiff": 2, "tiff_fax": 1, "pdf_scan": 2, "pdf_text": 2, "pdf_legacy": 2}


def squeeze(text: str) -> str:
    """NFC with every run of white space made one space: how text layers are compared."""
    return " ".join(nfc(text).split())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("samples")
    paths = generate(FORMAT_SPECS.values(), out)
    return dict(zip(FORMAT_SPECS, paths, strict=True))


# --- determinism -------------------------------------------------------------------------------


def test_same_spec_gives_identical_truth_and_pixels(tmp_path: Path) -> None:
    spec = SampleSpec("same", "gcn2014", "png", ("skew", "noise", "seal"), seed=7)
    first = generate([spec], tmp_path / "a", workers=1)[0]
    second = generate([spec], tmp_path / "b", workers=1)[0]
    assert load_truth(first) == load_truth(second)
    assert (tmp_path / "a/.truth/same.json").read_bytes() == (tmp_path / "b/.truth/same.json").read_bytes()
    assert np.array_equal(np.asarray(Image.open(first)), np.asarray(Image.open(second)))


def test_different_seeds_give_different_documents() -> None:
    for template in ("gcn2014", "gcn2024", "receipt", "letter"):
        docs = [build_content(template, random.Random(f"{template}:{seed}")).fields for seed in range(6)]
        names = {json.dumps(d.get("holder_name") or d.get("applicant_name") or d.get("signer")) for d in docs}
        numbers = {d.get("serial") or d.get("dossier_code") or d.get("doc_number") for d in docs}
        assert len(names) == 6 and len(numbers) == 6, template


def test_same_seed_is_the_same_document_in_every_format() -> None:
    scan = Sample(SampleSpec("a", "receipt", "pdf_scan", seed=5))
    text = Sample(SampleSpec("b", "receipt", "pdf_text", seed=5))
    assert scan.content.fields == text.content.fields
    assert [layout.text for layout in scan.layouts] == [layout.text for layout in text.layouts]


def test_second_run_skips_existing_files(tmp_path: Path) -> None:
    spec = SampleSpec("skip", "receipt", "jpg", seed=3)
    (path,) = generate([spec], tmp_path)
    stamp = path.stat().st_mtime_ns
    assert generate([spec], tmp_path) == [path]
    assert path.stat().st_mtime_ns == stamp


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["png", "jpg", "tiff", "tiff_fax"])
def test_images_open_with_their_pages_and_dpi(corpus: dict[str, Path], fmt: str) -> None:
    truth = load_truth(corpus[fmt])
    with Image.open(corpus[fmt]) as image:
        assert getattr(image, "n_frames", 1) == EXPECTED_PAGES[fmt] == len(truth["pages"])
        for index, page in enumerate(truth["pages"]):
            image.seek(index)
            assert round(image.info["dpi"][0]) == round(page["dpi"])
            assert list(image.size) == page["size"]
        if fmt == "tiff_fax":
            assert image.mode == "1" and round(image.info["dpi"][0]) == 200
            assert image.info["compression"] == "group4"


@pytest.mark.parametrize("fmt", ["pdf_scan", "pdf_text", "pdf_legacy", "pdf_badocr"])
def test_pdfs_open_with_their_pages(corpus: dict[str, Path], fmt: str) -> None:
    truth = load_truth(corpus[fmt])
    with pdfplumber.open(corpus[fmt]) as pdf:
        assert len(pdf.pages) == len(truth["pages"]) == EXPECTED_PAGES.get(fmt, 1)
        for page, page_truth in zip(pdf.pages, truth["pages"], strict=True):
            assert page.width == pytest.approx(595.28, abs=0.5) or fmt in ("pdf_scan", "pdf_badocr")
            if fmt in ("pdf_scan", "pdf_badocr"):  # one image filling the page, its dpi the truth's
                (picture,) = page.images
                assert picture["srcsize"][0] / (page.width / 72) == pytest.approx(page_truth["dpi"], rel=0.01)


def test_pdf_text_layer_is_the_truth(corpus: dict[str, Path]) -> None:
    truth = load_truth(corpus["pdf_text"])
    assert truth["born_digital"] and truth["text_layer"] == "unicode"
    with pdfplumber.open(corpus["pdf_text"]) as pdf:
        for page, page_truth in zip(pdf.pages, truth["pages"], strict=True):
            assert squeeze(page.extract_text(use_text_flow=True)) == squeeze(page_truth["text"])


def test_pdf_legacy_layer_is_tcvn3_and_decodes_to_the_truth(corpus: dict[str, Path]) -> None:
    truth = load_truth(corpus["pdf_legacy"])
    assert not truth["born_digital"] and truth["text_layer"] == "tcvn3"
    with pdfplumber.open(corpus["pdf_legacy"]) as pdf:
        for page, page_truth in zip(pdf.pages, truth["pages"], strict=True):
            layer = page.extract_text(use_text_flow=True)
            assert squeeze(layer) != squeeze(page_truth["text"])
            assert "§éc lËp - Tù do - H¹nh phóc" in layer or page_truth["number"] > 1
            decoded = legacy_fonts.decode_chars((char["text"], char["fontname"]) for char in page.chars)
            assert "".join(decoded.split()) == "".join(nfc(page_truth["text"]).split())


@pytest.mark.parametrize("fmt", ["pdf_text", "pdf_legacy"])
def test_a_text_pdf_reads_word_for_word_as_its_truth(corpus: dict[str, Path], fmt: str) -> None:
    """Its words stand apart as printed: a TCVN3 word drawn wider than its Unicode text would run into the next."""
    truth = load_truth(corpus[fmt])
    limits = PageLimits(max_pages=10, max_pixels=10**8, render_dpi=72)
    with open_pages(corpus[fmt], "application/pdf", corpus[fmt].name, limits) as pages:
        for page, page_truth in zip(pages, truth["pages"], strict=True):
            assert page.text_layer is not None
            assert Counter(page.text_layer.text.split()) == Counter(nfc(page_truth["text"]).split())


def test_pdf_badocr_layer_is_poor(corpus: dict[str, Path]) -> None:
    truth = load_truth(corpus["pdf_badocr"])
    assert not truth["born_digital"] and truth["text_layer"] == "bad_ocr"
    with pdfplumber.open(corpus["pdf_badocr"]) as pdf:
        layer = squeeze(pdf.pages[0].extract_text())
    expected = squeeze(truth["pages"][0]["text"])
    assert len(layer) > len(expected) / 2
    assert Levenshtein.distance(layer, expected) / len(expected) > 0.15


def test_spread_holds_both_faces_in_one_image(tmp_path: Path) -> None:
    (path,) = generate([SampleSpec("spread", "gcn2014", "png", seed=4)], tmp_path)
    truth = load_truth(path)
    (page,) = truth["pages"]
    assert page["faces"] == [1, 2]
    assert "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất" in page["lines"]
    with Image.open(path) as image:
        assert image.width > image.height
    assert truth["segments"] == [{"doc_type": "certificate", "first_page": 1, "last_page": 1}]


def test_rotation_and_skew_are_recorded(tmp_path: Path) -> None:
    specs = [
        SampleSpec("turned", "receipt", "png", ("rot90",), seed=2),
        SampleSpec("askew", "letter", "png", ("skew",)),
    ]
    turned, askew = generate(specs, tmp_path, workers=1)
    page = load_truth(turned)["pages"][0]
    assert page["rotation"] == 90 and page["size"][0] > page["size"][1]
    truth = load_truth(askew)
    (applied,) = truth["degradations"]
    assert 1 <= abs(truth["pages"][0]["skew_degrees"]) <= 10
    assert truth["pages"][0]["skew_degrees"] == applied["params"]["angle"]


def test_born_digital_formats_refuse_degradations() -> None:
    with pytest.raises(ValueError, match="born digital"):
        SampleSpec("x", "receipt", "pdf_text", ("blur",))
    with pytest.raises(ValueError, match="unknown degradations"):
        SampleSpec("x", "receipt", "png", ("smudge",))


# --- degradations ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_page() -> Image.Image:
    content = build_content("receipt", random.Random("receipt:1"))
    return render_page(layout_page(content.pages[0], FAMILIES[content.font]), 150)


@pytest.mark.parametrize("name", list(degrade.DEGRADATIONS))
def test_each_degradation_changes_the_page_and_says_how(clean_page: Image.Image, name: str) -> None:
    image, params = degrade.DEGRADATIONS[name](clean_page, random.Random(name))
    again, same = degrade.DEGRADATIONS[name](clean_page, random.Random(name))
    assert params == same and np.array_equal(np.asarray(image), np.asarray(again))
    json.dumps(params)  # recordable in the truth
    assert image.info["dpi"][0] > 0
    if name == "lowres":
        assert params["dpi"] == params["from_dpi"] == 150  # already as low as a low-res scan goes
        return
    if name in degrade.DECLARATIONS:  # only what the file will say changes, not a pixel
        assert np.array_equal(np.asarray(image), np.asarray(clean_page))
        assert declared_dpi(image) == params["declared_dpi"] == {"nodpi": None, "dpi72": 72}[name]
        assert image.info["dpi"] == clean_page.info["dpi"] and "declared_dpi" not in clean_page.info
        return
    changed = image.size != clean_page.size or not np.array_equal(
        np.asarray(image.convert("L")), np.asarray(clean_page.convert("L"))
    )
    assert changed
    if name == "fax":
        assert image.mode == "1" and image.info["dpi"] == (200, 200)
    if name in ("rot90", "rot270"):
        assert image.size == clean_page.size[::-1]


def test_lowres_lowers_the_resolution() -> None:
    page = Image.new("L", (2480, 3508), 255)
    page.info["dpi"] = (300, 300)
    image, params = degrade.lowres(page, random.Random(1))
    assert 150 <= params["dpi"] <= 200 and image.info["dpi"][0] == params["dpi"]
    assert image.width == round(2480 * params["dpi"] / 300)


@pytest.fixture(scope="module")
def letter_page() -> Image.Image:
    """A clean A4 letter at 300 dpi, as the phone kinds start from."""
    content = build_content("letter", random.Random("letter:3"), 1)
    return render_page(layout_page(content.pages[0], FAMILIES[content.font]), 300)


def _ink_box(image: Image.Image) -> tuple[int, int]:
    """Width and height in pixels of the page's text (where it is darker than mid grey)."""
    ys, xs = np.nonzero(np.asarray(image.convert("L")) < 128)
    return int(xs.max() - xs.min()), int(ys.max() - ys.min())


@pytest.mark.parametrize("seed", range(4))
def test_lowdpi_text_is_60_to_110_pixels_an_inch(letter_page: Image.Image, seed: int) -> None:
    image, params = degrade.DEGRADATIONS["lowdpi"](letter_page, random.Random(seed))
    (width, height), (clean_width, clean_height) = _ink_box(image), _ink_box(letter_page)
    for measured, clean in ((width, clean_width), (height, clean_height)):
        effective = 300 * measured / clean  # from the text itself, not from what the image says
        assert 60 * 0.98 <= effective <= 110 * 1.02
        assert effective == pytest.approx(params["dpi"], rel=0.02)
    assert image.info["dpi"][0] == params["dpi"] and params["from_dpi"] == 300


def _paper_and_ink(image: Image.Image) -> tuple[float, float]:
    """The median level of the page's paper and of its darkest ink (the 0.2th percentile)."""
    gray = np.asarray(image.convert("L"))
    return float(np.median(gray)), float(np.percentile(gray, 0.2))


def test_phone_exposure_is_a_tone_curve(letter_page: Image.Image) -> None:
    dark, dark_params = degrade.DEGRADATIONS["dark"](letter_page, random.Random(1))
    washed, _ = degrade.DEGRADATIONS["washed"](letter_page, random.Random(1))
    paper, ink = _paper_and_ink(letter_page)
    assert paper == 255 and ink < 30
    dark_paper, dark_ink = _paper_and_ink(dark)
    assert 115 <= dark_paper <= 185 and dark_ink < 30  # grey paper, the ink still black: not a clip
    assert dark_paper == pytest.approx(255 * dark_params["exposure"] ** (1 / 2.2), abs=3)
    washed_paper, washed_ink = _paper_and_ink(washed)
    assert washed_paper >= 250 and 60 <= washed_ink <= 115  # white paper, the ink lifted to grey


def test_phone_noise_is_soft_and_in_colour(letter_page: Image.Image) -> None:
    blank = Image.new("RGB", (600, 600), (200, 200, 200))
    blank.info["dpi"] = (70, 70)
    image, params = degrade.DEGRADATIONS["phone_noise"](blank, random.Random(2))
    pixels = np.asarray(image).astype(float)
    luma = pixels.mean(axis=2) - 200
    assert 0.3 * params["luma"]["levels"] < luma.std() < 2 * params["luma"]["levels"]
    assert np.abs(pixels[..., 0] - pixels[..., 2]).mean() > 1  # chroma noise: the channels differ
    neighbours = np.corrcoef(luma[:, :-1].ravel(), luma[:, 1:].ravel())[0, 1]
    assert neighbours > 0.2  # soft: neighbouring pixels move together, unlike raw sensor noise


def test_tilt_turns_the_page_on_a_darker_desk(letter_page: Image.Image) -> None:
    image, params = degrade.DEGRADATIONS["tilt"](letter_page, random.Random(4))
    assert 0.5 <= abs(params["skew_degrees"]) <= 3.5 and params["angle"] == params["skew_degrees"]
    assert image.width > letter_page.width and image.height > letter_page.height
    gray = np.asarray(image.convert("L"))
    corner = gray[: params["margins"]["top"], : params["margins"]["left"]]
    assert corner.size and corner.mean() < 200  # the desk, not white paper


def test_phone_files_declare_what_they_claim(tmp_path: Path) -> None:
    specs = [
        SampleSpec("none", "letter", "png", ("lowdpi", "nodpi"), seed=5, pages=1),
        SampleSpec("phone", "letter", "jpg", ("lowdpi", "phone_jpeg", "dpi72"), seed=5, pages=1),
        SampleSpec("honest", "letter", "png", ("lowdpi",), seed=5, pages=1),
        SampleSpec("clean", "letter", "png", seed=5, pages=1),
    ]
    paths = generate(specs, tmp_path, workers=1)
    truths = [load_truth(path) for path in paths]
    real = truths[0]["pages"][0]["dpi"]
    assert 60 <= real <= 110 and all(t["pages"][0]["dpi"] == real for t in truths[:3])  # one seed, one phone
    for path, truth, declared in zip(paths[:3], truths[:3], (None, 72, real), strict=True):
        (page,) = truth["pages"]
        with Image.open(path) as image:
            said = image.info.get("dpi")
            assert (said and round(said[0], 1)) == (declared and round(declared, 1)) == page["declared_dpi"]
            assert list(image.size) == page["size"] and image.width == pytest.approx(8.27 * real, rel=0.01)
        assert page["text"] == truths[3]["pages"][0]["text"]  # still the text of the page


def test_declarations_only_where_a_phone_saves_them() -> None:
    with pytest.raises(ValueError, match="declared resolution"):
        SampleSpec("x", "letter", "pdf_scan", ("lowdpi", "nodpi"))
    with pytest.raises(ValueError, match="declared resolution"):
        SampleSpec("x", "letter", "png", ("nodpi", "dpi72"))


# --- ground truth ------------------------------------------------------------------------------


def _documents() -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    docs = []
    for template in TEMPLATES:
        for seed in range(25):
            content = build_content(template, random.Random(f"{template}:{seed}"))
            segments = content.segments or [{"doc_type": content.doc_type, "fields": content.fields}]
            docs.append((template, content.fields, [{"fields": content.fields, **s} for s in segments]))
    return docs


DOCUMENTS = _documents()


def _check_certificate(fields: dict[str, Any]) -> None:
    holders = len(fields["holder_name"])
    assert all(len(fields[f"holder_{k}"]) == holders for k in ("title", "birth_year", "id_type", "id_number"))
    for name, year, kind, number, title in zip(
        fields["holder_name"],
        fields["holder_birth_year"],
        fields["holder_id_type"],
        fields["holder_id_number"],
        fields["holder_title"],
        strict=True,
    ):
        assert name == " ".join(name.split()) == nfc(name) and name.istitle()
        assert isinstance(year, int) and kind in ("CMND", "CCCD")
        if kind == "CCCD":
            assert cccd_is_valid(number, year, female=title.endswith(("Bà", "bà"))), number
        else:
            assert re.fullmatch(r"\d{9}", number)
    assert " " not in fields["serial"] and " " not in fields["registry_number"]
    assert re.fullmatch(r"[A-Z]{1,2}\d{6}|A[A-E]\d{8}", fields["serial"])
    assert isinstance(fields["area_m2"], float) and fields["area_m2"] > 0
    assert PURPOSES[fields["land_purpose_code"]].name == fields["land_purpose"]
    assert fields["use_term"] == "lâu dài" or date.fromisoformat(fields["use_term"])
    assert re.fullmatch(r"\d+", fields["parcel_number"]) and re.fullmatch(r"\d+", fields["map_sheet"])
    date.fromisoformat(fields["issue_date"])


def _check_receipt(fields: dict[str, Any]) -> None:
    code = re.fullmatch(r"000\.\d{2}\.\d{2}\.H26-(\d{6})-\d{4}", fields["dossier_code"])
    assert code, fields["dossier_code"]
    received = datetime.fromisoformat(fields["received_at"])
    due = datetime.fromisoformat(fields["due_at"])
    assert code.group(1) == received.strftime("%y%m%d")
    assert due > received and received.weekday() < 5 and due.weekday() < 5
    assert due.date() == add_workdays(received, fields["processing_days"]).date()
    assert re.fullmatch(r"0[35789]\d{8}", fields["applicant_phone"])
    assert fields["set_count"] in (1, 2)


@pytest.mark.parametrize(("template", "fields", "segments"), DOCUMENTS, ids=lambda v: v if isinstance(v, str) else "")
def test_truth_fields_conform(template: str, fields: dict[str, Any], segments: list[dict[str, Any]]) -> None:
    gazetteer = load_gazetteer()
    for segment in segments:
        doc_type = DocType(segment["doc_type"])
        for name, value in segment["fields"].items():
            spec = BY_NAME[name]
            assert doc_type in spec.doc_types, (name, doc_type)
            assert isinstance(value, list) == spec.repeated, name
        seg_fields = segment["fields"]
        if doc_type is DocType.CERTIFICATE:
            _check_certificate(seg_fields)
        elif doc_type is DocType.RECEIPT:
            _check_receipt(seg_fields)
        else:
            date.fromisoformat(seg_fields["doc_date"])
    assert fields["province"] == "Thành phố Hà Nội"
    if "district" in fields:
        district = gazetteer.district(fields["district"])
        assert district is not None and district.full_name == fields["district"]
        if "ward" in fields:
            assert fields["ward"] in {w.full_name for w in district.wards}
    assert "ward" not in fields or "district" in fields


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_pages_fit_and_print_their_fields(template: str) -> None:
    for seed in range(6):
        content = build_content(template, random.Random(f"{template}:{seed}"))
        family = FAMILIES[content.font]
        layouts = [layout_page(page, family) for page in content.pages]
        assert not any(layout.overflow for layout in layouts)
        for layout in layouts:
            for line in layout.lines:
                assert all(run.x >= 0 and run.baseline < layout.height for run in line.runs)
        text = squeeze(" ".join(layout.text for layout in layouts))
        folded = fold(text)
        fields = content.fields
        for name in ("parcel_number", "dossier_code", "doc_number", "applicant_phone", "parcel_address"):
            if name in fields:
                assert fields[name] in text, name
        people = fields.get("holder_name", []) or [fields.get("applicant_name") or fields["signer"]]
        assert all(fold(name) in folded for name in people)
        if "serial" in fields:
            assert fields["serial"] in text.replace(" ", "")


def test_truth_file_describes_the_sample(corpus: dict[str, Path]) -> None:
    truth = load_truth(corpus["pdf_scan"])
    assert truth["file"] == corpus["pdf_scan"].name and truth["format"] == "pdf_scan"
    assert truth["doc_type"] == "certificate" and truth["template"] == "gcn2024"
    assert truth["segments"] == [{"doc_type": "certificate", "first_page": 1, "last_page": 2}]
    assert {d["name"] for d in truth["degradations"]} == {"seal"}
    for number, page in enumerate(truth["pages"], 1):
        assert page["number"] == number and page["text"] == "\n".join(page["lines"]) == nfc(page["text"])
    assert load_truth(corpus["pdf_scan"].parent / ".truth" / "f-scan.json") == truth


def test_bundle_segments_keep_each_documents_fields(tmp_path: Path) -> None:
    sample = Sample(SampleSpec("bundle", "bundle", "tiff", seed=9))
    receipt, certificate = sample.content.segments
    assert (receipt["doc_type"], receipt["first_page"], receipt["last_page"]) == ("receipt", 1, 1)
    assert (certificate["doc_type"], certificate["first_page"], certificate["last_page"]) == ("certificate", 2, 3)
    assert receipt["fields"]["applicant_name"] == certificate["fields"]["holder_name"][0]
    assert receipt["fields"]["district"] == certificate["fields"]["district"]
    assert len(sample.layouts) == 3


# --- pieces ------------------------------------------------------------------------------------


def test_gazetteer_lists_hanoi_before_2025() -> None:
    gazetteer = load_gazetteer()
    types = [d.type for d in gazetteer.districts]
    assert len(types) == 30 and (types.count("Quận"), types.count("Huyện"), types.count("Thị xã")) == (12, 17, 1)
    assert all(len(d.wards) >= 8 for d in gazetteer.districts)
    assert sum(len(d.wards) for d in gazetteer.districts) == 579
    assert gazetteer.province.full_name == "Thành phố Hà Nội"
    assert named(gazetteer.find_district("cau giay")) == "Quận Cầu Giấy"
    assert named(gazetteer.find_district("Q. CẦU GIẤY")) == "Quận Cầu Giấy"
    assert named(gazetteer.find_district("xã Thanh Xuân, huyện Sóc Sơn")) == "Huyện Sóc Sơn"
    address = "Số 12, ngõ 34, phố Trần Quốc Hoàn, phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội"
    ward = gazetteer.find_ward(address)
    assert ward is not None and (ward.full_name, ward.district) == ("Phường Dịch Vọng Hậu", "Quận Cầu Giấy")
    assert named(gazetteer.find_ward("phuong dich vong", "Cầu Giấy")) == "Phường Dịch Vọng"
    assert gazetteer.find_ward("Quang Trung") is None  # in Đống Đa, Hà Đông, Sơn Tây and Phú Xuyên
    assert named(gazetteer.find_ward("Quang Trung, quận Hà Đông")) == "Phường Quang Trung"
    ward = gazetteer.find_ward("P.Thanh Trì, Q.Hoàng Mai")
    assert ward is not None and ward.district == "Quận Hoàng Mai"


def named(unit: Unit | None) -> str | None:
    return unit.full_name if unit is not None else None


def test_vietnamese_numbers() -> None:
    assert vnformat.area(1250.5, 1) == "1.250,5 m²"
    assert vnformat.area_words(85.6, 1) == "Tám mươi lăm phẩy sáu mét vuông"
    assert vnformat.number_words(1005) == "một nghìn không trăm linh năm"
    assert vnformat.number_words(21) == "hai mươi mốt"
    assert vnformat.date_long(date(2019, 3, 5)) == "ngày 05 tháng 3 năm 2019"


def test_tcvn3_round_trip() -> None:
    assert legacy_fonts.encode_runs("Hà Nội") == [("Hµ Néi", False)]
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ông: NGUYỄN VĂN ĐẠT", "Ủy ban nhân dân phường Đức Giang"):
        runs = legacy_fonts.encode_runs(text)
        assert "".join(legacy_fonts.decode_tcvn3(piece, caps) for piece, caps in runs) == text
    assert legacy_fonts.is_caps_font("MPDFAA+VnTimeHBold")  # the names the generator's PDFs carry
    assert not legacy_fonts.is_caps_font("MPDFAA+VnTime")


def test_plans() -> None:
    demo = plan("demo")
    assert 12 <= len(demo) <= 15 and {s.format for s in demo} == set(FORMAT_SPECS)
    assert len({d for s in demo for d in s.degradations}) >= 10
    ocr = plan("ocr")
    assert sum(len(Sample(s).sheets) for s in ocr) >= 60
    assert {d for s in ocr for d in s.degradations} == set(degrade.DEGRADATIONS)
    phone_kinds = Counter(s.degradations for s in ocr if degrade.PHONE.intersection(s.degradations))
    assert len(phone_kinds) >= 10 and min(phone_kinds.values()) >= 5  # one page does not decide
    assert {s.template for s in ocr if s.degradations in phone_kinds} == {"letter"}
    assert {("lowdpi", "nodpi"), ("lowdpi", "dpi72")} <= phone_kinds.keys()
    combined = [s for s in ocr if len(s.degradations) > 1 and s.degradations not in phone_kinds]
    for kind, count in Counter(s.degradations for s in combined).items():
        assert count >= 5, kind
        assert len({s.template for s in combined if s.degradations == kind}) == 4, kind  # not one template's luck
    extraction = [s.template for s in plan("extraction")]
    assert extraction.count("receipt") >= 40 and extraction.count("gcn2014") + extraction.count("gcn2024") >= 40
    assert extraction.count("bundle") == 2 and {s.format for s in plan("extraction")} == set(FORMAT_SPECS)
    assert sum(len(Sample(s).sheets) for s in plan("throughput")) == 40
    (big,) = plan("bigpdf")
    assert (big.pages, big.dpi, big.format) == (300, 200, "pdf_scan")
    assert plan("demo") == demo and [s.seed for s in plan("demo", seed=1)] != [s.seed for s in demo]
    for name in ("demo", "ocr", "extraction", "throughput"):
        names = [s.name for s in plan(name)]
        assert len(set(names)) == len(names)


# --- OCR realism -------------------------------------------------------------------------------


def _without_colour_ink(image: Image.Image) -> Image.Image:
    """The page with red seal and blue signature ink whitened: the simplest seal removal."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    ink = (pixels[..., 0] - pixels[..., 1] > 40) | (pixels[..., 2] - pixels[..., 0] > 40)
    pixels[ink] = 255
    return Image.fromarray(pixels.astype(np.uint8))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_clean_certificate_page_reads_well_with_tesseract(tmp_path: Path) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    (path,) = generate([SampleSpec("ocr", "gcn2014", "tiff", seed=0)], tmp_path)
    truth = squeeze(load_truth(path)["pages"][1]["text"])
    with Image.open(path) as image:
        image.seek(1)
        page = image.convert("RGB")

    def cer(picture: Image.Image) -> float:
        text = squeeze(pytesseract.image_to_string(picture, lang="vie", config="--psm 4"))
        return Levenshtein.distance(text, truth) / len(truth)

    assert cer(_without_colour_ink(page)) < 0.05  # the type itself: real fonts, real sizes
    assert cer(page) < 0.08  # as scanned, the seal and signature over the text cost a little more
