"""The report in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by Selenium. Nothing downloads a browser: these tests use the one
installed, and skip with the reason when there is none (``EVIGRADE_REQUIRE_BROWSER=1``, as CI
sets it, makes a missing browser a failure instead).
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import evigrade
from evigrade.report.html import render_html

from .conftest import EXAMPLES, ROOT, SHARED

PAGES = [*sorted(EXAMPLES.glob("*.json")), ROOT / "tests" / "data" / "report-trials.json"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver")

#: What running Chromium as root in a container needs, and no traffic of its own.
ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)


def _found(names: tuple[str, ...], variable: str) -> str | None:
    if os.environ.get(variable):
        return os.environ[variable]
    for name in names:
        path = shutil.which(name) or (
            name if os.path.isabs(name) and os.access(name, os.X_OK) else None
        )
        if path:
            return path
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("EVIGRADE_REQUIRE_BROWSER"):
        pytest.fail(f"EVIGRADE_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (it is in the test extra)")
    binary = _found(BROWSERS, "EVIGRADE_CHROMIUM")
    driver_path = _found(DRIVERS, "EVIGRADE_CHROMEDRIVER")
    if binary is None:
        _unavailable("no Chromium found (apt-get install chromium chromium-driver)")
    if driver_path is None:
        _unavailable("no chromedriver found (apt-get install chromium-driver)")
    profile = tempfile.mkdtemp(prefix="evigrade-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (*ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download anything
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, evigrade.Report]]:
    registry = evigrade.plugin.build_registry(disable=("*",))
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for path in PAGES:
        report = evigrade.grade_file(path, registry=registry)
        target = folder / f"{path.stem}.html"
        target.write_text(render_html(report, registry=registry), encoding="utf-8")
        written[path.stem] = (target, report)
    return written


def _open(browser: Any, path: Path, width: int = 1280) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(path.as_uri())
    browser.get_log("browser")  # what loading logged is read by the test that asks
    browser.get(path.as_uri())


ids = [path.stem for path in PAGES]


@pytest.mark.parametrize("name", ids)
def test_the_page_logs_no_error_and_requests_nothing_but_itself(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]], name: str
) -> None:
    path, _ = pages[name]
    browser.get_log("performance")
    browser.get_log("browser")
    browser.get(path.as_uri())
    errors = [
        entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")
    ]
    assert errors == []
    page = path.as_uri()
    requested, anywhere = set(), set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            anywhere.add(url.split(":", 1)[0])
            if message["params"].get("documentURL") == page:
                requested.add(url)
    assert requested == {page}  # the page asked for nothing but itself
    assert not anywhere & {"http", "https", "ws", "wss", "ftp"}  # nor did the browser
    assert browser.title.startswith("Evidence report: ")


@pytest.mark.parametrize("name", ids)
def test_one_summary_row_per_claim_with_its_certainty(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]], name: str
) -> None:
    from selenium.webdriver.common.by import By

    path, report = pages[name]
    _open(browser, path)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.sof tbody tr.sof-row")
    assert len(rows) == len(report.results)
    for row, result in zip(rows, report.results, strict=True):
        grade = result.grades["grade"]
        assert row.get_attribute("data-claim") == result.claim.id
        assert row.find_element(By.CSS_SELECTOR, ".certainty .label").text == grade.label
        symbols = row.find_elements(By.CSS_SELECTOR, ".certainty .symbols")
        shown = symbols[0].text if symbols else ""
        assert shown.count("⊕") == grade.rank


@pytest.mark.parametrize("name", ids)
def test_one_traffic_light_per_study_and_domain_named_for_assistive_technology(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]], name: str
) -> None:
    from selenium.webdriver.common.by import By

    path, report = pages[name]
    _open(browser, path)
    registry = evigrade.plugin.build_registry(disable=("*",))
    from evigrade.report.robplot import rob_plots

    plots = rob_plots(report.evidence, registry)
    figures = browser.find_elements(By.CSS_SELECTOR, "section.rob-panel")
    assert len(figures) == len(plots.panels)
    for figure, panel in zip(figures, plots.panels, strict=True):
        marks = figure.find_elements(By.CSS_SELECTOR, "svg.traffic-light g.mark")
        assert len(marks) == len(panel.studies) * len(panel.columns)
        expected = [mark.label for row in panel.rows for mark in row]
        assert [mark.accessible_name for mark in marks] == expected
        assert {mark.aria_role for mark in marks} <= {"img", "image"}  # Chromium says image
        title = figure.find_element(By.CSS_SELECTOR, "svg.traffic-light")
        assert title.accessible_name.startswith("Traffic-light plot, ")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ids)
def test_nothing_overflows_the_screen_sideways(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]], name: str, width: int
) -> None:
    path, _ = pages[name]
    _open(browser, path, width)
    inner, scroll, body = browser.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth,"
        " document.body.scrollWidth]"
    )
    assert inner == width  # the page sets its viewport to the device's width
    assert scroll <= width and body <= width


@pytest.mark.parametrize("name", ids)
def test_the_page_prints_to_pdf(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]], name: str
) -> None:
    from pypdf import PdfReader
    from selenium.webdriver.common.print_page_options import PrintOptions

    path, report = pages[name]
    _open(browser, path)
    options = PrintOptions()
    options.background = True
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = unicodedata.normalize("NFKC", " ".join(page.extract_text() for page in reader.pages))
    assert "Summary of findings" in text
    assert "Risk of bias" in text and "Evidence map" in text
    first = report.results[0].claim.text.split()[:4]
    assert " ".join(first) in " ".join(text.split())
    assert "Colour-blind palette" not in text  # the switch is not printed


def test_the_palette_switch_recolours_the_traffic_lights(
    browser: Any, pages: dict[str, tuple[Path, evigrade.Report]]
) -> None:
    from selenium.webdriver.common.by import By

    path, _ = pages["report-trials"]
    _open(browser, path)
    script = "return getComputedStyle(document.querySelector('.rob-low circle')).fill"
    assert browser.execute_script(script) == "rgb(2, 193, 0)"  # robvis's Cochrane green
    browser.find_element(By.CSS_SELECTOR, "label[for=palette-switch]").click()
    assert browser.execute_script(script) == "rgb(254, 217, 142)"  # its colour-blind palette


# -- the report of a checked article ------------------------------------------------------------

#: The hand-written article, and the seed articles when ../shared is there.
ARTICLES = [
    "beetroot-article",
    "ldn-multiple-sclerosis",
    "ldn-mast-cell-activation",
    "ketamine-multiple-sclerosis",
]


def _article_path(name: str) -> Path:
    if name == "beetroot-article":
        return ROOT / "tests" / "data" / "beetroot-article.md"
    path = SHARED / "seeds" / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"{path} is not present (../shared)")
    return path


_ARTICLE_PAGES: dict[str, tuple[Path, Any]] = {}


def _article_page(name: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The page of an article's report (as ``evigrade report ARTICLE`` writes it) and its
    check, made once."""
    if name not in _ARTICLE_PAGES:
        source = _article_path(name)
        registry = evigrade.plugin.build_registry(disable=("*",))
        check = evigrade.check_article(
            source.read_text(encoding="utf-8"), name=source.name, registry=registry
        )
        report = evigrade.grade_file(evigrade.from_data(dict(check.draft)), registry=registry)
        page = render_html(report, registry=registry, article=check.article_view(report))
        target = tmp_path_factory.mktemp("articles") / f"{name}.html"
        target.write_text(page, encoding="utf-8")
        _ARTICLE_PAGES[name] = (target, check)
    return _ARTICLE_PAGES[name]


@pytest.mark.parametrize("name", ARTICLES)
def test_the_article_section_logs_no_error_and_fits_a_phone(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    path, _ = _article_page(name, tmp_path_factory)
    _open(browser, path, 390)
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    inner, scroll, body, article = browser.execute_script(
        "const a = document.getElementById('article');"
        "return [window.innerWidth, document.documentElement.scrollWidth,"
        " document.body.scrollWidth, a.getBoundingClientRect().right]"
    )
    assert inner == 390
    assert scroll <= 390 and body <= 390 and article <= 390


@pytest.mark.parametrize("name", ARTICLES)
def test_each_claim_mark_is_named_for_assistive_technology(
    browser: Any, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    from selenium.webdriver.common.by import By

    path, check = _article_page(name, tmp_path_factory)
    _open(browser, path)
    marks = browser.find_elements(By.CSS_SELECTOR, "#article mark.claim")
    assert len(marks) == len(check.claims)
    for mark, claim in zip(marks, check.claims, strict=True):
        group = mark.find_element(By.XPATH, "..")
        assert group.get_attribute("class") == "claim-group"
        assert group.aria_role == "group"
        label = group.accessible_name
        strength = claim.claim.strength.label
        grade = claim.grades["grade"]["label"]
        assert label.startswith(f"Claim, worded {strength}; grade {grade} ")
        assert label.endswith("; overclaim" if claim.overclaim else "; not an overclaim")
        assert mark.get_attribute("data-strength") == strength
        assert mark.is_displayed()
