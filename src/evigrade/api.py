"""What a user of evigrade needs: load, validate, grade, render, import and export.

Every function takes ``registry=`` (which designs, assessors, schemes, formats, importers and
exporters there are) and, when it is not given, uses the installed plugins' registry
(:func:`get_registry`). The stages underneath are always told which registry to use. What a
plugin author needs is in :mod:`evigrade.plugin`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from . import files, grading, interop, validation
from .grading import ClaimResult, Report
from .interop import ImportResult, OnError
from .kinds import Design, Detail, GradingOptions, Registry, RenderOptions, Scheme, Strength
from .model import Claim, Effect, EvidenceFile, EvidenceLink, Grade, RationaleStep, Study
from .plugins import get_registry
from .problems import EvidenceError, Problem
from .risk import UNASSESSED_RISK_POLICIES
from .validation import schema

if TYPE_CHECKING:
    from .article.check import ArticleCheck
    from .report import ArticleView

__all__ = [
    "UNASSESSED_RISK_POLICIES",
    "Claim",
    "ClaimResult",
    "Effect",
    "EvidenceError",
    "EvidenceFile",
    "EvidenceLink",
    "Grade",
    "ImportResult",
    "Problem",
    "RationaleStep",
    "RenderOptions",
    "Report",
    "Strength",
    "Study",
    "available_designs",
    "available_schemes",
    "check_article",
    "claim_strength",
    "dump",
    "dumps",
    "export",
    "from_data",
    "get_registry",
    "grade_claim",
    "grade_file",
    "import_files",
    "load",
    "loads",
    "render",
    "render_html",
    "schema",
    "to_data",
    "validate_data",
    "validate_file",
    "validate_text",
]

Path = str | os.PathLike[str]


def _resolved(registry: Registry | None) -> Registry:
    return registry if registry is not None else get_registry()


# -- loading and writing ----------------------------------------------------------------------


def load(path: Path, *, registry: Registry | None = None) -> EvidenceFile:
    """Read, validate and load the evidence file at ``path``.

    Raises :class:`EvidenceError` carrying every problem found.
    """
    return files.load(path, designs=_resolved(registry).designs)


def loads(
    text: str | bytes, *, filename: str | None = None, registry: Registry | None = None
) -> EvidenceFile:
    """Parse, validate and load an evidence file from JSON text (``filename`` names it in
    problems). Raises :class:`EvidenceError` carrying every problem found."""
    return files.loads(text, designs=_resolved(registry).designs, filename=filename)


def from_data(
    data: Any, *, validate: bool = True, registry: Registry | None = None
) -> EvidenceFile:
    """Build the model from parsed JSON data, validating it first unless told not to."""
    return files.from_data(data, designs=_resolved(registry).designs, validate=validate)


def to_data(evidence: EvidenceFile, *, registry: Registry | None = None) -> dict[str, Any]:
    """The JSON data of an evidence file: what :func:`dump` writes."""
    return files.to_data(evidence, designs=_resolved(registry).designs)


def dumps(evidence: EvidenceFile, *, registry: Registry | None = None) -> str:
    """The evidence file as JSON text (two-space indent, UTF-8, final newline)."""
    return files.dumps(evidence, designs=_resolved(registry).designs)


def dump(
    evidence: EvidenceFile, target: Path | IO[str], *, registry: Registry | None = None
) -> None:
    """Write the evidence file to a path (atomically: all or nothing) or an open text file."""
    files.dump(evidence, target, designs=_resolved(registry).designs)


# -- validation -------------------------------------------------------------------------------


def validate_file(path: Path, *, registry: Registry | None = None) -> list[Problem]:
    """Every problem of the evidence file at ``path``; an unreadable file gives one problem of
    kind ``unreadable``."""
    return validation.validate_file(path, designs=_resolved(registry).designs)


def validate_text(
    text: str, filename: str | None = None, *, registry: Registry | None = None
) -> list[Problem]:
    """Every problem of an evidence file given as JSON text, with lines and columns."""
    return validation.validate_text(text, filename, designs=_resolved(registry).designs)


def validate_data(data: Any, *, registry: Registry | None = None) -> list[Problem]:
    """Every problem of already-parsed JSON data (schema, then semantic rules; no lines)."""
    return validation.validate_data(data, designs=_resolved(registry).designs)


# -- grading and rendering --------------------------------------------------------------------


def _scheme_names(
    schemes: Sequence[str] | None, registry: Registry | None = None
) -> Sequence[str] | None:
    """The names asked for, checked to be a sequence; with a registry, read as
    :meth:`Registry.select_schemes` reads them (each once, ``"all"`` for every scheme)."""
    if isinstance(schemes, str):
        raise TypeError(
            f"schemes is a sequence of scheme names, found the string {schemes!r} "
            f"(for one scheme: [{schemes!r}])"
        )
    if registry is None or not schemes:
        return schemes
    return registry.select_schemes(schemes)


def _options(unassessed_risk: str) -> GradingOptions:
    """The grading options; ``ValueError`` names the accepted values of a bad one."""
    if unassessed_risk not in UNASSESSED_RISK_POLICIES:
        raise ValueError(
            f"unassessed_risk must be one of {', '.join(map(repr, UNASSESSED_RISK_POLICIES))}, "
            f"found {unassessed_risk!r}"
        )
    return GradingOptions(unassessed_risk=unassessed_risk)  # type: ignore[arg-type]


def grade_file(
    evidence: EvidenceFile | Path,
    schemes: Sequence[str] | None = None,
    *,
    registry: Registry | None = None,
    timeout: float | None = None,
    unassessed_risk: str = "unclear",
) -> Report:
    """Grade every claim of an evidence file (a loaded file, or a path to load) under each
    named scheme (``"all"``: every registered one), by default every registered scheme.
    (``evigrade grade`` grades under GRADE alone unless told otherwise; so does
    ``evigrade.corpus.grade_lines``.)

    ``timeout`` limits the seconds one scheme may take for one claim; a scheme that fails is
    left out and reported in the report's ``failures``. ``unassessed_risk`` is how a study
    whose risk of bias nothing in the file records counts, in every scheme that weighs risk
    of bias: ``"unclear"`` (at unclear risk: a body mostly of such studies is rated down
    once) or ``"not-rated"`` (left out: risk of bias is not rated for it); see
    docs/schemes.md.
    """
    options = _options(unassessed_risk)
    known = _resolved(registry)
    names = _scheme_names(schemes, known)
    name: str | None = None
    if not isinstance(evidence, EvidenceFile):
        name = os.fspath(evidence)
        evidence = files.load(name, designs=known.designs)
    return grading.grade_file(
        evidence, names, registry=known, timeout=timeout, file=name, options=options
    )


def grade_claim(
    claim: Claim,
    evidence: EvidenceFile,
    schemes: Sequence[str] | None = None,
    *,
    registry: Registry | None = None,
    timeout: float | None = None,
    unassessed_risk: str = "unclear",
) -> ClaimResult:
    """Grade one claim of a loaded file: its grade under each scheme that succeeded, and the
    plugin failures of those that did not (the result's ``failures``). ``unassessed_risk``
    as for :func:`grade_file`."""
    known = _resolved(registry)
    names = _scheme_names(schemes, known)
    return grading.grade_claim(
        claim,
        evidence,
        names,
        registry=known,
        timeout=timeout,
        options=_options(unassessed_risk),
    )


def render(
    report: Report,
    format: str = "table",
    *,
    registry: Registry | None = None,
    detail: Detail = "moves",
    width: int | None = None,
) -> str:
    """A grade report in a registered output format (table, json, markdown, ...).

    ``detail`` is how much of each rationale the table and Markdown show: ``"moves"`` (the
    steps that set or moved each grade, and the notes that matter) or ``"full"`` (every step;
    JSON always has every step). ``width`` lays the table out for a terminal of that many
    columns; ``None`` (the default) gives text of no fixed width, never wrapped.
    """
    from .plugins import guard

    options = RenderOptions(detail=detail, width=width)
    resolved = _resolved(registry)
    chosen = resolved.output_format(format)
    with guard(resolved, "format", format):
        text: str = chosen.text(report, options)
    return text


def render_html(
    report: Report,
    *,
    registry: Registry | None = None,
    article: ArticleView | None = None,
    palette: str = "cochrane",
    weighted: bool = True,
) -> str:
    """A grade report as one self-contained HTML page: summary of findings, evidence profile,
    risk-of-bias plots, evidence map, and every scheme's grade side by side (docs/report.md).

    ``article`` adds a checked article as a section; ``palette`` is the risk-of-bias palette
    the page opens with (``cochrane`` or ``colourblind``); ``weighted`` weights the risk-of-bias
    summary bars by participants where every study's size is known. Needs the ``report``
    extra (Jinja2).
    """
    from .report.html import render_html as render

    return render(
        report,
        registry=_resolved(registry),
        article=article,
        palette=palette,
        weighted=weighted,
    )


def available_schemes(*, registry: Registry | None = None) -> list[Scheme]:
    """Every registered grading scheme: the built-ins, then plugins' in loading order."""
    return list(_resolved(registry).schemes.values())


def available_designs(*, registry: Registry | None = None) -> list[Design]:
    """Every registered study design: the built-in taxonomy in order, then plugins'."""
    return list(_resolved(registry).designs.values())


# -- importing and exporting ------------------------------------------------------------------


def import_files(
    kind: str,
    paths: Sequence[Path],
    *,
    on_error: OnError = "fail",
    title: str | None = None,
    registry: Registry | None = None,
) -> ImportResult:
    """Import source files of one kind (pubmed, ctgov, fhir, or a plugin's) into one
    validated evidence file.

    With ``on_error="fail"`` the first bad record raises :class:`EvidenceError`; with
    ``"skip"`` bad records are left out and kept in the result's ``problems``.
    """
    return interop.import_files(
        kind, paths, on_error=on_error, registry=_resolved(registry), title=title
    )


def export(kind: str, evidence: EvidenceFile, *, registry: Registry | None = None) -> Any:
    """The JSON document an exporter (fhir, or a plugin's) makes of an evidence file."""
    return interop.export(kind, evidence, registry=_resolved(registry))


# -- checking an article -----------------------------------------------------------------------


def check_article(
    text: str | bytes,
    *,
    name: str = "",
    kind: str = "auto",
    schemes: Sequence[str] | None = None,
    publisher: Sequence[str] = (),
    scorer: str | None = None,
    claims_extractor: str | None = None,
    references_extractor: str | None = None,
    registry: Registry | None = None,
) -> ArticleCheck:
    """Check a health article given as its text (plain text, Markdown or HTML; ``kind``, or
    ``name``'s suffix, says which, else it is detected): its claims, their evidence and grades,
    the claims worded more strongly than the evidence allows, the citation audit and conflicts
    of interest (docs/check.md). Needs the ``check`` extra."""
    from .article.check import check_article as check

    return check(
        text,
        name=name,
        kind=kind,
        schemes=_scheme_names(schemes),
        publisher=publisher,
        scorer=scorer,
        claims_extractor=claims_extractor,
        references_extractor=references_extractor,
        registry=_resolved(registry),
    )


def claim_strength(
    sentence: str, *, scorer: str | None = None, registry: Registry | None = None
) -> Strength:
    """How strongly ``sentence`` words a finding: its level (0 none, 1 correlational, 2
    conditional causal, 3 direct causal) and the cue words, by the registered scorer
    ``scorer`` (default: the built-in ``rules``)."""
    from .article import claim_strength as score

    return score(sentence, registry=_resolved(registry), scorer=scorer)


def __getattr__(name: str) -> Any:
    """The checker's result classes, imported when first used (the checker is not loaded by
    the other commands)."""
    if name in ("ArticleCheck", "ClaimCheck"):
        from .article import check

        return getattr(check, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
