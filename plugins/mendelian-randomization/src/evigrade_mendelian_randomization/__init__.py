"""Study designs for evigrade from outside its taxonomy: Mendelian randomization and target
trial emulation, registered through the ``evigrade_register_designs`` hook.

Both are observational: the investigators assign nothing. In a Mendelian randomization study
genetic variants, allocated at conception, stand in as instruments for an exposure (Davey
Smith & Ebrahim, Int J Epidemiol 2003;32:1-22); a target trial emulation analyses observational
data as if it followed the protocol of a randomized trial that was not done (Hernán & Robins,
Am J Epidemiol 2016;183:758-764). Each scheme reads a design's place from the
:class:`evigrade.Design`: GRADE starts both at Low as observational evidence (GRADE 18), the
Oxford CEBM 2011 table places them with non-randomized controlled cohort studies (Level 3) and
the evidence pyramid with cohort studies (tier 6). The README lists the sources and which of
these are this plugin's own choices.
"""

from __future__ import annotations

from collections.abc import Callable

from evigrade.plugin import Design, hookimpl

__all__ = [
    "DESIGNS",
    "MENDELIAN_RANDOMIZATION",
    "TARGET_TRIAL_EMULATION",
    "evigrade_register_designs",
]

__version__ = "0.1.0"

#: FHIR SEVCO "observational research" (grading-rules.md section 10), the one code the published
#: mapping supports for these designs; evigrade writes codes as ``SEVCO:<code>``.
_OBSERVATIONAL = "SEVCO:01002"

MENDELIAN_RANDOMIZATION = Design(
    id="mendelian-randomization",
    label="Mendelian randomization study",
    family="non-randomized",
    randomized=False,
    needs_participants=True,
    grade_start=2,
    cebm_level=3,
    pyramid_tier=6,
    sevco=(_OBSERVATIONAL,),
    description="Genetic variants as instrumental variables for an exposure (one- or "
    "two-sample); observational: alleles are allocated at conception, not by the "
    "investigators.",
)

TARGET_TRIAL_EMULATION = Design(
    id="target-trial-emulation",
    label="Target trial emulation",
    family="non-randomized",
    randomized=False,
    needs_participants=True,
    grade_start=2,
    cebm_level=3,
    pyramid_tier=6,
    sevco=(_OBSERVATIONAL,),
    description="Observational data analysed to emulate the protocol of a randomized trial "
    "that was not done (eligibility, time zero, treatment strategies).",
)

#: The designs this plugin registers, in order.
DESIGNS: tuple[Design, ...] = (MENDELIAN_RANDOMIZATION, TARGET_TRIAL_EMULATION)


@hookimpl
def evigrade_register_designs(register: Callable[[Design], None]) -> None:
    """Register the Mendelian randomization and target trial emulation designs."""
    for design in DESIGNS:
        register(design)
