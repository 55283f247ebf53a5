"""`hoso server start`: a long-lived Prefect server for one data directory, used by every hoso command."""

import json
import os
import urllib.request
from pathlib import Path

from tests.conftest import REPO, run_hoso
from tests.documents import text_pdf


def flow_run_names(api_url: str) -> list[str]:
    request = urllib.request.Request(
        f"{api_url}/flow_runs/filter", data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return [run["name"] for run in json.loads(response.read())]


def test_ingest_runs_on_the_data_directorys_own_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HOSO_", "PREFECT_"))}
    env.update({"HOSO_HOME": str(tmp_path / "data"), "HOSO_SETTLE_SECONDS": "0", "PYTHONPATH": str(REPO)})
    run_hoso(["server", "start"], env, timeout=300)
    try:
        status = run_hoso(["server", "status"], env).stdout
        api_url = status.split("API ")[1].split(";")[0]
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
