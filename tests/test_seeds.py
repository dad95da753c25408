"""The seed articles: every claim graded under every built-in scheme, with its reasons."""

from __future__ import annotations

import json
import re

import pytest

import evigrade
from evigrade.model import Grade

from .conftest import EXAMPLES

SEEDS = ("ldn-multiple-sclerosis", "ldn-mast-cell-activation", "ketamine-multiple-sclerosis")

# (file, claim, GRADE label, GRADE moves, CEBM label, CEBM moves, pyramid label, direction)
# A move is "domain±levels", "@reviewer" when a reviewer judgment made it; CEBM's regrade is
# "level±1".
EXPECTED = [
    ('ldn-multiple-sclerosis', 'ldn-well-tolerated-affordable-option', 'No evidence', (), 'Level 5', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-reduces-spasticity', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-raises-beta-endorphin', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-well-tolerated-in-ppms-pilot', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-reduces-fatigue', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-improves-quality-of-life', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'mixed'),
    ('ldn-multiple-sclerosis', 'ldn-improves-mental-well-being', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'mixed'),
    ('ldn-multiple-sclerosis', 'ldn-side-effects-mild', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-serious-side-effects-rare', 'Very low', ('risk_of_bias-1', 'imprecision-2@reviewer'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-stable-disease-long-term', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-safe-with-standard-treatments', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-does-not-worsen-ms', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-blood-tests-unaffected', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-modulates-immune-response-in-ms', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 5', (), 'Case-control or other observational study', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-restores-ogf-in-eae-mice', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 5', (), 'Animal or laboratory research', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-proposed-for-ms-symptoms-2005', 'No evidence', (), 'Level 5', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-symptom-relief-add-on', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'mixed'),
    ('ldn-multiple-sclerosis', 'ldn-not-a-cure', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-helps-fatigue-stiffness-mood', 'Very low', ('risk_of_bias-1', 'indirectness-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-patients-report-more-energy', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-blocks-opioid-painkillers', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-dose-titration', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-is-very-safe', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-safe-affordable-option', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-low-risk-option', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-multiple-sclerosis', 'ldn-without-strong-side-effects-of-other-ms-drugs', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-usual-dose-3-to-4-5-mg', 'No evidence', (), 'Level 5', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-better-sleep-less-fatigue-mood-spasms', 'Very low', ('risk_of_bias-1', 'indirectness-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'mixed'),
    ('ldn-multiple-sclerosis', 'ldn-full-benefit-within-three-months', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ldn-multiple-sclerosis', 'ldn-faq-safe-alongside-standard-treatments', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-may-benefit-mcas', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 4', ('level-1',), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-ivig-improved-mcas-case', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-antibiotics-helped-other-mcas-patients', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-mast-cell-activation', 'ldn-is-tlr4-antagonist', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 5', (), 'Animal or laboratory research', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-tlr4-antagonist-reduces-inflammation', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 5', (), 'Animal or laboratory research', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-improves-fibromyalgia-2009', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', ('level-1',), 'Cohort or non-randomized controlled study', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-lowers-cytokines-in-fibromyalgia', 'Very low', ('risk_of_bias-1', 'indirectness-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-reduces-fibromyalgia-pain', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-reduces-mast-cell-activity-psoriasis', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-mast-cell-activation', 'ldn-inhibits-cell-proliferation', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 5', (), 'Animal or laboratory research', 'supports'),
    ('ldn-mast-cell-activation', 'ldn-reduces-pain-autoimmune-cancer', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ldn-mast-cell-activation', 'ldn-endorphins-make-patients-feel-better', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ldn-mast-cell-activation', 'ldn-immunoregulatory-t-lymphocytes', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ldn-mast-cell-activation', 'ldn-may-act-by-blocking-tlrs-in-mcas', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ldn-mast-cell-activation', 'ldn-typical-dose-1-5-to-4-5-mg', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ketamine-multiple-sclerosis', 'ketamine-reduces-ms-fatigue', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-relieves-depression-in-ms', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-case-report-mood-maintained', 'Very low', ('risk_of_bias-1', 'imprecision-1'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-case-report-no-ms-worsening', 'Very low', ('risk_of_bias-1', 'imprecision-2'), 'Level 4', (), 'Case series or case report', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-protects-spinal-cord-in-mice', 'Very low', ('risk_of_bias-1', 'indirectness-1', 'imprecision-1'), 'Level 5', (), 'Animal or laboratory research', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-prophylactic-for-ms', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 5', (), 'Expert opinion or mechanistic reasoning', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-neuroprotective-in-ms', 'Very low', ('risk_of_bias-1', 'indirectness-2', 'imprecision-1'), 'Level 5', (), 'Expert opinion or mechanistic reasoning', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-symptom-relief-ms', 'Low', ('risk_of_bias-1', 'imprecision-1'), 'Level 3', ('level-1',), 'Randomized controlled trial', 'supports'),
    ('ketamine-multiple-sclerosis', 'ketamine-social-media-reports', 'No evidence', (), 'No evidence', (), 'Anecdote', 'none'),
    ('ketamine-multiple-sclerosis', 'ketamine-nmda-neuroplasticity', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ketamine-multiple-sclerosis', 'ketamine-side-effects', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
    ('ketamine-multiple-sclerosis', 'ms-has-no-cure', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ketamine-multiple-sclerosis', 'ketamine-rapid-effects-depression-fatigue-pain', 'No evidence', (), 'No evidence', (), 'Expert opinion or mechanistic reasoning', 'none'),
    ('ketamine-multiple-sclerosis', 'antidepressants-stimulants-work-less-well-in-ms', 'No evidence', (), 'No evidence', (), 'No evidence', 'none'),
]  # fmt: skip


@pytest.fixture(scope="module")
def reports() -> dict[str, evigrade.Report]:
    registry = evigrade.plugins.build_registry(disable=("*",))
    return {
        name: evigrade.grade_file(EXAMPLES / f"{name}.json", registry=registry) for name in SEEDS
    }


def _grades(reports: dict[str, evigrade.Report], file: str, claim: str) -> dict[str, Grade]:
    for result in reports[file].results:
        if result.claim.id == claim:
            return dict(result.grades)
    raise AssertionError(f"{claim} not in {file}")


def _moves(grade: Grade) -> tuple[str, ...]:
    return tuple(
        f"{step.domain or 'level'}{step.change:+d}"
        + ("@reviewer" if step.source == "reviewer" else "")
        for step in grade.rationale
        if step.kind in ("down", "up")
    )


def test_every_seed_claim_is_pinned(reports: dict[str, evigrade.Report]) -> None:
    graded = {(f, r.claim.id) for f, report in reports.items() for r in report.results}
    assert graded == {(row[0], row[1]) for row in EXPECTED}


@pytest.mark.parametrize(
    ("file", "claim", "grade", "grade_moves", "cebm", "cebm_moves", "pyramid", "direction"),
    EXPECTED,
    ids=[row[1] for row in EXPECTED],
)
def test_seed_claim_grades_and_reasons(
    reports: dict[str, evigrade.Report],
    file: str,
    claim: str,
    grade: str,
    grade_moves: tuple[str, ...],
    cebm: str,
    cebm_moves: tuple[str, ...],
    pyramid: str,
    direction: str,
) -> None:
    grades = _grades(reports, file, claim)
    assert (grades["grade"].label, _moves(grades["grade"])) == (grade, grade_moves)
    assert (grades["cebm-2011"].label, _moves(grades["cebm-2011"])) == (cebm, cebm_moves)
    assert grades["pyramid"].label == pyramid
    assert grades["grade"].direction == direction
    for scheme_grade in grades.values():
        assert scheme_grade.rationale, "every grade explains itself"


def test_open_label_pilot_of_40_is_very_low_for_imprecision(
    reports: dict[str, evigrade.Report],
) -> None:
    grade = _grades(reports, "ldn-multiple-sclerosis", "ldn-reduces-spasticity")["grade"]
    start = grade.rationale[0]
    assert start.kind == "start" and start.studies == ("gironi-2008",)
    assert "uncontrolled" in start.reason
    (move,) = [s for s in grade.rationale if s.kind == "down" and s.domain == "imprecision"]
    assert move.rule in ("imprecision.information-size", "imprecision.pilot")
    assert "40 participants" in move.reason and "pilot" in move.reason


def test_chart_review_of_215_is_graded_as_a_case_series(
    reports: dict[str, evigrade.Report],
) -> None:
    grades = _grades(reports, "ldn-multiple-sclerosis", "ldn-reduces-fatigue")
    assert any(
        "without a comparison group, graded as a case series" in s.reason
        for s in grades["grade"].rationale
    )
    (move,) = [
        s for s in grades["grade"].rationale if s.kind == "down" and s.domain == "imprecision"
    ]
    assert "215 participants, short of the optimal information size of 400" in move.reason
    # An uncontrolled chart review records nothing on risk of bias: it is not assessed, and
    # no reason claims that no design flaw was found.
    risk = next(s for s in grades["grade"].rationale if s.domain == "risk_of_bias")
    assert risk.rule == "risk_of_bias.not-assessed"
    assert "turel-2015: not assessed: no tool's assessment recorded" in risk.reason
    assert "flaw" not in risk.reason
    assert [n.study for n in grades["grade"].excluded] == ["courier-is-ldn-safe-2025"]


def test_an_inconclusive_2010_trial_next_to_a_supporting_one_is_not_inconsistency(
    reports: dict[str, evigrade.Report],
) -> None:
    # GRADE 7: consistency is not judged by counting significant and non-significant results;
    # neither trial records an effect to compare.
    grade = _grades(reports, "ldn-multiple-sclerosis", "ldn-improves-quality-of-life")["grade"]
    inconsistency = next(s for s in grade.rationale if s.domain == "inconsistency")
    assert (inconsistency.change, inconsistency.rule) == (0, "inconsistency.directions")
    assert inconsistency.studies == ("cree-2010", "sharafaddinzadeh-2010")
    assert "inconclusive: sharafaddinzadeh-2010; supports: cree-2010" in inconsistency.reason
    assert "does not contradict the others" in inconsistency.reason
    assert any(
        s.kind == "note" and "also rated: uncontrolled studies Very low" in s.reason
        for s in grade.rationale
    )


def test_reviewer_judgment_wins_and_is_named(reports: dict[str, evigrade.Report]) -> None:
    grade = _grades(reports, "ldn-multiple-sclerosis", "ldn-serious-side-effects-rare")["grade"]
    step = next(s for s in grade.rationale if s.domain == "imprecision")
    assert (step.source, step.rating, step.change) == ("reviewer", "very-serious", -2)
    assert "the automatic rule imprecision.unknown-size gave serious" in step.reason


def test_mouse_experiments_are_indirect_for_people(reports: dict[str, evigrade.Report]) -> None:
    evidence = reports["ldn-multiple-sclerosis"].evidence
    registry = evigrade.plugins.build_registry(disable=("*",))
    claim = evidence.claim("ldn-modulates-immune-response-in-ms")
    assessment = evigrade.plugin.assess(claim, evidence, registry)
    mice = [item for item in assessment.items if item.study.species == "mouse"]
    assert [item.id for item in mice] == [
        "ludwig-2017",
        "ludwig-2018",
        "zagon-2011-b-cells",
        "zagon-2011-t-cells",
    ]
    judgment = assessment.judgment(mice, "indirectness")
    assert judgment is not None
    assert judgment.rating == "very-serious"
    assert "mouse evidence for a claim about humans" in (judgment.reason or "")
    # The human serum data of the same papers (their titles name multiple sclerosis) head the
    # grade, and are direct.
    grade = _grades(reports, "ldn-multiple-sclerosis", claim.id)["grade"]
    assert grade.rationale[0].studies == ("ludwig-2017-ms-serum", "ludwig-2018-ms-serum")
    assert next(s for s in grade.rationale if s.domain == "indirectness").change == 0
    assert any(
        "also rated: animal and laboratory studies Very low" in s.reason for s in grade.rationale
    )
    # The same mouse studies are direct for the claim the article makes about mice.
    for_mice = _grades(reports, "ldn-multiple-sclerosis", "ldn-restores-ogf-in-eae-mice")["grade"]
    assert next(s for s in for_mice.rationale if s.domain == "indirectness").change == 0


def test_hypothesis_paper_is_not_grade_evidence_but_is_cebm_level_5(
    reports: dict[str, evigrade.Report],
) -> None:
    grades = _grades(reports, "ldn-multiple-sclerosis", "ldn-proposed-for-ms-symptoms-2005")
    assert grades["grade"].rank == 0
    assert grades["grade"].excluded[0].reason == (
        "mechanism-based reasoning is not evidence under GRADE"
    )
    assert grades["cebm-2011"].label == "Level 5"


def test_inkling_protocol_is_pending_not_graded(reports: dict[str, evigrade.Report]) -> None:
    grades = _grades(reports, "ketamine-multiple-sclerosis", "ketamine-reduces-ms-fatigue")
    for grade in grades.values():
        assert [n.study for n in grade.pending] == ["ghajarzadeh-2023-inkling-ms"]
        assert "ghajarzadeh-2023-inkling-ms" not in grade.counted
    assert grades["grade"].counted == ("fitzgerald-2021",)


def test_forum_anecdotes_are_not_evidence(reports: dict[str, evigrade.Report]) -> None:
    grades = _grades(reports, "ketamine-multiple-sclerosis", "ketamine-social-media-reports")
    assert (grades["grade"].label, grades["grade"].rank) == ("No evidence", 0)
    assert "anecdotes" in grades["grade"].excluded[0].reason
    assert grades["pyramid"].label == "Anecdote"


def test_claims_without_identifiable_sources_have_no_evidence(
    reports: dict[str, evigrade.Report],
) -> None:
    grades = _grades(reports, "ldn-mast-cell-activation", "ldn-reduces-pain-autoimmune-cancer")
    for grade in grades.values():
        assert (grade.rank, grade.direction) == (0, "none")
        assert grade.rationale[0].reason == "no study is linked to this claim in the file"


def test_seed_quotes_are_verbatim_from_the_articles(shared) -> None:  # type: ignore[no-untyped-def]
    for name in SEEDS:
        article = (shared / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
        flat = re.sub(r"\s+", " ", article)
        data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        for claim in data["claims"]:
            for link in claim["evidence"]:
                if "quote" in link:
                    assert re.sub(r"\s+", " ", link["quote"]) in flat, (name, claim["id"])


def test_seed_numbers_come_from_the_articles(shared) -> None:  # type: ignore[no-untyped-def]
    """Every participant count in the examples is stated in its article: nothing invented."""
    for name in SEEDS:
        article = (shared / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
        data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        for study in data["studies"]:
            n = study.get("n")
            if n is None or study["design"] == "case-report":
                continue
            assert re.search(rf"\b{n}\b", article), (name, study["id"], n)


def test_takeaway_citations_that_report_nothing_on_spasticity_are_listed_not_graded(
    reports: dict[str, evigrade.Report],
) -> None:
    grades = _grades(reports, "ldn-multiple-sclerosis", "ldn-reduces-spasticity")
    for grade in grades.values():
        assert grade.counted == ("gironi-2008",)
        assert [(n.study, n.reason) for n in grade.excluded] == [
            (study, "cited, but reports nothing on this claim")
            for study in ("cree-2010", "sharafaddinzadeh-2010", "turel-2015")
        ]


def test_a_hypothesis_paper_that_says_nothing_on_harms_gives_no_cebm_level(
    reports: dict[str, evigrade.Report],
) -> None:
    grades = _grades(reports, "ldn-multiple-sclerosis", "ldn-low-risk-option")
    assert grades["cebm-2011"].label == "Level 4"
    assert "agrawal-2005" not in grades["cebm-2011"].counted
    assert ("agrawal-2005", "cited, but reports nothing on this claim") in [
        (n.study, n.reason) for n in grades["cebm-2011"].excluded
    ]


def test_links_the_articles_do_not_make_are_marked() -> None:
    # The ketamine article has no in-text citations: every link is the encoder's.
    ketamine = evigrade.load(EXAMPLES / "ketamine-multiple-sclerosis.json")
    links = [link for claim in ketamine.claims for link in claim.evidence]
    assert links
    assert {link.cited_by_source for link in links} == {False}
    # The LDN FAQ says "studies show" and cites none.
    ldn = evigrade.load(EXAMPLES / "ldn-multiple-sclerosis.json")
    faq = ldn.claim("ldn-faq-safe-alongside-standard-treatments")
    assert {link.cited_by_source for link in faq.evidence} == {False}
