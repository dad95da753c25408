"""The built-in assessors: GRADE's eight domains computed from the data in the evidence file,
one module per domain (rating up: one module for its three domains).

The rules follow docs/schemes.md, which gives their sources; where the published rules leave a
choice, the choice is named in the judgment's reason ("evigrade rule: ...") and in the docs.
"""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...kinds import Assessor
from .imprecision import assess_imprecision
from .inconsistency import assess_inconsistency
from .indirectness import assess_indirectness
from .publication_bias import assess_publication_bias
from .rating_up import assess_dose_response, assess_large_effect, assess_plausible_confounding
from .risk_of_bias import assess_risk_of_bias

__all__ = ["ASSESSORS", "evigrade_register_assessors"]

ASSESSORS: tuple[Assessor, ...] = tuple(
    Assessor(
        f"evigrade.{function.__name__.removeprefix('assess_')}",
        domain,
        function,
        (function.__doc__ or "").split("\n\n")[0].replace("\n", " "),
    )
    for domain, function in (
        ("risk_of_bias", assess_risk_of_bias),
        ("inconsistency", assess_inconsistency),
        ("indirectness", assess_indirectness),
        ("imprecision", assess_imprecision),
        ("publication_bias", assess_publication_bias),
        ("large_effect", assess_large_effect),
        ("dose_response", assess_dose_response),
        ("plausible_confounding", assess_plausible_confounding),
    )
)


@hookimpl
def evigrade_register_assessors(register: Callable[[Assessor], None]) -> None:
    for assessor in ASSESSORS:
        register(assessor)
