"""`prefect deploy --all` on prefect.yaml, a process worker, and a run of `ingest-inbox` on a real server.

The worker's environment names an inbox that is not the default one: the deployment must read the
inbox from the settings (`HOSO_INBOX`), not from a parameter fixed in prefect.yaml.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO, run_hoso
from tests.documents import scanned_png, text_pdf

PREFECT = [sys.executable, "-m", "prefect"]
WAIT_SECONDS = 300
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def prefect(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [*PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"prefect {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def flow_run_state(api_url: str, run_id: str) -> str:
    with urllib.request.urlopen(f"{api_url}/flow_runs/{run_id}", timeout=30) as response:
        return json.loads(response.read())["state"]["type"]


def test_the_ingest_inbox_deployment_runs_on_a_process_worker(
    tmp_path: Path, hoso_env: dict[str, str], prefect_api_url: str
) -> None:
    inbox = tmp_path / "srv" / "inbox"  # not the default `inbox`
    inbox.mkdir(parents=True)
    text_pdf(inbox / "letter.pdf", ["Số: 77/UBND-TNMT", "V/v cấp giấy chứng nhận quyền sử dụng đất"])
    scanned_png(inbox / "slip.png", ["GIẤY TIẾP NHẬN HỒ SƠ", "Mã hồ sơ: 000.00.15.H26-230620-0077"])
    env = {**hoso_env, "HOSO_INBOX": str(inbox), "HOSO_PROJECT_DIR": str(REPO), "PREFECT_API_URL": prefect_api_url}

    prefect(["work-pool", "create", "hoso", "--type", "process", "--overwrite"], env)
    prefect(["--no-prompt", "deploy", "--all"], env)
    worker = subprocess.Popen(
        [*PREFECT, "worker", "start", "--pool", "hoso", "--limit", "1"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        started = prefect(["deployment", "run", "ingest-inbox/ingest-inbox"], env)
        match = re.search(r"UUID:\s*([0-9a-f-]{36})", started)
        assert match, started
        deadline = time.monotonic() + WAIT_SECONDS
        while (state := flow_run_state(prefect_api_url, match.group(1))) not in FINAL:
            assert time.monotonic() < deadline, f"the run is still {state}"
            time.sleep(2)
        assert state == "COMPLETED"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    assert not list(inbox.iterdir())  # both taken from the settings' inbox
    status = json.loads(run_hoso(["status", "--json"], env).stdout)
    assert status["counts"]["indexed"] == 2
    found = json.loads(run_hoso(["search", "000.00.15.H26-230620-0077", "--json"], env).stdout)
    assert [hit["original_name"] for hit in found["hits"]] == ["slip.png"]
