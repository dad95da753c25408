"""What a plugin author needs: the hook marker, the kinds a plugin registers, and the helpers a
grading scheme uses to finish its grade.

A plugin is a module (or object) with functions named like the hooks in
:mod:`evigrade.hookspecs`, decorated with :data:`hookimpl`, published under the ``evigrade``
entry-point group::

    from evigrade.plugin import Scheme, finish_grade, hookimpl

    @hookimpl
    def evigrade_register_schemes(register):
        register(Scheme("mine", "My scheme", ("No evidence", "Some"), grade))

A scheme reads the user's grading options as ``assessment.options`` (an assessor as
``body.options``): ``options.unassessed_risk`` is the policy for a study whose risk of bias the
file does not record, which :func:`study_risks` and :func:`counted_risk` apply the way every
built-in scheme does.

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
    DEFAULT_OPTIONS,
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
    GradingOptions,
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
from .risk import (
    RISKS,
    UNASSESSED_RISK_POLICIES,
    StudyRisk,
    UnassessedRisk,
    counted_risk,
    recorded_risk,
    study_risks,
)
from .words import count_of, plural, species_plural

__all__ = [
    "BUILTIN_DESIGNS",
    "DEFAULT_OPTIONS",
    "DOMAINS",
    "DOWN_DOMAINS",
    "FAMILIES",
    "NO_EVIDENCE",
    "PYRAMID_TIERS",
    "RISKS",
    "UNASSESSED_RISK_POLICIES",
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
    "GradingOptions",
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
    "StudyRisk",
    "UnassessedRisk",
    "assess",
    "build_registry",
    "count_of",
    "counted_risk",
    "direction_of",
    "finish_grade",
    "hookimpl",
    "left_out_steps",
    "no_evidence",
    "plural",
    "reading_notes",
    "recorded_risk",
    "species_plural",
    "study_risks",
]
