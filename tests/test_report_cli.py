"""``evigrade report`` and ``evigrade plot``: files written whole and the same every run, JSON
Lines records, and clear errors with the command line's exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from evigrade.cli import main

from .conftest import EXAMPLES, ROOT

pytest.importorskip("jinja2", reason="the report needs the report extra")

EXAMPLE = EXAMPLES / "ketamine-multiple-sclerosis.json"
#: One summary-of-findings row per claim of the example.
CLAIMS = len(json.loads(EXAMPLE.read_text(encoding="utf-8"))["claims"])
TRIALS = ROOT / "tests" / "data" / "report-trials.json"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out, err = capsys.readouterr()
    code = done.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_report_writes_the_page_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    status, out, err = run(["report", str(EXAMPLE), "-o", str(target)], capsys)
    assert (status, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('class="sof-row"') == CLAIMS
    assert "from ketamine-multiple-sclerosis.json" in page
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary left


def test_report_to_standard_output_and_under_the_schemes_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(
        ["report", str(EXAMPLE), "-s", "pyramid", "--palette", "colourblind"], capsys
    )
    assert status == 0
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "Certainty under Evidence pyramid" in out
    assert 'id="palette-switch" checked' in out
    assert 'id="schemes"' not in out  # one scheme: nothing side by side


def _corpus(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _compact(path: Path) -> str:
    return json.dumps(json.loads(path.read_text(encoding="utf-8")))


def test_report_of_a_corpus_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _corpus(tmp_path, _compact(EXAMPLE))
    status, out, _ = run(["report", str(one)], capsys)
    assert status == 0 and out.count('class="sof-row"') == CLAIMS
    two = _corpus(tmp_path, _compact(EXAMPLE), "", _compact(TRIALS))
    status, out, err = run(["report", str(two)], capsys)
    assert status == 2 and out == ""
    assert "has several records: a report is of one record; choose it with --line N" in err
    status, out, _ = run(["report", str(two), "--line", "3"], capsys)
    assert status == 0 and out.count('class="sof-row"') == 5
    status, _, err = run(["report", str(two), "--line", "2"], capsys)
    assert status == 2 and "line 2 of" in err and "is not a record" in err
    status, _, err = run(["report", str(EXAMPLE), "--line", "1"], capsys)
    assert status == 2 and "is for a JSON Lines corpus" in err
    empty = _corpus(tmp_path, "", "  ")
    status, _, err = run(["report", str(empty)], capsys)
    assert status == 2 and "has no record" in err
    status, _, err = run(["report", str(tmp_path / "gone.jsonl")], capsys)
    assert status == 2 and err.endswith("gone.jsonl: cannot read file: No such file or directory\n")


def test_an_invalid_corpus_record_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = json.loads(TRIALS.read_text(encoding="utf-8"))
    bad["studies"][0]["design"] = "rtc"
    path = _corpus(tmp_path, _compact(EXAMPLE), json.dumps(bad))
    status, out, err = run(["report", str(path), "--line", "2"], capsys)
    assert (status, out) == (1, "")
    assert err.startswith(f"{path}:2:")
    assert "/studies/0/design: unknown design 'rtc'" in err


def test_report_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.html"
    status, out, err = run(["report", str(tmp_path / "missing.json"), "-o", str(target)], capsys)
    assert status == 2 and out == ""
    assert err == f"{tmp_path / 'missing.json'}: cannot read file: No such file or directory\n"
    status, _, err = run(["report", str(tmp_path), "-o", str(target)], capsys)
    assert status == 2 and err == f"{tmp_path}: cannot read file: is a directory\n"
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"title": "caf\u00e9"}'.encode("latin-1"))
    status, _, err = run(["report", str(latin), "-o", str(target)], capsys)
    assert status == 2 and "not UTF-8" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"evigrade": "1", "studies": [], "claims": [{"id": "Bad Id"}]}\n')
    status, out, err = run(["report", str(broken), "-o", str(target)], capsys)
    assert status == 1 and out == ""
    assert f"{broken}:1:" in err and "/claims/0" in err
    assert "Traceback" not in err
    status, _, err = run(["report", str(EXAMPLE), "-s", "nonsense"], capsys)
    assert status == 2 and "'nonsense'; available: grade" in err
    status, _, err = run(["report", str(EXAMPLE), "-o", str(tmp_path / "no" / "dir.html")], capsys)
    assert status == 2 and err.startswith(f"evigrade: cannot write {tmp_path / 'no' / 'dir.html'}")
    assert not target.exists()  # nothing written by any failure


def test_plot_writes_svg_and_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="plots need the report extra")
    svg = tmp_path / "rob.svg"
    status, out, err = run(["plot", "rob", str(TRIALS), "-o", str(svg)], capsys)
    assert (status, out, err) == (0, "", "")
    root = ET.fromstring(svg.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    title = root[0]
    assert title.tag == "{http://www.w3.org/2000/svg}title"
    assert title.text == (
        "Risk-of-bias traffic-light plot: Drug X and stroke: a made-up file for the report's tests"
    )
    png = tmp_path / "map.png"
    status, _, _ = run(["plot", "map", str(EXAMPLE), "-o", str(png), "--dpi", "50"], capsys)
    assert status == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 200 < width < 2000 and 200 < height < 2000
    summary = tmp_path / "summary.png"
    status, _, _ = run(["plot", "rob", str(TRIALS), "--summary", "-o", str(summary)], capsys)
    assert status == 0 and summary.read_bytes()[:4] == b"\x89PNG"


def test_plot_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.svg"
    status, _, err = run(["plot", "forest", str(TRIALS), "-o", str(target)], capsys)
    assert status == 2 and "'forest'; available: rob, map" in err
    status, _, err = run(["plot", "rob", str(TRIALS), "-o", str(tmp_path / "x.pdf")], capsys)
    assert status == 2 and "expected a file name ending .svg or .png" in err
    status, _, err = run(["plot", "map", str(TRIALS), "--summary", "-o", str(target)], capsys)
    assert status == 2 and "is for rob plots" in err
    status, _, err = run(["plot", "rob", str(tmp_path / "none.json"), "-o", str(target)], capsys)
    assert status == 2 and "cannot read file" in err
    status, _, err = run(["plot", "rob", str(TRIALS)], capsys)
    assert status == 2 and "Missing option '--output'" in err
    empty = tmp_path / "empty.json"
    empty.write_text('{"evigrade": "1", "studies": [], "claims": []}\n', encoding="utf-8")
    status, _, err = run(["plot", "map", str(empty), "-o", str(target)], capsys)
    assert status == 1 and "nothing to plot: no claim cites a study" in err
    assert not target.exists()


def _twice(args: list[str], tmp_path: Path) -> list[bytes]:
    """The file a command writes, run twice in fresh interpreters with different hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"{seed}-{args[-1]}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "evigrade", *args[:-1], "-o", str(target)],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        outputs.append(target.read_bytes())
    return outputs


def test_the_page_and_the_plots_are_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need the report extra")
    first, second = _twice(["report", str(TRIALS), "page.html"], tmp_path)
    assert first == second
    first, second = _twice(["plot", "rob", str(TRIALS), "rob.svg"], tmp_path)
    assert first == second
    first, second = _twice(["plot", "map", str(EXAMPLE), "map.png"], tmp_path)
    assert first == second
