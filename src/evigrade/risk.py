"""Risk of bias as recorded: a study's own assessment read from its tool's words, the counts of
a pooled result's included studies, the design features a file records, and the policy for
studies whose risk of bias nothing in the file records.

One reading for every scheme that weighs risk of bias (the GRADE assessor and the scheme
plugins), so that the same assessment never means two things and a study whose risk of bias
is not recorded counts the same way in every scheme (docs/schemes.md, "Risk of bias").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

import attrs

if TYPE_CHECKING:
    from .kinds import EvidenceItem
    from .model import IncludedRiskOfBias, RiskOfBias

__all__ = [
    "DEFAULT_UNASSESSED_RISK",
    "RISKS",
    "UNASSESSED_RISK_POLICIES",
    "Risk",
    "StudyRisk",
    "UnassessedRisk",
    "counted_risk",
    "recorded_risk",
    "study_risks",
]

Risk = Literal["low", "unclear", "some", "high", "critical"]

#: The risks a recorded assessment reads as, from least to most serious.
RISKS: tuple[str, ...] = get_args(Risk)

#: How a study whose risk of bias nothing in the file records is counted: ``unclear`` (at
#: unclear risk, which is not low) or ``not-rated`` (left out: risk of bias is not rated for
#: it). The same in every scheme that weighs risk of bias.
UnassessedRisk = Literal["unclear", "not-rated"]
UNASSESSED_RISK_POLICIES: tuple[str, ...] = get_args(UnassessedRisk)
DEFAULT_UNASSESSED_RISK: UnassessedRisk = "unclear"

_TOOL_WORDS: dict[str, dict[str, Risk]] = {
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

_RULE_ASSESSED = "risk_of_bias.assessed"
_RULE_FEATURES = "risk_of_bias.design-features"
_RULE_NOT_ASSESSED = "risk_of_bias.not-assessed"

#: Concurrent comparison groups a design-feature reading accepts.
_CONCURRENT = frozenset({"placebo", "active", "usual-care", "waitlist"})
_CONTROL_WORDS = {
    "placebo": "placebo-controlled",
    "active": "actively controlled",
    "usual-care": "controlled against usual care",
    "waitlist": "wait-list controlled",
}


def recorded_risk(assessment: RiskOfBias | None) -> tuple[Risk, str] | None:
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
    risk: Risk
    if assessment.tool == "syrcle":
        answers = set(assessment.domains.values())
        risk = "high" if "no" in answers else "unclear" if "unclear" in answers else "low"
    else:
        risk = max(
            (words.get(v, "unclear") for v in assessment.domains.values()),
            key=RISKS.index,
        )
    return risk, f"{assessment.tool} domains (least favourable: {risk})"


@attrs.frozen
class StudyRisk:
    """The risk of bias of some of the weight of one evidence item, as the file records it.

    ``risk`` is ``None`` when nothing recorded decides it (the policy does: see
    :func:`counted_risk`); ``weight`` is the number of studies it stands for (a pooled
    result's included studies, each one unit); ``rule`` names the reading:
    ``risk_of_bias.assessed`` (a tool's assessment or a review's counts),
    ``risk_of_bias.design-features`` or ``risk_of_bias.not-assessed``; ``tool`` is the tool
    whose words were read, when known.
    """

    risk: Risk | None
    why: str
    rule: str
    weight: int = 1
    tool: str | None = None

    @property
    def assessed(self) -> bool:
        """Whether something recorded decides this risk (the policy does not)."""
        return self.risk is not None


_COUNT_KEYS: tuple[tuple[str, Risk, str], ...] = (
    ("low", "low", "low"),
    ("some_concerns", "some", "some concerns"),
    ("high", "high", "high"),
    ("critical", "critical", "critical"),
    ("unclear", "unclear", "unclear"),
)


def _included_risks(counts: IncludedRiskOfBias, included: int) -> tuple[StudyRisk, ...]:
    tool = f" ({counts.tool})" if counts.tool else ""
    found: list[StudyRisk] = []
    for key, risk, words in _COUNT_KEYS:
        value = getattr(counts, key) or 0
        if value:
            found.append(
                StudyRisk(
                    risk,
                    f"{value} of {included} included studies at {words} risk{tool}",
                    _RULE_ASSESSED,
                    value,
                    counts.tool,
                )
            )
    rest = included - counts.counted
    if rest > 0:
        found.append(
            StudyRisk(
                None,
                f"not assessed for {rest} of {included} included studies",
                _RULE_NOT_ASSESSED,
                rest,
            )
        )
    return tuple(found)


def _design_features(item: EvidenceItem) -> StudyRisk:
    """The risk a comparative study's recorded design features show, without a tool."""
    study = item.study
    if study.control == "historical":
        return StudyRisk("high", "historical controls (design features)", _RULE_FEATURES)
    if study.blinding == "none":
        return StudyRisk(
            "high",
            "open-label, so participants and assessors knew the allocation (design features)",
            _RULE_FEATURES,
        )
    blinded = study.blinding in ("single", "double", "triple")
    controlled = study.control in _CONCURRENT
    if blinded and controlled:
        assert study.control is not None
        features = [f"{study.blinding}-blind", _CONTROL_WORDS[study.control]]
        if item.randomized:
            features.insert(0, "randomized")
        return StudyRisk(
            None,
            f"{', '.join(features)}; allocation concealment and attrition not "
            "recorded, so some concerns at best (design features)",
            _RULE_FEATURES,
        )
    recorded, missing = [], []
    if blinded:
        recorded.append(f"{study.blinding}-blind")
    else:
        missing.append("blinding")
    if controlled:
        assert study.control is not None
        recorded.append(_CONTROL_WORDS[study.control])
    else:
        missing.append("a concurrent control")
    shown = f"{', '.join(recorded)}, but " if recorded else ""
    return StudyRisk(
        None,
        f"not assessed: no tool's assessment; {shown}{' and '.join(missing)} not recorded",
        _RULE_NOT_ASSESSED,
    )


def study_risks(item: EvidenceItem) -> tuple[StudyRisk, ...]:
    """The recorded risk of bias of one evidence item, part by part.

    A pooled result (a synthesis) weighs one per included study (the link's
    ``included_studies``, else the study's): its included studies' counts (the link's
    ``included_risk_of_bias``, else the study's), those not counted there not assessed; else
    the review's own tool assessment for all of them; else not assessed. Any other study
    weighs one: its tool assessment (:func:`recorded_risk`); else, for a comparative study,
    its design features (historical controls and open-label comparisons are at high risk;
    blinding and a concurrent control, with allocation concealment and attrition not
    recorded, decide nothing alone); else not assessed.
    """
    study, link, design = item.study, item.link, item.design
    recorded = recorded_risk(study.risk_of_bias)
    tool = study.risk_of_bias.tool if study.risk_of_bias is not None else None
    if design.is_synthesis:
        counts = link.included_risk_of_bias or study.included_risk_of_bias
        included = link.included_studies or study.included_studies or 0
        if counts is not None:
            included = max(included, counts.counted)
            return _included_risks(counts, included)
        included = max(included, 1)
        if recorded is not None:
            risk, read = recorded
            return (StudyRisk(risk, read, _RULE_ASSESSED, included, tool),)
        what = f"its {included} included studies" if included > 1 else "its included study"
        return (
            StudyRisk(
                None,
                f"not assessed: no risk of bias recorded for {what}",
                _RULE_NOT_ASSESSED,
                included,
            ),
        )
    if recorded is not None:
        risk, read = recorded
        return (StudyRisk(risk, read, _RULE_ASSESSED, 1, tool),)
    if design.family in ("randomized", "non-randomized"):
        return (_design_features(item),)
    return (
        StudyRisk(
            None,
            "not assessed: no tool's assessment recorded",
            _RULE_NOT_ASSESSED,
        ),
    )


def counted_risk(entry: StudyRisk, policy: UnassessedRisk) -> Risk | None:
    """The risk ``entry`` counts at under the policy for what is not recorded: its recorded
    risk; else unclear (policy ``unclear``; ``some`` when design features were recorded) or
    ``None``, left out (policy ``not-rated``)."""
    if entry.risk is not None:
        return entry.risk
    if policy == "not-rated":
        return None
    return "some" if entry.rule == _RULE_FEATURES else "unclear"
