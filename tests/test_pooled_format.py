"""The format's pooled-result, threshold and citation keys: valid shapes load and dump back
exactly; bad ones are errors at their pointer, with line and column, naming what was expected."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import evigrade
from evigrade import validate_text

REVIEW: dict[str, Any] = {
    "evigrade": "1",
    "studies": [
        {
            "id": "review",
            "design": "meta-analysis",
            "n": 1200,
            "included_studies": 12,
            "included_risk_of_bias": {"tool": "rob2", "low": 4, "some_concerns": 5, "high": 3},
        },
        {"id": "trial", "design": "rct", "n": 90},
        {"id": "lab", "design": "in-vitro"},
    ],
    "claims": [
        {
            "id": "fewer-relapses",
            "text": "The drug reduces relapses",
            "outcome_type": "dichotomous",
            "thresholds": {"measure": "RR", "mid": 0.25},
            "control_risk": 0.3,
            "evidence": [
                {
                    "study": "review",
                    "direction": "supports",
                    "n": 880,
                    "included_studies": 9,
                    "included_risk_of_bias": {"low": 0, "unclear": 6, "critical": 1},
                    "cited_by_source": True,
                    "effect": {
                        "measure": "RR",
                        "estimate": 0.7,
                        "ci_low": 0.45,
                        "ci_high": 0.99,
                        "heterogeneity": {"i2": 98, "tau2": 0.41, "p": 0.0001},
                    },
                },
                {"study": "trial", "direction": "inconclusive", "cited_by_source": False},
                {"study": "lab", "direction": "inconclusive", "addresses": False},
            ],
        }
    ],
}


def _problems(data: Any) -> list[evigrade.Problem]:
    return validate_text(json.dumps(data, indent=2), "f.json")


def _changed(edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(REVIEW)
    edit(data)
    return data


def test_a_review_with_pooled_keys_is_valid_and_round_trips_exactly() -> None:
    assert _problems(REVIEW) == []
    evidence = evigrade.from_data(REVIEW)
    assert evigrade.to_data(evidence) == REVIEW
    assert evigrade.loads(evigrade.dumps(evidence)) == evidence
    review = evidence.study("review")
    assert review.included_studies == 12
    assert review.included_risk_of_bias is not None
    assert review.included_risk_of_bias.counted == 12
    claim = evidence.claim("fewer-relapses")
    assert claim.thresholds == evigrade.model.Thresholds("RR", 0.25)
    assert claim.control_risk == 0.3
    pooled, trial, lab = claim.evidence
    assert pooled.effect is not None
    assert pooled.effect.heterogeneity == evigrade.model.Heterogeneity(98, 0.41, 0.0001)
    assert (pooled.included_studies, pooled.cited_by_source) == (9, True)
    assert pooled.included_risk_of_bias == evigrade.model.IncludedRiskOfBias(
        low=0, unclear=6, critical=1
    )
    assert (trial.cited_by_source, trial.addresses_claim) == (False, True)
    assert (lab.addresses, lab.addresses_claim) == (False, False)


def test_a_count_of_zero_and_an_explicit_default_are_written_back() -> None:
    data = _changed(lambda d: d["claims"][0]["evidence"][1].update(addresses=True))
    out = evigrade.to_data(evigrade.from_data(data))
    assert out["claims"][0]["evidence"][1]["addresses"] is True
    assert out["claims"][0]["evidence"][0]["included_risk_of_bias"]["low"] == 0
    assert "addresses" not in out["claims"][0]["evidence"][0]


def _first_evidence(data: dict[str, Any]) -> dict[str, Any]:
    link: dict[str, Any] = data["claims"][0]["evidence"][0]
    return link


@pytest.mark.parametrize(
    ("edit", "pointer", "keyword", "words"),
    [
        (
            lambda d: d["studies"][1].update(included_studies=3),
            "/studies/1/included_studies",
            "pooled-design",
            "expected a meta-analysis or systematic review, found design 'rct'",
        ),
        (
            lambda d: d["studies"][0]["included_risk_of_bias"].update(high=4),
            "/studies/0/included_risk_of_bias",
            "included-risk-of-bias-count",
            "expected at most the 12 included studies counted, found 13",
        ),
        (
            lambda d: _first_evidence(d).update(included_studies=13),
            "/claims/0/evidence/0/included_studies",
            "included-studies-n",
            "expected at most the review's 12 included studies for this outcome",
        ),
        (
            lambda d: _first_evidence(d).update(included_risk_of_bias={"high": 10}),
            "/claims/0/evidence/0/included_risk_of_bias",
            "included-risk-of-bias-count",
            "expected at most the 9 included studies counted, found 10",
        ),
        (
            lambda d: _first_evidence(d).update(included_risk_of_bias={"low": 0}),
            "/claims/0/evidence/0/included_risk_of_bias",
            "included-risk-of-bias-count",
            "expected at least one included study counted",
        ),
        (
            lambda d: _first_evidence(d).update(
                included_studies=1, included_risk_of_bias={"low": 1}
            ),
            "/claims/0/evidence/0/effect/heterogeneity",
            "heterogeneity-single",
            "heterogeneity needs two or more pooled studies",
        ),
        (
            lambda d: d["claims"][0]["evidence"][1].update(
                effect={"measure": "RR", "estimate": 1, "heterogeneity": {"i2": 10}}
            ),
            "/claims/0/evidence/1/effect/heterogeneity",
            "pooled-design",
            "describes a pooled result: expected a link to a meta-analysis",
        ),
        (
            lambda d: d["claims"][0]["evidence"][2].update(direction="supports"),
            "/claims/0/evidence/2/direction",
            "addresses-false",
            'expected direction "inconclusive", found "supports"',
        ),
        (
            lambda d: d["claims"][0]["evidence"][2].update(dose_response=True),
            "/claims/0/evidence/2/dose_response",
            "addresses-false",
            "has no result: expected no dose_response",
        ),
    ],
)
def test_semantic_rules_of_pooled_results(
    edit: Any, pointer: str, keyword: str, words: str
) -> None:
    problems = _problems(_changed(edit))
    assert [(p.pointer, p.keyword) for p in problems] == [(pointer, keyword)], problems
    (problem,) = problems
    assert words in problem.message
    assert problem.file == "f.json"
    assert problem.line is not None
    assert problem.column is not None


@pytest.mark.parametrize(
    ("edit", "pointer", "words"),
    [
        (
            lambda d: _first_evidence(d)["effect"]["heterogeneity"].update(i2=101),
            "/claims/0/evidence/0/effect/heterogeneity/i2",
            "expected a number <= 100, found 101",
        ),
        (
            lambda d: _first_evidence(d)["effect"]["heterogeneity"].pop("i2"),
            "/claims/0/evidence/0/effect/heterogeneity",
            "missing required key 'i2'",
        ),
        (
            lambda d: _first_evidence(d)["effect"]["heterogeneity"].update(tau2=-0.1),
            "/claims/0/evidence/0/effect/heterogeneity/tau2",
            "expected a number >= 0, found -0.1",
        ),
        (
            lambda d: d["claims"][0].update(control_risk=0),
            "/claims/0/control_risk",
            "expected a number > 0, found 0",
        ),
        (
            lambda d: d["claims"][0].update(control_risk=1.5),
            "/claims/0/control_risk",
            "expected a number <= 1, found 1.5",
        ),
        (
            lambda d: d["claims"][0].update(thresholds={"measure": "RR", "mid": 1.2}),
            "/claims/0/thresholds/mid",
            "expected a number < 1, found 1.2",
        ),
        (
            lambda d: d["claims"][0].update(thresholds={"measure": "RD", "mid": 2}),
            "/claims/0/thresholds/mid",
            "expected a number <= 1, found 2",
        ),
        (
            lambda d: d["claims"][0].update(thresholds={"measure": "MD", "mid": 0}),
            "/claims/0/thresholds/mid",
            "expected a number > 0, found 0",
        ),
        (
            lambda d: d["claims"][0].update(thresholds={"mid": 3}),
            "/claims/0/thresholds",
            "missing required key 'measure'",
        ),
        (
            lambda d: d["studies"][0].update(included_studies=0),
            "/studies/0/included_studies",
            "expected a number >= 1, found 0",
        ),
        (
            lambda d: d["studies"][0]["included_risk_of_bias"].update(moderate=1),
            "/studies/0/included_risk_of_bias/moderate",
            "unknown key 'moderate'",
        ),
        (
            lambda d: _first_evidence(d).update(addresses="no"),
            "/claims/0/evidence/0/addresses",
            "expected boolean, found string",
        ),
    ],
)
def test_schema_rules_of_the_new_keys(edit: Any, pointer: str, words: str) -> None:
    problems = _problems(_changed(edit))
    assert any(p.pointer == pointer and words in p.message for p in problems), problems


def test_every_existing_example_stays_valid_without_the_new_keys() -> None:
    # The keys are additions: a file without them means what it meant before.
    bare = {"evigrade": "1", "studies": [{"id": "m", "design": "meta-analysis", "n": 10}]}
    bare["claims"] = [
        {"id": "c", "text": "t", "evidence": [{"study": "m", "direction": "supports"}]}
    ]
    evidence = evigrade.from_data(bare)
    link = evidence.claims[0].evidence[0]
    assert (link.addresses, link.cited_by_source, link.included_studies) == (None, None, None)
    assert link.addresses_claim
    assert evidence.studies[0].included_studies is None


def test_the_new_keys_survive_a_fhir_export_and_import(tmp_path: Any) -> None:
    evidence = evigrade.from_data(REVIEW)
    document = evigrade.export("fhir", evidence)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    back = evigrade.import_files("fhir", [path]).evidence
    before, after = evigrade.to_data(evidence), evigrade.to_data(back)
    for data in (before, after):
        for key in ("title", "source", "$schema"):
            data.pop(key, None)
    assert after == before
    pytest.importorskip("fhir.resources")
    from fhir.resources.bundle import Bundle

    Bundle.model_validate(document)


def test_a_study_that_does_not_address_the_claim_is_listed_never_graded() -> None:
    data = copy.deepcopy(REVIEW)
    claim = data["claims"][0]
    claim["evidence"] = [
        {"study": "trial", "direction": "supports"},
        {"study": "lab", "direction": "inconclusive", "addresses": False},
    ]
    registry = evigrade.plugin.build_registry(disable=("*",))
    grades = evigrade.grade_claim(
        evigrade.from_data(data).claims[0], evigrade.from_data(data), registry=registry
    ).grades
    for grade in grades.values():
        assert "lab" not in grade.counted
        assert [(n.study, n.reason) for n in grade.excluded] == [
            ("lab", "cited, but reports nothing on this claim")
        ]
    only = copy.deepcopy(data)
    only["claims"][0]["evidence"] = [claim["evidence"][1]]
    evidence = evigrade.from_data(only)
    result = evigrade.grade_claim(evidence.claims[0], evidence, registry=registry)
    for grade in result.grades.values():
        assert (grade.rank, grade.direction, grade.counted) == (0, "none", ())
