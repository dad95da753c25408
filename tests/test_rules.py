"""Real cases from the published rules (design/grading-rules.md), one behaviour per test."""

from __future__ import annotations

from typing import Any

import pytest

import evigrade
from evigrade.builtin.assessors.stats import optimal_information_size, or_to_rr, pool
from evigrade.model import Effect


def _grade(
    studies: list[dict[str, Any]], claim: dict[str, Any], unassessed_risk: str = "unclear"
) -> dict[str, evigrade.Grade]:
    base = {"id": "c", "text": "X helps", "evidence": []}
    data = {"evigrade": "1", "studies": studies, "claims": [{**base, **claim}]}
    evidence = evigrade.from_data(data)
    result = evigrade.grade_claim(evidence.claims[0], evidence, unassessed_risk=unassessed_risk)
    return dict(result.grades)


def _step(grade: evigrade.Grade, domain: str) -> evigrade.RationaleStep:
    return next(s for s in grade.rationale if s.domain == domain)


def _moves(grade: evigrade.Grade) -> dict[str, int]:
    return {s.domain or "level": s.change for s in grade.rationale if s.kind in ("down", "up")}


LOW_RISK = {"tool": "rob2", "overall": "low"}
LOW_RISK_NRSI = {"tool": "robins-i", "overall": "low"}
BIG_RCT = {
    "design": "rct",
    "n": 1200,
    "blinding": "double",
    "control": "placebo",
    "risk_of_bias": LOW_RISK,
}


def test_rcts_with_serious_risk_of_bias_and_serious_inconsistency_are_low() -> None:
    studies = [
        {"id": "a", "design": "rct", "n": 600, "risk_of_bias": {"tool": "rob2", "overall": "high"}},
        {"id": "b", "design": "rct", "n": 600, "risk_of_bias": {"tool": "rob2", "overall": "high"}},
        {"id": "c", "design": "rct", "n": 600, "risk_of_bias": {"tool": "rob2", "overall": "low"}},
    ]
    effects = [(0.6, 0.5, 0.72), (0.95, 0.8, 1.13), (0.62, 0.52, 0.74)]
    links = [
        {
            "study": s["id"],
            "direction": "supports" if e[0] < 0.9 else "inconclusive",
            "effect": {"measure": "RR", "estimate": e[0], "ci_low": e[1], "ci_high": e[2]},
        }
        for s, e in zip(studies, effects, strict=True)
    ]
    grade = _grade(studies, {"evidence": links, "outcome_type": "dichotomous"})["grade"]
    assert grade.label == "Low"
    assert _moves(grade) == {"risk_of_bias": -1, "inconsistency": -1}
    inconsistency = next(s for s in grade.rationale if s.domain == "inconsistency")
    assert inconsistency.rule == "inconsistency.between-studies"
    assert "CIs that do not overlap: a and b; b and c" in inconsistency.reason


def test_single_case_report_is_very_low() -> None:
    grades = _grade(
        [{"id": "r", "design": "case-report", "n": 1}],
        {"evidence": [{"study": "r", "direction": "supports"}]},
    )
    assert grades["grade"].label == "Very low"
    assert grades["grade"].rationale[0].reason.startswith("start Very low")
    assert grades["cebm-2011"].label == "Level 4"
    assert grades["pyramid"].label == "Case series or case report"


def test_mouse_only_evidence_for_a_human_claim_is_very_low_and_cebm_5() -> None:
    studies = [{"id": "m", "design": "animal", "species": "mouse", "n": 24, "randomized": True}]
    grades = _grade(studies, {"evidence": [{"study": "m", "direction": "supports"}]})
    assert grades["grade"].label == "Very low"
    assert _moves(grades["grade"])["indirectness"] == -2
    assert grades["cebm-2011"].label == "Level 5"
    step = next(s for s in grades["grade"].rationale if s.domain == "indirectness")
    assert step.rule == "indirectness.species" and "mouse evidence" in step.reason


def test_large_cohort_with_rr_below_0_2_and_nothing_to_rate_down_is_rated_up() -> None:
    studies = [
        {"id": "k", "design": "prospective-cohort", "n": 20000, "risk_of_bias": LOW_RISK_NRSI}
    ]
    link = {
        "study": "k",
        "direction": "supports",
        "effect": {"measure": "RR", "estimate": 0.15, "ci_low": 0.09, "ci_high": 0.25},
    }
    grades = _grade(studies, {"evidence": [link], "outcome_type": "dichotomous"})
    assert grades["grade"].label == "High"
    assert _moves(grades["grade"]) == {"large_effect": 2}
    assert grades["cebm-2011"].label == "Level 2"  # observational study with dramatic effect


def test_large_effect_is_not_applied_when_rated_down() -> None:
    studies = [{"id": "k", "design": "prospective-cohort", "n": 150}]
    link = {
        "study": "k",
        "direction": "supports",
        "effect": {"measure": "RR", "estimate": 0.3, "ci_low": 0.2, "ci_high": 0.45},
    }
    grade = _grade(studies, {"evidence": [link]})["grade"]
    assert grade.label == "Very low"
    check = next(s for s in grade.rationale if s.domain == "large_effect")
    assert check.kind == "check" and "not rated up" in check.reason


def test_randomized_trials_start_high_and_observational_low() -> None:
    rct = _grade([{"id": "t", **BIG_RCT}], {"evidence": [{"study": "t", "direction": "supports"}]})
    cohort = _grade(
        [{"id": "t", "design": "prospective-cohort", "n": 1200, "risk_of_bias": LOW_RISK_NRSI}],
        {"evidence": [{"study": "t", "direction": "supports"}]},
    )
    assert rct["grade"].label == "High" and rct["grade"].rationale[0].reason.startswith(
        "start High"
    )
    assert cohort["grade"].label == "Low"


def test_ci_including_no_effect_and_appreciable_benefit_is_imprecise() -> None:
    link = {
        "study": "t",
        "direction": "inconclusive",
        "effect": {"measure": "RR", "estimate": 0.8, "ci_low": 0.6, "ci_high": 1.05},
    }
    grade = _grade([{"id": "t", **BIG_RCT}], {"evidence": [link]})["grade"]
    step = next(s for s in grade.rationale if s.domain == "imprecision")
    assert (step.change, step.rule) == (-1, "imprecision.ci")
    assert "includes no effect and an appreciable effect" in step.reason


def test_ci_crossing_appreciable_benefit_and_harm_far_short_of_ois_is_extremely_serious() -> None:
    link = {
        "study": "t",
        "direction": "inconclusive",
        "effect": {"measure": "RR", "estimate": 1.0, "ci_low": 0.4, "ci_high": 2.5},
    }
    grade = _grade([{"id": "t", "design": "rct", "n": 60}], {"evidence": [link]})["grade"]
    step = next(s for s in grade.rationale if s.domain == "imprecision")
    assert (step.rating, step.change) == ("extremely-serious", -3)
    assert grade.label == "Very low"


def test_information_size_from_control_risk() -> None:
    # 10% control risk, RRR 25%, alpha 0.05, power 0.8: 2,002 a group (two-proportion formula).
    assert optimal_information_size(0.10) == 4004
    link = {"study": "t", "direction": "supports", "events": {"intervention": 120, "control": 160}}
    grade = _grade([{"id": "t", **BIG_RCT, "n": 2000}], {"evidence": [link]})["grade"]
    step = next(s for s in grade.rationale if s.domain == "imprecision")
    assert (
        "2,000 participants, short of the optimal information size of 2,356 (control risk "
        "16.0%, median control-group risk of the studies with event counts; relative risk "
        "reduction 25%, alpha 0.05, power 0.8)"
    ) in step.reason
    assert step.change == -1


def test_a_pilot_is_judged_on_its_size_not_rated_down_again_for_being_a_pilot() -> None:
    # A pilot is one reason a body falls short of its information size, not an extra level.
    def imprecision(n: int) -> evigrade.RationaleStep:
        grade = _grade(
            [{"id": "p", "design": "rct", "n": n, "pilot": True, "risk_of_bias": LOW_RISK}],
            {"evidence": [{"study": "p", "direction": "supports"}]},
        )["grade"]
        return _step(grade, "imprecision")

    small, large = imprecision(40), imprecision(900)
    assert (small.change, small.rule) == (-1, "imprecision.information-size")
    assert "40 participants (pilot: p, not powered for efficacy), short of" in small.reason
    assert large.change == 0 and "900 participants (pilot: p" in large.reason


def test_surrogate_outcomes_are_indirect() -> None:
    grade = _grade(
        [{"id": "t", **BIG_RCT}],
        {"outcome_kind": "surrogate", "evidence": [{"study": "t", "direction": "supports"}]},
    )["grade"]
    step = next(s for s in grade.rationale if s.domain == "indirectness")
    assert (step.change, step.rule) == (-1, "indirectness.surrogate")
    assert grade.label == "Moderate"


def test_small_industry_funded_body_suggests_publication_bias() -> None:
    studies = [{"id": f"s{i}", "design": "rct", "n": 40, "funding": "industry"} for i in range(3)]
    links = [{"study": s["id"], "direction": "supports"} for s in studies]
    grade = _grade(studies, {"evidence": links})["grade"]
    step = next(s for s in grade.rationale if s.domain == "publication_bias")
    assert step.change == -1 and "industry-funded" in step.reason


def test_reviewer_not_serious_overrides_the_automatic_judgment() -> None:
    claim = {
        "evidence": [{"study": "p", "direction": "supports"}],
        "judgments": {"imprecision": {"rating": "not-serious", "reason": "adequately powered"}},
    }
    grade = _grade([{"id": "p", "design": "rct", "n": 100, "risk_of_bias": LOW_RISK}], claim)[
        "grade"
    ]
    step = next(s for s in grade.rationale if s.domain == "imprecision")
    assert step.source == "reviewer" and step.change == 0
    assert "automatic rule imprecision.information-size gave serious" in step.reason
    assert grade.label == "High"


def test_reviewer_can_rate_up_for_plausible_confounding() -> None:
    claim = {
        "evidence": [{"study": "k", "direction": "supports"}],
        "judgments": {
            "plausible_confounding": {
                "rating": "present",
                "reason": "healthy-user bias would hide the effect",
            }
        },
    }
    cohort = {"id": "k", "design": "prospective-cohort", "n": 5000, "risk_of_bias": LOW_RISK_NRSI}
    grade = _grade([cohort], claim)["grade"]
    assert _moves(grade) == {"plausible_confounding": 1}
    assert grade.label == "Moderate"


def test_dose_response_rates_up_non_randomized_evidence() -> None:
    link = {"study": "k", "direction": "supports", "dose_response": True}
    cohort = {"id": "k", "design": "retrospective-cohort", "n": 5000, "risk_of_bias": LOW_RISK_NRSI}
    grade = _grade([cohort], {"evidence": [link]})["grade"]
    assert _moves(grade) == {"dose_response": 1}


def test_protocol_only_claim_has_the_no_evidence_state_not_very_low() -> None:
    studies = [{"id": "p", "design": "protocol", "n": 100, "status": "ongoing"}]
    grades = _grade(studies, {"evidence": [{"study": "p", "direction": "inconclusive"}]})
    for grade in grades.values():
        assert (grade.label, grade.rank, grade.direction) == ("No evidence", 0, "none")
        assert [n.study for n in grade.pending] == ["p"]


def test_expert_opinion_only_is_no_evidence_in_grade_but_a_pyramid_tier() -> None:
    grades = _grade(
        [{"id": "e", "design": "expert-opinion"}],
        {"evidence": [{"study": "e", "direction": "supports"}]},
    )
    assert grades["grade"].rank == 0
    assert "only expert opinion cited" in grades["grade"].rationale[0].reason
    assert grades["cebm-2011"].rank == 0
    assert grades["pyramid"].label == "Expert opinion or mechanistic reasoning"


def test_empty_evidence_is_no_evidence() -> None:
    grades = _grade([], {"evidence": []})
    assert {g.rank for g in grades.values()} == {0}


def test_retracted_studies_are_excluded() -> None:
    grades = _grade(
        [{"id": "t", **BIG_RCT, "status": "retracted"}],
        {"evidence": [{"study": "t", "direction": "supports"}]},
    )
    assert grades["grade"].rank == 0
    assert grades["grade"].excluded[0].reason == "retracted: not graded"


def test_cebm_harms_row_needs_numbers_to_rule_out_a_common_harm() -> None:
    small = _grade(
        [{"id": "k", "design": "prospective-cohort", "n": 120}],
        {"outcome_kind": "safety", "evidence": [{"study": "k", "direction": "supports"}]},
    )
    large = _grade(
        [{"id": "k", "design": "prospective-cohort", "n": 5000, "risk_of_bias": LOW_RISK_NRSI}],
        {"outcome_kind": "safety", "evidence": [{"study": "k", "direction": "supports"}]},
    )
    assert small["cebm-2011"].label == "Level 4"
    assert "harms row" in small["cebm-2011"].rationale[0].reason
    assert large["cebm-2011"].label == "Level 3"


def test_cebm_systematic_review_of_rcts_is_level_1() -> None:
    review = {
        "id": "m",
        "design": "meta-analysis",
        "n": 9000,
        "included_studies": 10,
        "included_risk_of_bias": {"tool": "rob2", "low": 10},
    }
    grades = _grade([review], {"evidence": [{"study": "m", "direction": "supports"}]})
    assert grades["cebm-2011"].label == "Level 1"
    assert grades["pyramid"].label == "Systematic review or meta-analysis"
    assert grades["grade"].label == "High"


def test_meta_analysis_of_cohorts_starts_low() -> None:
    review = {
        "id": "m",
        "design": "meta-analysis",
        "of": "prospective-cohort",
        "n": 9000,
        "included_studies": 6,
        "included_risk_of_bias": {"tool": "robins-i", "low": 6},
    }
    grades = _grade([review], {"evidence": [{"study": "m", "direction": "supports"}]})
    assert grades["grade"].label == "Low"
    assert grades["cebm-2011"].label == "Level 3"


def test_direction_of_the_evidence() -> None:
    studies = [{"id": "a", **BIG_RCT}, {"id": "b", **BIG_RCT}]

    def direction(*ds: str) -> str:
        links = [{"study": s, "direction": d} for s, d in zip("ab", ds, strict=False)]
        return _grade(studies, {"evidence": links})["grade"].direction

    assert direction("supports", "supports") == "supports"
    assert direction("contradicts") == "contradicts"
    assert direction("supports", "inconclusive") == "mixed"
    assert direction("contradicts", "inconclusive") == "contradicts"
    assert direction("inconclusive") == "none"


@pytest.mark.parametrize(("odds", "risk", "expected"), [(2.0, 0.1, 1.818), (0.5, 0.2, 0.556)])
def test_odds_ratio_to_risk_ratio(odds: float, risk: float, expected: float) -> None:
    assert or_to_rr(odds, risk) == pytest.approx(expected, abs=1e-3)


def test_fixed_effect_pooling_and_i_squared() -> None:
    same = pool([Effect("RR", 0.5, 0.4, 0.625), Effect("RR", 0.5, 0.4, 0.625)])
    assert same is not None and same.estimate == pytest.approx(0.5) and same.i_squared == 0
    apart = pool([Effect("RR", 0.5, 0.45, 0.55), Effect("RR", 1.5, 1.4, 1.6)])
    assert apart is not None and apart.i_squared is not None and apart.i_squared > 90


def test_a_meta_analysis_of_cohorts_is_not_randomized() -> None:
    data = {
        "evigrade": "1",
        "studies": [{"id": "m", "design": "meta-analysis", "of": "prospective-cohort", "n": 900}],
        "claims": [{"id": "c", "text": "t", "evidence": [{"study": "m", "direction": "supports"}]}],
    }
    evidence = evigrade.from_data(data)
    (item,) = evigrade.plugin.assess(evidence.claims[0], evidence, evigrade.get_registry()).items
    assert item.randomized is False
    assert item.included is not None and item.included.id == "prospective-cohort"


def test_i_squared_of_75_or_more_is_called_considerable() -> None:
    studies = [{"id": "a", **BIG_RCT}, {"id": "b", **BIG_RCT}]
    links = [
        {
            "study": "a",
            "direction": "supports",
            "effect": {"measure": "RR", "estimate": 0.5, "ci_low": 0.45, "ci_high": 0.55},
        },
        {
            "study": "b",
            "direction": "supports",
            "effect": {"measure": "RR", "estimate": 0.8, "ci_low": 0.75, "ci_high": 0.85},
        },
    ]
    grade = _grade(studies, {"evidence": links})["grade"]
    step = next(s for s in grade.rationale if s.domain == "inconsistency")
    assert "(considerable)" in step.reason and step.change == -1


# -- risk of bias (GRADE 4; Core GRADE 4; Cochrane Handbook 5.1 table 12.2.d) --------------------


def _supports(*ids: str) -> dict[str, Any]:
    return {"evidence": [{"study": i, "direction": "supports"} for i in ids]}


def test_a_trial_with_nothing_recorded_on_risk_of_bias_is_not_assessed_and_counted_unclear() -> (
    None
):
    grades = _grade([{"id": "t", "design": "rct", "n": 1200}], _supports("t"))
    step = _step(grades["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (-1, "risk_of_bias.not-assessed")
    assert step.reason.startswith(
        "risk of bias not assessed for 1 of 1 study, counted as unclear (policy unclear)"
    )
    assert "t: not assessed: no tool's assessment; blinding and a concurrent control" in (
        step.reason
    )
    assert "design flaw" not in step.reason
    assert grades["grade"].label == "Moderate"


def test_policy_not_rated_leaves_risk_of_bias_unrated_and_says_so() -> None:
    grades = _grade([{"id": "t", "design": "rct", "n": 1200}], _supports("t"), "not-rated")
    step = _step(grades["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (0, "risk_of_bias.not-assessed")
    assert "not rated down (policy not-rated)" in step.reason
    assert grades["grade"].label == "High"


def test_the_policy_is_the_same_in_every_built_in_scheme_that_weighs_risk_of_bias() -> None:
    study = {"id": "t", "design": "rct", "n": 1200}
    unclear = _grade([study], _supports("t"))
    not_rated = _grade([study], _supports("t"), "not-rated")
    # CEBM grades a level down for study quality under the default policy only.
    assert (unclear["cebm-2011"].label, not_rated["cebm-2011"].label) == ("Level 3", "Level 2")
    cebm = next(s for s in unclear["cebm-2011"].rationale if s.domain == "risk_of_bias")
    assert cebm.rule == "risk_of_bias.not-assessed"


def test_an_unknown_policy_is_refused_with_the_accepted_values() -> None:
    evidence = evigrade.from_data(
        {"evigrade": "1", "studies": [], "claims": [{"id": "c", "text": "t", "evidence": []}]}
    )
    with pytest.raises(ValueError, match="'unclear', 'not-rated'"):
        evigrade.grade_file(evidence, unassessed_risk="low")


def test_blinding_and_a_placebo_without_allocation_recorded_give_some_concerns() -> None:
    trial = {"id": "t", **{k: v for k, v in BIG_RCT.items() if k != "risk_of_bias"}}
    grades = _grade([trial], _supports("t"))
    step = _step(grades["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (-1, "risk_of_bias.design-features")
    assert (
        "t: randomized, double-blind, placebo-controlled; allocation concealment and attrition "
        "not recorded, so some concerns at best (design features)); what is not assessed "
        "counts as some concerns (policy unclear)"
    ) in step.reason
    relaxed = _grade([trial], _supports("t"), "not-rated")
    assert relaxed["grade"].label == "High"  # nothing recorded against it


@pytest.mark.parametrize("features", [{"blinding": "none"}, {"control": "historical"}])
def test_open_label_and_historical_controls_are_high_risk_whatever_the_policy(
    features: dict[str, str],
) -> None:
    study = {"id": "t", "design": "rct", "n": 1200, "control": "placebo", **features}
    for policy in ("unclear", "not-rated"):
        step = _step(_grade([study], _supports("t"), policy)["grade"], "risk_of_bias")
        assert (step.change, step.rule) == (-1, "risk_of_bias.design-features")
        assert "(design features)" in step.reason


def test_a_tool_assessment_decides_by_where_most_of_the_weight_lies() -> None:
    studies = [
        {"id": "a", **BIG_RCT},
        {"id": "b", **BIG_RCT},
        {"id": "c", **BIG_RCT, "risk_of_bias": {"tool": "rob2", "overall": "high"}},
    ]
    step = _step(_grade(studies, _supports("a", "b", "c"))["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (0, "risk_of_bias.assessed")
    assert "most of the weight at low risk of bias: 2 of 3 studies" in step.reason
    studies[1]["risk_of_bias"] = {"tool": "rob2", "overall": "some-concerns"}
    step = _step(_grade(studies, _supports("a", "b", "c"))["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (-1, "risk_of_bias.assessed")
    assert "most of the weight is not at low risk of bias: 2 of 3 studies" in step.reason


def test_most_weight_at_critical_risk_is_very_serious() -> None:
    studies = [
        {"id": "a", "design": "prospective-cohort", "n": 900, "control": "usual-care",
         "risk_of_bias": {"tool": "robins-i", "overall": "critical"}},
    ]  # fmt: skip
    step = _step(_grade(studies, _supports("a"))["grade"], "risk_of_bias")
    assert (step.change, step.rating) == (-2, "very-serious")
    assert "most of the weight at critical risk of bias: 1 of 1 study" in step.reason


def _review(**extra: Any) -> dict[str, Any]:
    return {"id": "m", "design": "meta-analysis", "n": 2400, "included_studies": 12, **extra}


def test_a_pooled_result_weighs_its_included_studies_by_their_counts() -> None:
    mostly_low = _review(included_risk_of_bias={"tool": "rob2", "low": 7, "high": 5})
    step = _step(_grade([mostly_low], _supports("m"))["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (0, "risk_of_bias.assessed")
    assert (
        "7 of 12 studies" in step.reason and "5 of 12 included studies at high risk" in step.reason
    )
    concerns = _review(
        included_risk_of_bias={"tool": "rob2", "low": 4, "some_concerns": 5, "high": 3}
    )
    step = _step(_grade([concerns], _supports("m"))["grade"], "risk_of_bias")
    assert (step.change, step.rule) == (-1, "risk_of_bias.assessed")
    assert "8 of 12 studies" in step.reason


def test_a_link_counts_the_studies_it_pools_and_uncounted_ones_follow_the_policy() -> None:
    link = {
        "study": "m",
        "direction": "supports",
        "included_studies": 4,
        "included_risk_of_bias": {"low": 2},
    }
    unclear = _step(_grade([_review()], {"evidence": [link]})["grade"], "risk_of_bias")
    assert (unclear.change, unclear.rule) == (-1, "risk_of_bias.not-assessed")
    assert (
        "m: 2 of 4 included studies at low risk, not assessed for 2 of 4 included studies"
    ) in unclear.reason
    relaxed = _grade([_review()], {"evidence": [link]}, "not-rated")["grade"]
    step = _step(relaxed, "risk_of_bias")
    assert step.change == 0 and "left out (policy not-rated)" in step.reason


def test_a_pooled_result_without_counts_is_not_assessed() -> None:
    step = _step(_grade([_review()], _supports("m"))["grade"], "risk_of_bias")
    assert step.rule == "risk_of_bias.not-assessed"
    assert "m: not assessed: no risk of bias recorded for its 12 included studies" in step.reason


# -- imprecision (GRADE 6, 34 and 35; Core GRADE 2) ------------------------------------------------


def _imprecision(
    effect: dict[str, Any] | None,
    n: int | None = 1200,
    *,
    claim: dict[str, Any] | None = None,
    events: dict[str, int] | None = None,
) -> evigrade.RationaleStep:
    study: dict[str, Any] = {"id": "t", "design": "rct", "n": n, "risk_of_bias": LOW_RISK}
    link: dict[str, Any] = {"study": "t", "direction": "supports"}
    if effect is not None:
        link["effect"] = effect
    if events is not None:
        link["events"] = events
    return _step(_grade([study], {"evidence": [link], **(claim or {})})["grade"], "imprecision")


def _effect(measure: str, estimate: float, low: float, high: float) -> dict[str, Any]:
    return {"measure": measure, "estimate": estimate, "ci_low": low, "ci_high": high}


@pytest.mark.parametrize(
    ("ci", "change", "words"),
    [
        ((0.80, 0.60, 1.10), -1, "includes no effect and an appreciable effect"),
        ((1.00, 0.60, 1.70), -2, "includes appreciable benefit and appreciable harm"),
        ((1.00, 0.30, 3.00), -3, "includes no effect and large effects both ways"),
        ((1.00, 0.85, 1.15), 0, "a precise estimate of little or no effect"),
    ],
)
def test_the_ci_is_judged_against_the_appreciable_and_large_thresholds(
    ci: tuple[float, float, float], change: int, words: str
) -> None:
    step = _imprecision(_effect("RR", *ci), 5000)
    assert (step.change, step.rule) == (change, "imprecision.ci")
    assert words in step.reason
    assert "thresholds: RR 0.75 and 1.25, GRADE 6's rough guide" in step.reason


def test_a_single_effect_is_judged_on_its_ci_as_reported() -> None:
    # Not rebuilt from the estimate: the reported interval excludes no effect.
    step = _imprecision(_effect("RR", 0.70, 0.45, 0.99), 200)
    assert step.change == 0
    assert "RR 0.70 (95% CI 0.45 to 0.99) excludes no effect" in step.reason
    # RR 0.70 is not a large relative effect (a reduction of more than 30%): no OIS check.
    assert "not a large relative effect, so the information size is not needed" in step.reason


def test_a_large_effect_is_checked_against_the_information_size_once() -> None:
    step = _imprecision(_effect("RR", 0.40, 0.25, 0.64), 150)
    assert (step.change, step.rule) == (-1, "imprecision.information-size")
    assert "150 participants, short of the optimal information size of 400" in step.reason
    assert "less than half of it (GRADE 34 lets a reviewer rate down twice)" in step.reason


def test_a_mean_difference_is_judged_in_units_of_the_sd_its_ci_implies() -> None:
    # SE 0.0204, SD = SE x sqrt(880) / 2 = 0.30: the CI is within +-0.15 (0.5 SD).
    step = _imprecision(_effect("MD", 0.0, -0.04, 0.04), 880)
    assert step.change == 0
    assert "a precise estimate of little or no effect" in step.reason
    assert "0.5 SD (SD 0.30 implied by the CI and 880 participants in two equal arms" in (
        step.reason
    )
    wide = _imprecision(_effect("MD", 0.0, -0.4, 0.4), 100)  # SD 1.02: A = 0.51, L = 0.82
    assert wide.change == 0  # within 0.5 SD as well
    crossing = _imprecision(_effect("MD", 0.3, -0.1, 0.7), 100)  # SD 1.02: crosses 0.51
    assert (crossing.change, crossing.rule) == (-1, "imprecision.ci")


def test_a_mean_difference_of_unknown_size_is_judged_on_no_effect_alone() -> None:
    step = _imprecision(_effect("MD", 0.3, -0.1, 0.7), None)
    assert step.change == -1
    assert "includes no effect, and no threshold of an appreciable effect is known" in step.reason


def test_the_claims_minimal_important_difference_sets_the_threshold() -> None:
    claim = {"thresholds": {"measure": "MD", "mid": 1.5}}
    beyond = _imprecision(_effect("MD", 2.0, 1.6, 2.4), 5000, claim=claim)
    crosses = _imprecision(_effect("MD", 1.0, 0.2, 1.8), 5000, claim=claim)
    both = _imprecision(_effect("MD", 0.1, -1.8, 2.0), 5000, claim=claim)
    within = _imprecision(_effect("MD", 0.1, -0.5, 0.7), 5000, claim=claim)
    assert [s.change for s in (beyond, crosses, both, within)] == [0, -1, -2, 0]
    assert "lies wholly beyond the minimal important difference" in beyond.reason
    assert "the claim's minimal important difference, MD 1.5" in crosses.reason
    assert "crosses the minimal important difference in both directions" in both.reason
    assert "little or no important effect" in within.reason


def test_a_risk_difference_is_judged_through_the_control_risk() -> None:
    unknown = _imprecision(_effect("RD", -0.01, -0.03, 0.01), 5000)
    assert unknown.change == -1 and "no threshold of an appreciable effect is known" in (
        unknown.reason
    )
    known = _imprecision(_effect("RD", -0.01, -0.03, 0.01), 5000, claim={"control_risk": 0.2})
    assert known.change == 0
    assert "RR 0.75 and 1.25 at a control risk of 20.0% (the claim's control risk)" in (
        known.reason
    )


def test_several_effects_are_pooled_by_random_effects() -> None:
    # y = 0 and 2, SE 1 each: Q = 2, tau2 = 1, weights 1/2: estimate 1, SE 1, I2 = 50%.
    low, high = -1.959963984540054, 1.959963984540054
    pooled = pool([Effect("MD", 0.0, low, high), Effect("MD", 2.0, 2 + low, 2 + high)])
    assert pooled is not None and pooled.k == 2
    assert pooled.estimate == pytest.approx(1.0)
    assert pooled.tau2 == pytest.approx(1.0) and pooled.i_squared == pytest.approx(50.0)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx((1 + low, 1 + high))
    one = pool([Effect("RR", 0.70, 0.45, 0.99)])
    assert one is not None and (one.estimate, one.ci_low, one.ci_high) == (0.70, 0.45, 0.99)


def test_a_body_without_a_ci_and_of_unknown_size_cannot_show_its_precision() -> None:
    step = _imprecision(None, None)
    assert (step.change, step.rule) == (-1, "imprecision.unknown-size")
    assert (
        step.reason == "precision cannot be shown: no confidence interval, and N not reported for t"
    )
    assert "no sign of imprecision" not in step.reason
    enough = _imprecision(None, 1200)
    assert enough.change == 0
    assert enough.reason.startswith(
        "no confidence interval; 1,200 participants meet the optimal information size of 400"
    )


def _harm_claim(text: str, **extra: Any) -> dict[str, Any]:
    return {"text": text, "outcome_kind": "safety", **extra}


@pytest.mark.parametrize(("n", "change"), [(80, -2), (1200, -1), (5000, 0)])
def test_a_claim_that_serious_harms_are_rare_needs_the_size_to_see_them(
    n: int, change: int
) -> None:
    step = _imprecision(None, n, claim=_harm_claim("Serious side effects of X are rare"))
    assert (step.change, step.rule) == (change, "imprecision.harms")
    assert 'harms rarer than 1 in 1,000 (the claim says "rare", CIOMS III)' in step.reason
    assert "ruled out" not in step.reason
    if change:
        assert f"a harm rarer than about 1 in {round(n / 3):,} could not have been detected" in (
            step.reason
        )
        assert "which needs 3,000 participants" in step.reason


def test_a_claim_of_no_harm_is_judged_against_a_common_harm_and_its_follow_up() -> None:
    claim = _harm_claim("X is well tolerated")
    step = _imprecision(None, 200, claim=claim)
    assert (step.change, step.rule) == (-1, "imprecision.harms")
    assert (
        "harms rarer than 1 in 100 (a common harm, as in the Oxford CEBM harms row), which "
        "needs 300 participants"
    ) in step.reason
    study = {"id": "t", "design": "rct", "n": 400, "duration": "P8W", "risk_of_bias": LOW_RISK}
    grade = _grade([study], {"evidence": [{"study": "t", "direction": "supports"}], **claim})
    followed = _step(grade["grade"], "imprecision")
    assert followed.change == 0
    assert "follow-up under 6 months in every study (P8W)" in followed.reason


def test_a_safety_claim_that_a_harm_occurs_is_judged_as_any_other() -> None:
    step = _imprecision(None, 200, claim=_harm_claim("X causes nausea"))
    assert step.rule == "imprecision.information-size"


# -- inconsistency (GRADE 7; Cochrane Handbook ch. 10.10.2) ---------------------------------------


def _inconsistency(links: list[dict[str, Any]], studies: list[dict[str, Any]]) -> Any:
    return _step(_grade(studies, {"evidence": links})["grade"], "inconsistency")


def _pooled_link(**extra: Any) -> dict[str, Any]:
    return {"study": "m", "direction": "supports", **extra}


@pytest.mark.parametrize(("i2", "change"), [(40, 0), (60, -1), (95, -1)])
def test_a_pooled_result_is_judged_on_its_heterogeneity_and_never_very_serious(
    i2: float, change: int
) -> None:
    effect = _effect("RR", 0.7, 0.6, 0.82) | {"heterogeneity": {"i2": i2, "tau2": 0.04, "p": 0.01}}
    step = _inconsistency([_pooled_link(effect=effect)], [_review()])
    assert (step.change, step.rule) == (change, "inconsistency.pooled")
    assert f"m: pooled result of 12 studies, I² = {i2:.0f}%" in step.reason
    assert "tau² = 0.04, p = 0.01" in step.reason


def test_a_pooled_result_without_heterogeneity_recorded_is_not_assessed() -> None:
    step = _inconsistency([_pooled_link(effect=_effect("RR", 0.7, 0.6, 0.82))], [_review()])
    assert (step.change, step.rule) == (0, "inconsistency.pooled")
    assert "heterogeneity not recorded for 12 studies: inconsistency not assessed" in step.reason


def test_one_study_and_a_pooled_result_of_one_study_cannot_be_inconsistent() -> None:
    one = _inconsistency([_pooled_link(included_studies=1)], [_review()])
    assert (one.change, one.rule) == (0, "inconsistency.single-study")
    assert one.reason.startswith("1 study: consistency cannot be judged")


def test_overlapping_cis_are_consistent_even_when_one_includes_no_effect() -> None:
    # GRADE 7: not judged by counting significant and non-significant results.
    studies = [{"id": "a", **BIG_RCT}, {"id": "b", **BIG_RCT}]
    links = [
        {"study": "a", "direction": "supports", "effect": _effect("RR", 0.75, 0.62, 0.91)},
        {"study": "b", "direction": "inconclusive", "effect": _effect("RR", 0.85, 0.68, 1.06)},
    ]
    step = _inconsistency(links, studies)
    assert (step.change, step.rule) == (0, "inconsistency.between-studies")
    assert step.reason.startswith("CIs overlap; I² = 0% (might not be important), 2 studies (RR)")


def test_cis_on_both_sides_of_no_effect_with_considerable_i_squared_are_very_serious() -> None:
    studies = [{"id": "a", **BIG_RCT}, {"id": "b", **BIG_RCT}]
    links = [
        {"study": "a", "direction": "supports", "effect": _effect("RR", 0.5, 0.42, 0.6)},
        {"study": "b", "direction": "contradicts", "effect": _effect("RR", 1.6, 1.35, 1.9)},
    ]
    step = _inconsistency(links, studies)
    assert (step.change, step.rule) == (-2, "inconsistency.between-studies")
    assert "CIs wholly on both sides of no effect (a below; b above)" in step.reason


def test_without_effects_only_opposite_directions_are_inconsistent() -> None:
    studies = [{"id": "a", **BIG_RCT}, {"id": "b", **BIG_RCT}]

    def step(second: str) -> Any:
        links = [{"study": "a", "direction": "supports"}, {"study": "b", "direction": second}]
        return _inconsistency(links, studies)

    opposite, inconclusive = step("contradicts"), step("inconclusive")
    assert (opposite.change, opposite.rule) == (-1, "inconsistency.directions")
    assert "studies point in opposite directions" in opposite.reason
    assert (inconclusive.change, inconclusive.rule) == (0, "inconsistency.directions")


# -- the body a grade reports ---------------------------------------------------------------------


def test_a_body_of_only_inconclusive_results_does_not_headline_one_with_a_result() -> None:
    studies = [
        {"id": "trial", **BIG_RCT},
        {"id": "cohort", "design": "prospective-cohort", "n": 5000, "risk_of_bias": LOW_RISK_NRSI},
    ]
    links = [
        {"study": "trial", "direction": "inconclusive"},
        {"study": "cohort", "direction": "supports"},
    ]
    grade = _grade(studies, {"evidence": links})["grade"]
    assert (grade.label, grade.direction) == ("Low", "supports")
    assert grade.rationale[0].studies == ("cohort",)
    note = next(s for s in grade.rationale if s.rule == "grade.body-addresses-claim")
    assert note.reason.startswith(
        "also rated: randomized trials High; its results are all inconclusive, so the body "
        "with a result on the claim is reported"
    )
    only_inconclusive = _grade(
        studies, {"evidence": [links[0], {**links[1], "direction": "inconclusive"}]}
    )
    assert (only_inconclusive["grade"].label, only_inconclusive["grade"].direction) == (
        "High",
        "none",
    )


def test_a_study_that_reports_nothing_on_the_claim_is_not_counted_by_any_scheme() -> None:
    studies = [
        {"id": "paper", "design": "mechanistic"},
        {"id": "series", "design": "case-series", "n": 30},
    ]
    links = [
        {"study": "paper", "direction": "inconclusive", "addresses": False},
        {"study": "series", "direction": "supports"},
    ]
    grades = _grade(studies, {"evidence": links})
    assert grades["cebm-2011"].label == "Level 4"
    assert grades["pyramid"].label == "Case series or case report"
    for grade in grades.values():
        assert "paper" not in grade.counted
        assert ("paper", "cited, but reports nothing on this claim") in [
            (n.study, n.reason) for n in grade.excluded
        ]
    only = _grade(studies[:1], {"evidence": links[:1]})
    assert {g.rank for g in only.values()} == {0}


# -- large effect (GRADE 9) -----------------------------------------------------------------------


def _large(effect: dict[str, Any], claim: dict[str, Any] | None = None) -> evigrade.Grade:
    cohort = {"id": "k", "design": "prospective-cohort", "n": 20000, "risk_of_bias": LOW_RISK_NRSI}
    link = {"study": "k", "direction": "supports", "effect": effect}
    return _grade([cohort], {"evidence": [link], **(claim or {})})["grade"]


def test_a_large_effect_is_worded_as_grade_9_words_it() -> None:
    grade = _large(_effect("RR", 0.45, 0.35, 0.58))
    step = _step(grade, "large_effect")
    assert (step.kind, step.change) == ("up", 1)
    assert (
        "RR 0.45 (95% CI 0.35 to 0.58): at least a two-fold reduction in risk (GRADE 9: large)"
        in (step.reason)
    )
    assert grade.label == "Moderate"
    increase = _step(_large(_effect("HR", 6.0, 4.0, 9.0)), "large_effect")
    assert (increase.change, increase.rating) == (2, "very-large")
    assert "at least a five-fold increase in risk (GRADE 9: very large)" in increase.reason


def test_a_large_estimate_whose_ci_includes_no_effect_is_not_a_large_effect() -> None:
    step = _step(_large(_effect("RR", 0.4, 0.15, 1.1)), "large_effect")
    assert step.rating == "none"
    assert "the CI includes no effect, so not a large effect" in step.reason


def test_an_odds_ratio_counts_only_when_a_control_risk_converts_it() -> None:
    unknown = _step(_large(_effect("OR", 0.3, 0.2, 0.45)), "large_effect")
    assert unknown.rating == "none"
    assert "odds ratios without a control risk to convert them: k" in unknown.reason
    # OR 0.3 at a control risk of 0.4: RR = 0.3 / (1 - 0.4 + 0.4 x 0.3) = 0.42.
    known = _step(_large(_effect("OR", 0.3, 0.2, 0.45), {"control_risk": 0.4}), "large_effect")
    assert known.rating == "large" and "RR 0.42" in known.reason


# -- what the rationale claims ------------------------------------------------------------------


def test_publication_bias_with_funding_unknown_is_not_assessed_not_unsuspected() -> None:
    studies = [{"id": "a", "design": "rct", "n": 40}, {"id": "b", "design": "rct", "n": 60}]
    step = _step(_grade(studies, _supports("a", "b"))["grade"], "publication_bias")
    assert step.change == 0
    assert step.reason.startswith("not assessed: funding not recorded for a, b")
    assert "not suspected" not in step.reason
    public = [{**studies[0], "funding": "public"}, {**studies[1], "funding": "industry"}]
    step = _step(_grade(public, _supports("a", "b"))["grade"], "publication_bias")
    assert step.reason.startswith("not suspected from the body's size and funding")
    assert "not all industry-funded: a" in step.reason


def test_a_claim_about_long_term_use_needs_more_than_6_months_of_follow_up() -> None:
    trial = {"id": "t", **BIG_RCT, "duration": "P12W"}
    claim = {"text": "X keeps the disease stable long-term", **_supports("t")}
    step = _step(_grade([trial], claim)["grade"], "indirectness")
    assert (step.change, step.rule) == (-1, "indirectness.follow-up")
    assert "every study's follow-up is under 6 months (P12W" in step.reason
    long = _step(_grade([{**trial, "duration": "P2Y"}], claim)["grade"], "indirectness")
    assert long.change == 0


def test_species_and_counts_read_right() -> None:
    from evigrade.words import count_of, species_plural

    assert [
        species_plural(s) for s in ("human", "mouse", "rat", "zebrafish", "rhesus macaque")
    ] == [
        "humans",
        "mice",
        "rats",
        "zebrafish",
        "rhesus macaques",
    ]
    assert (count_of(1, "study"), count_of(3, "study"), count_of(1200, "participant")) == (
        "1 study",
        "3 studies",
        "1,200 participants",
    )
    grade = _grade(
        [{"id": "h", **BIG_RCT}],
        {"species": "mouse", **_supports("h")},
    )["grade"]
    assert "human evidence for a claim about mice" in _step(grade, "indirectness").reason


def test_a_claim_without_evidence_links_is_not_said_to_cite_nothing() -> None:
    for grade in _grade([], {"evidence": []}).values():
        assert grade.rationale[0].reason == "no study is linked to this claim in the file"
