"""The summary-of-findings table: one row per claim, in the layout of GRADEpro and the Cochrane
Handbook (chapter 14): the outcome, the anticipated absolute effects, the relative effect, the
participants and studies, the certainty with its symbols, footnotes and comments.

Figures come from the file only. Effects are shown study by study, never pooled here; the risk
without the intervention comes from :func:`control_risk`, and where it is not recorded the
absolute effects say so.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..domains import DOMAINS
from ..model import RATIO_MEASURES
from .labels import DIRECTIONS, Direction, anchor, cited_sizes, main_grade, number, participants

if TYPE_CHECKING:
    from ..grading import ClaimResult, Report
    from ..kinds import EvidenceItem, Registry
    from ..model import Claim, Effect, Grade, RationaleStep

__all__ = [
    "CERTAINTY_SYMBOLS",
    "Certainty",
    "ControlRisk",
    "EffectLine",
    "Footnote",
    "SofRow",
    "absolute_risk",
    "control_risk",
    "sof_rows",
]

#: GRADE certainty by rank (GRADE Handbook 5.1; Cochrane Handbook 14.2): ⊕ filled, ◯ empty.
CERTAINTY_SYMBOLS: dict[int, str] = {4: "⊕⊕⊕⊕", 3: "⊕⊕⊕◯", 2: "⊕⊕◯◯", 1: "⊕◯◯◯"}

NOT_RECORDED = "not recorded"


@attrs.frozen
class ControlRisk:
    """The risk of the outcome without the intervention (0 to 1), and where it comes from."""

    risk: float
    source: str


@attrs.frozen
class Certainty:
    """A claim's grade as the certainty column shows it: ⊕ symbols (GRADE only) and label."""

    scheme: str
    label: str
    rank: int | None
    symbols: str = ""


@attrs.frozen
class Footnote:
    """One reason a grade moved (or, for a claim with no gradable evidence, why), and who
    made the judgment: a rule (named), a reviewer, or the scheme's own definition."""

    key: str
    what: str
    reason: str
    studies: tuple[str, ...]
    source: str
    made_by: str


@attrs.frozen
class EffectLine:
    """One recorded effect estimate and what it means in absolute terms.

    ``study`` is None when the claim has a single estimate. ``comparator`` and
    ``intervention`` are risks per 1,000 (``intervention`` with its 95% CI and the difference);
    they read "not recorded" when no control risk is known, and for a difference of means the
    difference is given as recorded.
    """

    study: str | None
    relative: str
    comparator: str
    intervention: str
    difference: str


@attrs.frozen
class SofRow:
    """One claim's row of the summary-of-findings table."""

    claim_id: str
    anchor: str
    text: str
    outcome: str | None
    direction: Direction
    participants: str
    effects: tuple[EffectLine, ...]
    control: ControlRisk | None
    certainty: Certainty
    footnotes: tuple[Footnote, ...]
    comments: tuple[str, ...]


def _as_risk(value: Any) -> float | None:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        risk = float(value)
        return risk if 0.0 <= risk <= 1.0 else None
    for name in ("risk", "value"):
        inner = getattr(value, name, None)
        if inner is not None and inner is not value:
            return _as_risk(inner)
    return None


def control_risk(claim: Claim, items: Iterable[EvidenceItem] = ()) -> ControlRisk | None:
    """The claim's risk without the intervention, or None where nothing records it.

    A control (baseline) risk recorded on the claim wins: an attribute ``control_risk`` that is
    a proportion from 0 to 1, or an object whose ``risk`` or ``value`` is one. Otherwise the
    control arms' event counts of ``items``: their events over the participants of their control
    arms, each arm taken as half of the participants analysed (arms are assumed equal, as the
    imprecision rule assumes them, docs/schemes.md). Studies without event counts or a size are
    left out; a study whose control events exceed half its size is left out too.
    """
    recorded = _as_risk(getattr(claim, "control_risk", None))
    if recorded is not None:
        return ControlRisk(recorded, "the control risk recorded for the claim")
    events, arms, used = 0, 0.0, []
    for item in sorted(items, key=lambda i: i.id):
        counts, size = item.link.events, item.size
        if counts is None or not size or counts.control > size / 2:
            continue
        events += counts.control
        arms += size / 2
        used.append(item.id)
    if not used:
        return None
    return ControlRisk(
        events / arms,
        f"{events} events in the control arms of {', '.join(used)}, each arm taken as half of "
        f"the participants analysed ({arms:g})",
    )


def absolute_risk(measure: str, ratio: float, risk: float) -> float:
    """The risk with the intervention from a ratio and the control risk (Cochrane Handbook
    14.1.5 and 15.4.4): RR × risk; OR × risk / (1 − risk + OR × risk); 1 − (1 − risk)^HR."""
    if measure == "RR":
        return min(1.0, ratio * risk)
    if measure == "OR":
        return ratio * risk / (1 - risk + ratio * risk)
    if measure == "HR":
        return 1 - math.pow(1 - risk, ratio)
    raise ValueError(f"{measure} is not a ratio measure")


def _per_1000(risk: float) -> int:
    return round(risk * 1000)


def _change(difference: int) -> str:
    return f"{abs(difference):,} {'fewer' if difference < 0 else 'more'}"


def _interval(effect: Effect) -> str:
    if effect.ci_low is None or effect.ci_high is None:
        return "95% CI not recorded"
    return f"{number(effect.ci_low)} to {number(effect.ci_high)}"


def _effect_line(study: str | None, effect: Effect, control: ControlRisk | None) -> EffectLine:
    shown = f"{effect.measure} {number(effect.estimate)} ({_interval(effect)})"
    if effect.measure not in RATIO_MEASURES:
        # A difference (of means, or of risks on a scale the format leaves to the file) is
        # already absolute: shown as recorded, not converted.
        return EffectLine(study, "not applicable", NOT_RECORDED, shown, shown)
    if control is None:
        return EffectLine(study, shown, NOT_RECORDED, NOT_RECORDED, NOT_RECORDED)
    base = _per_1000(control.risk)
    point = _per_1000(absolute_risk(effect.measure, effect.estimate, control.risk))
    intervention = f"{point:,} per 1,000"
    difference = f"{_change(point - base)} per 1,000"
    if effect.ci_low is not None and effect.ci_high is not None:
        low = _per_1000(absolute_risk(effect.measure, effect.ci_low, control.risk))
        high = _per_1000(absolute_risk(effect.measure, effect.ci_high, control.risk))
        intervention += f" ({low:,} to {high:,})"
        difference += f" (from {_change(low - base)} to {_change(high - base)})"
    return EffectLine(study, shown, f"{base:,} per 1,000", intervention, difference)


def _effects(items: Sequence[EvidenceItem], control: ControlRisk | None) -> tuple[EffectLine, ...]:
    recorded = [(item.id, item.link.effect) for item in items if item.link.effect is not None]
    if not recorded:
        return ()
    single = len(recorded) == 1
    return tuple(
        _effect_line(None if single else study, effect, control) for study, effect in recorded
    )


def _made_by(step: RationaleStep) -> str:
    if step.source == "rule":
        return f"rule {step.rule}" if step.rule else "an automatic rule"
    if step.source == "reviewer":
        return "a reviewer"
    return "the scheme's definition"


def _what(step: RationaleStep) -> str:
    name = DOMAINS[step.domain].label if step.domain in DOMAINS else (step.domain or "")
    levels = "level" if abs(step.change) == 1 else "levels"
    moved = f"{'−' if step.change < 0 else '+'}{abs(step.change)} {levels}"
    if not name:
        return moved
    rating = f", {step.rating.replace('-', ' ')}" if step.rating else ""
    return f"{name}{rating} ({moved})"


def _moves(grade: Grade) -> list[RationaleStep]:
    """The steps that moved the grade; for a grade of rank 0, the step that says why."""
    moves = [step for step in grade.rationale if step.kind in ("down", "up") and step.change]
    if not moves and grade.rank == 0 and grade.rationale:
        return [grade.rationale[0]]
    return moves


def _letters(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: footnote keys as GRADEpro letters them."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _certainty(grade: Grade | None, scheme: str | None) -> Certainty:
    if grade is None:
        return Certainty(scheme or "", "not graded (the scheme failed)", None)
    symbols = CERTAINTY_SYMBOLS.get(grade.rank, "") if grade.scheme == "grade" else ""
    return Certainty(grade.scheme, grade.label, grade.rank, symbols)


def _comments(grade: Grade | None) -> tuple[str, ...]:
    if grade is None:
        return ()
    notes = [step for step in grade.rationale if step.kind == "note" and step.domain is None]
    comments = []
    for step in notes:
        studies = f" ({', '.join(step.studies)})" if step.studies else ""
        comments.append(f"{step.reason}{studies}")
    return tuple(comments)


def _row(
    report: Report, result: ClaimResult, registry: Registry, footnotes: list[Footnote]
) -> SofRow:
    from ..grading import assess

    claim = result.claim
    grade = main_grade(report, result)
    assessment = assess(claim, report.evidence, registry)
    counted = set(grade.counted) if grade is not None else {i.id for i in assessment.items}
    items = sorted((i for i in assessment.items if i.id in counted), key=lambda i: i.id)
    control = control_risk(claim, items)
    notes: list[Footnote] = []
    for step in _moves(grade) if grade is not None else []:
        note = Footnote(
            _letters(len(footnotes)),
            _what(step) if step.kind != "start" else "No gradable evidence",
            step.reason,
            step.studies,
            step.source,
            _made_by(step),
        )
        footnotes.append(note)
        notes.append(note)
    direction = DIRECTIONS[grade.direction if grade is not None else "none"]
    return SofRow(
        claim_id=claim.id,
        anchor=anchor("claim", claim.id),
        text=claim.text,
        outcome=claim.outcome,
        direction=direction,
        participants=participants(cited_sizes(items)),
        effects=_effects(items, control),
        control=control,
        certainty=_certainty(grade, grade.scheme if grade else None),
        footnotes=tuple(notes),
        comments=_comments(grade),
    )


def sof_rows(report: Report, registry: Registry) -> tuple[tuple[SofRow, ...], tuple[Footnote, ...]]:
    """The table's rows, one per claim in file order, and its footnotes lettered in order."""
    footnotes: list[Footnote] = []
    rows = tuple(_row(report, result, registry, footnotes) for result in report.results)
    return rows, tuple(footnotes)
