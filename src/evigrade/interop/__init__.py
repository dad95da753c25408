"""Importers and exporters: evidence in from PubMed, ClinicalTrials.gov and FHIR; out to FHIR.

An importer reads one source file and yields :class:`ImportRecord` values, one per record of
the source: a study (and, where the source has results, claims), or a :class:`Problem` naming
the record that could not be read and where it is. :func:`import_files` merges the records of
many files into one validated :class:`~evigrade.model.EvidenceFile`, skipping bad records or
stopping at the first, as asked. An exporter turns an evidence file (and its grades) into a
JSON document. Both are registered through the plugin hooks, built-in ones included.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from ..files import from_data, to_data
from ..kinds import Registry
from ..model import Claim, EvidenceFile, Study
from ..plugins import guard, guarded_items
from ..problems import EvidenceError, Problem

__all__ = ["ImportResult", "export", "import_files"]

OnError = Literal["skip", "fail"]


@attrs.frozen
class ImportResult:
    """What an import made: the evidence file, the problems met, and the counts."""

    evidence: EvidenceFile
    problems: tuple[Problem, ...]
    records: int
    skipped: int
    #: Files that could not be read (or not to their end) and were skipped, with ``"skip"``.
    unreadable: tuple[str, ...] = ()


def import_files(
    kind: str,
    paths: Sequence[str | os.PathLike[str]],
    *,
    on_error: OnError = "fail",
    registry: Registry,
    title: str | None = None,
) -> ImportResult:
    """Import source files of one kind into one validated evidence file.

    With ``on_error="fail"`` the first bad record, or a file that cannot be read (missing,
    not UTF-8, not decompressible, over the size limit), raises :class:`EvidenceError` and
    nothing is imported. With ``"skip"`` bad records are counted, kept in the result's
    ``problems``, and left out; an unreadable file is reported there too and left out, the
    records read from it before the point where it broke (a truncated gzip file) kept, and
    the other files still imported (listed in ``unreadable``). A study id seen twice keeps its
    first record (the second is a problem).
    """
    importer = registry.importer(kind)
    studies: dict[str, Study] = {}
    claims: dict[str, Claim] = {}
    problems: list[Problem] = []
    unreadable: list[str] = []
    records = skipped = 0
    for path in paths:
        name = os.fspath(path)
        try:
            read = importer.read(name, registry)
            for record in guarded_items(registry, "importer", kind, read):
                problem = record.problem
                if problem is not None and problem.kind == "unreadable":
                    if on_error == "fail":
                        raise EvidenceError([problem], name)
                    problems.append(problem)  # the file, not a record: what was read is kept
                    unreadable.append(name)
                    break
                records += 1
                if problem is None and record.study is not None and record.study.id in studies:
                    problem = Problem(
                        f"study id {record.study.id!r} already imported: expected each record once",
                        file=name,
                        kind="semantic",
                        keyword="duplicate-record",
                    )
                if problem is not None:
                    if on_error == "fail":
                        raise EvidenceError([problem], name)
                    problems.append(problem)
                    skipped += 1
                    continue
                if record.study is not None:
                    studies[record.study.id] = record.study
                for claim in record.claims:
                    claims[claim.id] = (
                        _merge(claims[claim.id], claim) if claim.id in claims else claim
                    )
        except EvidenceError as error:
            if on_error == "fail" or not error.unreadable:
                raise
            problems.extend(error.problems)  # the importer could not read the file at all
            unreadable.append(name)
    evidence = EvidenceFile(
        studies=tuple(studies.values()), claims=tuple(claims.values()), title=title
    )
    designs = registry.designs
    from_data(to_data(evidence, designs=designs), designs=designs)  # raises if invalid
    return ImportResult(evidence, tuple(problems), records, skipped, tuple(unreadable))


def _merge(first: Claim, later: Claim) -> Claim:
    """One claim from two records of it: the first's fields where set, else the later's; the
    later judgment of a domain wins; one evidence link per study, the first kept."""
    fields = {
        name: getattr(first, name) if getattr(first, name) is not None else getattr(later, name)
        for name in (
            "population",
            "intervention",
            "comparator",
            "outcome",
            "outcome_kind",
            "outcome_type",
            "species",
        )
    }
    judgments = {j.domain: j for j in first.judgments}
    judgments.update({j.domain: j for j in later.judgments})
    cited = {link.study for link in first.evidence}
    evidence = first.evidence + tuple(link for link in later.evidence if link.study not in cited)
    extensions = {**later.extensions, **first.extensions}
    return attrs.evolve(
        first,
        evidence=evidence,
        judgments=tuple(judgments.values()),
        extensions=extensions,
        **fields,
    )


def export(kind: str, evidence: EvidenceFile, *, registry: Registry) -> Any:
    """The JSON document an exporter makes of an evidence file."""
    exporter = registry.exporter(kind)
    with guard(registry, "exporter", kind):
        return exporter.write(evidence, registry)
