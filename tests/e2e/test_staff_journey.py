"""A member of staff's day in a real browser: log in, search a name typed without diacritics,
narrow by document type, open the record, export what was found.

Headless Chromium against `hoso serve` on a real installation (the demo's samples ingested by
`hoso ingest`). The pages' element contract: the login form `input#token`, `button#login`; the
search form `form#search` with `input#q`; facet values `a.facet-value` in
`section.facet[data-facet=NAME]`, each link's query adding its filter and its text ending with its
count; active filters `a.active-filter`; `#result-count`; hits `article.hit` with `a.record-link`
and a `.snippet` with `<mark>`; `a#export-csv` (and xlsx, jsonl, parquet). The record page:
`img#page-image`, `.box.hit` overlays, `table#fields` of `tr.field`, `#page-text` with `<mark>`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from pipeline.textnorm import fold
from tests.e2e import chrome
from tests.e2e.installation import SEARCHED, Installation, Server, named

pytestmark = pytest.mark.slow
Shoot = Callable[[str], Path]


def path_of(url: str) -> str:
    return urlsplit(url).path


def number_in(text: str) -> int:
    """The count a page shows, written the Vietnamese way or not ("1.082 kết quả", "(3)")."""
    numbers = re.findall(r"\d[\d.,]*", text)
    assert numbers, f"no number in {text!r}"
    return int(re.sub(r"\D", "", numbers[-1]))


def css(driver: WebDriver | WebElement, selector: str) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, selector)


def open_search(driver: WebDriver, base: str) -> None:
    """Go to the search page as a visitor: the app sends the browser to its login page first."""
    driver.get(f"{base}/")
    assert path_of(driver.current_url) == "/login", "the search page let an anonymous visitor in"


def submit_token(driver: WebDriver, token: str) -> None:
    driver.find_element(By.ID, "token").send_keys(token)
    chrome.follow(driver, driver.find_element(By.ID, "login"))
    assert path_of(driver.current_url) == "/"


def searched(query: str) -> Callable[[str], bool]:
    """Whether a URL is the search page's answer to `query`."""
    return lambda url: path_of(url) == "/" and parse_qs(urlsplit(url).query).get("q") == [query]


def result_count(driver: WebDriver) -> int:
    return number_in(driver.find_element(By.ID, "result-count").text)


def hit_for(driver: WebDriver, sha256: str) -> WebElement:
    """The hit whose record link leads to the document `sha256`."""
    hits = css(driver, "article.hit")
    for hit in hits:
        if path_of(hit.find_element(By.CSS_SELECTOR, "a.record-link").get_attribute("href") or "").endswith(sha256):
            return hit
    raise AssertionError(f"{sha256[:12]}… is not among the {len(hits)} hit(s) of {driver.current_url}")


def facet_value(driver: WebDriver, facet: str, value: str) -> WebElement:
    """The link of the facet `facet` that filters on `value`."""
    links = css(driver, f'section.facet[data-facet="{facet}"] a.facet-value')
    for link in links:
        if value in parse_qs(urlsplit(link.get_attribute("href") or "").query).get(facet, []):
            return link
    raise AssertionError(f"no {facet}={value} among the facet values {[link.text for link in links]}")


@pytest.fixture
def holder(demo_install: Installation) -> dict[str, str]:
    """The searched certificate: its holder's name as written, its SHA-256 and type."""
    name = named(demo_install, SEARCHED)
    truth = demo_install.truths[name]
    return {
        "name": truth["fields"]["holder_name"][0],
        "sha256": demo_install.sha256[name],
        "doc_type": truth["doc_type"],
    }


def test_staff_find_a_holder_open_the_record_and_export_the_search(
    browser: WebDriver, web_app: Server, token: str, holder: dict[str, str], downloads: Path, screenshot: Shoot
) -> None:
    open_search(browser, web_app.url)
    screenshot("login")
    submit_token(browser, token)

    typed = fold(holder["name"])
    assert typed != holder["name"], "the searched name has no diacritics to fold"
    search_box = browser.find_element(By.CSS_SELECTOR, "form#search input#q")
    search_box.send_keys(typed)
    search_box.submit()
    chrome.arrive(browser, searched(typed))
    unfiltered = result_count(browser)
    marked = " ".join(mark.text for mark in css(hit_for(browser, holder["sha256"]), ".snippet mark"))
    for word in holder["name"].split():  # the hit shows the name as written, diacritics and all
        assert word.lower() in marked.lower().split(), f"{word!r} not marked in the snippet ({marked!r})"

    facet = facet_value(browser, "doc_type", holder["doc_type"])
    expected = number_in(facet.text)
    chrome.follow(browser, facet)
    active = css(browser, "a.active-filter")
    assert active, "the applied doc_type filter is not shown"
    removes = parse_qs(urlsplit(active[0].get_attribute("href") or "").query)
    assert holder["doc_type"] not in removes.get("doc_type", []), "the active filter's link does not remove it"
    assert result_count(browser) == expected <= unfiltered
    hit = hit_for(browser, holder["sha256"])
    search_page = browser.current_url
    screenshot("search")

    chrome.follow(browser, hit.find_element(By.CSS_SELECTOR, "a.record-link"))
    assert path_of(browser.current_url) == f"/records/{holder['sha256']}"
    image = browser.find_element(By.ID, "page-image")
    chrome.wait(browser).until(lambda _: browser.execute_script("return arguments[0].naturalWidth", image) > 0)
    assert css(browser, ".box.hit"), "the hit is not boxed on the page image"
    assert css(browser, "#page-text mark"), "the hit is not marked in the page text"
    fields = [row.text for row in css(browser, "table#fields tr.field")]
    assert any(holder["name"] in row for row in fields), fields
    screenshot("record")

    *first, last = typed.split()
    mistyped = " ".join([*first, last + last[-1]])  # a letter doubled: no page holds that word
    browser.get(f"{web_app.url}/?{urlencode({'q': mistyped})}")
    notice = browser.find_element(By.CSS_SELECTOR, "p.respelled")
    assert last + last[-1] in notice.text and notice.is_displayed()
    assert hit_for(browser, holder["sha256"]).is_displayed(), "the mistyped name does not find the holder"
    screenshot("respelled")

    browser.get(search_page)
    browser.find_element(By.ID, "export-csv").click()
    with chrome.downloaded(downloads, ".csv").open(encoding="utf-8-sig", newline="") as exported:
        rows = list(csv.DictReader(exported))
    assert len(rows) == expected
    assert holder["name"] in next(row["holder_name"] for row in rows if row["sha256"] == holder["sha256"])

    see_the_status_and_the_deadlines(browser, web_app, screenshot)


def see_the_status_and_the_deadlines(browser: WebDriver, web_app: Server, screenshot: Shoot) -> None:
    browser.get(f"{web_app.url}/status")
    assert browser.find_element(By.ID, "state-counts").is_displayed()
    screenshot("status")
    browser.get(f"{web_app.url}/dossiers")  # the receipts' deadlines, from the demo's slips
    assert browser.find_element(By.ID, "dossier-state-counts").is_displayed()
    screenshot("dossiers")


def test_the_search_box_is_ready_to_type_and_enter_searches(
    browser: WebDriver, web_app: Server, token: str, holder: dict[str, str]
) -> None:
    """After signing in, the search page opens with the focus in the query box; the skip link is the
    first Tab stop of a page and leads into its content."""
    open_search(browser, web_app.url)
    submit_token(browser, token)
    assert browser.switch_to.active_element.get_attribute("id") == "q", "the query box does not have the focus"
    typed = fold(holder["name"])
    browser.switch_to.active_element.send_keys(typed, Keys.ENTER)
    chrome.arrive(browser, searched(typed))
    hit_for(browser, holder["sha256"])

    browser.get(f"{web_app.url}/status")  # a page with nothing focused: Tab starts at the top
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert "skip" in (browser.switch_to.active_element.get_attribute("class") or ""), (
        "Tab does not start at the skip link"
    )
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main", "the skip link does not lead to the page"
