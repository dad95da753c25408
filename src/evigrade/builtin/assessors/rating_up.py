"""Rating up: large effect, dose-response gradient and plausible confounding (GRADE 9)."""

from __future__ import annotations

from ...kinds import Body
from ...model import Effect, Judgment
from .stats import or_to_rr, pool

__all__ = ["assess_dose_response", "assess_large_effect", "assess_plausible_confounding"]


def _ratio_estimates(body: Body) -> list[tuple[float, float, float, str]]:
    """(estimate, low, high, study) on the risk-ratio scale; ORs converted when possible."""
    result = []
    for item in body.items:
        effect = item.link.effect
        if effect is None or not effect.is_ratio or effect.ci_low is None or effect.ci_high is None:
            continue
        estimate, low, high = effect.estimate, effect.ci_low, effect.ci_high
        if effect.measure == "OR":
            events, size = item.link.events, item.size
            if events is None or not size:
                continue
            risk = min(events.control / (size / 2), 0.999)
            estimate, low, high = (or_to_rr(v, risk) for v in (estimate, low, high))
        result.append((estimate, low, high, item.id))
    return result


def assess_large_effect(body: Body) -> Judgment:
    """Rate up for a large (RR > 2 or < 0.5) or very large (> 5 or < 0.2) effect whose CI
    excludes no effect (GRADE 9); odds ratios count only when a control risk converts them."""
    estimates = _ratio_estimates(body)
    if not estimates:
        return Judgment(
            "large_effect",
            "none",
            "no risk-ratio estimate with a confidence interval",
            (),
            "rule",
            "large_effect.ratio",
        )
    pooled = pool([Effect("RR", e, lo, hi) for e, lo, hi, _ in estimates])
    assert pooled is not None
    ids = tuple(sorted(s for *_, s in estimates))
    shown = f"RR {pooled.estimate:.2f} (95% CI {pooled.ci_low:.2f} to {pooled.ci_high:.2f})"
    excludes_null = pooled.ci_high < 1 or pooled.ci_low > 1
    strength = max(pooled.estimate, 1 / pooled.estimate)
    if excludes_null and strength > 5:
        return Judgment(
            "large_effect",
            "very-large",
            f"{shown}: very large effect",
            ids,
            "rule",
            "large_effect.ratio",
        )
    if excludes_null and strength > 2:
        return Judgment(
            "large_effect", "large", f"{shown}: large effect", ids, "rule", "large_effect.ratio"
        )
    return Judgment(
        "large_effect", "none", f"{shown}: not a large effect", ids, "rule", "large_effect.ratio"
    )


def assess_dose_response(body: Body) -> Judgment:
    """A dose-response gradient shown by any study of the body (GRADE 9)."""
    showing = [i.id for i in body.items if i.link.dose_response]
    if showing:
        return Judgment(
            "dose_response",
            "present",
            f"dose-response gradient shown by {', '.join(sorted(showing))}",
            tuple(sorted(showing)),
            "rule",
            "dose_response.reported",
        )
    return Judgment(
        "dose_response",
        "absent",
        "no study reports a dose-response gradient",
        (),
        "rule",
        "dose_response.reported",
    )


def assess_plausible_confounding(body: Body) -> Judgment:
    """Whether all plausible confounding would reduce the effect cannot be read from study
    data; rating up for it needs a reviewer judgment."""
    return Judgment(
        "plausible_confounding",
        "absent",
        "not computable from study data; a reviewer judgment is needed to rate up",
        (),
        "rule",
        "plausible_confounding.reviewer-only",
    )
