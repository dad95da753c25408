"""Screenshots of the seed articles' reports for docs/report.md, docs/check.md and the README.

Renders each example's report, and the report of each seed article checked (``evigrade report
ARTICLE``: ../shared/seeds/*.txt, beside the repository; left out, with a note, when it is not
there), with the built-in schemes only (so that installed plugins do not change the pictures),
opens it in headless Chromium through Selenium, and saves PNGs, reduced to a small palette, into
docs/img/:

    python tools/screenshots.py            # needs chromium, chromium-driver and the test extra

Nothing is downloaded: the browser is the one installed (EVIGRADE_CHROMIUM and
EVIGRADE_CHROMEDRIVER override where it is looked for).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

import evigrade  # noqa: E402
from evigrade.grading import grade_file  # noqa: E402
from evigrade.report import render_html  # noqa: E402

#: (picture, evidence file, viewport width, height, element to scroll to or None).
SHOTS = (
    ("report-ldn-multiple-sclerosis.png", "examples/ldn-multiple-sclerosis.json", 1280, 860, None),
    (
        "report-ldn-mast-cell-activation.png",
        "examples/ldn-mast-cell-activation.json",
        1280,
        860,
        "sof",
    ),
    (
        "report-ketamine-multiple-sclerosis.png",
        "examples/ketamine-multiple-sclerosis.json",
        1280,
        860,
        "sof",
    ),
    ("report-map.png", "examples/ldn-multiple-sclerosis.json", 1280, 900, "map"),
    ("report-phone.png", "examples/ketamine-multiple-sclerosis.json", 390, 844, "sof"),
    ("report-rob.png", "tests/data/report-trials.json", 1280, 900, "rob"),
    # the seed articles checked, then reported: the article section (paths under ../shared)
    (
        "report-article-ldn-multiple-sclerosis.png",
        "seeds/ldn-multiple-sclerosis.txt",
        1280,
        900,
        "sentence-23",
    ),
    (
        "report-article-ketamine-multiple-sclerosis.png",
        "seeds/ketamine-multiple-sclerosis.txt",
        390,
        844,
        "sentence-19",
    ),
)

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
    "--hide-scrollbars",
)


def _which(names: tuple[str, ...], variable: str) -> str:
    found = os.environ.get(variable) or next(filter(None, map(shutil.which, names)), None)
    if not found:
        sys.exit(f"screenshots: no {names[0]} found (apt-get install chromium chromium-driver)")
    return found


def _browser(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _which(("chromium", "chromium-browser"), "EVIGRADE_CHROMIUM")
    for argument in (*ARGUMENTS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    os.environ["SE_OFFLINE"] = "true"
    driver = _which(("chromedriver",), "EVIGRADE_CHROMEDRIVER")
    return webdriver.Chrome(service=Service(driver), options=options)


def _small(png: bytes) -> bytes:
    """The picture with at most 96 colours: text and flat fills stay sharp, the file small."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _page(source: str, registry: Any) -> str | None:
    """The report page of an evidence file, or of an article checked (None: not there)."""
    if not source.endswith(".txt"):
        report = evigrade.grade_file(ROOT / source, registry=registry)
        return render_html(report, registry=registry)
    path = SHARED / source
    if not path.is_file():
        print(f"screenshots: {path} is not there: its picture is left as it is", file=sys.stderr)
        return None
    check = evigrade.check_article(
        path.read_text(encoding="utf-8"), name=path.name, registry=registry
    )
    evidence = evigrade.from_data(dict(check.draft), registry=registry)
    report = grade_file(evidence, None, registry=registry, file=path.name)
    return render_html(report, registry=registry, article=check.article_view(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    registry = evigrade.plugin.build_registry(disable=("*",))
    with tempfile.TemporaryDirectory(prefix="evigrade-shots-") as folder:
        driver = _browser(os.path.join(folder, "profile"))
        try:
            for name, source, width, height, target in SHOTS:
                html = _page(source, registry)
                if html is None:
                    continue
                page = Path(folder) / (Path(source).stem + ".html")
                page.write_text(html, encoding="utf-8")
                driver.execute_cdp_cmd(
                    "Emulation.setDeviceMetricsOverride",
                    {
                        "width": width,
                        "height": height,
                        "deviceScaleFactor": 1,
                        "mobile": width < 600,
                    },
                )
                driver.get(page.as_uri())
                if target:
                    driver.execute_script(f"document.getElementById('{target}').scrollIntoView()")
                data = _small(driver.get_screenshot_as_png())
                (args.out / name).write_bytes(data)
                print(f"{args.out / name}: {len(data):,} bytes")
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
