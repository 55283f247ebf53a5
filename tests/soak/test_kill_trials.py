"""Three `kill -9` trials of `bench.kill_trials` (the bench runs twenty): each run killed at a random
moment is finished by the next, every file archived and indexed exactly once, nothing half-written."""

from pathlib import Path

from bench.kill_trials import trials


def test_ingests_killed_at_random_moments_are_finished_by_the_next_run(tmp_path: Path, prefect_api_url: str) -> None:
    done = trials(3, seed=7, out=tmp_path, api_url=prefect_api_url)
    assert [trial.problems for trial in done] == [[], [], []], "\n".join(trial.line for trial in done)
    assert len({trial.kill_after for trial in done}) == 3  # three different moments
