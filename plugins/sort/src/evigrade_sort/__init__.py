"""SORT, the Strength of Recommendation Taxonomy (Ebell et al., Am Fam Physician 2004;69:548),
as an evigrade grading scheme.

Each study gets a SORT level of study quality: 1 good-quality patient-oriented evidence,
2 limited-quality patient-oriented evidence, 3 other evidence (consensus, usual practice,
opinion, disease-oriented evidence, case series, extrapolation from bench research). The claim
gets a strength from its best evidence: A consistent, good-quality patient-oriented evidence;
B inconsistent or limited-quality patient-oriented evidence; C consensus, usual practice,
opinion, disease-oriented evidence, case series. The best-quality evidence decides: lower-level
studies are listed but not weighed against level-1 evidence (the SORT worked case: level-2
observational studies plus one large well-designed level-1 RCT showing the opposite is A).

Only evigrade's public API is used. The choices the published rules leave open are listed in
this plugin's README and named "plugin rule" in each grade's rationale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from evigrade.plugin import (
    DOMAINS,
    NO_EVIDENCE,
    Assessment,
    Design,
    EvidenceItem,
    Grade,
    Judgment,
    RationaleStep,
    Scheme,
    StudyNote,
    direction_of,
    finish_grade,
    hookimpl,
    no_evidence,
)

__all__ = [
    "LABELS",
    "LEVEL_NAMES",
    "QUALITY_DOMAINS",
    "SCHEME",
    "StudyLevel",
    "evigrade_register_schemes",
    "grade",
    "study_level",
]

__version__ = "0.1.0"

NAME = "sort"

#: Labels in rank order: ``LABELS[rank] == label``.
LABELS = (NO_EVIDENCE, "C", "B", "A")

LEVEL_NAMES = {
    1: "good-quality patient-oriented evidence",
    2: "limited-quality patient-oriented evidence",
    3: "other evidence",
}

#: Domains whose serious (or worse) judgment for one study makes it limited-quality evidence:
#: SORT's quality criteria for a trial are about bias (allocation concealment, blinding,
#: follow-up) and adequate power, and evidence that answers another question than the claim's
#: is not good-quality evidence for it.
QUALITY_DOMAINS = ("risk_of_bias", "imprecision", "indirectness")

#: Outcome kinds that are disease-oriented (SORT level 3).
DISEASE_ORIENTED = {
    "surrogate": "a surrogate (intermediate or physiologic) outcome",
    "mechanism": "a mechanism, not an outcome patients notice",
}

#: Comparison groups that run alongside the intervention group.
CONCURRENT_CONTROLS = frozenset({"placebo", "active", "usual-care", "waitlist"})

#: Ebell 2004 worked case, quoted where lower-level evidence is set aside.
WORKED_CASE = (
    "SORT worked case: level-2 observational studies plus one large well-designed level-1 "
    "RCT showing the opposite is A"
)

Category = Literal[
    "trial",
    "review",
    "observational",
    "opinion",
    "reasoning",
    "bench",
    "disease-oriented",
    "case-series",
    "extrapolation",
    "other",
]

#: What each kind of level-3 evidence is called in the C step.
_CATEGORY_WORDS: dict[str, str] = {
    "opinion": "consensus or opinion",
    "reasoning": "mechanism-based reasoning",
    "bench": "extrapolation from bench research",
    "disease-oriented": "disease-oriented evidence",
    "case-series": "case series",
    "extrapolation": "extrapolation from another population or question",
    "other": "other evidence",
}

_NON_EMPIRICAL: dict[str, tuple[str, Category]] = {
    "expert-opinion": ("expert opinion (SORT level 3: opinion)", "opinion"),
    "guideline": ("guideline (SORT level 3: consensus guidelines)", "opinion"),
    "narrative-review": (
        "narrative review: expert opinion on the literature (SORT level 3; plugin rule)",
        "opinion",
    ),
    "mechanistic": (
        "mechanism-based reasoning (SORT level 3: extrapolation from bench research)",
        "reasoning",
    ),
}


@dataclass(frozen=True)
class StudyLevel:
    """One study's SORT level (``None``: not counted), why, and the judgments behind it."""

    item: EvidenceItem
    level: int | None
    why: str
    category: Category
    concerns: tuple[Judgment, ...] = ()
    #: A randomized trial, or a review of randomized trials, with a patient-oriented outcome:
    #: the evidence whose consistency decides between A and B.
    randomized: bool = False


def _serious(judgment: Judgment | None) -> bool:
    if judgment is None or judgment.domain not in DOMAINS:
        return False
    return DOMAINS[judgment.domain].change(judgment.rating) < 0


def _concerns(
    assessment: Assessment, item: EvidenceItem, domains: Sequence[str]
) -> tuple[Judgment, ...]:
    """The judgments of ``domains`` for this one study that are serious or worse."""
    found = (assessment.judgment([item], domain) for domain in domains)
    return tuple(judgment for judgment in found if judgment is not None and _serious(judgment))


def _concern_text(concerns: Iterable[Judgment]) -> str:
    """The domains and ratings, e.g. "risk of bias serious, imprecision very-serious"; the
    reasons follow in the study's check steps."""
    return ", ".join(f"{DOMAINS[j.domain].label.lower()} {j.rating}" for j in concerns)


def _observational_level(design: Design, control: str | None) -> tuple[int, str, Category]:
    """Level of a non-randomized human study with a patient-oriented outcome."""
    label = design.label.lower()
    if design.id in ("cross-sectional", "ecological"):
        return (
            3,
            f"{label}: not one of the designs SORT names for level 2, and it cannot show that "
            "the treatment came before the outcome (level 3; plugin rule)",
            "other",
        )
    if design.id == "interrupted-time-series" and control not in CONCURRENT_CONTROLS:
        return (
            3,
            f"{label} without a concurrent control group: an uncontrolled before-after "
            "series, read as a case series (level 3; plugin rule)",
            "case-series",
        )
    return (
        2,
        f"{label} (SORT level 2: cohort, case-control or lower-quality trial)",
        "observational",
    )


def study_level(item: EvidenceItem, assessment: Assessment) -> StudyLevel:
    """The SORT level of one study for the assessment's claim."""
    design, study, claim = item.design, item.study, assessment.claim
    label = design.label.lower()
    if design.id == "anecdote":
        return StudyLevel(
            item,
            None,
            "anecdote (testimonials, social-media reports): not consensus, opinion or a case "
            "series, and SORT gives it no level (not counted; plugin rule)",
            "other",
        )
    if design.family == "non-empirical":
        why, category = _NON_EMPIRICAL.get(
            design.id, (f"{label}: opinion or reasoning (SORT level 3; plugin rule)", "opinion")
        )
        return StudyLevel(item, 3, why, category)
    if design.family == "non-human" or not design.in_humans:
        return StudyLevel(
            item, 3, f"{label} (SORT level 3: extrapolation from bench research)", "bench"
        )
    kind = claim.effective_outcome_kind
    if kind in DISEASE_ORIENTED:
        return StudyLevel(
            item,
            3,
            f"{label} of {DISEASE_ORIENTED[kind]}: disease-oriented evidence (SORT level 3)",
            "disease-oriented",
        )
    if design.family == "uncontrolled":
        return StudyLevel(item, 3, f"{label} (SORT level 3: case series)", "case-series")
    indirect = _concerns(assessment, item, ("indirectness",))
    if indirect and DOMAINS["indirectness"].change(indirect[0].rating) <= -2:
        return StudyLevel(
            item,
            3,
            f"{label} answering a very different question than the claim: extrapolation "
            f"(level 3; plugin rule): {_concern_text(indirect)}",
            "extrapolation",
            indirect,
        )
    if design.id in ("meta-analysis", "systematic-review"):
        return _review_level(item, assessment)
    if design.family == "randomized":
        return _trial_level(item, assessment, label, "trial")
    level, why, category = _observational_level(design, study.control)
    concerns: tuple[Judgment, ...] = ()
    if level == 2:
        # Shown, not used: SORT puts cohort and case-control studies at level 2 whatever
        # their quality, so these judgments cannot lower the level further.
        concerns = _concerns(assessment, item, QUALITY_DOMAINS)
        if concerns:
            why += f"; also {_concern_text(concerns)}"
    return StudyLevel(item, level, why, category, concerns)


def _trial_level(
    item: EvidenceItem, assessment: Assessment, what: str, category: Category
) -> StudyLevel:
    """Level 1 for a good-quality trial (or review of trials), else level 2."""
    domains: tuple[str, ...] = QUALITY_DOMAINS
    if category == "review":
        domains = (*QUALITY_DOMAINS, "inconsistency")
    concerns = _concerns(assessment, item, domains)
    if item.study.is_pilot:
        return StudyLevel(
            item,
            2,
            f"pilot {what}, not powered for efficacy (SORT level 2: lower-quality trial)"
            + (f"; {_concern_text(concerns)}" if concerns else ""),
            category,
            concerns,
            randomized=True,
        )
    if concerns:
        return StudyLevel(
            item,
            2,
            f"{what} of limited quality (SORT level 2): {_concern_text(concerns)}",
            category,
            concerns,
            randomized=True,
        )
    good = "good-quality " + what
    if category == "review":
        good += " with consistent findings"
    return StudyLevel(
        item,
        1,
        f"{good} (SORT level 1): nothing in {_quality_words(domains)} is serious",
        category,
        randomized=True,
    )


def _quality_words(domains: Sequence[str]) -> str:
    names = [DOMAINS[d].label.lower() for d in domains]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def _review_level(item: EvidenceItem, assessment: Assessment) -> StudyLevel:
    """A systematic review or meta-analysis: level 1 only for consistent, good-quality
    reviews of randomized trials; otherwise the level of the studies it contains, at best 2."""
    of = item.study.of or item.design.pools
    included = item.included
    kind = item.design.label.lower()
    if included is None:
        return StudyLevel(item, None, f"{kind} of unknown design {of!r}: not counted", "review")
    what = f"{kind} of {included.label.lower()}s"
    if included.family == "randomized":
        return _trial_level(item, assessment, what, "review")
    if included.family == "non-human" or not included.in_humans:
        return StudyLevel(
            item, 3, f"{what} (SORT level 3: extrapolation from bench research)", "bench"
        )
    if included.family == "uncontrolled":
        return StudyLevel(item, 3, f"{what} (SORT level 3: case series)", "case-series")
    if included.family == "non-empirical":
        return StudyLevel(item, 3, f"{what} (SORT level 3: opinion)", "opinion")
    if included.id in ("cross-sectional", "ecological"):
        return StudyLevel(item, 3, f"{what} (level 3, as its studies; plugin rule)", "other")
    return StudyLevel(
        item,
        2,
        f"{what} (SORT level 2: systematic review of lower-quality studies)",
        "review",
    )


def _level_step(entry: StudyLevel) -> RationaleStep:
    assert entry.level is not None
    return RationaleStep(
        "level",
        f"{entry.item.id}: level {entry.level} ({LEVEL_NAMES[entry.level]}): {entry.why}",
        studies=(entry.item.id,),
    )


def _concern_steps(entry: StudyLevel) -> list[RationaleStep]:
    return [
        RationaleStep.from_judgment(
            "check",
            j,
            reason=f"{entry.item.id}: {j.reason or 'no reason given'}",
            studies=(entry.item.id,),
        )
        for j in entry.concerns
    ]


def _ids(entries: Iterable[StudyLevel]) -> tuple[str, ...]:
    return tuple(sorted(entry.item.id for entry in entries))


def _strength_from_level_1(
    assessment: Assessment,
    counted: Sequence[StudyLevel],
    top: Sequence[StudyLevel],
    steps: list[RationaleStep],
) -> int:
    """A or B when there is good-quality (level 1) evidence: A when the randomized
    patient-oriented evidence agrees, B when it does not. Consistency is judged across all
    the randomized evidence (trials and reviews of trials, level 1 or 2), not only the level-1
    part (plugin rule): a trial's result does not become more or less consistent with the
    others by being larger or better blinded, so improving a trial never lowers a grade.
    Observational and level-3 studies are not weighed against level-1 evidence (worked case)."""
    top_ids = _ids(top)
    trials = [e for e in counted if e.randomized]
    trial_ids = _ids(trials)
    limited = [e for e in trials if e.level == 2]
    inconsistency = assessment.judgment([e.item for e in trials], "inconsistency")
    if limited:
        steps_after = [
            RationaleStep(
                "note",
                f"limited-quality randomized evidence ({', '.join(_ids(limited))}) counts in "
                "the consistency of the randomized evidence, not as good-quality evidence "
                "(plugin rule)",
                studies=_ids(limited),
            )
        ]
    else:
        steps_after = []
    if _serious(inconsistency):
        assert inconsistency is not None
        steps.append(
            RationaleStep(
                "level",
                "B: inconsistent good-quality patient-oriented evidence (level 1: "
                f"{', '.join(top_ids)})",
                studies=top_ids,
            )
        )
        steps.append(
            RationaleStep.from_judgment(
                "down",
                inconsistency,
                -1,
                reason="the randomized studies disagree, so A's 'consistent' is not met: "
                f"{inconsistency.reason or 'inconsistent'}",
                studies=inconsistency.studies or trial_ids,
            )
        )
        steps.extend(steps_after)
        return 2
    what = (
        "one randomized study, so consistency across studies does not arise"
        if len(trials) == 1
        else f"the {len(trials)} randomized studies agree"
    )
    steps.append(
        RationaleStep(
            "level",
            "A: consistent, good-quality patient-oriented evidence (level 1: "
            f"{', '.join(top_ids)}): {what}",
            studies=top_ids,
        )
    )
    if inconsistency is not None:
        steps.append(
            RationaleStep.from_judgment(
                "check", inconsistency, studies=inconsistency.studies or trial_ids
            )
        )
    steps.extend(steps_after)
    return 3


def _strength_c(counted: Sequence[StudyLevel], top_ids: tuple[str, ...]) -> list[RationaleStep]:
    """C: only level-3 evidence; says so when it is opinion (SORT counts opinion as C)."""
    categories = sorted({e.category for e in counted})
    kinds = ", ".join(_CATEGORY_WORDS.get(c, c) for c in categories)
    if categories == ["opinion"]:
        reason = (
            "C: consensus, usual practice and opinion only: SORT counts opinion as level-3 "
            f"evidence, strength C ({', '.join(top_ids)})"
        )
    else:
        reason = (
            f"C: no patient-oriented evidence, only level-3 evidence ({kinds}: "
            f"{', '.join(top_ids)})"
        )
    steps = [RationaleStep("level", reason, studies=top_ids)]
    if "opinion" in categories and categories != ["opinion"]:
        steps.append(
            RationaleStep(
                "note",
                "SORT counts consensus, usual practice and opinion as level-3 evidence "
                "(strength C)",
                studies=_ids(e for e in counted if e.category == "opinion"),
            )
        )
    return steps


def grade(assessment: Assessment) -> Grade:
    """The SORT strength of recommendation (A, B, C) of the evidence for one claim."""
    entries = [study_level(item, assessment) for item in assessment.items]
    counted = sorted((e for e in entries if e.level is not None), key=lambda e: e.item.id)
    left_out = [StudyNote(e.item.id, e.why) for e in entries if e.level is None]
    if not counted:
        why = "nothing cited has a SORT level"
        if left_out:
            kinds = sorted({e.item.design.label.lower() for e in entries})
            why = f"only {', '.join(kinds)} cited: nothing SORT counts as evidence"
        return no_evidence(NAME, assessment, left_out, why)

    best = min(e.level or 3 for e in counted)
    top = [e for e in counted if e.level == best]
    top_ids = _ids(top)
    steps: list[RationaleStep] = []
    if best == 1:
        rank = _strength_from_level_1(assessment, counted, top, steps)
    elif best == 2:
        rank = 2
        steps.append(
            RationaleStep(
                "level",
                "B: limited-quality patient-oriented evidence (best evidence level 2: "
                f"{', '.join(top_ids)}); no good-quality (level 1) study",
                studies=top_ids,
            )
        )
    else:
        rank = 1
        steps.extend(_strength_c(counted, top_ids))

    set_aside = [e for e in counted if e.level != best and not (best == 1 and e.randomized)]
    if set_aside:
        groups = "; ".join(
            f"level {lv}: {', '.join(_ids(e for e in set_aside if e.level == lv))}"
            for lv in sorted({e.level or 3 for e in set_aside})
        )
        differ = direction_of(e.item for e in set_aside) != direction_of(e.item for e in top)
        extra = ", although their results differ" if differ else ""
        why = f"; {WORKED_CASE}" if best == 1 else ""
        steps.append(
            RationaleStep(
                "note",
                f"also cited: {groups}; not weighed against the level-{best} evidence{extra} "
                f"(the best-quality evidence decides{why})",
                studies=_ids(set_aside),
            )
        )
    for entry in counted:
        steps.append(_level_step(entry))
        steps.extend(_concern_steps(entry))
    return finish_grade(
        assessment,
        NAME,
        LABELS[rank],
        rank,
        steps,
        body=(e.item for e in top),
        counted=(e.item for e in counted),
        left_out=left_out,
    )


SCHEME = Scheme(
    name=NAME,
    title="SORT: Strength of Recommendation Taxonomy",
    labels=LABELS,
    grade=grade,
    description="A (consistent, good-quality patient-oriented evidence), B (inconsistent or "
    "limited-quality patient-oriented evidence), C (consensus, opinion, disease-oriented "
    "evidence, case series); the best-quality evidence decides.",
    source="Ebell MH et al. Strength of Recommendation Taxonomy (SORT). Am Fam Physician "
    "2004;69(3):548-556; J Am Board Fam Pract 2004;17(1):59-67.",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the SORT scheme."""
    register(SCHEME)
