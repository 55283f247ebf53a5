"""Fixtures of the browser tests: one demo installation and one `hoso serve` for the session,
a fresh headless Chromium per test, and screenshots.

Screenshots go to tests/e2e/artifacts/ (git-ignored; the folder for CI to keep), and also to
docs/screenshots/ for the README when HOSO_UPDATE_SCREENSHOTS=1, so a test run does not
change the tree. A failed test leaves a screenshot of where it stopped, `failed-<test>.png`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.conftest import REPO, unavailable
from tests.e2e import chrome, installation
from tests.e2e.installation import Installation, Server

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
README_SCREENSHOTS = REPO / "docs" / "screenshots"
UPDATE_SCREENSHOTS = "HOSO_UPDATE_SCREENSHOTS"
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so the browser fixture knows whether the test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def chromium() -> None:
    """Chromium and its driver are installed, or the browser tests skip (fail under CI) saying how to install them.

    Asked first by every other fixture here, so a machine without a browser does not ingest for nothing.
    """
    problem = chrome.missing()
    if problem:
        unavailable(problem)


@pytest.fixture(scope="session")
def demo_install(chromium: None, tmp_path_factory: pytest.TempPathFactory, prefect_api_url: str) -> Installation:
    return installation.install(tmp_path_factory.mktemp("e2e"), prefect_api_url)


@pytest.fixture(scope="session")
def token(demo_install: Installation) -> str:
    """An exporter's token: it may search, open records and export."""
    return installation.create_token(demo_install.env, "e2e", "exporter")


@pytest.fixture(scope="session")
def reviewer_token(demo_install: Installation) -> str:
    """A reviewer's token: it may also correct fields and mark dossiers returned."""
    return installation.create_token(demo_install.env, "e2e-reviewer", "reviewer")


@pytest.fixture(scope="session")
def web_app(demo_install: Installation, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = installation.serve(demo_install.env, tmp_path_factory.mktemp("serve") / "serve.log")
    try:
        yield server
    finally:
        installation.stop(server)


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(chromium: None, tmp_path: Path, downloads: Path, request: pytest.FixtureRequest) -> Iterator[WebDriver]:
    driver = chrome.start(tmp_path / "chromium-profile", downloads, tmp_path / "chromedriver.log")
    try:
        yield driver
        if any(report.failed for report in request.node.stash.get(REPORTS, {}).values()):
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / f"failed-{request.node.name}.png"))
    finally:
        driver.quit()


@pytest.fixture
def screenshot(browser: WebDriver) -> Callable[[str], Path]:
    """`screenshot(name)` saves what the browser shows as artifacts/<name>.png (and in docs/screenshots/ if asked)."""

    def save(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        chrome.settle_images(browser)
        assert browser.save_screenshot(str(path)), f"no screenshot saved to {path}"
        if os.environ.get(UPDATE_SCREENSHOTS) == "1":
            README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, README_SCREENSHOTS / path.name)
        return path

    return save
