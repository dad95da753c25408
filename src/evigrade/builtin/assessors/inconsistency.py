"""Inconsistency: unexplained heterogeneity of a pooled result, or between the studies of a body,
judged by the overlap of confidence intervals and the spread of estimates, never by counting
significant and non-significant results (GRADE 7; Cochrane Handbook ch. 10.10.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kinds import Body, EvidenceItem
from ...model import Judgment
from ...words import count_of
from .common import judgment, names
from .stats import pool, usable

if TYPE_CHECKING:
    from ...model import Heterogeneity

__all__ = ["assess_inconsistency", "i_squared_band"]

_SINGLE = "inconsistency.single-study"
_POOLED = "inconsistency.pooled"
_BETWEEN = "inconsistency.between-studies"
_DIRECTIONS = "inconsistency.directions"


def i_squared_band(i2: float) -> str:
    """The Cochrane Handbook's reading of I² (ch. 10.10.2; the bands overlap, evigrade names
    the higher one reached)."""
    if i2 >= 75:
        return "considerable"
    if i2 >= 50:
        return "may be substantial"
    if i2 >= 30:
        return "may be moderate"
    return "might not be important"


def _included(item: EvidenceItem) -> int | None:
    """The studies a pooled result pools (the link's, else the study's), None if unrecorded;
    1 for any other study."""
    if not item.design.is_synthesis:
        return 1
    return item.link.included_studies or item.study.included_studies


def _pooled_finding(item: EvidenceItem, heterogeneity: Heterogeneity | None) -> tuple[int, str]:
    """A pooled result's own heterogeneity: I² >= 50% (substantial) serious, never more: its
    studies' directions are not shown (evigrade rule; a reviewer can rate it twice)."""
    k = _included(item)
    studies = count_of(k, "study") if k is not None else "an unrecorded number of studies"
    if heterogeneity is None:
        return 0, (
            f"{item.id}: heterogeneity not recorded for {studies}: inconsistency not assessed, "
            "not rated down"
        )
    i2 = heterogeneity.i2
    detail = f"I² = {i2:.0f}% ({i_squared_band(i2)})"
    if heterogeneity.tau2 is not None:
        detail += f", tau² = {heterogeneity.tau2:g}"
    if heterogeneity.p is not None:
        detail += f", p = {heterogeneity.p:g}"
    level = 1 if i2 >= 50 else 0
    return level, f"{item.id}: pooled result of {studies}, {detail}"


def _between(items: list[EvidenceItem]) -> tuple[int, str] | None:
    """Two or more effects on one measure with CIs: I² from the pooling, and the overlap of
    the CIs (GRADE 7: "minimal or no overlap"; benefit against harm)."""
    effects = [i.link.effect for i in items if i.link.effect is not None]
    pooled = pool(effects)
    if pooled is None or pooled.k < 2 or pooled.i_squared is None:
        return None
    measure = pooled.measure
    compared = sorted(
        (i for i in items if i.link.effect is not None and i.link.effect.measure == measure),
        key=lambda i: i.id,
    )
    intervals = []
    for item in compared:
        effect = item.link.effect
        assert effect is not None and effect.ci_low is not None and effect.ci_high is not None
        intervals.append((item.id, effect.ci_low, effect.ci_high))
    null = pooled.null_value
    below = [i for i, _, high in intervals if high < null]
    above = [i for i, low, _ in intervals if low > null]
    apart = [
        (a, b)
        for n, (a, a_low, a_high) in enumerate(intervals)
        for b, b_low, b_high in intervals[n + 1 :]
        if a_high < b_low or b_high < a_low
    ]
    i2 = pooled.i_squared
    spread = f"I² = {i2:.0f}% ({i_squared_band(i2)}), {count_of(pooled.k, 'study')} ({measure})"
    if i2 >= 75 and below and above:
        return 2, (
            f"{spread}, and CIs wholly on both sides of no effect ({', '.join(below)} below; "
            f"{', '.join(above)} above): benefit in some studies, harm in others"
        )
    if i2 >= 50 or apart:
        pairs = "; ".join(f"{a} and {b}" for a, b in apart[:3])
        more = f" and {len(apart) - 3} more pairs" if len(apart) > 3 else ""
        overlap = f"; CIs that do not overlap: {pairs}{more}" if apart else ""
        return 1, f"{spread}{overlap}"
    return 0, f"CIs overlap; {spread}"


def _directions(items: tuple[EvidenceItem, ...]) -> tuple[int, str] | None:
    """Without effects to compare: results that point in opposite directions are serious;
    a result that supports next to an inconclusive one is not inconsistency (GRADE 7)."""
    by_direction: dict[str, list[EvidenceItem]] = {}
    for item in items:
        by_direction.setdefault(item.link.direction, []).append(item)
    if len(by_direction) < 2:
        return None
    summary = "; ".join(
        f"{direction}: {names(group)}" for direction, group in sorted(by_direction.items())
    )
    if "supports" in by_direction and "contradicts" in by_direction:
        return 1, f"studies point in opposite directions ({summary})"
    return 0, (
        f"directions differ ({summary}), but an inconclusive or mixed result does not "
        "contradict the others, and no effects are recorded to compare"
    )


def assess_inconsistency(body: Body) -> Judgment:
    """Rate down for unexplained heterogeneity (GRADE 7): a pooled result's I² of 50% or more;
    between studies, I² of 50% or more or CIs that do not overlap (very serious with I² of
    75% or more and CIs on both sides of no effect); without effects, only results in opposite
    directions. A single study cannot be inconsistent."""
    items = body.items
    if len(items) == 1 and _included(items[0]) == 1:
        return judgment(
            "inconsistency",
            0,
            "1 study: consistency cannot be judged, not rated down",
            body.ids,
            _SINGLE,
        )
    findings: list[tuple[int, str, str]] = []
    for item in items:
        if item.design.is_synthesis and _included(item) != 1:
            effect = item.link.effect
            level, reason = _pooled_finding(item, effect.heterogeneity if effect else None)
            findings.append((level, reason, _POOLED))
    with_effect = [i for i in items if usable(i.link.effect)]
    between = _between(with_effect) if len(with_effect) >= 2 else None
    if between is not None:
        findings.append((*between, _BETWEEN))
    compared = {i.id for i in with_effect} if between is not None else set()
    if between is None or any(i.id not in compared for i in items):
        directions = _directions(items)
        if directions is not None:
            findings.append((*directions, _DIRECTIONS))
    if not findings:
        direction = items[0].link.direction
        studies = "both studies" if len(items) == 2 else f"all {len(items)} studies"
        findings.append((0, f"{studies} agree ({direction})", _DIRECTIONS))
    level = max(f[0] for f in findings)
    worst = next(f for f in findings if f[0] == level)
    others = [f[1] for f in findings if f is not worst]
    reason = worst[1] + (f"; also {'; '.join(others)}" if others else "")
    return judgment("inconsistency", level, reason, body.ids, worst[2])
