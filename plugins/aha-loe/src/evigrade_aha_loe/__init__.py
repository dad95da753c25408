"""ACC/AHA Level of Evidence (2015 on) as an evigrade grading scheme, ``aha-loe``.

Levels, strongest first (Halperin et al., "Further evolution of the ACC/AHA clinical practice
guideline recommendation classification system", J Am Coll Cardiol 2016;67:1572-1574 and
Circulation 2016;133:1426-1428; the table first used in the 2015 ACC/AHA/HRS guideline on
supraventricular tachycardia):

- **A**: high-quality evidence from more than one RCT; meta-analyses of high-quality RCTs; one
  or more RCTs corroborated by high-quality registry studies.
- **B-R**: moderate-quality evidence from one or more RCTs; meta-analyses of moderate-quality
  RCTs.
- **B-NR**: moderate-quality evidence from one or more well-designed, well-executed
  nonrandomized, observational or registry studies; meta-analyses of such studies.
- **C-LD**: randomized or nonrandomized observational or registry studies with limitations of
  design or execution; meta-analyses of such studies; physiological or mechanistic studies in
  human subjects.
- **C-EO**: consensus of expert opinion based on clinical experience.

The table leaves the method of judging quality open. This plugin reads it from evigrade's
judgments of four GRADE domains (risk of bias, inconsistency, indirectness, imprecision): a
body of randomized trials starts "high" and a body of nonrandomized studies "moderate" (the
most ACC/AHA grants them alone), and every level of concern lowers it one step; below
"moderate" the studies have "limitations". The choices the published rules leave open are
listed in the plugin's README and named in each grade's rationale (``rule`` ``aha-loe.*``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

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
    species_plural,
)

__all__ = [
    "LABELS",
    "NAME",
    "QUALITY_DOMAINS",
    "SCHEME",
    "Kind",
    "Quality",
    "evigrade_register_schemes",
    "grade",
    "kind_of",
    "quality_of",
]

__version__ = "0.1.0"

#: The scheme's name: what ``evigrade grade --scheme`` selects.
NAME = "aha-loe"

#: Labels in rank order: ``LABELS[rank] == label``; rank 0 is evigrade's "No evidence".
LABELS: tuple[str, ...] = (NO_EVIDENCE, "C-EO", "C-LD", "B-NR", "B-R", "A")

_RANK = {label: rank for rank, label in enumerate(LABELS)}

#: The GRADE domains read as the "quality" of the ACC/AHA table.
QUALITY_DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision")

#: What a body of evidence is, for the ACC/AHA table.
Kind = Literal["randomized", "nonrandomized", "limited", "opinion"]

#: The ACC/AHA quality words, as this plugin derives them.
Quality = Literal["high", "moderate", "limitations"]

_QUALITIES: tuple[Quality, ...] = ("limitations", "moderate", "high")

#: Syntheses: their kind is that of the studies they include (``of``, randomized trials by
#: default, as everywhere in evigrade).

#: Designs read as the "registry studies" that can corroborate a randomized trial.
_REGISTRY_DESIGNS = frozenset({"prospective-cohort", "retrospective-cohort"})

#: Nonrandomized designs whose design itself is a limitation for a claim about an intervention.
_LIMITED_BY_DESIGN = {
    "cross-sectional": "exposure and outcome measured at one time, so their order is unknown",
    "ecological": "groups, not individuals, so exposure and outcome are not linked per person",
}

#: Reports that are neither studies in human subjects nor expert opinion.
_NOT_OPINION = {
    "anecdote": "anecdotes (testimonials, forum and social-media posts) are neither studies "
    "nor expert opinion",
}


class _Placed(NamedTuple):
    """One counted study: its kind, why, and whether it can corroborate as a registry study."""

    item: EvidenceItem
    kind: Kind
    why: str
    registry: bool


class _Rated(NamedTuple):
    """One body of evidence rated on the ACC/AHA table."""

    rank: int
    kind: str
    items: tuple[EvidenceItem, ...]
    reason: str
    rule: str
    checks: tuple[RationaleStep, ...]


def _plural(design: Design) -> str:
    label = design.label.lower()
    if label.endswith("study"):
        return label[: -len("study")] + "studies"
    if label.endswith("analysis"):
        return label[: -len("analysis")] + "analyses"
    return label if label.endswith("s") else label + "s"


def _kind_of_design(design: Design, species: str) -> tuple[Kind | None, str]:
    """(kind, why) of a primary design, or (None, why not counted)."""
    label = design.label.lower()
    if design.family == "non-empirical":
        if design.id in _NOT_OPINION:
            return None, _NOT_OPINION[design.id]
        return "opinion", label
    if not design.in_humans or design.family == "non-human":
        return None, (
            f"{label}: not in human subjects (ACC/AHA admits physiological and mechanistic "
            "studies in human subjects only)"
        )
    if species != "human":
        return None, (
            f"{label} in {species}: not in human subjects (ACC/AHA admits physiological and "
            "mechanistic studies in human subjects only)"
        )
    if design.family == "randomized":
        return "randomized", label
    if design.family == "non-randomized":
        if design.id in _LIMITED_BY_DESIGN:
            return "limited", f"{label}: {_LIMITED_BY_DESIGN[design.id]}"
        return "nonrandomized", label
    return "limited", f"{label}: no comparison group"


def kind_of(item: EvidenceItem) -> tuple[Kind | None, str]:
    """What one cited study is on the ACC/AHA table, and why; ``None`` when it is not counted.

    Randomized trials are ``randomized``; comparative nonrandomized studies (cohort,
    case-control, non-randomized trials, interrupted time series, and designs plugins add to
    evigrade's non-randomized family) ``nonrandomized``; uncontrolled, cross-sectional,
    ecological and historically controlled studies ``limited`` (C-LD at best); expert opinion,
    guidelines, narrative reviews and mechanism-based reasoning ``opinion`` (C-EO). Animal and
    laboratory studies and anecdotes are not counted. A meta-analysis or systematic review is
    of the kind of the studies it includes.
    """
    design, study = item.design, item.study
    species = study.effective_species
    if design.is_synthesis:
        of = study.of or design.pools
        included = item.included
        if included is None or included.is_synthesis:
            return None, f"{design.label.lower()} of {of}: no kind of study to grade"
        kind, why = _kind_of_design(included, species)
        synthesis = f"{design.label.lower()} of {_plural(included)}"
        if kind is None:
            return None, f"{synthesis}: {why}"
        if kind == "opinion":
            return kind, f"{synthesis}: opinion, not studies with results"
        if kind in ("randomized", "nonrandomized"):
            return kind, synthesis
        return kind, f"{synthesis} ({why})"
    kind, why = _kind_of_design(design, species)
    if kind == "nonrandomized" and study.control == "historical":
        return "limited", f"{design.label.lower()} with historical controls"
    return kind, why


def _is_registry(item: EvidenceItem) -> bool:
    if item.included is not None:
        return item.included.id in _REGISTRY_DESIGNS
    return item.design.id in _REGISTRY_DESIGNS and item.study.control != "historical"


def _quality_judgments(
    assessment: Assessment, items: Sequence[EvidenceItem]
) -> dict[str, Judgment]:
    """The judgments of the four quality domains only (the others are not needed here)."""
    found = (assessment.judgment(items, domain) for domain in QUALITY_DOMAINS)
    return {judgment.domain: judgment for judgment in found if judgment is not None}


def quality_of(judgments: Mapping[str, Judgment], start: Quality) -> tuple[Quality, list[Judgment]]:
    """The quality of a body from its domain judgments, and the judgments that lowered it.

    ``start`` is ``"high"`` for randomized trials and ``"moderate"`` for nonrandomized studies;
    each level a judgment of the four quality domains rates down (serious 1, very serious 2,
    extremely serious 3) lowers it one step, to ``"limitations"`` at most.
    """
    concerns = [
        judgments[name]
        for name in QUALITY_DOMAINS
        if name in judgments and DOMAINS[name].change(judgments[name].rating) < 0
    ]
    levels = sum(-DOMAINS[j.domain].change(j.rating) for j in concerns)
    index = max(0, _QUALITIES.index(start) - levels)
    return _QUALITIES[index], concerns


def _concern_words(concerns: Sequence[Judgment]) -> str:
    if not concerns:
        return "no serious concern in risk of bias, inconsistency, indirectness or imprecision"
    return ", ".join(
        f"{j.rating.replace('-', ' ')} {DOMAINS[j.domain].label.lower()}" for j in concerns
    )


def _checks(concerns: Iterable[Judgment], note: str = "") -> tuple[RationaleStep, ...]:
    return tuple(
        RationaleStep.from_judgment("check", judgment, reason=(judgment.reason or "") + note)
        for judgment in concerns
    )


def _ids(items: Iterable[EvidenceItem]) -> tuple[str, ...]:
    return tuple(sorted(item.id for item in items))


def _whys(placed: Sequence[_Placed]) -> str:
    return "; ".join(f"{p.item.id}: {p.why}" for p in placed)


def _rate_randomized(
    placed: Sequence[_Placed], registry: Sequence[_Placed], assessment: Assessment
) -> _Rated:
    items = tuple(p.item for p in placed)
    trials = [p for p in placed if not p.item.design.is_synthesis]
    reviews = [p for p in placed if p.item.design.is_synthesis]
    quality, concerns = quality_of(_quality_judgments(assessment, items), "high")
    words = _concern_words(concerns)
    what = _whys(placed)
    checks = _checks(concerns)
    if quality == "limitations":
        reason = f"randomized trials with limitations of design or execution ({words}): {what}"
        return _Rated(_RANK["C-LD"], "randomized", items, reason, "aha-loe.randomized", checks)
    if quality == "moderate":
        reason = f"moderate-quality evidence from randomized trials ({words}): {what}"
        return _Rated(_RANK["B-R"], "randomized", items, reason, "aha-loe.randomized", checks)
    if len(trials) > 1:
        reason = f"high-quality evidence from more than one RCT ({words}): {what}"
        return _Rated(_RANK["A"], "randomized", items, reason, "aha-loe.randomized", checks)
    if reviews:
        reason = f"meta-analysis of high-quality RCTs ({words}): {what}"
        return _Rated(_RANK["A"], "randomized", items, reason, "aha-loe.randomized", checks)
    corroborated, note = _corroboration(items, registry, assessment)
    if corroborated:
        reason = f"an RCT of high quality ({words}) corroborated by {note}: {what}"
        return _Rated(
            _RANK["A"], "randomized", items, reason, "aha-loe.registry-corroboration", checks
        )
    reason = (
        f"high-quality evidence from one RCT ({words}): {what}; A needs more than one RCT, a "
        f"meta-analysis of RCTs, or high-quality registry studies that corroborate it ({note})"
    )
    return _Rated(_RANK["B-R"], "randomized", items, reason, "aha-loe.randomized", checks)


def _corroboration(
    trials: tuple[EvidenceItem, ...], registry: Sequence[_Placed], assessment: Assessment
) -> tuple[bool, str]:
    """Whether high-quality registry studies corroborate the trials, and what was found."""
    if not registry:
        return False, "no registry study cited"
    items = tuple(p.item for p in registry)
    ids = ", ".join(_ids(items))
    _, concerns = quality_of(_quality_judgments(assessment, items), "moderate")
    if concerns:
        return False, f"registry studies {ids} have {_concern_words(concerns)}"
    trial_direction, registry_direction = direction_of(trials), direction_of(items)
    if trial_direction not in ("supports", "contradicts") or registry_direction != trial_direction:
        return False, (
            f"registry studies {ids} ({registry_direction}) do not show the trial's result "
            f"({trial_direction})"
        )
    return True, f"high-quality registry studies {ids} (no serious concern, same result)"


def _rate_nonrandomized(placed: Sequence[_Placed], assessment: Assessment) -> _Rated:
    items = tuple(p.item for p in placed)
    quality, concerns = quality_of(_quality_judgments(assessment, items), "moderate")
    words = _concern_words(concerns)
    checks = _checks(concerns)
    what = _whys(placed)
    if quality == "moderate":
        reason = (
            f"moderate-quality evidence from well-designed, well-executed nonrandomized "
            f"studies ({words}): {what}"
        )
        return _Rated(
            _RANK["B-NR"], "nonrandomized", items, reason, "aha-loe.nonrandomized", checks
        )
    reason = f"nonrandomized studies with limitations of design or execution ({words}): {what}"
    return _Rated(_RANK["C-LD"], "nonrandomized", items, reason, "aha-loe.nonrandomized", checks)


def _rate_limited(placed: Sequence[_Placed]) -> _Rated:
    items = tuple(p.item for p in placed)
    reason = f"studies with limitations of design: {_whys(placed)}"
    return _Rated(_RANK["C-LD"], "limited", items, reason, "aha-loe.limited-design", ())


def _rate_mechanism(placed: Sequence[_Placed]) -> _Rated:
    items = tuple(p.item for p in placed)
    reason = (
        f"physiological or mechanistic studies in human subjects (the claim is about a "
        f"mechanism): {_whys(placed)}"
    )
    return _Rated(_RANK["C-LD"], "mechanism", items, reason, "aha-loe.mechanism", ())


def _rate_opinion(placed: Sequence[_Placed]) -> _Rated:
    items = tuple(p.item for p in placed)
    reason = f"expert opinion, no study with results: {_whys(placed)}"
    return _Rated(_RANK["C-EO"], "opinion", items, reason, "aha-loe.opinion", ())


def _publication_bias_notes(rated: _Rated, assessment: Assessment) -> tuple[RationaleStep, ...]:
    if rated.kind not in ("randomized", "nonrandomized"):
        return ()
    judgment = assessment.judgment(rated.items, "publication_bias")
    if judgment is None or DOMAINS["publication_bias"].change(judgment.rating) >= 0:
        return ()
    note = "; not part of the ACC/AHA quality mapping (aha-loe rule), shown for the reader"
    return _checks((judgment,), note)


def grade(assessment: Assessment) -> Grade:
    """The ACC/AHA Level of Evidence for one claim: the best level any body of its evidence
    reaches."""
    claim = assessment.claim
    placed: list[_Placed] = []
    left_out: list[StudyNote] = []
    for item in assessment.items:
        kind, why = kind_of(item)
        if kind is None:
            left_out.append(StudyNote(item.id, why))
        else:
            placed.append(_Placed(item, kind, why, kind == "nonrandomized" and _is_registry(item)))
    species = claim.effective_species
    if not placed:
        why = "nothing cited is evidence the ACC/AHA levels count"
        if left_out:
            kinds = sorted({item.design.label.lower() for item in assessment.items})
            listed = kinds[-1] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} and {kinds[-1]}"
            why = (
                f"only {listed} cited: the ACC/AHA levels count studies in human subjects and "
                "expert opinion"
            )
        if species != "human":
            why += (
                f" (the claim is about {species_plural(species)}; ACC/AHA grades evidence for "
                "patient care)"
            )
        return no_evidence(NAME, assessment, left_out, why)

    def of_kind(*kinds: str) -> list[_Placed]:
        return [p for p in placed if p.kind in kinds]

    rated: list[_Rated] = []
    if claim.effective_outcome_kind == "mechanism":
        empirical = of_kind("randomized", "nonrandomized", "limited")
        if empirical:
            rated.append(_rate_mechanism(empirical))
    else:
        if of_kind("randomized"):
            registries = [p for p in of_kind("nonrandomized") if p.registry]
            rated.append(_rate_randomized(of_kind("randomized"), registries, assessment))
        if of_kind("nonrandomized"):
            rated.append(_rate_nonrandomized(of_kind("nonrandomized"), assessment))
        if of_kind("limited"):
            rated.append(_rate_limited(of_kind("limited")))
    if of_kind("opinion"):
        rated.append(_rate_opinion(of_kind("opinion")))
    rated.sort(key=lambda r: -r.rank)  # stable: bodies in the fixed order above within a rank
    best = rated[0].rank
    label = LABELS[best]
    top = [r for r in rated if r.rank == best]
    steps: list[RationaleStep] = []
    for body in top:
        steps.append(
            RationaleStep(
                "level", f"{label}: {body.reason}", studies=_ids(body.items), rule=body.rule
            )
        )
        steps.extend(body.checks)
        steps.extend(_publication_bias_notes(body, assessment))
    for body in rated:
        if body.rank != best:
            steps.append(
                RationaleStep(
                    "note",
                    f"also cited, {LABELS[body.rank]}: {body.reason}",
                    studies=_ids(body.items),
                    rule=body.rule,
                )
            )
    if species != "human":
        steps.append(
            RationaleStep(
                "note",
                f"the claim is about {species_plural(species)}: the ACC/AHA levels grade "
                "evidence in human subjects for patient care",
                rule="aha-loe.not-in-humans",
            )
        )
    counted = [p.item for p in placed]
    best_items = [item for body in top for item in body.items]
    return finish_grade(
        assessment,
        NAME,
        label,
        best,
        steps,
        body=best_items,
        counted=counted,
        left_out=left_out,
    )


SCHEME = Scheme(
    name=NAME,
    title="ACC/AHA Level of Evidence",
    labels=LABELS,
    grade=grade,
    description="A (high-quality evidence from more than one RCT) to C-EO (expert opinion); "
    "quality from evigrade's risk of bias, inconsistency, indirectness and imprecision "
    "judgments.",
    source="ACC/AHA Task Force on Clinical Practice Guidelines: Halperin et al., J Am Coll "
    "Cardiol 2016;67:1572-1574 (the Level of Evidence table of 2015 on)",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the ``aha-loe`` scheme."""
    register(SCHEME)
