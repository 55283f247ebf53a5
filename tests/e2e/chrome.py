"""Debian's Chromium, driven by Selenium through Debian's ChromeDriver, headless and offline.

Both paths are given to Selenium, so Selenium Manager never runs (it would try to download a
browser, which this machine and CI cannot do). The flags make Chromium run as root in a
container, with no GPU, no /dev/shm to speak of, and no calls home.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "scripts/ensure-system.sh (as root; it installs chromium and chromium-driver with apt-get)"
WINDOW = (1366, 768)
PAGE_LOAD_SECONDS = 30
WAIT_SECONDS = 15
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
)
PARTIAL_DOWNLOAD = ".crdownload"


def missing() -> str | None:
    """Why Chromium cannot be driven here, with the command that fixes it; None when it can."""
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if not absent:
        return None
    needed = "the browser tests need Chromium and its driver"
    return f"{' and '.join(absent)} not found: {needed}; install them with {INSTALL}"


def start(profile: Path, downloads: Path, log: Path) -> WebDriver:
    """A fresh headless Chromium with its own profile, saving downloads into `downloads` unasked."""
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER), log_output=str(log)))
    driver.set_window_size(*WINDOW)
    driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
    driver.set_script_timeout(PAGE_LOAD_SECONDS)
    return driver


def wait(driver: WebDriver, seconds: float = WAIT_SECONDS) -> WebDriverWait[WebDriver]:
    return WebDriverWait(driver, seconds)


def follow(driver: WebDriver, element: WebElement) -> None:
    """Click a link or button that loads a new page, and wait until that page has loaded."""
    element.click()
    wait(driver).until(expected_conditions.staleness_of(element))
    _loaded(driver)


def arrive(driver: WebDriver, at: Callable[[str], bool]) -> None:
    """Wait until the browser shows a page whose URL passes `at`, loaded."""
    wait(driver).until(lambda d: at(d.current_url))
    _loaded(driver)


def _loaded(driver: WebDriver) -> None:
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


VISIBLE_IMAGES_SETTLED = """
return Array.from(document.images)
    .filter(image => { const box = image.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; })
    .every(image => image.complete);
"""


def settle_images(driver: WebDriver) -> None:
    """Wait until every image in view has loaded (or failed): lazy ones start when they come into view."""
    wait(driver).until(lambda d: d.execute_script(VISIBLE_IMAGES_SETTLED))


def downloaded(folder: Path, suffix: str, seconds: float = 60) -> Path:
    """The one file ending in `suffix` that the browser finished saving into `folder`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        partial = list(folder.glob(f"*{PARTIAL_DOWNLOAD}"))
        done = list(folder.glob(f"*{suffix}"))
        if done and not partial:
            assert len(done) == 1, f"several downloads in {folder}: {[p.name for p in done]}"
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} download finished in {folder} within {seconds} s: {sorted(folder.iterdir())}")
