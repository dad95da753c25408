"""Imprecision: the confidence interval, the optimal information size and pilot studies
(GRADE 6, 34/35).
"""

from __future__ import annotations

from ...kinds import Body
from ...model import Judgment
from .common import (
    APPRECIABLE_RATIO,
    APPRECIABLE_SMD,
    DEFAULT_INFORMATION_SIZE,
    SAFETY_INFORMATION_SIZE,
    judgment,
    median,
    names,
    share,
)
from .stats import optimal_information_size, pool

__all__ = ["assess_imprecision"]


def _information_size(body: Body) -> tuple[int, str]:
    """The optimal information size for the body, and how it was set."""
    if body.claim.effective_outcome_kind == "safety":
        return SAFETY_INFORMATION_SIZE, "harms: rule of three for a 1-in-100 harm"
    risks = []
    for item in body.items:
        events, size = item.link.events, item.size
        if events is not None and size and 0 < events.control < size / 2:
            risks.append(events.control / (size / 2))
    if risks:
        # The median study's control risk (evigrade rule): a property of the population, so
        # it does not move when one study grows; studies without control events say nothing
        # about it and are left out.
        risk = median(risks)
        return optimal_information_size(risk), f"control risk {risk:.1%}, RRR 25%"
    return DEFAULT_INFORMATION_SIZE, "rule of thumb when no control risk is known"


def _ci_level(body: Body) -> tuple[int, str] | None:
    effects = [i.link.effect for i in body.items if i.link.effect is not None]
    pooled = pool(effects)
    if pooled is None:
        return None
    low, high = pooled.ci_low, pooled.ci_high
    shown = f"{pooled.measure} {pooled.estimate:.2f} (95% CI {low:.2f} to {high:.2f})"
    if pooled.k > 1:
        shown = f"pooled {shown}, {pooled.k} studies"
    if pooled.is_ratio:
        benefit, harm = APPRECIABLE_RATIO
        crosses_null = low < 1 < high
        both = low < benefit and high > harm
        one = crosses_null and (low < benefit or high > harm)
    elif pooled.measure == "SMD":
        crosses_null = low < 0 < high
        both = low < -APPRECIABLE_SMD and high > APPRECIABLE_SMD
        one = crosses_null and (low < -APPRECIABLE_SMD or high > APPRECIABLE_SMD)
    else:
        crosses_null = low < 0 < high
        both = False
        one = crosses_null
    if both:
        return 2, f"{shown} includes appreciable benefit and appreciable harm"
    if one:
        return 1, f"{shown} includes no effect and an appreciable effect"
    if crosses_null:
        return 0, f"{shown} includes no effect but no appreciable effect"
    return 0, f"{shown} excludes no effect"


def assess_imprecision(body: Body) -> Judgment:
    """Rate down when the CI includes no effect and an appreciable effect, when the body is
    short of the optimal information size (far short: twice), or when it rests on pilot
    studies not powered for efficacy (GRADE 6, Core GRADE 2, GRADE 34/35)."""
    items = body.items
    findings: list[tuple[int, str, str]] = []
    ci = _ci_level(body)
    if ci is not None:
        findings.append((ci[0], ci[1], "imprecision.ci"))
    unknown = [i for i in items if i.size is None and i.design.needs_participants]
    if unknown and ci is None:
        findings.append(
            (
                1,
                f"sample size not reported ({names(unknown)}) and no confidence "
                "interval: precision cannot be shown",
                "imprecision.unknown-size",
            )
        )
    known = [i.size for i in items if i.size is not None]
    if known:
        total = sum(known)
        ois, how = _information_size(body)
        partial = " known" if unknown else ""
        people = "participant" if total == 1 else "participants"
        if total < ois / 2:
            findings.append(
                (
                    2,
                    f"{total}{partial} {people}, far short of the optimal "
                    f"information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
        elif total < ois:
            findings.append(
                (
                    1,
                    f"{total}{partial} {people}, short of the optimal "
                    f"information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
        else:
            findings.append(
                (
                    0,
                    f"{total} {people} meet the optimal information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
    pilots = [i for i in items if i.study.is_pilot]
    if pilots and len(pilots) == len(items):
        findings.append(
            (
                2,
                f"only pilot studies ({names(pilots)}), which are not powered for "
                "efficacy: far short of an adequate sample",
                "imprecision.pilot",
            )
        )
    elif share(pilots, items) >= 0.5:
        findings.append(
            (
                1,
                f"pilot studies ({names(pilots)}) are not powered for efficacy",
                "imprecision.pilot",
            )
        )
    if not findings:
        return judgment("imprecision", 0, "no sign of imprecision", body.ids, "imprecision.ci")
    level, reason, rule = max(findings, key=lambda f: f[0])
    if (
        ci is not None
        and ci[0] == 2
        and any(f[0] == 2 and f[2] == "imprecision.information-size" for f in findings)
    ):
        level, rule = 3, "imprecision.ci"
        reason = f"{ci[1]}, and the body is far short of the optimal information size"
    others = [f[1] for f in findings if f[1] != reason and f[0] > 0]
    if others and level > 0:
        reason = f"{reason}; also {'; '.join(others)}"
    return judgment("imprecision", level, reason, body.ids, rule)
