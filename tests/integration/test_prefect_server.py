"""`hoso server start`: a long-lived Prefect server for one data directory, used by every hoso command;
the first `hoso ingest` with work to do starts it, and one with nothing to do runs no flow at all."""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

from pipeline.models import DocState
from pipeline.store import Store
from tests.conftest import HOSO, REPO, imported_packages, run_hoso
from tests.documents import text_pdf


def data_dir_env(tmp_path: Path) -> dict[str, str]:
    """A fresh data directory, and no Prefect server configured."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update({"HOSO_HOME": str(tmp_path / "data"), "HOSO_SETTLE_SECONDS": "0", "PYTHONPATH": str(REPO)})
    return env


def server_api_url(env: dict[str, str]) -> str:
    return run_hoso(["server", "status"], env).stdout.split("API ")[1].split(";")[0]


def flow_run_names(api_url: str) -> list[str]:
    request = urllib.request.Request(
        f"{api_url}/flow_runs/filter", data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return [run["name"] for run in json.loads(response.read())]


def test_ingest_runs_on_the_data_directorys_own_server(tmp_path: Path) -> None:
    env = data_dir_env(tmp_path)
    run_hoso(["server", "start"], env, timeout=300)
    try:
        api_url = server_api_url(env)
        assert flow_run_names(api_url) == []

        folder = tmp_path / "scans"
        folder.mkdir()
        text_pdf(folder / "letter.pdf", ["Số: 12/UBND", "V/v cấp giấy chứng nhận"])
        summary = json.loads(run_hoso(["ingest", str(folder), "--json"], env).stdout)
        assert summary["indexed"] == 1
        assert len(flow_run_names(api_url)) == 1  # the run is recorded on this server, not a temporary one
    finally:
        stopped = run_hoso(["server", "stop"], env).stdout
    assert "stopped" in stopped
    assert run_hoso(["server", "status"], env, check=False).returncode == 1


def test_the_first_ingest_starts_the_server_the_next_reuse_it_and_nothing_new_needs_no_flow(tmp_path: Path) -> None:
    env = data_dir_env(tmp_path)
    folder = tmp_path / "scans"
    folder.mkdir()
    text_pdf(folder / "letter.pdf", ["Số: 12/UBND", "V/v cấp giấy chứng nhận"])
    try:
        assert json.loads(run_hoso(["ingest", "--keep", "--json", str(folder)], env).stdout)["indexed"] == 1
        api_url = server_api_url(env)  # still running after the ingest that started it
        text_pdf(folder / "receipt.pdf", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230601"])
        assert json.loads(run_hoso(["ingest", "--keep", "--json", str(folder)], env).stdout)["indexed"] == 1
        assert server_api_url(env) == api_url and len(flow_run_names(api_url)) == 2

        idle = run_hoso(["ingest", "--keep", "--json", str(folder)], {**env, "PYTHONPROFILEIMPORTTIME": "1"})
        summary = json.loads(idle.stdout)
        assert (summary["files"], summary["already_known"], summary["new"], summary["indexed"]) == (2, 2, 0, 0)
        assert "prefect" not in imported_packages(idle.stderr)
        assert len(flow_run_names(api_url)) == 2  # nothing to do: no flow run
        assert "0 document(s) read" in run_hoso(["status"], env).stdout  # the run is logged all the same

        store = Store(f"sqlite:///{Path(env['HOSO_HOME']) / 'store.sqlite3'}")
        [waiting, _] = store.keys_in_state(DocState.INDEXED)
        store.mark_for_indexing([waiting])  # as a run killed before its index step leaves a document
        store.close()
        resumed = json.loads(run_hoso(["ingest", "--keep", "--json", str(folder)], env).stdout)
        assert (resumed["new"], resumed["indexed"]) == (0, 1) and len(flow_run_names(api_url)) == 3
    finally:
        run_hoso(["server", "stop"], env)


def test_two_commands_starting_the_server_together_start_one(tmp_path: Path) -> None:
    env = data_dir_env(tmp_path)
    starting = [
        subprocess.Popen([*HOSO, "server", "start"], env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        said = [process.communicate(timeout=300)[0] for process in starting]
        assert all(process.returncode == 0 for process in starting), said
        pids = {line.split("pid ")[1].split(")")[0] for line in said}
        assert len(pids) == 1, said
    finally:
        run_hoso(["server", "stop"], env)
