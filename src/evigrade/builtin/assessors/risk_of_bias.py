"""Risk of bias: a study's own assessment in its tool's words, else its design features
(Core GRADE 4).
"""

from __future__ import annotations

from ...kinds import Body, EvidenceItem
from ...model import Judgment
from ...risk import recorded_risk
from .common import count, judgment, names, share

__all__ = ["assess_risk_of_bias", "study_risk"]


def study_risk(item: EvidenceItem) -> tuple[str, str]:
    """(risk, why) for one study: its own assessment (:func:`recorded_risk`), else its design
    features."""
    study, design = item.study, item.design
    recorded = recorded_risk(study.risk_of_bias)
    if recorded is not None:
        return recorded
    has_comparison = design.family in ("randomized", "non-randomized")
    if has_comparison and study.control == "historical":
        return "high", "historical controls"
    if has_comparison and study.blinding == "none":
        return "high", "open-label: participants and assessors knew the allocation"
    return "unclear", "no risk-of-bias assessment in the file"


def assess_risk_of_bias(body: Body) -> Judgment:
    """Rate down when most of the evidence comes from studies at high risk (Core GRADE 4)."""
    items = body.items
    risks = {item.id: study_risk(item) for item in items}
    high = [i for i in body.items if risks[i.id][0] in ("high", "critical")]
    critical = [i for i in body.items if risks[i.id][0] == "critical"]
    detail = "; ".join(f"{i.id}: {risks[i.id][1]}" for i in high)
    if critical and share(critical, items) >= 0.5:
        return judgment(
            "risk_of_bias",
            2,
            f"{count(critical, items)} at critical risk of bias ({detail})",
            (i.id for i in high),
            "risk_of_bias.weight-at-high-risk",
        )
    if high and share(high, items) >= 0.5:
        return judgment(
            "risk_of_bias",
            1,
            f"{count(high, items)} at high risk of bias ({detail})",
            (i.id for i in high),
            "risk_of_bias.weight-at-high-risk",
        )
    assessed = [i for i in body.items if risks[i.id][0] != "unclear"]
    if not assessed:
        reason = (
            "no risk-of-bias assessment and no design flaw recorded "
            f"for {names(body.items)}; not rated down"
        )
    elif high:
        reason = f"only {count(high, items)} at high risk of bias ({detail}): not most"
    else:
        reason = "no study at high risk of bias"
    return judgment("risk_of_bias", 0, reason, body.ids, "risk_of_bias.weight-at-high-risk")
