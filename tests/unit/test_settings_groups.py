"""Each setting is declared once, in its group, and set by the `HOSO_*` variable the README names."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest

from app.settings_doc import Variable, variables
from pipeline.config import Settings
from pipeline.reading import ReadOptions

# Variable names as they were before the settings were grouped: each must still set its setting.
NAMES_BEFORE_GROUPS = {
    "HOSO_OCR_LANGUAGE": "ocr.language",
    "HOSO_OCR_REVIEW_CONFIDENCE": "ocr.review_confidence",
    "HOSO_REVIEW_CONFIDENCE": "review_confidence",
    "HOSO_PREPROCESS_STAMP_KEEP_DARKER": "preprocess.stamp_keep_darker",
    "HOSO_PREPROCESS_MIN_DPI": "preprocess.min_dpi",
    "HOSO_ELASTICSEARCH_URL": "elasticsearch.url",
    "HOSO_ELASTICSEARCH_CA_CERTS": "elasticsearch.ca_certs",
    "HOSO_ELASTICSEARCH_MAX_RETRIES": "elasticsearch.max_retries",
    "HOSO_SETTLE_SECONDS": "settle_seconds",
}


def other_than_default(variable: Variable) -> tuple[str, Any]:
    """A value for the variable unlike its default: (as written in the environment, as parsed)."""
    default = variable.field.get_default(call_default_factory=True)
    annotation = variable.field.annotation
    if annotation is bool:
        return str(not default).lower(), not default
    if annotation is int:
        return str(default + 3), default + 3
    if annotation is float:
        return str(default + 0.25), default + 0.25
    if "Path" in str(annotation):
        return "/srv/hoso/test", Path("/srv/hoso/test")
    if annotation == list[date]:
        return "2026-12-24, 2026-12-31", [date(2026, 12, 24), date(2026, 12, 31)]
    if "Literal" in str(annotation):
        other = next(choice for choice in get_args(annotation) if choice != default)
        return other, other
    return "set-by-test", "set-by-test"


@pytest.mark.parametrize("variable", variables(), ids=lambda v: v.name)
def test_every_variable_sets_its_setting(variable: Variable, monkeypatch: pytest.MonkeyPatch) -> None:
    for other in variables():
        monkeypatch.delenv(other.name, raising=False)
    written, parsed = other_than_default(variable)
    monkeypatch.setenv(variable.name, written)
    settings = Settings()
    assert variable.value(settings) == parsed
    assert variable.value(settings) != variable.value(Settings.model_construct())


def test_the_names_before_the_groups_still_work() -> None:
    assert {v.name: v.path for v in variables() if v.name in NAMES_BEFORE_GROUPS} == NAMES_BEFORE_GROUPS


def test_reading_gets_the_groups_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_OCR_PSM", "6")
    monkeypatch.setenv("HOSO_PREPROCESS_DENOISE", "false")
    settings = Settings()
    options = ReadOptions.from_settings(settings)
    assert options.ocr is settings.ocr and options.ocr.psm == 6
    assert options.preprocess is settings.preprocess and options.preprocess.denoise is False


def test_a_page_threshold_and_a_field_threshold_are_two_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_OCR_REVIEW_CONFIDENCE", "0.5")
    monkeypatch.setenv("HOSO_REVIEW_CONFIDENCE", "0.9")
    settings = Settings()
    assert (settings.ocr.review_confidence, settings.review_confidence) == (0.5, 0.9)


def test_a_wrong_value_names_its_group_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSO_OCR_PSM", "three")
    with pytest.raises(ValueError, match=r"ocr\.psm"):
        Settings()
