"""The validity benchmark (bench/validity.py): its statistics on inputs whose kappa is
published, and a run on the development ratings in ../shared when they are there.

Agreement figures are measured, not asserted: the dev run checks only that every outcome is
graded and the report is whole.
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

from .conftest import ROOT

SCRIPT = ROOT / "bench" / "validity.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_validity", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_validity", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _pairs(table: list[list[int]]) -> list[tuple[int, int]]:
    """(row, column) pairs of a contingency table, one per counted item."""
    return [
        (i, j) for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)
    ]


# The 2 x 2 example of Wikipedia's "Cohen's kappa" article: 50 grant proposals, both yes 20,
# A yes B no 5, A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
GRANTS = [[15, 10], [5, 20]]

# Kundel & Polansky, Radiology 2003;228:303, Table A1 (110 mammograms, two readers, absent /
# minimal / moderate / severe), as R's vcdExtra ships it; vcd::Kappa gives unweighted 0.3713 and
# equal-spacing (linear) weighted 0.5964.
MAMMOGRAMS = [[34, 10, 2, 0], [6, 8, 8, 2], [2, 5, 4, 12], [0, 1, 2, 14]]


def test_unweighted_kappa_of_the_two_by_two_example_is_0_4(bench: ModuleType) -> None:
    pairs = _pairs(GRANTS)
    for power in (0, 1, 2):  # with two categories every weighting is Cohen's kappa
        assert bench.weighted_kappa(pairs, (0, 1), power) == pytest.approx(0.4)


def test_kappa_of_the_mammogram_readers_matches_the_published_values(bench: ModuleType) -> None:
    pairs = _pairs(MAMMOGRAMS)
    assert bench.weighted_kappa(pairs, range(4), 0) == pytest.approx(0.3713, abs=5e-5)
    assert bench.weighted_kappa(pairs, range(4), 1) == pytest.approx(0.5964, abs=5e-5)
    # Kappa does not depend on which reader is the row.
    swapped = [(b, a) for a, b in pairs]
    assert bench.weighted_kappa(swapped, range(4), 2) == bench.weighted_kappa(pairs, range(4), 2)


def test_quadratic_kappa_matches_the_essay_scoring_examples(bench: ModuleType) -> None:
    # Maple's EssayTools QuadraticWeightedKappa examples, scores 1..10: 0.758620689655172
    # (= 22/29) and 0.438095238095238 (= 46/105).
    first = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    scores = range(1, 11)
    assert bench.weighted_kappa(
        list(zip(first, [8, 8, 6, 6, 7, 6, 1, 4, 8], strict=True)), scores, 2
    ) == pytest.approx(22 / 29, rel=1e-12)
    assert bench.weighted_kappa(
        list(zip(first, [3, 5, 6, 6, 7, 6, 1, 4, 8], strict=True)), scores, 2
    ) == pytest.approx(46 / 105, rel=1e-12)


def test_kappa_edge_cases(bench: ModuleType) -> None:
    levels = (1, 2, 3, 4)
    assert bench.weighted_kappa([(1, 1), (4, 4)], levels, 2) == 1.0
    # Both raters always say the same single level: chance agreement is perfect, kappa undefined.
    assert bench.weighted_kappa([(2, 2), (2, 2)], levels, 0) is None
    assert bench.weighted_kappa([], levels, 1) is None
    # Systematic disagreement at the ends of the scale is below chance.
    kappa = bench.weighted_kappa([(1, 4), (4, 1)], levels, 2)
    assert kappa is not None
    assert kappa < 0
    with pytest.raises(ValueError, match="outside the categories"):
        bench.weighted_kappa([(0, 1)], levels, 0)
    with pytest.raises(ValueError, match="two categories"):
        bench.weighted_kappa([(1, 1)], (1,), 0)


def test_level_agreement_counts_a_tiny_table(bench: ModuleType) -> None:
    # (evigrade, panel): one exact, one a level high, one three levels high (High vs Very low).
    result = bench.level_agreement([(3, 3), (3, 2), (4, 1)])
    assert result["n"] == 3
    assert (result["exact"], result["within_one"]) == (1, 2)
    assert result["mean_signed_difference"] == pytest.approx(4 / 3)
    assert (result["higher"], result["lower"], result["high_where_panel_very_low"]) == (2, 0, 1)
    assert result["confusion"]["Very low"]["High"] == 1
    assert result["confusion"]["Low"]["Moderate"] == 1
    assert sum(sum(row.values()) for row in result["confusion"].values()) == 3
    assert set(result["kappa"]) == {"unweighted", "linear", "quadratic"}


def test_domain_agreement_sorts_the_four_cells(bench: ModuleType) -> None:
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    row = bench.domain_agreement(pairs)
    assert (row["both"], row["only_evigrade"], row["only_panel"], row["neither"]) == (20, 5, 10, 15)
    assert row["agreement"] == pytest.approx(0.7)
    assert row["kappa"] == pytest.approx(0.4)


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _tiny(tmp_path: Path) -> tuple[Path, Path]:
    """One evidence file of two claims on one RCT of 2000, and the ratings of both."""
    variant = tmp_path / "variant"
    variant.mkdir()
    study = {"id": "big-trial", "design": "rct", "n": 2000, "blinding": "double"}
    claims = [
        {
            "id": claim,
            "text": "The drug lowers the risk of the outcome",
            "evidence": [{"study": "big-trial", "direction": "supports"}],
        }
        for claim in ("first", "second")
    ]
    _write(variant / "tiny.json", {"evigrade": "1", "studies": [study], "claims": claims})
    down = dict.fromkeys(("risk_of_bias", "inconsistency", "indirectness"), False)
    expected = _write(
        tmp_path / "expected.json",
        {
            "set/tiny.json#first": {"published_rank": 4, "downgraded": down},
            "set/tiny.json#second": {"published": "Low", "downgraded": down},
            "set/other.json#gone": {"published_rank": 3},
        },
    )
    return variant, expected


def test_script_reports_a_tiny_directory(tmp_path: Path) -> None:
    variant, expected = _tiny(tmp_path)
    done = _run("--variant", str(variant), "--expected", str(expected), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    (measured,) = report["variants"]
    assert measured["n"] == 2
    assert measured["unrated_outcomes"] == ["set/other.json#gone"]
    outcomes = measured["outcomes"]
    assert [o["published"] for o in outcomes] == ["High", "Low"]
    # Both claims rest on the same study: evigrade grades them alike, so at most one agrees.
    assert outcomes[0]["evigrade"] == outcomes[1]["evigrade"]
    assert measured["exact"] == sum(o["evigrade"] == o["published"] for o in outcomes) <= 1
    assert measured["domains"]["risk_of_bias"]["n"] == 2
    assert measured["domains"]["imprecision"]["n"] == 0  # the ratings file does not say
    text = _run("--variant", str(variant), "--expected", str(expected))
    assert text.returncode == 0, text.stderr
    assert "exact agreement" in text.stdout
    assert "confusion (rows: panel, columns: evigrade)" in text.stdout


def test_script_grades_with_the_chosen_unassessed_risk_policy(tmp_path: Path) -> None:
    variant, expected = _tiny(tmp_path)
    labels = {}
    for policy in ("unclear", "not-rated"):
        done = _run("--variant", str(variant), "--expected", str(expected), "--json",
                    "--unassessed-risk", policy)  # fmt: skip
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["unassessed_risk"] == policy
        labels[policy] = report["variants"][0]["outcomes"][0]["evigrade"]
    # The trial records blinding but no risk-of-bias assessment.
    assert labels == {"unclear": "Moderate", "not-rated": "High"}


def test_script_errors_name_the_file(tmp_path: Path) -> None:
    variant, expected = _tiny(tmp_path)
    missing = _run("--variant", str(tmp_path / "nowhere"), "--expected", str(expected))
    assert missing.returncode == 2
    assert "nowhere: cannot read directory" in missing.stderr
    bad = _write(tmp_path / "bad.json", {"set/tiny.json#first": {"published_rank": 7}})
    invalid = _run("--variant", str(variant), "--expected", str(bad))
    assert invalid.returncode == 1
    assert "bad.json: /set~1tiny.json#first/published_rank: expected 4 (High)" in invalid.stderr
    syntax = tmp_path / "syntax.json"
    syntax.write_text('{"a": ', encoding="utf-8")
    broken = _run("--variant", str(variant), "--expected", str(syntax))
    assert broken.returncode == 1
    assert "syntax.json:1:7: invalid JSON" in broken.stderr
    _write(variant / "broken.json", {"evigrade": "1", "studies": []})
    evidence = _run("--variant", str(variant), "--expected", str(expected))
    assert evidence.returncode == 1
    assert "broken.json" in evidence.stderr and "missing required key 'claims'" in evidence.stderr
    assert "Traceback" not in evidence.stderr


def test_script_grades_every_dev_outcome(shared: Path) -> None:
    data = shared / "data" / "validity-dev"
    if not (data / "expected.json").is_file():
        pytest.skip("../shared/data/validity-dev is not present")
    done = _run("--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [v["variant"] for v in report["variants"]] == [
        "automatic",
        "reviewer-assisted",
        "all-judgments",
    ]
    for measured in report["variants"]:
        assert measured["n"] == 154, measured["variant"]
        assert measured["not_graded"] == []
        assert measured["unmatched_claims"] == []
        assert measured["unrated_outcomes"] == []
        assert measured["failures"] == []
        for row in measured["domains"].values():
            assert row["both"] + row["only_evigrade"] + row["only_panel"] + row["neither"] == 154
        for kappa in measured["kappa"].values():
            assert kappa is None or -1 <= kappa <= 1
    assert report["environment"]["commit"]


def test_x_studies_is_read_as_included_studies_only_by_the_benchmark(bench: ModuleType) -> None:
    import evigrade

    data = {
        "evigrade": "1",
        "studies": [
            {"id": "pooled", "design": "meta-analysis", "n": 400, "x-studies": 12},
            {
                "id": "given",
                "design": "meta-analysis",
                "n": 90,
                "included_studies": 3,
                "x-studies": 5,
            },
            {"id": "trial", "design": "rct", "n": 40, "x-studies": 2},
        ],
        "claims": [],
    }
    evidence = evigrade.from_data(data)
    assert evidence.study("pooled").included_studies is None  # the library ignores x- keys
    adapted, count = bench.adapt_x_studies(evidence)
    assert count == 1
    assert adapted.study("pooled").included_studies == 12
    assert adapted.study("given").included_studies == 3  # a recorded value wins
    assert adapted.study("trial").included_studies is None  # only reviews pool studies
    assert adapted.study("pooled").extensions == {"x-studies": 12}
