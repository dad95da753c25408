"""What a plugin author needs: the hook marker, the kinds a plugin registers, and the helpers a
grading scheme uses to finish its grade.

A plugin is a module (or object) with functions named like the hooks in
:mod:`evigrade.hookspecs`, decorated with :data:`hookimpl`, published under the ``evigrade``
entry-point group::

    from evigrade.plugin import Scheme, finish_grade, hookimpl

    @hookimpl
    def evigrade_register_schemes(register):
        register(Scheme("mine", "My scheme", ("No evidence", "Some"), grade))

:mod:`evigrade.testing` has the conformance kit, Hypothesis strategies and a pytest plugin for
testing one.
"""

from __future__ import annotations

from .builtin.designs import BUILTIN_DESIGNS
from .domains import DOMAINS, DOWN_DOMAINS, UP_DOMAINS, Domain
from .grading import (
    Assessment,
    assess,
    direction_of,
    finish_grade,
    left_out_steps,
    no_evidence,
    reading_notes,
)
from .hookspecs import hookimpl
from .kinds import (
    FAMILIES,
    NO_EVIDENCE,
    PYRAMID_TIERS,
    Assessor,
    Body,
    ClaimScorer,
    Design,
    EvidenceItem,
    Exporter,
    ExportError,
    Extractor,
    Importer,
    ImportRecord,
    OutputFormat,
    PluginFailure,
    PluginInfo,
    Registry,
    RenderOptions,
    Scheme,
    Strength,
)
from .model import Grade, Judgment, RationaleStep, StudyNote
from .plugins import build_registry
from .risk import recorded_risk

__all__ = [
    "BUILTIN_DESIGNS",
    "DOMAINS",
    "DOWN_DOMAINS",
    "FAMILIES",
    "NO_EVIDENCE",
    "PYRAMID_TIERS",
    "UP_DOMAINS",
    "Assessment",
    "Assessor",
    "Body",
    "ClaimScorer",
    "Design",
    "Domain",
    "EvidenceItem",
    "ExportError",
    "Exporter",
    "Extractor",
    "Grade",
    "ImportRecord",
    "Importer",
    "Judgment",
    "OutputFormat",
    "PluginFailure",
    "PluginInfo",
    "RationaleStep",
    "Registry",
    "RenderOptions",
    "Scheme",
    "Strength",
    "StudyNote",
    "assess",
    "build_registry",
    "direction_of",
    "finish_grade",
    "hookimpl",
    "left_out_steps",
    "no_evidence",
    "reading_notes",
    "recorded_risk",
]
