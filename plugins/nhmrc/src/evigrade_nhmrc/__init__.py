"""NHMRC (Australia) levels of evidence for intervention studies and the body-of-evidence
grades A to D, as an evigrade grading scheme.

Each study gets an NHMRC level: I systematic review of level II studies; II randomised
controlled trial; III-1 pseudo-randomised controlled trial; III-2 comparative study with
concurrent controls; III-3 comparative study without concurrent controls; IV case series. The
body of evidence is rated on five components, each A excellent, B good, C satisfactory or
D poor: evidence base, consistency, clinical impact, generalisability and applicability; the
grade combines them, and "a recommendation cannot be graded A or B unless the evidence base and
consistency of the evidence are both rated A or B" (NHMRC additional levels of evidence and
grades for recommendations, 2009).

Only evigrade's public API is used. NHMRC leaves the mapping of study data to clinical impact,
generalisability and applicability, and the combination of the components, to the guideline
developers: this plugin's choices are listed in its README and named "plugin rule" in each
grade's rationale.
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
    counted_risk,
    direction_of,
    finish_grade,
    hookimpl,
    no_evidence,
    species_plural,
    study_risks,
)

__all__ = [
    "GRADE_MEANINGS",
    "LABELS",
    "LEVELS",
    "SCHEME",
    "Component",
    "RatedStudy",
    "Risk",
    "StudyLevel",
    "applicability",
    "clinical_impact",
    "consistency",
    "evidence_base",
    "evigrade_register_schemes",
    "generalisability",
    "grade",
    "overall",
    "risk_of",
    "study_level",
]

__version__ = "0.1.0"

NAME = "nhmrc"

#: Labels in rank order: ``LABELS[rank] == label``; a component's rating uses the same ranks.
LABELS = (NO_EVIDENCE, "D", "C", "B", "A")

#: The NHMRC levels for intervention studies, strongest first.
LEVELS = ("I", "II", "III-1", "III-2", "III-3", "IV")

#: What each component rating means (NHMRC body of evidence matrix).
RATING_WORDS = {4: "excellent", 3: "good", 2: "satisfactory", 1: "poor"}

#: What each grade means (NHMRC 2009, definitions of the grades of recommendations).
GRADE_MEANINGS = {
    4: "the body of evidence can be trusted to guide practice",
    3: "the body of evidence can be trusted to guide practice in most situations",
    2: "the body of evidence provides some support for the recommendation, but care should "
    "be taken in its application",
    1: "the body of evidence is weak and the recommendation must be applied with caution",
}

#: Comparison groups that run alongside the intervention group.
CONCURRENT_CONTROLS = frozenset({"placebo", "active", "usual-care", "waitlist"})

#: Design ids (from plugins: evigrade has none built in) read as pseudo-randomised trials.
PSEUDO_RANDOMIZED = frozenset(
    {"pseudo-randomized-trial", "pseudo-randomised-trial", "quasi-randomized-trial"}
)


_NOT_COUNTED = {
    "expert-opinion": "expert opinion has no NHMRC level of evidence: NHMRC makes a "
    "consensus-based recommendation or practice point from it, not a graded one",
    "guideline": "a guideline has no NHMRC level of evidence (grade the studies it cites)",
    "narrative-review": "a narrative review has no NHMRC level of evidence (grade the studies "
    "it cites)",
    "mechanistic": "mechanism-based reasoning has no NHMRC level of evidence",
    "anecdote": "an anecdote (testimonial, social-media report) has no NHMRC level of evidence",
}

RiskBand = Literal["low", "moderate", "high"]
#: A study's risk in NHMRC's bands, or ``not-rated`` (nothing recorded, policy not-rated).
StudyBand = Literal["low", "moderate", "high", "not-rated"]


@dataclass(frozen=True)
class StudyLevel:
    """One study's NHMRC level (``None``: not counted) and why; ``review`` for a systematic
    review or meta-analysis."""

    item: EvidenceItem
    level: str | None
    why: str
    review: bool = False


@dataclass(frozen=True)
class Risk:
    """One study's risk of bias in NHMRC's words: low, moderate or high; ``not-rated`` when
    nothing in the file records it and the policy is ``not-rated``."""

    band: StudyBand
    why: str
    source: Literal["rule", "reviewer", "scheme"] = "scheme"
    rule: str | None = None


@dataclass(frozen=True)
class Component:
    """A body-of-evidence component: rating 4 A .. 1 D, ``None`` when not applicable."""

    name: str
    rating: int | None
    reason: str
    studies: tuple[str, ...] = ()
    source: Literal["rule", "reviewer", "scheme"] = "scheme"
    rule: str | None = None

    @property
    def letter(self) -> str:
        return "not applicable" if self.rating is None else LABELS[self.rating]

    def step(self) -> RationaleStep:
        rating = (
            "not applicable"
            if self.rating is None
            else (f"{self.letter} ({RATING_WORDS[self.rating]})")
        )
        return RationaleStep(
            "check",
            f"{self.name}: {rating}: {self.reason}",
            studies=self.studies,
            source=self.source,
            rule=self.rule,
        )


def _serious(judgment: Judgment | None) -> bool:
    if judgment is None or judgment.domain not in DOMAINS:
        return False
    return DOMAINS[judgment.domain].change(judgment.rating) < 0


def _ids(items: Iterable[EvidenceItem]) -> tuple[str, ...]:
    return tuple(sorted(item.id for item in items))


def _names(items: Iterable[EvidenceItem]) -> str:
    return ", ".join(_ids(items))


# -- levels ----------------------------------------------------------------------------------


def _primary_level(design: Design, control: str | None) -> tuple[str | None, str]:
    """(level, why) of a primary study of this design; ``None`` when NHMRC gives it none."""
    label = design.label.lower()
    if design.id in PSEUDO_RANDOMIZED:
        return "III-1", f"{label}: pseudo-randomised controlled trial"
    if design.family == "randomized":
        if design.id == "n-of-1-trial":
            return "II", f"{label}: a randomised trial (in one patient; plugin rule)"
        return "II", f"{label}"
    if design.family == "non-randomized":
        if design.id == "cross-sectional":
            return "IV", f"{label}: exposure and outcome measured at one time"
        if design.id == "ecological":
            return "IV", f"{label}: group-level data, no comparison of people (plugin rule)"
        if control == "historical":
            return "III-3", f"{label} with historical controls: no concurrent controls"
        if design.id == "interrupted-time-series":
            if control in CONCURRENT_CONTROLS:
                return "III-2", f"{label} with a parallel control group"
            return "III-3", (
                f"{label} without a parallel control group reported (plugin rule: III-2 needs "
                "a concurrent control in the file's `control`)"
            )
        return "III-2", f"{label}: comparative study with concurrent controls"
    if design.family == "uncontrolled":
        if design.id == "case-series":
            return "IV", "case series"
        if design.id == "case-report":
            return "IV", "case report: a case series of one (plugin rule)"
        return "IV", f"{label}: a case series (no comparison group)"
    if design.family == "non-human" or not design.in_humans:
        return None, (
            f"{label}: animal and laboratory studies have no level among NHMRC's levels for "
            "intervention studies"
        )
    return None, _NOT_COUNTED.get(design.id, f"{label}: no NHMRC level of evidence")


def study_level(item: EvidenceItem, assessment: Assessment) -> StudyLevel:
    """The NHMRC level of one study (intervention levels, also for safety claims)."""
    design, study = item.design, item.study
    if not design.is_synthesis:
        level, why = _primary_level(design, study.control)
        if level is not None and study.is_pilot:
            why += ", a pilot study"
        return StudyLevel(item, level, why)
    of = study.of or design.pools
    included = item.included
    kind = design.label.lower()
    if included is None:
        return StudyLevel(item, None, f"{kind} of unknown design {of!r}: no level", True)
    what = f"{kind} of {included.label.lower()}s"
    if included.family == "randomized" and included.id not in PSEUDO_RANDOMIZED:
        return StudyLevel(item, "I", f"{what}: systematic review of level II studies", True)
    level, why = _primary_level(included, None)
    if level is None:
        return StudyLevel(item, None, f"{what}: {why}", True)
    return StudyLevel(
        item,
        level,
        f"{what}: a systematic review is assigned the level of the studies it contains "
        "unless they are level II (NHMRC 2009)",
        True,
    )


# -- risk of bias ----------------------------------------------------------------------------

#: evigrade's reading of a recorded risk (``evigrade.plugin.study_risks``) in NHMRC's bands.
_BANDS: dict[str, RiskBand] = {
    "low": "low",
    "unclear": "moderate",
    "some": "moderate",
    "high": "high",
    "critical": "high",
}


def risk_of(item: EvidenceItem, assessment: Assessment) -> Risk:
    """One study's risk of bias in NHMRC's bands.

    A reviewer's risk-of-bias judgment in the file decides (serious or worse: high; otherwise
    low). Else evigrade's reading of what the file records (``study_risks``: the study's own
    tool assessment, a review's counts of its included studies, design features), with the
    user's policy for what is not recorded (``assessment.options.unassessed_risk``, the same
    as every scheme's): low, some concerns or unclear (moderate), high or critical (high); a
    review by where most of its included studies' weight lies. Under the policy
    ``not-rated`` a study whose risk of bias nothing records is ``not-rated``: the evidence
    base then rests on its level alone, and says so.
    """
    judgment = assessment.judgment([item], "risk_of_bias")
    if judgment is not None and judgment.source == "reviewer":
        if _serious(judgment):
            return Risk("high", judgment.reason or judgment.rating, "reviewer")
        return Risk("low", judgment.reason or "reviewer judgment: not serious", "reviewer")
    policy = assessment.options.unassessed_risk
    entries = study_risks(item)
    counted = [(counted_risk(entry, policy), entry) for entry in entries]
    weighed = [(risk, entry) for risk, entry in counted if risk is not None]
    whys = "; ".join(entry.why for entry in entries)
    rule = min((entry.rule for entry in entries), key=_RULES.index)
    total = sum(entry.weight for _, entry in weighed)
    if total == 0:
        return Risk(
            "not-rated", f"{whys}: not rated (policy not-rated)", "rule", "nhmrc.unassessed-risk"
        )
    weights: dict[RiskBand, int] = {"low": 0, "moderate": 0, "high": 0}
    for risk, entry in weighed:
        weights[_BANDS[risk]] += entry.weight
    band: RiskBand = (
        "low"
        if weights["low"] * 2 > total
        else "high"
        if weights["high"] * 2 > total
        else "moderate"
    )
    filled = sorted({risk for risk, entry in counted if entry.risk is None and risk is not None})
    if filled:
        words = " and ".join(_RISK_WORDS[risk] for risk in filled)
        whys += f"; what is not recorded counted as {words} (policy {policy})"
    if len(entries) > 1 or entries[0].weight > 1:
        whys += f"; most of the weight: {band} (plugin rule)"
    return Risk(band, whys, "rule", rule)


_RISK_WORDS = {"unclear": "unclear", "some": "some concerns"}

#: evigrade's readings, the least certain first (the one a study's risk is named after).
_RULES = ("risk_of_bias.not-assessed", "risk_of_bias.design-features", "risk_of_bias.assessed")


# -- components ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedStudy:
    """A counted study: its level and its risk of bias."""

    entry: StudyLevel
    risk: Risk

    @property
    def item(self) -> EvidenceItem:
        return self.entry.item


def evidence_base(rows: Sequence[RatedStudy]) -> Component:
    """NHMRC evidence base: number of studies, their level and their risk of bias (a study
    whose risk of bias is not rated, under the policy ``not-rated``, counts where low risk is
    asked for, and the reason says so)."""

    def pick(levels: Iterable[str], band: RiskBand) -> list[RatedStudy]:
        wanted = set(levels)
        bands = {band, "not-rated"} if band == "low" else {band}
        return [r for r in rows if r.entry.level in wanted and r.risk.band in bands]

    def low(selected: Sequence[RatedStudy]) -> str:
        unrated = [r for r in selected if r.risk.band == "not-rated"]
        if not unrated:
            return "at low risk of bias"
        if len(unrated) == len(selected):
            return "with risk of bias not rated (policy not-rated)"
        return f"at low risk of bias or not rated (policy not-rated: {names(unrated)})"

    level_1 = pick(["I"], "low")
    level_2 = pick(["II"], "low")
    level_3 = pick(["III-1", "III-2", "III-3"], "low")
    reviews_3 = [r for r in level_3 if r.entry.review]
    moderate_1_2 = pick(["I", "II"], "moderate")
    title = "Evidence base"

    def names(selected: Iterable[RatedStudy]) -> str:
        return _names(r.item for r in selected)

    def ids(selected: Iterable[RatedStudy]) -> tuple[str, ...]:
        return _ids(r.item for r in selected)

    if level_1 or len(level_2) > 2:
        parts = []
        if level_1:
            parts.append(f"level I {low(level_1)} ({names(level_1)})")
        if len(level_2) > 2:
            parts.append(f"several (more than two) level II {low(level_2)} ({names(level_2)})")
        return Component(title, 4, "; ".join(parts), ids([*level_1, *level_2]))
    if level_2 or reviews_3 or len(level_3) > 2:
        parts = []
        if level_2:
            parts.append(f"one or two level II {low(level_2)} ({names(level_2)})")
        if reviews_3:
            parts.append(
                f"a systematic review of level III studies {low(reviews_3)} ({names(reviews_3)})"
            )
        if len(level_3) > 2:
            parts.append(f"several level III studies {low(level_3)} ({names(level_3)})")
        return Component(title, 3, "; ".join(parts), ids([*level_2, *level_3]))
    if level_3 or moderate_1_2:
        parts = []
        if level_3:
            parts.append(f"level III {low(level_3)} ({names(level_3)})")
        if moderate_1_2:
            parts.append(f"level I or II at moderate risk of bias ({names(moderate_1_2)})")
        return Component(title, 2, "; ".join(parts), ids([*level_3, *moderate_1_2]))
    parts = []
    level_4 = [r for r in rows if r.entry.level == "IV"]
    high = [r for r in rows if r.entry.level != "IV" and r.risk.band == "high"]
    moderate_3 = [r for r in rows if r.entry.level not in ("I", "II", "IV") and r not in high]
    if level_4:
        parts.append(f"level IV ({names(level_4)})")
    if high:
        parts.append(f"level I to III at high risk of bias ({names(high)})")
    if moderate_3:
        parts.append(
            f"level III at moderate risk of bias ({names(moderate_3)}), which meets none of "
            "the requirements for A, B or C (plugin rule)"
        )
    return Component(title, 1, "; ".join(parts), ids(rows))


def consistency(assessment: Assessment, items: Sequence[EvidenceItem]) -> Component:
    """NHMRC consistency from evigrade's inconsistency judgment; not applicable to a single
    study (unless a reviewer judged it, e.g. heterogeneity within one meta-analysis)."""
    title = "Consistency"
    judgment = assessment.judgment(items, "inconsistency")
    if len(items) == 1 and (judgment is None or judgment.source != "reviewer"):
        return Component(
            title, None, "a single study: consistency is not applicable (NHMRC)", _ids(items)
        )
    if judgment is None:
        return Component(title, None, "no inconsistency judgment available", _ids(items))
    change = DOMAINS["inconsistency"].change(judgment.rating)
    what = {
        0: (4, "no inconsistency found, read as all studies consistent"),
        -1: (
            2,
            "some inconsistency, reflecting genuine uncertainty (B needs the inconsistency "
            "explained, which a reviewer must judge; plugin rule)",
        ),
    }.get(change, (1, "the evidence is inconsistent"))
    return Component(
        title,
        what[0],
        f"{what[1]}: inconsistency {judgment.rating} ({judgment.reason or 'no reason given'})",
        judgment.studies or _ids(items),
        judgment.source,
        judgment.rule,
    )


def clinical_impact(assessment: Assessment, items: Sequence[EvidenceItem]) -> Component:
    """NHMRC clinical impact (plugin rule): very large effect A, large B, any other clear
    effect C, no clear effect D; one step lower when the estimate is imprecise."""
    title = "Clinical impact"
    large = assessment.judgment(items, "large_effect")
    imprecision = assessment.judgment(items, "imprecision")
    up = DOMAINS["large_effect"].change(large.rating) if large is not None else 0
    direction = direction_of(items)
    if up >= 2:
        rating, reason = 4, f"very large effect ({large.reason if large else ''})"
    elif up == 1:
        rating, reason = 3, f"large effect ({large.reason if large else ''})"
    elif direction in ("supports", "contradicts"):
        rating, reason = 2, f"a clear effect ({direction} the claim), not shown to be large"
    else:
        rating, reason = 1, f"no clear effect (results {direction}): slight or restricted"
    source: Literal["rule", "reviewer", "scheme"] = "scheme"
    rule: str | None = None
    if up and large is not None:
        source, rule = large.source, large.rule
    if _serious(imprecision) and imprecision is not None:
        if rating > 1:
            rating -= 1
            reason += "; one step lower for imprecision"
        else:
            reason += "; also imprecise"
        reason += f" (imprecision {imprecision.rating}: {imprecision.reason or 'no reason'})"
    return Component(title, rating, reason + " (plugin rule)", _ids(items), source, rule)


def _band(levels: dict[str, int], items: Sequence[EvidenceItem]) -> int:
    """4 all direct, 3 some indirect but fewer than half, 2 at least half indirect, 1 at
    least half very indirect (half: as evigrade's indirectness rule counts studies)."""
    very = sum(1 for i in items if levels[i.id] >= 2)
    some = sum(1 for i in items if levels[i.id] >= 1)
    if very * 2 >= len(items):
        return 1
    if some * 2 >= len(items):
        return 2
    return 3 if some else 4


_DIRECTNESS = {"direct": 0, "indirect": 1, "very-indirect": 2}


def _reviewer_indirectness(
    assessment: Assessment, items: Sequence[EvidenceItem], title: str
) -> Component | None:
    judgment = assessment.judgment(items, "indirectness")
    if judgment is None or judgment.source != "reviewer":
        return None
    rating = {0: 4, -1: 2}.get(DOMAINS["indirectness"].change(judgment.rating), 1)
    return Component(
        title,
        rating,
        f"reviewer's indirectness judgment, {judgment.rating}: {judgment.reason}",
        _ids(items),
        "reviewer",
    )


def generalisability(assessment: Assessment, items: Sequence[EvidenceItem]) -> Component:
    """NHMRC generalisability (plugin rule): how well the studies' populations match the
    claim's, from each link's `applicability.population` and the studies' species."""
    title = "Generalisability"
    reviewer = _reviewer_indirectness(assessment, items, title)
    if reviewer is not None:
        return reviewer
    claim = assessment.claim
    levels: dict[str, int] = {}
    notes: list[str] = []
    for item in items:
        species = item.study.effective_species
        applicability = item.link.applicability
        population = applicability.population if applicability is not None else None
        if species != claim.effective_species or not item.design.in_humans:
            levels[item.id] = 2
            claimed = species_plural(claim.effective_species)
            notes.append(f"{item.id}: {species} for a claim about {claimed}")
        elif population is not None and population != "direct":
            levels[item.id] = _DIRECTNESS[population]
            notes.append(f"{item.id}: population {population}")
        else:
            levels[item.id] = 0
    rating = _band(levels, items)
    what = {
        4: "the populations studied are the claim's (none recorded as indirect)",
        3: "populations similar to the claim's (fewer than half of the studies indirect)",
        2: "populations differ from the claim's, but it may be sensible to apply the evidence",
        1: "populations differ from the claim's, and it is hard to judge whether the evidence "
        "applies",
    }[rating]
    detail = f" ({'; '.join(notes)})" if notes else ""
    return Component(title, rating, f"{what}{detail} (plugin rule)", _ids(items))


def applicability(assessment: Assessment, items: Sequence[EvidenceItem]) -> Component:
    """NHMRC applicability (plugin rule): evidence files do not record the health-care context
    NHMRC asks about, so this rates whether the studies answer the claim's own question: the
    links' intervention, comparator and outcome directness, and a surrogate outcome."""
    title = "Applicability"
    reviewer = _reviewer_indirectness(assessment, items, title)
    if reviewer is not None:
        return reviewer
    levels: dict[str, int] = {}
    notes: list[str] = []
    for item in items:
        applicability_ = item.link.applicability
        worst = 0
        if applicability_ is not None:
            parts = {
                "intervention": applicability_.intervention,
                "comparator": applicability_.comparator,
                "outcome": applicability_.outcome,
            }
            for element, value in sorted(parts.items()):
                if value is not None and value != "direct":
                    worst = max(worst, _DIRECTNESS[value])
                    notes.append(f"{item.id}: {element} {value}")
        levels[item.id] = worst
    rating = _band(levels, items)
    what = {
        4: "the studies answer the claim's question (no intervention, comparator or outcome "
        "recorded as indirect)",
        3: "fewer than half of the studies answer a somewhat different question",
        2: "at least half of the studies answer a different question",
        1: "at least half of the studies answer a very different question",
    }[rating]
    detail = f" ({'; '.join(notes)})" if notes else ""
    reason = f"{what}{detail}"
    if assessment.claim.effective_outcome_kind == "surrogate" and rating > 2:
        rating = 2
        reason += "; the claim's outcome is a surrogate, so at best C"
    return Component(title, rating, f"{reason} (plugin rule)", _ids(items))


def overall(components: Sequence[Component]) -> tuple[int, int, str]:
    """(grade, grade before the A/B rule, how) from the five components, evidence base first.

    Plugin rule: the middle rating of the applicable components (of an even number, the
    lower of the two middle ones), never above the evidence base; then NHMRC's rule that A or
    B need the evidence base and consistency both rated A or B.
    """
    base = components[0]
    assert base.rating is not None
    ratings = sorted((c.rating for c in components if c.rating is not None), reverse=True)
    middle = ratings[len(ratings) // 2]
    before = min(middle, base.rating)
    how = (
        f"middle rating of the components {LABELS[middle]}"
        + (f", capped at the evidence base {LABELS[base.rating]}" if middle > base.rating else "")
        + " (plugin rule)"
    )
    gated = before
    blocking = [c for c in components[:2] if c.rating is not None and c.rating < 3]
    if before > 2 and blocking:
        gated = 2
    return gated, before, how


# -- the grade -------------------------------------------------------------------------------


def _level_step(row: RatedStudy) -> RationaleStep:
    entry, risk = row.entry, row.risk
    if entry.level == "IV":
        return RationaleStep(
            "level",
            f"{entry.item.id}: level IV, {entry.why} (its risk of bias does not change a "
            "level IV evidence base)",
            studies=(entry.item.id,),
        )
    return RationaleStep(
        "level",
        f"{entry.item.id}: level {entry.level}, {entry.why}; risk of bias {risk.band}: {risk.why}",
        studies=(entry.item.id,),
        source=risk.source,
        rule=risk.rule,
    )


def grade(assessment: Assessment) -> Grade:
    """The NHMRC grade (A to D) of the body of evidence for one claim."""
    entries = [study_level(item, assessment) for item in assessment.items]
    counted = sorted((e for e in entries if e.level is not None), key=lambda e: e.item.id)
    left_out = [StudyNote(e.item.id, e.why) for e in entries if e.level is None]
    if not counted:
        why = "nothing cited has an NHMRC level of evidence"
        kinds = sorted({e.item.design.id for e in entries})
        if kinds == ["expert-opinion"]:
            why = (
                "only expert opinion cited: it has no NHMRC level of evidence; NHMRC would "
                "make a consensus-based recommendation or practice point, not a graded one"
            )
        elif kinds:
            labels = sorted({e.item.design.label.lower() for e in entries})
            why = f"only {', '.join(labels)} cited: none has an NHMRC level of evidence"
        return no_evidence(NAME, assessment, left_out, why)

    rows = [RatedStudy(e, risk_of(e.item, assessment)) for e in counted]
    items = [e.item for e in counted]
    components = [
        evidence_base(rows),
        consistency(assessment, items),
        clinical_impact(assessment, items),
        generalisability(assessment, items),
        applicability(assessment, items),
    ]
    rank, before, how = overall(components)
    summary = ", ".join(f"{c.name.lower()} {c.letter}" for c in components)
    steps = [
        RationaleStep(
            "level",
            f"{LABELS[rank]}: {GRADE_MEANINGS[rank]} ({summary})",
            studies=_ids(items),
        )
    ]
    steps.extend(component.step() for component in components)
    steps.append(RationaleStep("note", f"grade {LABELS[before]}: {how}"))
    if rank < before:
        blocking = ", ".join(
            f"{c.name.lower()} {c.letter}"
            for c in components[:2]
            if c.rating is not None and c.rating < 3
        )
        steps.append(
            RationaleStep(
                "down",
                f"A or B require the evidence base and consistency both rated A or B (NHMRC): "
                f"{blocking}, so {LABELS[rank]}",
                change=rank - before,
                studies=_ids(items),
            )
        )
    steps.extend(_level_step(row) for row in rows)
    return finish_grade(
        assessment,
        NAME,
        LABELS[rank],
        rank,
        steps,
        body=items,
        counted=items,
        left_out=left_out,
    )


SCHEME = Scheme(
    name=NAME,
    title="NHMRC levels of evidence and grades for recommendations",
    labels=LABELS,
    grade=grade,
    description="NHMRC levels I to IV for each study; the body of evidence rated on evidence "
    "base, consistency, clinical impact, generalisability and applicability; grade A (can be "
    "trusted to guide practice) to D (weak).",
    source="NHMRC. NHMRC additional levels of evidence and grades for recommendations for "
    "developers of guidelines. Canberra: National Health and Medical Research Council, 2009.",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the NHMRC scheme."""
    register(SCHEME)
