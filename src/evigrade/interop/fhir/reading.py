"""Reading a FHIR R5 JSON file, a resource or a Bundle of them: its resources in the order
their references need, and the certainty ratings merged into the claims they rate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from ...kinds import ImportRecord, Registry
from ...problems import Problem
from .elements import Bad, as_list, unique
from .reader import Reader

__all__ = [
    "read_fhir",
]


def read_fhir(path: str, registry: Registry) -> Iterator[ImportRecord]:
    """Read one FHIR R5 JSON file (a resource or a Bundle of them) into import records.

    Citations come first, then Evidence, then ArtifactAssessments, so that references between
    them resolve; an ArtifactAssessment's judgments are merged into the claim of an Evidence in
    the same file. Other resource types inside a Bundle are passed over.
    """
    from ...jsonpos import depth_exceeded_at, line_column, pointer_at
    from ...validation import MAX_DEPTH, read_text
    from ...validation.parse import load_json

    text = read_text(path)  # raises EvidenceError when the file cannot be read at all
    deep = depth_exceeded_at(text, MAX_DEPTH)
    if deep is not None:
        line, column = line_column(text, deep)
        message = f"nesting too deep: expected at most {MAX_DEPTH} levels of arrays and objects"
        broken: Problem | None = Problem(
            message,
            pointer=pointer_at(text, deep + 1),
            file=path,
            line=line,
            column=column,
            kind="syntax",
            keyword="depth",
        )
    else:
        data, broken = load_json(text, path)
    if broken is not None:
        yield ImportRecord(problem=broken)
        return
    reader = Reader(path, registry)
    positions: list[Any] = []

    def problem(message: str, pointer: str) -> ImportRecord:
        if not positions:
            from ...jsonpos import source_map

            positions.append(source_map(text))
        where = positions[0].position(pointer)
        line, column = where if where is not None else (None, None)
        return ImportRecord(
            problem=Problem(
                message,
                pointer=pointer,
                file=path,
                line=line,
                column=column,
                kind="semantic",
                keyword="fhir",
            )
        )

    resources: list[tuple[str, dict[str, Any], str | None]] = []  # (pointer, resource, fullUrl)
    if not isinstance(data, dict):
        yield problem(f"expected a FHIR resource (a JSON object), found {_kind(data)}", "")
        return
    kind = data.get("resourceType")
    if kind == "Bundle":
        for index, entry in enumerate(as_list(data.get("entry"))):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                yield problem("Bundle entry without a resource", f"/entry/{index}")
                continue
            full = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
            if resource.get("resourceType") in _KINDS:
                resources.append((f"/entry/{index}/resource", resource, full))
    elif kind in _KINDS:
        resources.append(("", data, None))
    else:
        expected = ", ".join(("Bundle", *_KINDS))
        yield problem(
            f"resourceType {kind!r}: expected one of {expected}",
            "/resourceType" if "resourceType" in data else "",
        )
        return
    resources.sort(key=lambda item: _KINDS.index(item[1]["resourceType"]))
    for where, resource, full in resources:
        fhir = resource.get("id")
        if resource["resourceType"] == "Citation":
            try:
                study = reader.study_id(resource, where)
            except Bad:
                continue
            for key in (full, f"Citation/{fhir}" if isinstance(fhir, str) else None):
                if key:
                    reader.studies[key] = study
        elif resource["resourceType"] == "Evidence":
            try:
                claim = reader.claim_id(resource, where)
            except Bad:
                continue
            for key in (full, f"Evidence/{fhir}" if isinstance(fhir, str) else None):
                if key:
                    reader.claims[key] = claim
    records: list[ImportRecord] = []
    for where, resource, _full in resources:
        try:
            kind = resource["resourceType"]
            if kind == "Citation":
                record: ImportRecord | None = reader.citation(resource, where)
            elif kind == "Evidence":
                record = reader.evidence(resource, where)
            else:
                record = reader.assessment(resource, where)
        except Bad as bad:
            records.append(problem(bad.message, bad.pointer))
            continue
        except (TypeError, ValueError, KeyError) as error:
            records.append(problem(f"cannot read {resource['resourceType']}: {error}", where))
            continue
        if record is not None and not _merged(records, record):
            records.append(record)
    yield from records


_KINDS = ("Citation", "Evidence", "ArtifactAssessment")


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(value), "a value")


def _merged(records: list[ImportRecord], record: ImportRecord) -> bool:
    """Fold a certainty rating into the claim an earlier record of the file made, if any."""
    if record.study is not None or len(record.claims) != 1:
        return False
    rating = record.claims[0]
    for index, earlier in enumerate(records):
        for position, claim in enumerate(earlier.claims):
            if claim.id != rating.id:
                continue
            merged = attrs.evolve(
                claim,
                judgments=unique((*claim.judgments, *rating.judgments)),
                extensions={**claim.extensions, **rating.extensions},
            )
            claims = list(earlier.claims)
            claims[position] = merged
            records[index] = attrs.evolve(earlier, claims=tuple(claims))
            return True
    return False
