"""Inconsistency: unexplained heterogeneity between the studies of a body (GRADE 7)."""

from __future__ import annotations

from ...kinds import Body, EvidenceItem
from ...model import Judgment
from .common import judgment, names, share
from .stats import pool

__all__ = ["assess_inconsistency"]


def assess_inconsistency(body: Body) -> Judgment:
    """Rate down for unexplained heterogeneity: I² when effects have CIs, else directions
    that disagree (GRADE 7); a single study cannot be inconsistent (not rated down)."""
    items = body.items
    if len(items) < 2:
        return judgment(
            "inconsistency",
            0,
            "single study: consistency cannot be judged, not rated down",
            body.ids,
            "inconsistency.single-study",
        )
    levels: list[tuple[int, str, str]] = []
    with_ci = [i for i in items if i.link.effect is not None and i.link.effect.ci_low is not None]
    pooled = pool([i.link.effect for i in with_ci if i.link.effect is not None])
    if pooled is not None and pooled.k >= 2 and pooled.i_squared is not None:
        i2 = pooled.i_squared
        null = 1.0 if pooled.is_ratio else 0.0
        estimates = [
            i.link.effect.estimate
            for i in with_ci
            if i.link.effect is not None and i.link.effect.measure == pooled.measure
        ]
        opposite = min(estimates) < null < max(estimates)
        if i2 >= 75 and opposite:
            levels.append(
                (
                    2,
                    f"I² = {i2:.0f}% (considerable) with effects on both sides of no effect",
                    "inconsistency.i-squared",
                )
            )
        elif i2 >= 50:
            band = "considerable" if i2 >= 75 else "substantial"
            levels.append((1, f"I² = {i2:.0f}% ({band})", "inconsistency.i-squared"))
        else:
            levels.append(
                (0, f"I² = {i2:.0f}% (might not be important)", "inconsistency.i-squared")
            )
    by_direction: dict[str, list[EvidenceItem]] = {}
    for item in items:
        by_direction.setdefault(item.link.direction, []).append(item)
    supports = by_direction.get("supports", [])
    against = by_direction.get("contradicts", [])
    disagree = len(by_direction) > 1 or "mixed" in by_direction
    if disagree:
        summary = "; ".join(
            f"{direction}: {names(group)}" for direction, group in sorted(by_direction.items())
        )
        if supports and against and min(share(supports, items), share(against, items)) >= 1 / 3:
            levels.append(
                (2, f"studies point in opposite directions ({summary})", "inconsistency.directions")
            )
        else:
            levels.append(
                (1, f"results differ between studies ({summary})", "inconsistency.directions")
            )
    elif not levels:
        levels.append(
            (
                0,
                f"all {len(items)} studies agree ({items[0].link.direction})",
                "inconsistency.directions",
            )
        )
    level, reason, rule = max(levels, key=lambda entry: entry[0])
    return judgment("inconsistency", level, reason, body.ids, rule)
