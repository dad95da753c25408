"""The study-design taxonomy: each design defined once, with what every scheme needs of it.

A design's GRADE start, Oxford CEBM 2011 level, pyramid tier and FHIR SEVCO codes sit together
in its :class:`Design`; schemes read them from here and never keep tables of their own.
Plugins add designs through the ``evigrade_register_designs`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from .hookspecs import hookimpl

__all__ = ["BUILTIN_DESIGNS", "FAMILIES", "PYRAMID_TIERS", "Design", "Family"]

Family = Literal[
    "randomized",
    "non-randomized",
    "uncontrolled",
    "non-human",
    "non-empirical",
]

#: Families in order of the strength of their designs, strongest first.
FAMILIES: tuple[Family, ...] = (
    "randomized",
    "non-randomized",
    "uncontrolled",
    "non-human",
    "non-empirical",
)

#: The evidence pyramid, tier number -> label; higher is stronger (docs/schemes.md#pyramid).
PYRAMID_TIERS: dict[int, str] = {
    8: "Systematic review or meta-analysis",
    7: "Randomized controlled trial",
    6: "Cohort or non-randomized controlled study",
    5: "Case-control or other observational study",
    4: "Case series or case report",
    3: "Expert opinion or mechanistic reasoning",
    2: "Animal or laboratory research",
    1: "Anecdote",
}

GradeStart = Literal[1, 2, 3, 4]


@attrs.frozen
class Design:
    """One study design and its place in every built-in scheme.

    ``grade_start`` is the GRADE starting certainty (4 High .. 1 Very low), or ``None`` when
    the design is not evidence under GRADE (opinion, mechanism, anecdote, protocol).
    ``cebm_level`` is the Oxford CEBM 2011 "does this intervention help?" level, or ``None``
    where the table has none. ``randomized`` is ``None`` for designs that may or may not be
    randomized (animal and laboratory experiments).
    """

    id: str
    label: str
    family: Family
    randomized: bool | None
    needs_participants: bool
    grade_start: GradeStart | None
    cebm_level: int | None
    pyramid_tier: int | None
    sevco: tuple[str, ...] = ()
    has_results: bool = True
    in_humans: bool = True
    description: str = ""

    @property
    def pyramid_label(self) -> str | None:
        """The evidence-pyramid tier this design sits in, or ``None`` (protocols)."""
        return None if self.pyramid_tier is None else PYRAMID_TIERS[self.pyramid_tier]

    @property
    def counts_for_grade(self) -> bool:
        """Whether a completed study of this design is evidence under GRADE."""
        return self.grade_start is not None and self.has_results


def _sevco(*codes: str) -> tuple[str, ...]:
    return tuple(f"SEVCO:{code}" for code in codes)


BUILTIN_DESIGNS: tuple[Design, ...] = (
    # Randomized.
    Design(
        "meta-analysis",
        "Meta-analysis",
        "randomized",
        True,
        True,
        4,
        1,
        8,
        description="Statistical synthesis of studies; of randomized trials unless `of` "
        "names another design, and then it starts where its studies start.",
    ),
    Design(
        "systematic-review",
        "Systematic review",
        "randomized",
        True,
        True,
        4,
        1,
        8,
        description="Systematic review; of randomized trials unless `of` names another design.",
    ),
    Design(
        "rct",
        "Randomized controlled trial",
        "randomized",
        True,
        True,
        4,
        2,
        7,
        _sevco("01003"),
        description="Parallel-group randomized trial.",
    ),
    Design(
        "crossover-rct",
        "Randomized crossover trial",
        "randomized",
        True,
        True,
        4,
        2,
        7,
        _sevco("01003", "01012"),
    ),
    Design(
        "cluster-rct",
        "Cluster-randomized trial",
        "randomized",
        True,
        True,
        4,
        2,
        7,
        _sevco("01003", "01015"),
    ),
    Design(
        "n-of-1-trial",
        "N-of-1 trial",
        "randomized",
        True,
        True,
        4,
        1,
        7,
        _sevco("01003", "01025"),
        description="Randomized multiple-crossover trial in one patient.",
    ),
    # Non-randomized, with a comparison.
    Design(
        "non-randomized-trial",
        "Non-randomized controlled trial",
        "non-randomized",
        False,
        True,
        2,
        3,
        6,
        _sevco("01005"),
    ),
    Design(
        "prospective-cohort",
        "Prospective cohort study",
        "non-randomized",
        False,
        True,
        2,
        3,
        6,
        _sevco("01002", "01011", "01045"),
    ),
    Design(
        "retrospective-cohort",
        "Retrospective cohort study",
        "non-randomized",
        False,
        True,
        2,
        3,
        6,
        _sevco("01002", "01011", "01039"),
        description="Includes chart reviews and registry studies.",
    ),
    Design(
        "case-control",
        "Case-control study",
        "non-randomized",
        False,
        True,
        2,
        4,
        5,
        _sevco("01013"),
    ),
    Design(
        "cross-sectional",
        "Cross-sectional study",
        "non-randomized",
        False,
        True,
        2,
        None,
        5,
        _sevco("01027"),
    ),
    Design(
        "interrupted-time-series",
        "Interrupted time series or before-after study",
        "non-randomized",
        False,
        True,
        2,
        4,
        6,
        _sevco("01018"),
        description="Also before-after and quasi-experimental studies.",
    ),
    Design(
        "ecological",
        "Ecological study",
        "non-randomized",
        False,
        True,
        2,
        None,
        5,
        _sevco("01044"),
    ),
    # Uncontrolled.
    Design(
        "single-arm-trial",
        "Single-arm trial",
        "uncontrolled",
        False,
        True,
        1,
        4,
        4,
        _sevco("01001", "01016"),
        description="Open-label trial without a control arm; graded as a case series.",
    ),
    Design(
        "case-series",
        "Case series",
        "uncontrolled",
        False,
        True,
        1,
        4,
        4,
        _sevco("01016"),
    ),
    Design(
        "case-report",
        "Case report",
        "uncontrolled",
        False,
        True,
        1,
        4,
        4,
        _sevco("01017"),
        description="One patient (n = 1).",
    ),
    # Not in humans.
    Design(
        "animal",
        "Animal study",
        "non-human",
        None,
        True,
        2,
        5,
        2,
        in_humans=False,
        description="In vivo experiment; `species` says which animal.",
    ),
    Design(
        "in-vitro",
        "Laboratory (in vitro) study",
        "non-human",
        None,
        False,
        2,
        5,
        2,
        in_humans=False,
    ),
    # Not empirical, or no results.
    Design(
        "mechanistic",
        "Mechanism-based reasoning",
        "non-empirical",
        False,
        False,
        None,
        5,
        3,
        description="Hypothesis and mechanism-based reasoning.",
    ),
    Design(
        "narrative-review",
        "Narrative review",
        "non-empirical",
        False,
        False,
        None,
        None,
        3,
    ),
    Design(
        "expert-opinion",
        "Expert opinion",
        "non-empirical",
        False,
        False,
        None,
        None,
        3,
    ),
    Design("guideline", "Guideline", "non-empirical", False, False, None, None, 3),
    Design(
        "anecdote",
        "Anecdote",
        "non-empirical",
        False,
        True,
        None,
        None,
        1,
        description="Testimonials, forum and social-media reports.",
    ),
    Design(
        "protocol",
        "Protocol (no results)",
        "non-empirical",
        None,
        True,
        None,
        None,
        None,
        has_results=False,
        description="A registered or published plan with no results yet; listed as pending.",
    ),
)


@hookimpl
def evigrade_register_designs(register: Callable[[Design], None]) -> None:
    for design in BUILTIN_DESIGNS:
        register(design)
