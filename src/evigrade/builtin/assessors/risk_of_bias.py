"""Risk of bias: where the weight of the body lies (GRADE 4; Core GRADE 4; Cochrane Handbook
5.1 table 12.2.d), each study's risk read as the file records it (:func:`evigrade.risk.
study_risks`) and what is not recorded counted by the user's policy.
"""

from __future__ import annotations

import attrs

from ...kinds import Body, EvidenceItem
from ...model import Judgment
from ...risk import StudyRisk, counted_risk, study_risks
from ...words import count_of
from .common import judgment

__all__ = ["assess_risk_of_bias"]

_ASSESSED = "risk_of_bias.assessed"
_FEATURES = "risk_of_bias.design-features"
_NOT_ASSESSED = "risk_of_bias.not-assessed"

_WORDS = {
    "low": "low",
    "unclear": "unclear",
    "some": "some concerns",
    "high": "high",
    "critical": "critical",
}


def _against_start(item: EvidenceItem, entry: StudyRisk) -> StudyRisk:
    """ROBINS-I "moderate" is "sound for a non-randomized study" (Sterne et al., BMJ 2016):
    what a non-randomized body's Low start already assumes (GRADE 18 starts such bodies High
    only when ROBINS-I is then used to rate them down), so it does not rate them down again."""
    if entry.risk == "some" and entry.tool == "robins-i" and not item.randomized:
        return attrs.evolve(
            entry,
            risk="low",
            why=f"{entry.why}: sound for a non-randomized study, as its Low start assumes",
        )
    return entry


def assess_risk_of_bias(body: Body) -> Judgment:
    """Rate down once when most of the weight is not at low risk of bias, twice when most is
    at critical risk (GRADE 4, Core GRADE 4); studies weigh one each, a pooled result one per
    included study, and a study whose risk of bias is not recorded counts by the policy
    (unclear, or left out)."""
    policy = body.options.unassessed_risk
    weighed: list[tuple[str, StudyRisk]] = []  # (the risk counted, the entry)
    parts: list[str] = []
    filled: set[str] = set()
    left_out: list[str] = []
    total = low = critical = 0
    for item in body.items:
        whys = []
        for found in study_risks(item):
            entry = _against_start(item, found)
            whys.append(entry.why)
            risk = counted_risk(entry, policy)
            if risk is None:
                left_out.append(item.id)
                continue
            if entry.risk is None:
                filled.add(_WORDS[risk])
            weighed.append((risk, entry))
            total += entry.weight
            if risk == "low":
                low += entry.weight
            elif risk == "critical":
                critical += entry.weight
        parts.append(f"{item.id}: {', '.join(whys)}")
    detail = "; ".join(parts)
    policy_note = ""
    if filled:
        policy_note = (
            f"; what is not assessed counts as {' and '.join(sorted(filled))} (policy unclear)"
        )
    elif left_out:
        shown = ", ".join(dict.fromkeys(left_out))
        policy_note = f"; not assessed, left out (policy not-rated): {shown}"
    if total == 0:
        return judgment(
            "risk_of_bias",
            0,
            f"risk of bias not assessed ({detail}): not rated down (policy not-rated); a "
            "reviewer judgment can rate it",
            body.ids,
            _NOT_ASSESSED,
        )
    bad = total - low
    units = count_of(total, "study")
    if critical * 2 > total:
        return judgment(
            "risk_of_bias",
            2,
            f"most of the weight at critical risk of bias: {critical} of {units} "
            f"({detail}){policy_note}",
            body.ids,
            _ASSESSED,
        )
    if low * 2 > total:
        return judgment(
            "risk_of_bias",
            0,
            f"most of the weight at low risk of bias: {low} of {units} ({detail}){policy_note}",
            body.ids,
            _ASSESSED,
        )
    # Which reading the rating rests on: the recorded assessments alone, with the design
    # features, or only with what the policy counts for studies not assessed.
    tools = sum(e.weight for r, e in weighed if r != "low" and e.rule == _ASSESSED)
    recorded = sum(e.weight for r, e in weighed if r != "low" and e.risk is not None)
    rule = _ASSESSED if tools * 2 >= total else _FEATURES if recorded * 2 >= total else None
    if rule is None:
        rule = _NOT_ASSESSED if any(e.rule == _NOT_ASSESSED for _, e in weighed) else _FEATURES
    if rule == _NOT_ASSESSED:
        unassessed = sum(e.weight for _, e in weighed if e.risk is None)
        reason = (
            f"risk of bias not assessed for {unassessed} of {units}, counted as unclear "
            f"(policy unclear): most of the weight is not shown to be at low risk ({detail})"
        )
    else:
        reason = (
            f"most of the weight is not at low risk of bias: {bad} of {units} "
            f"({detail}){policy_note}"
        )
    return judgment("risk_of_bias", 1, reason, body.ids, rule)
