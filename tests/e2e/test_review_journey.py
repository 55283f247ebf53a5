"""A reviewer's morning in a real browser: the overdue list, the review queue, a misread due date
corrected from the keyboard (Tab to it, type, Enter), the machine's other doubt confirmed with Enter,
and the correction seen in search, on the record page and in the CSV export.

The pages' element contract: `table#review-queue` rows with `a.button` opening `/review/SHA`; each
check `li.check` with `input#value-NAME-GROUP` (the first doubtful one focused), `img.crop`;
`table#checked` rows `tr[data-field=NAME]`; `#all-checked` once nothing is left; `tr.dossier-overdue`
on `/dossiers`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e import chrome
from tests.e2e.installation import REVIEWED_CODE, REVIEWED_DUE, Installation, Server
from tests.e2e.test_staff_journey import Shoot, css, hit_for, open_search, path_of, submit_token

pytestmark = pytest.mark.slow
SLIP = "bien-nhan-can-kiem-tra"


def focused(driver: WebDriver) -> str:
    return driver.switch_to.active_element.get_attribute("id") or ""


def test_a_reviewer_corrects_a_due_date_and_finds_it_in_search_and_the_export(
    browser: WebDriver,
    web_app: Server,
    reviewer_token: str,
    demo_install: Installation,
    downloads: Path,
    screenshot: Shoot,
) -> None:
    sha256 = demo_install.sha256[SLIP]
    open_search(browser, web_app.url)
    submit_token(browser, reviewer_token)

    browser.get(f"{web_app.url}/dossiers")
    overdue = [row.text for row in css(browser, "tr.dossier-overdue")]
    assert any(REVIEWED_CODE in row for row in overdue), overdue
    screenshot("overdue")

    browser.find_element(By.CSS_SELECTOR, "nav a[href='/review']").click()
    chrome.arrive(browser, lambda url: path_of(url) == "/review")
    rows = [row for row in css(browser, "table#review-queue tbody tr") if f"{SLIP}.pdf" in row.text]
    assert rows, "the misread slip is not in the review queue"
    assert "urgent" in (rows[0].get_attribute("class") or ""), "an overdue dossier's slip is not marked urgent"
    screenshot("review-queue")

    chrome.follow(browser, rows[0].find_element(By.CSS_SELECTOR, "a.button"))
    assert path_of(browser.current_url) == f"/review/{sha256}"
    assert focused(browser) == "value-dossier_code-0", "the first doubtful field does not have the focus"
    crops = css(browser, "img.crop")
    assert len(crops) == 2
    chrome.wait(browser).until(
        lambda _: all(browser.execute_script("return arguments[0].naturalWidth", c) for c in crops)
    )
    screenshot("review")

    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert focused(browser) == "value-due_at-0", "Tab does not go to the next doubtful field"
    due_box = browser.switch_to.active_element
    due_box.send_keys(Keys.CONTROL, "a")
    due_box.send_keys(REVIEWED_DUE, Keys.ENTER)
    chrome.arrive(browser, lambda url: "saved=due_at" in url)
    corrected = browser.find_element(By.CSS_SELECTOR, "table#checked tr[data-field='due_at']").text
    assert REVIEWED_DUE in corrected and "e2e-reviewer" in corrected, corrected

    assert focused(browser) == "value-dossier_code-0", "after a save the focus is not on the field still to check"
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # the code is as printed: confirmed
    chrome.arrive(browser, lambda url: "saved=dossier_code" in url)
    assert browser.find_element(By.ID, "all-checked").is_displayed()
    assert focused(browser) == "next-document", "with nothing left, Enter does not lead to the next document"
    screenshot("review-done")

    browser.get(f"{web_app.url}/?{urlencode({'q': REVIEWED_CODE})}")
    record_link = hit_for(browser, sha256).find_element(By.CSS_SELECTOR, "a.record-link")
    search_page = browser.current_url
    chrome.follow(browser, record_link)
    due_row = browser.find_element(By.CSS_SELECTOR, "table#fields tr.field[data-field='due_at']").text
    assert "2025-03-14T16:00" in due_row, due_row

    browser.get(search_page)
    browser.find_element(By.ID, "export-csv").click()
    with chrome.downloaded(downloads, ".csv").open(encoding="utf-8-sig", newline="") as exported:
        row = next(row for row in csv.DictReader(exported) if row["sha256"] == sha256)
    assert row["due_at"].startswith("2025-03-14") and "e2e-reviewer" in row["verified_by"] and row["verified_at"]
