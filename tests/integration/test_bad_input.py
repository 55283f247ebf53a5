"""The whole bad-input corpus (`tests.bad_inputs`) and two good files in one inbox, one real `hoso ingest`:
each kind comes to its outcome, every failure names its file and says what to do, the process survives,
the good files are indexed, and nothing is lost.

Two kinds that need timing are covered elsewhere rather than made flaky here: a file deleted between
discovery and intake (tests/unit/test_intake.py, `test_a_file_gone_before_it_is_taken_is_skipped`)
and a writer holding a file open or pausing past the settle time (tests/integration/test_intake_safety.py);
a file still being written is here as the one that is cut short and changed a moment ago.
"""

import hashlib
import json
from pathlib import Path

from pipeline.archive import LocalArchive
from pipeline.store import Store
from tests.bad_inputs import INDEXED, WAITING, Case, originals, outcomes, write_corpus, write_good_files
from tests.conftest import run_hoso


def test_every_kind_of_bad_input_comes_to_its_outcome_and_nothing_is_lost(
    tmp_path: Path, hoso_env: dict[str, str]
) -> None:
    inbox = tmp_path / "inbox"
    cases = write_corpus(inbox, tmp_path / "outside")
    good = write_good_files(inbox)
    cases += good
    before = originals(cases, inbox)

    summary = json.loads(run_hoso(["ingest", str(inbox), "--json"], hoso_env).stdout)  # exits 0: it survived

    home = Path(hoso_env["HOSO_HOME"])
    store = Store(f"sqlite:///{home / 'store.sqlite3'}")
    try:
        assert outcomes(cases, inbox, before, store) == {case.kind: case.expected for case in cases}
        documents = {kind: store.document(sha256(data)) for kind, data in before.items() if data is not None}
        records = {case.kind: store.record(sha256(before[case.kind])) for case in cases if case.expected == INDEXED}
    finally:
        store.close()
    assert (summary["failed"], summary["unsettled"]) == (sum(c.fails for c in cases), count(cases, WAITING))

    archive = LocalArchive(home / "archive")
    for case in cases:  # nothing lost: archived and gone from the inbox, or still in the inbox as it was
        document, data = documents.get(case.kind), before[case.kind]
        if document is not None:
            assert archive.local_path(document.archive_key).read_bytes() == data, case.kind
            assert not case.path(inbox).exists(), f"{case.kind}: archived but left in the inbox"
        elif data is not None:
            assert case.path(inbox).read_bytes() == data, case.kind

    for kind, record in records.items():
        case = next(c for c in cases if c.kind == kind)
        assert record is not None and record.original_name == case.file, kind
        unread = [reason for reason in record.review_reasons if ": not read (" in reason]  # pages failed alone
        assert len(unread) == case.pages_failed and record.needs_review >= bool(unread), (kind, unread)

    failures = {f["sha256"]: f for f in json.loads(run_hoso(["status", "--json"], hoso_env).stdout)["failures"]}
    failed = [case for case in cases if case.fails]
    assert len(failures) == len(failed)
    for case in failed:
        failure = failures[sha256(before[case.kind])]
        assert failure["message"].startswith(f"{case.file}: "), failure  # names its file
        note = (home / "failed" / f"{case.file}.error.txt").read_text(encoding="utf-8")
        assert case.expected in note and f"What to do: {failure['advice']}" in note  # and says what to do
        assert (home / "failed" / case.file).read_bytes() == before[case.kind]

    hits = json.loads(run_hoso(["search", "trinh thi thanh van", "--json", "--limit", "100"], hoso_env).stdout)
    assert {case.file for case in good} <= {hit["original_name"] for hit in hits["hits"]}


def count(cases: list[Case], outcome: str) -> int:
    return sum(1 for case in cases if case.expected == outcome)


def sha256(data: bytes | None) -> str:
    assert data is not None
    return hashlib.sha256(data).hexdigest()
