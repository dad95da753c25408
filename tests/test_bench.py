"""Smoke tests of the corpus benchmark (bench/corpus.py): a tiny corpus, the report's shape.

No timed assertions: the figures depend on the machine; only their presence and kind are checked.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import evigrade

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "corpus.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _run(*args: str) -> dict[str, Any]:
    pytest.importorskip("orjson")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert "parse floor" in done.stderr  # the readable table goes to stderr with --json
    return report


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def test_corpus_is_deterministic_valid_and_shaped() -> None:
    bench = _module()
    first = list(bench.corpus_lines(30, 7))
    assert first == list(bench.corpus_lines(30, 7))
    assert first != list(bench.corpus_lines(30, 8))
    for line in first:
        data = json.loads(line)
        assert evigrade.validate_data(data) == []
        (claim,) = data["claims"]
        assert len(data["studies"]) == 5
        assert len(claim["evidence"]) == 5


def test_report_shape() -> None:
    report = _run("--claims", "50", "--repeats", "1", "--startup-repeats", "2")
    machine = report["machine"]
    assert machine["cpu_model"]
    assert machine["cores"] >= 1
    assert machine["python"]
    corpus = report["corpus"]
    assert corpus["claims"] == 50
    assert corpus["studies_per_claim"] == 5
    assert _number(corpus["avg_line_bytes"])
    assert len(corpus["sha256"]) == 64
    assert report["validated_sample"] >= 2
    assert isinstance(report["cli_jsonl_supported"], bool)
    assert report["grading_note"]
    assert _number(report["floor"]["seconds"])
    assert _number(report["floor"]["peak_rss_mb"])
    assert list(report["runs"]) == ["grade_jobs1", "all_jobs1", "brief_jobs1", "grade_jobs2"]
    for key, jobs, extra in (
        ("grade_jobs1", 1, []),
        ("all_jobs1", 1, ["--scheme", "all"]),
        ("brief_jobs1", 1, ["--brief"]),
        ("grade_jobs2", 2, []),
    ):
        run = report["runs"][key]
        assert run["jobs"] == jobs
        assert run["method"] in ("cli", "api-fallback")
        if run["method"] == "cli":
            assert run["command"][-len(extra) - 2 :] == [*extra, "--jobs", str(jobs)]
        for field in ("seconds", "claims_per_second", "peak_rss_mb", "peak_tree_rss_mb"):
            assert _number(run[field]), field
    assert report["grading_setup"]["default_schemes"] == ["grade"]
    assert set(report["grading_setup"]["schemes"]) >= {"grade", "cebm-2011", "pyramid"}
    ratios = (
        "grade_jobs1_to_floor",
        "all_jobs1_to_floor",
        "brief_jobs1_to_floor",
        "grade_jobs2_to_floor",
        "speedup_jobs2",
        "all_to_grade_jobs1",
        "startup_to_python",
    )
    assert set(report["ratios"]) == set(ratios)
    for field in ratios:
        assert _number(report["ratios"][field]), field
    startup = report["startup"]
    assert _number(startup["ms"])
    assert len(startup["ms_all"]) == len(startup["python_baseline_ms_all"]) == 2
    assert startup["ratio"] == pytest.approx(startup["ms"] / startup["python_baseline_ms"])
    goals = report["goals"]
    assert [goal["target"] for goal in goals] == [
        "<= 30 x",
        "<= 60 x",
        "<= 10 x",
        ">= 1.8 x",
        "< 200 MB",
        "<= 6 x",
    ]
    for goal in goals:
        assert set(goal) == {"goal", "value", "target", "met"}
        assert isinstance(goal["met"], bool)
    # The brief run wrote each grade in brief.
    assert report["runs"]["brief_jobs1"]["command"].count("--brief") == 1


def test_api_fallback_runs() -> None:
    report = _run("--claims", "20", "--repeats", "1", "--startup-repeats", "1", "--api")
    assert {run["method"] for run in report["runs"].values()} == {"api-fallback"}
    assert list(report["runs"]) == ["grade_jobs1", "all_jobs1", "brief_jobs1", "grade_jobs2"]
    assert report["runs"]["grade_jobs2"]["claims_per_second"] > 0


def test_one_run_only_leaves_the_goals_it_needs_unmeasured() -> None:
    report = _run("--claims", "20", "--repeats", "1", "--startup-repeats", "1", "--jobs", "2")
    assert list(report["runs"]) == ["grade_jobs2"]
    assert set(report["ratios"]) == {"grade_jobs2_to_floor", "startup_to_python"}
    met = {goal["goal"]: goal["met"] for goal in report["goals"]}
    assert met["GRADE at --jobs 1 / parse floor"] is None
    assert met["--brief at --jobs 1 / parse floor"] is None
    assert met["speed-up of --jobs 2 over --jobs 1"] is None
    assert isinstance(met["peak RSS (largest of the runs)"], bool)
    assert isinstance(met["`evigrade validate` / `python -c pass`"], bool)


def test_stage_profile_shape() -> None:
    pytest.importorskip("orjson")
    script = SCRIPT.with_name("stages.py")
    done = subprocess.run(
        [sys.executable, str(script), "--lines", "20", "--repeats", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    stages = {
        "floor",
        "validate",
        "structure",
        "grade",
        "grade_all",
        "report_data",
        "report_data_brief",
        "encode",
    }
    assert set(report["us_per_line"]) == set(report["x_floor"]) == stages
    assert report["x_floor"]["floor"] == 1
    assert all(_number(value) for value in report["us_per_line"].values())
    assert report["lines"] == 20
