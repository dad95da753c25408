"""Tests of the NHMRC scheme: each study's level, each body-of-evidence component, the rule that
A or B need evidence base and consistency both A or B, the states without evidence, the seed
examples, the properties every scheme must have, and the installed plugin on the command line.

Grades are computed with evigrade's built-in designs and assessors only
(``get_registry(disable=("*",))``), so that other installed plugins cannot change them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from evigrade_nhmrc import LABELS, SCHEME, study_level
from hypothesis import given, settings

import evigrade
from evigrade.testing import strategies as gen
from evigrade.testing.pytest_plugin import Runner

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
REGISTRY = evigrade.get_registry(disable=("*",))

PROPERTIES = settings(parent=settings.get_profile("evigrade-plugin"))

NO_PARTICIPANTS = ("expert-opinion", "guideline", "narrative-review", "mechanistic", "in-vitro")

# -- building evidence files --------------------------------------------------------------------


def study(study_id: str, design: str, n: int | None = 500, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": study_id, "design": design}
    if design not in NO_PARTICIPANTS:
        data["n"] = 1 if design == "case-report" else n
    data.update(extra)
    return data


def rct(
    study_id: str, n: int | None = 1000, rob: str | None = "low", **extra: Any
) -> dict[str, Any]:
    """A double-blind placebo-controlled trial, RoB 2 overall ``rob``."""
    extra.setdefault("blinding", "double")
    extra.setdefault("control", "placebo")
    if rob is not None:
        extra.setdefault("risk_of_bias", {"tool": "rob2", "overall": rob})
    return study(study_id, "rct", n, **extra)


def cohort(study_id: str, rob: str | None = "low", **extra: Any) -> dict[str, Any]:
    """A prospective cohort with a concurrent control group, ROBINS-I overall ``rob``."""
    extra.setdefault("control", "usual-care")
    if rob is not None:
        extra.setdefault("risk_of_bias", {"tool": "robins-i", "overall": rob})
    return study(study_id, "prospective-cohort", 2000, **extra)


def link(study_id: str, direction: str = "supports", **extra: Any) -> dict[str, Any]:
    return {"study": study_id, "direction": direction, **extra}


def rr(estimate: float, low: float, high: float) -> dict[str, Any]:
    return {"measure": "RR", "estimate": estimate, "ci_low": low, "ci_high": high}


def evidence_file(
    studies: list[dict[str, Any]], evidence: list[dict[str, Any]] | None = None, **claim: Any
) -> dict[str, Any]:
    """One claim citing ``evidence`` (by default every study, supporting the claim)."""
    if evidence is None:
        evidence = [link(s["id"]) for s in studies]
    return {
        "evigrade": "1",
        "studies": studies,
        "claims": [{"id": "the-claim", "text": "The claim", "evidence": evidence, **claim}],
    }


def grade_of(data: dict[str, Any], unassessed_risk: str = "unclear") -> evigrade.Grade:
    evidence = evigrade.from_data(data)
    options = evigrade.plugin.GradingOptions(unassessed_risk=unassessed_risk)
    return SCHEME.grade(evigrade.plugin.assess(evidence.claims[0], evidence, REGISTRY, options))


def components(grade: evigrade.Grade) -> dict[str, str]:
    """Each component's rating letter ("not applicable" when it is), by component name."""
    found = {}
    for step in grade.rationale:
        name, _, rest = step.reason.partition(": ")
        if step.kind == "check" and name in COMPONENTS:
            found[name] = "not applicable" if rest.startswith("not applicable") else rest[0]
    return found


def component_reason(grade: evigrade.Grade, name: str) -> str:
    return next(s.reason for s in grade.rationale if s.reason.startswith(f"{name}: "))


COMPONENTS = (
    "Evidence base",
    "Consistency",
    "Clinical impact",
    "Generalisability",
    "Applicability",
)


def level_steps(grade: evigrade.Grade) -> dict[str, str]:
    return {
        step.studies[0]: step.reason
        for step in grade.rationale
        if step.kind == "level" and len(step.studies) == 1 and ": level " in step.reason
    }


# -- levels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "extra", "level"),
    [
        ("meta-analysis", {}, "I"),
        ("systematic-review", {"of": "cluster-rct"}, "I"),
        ("rct", {}, "II"),
        ("rct", {"pilot": True}, "II"),
        ("crossover-rct", {}, "II"),
        ("cluster-rct", {}, "II"),
        ("n-of-1-trial", {}, "II"),
        ("non-randomized-trial", {"control": "active"}, "III-2"),
        ("non-randomized-trial", {"control": "historical"}, "III-3"),
        ("prospective-cohort", {"control": "usual-care"}, "III-2"),
        ("retrospective-cohort", {}, "III-2"),
        ("case-control", {}, "III-2"),
        ("interrupted-time-series", {"control": "usual-care"}, "III-2"),
        ("interrupted-time-series", {}, "III-3"),
        ("systematic-review", {"of": "retrospective-cohort"}, "III-2"),
        ("meta-analysis", {"of": "case-series"}, "IV"),
        ("cross-sectional", {}, "IV"),
        ("ecological", {}, "IV"),
        ("retrospective-cohort", {"control": "none"}, "IV"),  # a chart review: a case series
        ("single-arm-trial", {}, "IV"),
        ("case-series", {}, "IV"),
        ("case-report", {}, "IV"),
    ],
)
def test_level_of_each_design_is_shown_for_the_study(
    design: str, extra: dict[str, Any], level: str
) -> None:
    n = 1 if design == "n-of-1-trial" else 500
    grade = grade_of(evidence_file([study("s", design, n, **extra)]))
    assert grade.rank > 0
    assert level_steps(grade)["s"].startswith(f"s: level {level}, ")


@pytest.mark.parametrize(
    ("design", "extra", "why"),
    [
        ("animal", {"species": "mouse"}, "animal and laboratory studies have no level"),
        ("in-vitro", {}, "animal and laboratory studies have no level"),
        ("meta-analysis", {"of": "animal"}, "animal and laboratory studies have no level"),
        ("mechanistic", {}, "mechanism-based reasoning has no NHMRC level"),
        ("narrative-review", {}, "a narrative review has no NHMRC level"),
        ("guideline", {}, "a guideline has no NHMRC level"),
        ("anecdote", {}, "an anecdote"),
    ],
)
def test_designs_without_an_nhmrc_level_are_not_counted(
    design: str, extra: dict[str, Any], why: str
) -> None:
    grade = grade_of(evidence_file([study("s", design, None, **extra)]))
    assert grade.label == "No evidence"
    assert [note.study for note in grade.excluded] == ["s"]
    assert why in grade.excluded[0].reason


def test_study_level_is_public() -> None:
    evidence = evigrade.from_data(evidence_file([study("s", "retrospective-cohort")]))
    assessment = evigrade.plugin.assess(evidence.claims[0], evidence, REGISTRY)
    entry = study_level(assessment.items[0], assessment)
    assert (entry.level, entry.review) == ("III-2", False)


# -- evidence base -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("studies", "rating", "why"),
    [
        (
            [
                study(
                    "review",
                    "meta-analysis",
                    9000,
                    risk_of_bias={"tool": "other", "overall": "low"},
                )
            ],
            "A",
            "level I at low risk of bias (review)",
        ),
        ([rct("a"), rct("b"), rct("c")], "A", "several (more than two) level II at low risk"),
        ([rct("a")], "B", "one or two level II at low risk of bias (a)"),
        ([rct("a"), rct("b")], "B", "one or two level II at low risk of bias (a, b)"),
        ([cohort("a"), cohort("b"), cohort("c")], "B", "several level III studies at low risk"),
        (
            [
                study(
                    "review",
                    "systematic-review",
                    40000,
                    of="prospective-cohort",
                    risk_of_bias={"tool": "other", "overall": "low"},
                )
            ],
            "B",
            "a systematic review of level III studies at low risk of bias (review)",
        ),
        ([cohort("a")], "C", "level III at low risk of bias (a)"),
        ([rct("a", rob="some-concerns")], "C", "level I or II at moderate risk of bias (a)"),
        ([rct("a", rob=None)], "C", "level I or II at moderate risk of bias (a)"),
        ([study("a", "case-series")], "D", "level IV (a)"),
        ([rct("a", rob="high")], "D", "level I to III at high risk of bias (a)"),
        ([rct("a", rob=None, blinding="none")], "D", "level I to III at high risk of bias (a)"),
        ([cohort("a", rob="moderate")], "D", "meets none of the requirements for A, B or C"),
        ([cohort("a", rob=None)], "D", "meets none of the requirements for A, B or C"),
    ],
)
def test_evidence_base(studies: list[dict[str, Any]], rating: str, why: str) -> None:
    grade = grade_of(evidence_file(studies))
    assert components(grade)["Evidence base"] == rating
    assert why in component_reason(grade, "Evidence base")


def test_risk_of_bias_is_shown_for_each_study_with_its_source() -> None:
    grade = grade_of(
        evidence_file(
            [rct("low", rob="low"), rct("open", rob=None, blinding="none"), rct("x", rob=None)]
        )
    )
    steps = level_steps(grade)
    assert "risk of bias low: rob2 overall low" in steps["low"]
    assert "risk of bias high: open-label, so participants and assessors knew" in steps["open"]
    assert (
        "risk of bias moderate: randomized, double-blind, placebo-controlled; allocation "
        "concealment and attrition not recorded, so some concerns at best (design features); "
        "what is not recorded counted as some concerns (policy unclear)"
    ) in steps["x"]
    assert next(s for s in grade.rationale if s.studies == ("open",)).source == "rule"


def test_unassessed_risk_of_bias_follows_the_policy_of_every_scheme() -> None:
    trial = rct("a", rob=None, blinding="unknown", control=None)
    del trial["control"]
    unclear = grade_of(evidence_file([trial]))
    assert components(unclear)["Evidence base"] == "C"
    assert "counted as unclear (policy unclear)" in level_steps(unclear)["a"]
    not_rated = grade_of(evidence_file([trial]), "not-rated")
    assert components(not_rated)["Evidence base"] == "B"
    assert "one or two level II with risk of bias not rated (policy not-rated) (a)" in (
        component_reason(not_rated, "Evidence base")
    )
    # A recorded flaw counts whatever the policy.
    open_label = grade_of(evidence_file([rct("b", rob=None, blinding="none")]), "not-rated")
    assert components(open_label)["Evidence base"] == "D"


def test_a_review_is_banded_by_where_most_of_its_included_studies_lie() -> None:
    review = study(
        "m",
        "meta-analysis",
        3000,
        included_studies=6,
        included_risk_of_bias={"tool": "rob2", "low": 4, "high": 2},
    )
    grade = grade_of(evidence_file([review]))
    assert components(grade)["Evidence base"] == "A"
    assert "4 of 6 included studies at low risk (rob2)" in level_steps(grade)["m"]
    review["included_risk_of_bias"] = {"tool": "rob2", "low": 2, "high": 4}
    assert components(grade_of(evidence_file([review])))["Evidence base"] == "D"


def test_a_reviewer_can_judge_the_risk_of_bias_low() -> None:
    data = evidence_file(
        [rct("a", rob=None)],
        judgments={"risk_of_bias": {"rating": "not-serious"}},
    )
    grade = grade_of(data)
    assert components(grade)["Evidence base"] == "B"
    assert "risk of bias low" in level_steps(grade)["a"]


# -- consistency -------------------------------------------------------------------------------


def test_consistency_is_not_applicable_to_a_single_study() -> None:
    grade = grade_of(evidence_file([rct("a")]))
    assert components(grade)["Consistency"] == "not applicable"
    assert "a single study: consistency is not applicable (NHMRC)" in component_reason(
        grade, "Consistency"
    )


@pytest.mark.parametrize(
    ("directions", "rating", "why"),
    [
        (("supports", "supports", "supports"), "A", "all studies consistent"),
        # An inconclusive result does not contradict the others (GRADE 7).
        (("supports", "supports", "inconclusive"), "A", "all studies consistent"),
        (("supports", "contradicts"), "C", "some inconsistency"),
    ],
)
def test_consistency_from_evigrades_inconsistency_judgment(
    directions: tuple[str, ...], rating: str, why: str
) -> None:
    studies = [rct(f"t{index}") for index in range(len(directions))]
    evidence = [link(s["id"], d) for s, d in zip(studies, directions, strict=True)]
    grade = grade_of(evidence_file(studies, evidence))
    assert components(grade)["Consistency"] == rating
    reason = component_reason(grade, "Consistency")
    assert why in reason
    step = next(s for s in grade.rationale if s.reason.startswith("Consistency"))
    assert step.rule == "inconsistency.directions"


def test_consistency_from_i_squared() -> None:
    studies = [rct("a"), rct("b")]
    evidence = [
        link("a", effect=rr(0.5, 0.4, 0.62)),
        link("b", effect=rr(0.95, 0.85, 1.06)),
    ]
    grade = grade_of(evidence_file(studies, evidence))
    assert components(grade)["Consistency"] == "C"
    assert "I² =" in component_reason(grade, "Consistency")


def test_a_reviewer_judgment_of_consistency_wins_even_for_one_review() -> None:
    data = evidence_file(
        [study("review", "meta-analysis", 9000)],
        judgments={"inconsistency": {"rating": "serious", "reason": "I² = 68% in the review"}},
    )
    grade = grade_of(data)
    assert components(grade)["Consistency"] == "C"
    step = next(s for s in grade.rationale if s.reason.startswith("Consistency"))
    assert step.source == "reviewer"


# -- clinical impact ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "effect", "direction", "rating", "why"),
    [
        (2000, rr(0.15, 0.08, 0.28), "supports", "A", "very large effect"),
        (2000, rr(0.4, 0.3, 0.53), "supports", "B", "large effect"),
        (2000, rr(0.8, 0.7, 0.9), "supports", "C", "a clear effect (supports the claim)"),
        (2000, rr(0.98, 0.9, 1.07), "inconclusive", "D", "no clear effect (results none)"),
        (120, rr(0.4, 0.3, 0.53), "supports", "C", "one step lower for imprecision"),
        (120, None, "supports", "D", "one step lower for imprecision"),
    ],
)
def test_clinical_impact(
    n: int, effect: dict[str, Any] | None, direction: str, rating: str, why: str
) -> None:
    extra = {"effect": effect} if effect else {}
    grade = grade_of(evidence_file([rct("a", n)], [link("a", direction, **extra)]))
    assert components(grade)["Clinical impact"] == rating
    assert why in component_reason(grade, "Clinical impact")


# -- generalisability and applicability --------------------------------------------------------


def _three(applicability: list[dict[str, str] | None], **claim: Any) -> evigrade.Grade:
    studies = [rct(f"t{index}") for index in range(3)]
    evidence = [
        link(s["id"], "supports", **({"applicability": a} if a else {}))
        for s, a in zip(studies, applicability, strict=True)
    ]
    return grade_of(evidence_file(studies, evidence, **claim))


@pytest.mark.parametrize(
    ("applicability", "rating"),
    [
        ([None, None, None], "A"),
        ([{"population": "indirect"}, None, None], "B"),
        ([{"population": "indirect"}, {"population": "indirect"}, None], "C"),
        ([{"population": "very-indirect"}, {"population": "very-indirect"}, None], "D"),
        ([{"outcome": "very-indirect"}] * 3, "A"),  # the outcome is applicability's concern
    ],
)
def test_generalisability_from_the_populations(
    applicability: list[dict[str, str] | None], rating: str
) -> None:
    assert components(_three(applicability))["Generalisability"] == rating


def test_generalisability_of_human_studies_for_a_claim_about_mice_is_d() -> None:
    grade = grade_of(evidence_file([rct("a")], species="mouse"))
    assert components(grade)["Generalisability"] == "D"
    assert "human for a claim about mice" in component_reason(grade, "Generalisability")


@pytest.mark.parametrize(
    ("applicability", "rating"),
    [
        ([None, None, None], "A"),
        ([{"outcome": "indirect"}, None, None], "B"),
        ([{"intervention": "indirect"}, {"comparator": "indirect"}, None], "C"),
        ([{"outcome": "very-indirect"}, {"outcome": "very-indirect"}, None], "D"),
        ([{"population": "very-indirect"}] * 3, "A"),  # the population is generalisability's
    ],
)
def test_applicability_from_intervention_comparator_and_outcome(
    applicability: list[dict[str, str] | None], rating: str
) -> None:
    assert components(_three(applicability))["Applicability"] == rating


def test_a_surrogate_outcome_makes_applicability_at_best_c() -> None:
    grade = _three([None, None, None], outcome_kind="surrogate")
    assert components(grade)["Applicability"] == "C"
    assert "surrogate" in component_reason(grade, "Applicability")


def test_a_reviewer_indirectness_judgment_sets_generalisability_and_applicability() -> None:
    grade = _three(
        [{"population": "indirect"}] * 3,
        judgments={"indirectness": {"rating": "not-serious"}},
    )
    assert components(grade)["Generalisability"] == "A"
    assert components(grade)["Applicability"] == "A"
    grade = _three([None] * 3, judgments={"indirectness": {"rating": "serious", "reason": "x"}})
    assert components(grade)["Generalisability"] == "C"
    assert components(grade)["Applicability"] == "C"


# -- the grade and the A/B rule ----------------------------------------------------------------


def test_every_component_a_gives_a() -> None:
    studies = [rct(f"t{index}", 2000) for index in range(3)]
    evidence = [link(s["id"], effect=rr(0.15, 0.08, 0.28)) for s in studies]
    grade = grade_of(evidence_file(studies, evidence))
    assert set(components(grade).values()) == {"A"}
    assert (grade.label, grade.rank) == ("A", 4)
    assert grade.rationale[0].reason.startswith(
        "A: the body of evidence can be trusted to guide practice"
    )


def test_a_or_b_need_evidence_base_and_consistency_both_a_or_b() -> None:
    """Evidence base A (three good trials), consistency C: every other component A, but the
    grade is C."""
    studies = [rct(f"t{index}", 2000) for index in range(3)]
    evidence = [
        link("t0", effect=rr(0.15, 0.08, 0.28)),
        link("t1", effect=rr(0.15, 0.08, 0.28)),
        link("t2", effect=rr(0.05, 0.03, 0.07)),  # its CI does not overlap the others'
    ]
    grade = grade_of(evidence_file(studies, evidence))
    assert components(grade) == {
        "Evidence base": "A",
        "Consistency": "C",
        "Clinical impact": "A",
        "Generalisability": "A",
        "Applicability": "A",
    }
    assert grade.label == "C"
    down = [s for s in grade.rationale if s.kind == "down"]
    assert len(down) == 1
    assert down[0].reason.startswith(
        "A or B require the evidence base and consistency both rated A or B (NHMRC): "
        "consistency C, so C"
    )
    assert down[0].change == -2


def test_the_grade_is_never_above_the_evidence_base() -> None:
    """One good trial with a very large effect: evidence base B, the rest A or not
    applicable: B."""
    grade = grade_of(evidence_file([rct("a", 2000)], [link("a", effect=rr(0.15, 0.08, 0.28))]))
    assert components(grade)["Evidence base"] == "B"
    assert components(grade)["Consistency"] == "not applicable"
    assert grade.label == "B"
    assert "capped at the evidence base B" in reasons(grade)


def test_the_grade_is_the_middle_rating_of_the_components() -> None:
    """Evidence base A and consistency A, clinical impact D and generalisability and
    applicability C: the middle of A, A, C, C, D is C."""
    studies = [rct(f"t{index}", 2000) for index in range(3)]
    evidence = [
        link(
            s["id"], "inconclusive", applicability={"population": "indirect", "outcome": "indirect"}
        )
        for s in studies
    ]
    grade = grade_of(evidence_file(studies, evidence))
    assert components(grade) == {
        "Evidence base": "A",
        "Consistency": "A",
        "Clinical impact": "D",
        "Generalisability": "C",
        "Applicability": "C",
    }
    assert grade.label == "C"
    assert not any(s.kind == "down" for s in grade.rationale)


def reasons(grade: evigrade.Grade) -> str:
    return "\n".join(step.reason for step in grade.rationale)


# -- no evidence -------------------------------------------------------------------------------


def test_a_claim_without_evidence_is_no_evidence() -> None:
    grade = grade_of(evidence_file([], []))
    assert (grade.label, grade.rank, grade.direction) == ("No evidence", 0, "none")
    assert grade.rationale[0].reason == "no study is linked to this claim in the file"


def test_a_claim_with_only_pending_studies_is_no_evidence() -> None:
    data = evidence_file(
        [study("plan", "protocol", 200, randomized=True), rct("running", status="ongoing")],
        [link("plan", "inconclusive"), link("running", "inconclusive")],
    )
    grade = grade_of(data)
    assert grade.label == "No evidence"
    assert "only pending studies" in grade.rationale[0].reason
    assert [note.study for note in grade.pending] == ["plan", "running"]


def test_opinion_only_is_no_evidence_and_says_nhmrc_would_make_a_practice_point() -> None:
    grade = grade_of(evidence_file([study("panel", "expert-opinion")]))
    assert grade.label == "No evidence"
    assert "consensus-based recommendation or practice point" in grade.rationale[0].reason


def test_pending_studies_are_listed_next_to_a_graded_body() -> None:
    data = evidence_file(
        [rct("done"), study("plan", "protocol", 200)],
        [link("done"), link("plan", "inconclusive")],
    )
    grade = grade_of(data)
    assert grade.label == "B"
    assert grade.counted == ("done",)
    assert any(s.reason.startswith("pending:") for s in grade.rationale)


# -- the seed examples -------------------------------------------------------------------------

SEEDS = [
    # Two small RCTs without risk-of-bias assessments (evidence base C), one finding no
    # difference (consistency C), and an uncontrolled chart review.
    ("ldn-multiple-sclerosis", "ldn-improves-quality-of-life", "C"),
    # One uncontrolled pilot trial: level IV.
    ("ldn-multiple-sclerosis", "ldn-reduces-spasticity", "D"),
    # Opinion, a narrative review and mechanism-based reasoning: nothing with a level.
    ("ldn-multiple-sclerosis", "ldn-well-tolerated-affordable-option", "No evidence"),
    # Mouse studies: no level among NHMRC's intervention levels.
    ("ketamine-multiple-sclerosis", "ketamine-protects-spinal-cord-in-mice", "No evidence"),
    # One small pilot RCT (level II, risk of bias not assessed): evidence base C.
    ("ketamine-multiple-sclerosis", "ketamine-reduces-ms-fatigue", "C"),
    # A health-information page: expert opinion, a practice point at most.
    ("ketamine-multiple-sclerosis", "ms-has-no-cure", "No evidence"),
    # A case report, a fibromyalgia pilot without controls and a fibromyalgia trial of
    # unreported size and unassessed risk: evidence base D.
    ("ldn-mast-cell-activation", "ldn-may-benefit-mcas", "D"),
]


@pytest.mark.parametrize(("example", "claim_id", "label"), SEEDS)
def test_seed_examples(example: str, claim_id: str, label: str) -> None:
    path = EXAMPLES / f"{example}.json"
    if not path.is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    evidence = evigrade.load(path)
    grade = SCHEME.grade(evigrade.plugin.assess(evidence.claim(claim_id), evidence, REGISTRY))
    assert grade.label == label, reasons(grade)


def test_seed_quality_of_life_components() -> None:
    path = EXAMPLES / "ldn-multiple-sclerosis.json"
    if not path.is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    evidence = evigrade.load(path)
    claim = evidence.claim("ldn-improves-quality-of-life")
    grade = SCHEME.grade(evigrade.plugin.assess(claim, evidence, REGISTRY))
    # One trial supports, the other is inconclusive, neither with an effect recorded: an
    # inconclusive result does not contradict (GRADE 7), so no inconsistency is found.
    assert components(grade) == {
        "Evidence base": "C",
        "Consistency": "A",
        "Clinical impact": "D",
        "Generalisability": "A",
        "Applicability": "A",
    }
    steps = level_steps(grade)
    assert steps["cree-2010"].startswith("cree-2010: level II, randomized controlled trial")
    assert steps["turel-2015"].startswith("turel-2015: level IV")
    assert [n.study for n in grade.excluded] == ["courier-is-ldn-safe-2025"]


# -- properties every scheme must have ------------------------------------------------------------


def test_labels_are_in_rank_order() -> None:
    assert SCHEME.name == "nhmrc"
    assert SCHEME.labels == LABELS == ("No evidence", "D", "C", "B", "A")
    for rank, label in enumerate(SCHEME.labels):
        assert SCHEME.rank_of(label) == rank


def all_grades(data: dict[str, Any]) -> list[evigrade.Grade]:
    evidence = evigrade.from_data(data)
    return [SCHEME.grade(evigrade.plugin.assess(c, evidence, REGISTRY)) for c in evidence.claims]


@given(gen.evidence_files())
@PROPERTIES
def test_every_grade_counts_only_cited_studies_and_explains_every_step(
    data: dict[str, Any],
) -> None:
    """What this scheme promises beyond the conformance kit's properties (which
    test_passes_the_conformance_kit checks, once)."""
    evidence = evigrade.from_data(data)
    for claim in evidence.claims:
        assessment = evigrade.plugin.assess(claim, evidence, REGISTRY)
        grade = SCHEME.grade(assessment)
        assert grade.scheme == "nhmrc"
        assert SCHEME.labels[grade.rank] == grade.label
        assert grade.rationale
        assert all(step.reason for step in grade.rationale)
        assert set(grade.counted) <= {link.study for link in claim.evidence}
        assert list(grade.counted) == sorted(grade.counted)
        assert grade.pending == assessment.pending
        assert set(assessment.excluded) <= set(grade.excluded)
        assert (grade.rank == 0) == (not grade.counted)
        if grade.rank:
            found = components(grade)
            assert set(found) == set(COMPONENTS)
            assert found["Evidence base"] != "not applicable"
            assert grade.rank <= LABELS.index(found["Evidence base"])


def test_passes_the_conformance_kit() -> None:
    """evigrade's conformance kit, with the built-in designs and assessors only (other
    installed plugins' assessors must not decide whether this scheme conforms)."""
    conformance = pytest.importorskip("evigrade.testing.conformance")
    conformance.check_scheme(SCHEME, registry=REGISTRY)


def test_keeps_the_improvement_properties_under_the_not_rated_policy() -> None:
    """The same policy for risk of bias not recorded as every scheme, with the kit's
    improvements (blinding recorded never counts against a study that recorded nothing)."""
    conformance = pytest.importorskip("evigrade.testing.conformance")
    options = evigrade.plugin.GradingOptions(unassessed_risk="not-rated")
    conformance.check_improvements(SCHEME, registry=REGISTRY, max_examples=30, options=options)


# -- installed: the command line ------------------------------------------------------------------


@pytest.mark.evigrade_installed("evigrade-nhmrc", "nhmrc")
def test_the_installed_plugin_works_on_the_command_line(evigrade_cli: Runner) -> None:
    listed = evigrade_cli("schemes")
    assert listed.returncode == 0, listed.stderr
    assert "nhmrc: NHMRC levels of evidence and grades for recommendations [nhmrc]" in (
        listed.stdout
    )
    assert "No evidence < D < C < B < A" in listed.stdout
    if not (EXAMPLES / "ldn-multiple-sclerosis.json").is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    graded = evigrade_cli(
        "grade", "examples/ldn-multiple-sclerosis.json", "--scheme", "nhmrc", "--format", "json"
    )
    assert graded.returncode == 0, graded.stderr
    document = json.loads(graded.stdout)
    grades = {claim["id"]: claim["grades"]["nhmrc"] for claim in document["claims"]}
    assert grades["ldn-improves-quality-of-life"]["label"] == "C"
    assert grades["ldn-well-tolerated-affordable-option"]["label"] == "No evidence"
    assert all(g["rationale"] for g in grades.values())
