"""prefect.yaml declares the `ingest-inbox` deployment, and it points at a real flow with valid parameters."""

from pathlib import Path

import yaml
from prefect.flows import load_flow_from_entrypoint

REPO = Path(__file__).resolve().parents[2]


def deployments() -> dict[str, dict]:
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    return {d["name"]: d for d in config["deployments"]}


def test_ingest_inbox_deployment_runs_the_inbox_flow_on_a_schedule() -> None:
    deployment = deployments()["ingest-inbox"]
    flow = load_flow_from_entrypoint(str(REPO / deployment["entrypoint"]))
    assert flow.name == "ingest-inbox"
    assert deployment["parameters"] == {}  # the inbox comes from the worker's settings (HOSO_INBOX)
    assert flow.validate_parameters({"inbox": "/srv/other"}) == {"inbox": "/srv/other"}  # unless given on purpose
    [schedule] = deployment["schedules"]
    assert schedule["interval"] > 0 and schedule["active"] is True
    assert deployment["concurrency_limit"] == 1  # two runs on one inbox would only race each other


def test_the_flow_rejects_parameters_it_does_not_take() -> None:
    deployment = deployments()["ingest-inbox"]
    flow = load_flow_from_entrypoint(str(REPO / deployment["entrypoint"]))
    try:
        flow.validate_parameters({"folder": "inbox"})
    except Exception as error:
        assert "folder" in str(error)
    else:
        raise AssertionError("an unknown parameter was accepted")
