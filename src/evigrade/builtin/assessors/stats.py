"""Small, exact statistics for assessors: standard errors from CIs, random-effects pooling
(DerSimonian and Laird), Cochran's Q and I², and the optimal information size. Sums use
``math.fsum`` over values sorted first, so that the order of studies in a file can never change
a result.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from ...model import RATIO_MEASURES
from ...model.values import null_value

if TYPE_CHECKING:
    from ...model import Effect

__all__ = [
    "Pooled",
    "continuous_information_size",
    "optimal_information_size",
    "or_to_rr",
    "pool",
    "usable",
]

Z95 = 1.959963984540054
Z80 = 0.8416212335729143  # power 0.8 (beta 0.2)


@attrs.frozen
class Pooled:
    """The effect of a body, on the measure's natural scale: one effect's estimate and CI as
    reported (``k`` 1), or several pooled by inverse-variance random effects (DerSimonian and
    Laird, Cochrane Handbook ch. 10.10.4), with Cochran's ``q``, ``i_squared`` (percent) and
    ``tau2`` (on the analysis scale: log for ratios)."""

    measure: str
    estimate: float
    ci_low: float
    ci_high: float
    k: int
    i_squared: float | None = None
    q: float | None = None
    tau2: float | None = None

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def null_value(self) -> float:
        return null_value(self.measure)

    @property
    def se(self) -> float:
        """The standard error on the analysis scale, from the 95% CI (width / 3.92)."""
        low, high = self.ci_low, self.ci_high
        if self.is_ratio:
            low, high = math.log(low), math.log(high)
        return (high - low) / (2 * Z95)


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


def usable(effect: Effect | None) -> bool:
    """Whether an effect has a confidence interval that can be read (and pooled)."""
    return effect is not None and _scale(effect) is not None


def pool(effects: Sequence[Effect]) -> Pooled | None:
    """The effect of the most common measure among those with a usable CI (ties: the first
    measure by name): one effect as reported, several pooled by DerSimonian and Laird
    random effects (the fixed-effect estimate when tau² is 0). None if no effect has a CI."""
    found = [e for e in effects if usable(e)]
    if not found:
        return None
    if len(found) == 1:
        one = found[0]
        assert one.ci_low is not None and one.ci_high is not None
        return Pooled(one.measure, one.estimate, one.ci_low, one.ci_high, 1)
    counts = Counter(e.measure for e in found)
    measure = min(counts, key=lambda m: (-counts[m], m))
    chosen = sorted(
        (e for e in found if e.measure == measure),
        key=lambda e: (e.estimate, e.ci_low or 0.0, e.ci_high or 0.0),
    )
    if len(chosen) == 1:
        one = chosen[0]
        assert one.ci_low is not None and one.ci_high is not None
        return Pooled(measure, one.estimate, one.ci_low, one.ci_high, 1)
    scaled = sorted(s for e in chosen for s in [_scale(e)] if s)
    weights = [1 / (se * se) for _, se in scaled]
    total = math.fsum(weights)
    fixed = math.fsum(w * y for w, (y, _) in zip(weights, scaled, strict=True)) / total
    q = math.fsum(w * (y - fixed) ** 2 for w, (y, _) in zip(weights, scaled, strict=True))
    df = len(scaled) - 1
    i_squared = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    c = total - math.fsum(w * w for w in weights) / total
    tau2 = max(0.0, (q - df) / c) if c > 0 else 0.0
    random = [1 / (se * se + tau2) for _, se in scaled]
    total_random = math.fsum(random)
    estimate = math.fsum(w * y for w, (y, _) in zip(random, scaled, strict=True)) / total_random
    se = math.sqrt(1 / total_random)
    low, high = estimate - Z95 * se, estimate + Z95 * se
    if measure in RATIO_MEASURES:
        estimate, low, high = math.exp(estimate), math.exp(low), math.exp(high)
    return Pooled(measure, estimate, low, high, len(scaled), i_squared, q, tau2)


def or_to_rr(odds_ratio: float, control_risk: float) -> float:
    """Convert an odds ratio to a risk ratio at a control-group risk (Zhang & Yu 1998)."""
    return odds_ratio / (1 - control_risk + control_risk * odds_ratio)


def optimal_information_size(control_risk: float, relative_reduction: float = 0.25) -> int:
    """Total participants for a two-arm trial to detect ``relative_reduction`` of a risk
    (alpha 0.05 two-sided, beta 0.2, equal arms, two-proportion formula; GRADE 6)."""
    p0 = control_risk
    p1 = p0 * (1 - relative_reduction)
    per_arm = (Z95 + Z80) ** 2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p0 - p1) ** 2
    return 2 * math.ceil(per_arm)


def continuous_information_size(smd: float) -> int:
    """Total participants for a two-arm trial to detect a standardized difference ``smd``
    (alpha 0.05 two-sided, beta 0.2, equal arms): 2 x 2 (z + z)² / smd²."""
    per_arm = 2 * (Z95 + Z80) ** 2 / (smd * smd)
    return 2 * math.ceil(per_arm)
