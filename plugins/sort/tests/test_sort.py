"""Tests of the SORT scheme: the published worked cases (Ebell et al. 2004), each study's level,
the states without evidence, the seed examples, the properties every scheme must have, and the
installed plugin on the command line.

Grades are computed with evigrade's built-in designs and assessors only
(``get_registry(disable=("*",))``), so that other installed plugins cannot change them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from evigrade_sort import LABELS, SCHEME, study_level
from hypothesis import given, settings

import evigrade
from evigrade.testing import strategies as gen
from evigrade.testing.pytest_plugin import Runner

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
REGISTRY = evigrade.get_registry(disable=("*",))

PROPERTIES = settings(parent=settings.get_profile("evigrade-plugin"))

# -- building evidence files --------------------------------------------------------------------


def rct(study_id: str, n: int | None, *, rob: str | None = "low", **extra: Any) -> dict[str, Any]:
    """A placebo-controlled, double-blind randomized trial (RoB 2 overall ``rob``)."""
    study: dict[str, Any] = {
        "id": study_id,
        "design": "rct",
        "n": n,
        "blinding": "double",
        "control": "placebo",
    }
    if rob is not None:
        study["risk_of_bias"] = {"tool": "rob2", "overall": rob}
    study.update(extra)
    return study


def study(study_id: str, design: str, n: int | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": study_id, "design": design}
    if design not in ("expert-opinion", "guideline", "narrative-review", "mechanistic", "in-vitro"):
        data["n"] = n
    data.update(extra)
    return data


def link(study_id: str, direction: str = "supports", **extra: Any) -> dict[str, Any]:
    return {"study": study_id, "direction": direction, **extra}


def rr(estimate: float, low: float, high: float) -> dict[str, Any]:
    return {"measure": "RR", "estimate": estimate, "ci_low": low, "ci_high": high}


def evidence_file(
    studies: list[dict[str, Any]], evidence: list[dict[str, Any]], **claim: Any
) -> dict[str, Any]:
    return {
        "evigrade": "1",
        "studies": studies,
        "claims": [{"id": "the-claim", "text": "The claim", "evidence": evidence, **claim}],
    }


def grade_of(data: dict[str, Any], claim_id: str | None = None) -> evigrade.Grade:
    evidence = evigrade.from_data(data)
    claim = evidence.claim(claim_id) if claim_id else evidence.claims[0]
    return SCHEME.grade(evigrade.plugin.assess(claim, evidence, REGISTRY))


def reasons(grade: evigrade.Grade) -> str:
    return "\n".join(step.reason for step in grade.rationale)


def level_steps(grade: evigrade.Grade) -> dict[str, str]:
    """Each study's level step, by study id."""
    return {
        step.studies[0]: step.reason
        for step in grade.rationale
        if step.kind == "level" and len(step.studies) == 1 and ": level " in step.reason
    }


# -- the published worked cases (Ebell 2004, J Am Board Fam Pract, Table 2) --------------------


def hormone_therapy_case() -> dict[str, Any]:
    """Level-2 observational studies plus one large well-designed level-1 RCT showing the
    opposite (the shape of the hormone-therapy story: cohort studies suggested fewer coronary
    events, the large randomized trial found more)."""
    cohorts = [
        study(
            f"cohort-{name}",
            "prospective-cohort",
            n,
            control="usual-care",
            risk_of_bias={"tool": "robins-i", "overall": "moderate"},
        )
        for name, n in (("nurses", 48470), ("teachers", 22100), ("leisure-world", 8881))
    ]
    case_control = study("case-control-registry", "case-control", 3200)
    trial = rct("large-rct", 16608)
    return evidence_file(
        [*cohorts, case_control, trial],
        [
            link("cohort-nurses", effect=rr(0.56, 0.40, 0.80)),
            link("cohort-teachers", effect=rr(0.62, 0.45, 0.85)),
            link("cohort-leisure-world", effect=rr(0.79, 0.66, 0.95)),
            link("case-control-registry", effect=rr(0.70, 0.55, 0.89)),
            link("large-rct", "contradicts", effect={**rr(1.29, 1.02, 1.63), "measure": "HR"}),
        ],
        outcome="coronary heart disease events",
        outcome_type="time-to-event",
    )


def test_worked_case_observational_studies_and_one_large_rct_showing_the_opposite_is_a() -> None:
    grade = grade_of(hormone_therapy_case())
    assert grade.label == "A"
    assert grade.rank == 3
    assert grade.direction == "contradicts"  # the direction of the evidence the grade rests on
    first = grade.rationale[0]
    assert first.reason.startswith("A: consistent, good-quality patient-oriented evidence")
    assert first.studies == ("large-rct",)
    levels = level_steps(grade)
    assert "level 1 (good-quality patient-oriented evidence)" in levels["large-rct"]
    for cohort in ("cohort-nurses", "cohort-teachers", "cohort-leisure-world"):
        assert "level 2 (limited-quality patient-oriented evidence)" in levels[cohort]
    assert "level 2" in levels["case-control-registry"]
    note = next(s for s in grade.rationale if s.reason.startswith("also cited"))
    assert "not weighed against the level-1 evidence, although their results differ" in (
        note.reason
    )
    assert "SORT worked case" in note.reason
    assert set(grade.counted) == {
        "cohort-nurses",
        "cohort-teachers",
        "cohort-leisure-world",
        "case-control-registry",
        "large-rct",
    }


def seven_poor_trials() -> dict[str, Any]:
    """Seven small open-label trials, all finding a benefit; three with a RoB 2 of high."""
    studies = []
    for index in range(7):
        extra: dict[str, Any] = {"blinding": "none", "control": "usual-care"}
        trial = rct(f"open-trial-{index + 1}", 60 + 10 * index, rob=None, **extra)
        if index < 3:
            trial["risk_of_bias"] = {"tool": "rob2", "overall": "high"}
        studies.append(trial)
    evidence = [link(s["id"], effect=rr(0.7, 0.5, 0.98)) for s in studies]
    return evidence_file(studies, evidence, outcome="days off work")


def test_worked_case_seven_consistent_poorly_designed_trials_is_b() -> None:
    grade = grade_of(seven_poor_trials())
    assert grade.label == "B"
    assert grade.direction == "supports"
    assert grade.rationale[0].reason.startswith("B: limited-quality patient-oriented evidence")
    levels = level_steps(grade)
    assert len(levels) == 7
    for reason in levels.values():
        assert "level 2 (limited-quality patient-oriented evidence)" in reason
        assert "risk of bias serious" in reason
    checks = [s for s in grade.rationale if s.kind == "check" and s.domain == "risk_of_bias"]
    assert any("open-label" in s.reason for s in checks)
    assert any("rob2 overall high" in s.reason for s in checks)
    assert not any(s.kind == "down" for s in grade.rationale)  # consistent: nothing to lower


def nine_good_trials_with_mixed_results() -> dict[str, Any]:
    """Nine large, double-blind trials at low risk of bias: five find a benefit, four find
    none (precise estimates around no effect)."""
    studies = [rct(f"trial-{index + 1}", 600 + 50 * index) for index in range(9)]
    evidence = [
        link("trial-1", effect=rr(0.70, 0.58, 0.84)),
        link("trial-2", effect=rr(0.72, 0.60, 0.86)),
        link("trial-3", effect=rr(0.68, 0.56, 0.83)),
        link("trial-4", effect=rr(0.74, 0.62, 0.88)),
        link("trial-5", effect=rr(0.71, 0.59, 0.85)),
        link("trial-6", "inconclusive", effect=rr(0.98, 0.85, 1.13)),
        link("trial-7", "inconclusive", effect=rr(1.01, 0.88, 1.16)),
        link("trial-8", "inconclusive", effect=rr(0.99, 0.86, 1.14)),
        link("trial-9", "inconclusive", effect=rr(1.02, 0.89, 1.17)),
    ]
    return evidence_file(studies, evidence, outcome="hospital admissions")


def test_worked_case_nine_high_quality_rcts_with_mixed_results_is_b() -> None:
    grade = grade_of(nine_good_trials_with_mixed_results())
    assert grade.label == "B"
    assert grade.direction == "mixed"
    assert grade.rationale[0].reason.startswith(
        "B: inconsistent good-quality patient-oriented evidence"
    )
    levels = level_steps(grade)
    assert len(levels) == 9
    assert all("level 1 (good-quality patient-oriented evidence)" in r for r in levels.values())
    down = [s for s in grade.rationale if s.kind == "down"]
    assert len(down) == 1
    assert down[0].domain == "inconsistency"
    assert down[0].rating in ("serious", "very-serious")
    assert down[0].change == -1
    assert "the randomized studies disagree" in down[0].reason


def test_worked_case_disease_oriented_outcomes_only_is_c() -> None:
    """Even large, good trials are level 3 when they measure a surrogate outcome."""
    studies = [rct(f"lipid-trial-{index + 1}", 1200) for index in range(3)]
    evidence = [
        link(s["id"], effect={"measure": "MD", "estimate": -0.9, "ci_low": -1.1, "ci_high": -0.7})
        for s in studies
    ]
    data = evidence_file(studies, evidence, outcome="LDL cholesterol", outcome_kind="surrogate")
    grade = grade_of(data)
    assert grade.label == "C"
    assert "disease-oriented evidence" in grade.rationale[0].reason
    for reason in level_steps(grade).values():
        assert "level 3 (other evidence)" in reason
        assert "disease-oriented evidence" in reason


def test_a_mechanism_claim_is_disease_oriented_too() -> None:
    data = evidence_file(
        [rct("endorphin-trial", 800)], [link("endorphin-trial")], outcome_kind="mechanism"
    )
    grade = grade_of(data)
    assert grade.label == "C"
    assert "a mechanism, not an outcome patients notice" in reasons(grade)


def test_harms_are_patient_oriented() -> None:
    data = evidence_file([rct("safety-trial", 900)], [link("safety-trial")], outcome_kind="safety")
    assert grade_of(data).label == "A"


# -- levels of single studies -------------------------------------------------------------------


def test_one_large_good_trial_is_a_with_consistency_not_arising() -> None:
    grade = grade_of(evidence_file([rct("big", 1000)], [link("big")]))
    assert grade.label == "A"
    assert "one randomized study, so consistency across studies does not arise" in (
        grade.rationale[0].reason
    )


@pytest.mark.parametrize(
    ("trial", "why"),
    [
        (rct("t", 1000, rob="high"), "risk of bias serious"),
        (rct("t", 1000, rob=None, blinding="none"), "risk of bias serious"),
        (rct("t", 120), "imprecision serious"),  # far short of 400: still one level
        (rct("t", 300), "imprecision serious"),
        (rct("t", None), "imprecision serious"),
        (rct("t", 1000, pilot=True), "pilot randomized controlled trial"),
    ],
)
def test_a_trial_of_limited_quality_is_level_2(trial: dict[str, Any], why: str) -> None:
    grade = grade_of(evidence_file([trial], [link("t")]))
    assert grade.label == "B"
    assert "level 2 (limited-quality patient-oriented evidence)" in level_steps(grade)["t"]
    assert why in level_steps(grade)["t"]


def test_an_indirect_trial_is_limited_and_a_very_indirect_one_is_an_extrapolation() -> None:
    indirect = evidence_file(
        [rct("t", 1000)], [link("t", applicability={"population": "indirect"})]
    )
    assert "indirectness serious" in level_steps(grade_of(indirect))["t"]
    assert grade_of(indirect).label == "B"
    very = evidence_file(
        [rct("t", 1000)], [link("t", applicability={"population": "very-indirect"})]
    )
    assert "extrapolation" in level_steps(grade_of(very))["t"]
    assert grade_of(very).label == "C"


@pytest.mark.parametrize(
    ("design", "extra", "level"),
    [
        ("prospective-cohort", {"control": "usual-care"}, 2),
        ("retrospective-cohort", {}, 2),
        ("case-control", {}, 2),
        ("non-randomized-trial", {"control": "active"}, 2),
        ("interrupted-time-series", {"control": "usual-care"}, 2),
        ("interrupted-time-series", {}, 3),
        ("cross-sectional", {}, 3),
        ("ecological", {}, 3),
        ("retrospective-cohort", {"control": "none"}, 3),  # read as a case series
        ("single-arm-trial", {}, 3),
        ("case-series", {}, 3),
        ("animal", {"species": "mouse"}, 3),
        ("in-vitro", {}, 3),
    ],
)
def test_level_of_each_design(design: str, extra: dict[str, Any], level: int) -> None:
    n = 1 if design == "case-report" else 500
    data = evidence_file([study("s", design, n, **extra)], [link("s")])
    assert f": level {level} (" in level_steps(grade_of(data))["s"]
    assert grade_of(data).label == {2: "B", 3: "C"}[level]


def test_a_systematic_review_of_good_trials_is_level_1_and_of_cohorts_level_2() -> None:
    trials = evidence_file(
        [study("review", "meta-analysis", 5200, risk_of_bias={"tool": "other", "overall": "low"})],
        [link("review", effect=rr(0.8, 0.72, 0.89))],
    )
    grade = grade_of(trials)
    assert grade.label == "A"
    assert (
        "meta-analysis of randomized controlled trials with consistent findings"
        in (level_steps(grade)["review"])
    )
    cohorts = evidence_file(
        [study("review", "systematic-review", 50000, of="prospective-cohort")],
        [link("review", effect=rr(0.8, 0.72, 0.89))],
    )
    assert "level 2" in level_steps(grade_of(cohorts))["review"]
    assert grade_of(cohorts).label == "B"


def test_a_review_with_heterogeneity_judged_by_a_reviewer_is_level_2() -> None:
    data = evidence_file(
        [study("review", "meta-analysis", 5200)],
        [link("review", effect=rr(0.8, 0.72, 0.89))],
        judgments={"inconsistency": {"rating": "serious", "reason": "I² = 70% in the review"}},
    )
    grade = grade_of(data)
    assert grade.label == "B"
    assert "inconsistency serious" in level_steps(grade)["review"]


def test_study_level_is_public_and_names_its_level() -> None:
    evidence = evigrade.from_data(evidence_file([rct("big", 1000)], [link("big")]))
    assessment = evigrade.plugin.assess(evidence.claims[0], evidence, REGISTRY)
    entry = study_level(assessment.items[0], assessment)
    assert entry.level == 1
    assert entry.concerns == ()


# -- no evidence, pending only, opinion only ------------------------------------------------------


def test_a_claim_without_evidence_is_no_evidence() -> None:
    grade = grade_of(evidence_file([], []))
    assert (grade.label, grade.rank, grade.direction) == ("No evidence", 0, "none")
    assert grade.rationale[0].reason == "no study is linked to this claim in the file"
    assert grade.counted == ()


def test_a_claim_with_only_pending_studies_is_no_evidence() -> None:
    data = evidence_file(
        [
            study("planned-trial", "protocol", 300, randomized=True),
            rct("running-trial", 500, status="ongoing"),
        ],
        [link("planned-trial", "inconclusive"), link("running-trial", "inconclusive")],
    )
    grade = grade_of(data)
    assert grade.label == "No evidence"
    assert "only pending studies" in grade.rationale[0].reason
    assert [note.study for note in grade.pending] == ["planned-trial", "running-trial"]


def test_opinion_only_is_c_and_the_rationale_says_sort_counts_opinion() -> None:
    data = evidence_file(
        [study("panel", "expert-opinion"), study("college", "guideline")],
        [link("panel"), link("college")],
    )
    grade = grade_of(data)
    assert grade.label == "C"
    assert "SORT counts opinion as level-3 evidence, strength C" in grade.rationale[0].reason
    assert "consensus guidelines" in level_steps(grade)["college"]


def test_pending_studies_next_to_opinion_are_listed_and_opinion_still_gives_c() -> None:
    data = evidence_file(
        [study("panel", "expert-opinion"), study("plan", "protocol", 100)],
        [link("panel"), link("plan", "inconclusive")],
    )
    grade = grade_of(data)
    assert grade.label == "C"
    assert any(s.reason.startswith("pending:") for s in grade.rationale)


def test_anecdotes_are_not_counted() -> None:
    data = evidence_file([study("forum", "anecdote", None)], [link("forum")])
    grade = grade_of(data)
    assert grade.label == "No evidence"
    assert "anecdote" in grade.rationale[0].reason
    assert [note.study for note in grade.excluded] == ["forum"]


def test_retracted_and_terminated_studies_are_excluded() -> None:
    data = evidence_file(
        [rct("gone", 1000, status="retracted"), study("panel", "expert-opinion")],
        [link("gone"), link("panel")],
    )
    grade = grade_of(data)
    assert grade.label == "C"
    assert [note.study for note in grade.excluded] == ["gone"]


# -- the seed examples -------------------------------------------------------------------------

SEEDS = [
    # Two small RCTs of patient-oriented outcomes (size unreported, one a pilot), one finding
    # no difference: limited-quality patient-oriented evidence.
    ("ldn-multiple-sclerosis", "ldn-improves-quality-of-life", "B"),
    # One uncontrolled pilot trial measuring beta-endorphin: a mechanism, disease-oriented.
    ("ldn-multiple-sclerosis", "ldn-raises-beta-endorphin", "C"),
    # Chart reviews without comparison groups and an uncontrolled registry series: case series.
    ("ldn-multiple-sclerosis", "ldn-stable-disease-long-term", "C"),
    # Mouse studies and a publisher's page for a mechanism claim.
    ("ldn-multiple-sclerosis", "ldn-modulates-immune-response-in-ms", "C"),
    # One small pilot RCT of fatigue (a patient-oriented outcome); the larger trial is pending.
    ("ketamine-multiple-sclerosis", "ketamine-reduces-ms-fatigue", "B"),
    # Social-media reports only: SORT has no level for testimonials.
    ("ketamine-multiple-sclerosis", "ketamine-social-media-reports", "No evidence"),
    # A health-information page: opinion, which SORT counts as C.
    ("ketamine-multiple-sclerosis", "ms-has-no-cure", "C"),
    # Nothing cited.
    ("ketamine-multiple-sclerosis", "ketamine-side-effects", "No evidence"),
    # One case report.
    ("ldn-mast-cell-activation", "ldn-ivig-improved-mcas-case", "C"),
    # A laboratory finding for a mechanism claim.
    ("ldn-mast-cell-activation", "ldn-tlr4-antagonist-reduces-inflammation", "C"),
]


@pytest.mark.parametrize(("example", "claim_id", "label"), SEEDS)
def test_seed_examples(example: str, claim_id: str, label: str) -> None:
    path = EXAMPLES / f"{example}.json"
    if not path.is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    evidence = evigrade.load(path)
    grade = SCHEME.grade(evigrade.plugin.assess(evidence.claim(claim_id), evidence, REGISTRY))
    assert grade.label == label, reasons(grade)


def test_seed_ketamine_fatigue_rests_on_the_pilot_trial_and_lists_the_protocol() -> None:
    path = EXAMPLES / "ketamine-multiple-sclerosis.json"
    if not path.is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    evidence = evigrade.load(path)
    claim = evidence.claim("ketamine-reduces-ms-fatigue")
    grade = SCHEME.grade(evigrade.plugin.assess(claim, evidence, REGISTRY))
    assert grade.counted == ("fitzgerald-2021",)
    assert "pilot randomized controlled trial" in level_steps(grade)["fitzgerald-2021"]
    assert [note.study for note in grade.pending] == ["ghajarzadeh-2023-inkling-ms"]


# -- properties every scheme must have ------------------------------------------------------------


def test_labels_are_in_rank_order() -> None:
    assert SCHEME.name == "sort"
    assert SCHEME.labels == LABELS == ("No evidence", "C", "B", "A")
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
        assert grade.scheme == "sort"
        assert SCHEME.labels[grade.rank] == grade.label
        assert grade.rationale
        assert all(step.reason for step in grade.rationale)
        cited = {link.study for link in claim.evidence}
        assert set(grade.counted) <= cited
        assert list(grade.counted) == sorted(grade.counted)
        assert grade.pending == assessment.pending
        assert set(assessment.excluded) <= set(grade.excluded)
        assert (grade.rank == 0) == (not grade.counted)
        if grade.rank == 0:
            assert grade.direction == "none"


def two_trials(second_n: int, second_rob: str | None = "low", **second: Any) -> dict[str, Any]:
    """A large good trial finding a benefit, and a second trial finding none: their CIs do
    not overlap."""
    return evidence_file(
        [rct("first", 1000), rct("second", second_n, rob=second_rob, **second)],
        [
            link("first", effect=rr(0.70, 0.60, 0.82)),
            link("second", "inconclusive", effect=rr(1.00, 0.88, 1.14)),
        ],
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (two_trials(1000, "high"), two_trials(1000)),
        (two_trials(1000, None, blinding="none"), two_trials(1000)),
    ],
    ids=["high to low risk of bias", "open-label to assessed at low risk"],
)
def test_a_disagreeing_trial_that_gets_better_does_not_lower_the_grade(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Consistency is judged across all the randomized evidence, whatever its quality (plugin
    rule): had it been judged among the level-1 trials only, the second trial joining them
    when its risk of bias is shown to be low would turn A into B."""
    old, new = grade_of(before), grade_of(after)
    assert (old.label, new.label) == ("B", "B")
    assert "level 2" in level_steps(old)["second"]
    assert "level 1" in level_steps(new)["second"]
    assert any(
        s.kind == "note" and s.reason.startswith("limited-quality randomized evidence (second)")
        for s in old.rationale
    )


def test_observational_studies_are_not_weighed_against_level_1_but_poor_trials_are() -> None:
    """Worked case 1 sets observational studies aside; lower-quality trials that disagree with
    a good trial make the randomized evidence inconsistent (plugin rule)."""
    base = hormone_therapy_case()
    base["studies"].append(rct("small-open-trial", 90, rob=None, blinding="none"))
    base["claims"][0]["evidence"].append(link("small-open-trial", effect=rr(0.6, 0.4, 0.9)))
    grade = grade_of(base)
    assert grade.label == "B"
    down = next(s for s in grade.rationale if s.kind == "down")
    assert down.domain == "inconsistency"
    assert set(down.studies) == {"large-rct", "small-open-trial"}


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


@pytest.mark.evigrade_installed("evigrade-sort", "sort")
def test_the_installed_plugin_works_on_the_command_line(evigrade_cli: Runner) -> None:
    listed = evigrade_cli("schemes")
    assert listed.returncode == 0, listed.stderr
    assert "sort: SORT: Strength of Recommendation Taxonomy [sort]" in listed.stdout
    assert "No evidence < C < B < A" in listed.stdout
    if not (EXAMPLES / "ldn-multiple-sclerosis.json").is_file():
        pytest.skip("the seed examples are only in a checkout of evigrade")
    graded = evigrade_cli(
        "grade", "examples/ldn-multiple-sclerosis.json", "--scheme", "sort", "--format", "json"
    )
    assert graded.returncode == 0, graded.stderr
    document = json.loads(graded.stdout)
    grades = {claim["id"]: claim["grades"]["sort"] for claim in document["claims"]}
    assert grades["ldn-improves-quality-of-life"]["label"] == "B"
    assert grades["ldn-raises-beta-endorphin"]["label"] == "C"
    assert all(g["rationale"] for g in grades.values())
