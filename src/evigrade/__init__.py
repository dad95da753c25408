"""evigrade: grade the evidence behind health claims.

Load an evidence file, validate it against the published schema, and grade each claim under
GRADE, Oxford CEBM 2011, the evidence pyramid, or any scheme a plugin adds::

    import evigrade

    evidence = evigrade.load("examples/ldn-multiple-sclerosis.json")
    report = evigrade.grade_file(evidence)
    for result in report.results:
        print(result.claim.id, result.grades["grade"].label)
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib

#: typing.TYPE_CHECKING without importing typing, which ``import evigrade`` does not need.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .article import ClaimScorer, Extractor, Strength, claim_strength
    from .article.check import ArticleCheck, ClaimCheck, check_article
    from .assessors import Assessor, Body, EvidenceItem
    from .assessors.builtin import recorded_risk
    from .designs import BUILTIN_DESIGNS, Design
    from .domains import DOMAINS, Domain
    from .files import dump, dumps, from_data, load, loads, to_data
    from .formats import OutputFormat
    from .grading import (
        Assessment,
        ClaimResult,
        Report,
        assess,
        direction_of,
        grade_claim,
        grade_file,
        reading_notes,
    )
    from .hookspecs import hookimpl
    from .interop import Exporter, Importer, ImportRecord, ImportResult, export, import_files
    from .model import (
        Applicability,
        Claim,
        Effect,
        Events,
        EvidenceFile,
        EvidenceLink,
        Grade,
        Judgment,
        RationaleStep,
        RiskOfBias,
        Source,
        Study,
        StudyNote,
    )
    from .plugins import PluginFailure, PluginInfo, Registry, build_registry, get_registry
    from .schemes import NO_EVIDENCE, Scheme, left_out_steps, no_evidence
    from .validation import (
        EvidenceError,
        Problem,
        schema,
        validate_data,
        validate_file,
        validate_text,
    )

#: Where each public name lives: the module is imported when the name is first used, so that
#: ``import evigrade`` (and the command line) loads only what is asked for.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("ClaimScorer", "Extractor", "Strength", "claim_strength"), ".article"),
    **dict.fromkeys(("ArticleCheck", "ClaimCheck", "check_article"), ".article.check"),
    **dict.fromkeys(("Assessor", "Body", "EvidenceItem"), ".assessors"),
    "recorded_risk": ".assessors.builtin",
    **dict.fromkeys(("BUILTIN_DESIGNS", "Design"), ".designs"),
    **dict.fromkeys(("DOMAINS", "Domain"), ".domains"),
    **dict.fromkeys(("dump", "dumps", "from_data", "load", "loads", "to_data"), ".files"),
    "OutputFormat": ".formats",
    **dict.fromkeys(
        (
            "Assessment",
            "ClaimResult",
            "Report",
            "assess",
            "direction_of",
            "grade_claim",
            "grade_file",
            "reading_notes",
        ),
        ".grading",
    ),
    "hookimpl": ".hookspecs",
    **dict.fromkeys(
        ("Exporter", "Importer", "ImportRecord", "ImportResult", "export", "import_files"),
        ".interop",
    ),
    **dict.fromkeys(
        (
            "Applicability",
            "Claim",
            "Effect",
            "Events",
            "EvidenceFile",
            "EvidenceLink",
            "Grade",
            "Judgment",
            "RationaleStep",
            "RiskOfBias",
            "Source",
            "Study",
            "StudyNote",
        ),
        ".model",
    ),
    **dict.fromkeys(
        ("PluginFailure", "PluginInfo", "Registry", "build_registry", "get_registry"), ".plugins"
    ),
    **dict.fromkeys(("NO_EVIDENCE", "Scheme", "left_out_steps", "no_evidence"), ".schemes"),
    **dict.fromkeys(
        (
            "EvidenceError",
            "Problem",
            "schema",
            "validate_data",
            "validate_file",
            "validate_text",
        ),
        ".validation",
    ),
}


#: The submodules ``evigrade.NAME`` that importing evigrade has always made available, with the
#: modules each one brings (imported when first used).
_SUBMODULES: dict[str, tuple[str, ...]] = {
    "assessors": (".assessors", ".assessors.builtin"),
    **{
        name: (f".{name}",)
        for name in (
            "designs",
            "domains",
            "files",
            "formats",
            "grading",
            "hookspecs",
            "interop",
            "jsonpos",
            "model",
            "plugins",
            "schemes",
            "validation",
        )
    },
}


def __getattr__(name: str) -> Any:
    """Import a public name's module, or a submodule, when it is first used (PEP 562)."""
    if name in _SUBMODULES:
        for module in _SUBMODULES[name]:
            importlib.import_module(module, __name__)
        return globals()[name]  # set by the import
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})


__all__ = [
    "BUILTIN_DESIGNS",
    "DOMAINS",
    "NO_EVIDENCE",
    "Applicability",
    "ArticleCheck",
    "Assessment",
    "Assessor",
    "Body",
    "Claim",
    "ClaimCheck",
    "ClaimResult",
    "ClaimScorer",
    "Design",
    "Domain",
    "Effect",
    "Events",
    "EvidenceError",
    "EvidenceFile",
    "EvidenceItem",
    "EvidenceLink",
    "Exporter",
    "Extractor",
    "Grade",
    "ImportRecord",
    "ImportResult",
    "Importer",
    "Judgment",
    "OutputFormat",
    "PluginFailure",
    "PluginInfo",
    "Problem",
    "RationaleStep",
    "Registry",
    "Report",
    "RiskOfBias",
    "Scheme",
    "Source",
    "Strength",
    "Study",
    "StudyNote",
    "__version__",
    "assess",
    "available_designs",
    "available_schemes",
    "build_registry",
    "check_article",
    "claim_strength",
    "direction_of",
    "dump",
    "dumps",
    "export",
    "from_data",
    "get_registry",
    "grade_claim",
    "grade_file",
    "hookimpl",
    "import_files",
    "left_out_steps",
    "load",
    "loads",
    "no_evidence",
    "reading_notes",
    "recorded_risk",
    "render",
    "schema",
    "to_data",
    "validate_data",
    "validate_file",
    "validate_text",
]


def available_schemes() -> list[Scheme]:
    """Every registered grading scheme: the built-ins, then plugins' in loading order."""
    from .plugins import get_registry

    return list(get_registry().schemes.values())


def available_designs() -> list[Design]:
    """Every registered study design: the built-in taxonomy in order, then plugins'."""
    from .plugins import get_registry

    return list(get_registry().designs.values())


def render(report: Report, format: str = "table") -> str:
    """Render a grade report in a registered output format (table, json, markdown, ...)."""
    from .plugins import get_registry

    registry = get_registry()
    try:
        output = registry.formats[format]
    except KeyError:
        known = ", ".join(sorted(registry.formats))
        raise ValueError(f"unknown format {format!r}; available: {known}") from None
    text: str = output.render(report)
    return text
