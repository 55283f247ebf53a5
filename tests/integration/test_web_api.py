"""The REST API and the pages through FastAPI's test client, over a real installation: born-digital and
scanned samples ingested by the real flow, the real store and archive, both index backends.

Access rules are tested with real tokens in the store: every endpoint, each role, each refusal.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from app import audit, resources
from bench.searchable_pdf import fidelity, found_words, page_texts, placed
from pipeline.textnorm import fold
from samples import SampleSpec, generate, load_truth
from tests.conftest import ES_URL_VARIABLE, remove_indices, run_hoso
from web.main import create_app

SAMPLES = [
    SampleSpec("web-certificate-1", "gcn2014", "pdf_text", seed=21),
    SampleSpec("web-certificate-2", "gcn2024", "pdf_text", seed=22),
    SampleSpec("web-receipt", "receipt", "pdf_text", seed=23),
    SampleSpec("web-letter", "letter", "pdf_text", seed=24),
    SampleSpec("web-scan", "gcn2014", "png", ("skew",), seed=25),
]


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> dict[str, Any]:
    """One installation for the module: the samples ingested for real, once."""
    root = tmp_path_factory.mktemp("web")
    inbox = root / "inbox"
    generate(SAMPLES, inbox, root / "truth", workers=1)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update(
        HOSO_HOME=str(root / "hoso-data"),
        HOSO_INBOX=str(inbox),
        HOSO_SETTLE_SECONDS="0",
        PREFECT_API_URL=prefect_api_url,
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    run_hoso(["ingest", str(inbox)], env)
    truths = {path.stem: load_truth(path) for path in (root / "truth").glob("*.json")}
    return {"env": env, "truths": truths, "root": root}


@pytest.fixture(scope="module", params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request: pytest.FixtureRequest, installation: dict[str, Any]) -> Iterator[dict[str, str]]:
    """The installation's environment for one backend; Elasticsearch gets its own index, built by reindex."""
    env = {k: v for k, v in installation["env"].items() if k.startswith("HOSO_")}
    if request.param == "elasticsearch":
        es_client = request.getfixturevalue("es_client")
        alias = f"hoso-test-web-{uuid.uuid4().hex[:8]}"
        env |= {"HOSO_ELASTICSEARCH_URL": os.environ[ES_URL_VARIABLE], "HOSO_ELASTICSEARCH_INDEX": alias}
        run_hoso(["reindex"], {**installation["env"], **env})
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("HOSO_")]:
            patch.delenv(key)
        for key, value in env.items():
            patch.setenv(key, value)
        resources.reset()
        yield env
        resources.reset()
    if request.param == "elasticsearch":
        remove_indices(es_client, alias)


@pytest.fixture(scope="module")
def client(backend: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def holder(installation: dict[str, Any], stem: str) -> str:
    return installation["truths"][stem]["fields"]["holder_name"][0]


def certificate_sha(client: TestClient, name: str) -> str:
    hits = client.get("/api/search", params={"q": fold(name)}).json()["hits"]
    return next(hit["sha256"] for hit in hits if hit["original_name"].startswith("web-certificate-1"))


# -- search ------------------------------------------------------------------------------------------------
def test_a_name_typed_without_diacritics_finds_the_certificate_and_marks_it_as_printed(
    client: TestClient, installation: dict[str, Any]
) -> None:
    name = holder(installation, "web-certificate-1")
    answer = client.get("/api/search", params={"q": fold(name).lower()})
    assert answer.status_code == 200
    body = answer.json()
    first = body["hits"][0]
    assert first["original_name"].startswith("web-certificate-1")
    assert f"<MARK>{name.split()[-1].upper()}</MARK>" in first["snippet"].upper()  # marked with its diacritics
    assert body["query"] == fold(name).lower() and body["page"] == 1
    assert {"doc_type", "district", "ward", "year", "needs_review"} <= set(body["facets"])


def test_filters_by_their_short_names_narrow_the_results(client: TestClient) -> None:
    everything = client.get("/api/search").json()
    certificates = client.get("/api/search", params={"type": "certificate"}).json()
    assert everything["total"] == len(SAMPLES)
    assert certificates["total"] == 3 and {h["doc_type"] for h in certificates["hits"]} == {"certificate"}
    assert certificates["filters"] == {"doc_type": ["certificate"]}
    reviewed = client.get("/api/search", params={"review": "no"}).json()
    assert reviewed["filters"] == {"needs_review": ["false"]}
    assert all(not hit["needs_review"] for hit in reviewed["hits"])


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"colour": "red"}, "cannot filter on colour"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page must be a whole number"),
        ({"q": "!!! ???"}, "no word, number or code"),
    ],
)
def test_a_search_that_cannot_be_read_is_refused_in_plain_words(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"
    assert words in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    "text",
    ['" OR zz=zz --', "doc_type:* OR *:*", '{"match_all": {}}', "NEAR(zq xw) OR zq*", "'; DROP TABLE documents; --"],
)
def test_query_text_is_words_to_find_never_query_syntax(client: TestClient, text: str) -> None:
    answer = client.get("/api/search", params={"q": text})
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] < len(SAMPLES), "the query text widened the search"
    assert client.get("/api/search").json()["total"] == len(SAMPLES)


def test_the_search_page_holds_its_whole_state_in_the_url(client: TestClient, installation: dict[str, Any]) -> None:
    name = holder(installation, "web-certificate-1")
    page = client.get("/", params={"q": fold(name), "type": "certificate", "sort": "date_desc"})
    assert page.status_code == 200
    html = page.text
    assert 'class="active-filter"' in html and "<mark>" in html
    assert 'id="export-csv"' in html  # open access: the person at this computer may export
    assert f"/api/export?q={fold(name).replace(' ', '+')}&amp;doc_type=certificate&amp;sort=date_desc" in html


def test_the_search_page_says_when_a_query_cannot_be_read_and_when_nothing_matches(client: TestClient) -> None:
    unreadable = client.get("/", params={"q": "!!!"})
    assert unreadable.status_code == 200 and "no word, number or code" in unreadable.text
    nothing = client.get("/", params={"q": "zzzzqqq"})
    assert "Không tìm thấy hồ sơ nào." in nothing.text
    english = client.get("/", params={"q": "zzzzqqq", "lang": "en"})
    assert "No records match." in english.text and english.cookies.get("hoso_lang") == "en"
    assert "Không tìm thấy hồ sơ nào." in client.get("/", params={"q": "zzzzqqq", "lang": "vi"}).text


# -- records and pages -------------------------------------------------------------------------------------
def test_a_record_by_its_id_or_a_prefix_without_its_words(client: TestClient, installation: dict[str, Any]) -> None:
    sha = certificate_sha(client, holder(installation, "web-certificate-1"))
    full = client.get(f"/api/records/{sha}").json()
    assert full["sha256"] == sha and full["doc_type"] == "certificate"
    assert full["fields"] and all("words" not in page for page in full["pages"])
    assert client.get(f"/api/records/{sha[:8]}").json()["sha256"] == sha
    values = {f["name"]: f["value"] for f in full["fields"] if f["group"] == 0}
    assert values["holder_name"] == holder(installation, "web-certificate-1")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/records/..%2F..%2Fetc%2Fpasswd", 404),  # no route takes a path
        ("/api/records/abc", 400),
        ("/api/records/" + "f" * 64, 404),
        ("/api/records/ffff/pages/1/image", 404),
        ("/api/records/ZZZZZZ/original", 400),
    ],
)
def test_ids_that_are_not_a_document_are_refused(client: TestClient, path: str, status: int) -> None:
    answer = client.get(path)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["message"]


def test_page_images_are_previews_served_from_the_cache(client: TestClient, installation: dict[str, Any]) -> None:
    sha = certificate_sha(client, holder(installation, "web-certificate-1"))
    preview = client.get(f"/api/records/{sha}/pages/1/image")
    thumbnail = client.get(f"/api/records/{sha}/pages/1/image", params={"size": "thumbnail"})
    assert preview.headers["content-type"] == "image/jpeg" and preview.content[:2] == b"\xff\xd8"
    assert len(thumbnail.content) < len(preview.content)
    assert client.get(f"/api/records/{sha}/pages/1/image").content == preview.content
    assert client.get(f"/api/records/{sha}/pages/9/image").status_code == 404
    assert client.get(f"/api/records/{sha}/pages/1/image", params={"size": "full"}).status_code == 400
    previews = Path(os.environ["HOSO_HOME"]) / "previews"
    assert any(previews.rglob("*.jpg"))


def test_page_text_is_the_stored_text(client: TestClient, installation: dict[str, Any]) -> None:
    sha = certificate_sha(client, holder(installation, "web-certificate-1"))
    text = client.get(f"/api/records/{sha}/pages/1/text").json()
    assert text["page"] == 1 and text["text"] == resources.get().store.record(sha).pages[0].text  # type: ignore[union-attr]


def test_the_original_is_the_archived_file_byte_for_byte(client: TestClient, installation: dict[str, Any]) -> None:
    sha = certificate_sha(client, holder(installation, "web-certificate-1"))
    answer = client.get(f"/api/records/{sha}/original")
    assert answer.status_code == 200
    assert "web-certificate-1.pdf" in answer.headers["content-disposition"]
    assert hashlib.sha256(answer.content).hexdigest() == sha


def test_the_searchable_pdf_has_the_stored_text(client: TestClient, installation: dict[str, Any]) -> None:
    hits = client.get("/api/search", params={"q": fold(holder(installation, "web-scan"))}).json()["hits"]
    sha = next(hit["sha256"] for hit in hits if hit["original_name"].startswith("web-scan"))
    assert 'id="download-searchable"' in client.get(f"/records/{sha}").text

    answer = client.get(f"/api/records/{sha}/searchable.pdf")

    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert "web-scan-searchable.pdf" in answer.headers["content-disposition"]
    pdf = installation["root"] / "web-scan-searchable.pdf"
    pdf.write_bytes(answer.content)
    page = resources.get().store.record(sha).pages[0]  # type: ignore[union-attr]
    (text,) = page_texts(pdf, "-raw")
    assert fidelity(page.text, text) >= 0.99 and placed(page, found_words(pdf)[0]) >= 0.98
    assert [entry.action for entry in audit.entries(limit=1)] == ["searchable_pdf"]


def test_the_record_page_shows_the_hits_on_the_image_and_in_the_text(
    client: TestClient, installation: dict[str, Any]
) -> None:
    name = holder(installation, "web-scan")
    hits = client.get("/api/search", params={"q": fold(name)}).json()["hits"]
    scan = next(hit for hit in hits if hit["original_name"].startswith("web-scan"))
    page = client.get(f"/records/{scan['sha256']}", params={"q": fold(name)})
    assert page.status_code == 200
    assert 'id="page-image"' in page.text and 'class="box hit"' in page.text
    assert "<mark>" in page.text.split('id="page-text"')[1]
    field = client.get(f"/records/{scan['sha256']}", params={"field": "holder_name"})
    assert 'class="box field"' in field.text and 'tr class="field' in field.text
    english = client.get(f"/records/{scan['sha256']}", params={"lang": "en"}).text.split('id="fields"')[1]
    assert "Holder name" in english and "Người sử dụng đất" not in english.split("</table>")[0]
    client.get("/", params={"lang": "vi"})


def test_a_prefix_address_redirects_to_the_record(client: TestClient, installation: dict[str, Any]) -> None:
    sha = certificate_sha(client, holder(installation, "web-certificate-1"))
    answer = client.get(f"/records/{sha[:10]}", params={"q": "x"}, follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == f"/records/{sha}?q=x"


# -- export ------------------------------------------------------------------------------------------------
def stored_serials() -> set[str]:
    return {str(r.first("serial").value) for r in resources.get().store.records() if r.first("serial")}  # type: ignore[union-attr]


def test_exports_of_the_current_search_read_back_with_the_standard_readers(client: TestClient) -> None:
    selection = {"type": "certificate"}
    total = client.get("/api/search", params=selection).json()["total"]
    csv_answer = client.get("/api/export", params={**selection, "format": "csv"})
    assert csv_answer.status_code == 200 and csv_answer.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv_answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    assert len(rows) == total and {row["serial"] for row in rows} == stored_serials()

    xlsx = openpyxl.load_workbook(io.BytesIO(client.get("/api/export", params={**selection, "format": "xlsx"}).content))
    sheet = xlsx.active
    assert sheet is not None and sheet.max_row == total + 1

    jsonl = client.get("/api/export", params={**selection, "format": "jsonl"}).text.splitlines()
    assert {json.loads(line)["doc_type"] for line in jsonl} == {"certificate"} and len(jsonl) == total

    table = pq.read_table(io.BytesIO(client.get("/api/export", params={**selection, "format": "parquet"}).content))
    assert table.num_rows == total and set(table.column("serial").to_pylist()) == stored_serials()

    assert client.get("/api/export", params={"format": "xls"}).status_code == 400


def test_exports_and_downloads_are_in_the_audit_log(client: TestClient) -> None:
    client.get("/api/export", params={"type": "receipt", "format": "jsonl"})
    latest = audit.entries(limit=1)[0]
    assert latest.action == "export" and latest.details["format"] == "jsonl"
    assert latest.details["filters"] == {"doc_type": ["receipt"]} and latest.details["rows"] == 1


# -- service -----------------------------------------------------------------------------------------------
def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["store"] == "ok" and ready.json()["index"] == "ok"


def test_stats_count_the_documents_by_state(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["counts"].get("indexed") == len(SAMPLES) and stats["failures"] == []
    last = stats["runs"][0]["summary"]  # the ingest that made this installation
    assert last["documents"] == len(SAMPLES) and last["pages"] >= len(SAMPLES) and "failures" not in last
    assert "Đã sẵn sàng tra cứu" in client.get("/status").text


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/search", "/healthz", "/login", "/api/records/zz"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "script-src 'self'" in policy
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"]


def test_the_api_reference_lists_every_endpoint(client: TestClient) -> None:
    page = client.get("/api/docs").text
    for path in ("/api/search", "/api/records/{sha256}", "/api/records/{sha256}/pages/{number}/image", "/api/export"):
        assert path in page
    assert client.get("/api/openapi.json").json()["paths"]["/api/search"]["get"]
