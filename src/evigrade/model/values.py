"""The values of the evidence model's enumerated fields: each a ``Literal`` type, and the tuple of
its values derived from it (a test checks that the published schema lists the same values)."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "APPLICABILITY",
    "BLINDINGS",
    "CONTROLS",
    "DIRECTIONS",
    "FUNDINGS",
    "MEASURES",
    "OUTCOME_KINDS",
    "OUTCOME_TYPES",
    "RATIO_MEASURES",
    "RISK_OF_BIAS_TOOLS",
    "SOURCE_KINDS",
    "STATUSES",
    "Applicable",
    "Blinding",
    "BodyDirection",
    "Control",
    "Direction",
    "Funding",
    "Measure",
    "OutcomeKind",
    "OutcomeType",
    "SourceKind",
    "Status",
    "Tool",
    "null_value",
]

Direction = Literal["supports", "contradicts", "inconclusive", "mixed"]
BodyDirection = Literal["supports", "contradicts", "mixed", "none"]
Measure = Literal["RR", "OR", "HR", "RD", "MD", "SMD"]
Applicable = Literal["direct", "indirect", "very-indirect"]
SourceKind = Literal["article", "review", "guideline", "press-release", "social-post", "other"]
Tool = Literal["rob2", "robins-i", "syrcle", "quadas-2", "other"]
Blinding = Literal["none", "single", "double", "triple", "unknown"]
Control = Literal["none", "placebo", "active", "usual-care", "historical", "waitlist"]
Status = Literal["completed", "ongoing", "planned", "terminated", "retracted"]
Funding = Literal["industry", "public", "mixed", "none", "unknown"]
OutcomeKind = Literal["patient-important", "surrogate", "mechanism", "safety"]
OutcomeType = Literal["continuous", "dichotomous", "time-to-event"]

DIRECTIONS: tuple[str, ...] = get_args(Direction)
MEASURES: tuple[str, ...] = get_args(Measure)
APPLICABILITY: tuple[str, ...] = get_args(Applicable)
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
RISK_OF_BIAS_TOOLS: tuple[str, ...] = get_args(Tool)
BLINDINGS: tuple[str, ...] = get_args(Blinding)
CONTROLS: tuple[str, ...] = get_args(Control)
STATUSES: tuple[str, ...] = get_args(Status)
FUNDINGS: tuple[str, ...] = get_args(Funding)
OUTCOME_KINDS: tuple[str, ...] = get_args(OutcomeKind)
OUTCOME_TYPES: tuple[str, ...] = get_args(OutcomeType)

#: Effect measures on the ratio scale (no effect = 1, estimate > 0).
RATIO_MEASURES: frozenset[str] = frozenset({"RR", "OR", "HR"})


def null_value(measure: str) -> float:
    """The value meaning "no effect" on ``measure``'s scale: 1 for a ratio, 0 for a difference."""
    return 1.0 if measure in RATIO_MEASURES else 0.0
