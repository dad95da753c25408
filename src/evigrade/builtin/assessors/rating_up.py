"""Rating up: large effect, dose-response gradient and plausible confounding (GRADE 9). The
schemes decide whom they rate up: GRADE only comparative non-randomized bodies that nothing
rated down (which also meets the handbook's "no serious problems with risk of bias or
precision" for a very large effect)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...kinds import Body
from ...model import Judgment
from .common import control_risk
from .stats import or_to_rr, pool, usable

if TYPE_CHECKING:
    from ...model import Effect

__all__ = ["assess_dose_response", "assess_large_effect", "assess_plausible_confounding"]


def _risk_ratios(body: Body) -> tuple[list[tuple[Effect, str]], list[str]]:
    """The body's ratio effects with CIs as risk ratios (hazard ratios read as such; odds
    ratios converted at the control risk, Zhang & Yu 1998), with their study ids, and the ids
    of the odds ratios that could not be converted (no control risk known)."""
    from ...model import Effect  # (not at import: registering the assessors makes no Effect)

    risk = control_risk(body)
    found: list[tuple[Effect, str]] = []
    unconverted: list[str] = []
    for item in body.items:
        effect = item.link.effect
        if effect is None or not effect.is_ratio or not usable(effect):
            continue
        assert effect.ci_low is not None and effect.ci_high is not None
        estimate, low, high = effect.estimate, effect.ci_low, effect.ci_high
        if effect.measure == "OR":
            if risk is None:
                unconverted.append(item.id)
                continue
            p0 = min(risk[0], 0.999)
            estimate, low, high = (or_to_rr(v, p0) for v in (estimate, low, high))
        found.append((Effect("RR", estimate, low, high), item.id))
    return found, unconverted


def _none(reason: str, ids: tuple[str, ...] = ()) -> Judgment:
    return Judgment("large_effect", "none", reason, ids, "rule", "large_effect.ratio")


def assess_large_effect(body: Body) -> Judgment:
    """Rate up one level for "at least a two-fold reduction or increase in risk" and two for
    "at least a five-fold" one (GRADE 9), the body's risk ratio (one as reported, several
    pooled) beyond 2 or 0.5, or 5 or 0.2, with a CI that excludes no effect; odds ratios count
    only when a control risk converts them."""
    found, unconverted = _risk_ratios(body)
    skipped = (
        f"; odds ratios without a control risk to convert them: {', '.join(sorted(unconverted))}"
        if unconverted
        else ""
    )
    if not found:
        return _none(f"no risk-ratio estimate with a confidence interval{skipped}")
    pooled = pool([effect for effect, _ in found])
    assert pooled is not None
    ids = tuple(sorted(study for _, study in found))
    shown = f"RR {pooled.estimate:.2f} (95% CI {pooled.ci_low:.2f} to {pooled.ci_high:.2f})"
    if pooled.k > 1:
        shown += f", pooled from {pooled.k} effects"
    excludes_null = pooled.ci_high < 1 or pooled.ci_low > 1
    change = "reduction" if pooled.estimate < 1 else "increase"
    strength = max(pooled.estimate, 1 / pooled.estimate)
    if not excludes_null:
        return _none(f"{shown}: the CI includes no effect, so not a large effect{skipped}", ids)
    if strength >= 5:
        return Judgment(
            "large_effect",
            "very-large",
            f"{shown}: at least a five-fold {change} in risk (GRADE 9: very large){skipped}",
            ids,
            "rule",
            "large_effect.ratio",
        )
    if strength >= 2:
        return Judgment(
            "large_effect",
            "large",
            f"{shown}: at least a two-fold {change} in risk (GRADE 9: large){skipped}",
            ids,
            "rule",
            "large_effect.ratio",
        )
    return _none(
        f"{shown}: less than a two-fold {change} in risk, not a large effect (GRADE 9){skipped}",
        ids,
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
        "no dose-response gradient recorded for any study",
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
