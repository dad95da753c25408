"""Grades in brief (``--brief``, ``report_to_data(..., brief=True)``): label, rank, direction
and the levels each domain moved the grade by, the same as the full report says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from evigrade import from_data, grade_file, load
from evigrade.cli import main
from evigrade.convert import grade_to_brief, report_to_data
from evigrade.testing import strategies as gen

from .conftest import EXAMPLES

LDN = EXAMPLES / "ldn-multiple-sclerosis.json"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def _brief_of_full(grade: dict[str, Any]) -> dict[str, Any]:
    """What the brief must say, read from the full report's data."""
    moved: dict[str, int] = {}
    for step in grade["rationale"]:
        if step["change"] and "domain" in step:
            moved[step["domain"]] = moved.get(step["domain"], 0) + step["change"]
    return {
        "label": grade["label"],
        "rank": grade["rank"],
        "direction": grade["direction"],
        "moved": {domain: change for domain, change in moved.items() if change},
    }


def _agree(full: dict[str, Any], brief: dict[str, Any]) -> None:
    assert brief["file"] == full["file"]
    assert [c["id"] for c in brief["claims"]] == [c["id"] for c in full["claims"]]
    for whole, short in zip(full["claims"], brief["claims"], strict=True):
        assert set(short) == {"id", "grades"}
        assert list(short["grades"]) == list(whole["grades"])
        for name, grade in whole["grades"].items():
            assert short["grades"][name] == _brief_of_full(grade)


def test_spasticity_in_brief_names_the_two_domains_that_moved_it() -> None:
    report = grade_file(load(LDN), ["grade"])
    (spasticity,) = [r for r in report.results if r.claim.id == "ldn-reduces-spasticity"]
    assert grade_to_brief(spasticity.grades["grade"]) == {
        "label": "Very low",
        "rank": 1,
        "direction": "supports",
        "moved": {"risk_of_bias": -1, "imprecision": -1},
    }


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_brief_agrees_with_the_full_report_of_each_example(path: Path) -> None:
    report = grade_file(load(path))
    _agree(report_to_data(report), report_to_data(report, brief=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen.evidence_files())
def test_brief_agrees_with_the_full_report_of_generated_files(data: dict[str, Any]) -> None:
    report = grade_file(from_data(data))
    _agree(report_to_data(report), report_to_data(report, brief=True))


def test_cli_brief_json_and_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "grade", LDN, "--format", "json", "--brief", "--scheme", "all")
    assert (code, err) == (0, "")
    brief = json.loads(out)
    code, out, _ = run(capsys, "grade", LDN, "--format", "json", "--scheme", "all")
    _agree(json.loads(out), brief)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps(json.loads(LDN.read_text(encoding="utf-8"))) + "\n")
    code, out, err = run(capsys, "grade", corpus, "--brief", "--scheme", "all")
    assert (code, err) == (0, "")
    (line,) = out.splitlines()
    assert json.loads(line) == {"line": 1, "claims": brief["claims"]}
    assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_cli_brief_with_another_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    code, out, err = run(capsys, "grade", LDN, "--format", output_format, "--brief")
    assert (code, out) == (2, "")
    assert f"--brief is for --format json or jsonl, not '{output_format}'" in err
