"""Small, exact statistics for assessors: standard errors from CIs, fixed-effect pooling, I²,
and the optimal information size. Sums use ``math.fsum`` so that the order of studies in a
file can never change a result.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import attrs

from ...model import RATIO_MEASURES, Effect

__all__ = ["Pooled", "optimal_information_size", "or_to_rr", "pool"]

Z95 = 1.959963984540054
Z80 = 0.8416212335729143  # power 0.8 (beta 0.2)


@attrs.frozen
class Pooled:
    """A fixed-effect inverse-variance pooled effect (on the measure's natural scale)."""

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    k: int
    i_squared: float | None

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES


def _scale(effect: Effect) -> tuple[float, float] | None:
    """(point, standard error) on the analysis scale (log for ratios), or None."""
    if effect.ci_low is None or effect.ci_high is None:
        return None
    low, high, point = effect.ci_low, effect.ci_high, effect.estimate
    if effect.is_ratio:
        if min(low, high, point) <= 0:
            return None
        low, high, point = math.log(low), math.log(high), math.log(point)
    se = (high - low) / (2 * Z95)
    if not se > 0 or not math.isfinite(se):
        return None
    return point, se


def pool(effects: Sequence[Effect]) -> Pooled | None:
    """Pool the effects of the most common measure that have a CI; None if none do."""
    usable = [e for e in effects if _scale(e) is not None]
    if not usable:
        return None
    counts = Counter(e.measure for e in usable)
    measure = min(counts, key=lambda m: (-counts[m], m))
    scaled = sorted(s for e in usable if e.measure == measure for s in [_scale(e)] if s)
    weights = [1 / (se * se) for _, se in scaled]
    total = math.fsum(weights)
    estimate = math.fsum(w * y for w, (y, _) in zip(weights, scaled, strict=True)) / total
    se = math.sqrt(1 / total)
    i_squared = None
    if len(scaled) > 1:
        q = math.fsum(w * (y - estimate) ** 2 for w, (y, _) in zip(weights, scaled, strict=True))
        df = len(scaled) - 1
        i_squared = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    low, high = estimate - Z95 * se, estimate + Z95 * se
    if measure in RATIO_MEASURES:
        estimate, low, high = math.exp(estimate), math.exp(low), math.exp(high)
    return Pooled(measure, estimate, low, high, len(scaled), i_squared)


def or_to_rr(odds_ratio: float, control_risk: float) -> float:
    """Convert an odds ratio to a risk ratio at a control-group risk (Zhang & Yu 1998)."""
    return odds_ratio / (1 - control_risk + control_risk * odds_ratio)


def optimal_information_size(control_risk: float, relative_reduction: float = 0.25) -> int:
    """Total participants for a two-arm trial to detect ``relative_reduction`` of a risk
    (alpha 0.05 two-sided, beta 0.2; GRADE 6)."""
    p0 = control_risk
    p1 = p0 * (1 - relative_reduction)
    per_arm = (Z95 + Z80) ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p0 - p1) ** 2
    return 2 * math.ceil(per_arm)
