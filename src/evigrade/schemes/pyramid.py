"""The evidence pyramid: the design tier of the best evidence cited.

No single authority defines the pyramid; evigrade's tiers (docs/schemes.md) follow the common
form (systematic reviews > randomized trials > cohort > case-control > case series and reports >
expert opinion) with animal and laboratory research and, at the base, anecdotes below it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..designs import PYRAMID_TIERS
from ..grading import Assessment, direction_of, reading_notes
from ..hookspecs import hookimpl
from ..model import Grade, RationaleStep
from . import NO_EVIDENCE, Scheme, left_out_steps, no_evidence

__all__ = ["LABELS", "SCHEME", "grade"]

LABELS = (NO_EVIDENCE, *(PYRAMID_TIERS[tier] for tier in sorted(PYRAMID_TIERS)))


def grade(assessment: Assessment) -> Grade:
    """The pyramid tier of the best design cited for one claim."""
    tiered = [item for item in assessment.items if item.design.pyramid_tier is not None]
    if not tiered:
        return no_evidence("pyramid", assessment)
    best = max(item.design.pyramid_tier or 0 for item in tiered)
    top = tuple(item for item in tiered if item.design.pyramid_tier == best)
    designs = sorted({item.design.label.lower() for item in top})
    steps = [
        RationaleStep(
            "level",
            f"best design: {', '.join(designs)} (tier {best} of {len(PYRAMID_TIERS)})",
            studies=tuple(item.id for item in top),
        )
    ]
    below = sorted({item.design.pyramid_tier or 0 for item in tiered} - {best}, reverse=True)
    if below:
        steps.append(
            RationaleStep(
                "note",
                "also cited: "
                + "; ".join(
                    f"{PYRAMID_TIERS[tier]}: "
                    + ", ".join(sorted(i.id for i in tiered if i.design.pyramid_tier == tier))
                    for tier in below
                ),
            )
        )
    steps.extend(reading_notes(tiered))
    steps.extend(left_out_steps(assessment))
    return Grade(
        "pyramid",
        PYRAMID_TIERS[best],
        best,
        direction_of(top),
        tuple(steps),
        tuple(sorted(item.id for item in tiered)),
        assessment.pending,
        assessment.excluded,
    )


SCHEME = Scheme(
    name="pyramid",
    title="Evidence pyramid",
    labels=LABELS,
    grade=grade,
    description="The design tier of the best evidence: systematic reviews at the top, "
    "anecdotes at the base.",
    source="The evidence pyramid of evidence-based medicine teaching (no single authority).",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    register(SCHEME)
