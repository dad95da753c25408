"""``evigrade report`` and ``evigrade plot``: files written whole and the same every run, JSON
Lines records, and clear errors with the command line's exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

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
    article = ROOT / "tests" / "data" / "beetroot-article.md"
    first, second = _twice(["report", str(article), "article.html"], tmp_path)
    assert first == second and b'id="article"' in first


# -- the report of a checked article ----------------------------------------------------------

#: A hand-written health article in Markdown (made up; the references are not real).
MARKDOWN = (ROOT / "tests" / "data" / "beetroot-article.md").read_text(encoding="utf-8")


def _article_section(page: str) -> Any:
    from .htmlpage import parse

    return parse(page).find("section", id="article")


def test_report_of_a_markdown_article_marks_each_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import evigrade

    article = tmp_path / "beetroot.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    target = tmp_path / "beetroot.html"
    status, out, err = run(["report", str(article), "-o", str(target), "-s", "grade"], capsys)
    assert (status, out, err) == (0, "", "")
    page = target.read_text(encoding="utf-8")
    check = evigrade.check_article(MARKDOWN, name="beetroot.md", schemes=["grade"])
    assert page.count('class="sof-row"') == len(check.claims)  # the draft's summary of findings
    section = _article_section(page)
    assert section.find("h2").text() == "The article: Beetroot juice and blood pressure"
    groups = section.find_all("span", "claim-group")
    assert len(groups) == len(check.claims)
    for group, claim in zip(groups, check.claims, strict=True):
        mark = group.find("mark", "claim")
        assert mark.text() == claim.claim.quote
        assert mark.attrs["data-strength"] == claim.claim.strength.label
        assert ("overclaim" in mark.classes) is claim.overclaim
        badges = [b.text() for b in group.find_all("span", "badge")]
        grade = claim.grades["grade"]["label"]
        assert badges[:2] == [
            f"wording: {claim.claim.strength.label}",
            f"grade: {grade} (GRADE certainty of evidence)",
        ]
        if claim.overclaim:
            assert badges[2] == f"overclaim: the evidence supports “{claim.support.wording}”"
        verdict = "overclaim" if claim.overclaim else "not an overclaim"
        assert group.attrs["aria-label"] == (
            f"Claim, worded {claim.claim.strength.label}; grade {grade} "
            f"(GRADE certainty of evidence); {verdict}"
        )
        link = group.find("a")
        assert link.attrs["href"] == f"#claim-{claim.id}"  # to its summary-of-findings row
    lowers = groups[0]
    assert lowers.find("mark").text().startswith("Beetroot juice lowers blood pressure")
    assert "overclaim" in lowers.find("mark").classes
    findings = section.find("ul", "findings").find_all("li")
    kinds = [f.attrs["data-kind"] for f in findings]
    assert kinds == [f.kind for f in check.findings]
    offer = findings[kinds.index("conflict-of-interest")]
    assert offer.attrs["data-severity"] == "problem"
    anchor = offer.find("a").attrs["href"].removeprefix("#")
    assert section.find("span", id=anchor).text().startswith("Book your FREE consultation")
    assert "FREE consultation" in section.find("p", "coi").text()


def test_report_of_a_check_json_document_is_the_report_of_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "beetroot.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    status, document, _ = run(["check", str(article), "-f", "json", "-s", "grade"], capsys)
    assert status == 0
    saved = tmp_path / "checked.json"
    saved.write_text(document, encoding="utf-8")
    data = json.loads(document)
    assert {"sentences", "draft"} <= set(data)
    status, from_json, err = run(["report", str(saved)], capsys)  # graded under its schemes
    assert (status, err) == (0, "")
    status, from_text, _ = run(["report", str(article), "-s", "grade"], capsys)
    assert status == 0
    assert from_json.replace("checked.json", "beetroot.md") == from_text
    assert 'id="schemes"' not in from_json  # the document's one scheme, not every installed
    status, every, _ = run(["report", str(saved), "-s", "grade", "-s", "pyramid"], capsys)
    assert status == 0 and 'id="schemes"' in every


def test_an_article_is_told_from_its_suffix_its_text_or_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "ARTICLE"  # no suffix, not JSON: an article
    plain.write_text("Zinc and colds\n\nZinc shortens colds.\n", encoding="utf-8")
    status, out, _ = run(["report", str(plain)], capsys)
    assert status == 0 and 'id="article"' in out and "Zinc shortens colds." in out
    evidence = tmp_path / "EVIDENCE"  # no suffix, JSON: an evidence file
    evidence.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    status, out, _ = run(["report", str(evidence)], capsys)
    assert status == 0 and 'id="article"' not in out and out.count('class="sof-row"') == CLAIMS
    page = tmp_path / "zinc.data"
    page.write_text(
        "<html><body><article><h1>Zinc</h1><p>Zinc may shorten colds.</p>"
        "<p>It is sold everywhere.</p></article></body></html>",
        encoding="utf-8",
    )
    status, out, _ = run(["report", str(page), "--kind", "html"], capsys)
    assert status == 0 and 'data-strength="conditional-causal">Zinc may shorten colds.<' in out
    assert "&lt;p&gt;" not in out  # read as HTML, not shown as its markup


def test_report_of_an_article_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.html"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"Zinc\n\ncaf\xe9 helps\n")
    status, _, err = run(["report", str(latin), "-o", str(target)], capsys)
    assert status == 2 and f"{latin}:3:4: not UTF-8 text" in err
    article = tmp_path / "zinc.md"
    article.write_text("# Zinc\n\nZinc shortens colds.\n", encoding="utf-8")
    status, _, err = run(["report", str(article), "--line", "2"], capsys)
    assert status == 2 and "is for a JSON Lines corpus" in err
    status, _, err = run(["report", str(EXAMPLE), "--publisher", "Shop"], capsys)
    assert status == 2 and "'--publisher': is for an article" in err
    status, _, err = run(["report", str(tmp_path / "gone.md"), "-o", str(target)], capsys)
    assert status == 2 and f"{tmp_path / 'gone.md'}: cannot read file" in err
    assert not target.exists()


def test_a_check_document_that_cannot_be_reported_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "beetroot.md"
    article.write_text(MARKDOWN, encoding="utf-8")
    _, document, _ = run(["check", str(article), "-f", "json", "-s", "grade"], capsys)
    data = json.loads(document)
    target = tmp_path / "out.html"
    bad = tmp_path / "bad.json"
    data["claims"][0]["sentence"] = 999
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    status, out, err = run(["report", str(bad), "-o", str(target)], capsys)
    assert (status, out) == (1, "")
    line = next(
        n for n, text in enumerate(bad.read_text().splitlines(), 1) if '"sentence": 999' in text
    )
    assert err.startswith(f"{bad}:{line}:")
    assert "/claims/0/sentence: expected the index of one of the document's" in err
    data["claims"][0]["sentence"] = 1
    data["draft"]["studies"][0]["design"] = "rtc"
    bad.write_text(json.dumps(data, indent=2), encoding="utf-8")
    status, _, err = run(["report", str(bad), "-o", str(target)], capsys)
    assert status == 1 and "/draft/studies/0/design: unknown design 'rtc'" in err
    del data["sentences"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    status, _, err = run(["report", str(bad), "-o", str(target)], capsys)
    assert status == 1 and err == f"{bad}:1:1: #: missing required key 'sentences'\n"
    assert "Traceback" not in err and not target.exists()
