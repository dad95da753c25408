"""GRADE certainty of evidence: High, Moderate, Low, Very low (GRADE 18; Core GRADE 2025).

Randomized trials start High, non-randomized studies Low, case series, case reports and
single-arm trials Very low; each domain judgment moves the level (imprecision up to three
levels); large effect, dose-response and plausible confounding rate non-randomized evidence up
when nothing rated it down. Expert opinion, mechanism, narrative reviews, guidelines and
anecdotes are not evidence under GRADE. Randomized and non-randomized bodies are rated apart
and the higher rating is reported with the other shown (evigrade rule: GRADE has none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ...domains import DOMAINS, DOWN_DOMAINS, UP_DOMAINS
from ...grading import Assessment, direction_of, finish_grade, no_evidence
from ...hookspecs import hookimpl
from ...kinds import NO_EVIDENCE, EvidenceItem, Scheme
from ...model import Grade, Judgment, RationaleStep, StudyNote

__all__ = ["LABELS", "SCHEME", "grade", "start_of"]

LABELS = (NO_EVIDENCE, "Very low", "Low", "Moderate", "High")

_BODY_NAMES = {
    "randomized": "randomized trials",
    "non-randomized": "non-randomized studies",
    "uncontrolled": "uncontrolled studies",
    "non-human": "animal and laboratory studies",
}

_NOT_EVIDENCE = {
    "mechanistic": "mechanism-based reasoning is not evidence under GRADE",
    "expert-opinion": "expert opinion is not a level of evidence under GRADE",
    "narrative-review": "a narrative review is not evidence under GRADE "
    "(grade the studies it cites)",
    "guideline": "a guideline is not evidence under GRADE (grade the studies it cites)",
    "anecdote": "anecdotes (testimonials, forum posts) are not evidence under GRADE",
}


def start_of(item: EvidenceItem) -> tuple[int, str, str]:
    """(starting level, family of the body it joins, why) for one study."""
    design = item.design
    included = item.included
    if included is not None and included.grade_start is not None:
        return (
            included.grade_start,
            included.family,
            f"{design.label.lower()} of {included.label.lower()}s starts where they start",
        )
    if design.family == "non-human" and item.study.randomized:
        return 4, "non-human", "randomized animal experiment (Hooijmans 2018)"
    assert design.grade_start is not None
    return design.grade_start, design.family, design.label


def _rate(
    start: int, family: str, items: tuple[EvidenceItem, ...], assessment: Assessment
) -> tuple[int, list[RationaleStep]]:
    ids = tuple(item.id for item in items)
    steps = [
        RationaleStep(
            "start",
            f"start {LABELS[start]}: {_BODY_NAMES.get(family, family)} "
            f"({', '.join(sorted({i.design.label.lower() for i in items}))})",
            studies=ids,
        )
    ]
    judgments = assessment.judgments(items)
    level = start
    downs: list[str] = []
    for name in DOWN_DOMAINS:
        judgment = judgments.get(name)
        if judgment is None:
            steps.append(RationaleStep("note", f"{DOMAINS[name].label}: no judgment", domain=name))
            continue
        change = DOMAINS[name].change(judgment.rating)
        level += change
        if change:
            downs.append(DOMAINS[name].label.lower())
        steps.append(_step(judgment, change))
    for name in UP_DOMAINS:
        judgment = judgments.get(name)
        if judgment is None:
            continue
        change = DOMAINS[name].change(judgment.rating)
        if change and judgment.source == "rule" and (downs or family != "non-randomized"):
            if downs:
                why = f"rated down for {', '.join(downs)}"
            elif family == "uncontrolled":
                why = "no comparison group to measure an effect against"
            else:
                why = "randomized evidence" if start == 4 else "animal or laboratory evidence"
            steps.append(
                RationaleStep.from_judgment(
                    "check",
                    judgment,
                    reason=f"{judgment.reason}; not rated up: GRADE rates up only comparative "
                    f"non-randomized evidence with no reason to rate down ({why})",
                )
            )
            continue
        level += change
        steps.append(_step(judgment, change))
    final = min(4, max(1, level))
    if level != final:
        steps.append(
            RationaleStep("note", f"{'floor' if level < 1 else 'ceiling'}: {LABELS[final]}")
        )
    return final, steps


def _step(judgment: Judgment, change: int) -> RationaleStep:
    kind: Literal["down", "up", "check"] = "down" if change < 0 else "up" if change > 0 else "check"
    return RationaleStep.from_judgment(kind, judgment, change)


def grade(assessment: Assessment) -> Grade:
    """The GRADE certainty of the evidence for one claim."""
    counted = [item for item in assessment.items if item.design.counts_for_grade]
    left_out = [
        StudyNote(
            item.id,
            _NOT_EVIDENCE.get(item.design.id, f"{item.design.label} is not evidence under GRADE"),
        )
        for item in assessment.items
        if not item.design.counts_for_grade
    ]
    if not counted:
        why = "nothing cited is evidence under GRADE"
        if left_out:
            kinds = sorted({i.design.label.lower() for i in assessment.items})
            why = f"only {', '.join(kinds)} cited: not evidence under GRADE"
        return no_evidence("grade", assessment, left_out, why)
    bodies: dict[str, list[EvidenceItem]] = {}
    starts: dict[str, int] = {}
    for item in counted:
        start, family, _ = start_of(item)
        bodies.setdefault(family, []).append(item)
        starts[family] = max(start, starts.get(family, 0))
    rated = []
    for family, members in bodies.items():
        items = tuple(sorted(members, key=lambda i: i.id))
        start = starts[family]
        level, steps = _rate(start, family, items, assessment)
        size = sum(i.size or 0 for i in items)
        answers = direction_of(items) != "none"
        rated.append((answers, level, start, size, family, items, steps))
    # The highest-rated body among those with a result on the claim (evigrade rule: GRADE has
    # no rule for combining bodies, and one that found nothing does not answer the claim
    # better than one that did); only inconclusive bodies: the highest of them.
    rated.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4]), reverse=True)
    answers, level, _, _, family, items, steps = rated[0]
    for other_answers, other_level, _, _, other_family, others, _ in rated[1:]:
        why = "the higher body is reported"
        if answers and not other_answers:
            why = "its results are all inconclusive, so the body with a result on the claim is"
            why += " reported"
        steps.append(
            RationaleStep(
                "note",
                f"also rated: {_BODY_NAMES.get(other_family, other_family)} "
                f"{LABELS[other_level]}; {why} (evigrade rule: GRADE has no rule for "
                "combining them)",
                studies=tuple(i.id for i in others),
                rule="grade.body-addresses-claim",
            )
        )
    return finish_grade(
        assessment,
        "grade",
        LABELS[level],
        level,
        steps,
        body=items,
        counted=counted,
        left_out=left_out,
    )


SCHEME = Scheme(
    name="grade",
    title="GRADE certainty of evidence",
    labels=LABELS,
    grade=grade,
    description="High / Moderate / Low / Very low certainty, rated per claim across studies.",
    source="GRADE Working Group: GRADE 6-9, 18, 34/35 (J Clin Epidemiol); Core GRADE (BMJ 2025)",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    register(SCHEME)
