"""The evidence pyramid: the design tier of the best evidence cited.

No single authority defines the pyramid; evigrade's tiers (docs/schemes.md) follow the common
form (systematic reviews > randomized trials > cohort > case-control > case series and reports >
expert opinion) with animal and laboratory research and, at the base, anecdotes below it.
"""

from __future__ import annotations

from collections.abc import Callable

from ...grading import Assessment, finish_grade, no_evidence
from ...hookspecs import hookimpl
from ...kinds import NO_EVIDENCE, PYRAMID_TIERS, Scheme
from ...model import Grade, RationaleStep

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
    return finish_grade(
        assessment, "pyramid", PYRAMID_TIERS[best], best, steps, body=top, counted=tiered
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
