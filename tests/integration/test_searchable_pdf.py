"""`hoso pdf` on documents ingested for real: the text pdftotext finds in the searchable PDF is the stored
text, every diacritic intact, and each stored word is found over its box."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pytest

from app import resources
from bench.searchable_pdf import LINES, fidelity, found_words, page_texts, placed
from pipeline.models import Record
from pipeline.textnorm import nfc
from samples import SampleSpec, generate
from tests.conftest import run_hoso
from tests.documents import scanned_png


def stored(env: dict[str, str], key: str) -> Record:
    """The record as the installation of `env` keeps it."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            if name.startswith("HOSO_"):
                patch.setenv(name, value)
        resources.reset()
        try:
            record = resources.get().store.record(key)
        finally:
            resources.reset()
    assert record is not None
    return record


def test_hoso_pdf_gives_the_stored_text_with_every_diacritic_over_its_words(
    hoso_env: dict[str, str], tmp_path: Path
) -> None:
    inbox = Path(hoso_env["HOSO_INBOX"])
    inbox.mkdir(parents=True)
    (certificate,) = generate([SampleSpec("certificate", "gcn2014", "png", ("skew",), seed=25)], inbox, tmp_path)
    scans = [scanned_png(inbox / "lines.png", LINES), certificate]
    keys = [hashlib.sha256(path.read_bytes()).hexdigest() for path in scans]
    run_hoso(["ingest", str(inbox)], hoso_env)

    for key in keys:
        page = stored(hoso_env, key).pages[0]
        output = tmp_path / f"{key[:10]}.pdf"

        answer = run_hoso(["pdf", key[:10], "-o", str(output)], hoso_env)

        assert f"wrote 1 page(s) of {key[:12]}" in answer.stdout
        (raw,) = page_texts(output, "-raw")
        # every letter and mark in order; a space between two words set very close may be missed
        assert "".join(nfc(raw).split()) == "".join(page.text.split())
        assert fidelity(page.text, raw) >= 0.99
        (layout,) = page_texts(output)
        assert fidelity(page.text, layout, unordered=True) >= 0.95
        (found,) = found_words(output)
        assert placed(page, found) >= 0.98
        with pikepdf.open(output) as document:
            assert document.open_metadata()["pdfaid:part"] == "2"


def test_hoso_pdf_of_an_unknown_document_says_so(hoso_home_env: dict[str, str], tmp_path: Path) -> None:
    answer = run_hoso(["pdf", "0000000000", "-o", str(tmp_path / "never.pdf")], hoso_home_env, check=False)
    assert answer.returncode == 2 and "no document starts with '0000000000'" in answer.stderr
    assert not (tmp_path / "never.pdf").exists()
