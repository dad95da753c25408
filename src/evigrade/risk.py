"""Risk of bias as recorded: a study's own assessment read from its tool's words.

One reading for every scheme that weighs risk of bias (the GRADE assessor and the scheme
plugins), so that the same assessment never means two things.
"""

from __future__ import annotations

from .model import RiskOfBias

__all__ = ["RISKS", "recorded_risk"]

_TOOL_WORDS: dict[str, dict[str, str]] = {
    "rob2": {"low": "low", "some-concerns": "some", "high": "high"},
    "robins-i": {
        "low": "low",
        "moderate": "some",
        "serious": "high",
        "critical": "critical",
        "no-information": "unclear",
    },
    "syrcle": {"low": "low", "some-concerns": "some", "high": "high", "unclear": "unclear"},
    "quadas-2": {"low": "low", "high": "high", "unclear": "unclear"},
    "other": {"low": "low", "some-concerns": "some", "high": "high", "unclear": "unclear"},
}
#: The risks a recorded assessment reads as, from least to most serious.
RISKS = ("low", "unclear", "some", "high", "critical")


def recorded_risk(assessment: RiskOfBias | None) -> tuple[str, str] | None:
    """(risk, what was read) from a study's own risk-of-bias assessment, or None without one.

    Risks: low, unclear, some, high, critical. RoB 2 and ROBINS-I overall judgments are the
    least favourable domain when only domains are given (Cochrane Handbook ch. 8); SYRCLE items
    answered "no" mean high risk, "unclear" unclear.
    """
    if assessment is None:
        return None
    words = _TOOL_WORDS[assessment.tool]
    if assessment.overall is not None and assessment.overall in words:
        return words[assessment.overall], f"{assessment.tool} overall {assessment.overall}"
    if not assessment.domains:
        return None
    if assessment.tool == "syrcle":
        answers = set(assessment.domains.values())
        risk = "high" if "no" in answers else "unclear" if "unclear" in answers else "low"
    else:
        risk = max(
            (words.get(v, "unclear") for v in assessment.domains.values()),
            key=RISKS.index,
        )
    return risk, f"{assessment.tool} domains (least favourable: {risk})"
