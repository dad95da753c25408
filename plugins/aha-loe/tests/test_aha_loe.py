"""Tests of the ACC/AHA Level of Evidence scheme (``aha-loe``).

Each level has a case built from study data with :func:`evigrade.from_data`; the seed examples
are graded as a reviewer would; the scheme passes evigrade's conformance kit and, installed,
shows up in the command line. Only evigrade's public API is used.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import pytest
from evigrade_aha_loe import LABELS, NAME, SCHEME, grade, kind_of, quality_of
from hypothesis import given, settings

import evigrade
from evigrade.testing import strategies as gen
from evigrade.testing.pytest_plugin import Runner

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
DISTRIBUTION = "evigrade-aha-loe"

#: The built-in designs, assessors and schemes only: these tests grade with the plugin's own
#: ``grade`` function, installed or not.
BUILTINS = evigrade.get_registry(disable=("*",))

SETTINGS = settings(parent=settings.get_profile("evigrade-plugin"))


# -- helpers -----------------------------------------------------------------------------------


def evidence_of(
    studies: list[dict[str, Any]], evidence: list[dict[str, Any]], **claim: Any
) -> evigrade.EvidenceFile:
    """A validated evidence file with one claim, ``c``."""
    data = {
        "evigrade": "1",
        "studies": studies,
        "claims": [
            {"id": "c", "text": claim.pop("text", "X helps"), "evidence": evidence, **claim}
        ],
    }
    return evigrade.from_data(data)


def grade_of(
    evidence: evigrade.EvidenceFile, claim_id: str = "c", unassessed_risk: str = "unclear"
) -> evigrade.Grade:
    """The claim's aha-loe grade, checked against the scheme's labels."""
    options = evigrade.plugin.GradingOptions(unassessed_risk=unassessed_risk)
    result = grade(evigrade.plugin.assess(evidence.claim(claim_id), evidence, BUILTINS, options))
    assert result.scheme == NAME
    assert SCHEME.labels[result.rank] == result.label
    return result


def reasons(result: evigrade.Grade) -> str:
    """Every rationale step's reason, one a line."""
    return "\n".join(step.reason for step in result.rationale)


def rules(result: evigrade.Grade) -> set[str]:
    return {step.rule for step in result.rationale if step.rule}


def rob2(overall: str) -> dict[str, str]:
    return {"tool": "rob2", "overall": overall}


def robins(overall: str) -> dict[str, str]:
    return {"tool": "robins-i", "overall": overall}


def hr(estimate: float, low: float, high: float) -> dict[str, Any]:
    return {"measure": "HR", "estimate": estimate, "ci_low": low, "ci_high": high}


# Two large double-blind placebo-controlled trials of SGLT2 inhibitors in heart failure with
# reduced ejection fraction; primary outcome worsening heart failure or cardiovascular death
# (DAPA-HF, McMurray et al., N Engl J Med 2019; EMPEROR-Reduced, Packer et al., N Engl J Med
# 2020). Their meta-analysis: Zannad et al., Lancet 2020.
DAPA_HF = {
    "id": "dapa-hf-2019",
    "design": "rct",
    "n": 4744,
    "control": "placebo",
    "blinding": "double",
    "population": "heart failure with reduced ejection fraction",
    "title": "Dapagliflozin in Patients with Heart Failure and Reduced Ejection Fraction",
    "year": 2019,
    "journal": "N Engl J Med",
    "risk_of_bias": rob2("low"),
}
EMPEROR_REDUCED = {
    "id": "emperor-reduced-2020",
    "design": "rct",
    "n": 3730,
    "control": "placebo",
    "blinding": "double",
    "population": "heart failure with reduced ejection fraction",
    "title": "Cardiovascular and Renal Outcomes with Empagliflozin in Heart Failure",
    "year": 2020,
    "journal": "N Engl J Med",
    "risk_of_bias": rob2("low"),
}
SGLT2_META = {
    "id": "zannad-2020",
    "design": "meta-analysis",
    "of": "rct",
    "n": 8474,
    "population": "heart failure with reduced ejection fraction",
    "year": 2020,
    "journal": "Lancet",
    "risk_of_bias": {"tool": "other", "overall": "low"},
}
SGLT2_CLAIM = {
    "text": "SGLT2 inhibitors reduce worsening heart failure or cardiovascular death in HFrEF",
    "outcome_kind": "patient-important",
    "outcome_type": "time-to-event",
}

# One large double-blind trial of sacubitril-valsartan against enalapril (PARADIGM-HF,
# McMurray et al., N Engl J Med 2014).
PARADIGM_HF = {
    "id": "paradigm-hf-2014",
    "design": "rct",
    "n": 8442,
    "control": "active",
    "blinding": "double",
    "population": "heart failure with reduced ejection fraction",
    "title": "Angiotensin-Neprilysin Inhibition versus Enalapril in Heart Failure",
    "year": 2014,
    "journal": "N Engl J Med",
    "risk_of_bias": rob2("low"),
}


def _cohort(
    study_id: str, n: int, design: str = "prospective-cohort", **extra: Any
) -> dict[str, Any]:
    return {
        "id": study_id,
        "design": design,
        "n": n,
        "control": "usual-care",
        "risk_of_bias": robins("moderate"),
        **extra,
    }


# -- one case per level --------------------------------------------------------------------------


def test_more_than_one_high_quality_rct_is_level_a() -> None:
    evidence = evidence_of(
        [DAPA_HF, EMPEROR_REDUCED],
        [
            {"study": "dapa-hf-2019", "direction": "supports", "effect": hr(0.74, 0.65, 0.85)},
            {
                "study": "emperor-reduced-2020",
                "direction": "supports",
                "effect": hr(0.75, 0.65, 0.86),
            },
        ],
        **SGLT2_CLAIM,
    )
    result = grade_of(evidence)
    assert (result.label, result.rank, result.direction) == ("A", 5, "supports")
    assert result.rationale[0].kind == "level"
    assert result.rationale[0].reason.startswith("A: high-quality evidence from more than one RCT")
    assert "no serious concern" in result.rationale[0].reason
    assert result.counted == ("dapa-hf-2019", "emperor-reduced-2020")
    assert rules(result) == {"aha-loe.randomized"}


def test_a_meta_analysis_of_high_quality_rcts_is_level_a() -> None:
    evidence = evidence_of(
        [SGLT2_META],
        [{"study": "zannad-2020", "direction": "supports", "effect": hr(0.74, 0.68, 0.82)}],
        **SGLT2_CLAIM,
    )
    result = grade_of(evidence)
    assert result.label == "A"
    assert result.rationale[0].reason.startswith("A: meta-analysis of high-quality RCTs")
    assert "zannad-2020: meta-analysis of randomized controlled trials" in reasons(result)


def _trial_and_registries(registry_direction: str = "supports") -> evigrade.EvidenceFile:
    """One open-label trial with blinded outcome assessment (judged at low risk of bias) and two
    nationwide registry cohorts. Illustrative numbers."""
    studies = [
        {
            "id": "early-rhythm-trial",
            "design": "rct",
            "n": 2789,
            "control": "usual-care",
            "risk_of_bias": rob2("low"),
        },
        _cohort("registry-korea", 22635, "retrospective-cohort"),
        _cohort("registry-sweden", 18140, "retrospective-cohort"),
    ]
    registry_effect = (
        hr(0.81, 0.71, 0.93) if registry_direction == "supports" else hr(1.02, 0.95, 1.09)
    )
    evidence = [
        {"study": "early-rhythm-trial", "direction": "supports", "effect": hr(0.79, 0.66, 0.94)},
        {"study": "registry-korea", "direction": registry_direction, "effect": registry_effect},
        {"study": "registry-sweden", "direction": registry_direction, "effect": registry_effect},
    ]
    return evidence_of(
        studies,
        evidence,
        text="Early rhythm control reduces cardiovascular events in recent atrial fibrillation",
        outcome_type="time-to-event",
    )


def test_one_rct_corroborated_by_high_quality_registry_studies_is_level_a() -> None:
    result = grade_of(_trial_and_registries())
    assert result.label == "A"
    first = result.rationale[0]
    assert first.rule == "aha-loe.registry-corroboration"
    assert "corroborated by high-quality registry studies registry-korea, registry-sweden" in (
        first.reason
    )
    assert result.direction == "supports"
    # The registry studies are B-NR on their own, shown below the level.
    notes = [s for s in result.rationale if s.kind == "note" and s.reason.startswith("also")]
    assert [n.reason.split(":")[0] for n in notes] == ["also cited, B-NR"]


def test_registry_studies_that_do_not_show_the_trials_result_do_not_corroborate_it() -> None:
    result = grade_of(_trial_and_registries("inconclusive"))
    assert result.label == "B-R"
    assert "do not show the trial's result" in result.rationale[0].reason


def test_one_high_quality_rct_is_level_b_r() -> None:
    evidence = evidence_of(
        [PARADIGM_HF],
        [{"study": "paradigm-hf-2014", "direction": "supports", "effect": hr(0.80, 0.73, 0.87)}],
        text="Sacubitril-valsartan reduces cardiovascular death or heart failure hospitalization "
        "compared with enalapril in HFrEF",
        outcome_type="time-to-event",
    )
    result = grade_of(evidence)
    assert (result.label, result.rank) == ("B-R", 4)
    assert result.rationale[0].reason.startswith("B-R: high-quality evidence from one RCT")
    assert "A needs more than one RCT" in result.rationale[0].reason
    assert "no registry study cited" in result.rationale[0].reason


def test_rcts_with_one_serious_concern_are_moderate_quality_level_b_r() -> None:
    """Two open-label trials without a risk-of-bias assessment: most evidence at high risk
    of bias (serious), nothing else."""
    studies = [
        {
            "id": "open-trial-a",
            "design": "rct",
            "n": 1200,
            "control": "usual-care",
            "blinding": "none",
        },
        {
            "id": "open-trial-b",
            "design": "rct",
            "n": 900,
            "control": "usual-care",
            "blinding": "none",
        },
    ]
    evidence = evidence_of(
        studies,
        [
            {"study": "open-trial-a", "direction": "supports", "effect": hr(0.78, 0.66, 0.92)},
            {"study": "open-trial-b", "direction": "supports", "effect": hr(0.81, 0.67, 0.98)},
        ],
        outcome_type="time-to-event",
    )
    result = grade_of(evidence)
    assert result.label == "B-R"
    assert result.rationale[0].reason.startswith(
        "B-R: moderate-quality evidence from randomized trials (serious risk of bias)"
    )
    checks = [s for s in result.rationale if s.kind == "check"]
    assert [(c.domain, c.rating, c.change) for c in checks] == [("risk_of_bias", "serious", 0)]
    assert "open-label" in checks[0].reason


def test_well_designed_cohorts_without_serious_concern_are_level_b_nr() -> None:
    """Two large prospective cohorts (ROBINS-I moderate) of cardiac rehabilitation after
    myocardial infarction, with precise results. Illustrative numbers."""
    evidence = evidence_of(
        [_cohort("rehab-cohort-a", 30161), _cohort("rehab-cohort-b", 12490)],
        [
            {"study": "rehab-cohort-a", "direction": "supports", "effect": hr(0.58, 0.52, 0.65)},
            {"study": "rehab-cohort-b", "direction": "supports", "effect": hr(0.63, 0.54, 0.74)},
        ],
        text="Cardiac rehabilitation after myocardial infarction lowers mortality",
        outcome_type="time-to-event",
    )
    result = grade_of(evidence)
    assert (result.label, result.rank) == ("B-NR", 3)
    assert result.rationale[0].reason.startswith(
        "B-NR: moderate-quality evidence from well-designed, well-executed nonrandomized studies"
        " (no serious concern"
    )
    assert rules(result) == {"aha-loe.nonrandomized"}


def test_a_cohort_with_an_imprecise_result_is_c_ld() -> None:
    evidence = evidence_of(
        [_cohort("small-cohort", 350, "retrospective-cohort")],
        [{"study": "small-cohort", "direction": "inconclusive", "effect": hr(0.85, 0.70, 1.03)}],
        outcome_type="time-to-event",
    )
    result = grade_of(evidence)
    assert result.label == "C-LD"
    assert result.rationale[0].reason.startswith(
        "C-LD: nonrandomized studies with limitations of design or execution (serious imprecision"
    )
    assert result.direction == "none"


def test_a_small_open_label_pilot_rct_is_c_ld() -> None:
    evidence = evidence_of(
        [
            {
                "id": "pilot",
                "design": "rct",
                "n": 24,
                "pilot": True,
                "control": "waitlist",
                "blinding": "none",
            }
        ],
        [
            {
                "study": "pilot",
                "direction": "supports",
                "effect": {"measure": "SMD", "estimate": -0.6, "ci_low": -1.4, "ci_high": 0.2},
            }
        ],
        outcome_type="continuous",
    )
    result = grade_of(evidence)
    assert result.label == "C-LD"
    assert result.rationale[0].reason.startswith(
        "C-LD: randomized trials with limitations of design or execution"
    )
    domains = {s.domain for s in result.rationale if s.kind == "check"}
    assert {"risk_of_bias", "imprecision"} <= domains


def test_case_series_and_historically_controlled_studies_are_c_ld() -> None:
    evidence = evidence_of(
        [
            {"id": "series", "design": "case-series", "n": 31},
            _cohort("historical", 140, control="historical"),
            {"id": "survey", "design": "cross-sectional", "n": 2400},
        ],
        [
            {"study": "series", "direction": "supports"},
            {"study": "historical", "direction": "supports"},
            {"study": "survey", "direction": "supports"},
        ],
    )
    result = grade_of(evidence)
    assert result.label == "C-LD"
    text = reasons(result)
    assert "C-LD: studies with limitations of design" in text
    assert "series: case series: no comparison group" in text
    assert "historical: prospective cohort study with historical controls" in text
    assert "survey: cross-sectional study: exposure and outcome measured at one time" in text
    assert result.rationale[0].rule == "aha-loe.limited-design"


def test_a_physiological_study_in_humans_is_c_ld_whatever_its_design() -> None:
    """ACC/AHA puts physiological and mechanistic studies in human subjects at C-LD: here a
    well-run crossover trial measuring a mechanism."""
    evidence = evidence_of(
        [
            {
                "id": "crossover",
                "design": "crossover-rct",
                "n": 60,
                "control": "placebo",
                "blinding": "double",
                "risk_of_bias": rob2("low"),
            }
        ],
        [
            {
                "study": "crossover",
                "direction": "supports",
                "effect": {"measure": "SMD", "estimate": 0.9, "ci_low": 0.6, "ci_high": 1.2},
            }
        ],
        text="The drug raises plasma beta-endorphin",
        outcome_kind="mechanism",
        outcome_type="continuous",
    )
    result = grade_of(evidence)
    assert result.label == "C-LD"
    assert result.rationale[0].rule == "aha-loe.mechanism"
    assert "physiological or mechanistic studies in human subjects" in result.rationale[0].reason


def test_expert_opinion_and_guidelines_only_are_c_eo() -> None:
    evidence = evidence_of(
        [
            {"id": "consensus", "design": "expert-opinion"},
            {"id": "society-guideline", "design": "guideline"},
            {"id": "overview", "design": "narrative-review"},
        ],
        [
            {"study": "consensus", "direction": "supports"},
            {"study": "society-guideline", "direction": "supports"},
            {"study": "overview", "direction": "supports"},
        ],
    )
    result = grade_of(evidence)
    assert (result.label, result.rank) == ("C-EO", 1)
    assert result.rationale[0].reason == (
        "C-EO: expert opinion, no study with results: consensus: expert opinion; overview: "
        "narrative review; society-guideline: guideline"
    )
    assert result.counted == ("consensus", "overview", "society-guideline")


def test_the_best_body_sets_the_level_and_the_others_are_shown() -> None:
    evidence = evidence_of(
        [
            PARADIGM_HF,
            {"id": "consensus", "design": "expert-opinion"},
            {"id": "series", "design": "case-series", "n": 12},
        ],
        [
            {"study": "paradigm-hf-2014", "direction": "supports", "effect": hr(0.80, 0.73, 0.87)},
            {"study": "consensus", "direction": "supports"},
            {"study": "series", "direction": "contradicts"},
        ],
    )
    result = grade_of(evidence)
    assert result.label == "B-R"
    assert result.direction == "supports"  # of the body that sets the level
    notes = [s.reason for s in result.rationale if s.reason.startswith("also cited")]
    assert [n.split(":")[0] for n in notes] == ["also cited, C-LD", "also cited, C-EO"]


# -- no evidence ---------------------------------------------------------------------------------


def test_a_claim_citing_nothing_has_no_evidence() -> None:
    result = grade_of(evidence_of([], []))
    assert (result.label, result.rank, result.direction) == ("No evidence", 0, "none")
    assert result.rationale[0].reason == "no study is linked to this claim in the file"


def test_a_claim_citing_only_a_protocol_has_no_evidence_and_lists_it_as_pending() -> None:
    evidence = evidence_of(
        [
            {
                "id": "planned-trial",
                "design": "protocol",
                "n": 300,
                "status": "ongoing",
                "nct": "NCT05123456",
            }
        ],
        [{"study": "planned-trial", "direction": "inconclusive"}],
    )
    result = grade_of(evidence)
    assert (result.label, result.rank) == ("No evidence", 0)
    assert result.rationale[0].reason == "only pending studies are cited: nothing has results yet"
    assert [note.study for note in result.pending] == ["planned-trial"]
    assert result.counted == ()


def test_anecdotes_and_animal_studies_alone_are_not_counted() -> None:
    evidence = evidence_of(
        [
            {"id": "forum", "design": "anecdote", "n": None},
            {"id": "mice", "design": "animal", "n": 40, "species": "mouse"},
        ],
        [{"study": "forum", "direction": "supports"}, {"study": "mice", "direction": "supports"}],
    )
    result = grade_of(evidence)
    assert (result.label, result.rank) == ("No evidence", 0)
    assert "only anecdote and animal study cited" in result.rationale[0].reason
    assert [n.study for n in result.excluded] == ["forum", "mice"]
    assert "not in human subjects" in dict((n.study, n.reason) for n in result.excluded)["mice"]


def test_opinion_next_to_animal_studies_is_c_eo_and_the_animal_study_is_listed() -> None:
    evidence = evidence_of(
        [
            {"id": "mice", "design": "animal", "n": 40, "species": "mouse"},
            {"id": "review", "design": "narrative-review"},
        ],
        [{"study": "mice", "direction": "supports"}, {"study": "review", "direction": "supports"}],
    )
    result = grade_of(evidence)
    assert result.label == "C-EO"
    assert "not counted: animal study: not in human subjects" in reasons(result)


# -- building blocks ----------------------------------------------------------------------------


def test_quality_starts_high_for_trials_and_moderate_for_nonrandomized_studies() -> None:
    serious = evigrade.plugin.Judgment("imprecision", "serious", "small", source="rule", rule="x")
    very = evigrade.plugin.Judgment(
        "risk_of_bias", "very-serious", "critical", source="rule", rule="y"
    )
    assert quality_of({}, "high") == ("high", [])
    assert quality_of({"imprecision": serious}, "high") == ("moderate", [serious])
    assert quality_of({"risk_of_bias": very}, "high")[0] == "limitations"
    assert quality_of({}, "moderate") == ("moderate", [])
    assert quality_of({"imprecision": serious}, "moderate")[0] == "limitations"


def test_a_meta_analysis_takes_the_kind_of_its_studies() -> None:
    evidence = evidence_of(
        [
            {"id": "ma-cohorts", "design": "meta-analysis", "of": "prospective-cohort", "n": 90000},
            {"id": "ma-series", "design": "systematic-review", "of": "case-series", "n": 300},
            {"id": "ma-mice", "design": "meta-analysis", "of": "animal", "n": 500},
        ],
        [{"study": s, "direction": "supports"} for s in ("ma-cohorts", "ma-series", "ma-mice")],
    )
    assessment = evigrade.plugin.assess(evidence.claim("c"), evidence, BUILTINS)
    kinds = {item.id: kind_of(item)[0] for item in assessment.items}
    assert kinds == {"ma-cohorts": "nonrandomized", "ma-series": "limited", "ma-mice": None}


def test_a_design_a_plugin_adds_is_read_by_its_family() -> None:
    """A design from outside evigrade's taxonomy (here built in-process) is placed by its
    family: a non-randomized one can reach B-NR like a cohort study."""
    genetic = evigrade.plugin.Design(
        id="genetic-instrument-study",
        label="Genetic instrument study",
        family="non-randomized",
        randomized=False,
        needs_participants=True,
        grade_start=2,
        cebm_level=3,
        pyramid_tier=6,
    )
    registry = evigrade.plugin.Registry(
        designs={**BUILTINS.designs, genetic.id: genetic},
        assessors={domain: list(found) for domain, found in BUILTINS.assessors.items()},
        schemes={**BUILTINS.schemes, NAME: SCHEME},
        formats=dict(BUILTINS.formats),
    )
    data = {
        "evigrade": "1",
        "studies": [
            {"id": "mr", "design": genetic.id, "n": 360000, "risk_of_bias": robins("moderate")}
        ],
        "claims": [
            {
                "id": "c",
                "text": "Lower LDL cholesterol lowers coronary risk",
                "evidence": [
                    {
                        "study": "mr",
                        "direction": "supports",
                        "effect": {
                            "measure": "OR",
                            "estimate": 0.6,
                            "ci_low": 0.55,
                            "ci_high": 0.66,
                        },
                    }
                ],
            }
        ],
    }
    assert evigrade.validate_data(data, registry=registry) == []
    evidence = evigrade.from_data(data, validate=False)
    result = evigrade.grade_claim(evidence.claim("c"), evidence, [NAME], registry=registry).grades[
        NAME
    ]
    assert result.label == "B-NR"
    assert "mr: genetic instrument study" in result.rationale[0].reason


# -- the seed examples ---------------------------------------------------------------------------

SEEDS = ("ldn-multiple-sclerosis", "ldn-mast-cell-activation", "ketamine-multiple-sclerosis")

#: file -> (claim, label, the rule of the first rationale step, after "aha-loe."). Small pilot
#: trials, uncontrolled series and opinion are level C; so are the claims resting on the two 2010
#: randomized trials: no risk-of-bias assessment is recorded for them, so their risk of bias
#: counts as unclear (the default policy), and with their imprecision that is two concerns.
EXPECTED: dict[str, list[tuple[str, str, str | None]]] = {
    "ldn-multiple-sclerosis": [
        ("ldn-well-tolerated-affordable-option", "C-EO", "opinion"),
        ("ldn-reduces-spasticity", "C-LD", "limited-design"),
        ("ldn-raises-beta-endorphin", "C-LD", "mechanism"),
        ("ldn-well-tolerated-in-ppms-pilot", "C-LD", "limited-design"),
        ("ldn-reduces-fatigue", "C-LD", "limited-design"),
        ("ldn-improves-quality-of-life", "C-LD", "randomized"),
        ("ldn-improves-mental-well-being", "C-LD", "randomized"),
        ("ldn-side-effects-mild", "C-LD", "randomized"),
        ("ldn-serious-side-effects-rare", "C-LD", "randomized"),
        ("ldn-stable-disease-long-term", "C-LD", "nonrandomized"),
        ("ldn-safe-with-standard-treatments", "C-LD", "nonrandomized"),
        ("ldn-does-not-worsen-ms", "C-LD", "nonrandomized"),
        ("ldn-blood-tests-unaffected", "C-LD", "nonrandomized"),
        ("ldn-modulates-immune-response-in-ms", "C-LD", "mechanism"),
        ("ldn-restores-ogf-in-eae-mice", "No evidence", None),
        ("ldn-proposed-for-ms-symptoms-2005", "C-EO", "opinion"),
        ("ldn-symptom-relief-add-on", "C-LD", "randomized"),
        ("ldn-not-a-cure", "C-EO", "opinion"),
        ("ldn-helps-fatigue-stiffness-mood", "C-LD", "randomized"),
        ("ldn-patients-report-more-energy", "C-LD", "randomized"),
        ("ldn-blocks-opioid-painkillers", "C-EO", "opinion"),
        ("ldn-dose-titration", "C-EO", "opinion"),
        ("ldn-is-very-safe", "C-EO", "opinion"),
        ("ldn-safe-affordable-option", "C-LD", "randomized"),
        ("ldn-low-risk-option", "C-LD", "limited-design"),
        ("ldn-without-strong-side-effects-of-other-ms-drugs", "C-EO", "opinion"),
        ("ldn-usual-dose-3-to-4-5-mg", "C-EO", "opinion"),
        ("ldn-better-sleep-less-fatigue-mood-spasms", "C-LD", "randomized"),
        ("ldn-full-benefit-within-three-months", "No evidence", None),
        ("ldn-faq-safe-alongside-standard-treatments", "C-LD", "nonrandomized"),
    ],
    "ldn-mast-cell-activation": [
        ("ldn-may-benefit-mcas", "C-LD", "nonrandomized"),
        ("ldn-ivig-improved-mcas-case", "C-LD", "limited-design"),
        ("ldn-antibiotics-helped-other-mcas-patients", "C-EO", "opinion"),
        ("ldn-is-tlr4-antagonist", "No evidence", None),
        ("ldn-tlr4-antagonist-reduces-inflammation", "No evidence", None),
        ("ldn-improves-fibromyalgia-2009", "C-LD", "nonrandomized"),
        ("ldn-lowers-cytokines-in-fibromyalgia", "C-LD", "limited-design"),
        ("ldn-reduces-fibromyalgia-pain", "C-LD", "limited-design"),
        ("ldn-reduces-mast-cell-activity-psoriasis", "C-EO", "opinion"),
        ("ldn-inhibits-cell-proliferation", "No evidence", None),
        ("ldn-reduces-pain-autoimmune-cancer", "No evidence", None),
        ("ldn-endorphins-make-patients-feel-better", "No evidence", None),
        ("ldn-immunoregulatory-t-lymphocytes", "No evidence", None),
        ("ldn-may-act-by-blocking-tlrs-in-mcas", "C-EO", "opinion"),
        ("ldn-typical-dose-1-5-to-4-5-mg", "No evidence", None),
    ],
    "ketamine-multiple-sclerosis": [
        ("ketamine-reduces-ms-fatigue", "C-LD", "randomized"),
        ("ketamine-relieves-depression-in-ms", "C-LD", "randomized"),
        ("ketamine-case-report-mood-maintained", "C-LD", "limited-design"),
        ("ketamine-case-report-no-ms-worsening", "C-LD", "limited-design"),
        ("ketamine-protects-spinal-cord-in-mice", "No evidence", None),
        ("ketamine-prophylactic-for-ms", "C-EO", "opinion"),
        ("ketamine-neuroprotective-in-ms", "C-EO", "opinion"),
        ("ketamine-symptom-relief-ms", "C-LD", "randomized"),
        ("ketamine-social-media-reports", "No evidence", None),
        ("ketamine-nmda-neuroplasticity", "C-EO", "opinion"),
        ("ketamine-side-effects", "No evidence", None),
        ("ms-has-no-cure", "C-EO", "opinion"),
        ("ketamine-rapid-effects-depression-fatigue-pain", "C-EO", "opinion"),
        ("antidepressants-stimulants-work-less-well-in-ms", "No evidence", None),
    ],
}
CASES = [(file, *row) for file, rows in EXPECTED.items() for row in rows]


@pytest.fixture(scope="module")
def seeds() -> dict[str, evigrade.EvidenceFile]:
    return {name: evigrade.load(EXAMPLES / f"{name}.json") for name in SEEDS}


def test_every_seed_claim_is_pinned(seeds: dict[str, evigrade.EvidenceFile]) -> None:
    pinned = {(file, claim) for file, claim, _, _ in CASES}
    assert pinned == {(name, c.id) for name, evidence in seeds.items() for c in evidence.claims}


@pytest.mark.parametrize(("file", "claim", "label", "rule"), CASES)
def test_seed_claims_are_graded_as_a_reviewer_would(
    seeds: dict[str, evigrade.EvidenceFile], file: str, claim: str, label: str, rule: str | None
) -> None:
    result = grade_of(seeds[file], claim)
    assert result.label == label
    assert result.rationale[0].rule == (None if rule is None else f"aha-loe.{rule}")


def test_seed_two_small_rcts_without_sizes_or_assessments_are_c_ld(
    seeds: dict[str, evigrade.EvidenceFile],
) -> None:
    """Two MS trials of LDN of unreported size, one a pilot, one inconclusive, neither with a
    risk-of-bias assessment: randomized, but with limitations (risk of bias counted as unclear,
    imprecision). One inconclusive result next to a supporting one is not inconsistency."""
    result = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-improves-mental-well-being")
    assert result.rationale[0].reason.startswith(
        "C-LD: randomized trials with limitations of design or execution (serious risk of "
        "bias, serious imprecision)"
    )
    assert result.direction == "mixed"


def test_seed_trials_without_a_risk_of_bias_assessment_follow_the_policy(
    seeds: dict[str, evigrade.EvidenceFile],
) -> None:
    """The same policy as every scheme: counted as unclear, the unassessed 2010 trials' risk of
    bias is a concern (C-LD with their imprecision); not rated, only imprecision is (B-R)."""
    unclear = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-side-effects-mild")
    not_rated = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-side-effects-mild", "not-rated")
    assert (unclear.label, not_rated.label) == ("C-LD", "B-R")
    risk = next(s for s in unclear.rationale if s.domain == "risk_of_bias")
    assert risk.rule == "risk_of_bias.not-assessed"
    assert "counted as unclear (policy unclear)" in risk.reason


def test_seed_reviewer_judgment_wins(seeds: dict[str, evigrade.EvidenceFile]) -> None:
    result = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-serious-side-effects-rare")
    check = next(s for s in result.rationale if s.kind == "check" and s.domain == "imprecision")
    assert (check.domain, check.rating, check.source) == ("imprecision", "very-serious", "reviewer")
    assert "also cited, C-EO" in reasons(result)


def test_seed_a_single_unsized_nonrandomized_trial_is_not_b_nr(
    seeds: dict[str, evigrade.EvidenceFile],
) -> None:
    """The 2009 fibromyalgia trial: nonrandomized, size not reported (serious imprecision),
    so not "well-designed, well-executed" as far as the file can show."""
    result = grade_of(seeds["ldn-mast-cell-activation"], "ldn-improves-fibromyalgia-2009")
    assert result.label == "C-LD"
    assert "(serious risk of bias, serious imprecision)" in result.rationale[0].reason


def test_seed_claims_about_mice_have_no_evidence_under_aha(
    seeds: dict[str, evigrade.EvidenceFile],
) -> None:
    result = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-restores-ogf-in-eae-mice")
    assert "only animal study cited" in result.rationale[0].reason
    assert "the claim is about mice" in result.rationale[0].reason
    assert len(result.excluded) == 4


def test_seed_mechanism_claim_in_humans_is_c_ld(seeds: dict[str, evigrade.EvidenceFile]) -> None:
    result = grade_of(seeds["ldn-multiple-sclerosis"], "ldn-raises-beta-endorphin")
    assert result.rationale[0].reason == (
        "C-LD: physiological or mechanistic studies in human subjects (the claim is about a "
        "mechanism): gironi-2008: single-arm trial: no comparison group"
    )


# -- properties ----------------------------------------------------------------------------------


def _grades(data: dict[str, Any]) -> list[evigrade.Grade]:
    evidence = evigrade.from_data(data)
    return [grade_of(evidence, claim.id) for claim in evidence.claims]


@given(gen.evidence_files())
@SETTINGS
def test_no_evidence_exactly_when_nothing_counted(data: dict[str, Any]) -> None:
    for result in _grades(data):
        assert (result.rank == 0) == (result.counted == ())
        assert result.label in LABELS


# -- evigrade's conformance kit ------------------------------------------------------------------


def test_passes_the_conformance_kit() -> None:
    conformance = pytest.importorskip("evigrade.testing.conformance")
    conformance.check_scheme(SCHEME, registry=BUILTINS)


def test_keeps_the_improvement_properties_under_the_not_rated_policy() -> None:
    """The same policy for risk of bias not recorded as every scheme, with the kit's
    improvements (blinding recorded never counts against a study that recorded nothing)."""
    conformance = pytest.importorskip("evigrade.testing.conformance")
    options = evigrade.plugin.GradingOptions(unassessed_risk="not-rated")
    conformance.check_improvements(SCHEME, registry=BUILTINS, max_examples=30, options=options)


# -- installed: the command line -----------------------------------------------------------------


installed = pytest.mark.evigrade_installed(DISTRIBUTION)


@installed
def test_installed_the_scheme_is_in_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIGRADE_DISABLE_PLUGINS", raising=False)
    registry = evigrade.get_registry()
    assert registry.schemes[NAME] is SCHEME
    assert registry.owner("scheme", NAME) == "aha-loe"
    assert NAME not in evigrade.get_registry(disable=("aha-loe",)).schemes


@installed
def test_installed_evigrade_schemes_lists_it(evigrade_cli: Runner) -> None:
    done = evigrade_cli("schemes")
    assert done.returncode == 0, done.stderr
    assert "aha-loe: ACC/AHA Level of Evidence [aha-loe]" in done.stdout
    assert "labels (rank 0 up): No evidence < C-EO < C-LD < B-NR < B-R < A" in done.stdout


@installed
def test_installed_evigrade_plugins_lists_it(evigrade_cli: Runner) -> None:
    done = evigrade_cli("plugins")
    assert done.returncode == 0, done.stderr
    version = importlib.metadata.version(DISTRIBUTION)
    assert f"aha-loe  ({DISTRIBUTION} {version}, third-party, loaded)" in done.stdout
    assert "hooks: evigrade_register_schemes" in done.stdout


@installed
def test_installed_evigrade_grade_json_with_the_scheme(evigrade_cli: Runner) -> None:
    done = evigrade_cli(
        "grade", "examples/ldn-multiple-sclerosis.json", "--scheme", NAME, "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    grades = {claim["id"]: claim["grades"][NAME] for claim in document["claims"]}
    expected = {claim: label for claim, label, _ in EXPECTED["ldn-multiple-sclerosis"]}
    assert {claim: g["label"] for claim, g in grades.items()} == expected
    first = grades["ldn-reduces-spasticity"]["rationale"][0]
    assert (first["kind"], first["rule"], first["source"]) == (
        "level",
        "aha-loe.limited-design",
        "scheme",
    )


@installed
def test_installed_disable_plugin_leaves_it_out(evigrade_cli: Runner) -> None:
    done = evigrade_cli(
        "--disable-plugin",
        "aha-loe",
        "grade",
        "examples/ldn-multiple-sclerosis.json",
        "--scheme",
        NAME,
    )
    assert done.returncode != 0
    assert "aha-loe" in done.stderr
