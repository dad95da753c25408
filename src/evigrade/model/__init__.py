"""The evidence model: frozen attrs classes for studies, claims, the links between them, and grades.

Optional fields are ``None`` when the file leaves them out, so that dumping a loaded file writes
back exactly what was read; the ``effective`` properties (``Study.in_humans``, ``Study.is_pilot``
...) apply the format's defaults. Keys starting ``x-`` are kept in ``extensions``.

Its names live in three modules, each imported when one of its names is first used (PEP 562),
so that what needs only grades or only the enumerated values makes no evidence class:
:mod:`.values` (the enumerated values, as ``Literal`` types and tuples), :mod:`.grades`
(``Judgment``, ``RationaleStep``, ``StudyNote``, ``Grade``) and :mod:`.evidence` (the rest).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .evidence import (
        Applicability,
        Claim,
        Effect,
        Events,
        EvidenceFile,
        EvidenceLink,
        Heterogeneity,
        IncludedRiskOfBias,
        RiskOfBias,
        Source,
        Study,
        Thresholds,
    )
    from .grades import Grade, Judgment, RationaleStep, StudyNote
    from .values import *  # noqa: F403 - the Literal types of the fields too, for type checkers
    from .values import (
        APPLICABILITY,
        BLINDINGS,
        CONTROLS,
        DIRECTIONS,
        FUNDINGS,
        MEASURES,
        OUTCOME_KINDS,
        OUTCOME_TYPES,
        RATIO_MEASURES,
        RISK_OF_BIAS_TOOLS,
        SOURCE_KINDS,
        STATUSES,
        Direction,
    )

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
    "Applicability",
    "Claim",
    "Direction",
    "Effect",
    "Events",
    "EvidenceFile",
    "EvidenceLink",
    "Grade",
    "Heterogeneity",
    "IncludedRiskOfBias",
    "Judgment",
    "RationaleStep",
    "RiskOfBias",
    "Source",
    "Study",
    "StudyNote",
    "Thresholds",
]

#: The modules the names live in, the cheapest first.
_MODULES = ("values", "grades", "evidence")


def __getattr__(name: str) -> Any:
    """A name of the model, from the first of its modules that has it (PEP 562)."""
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if not name.startswith("__"):
        for module_name in _MODULES:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if name in vars(module):
                value = vars(module)[name]
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_MODULES})
