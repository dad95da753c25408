"""Reading ClinicalTrials.gov JSON: one study, a list of studies or a page of them as the API
returns it, each study checked to make a valid evidence record on its own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...files import from_data, to_data
from ...jsonpos import SourceMap, depth_exceeded_at, line_column, pointer_at
from ...jsonpos import source_map as _source_map
from ...kinds import Designs, ImportRecord, Registry
from ...model import Claim, EvidenceFile, Study
from ...validation import MAX_DEPTH, EvidenceError, Problem, read_text
from ...validation.parse import load_json
from .fields import Bad, check, json_type
from .study import convert

__all__ = [
    "read",
    "read_text_records",
]


def read(path: str, registry: Registry) -> Iterator[ImportRecord]:
    """The records of one ClinicalTrials.gov JSON file (raises if it cannot be read at all)."""
    yield from read_text_records(read_text(path), path, designs=registry.designs)


def read_text_records(
    text: str, name: str | None = None, *, designs: Designs
) -> Iterator[ImportRecord]:
    """The records of ClinicalTrials.gov JSON text: one per study, or one problem."""
    data, problem = _parse(text, name)
    if problem is not None:
        yield ImportRecord(problem=problem)
        return
    positions: list[SourceMap] = []

    def located(bad: Bad) -> Problem:
        if not positions:
            positions.append(_source_map(text))
        where = positions[0].position(bad.pointer)
        line, column = where if where is not None else (None, None)
        return Problem(
            bad.message,
            pointer=bad.pointer,
            file=name,
            line=line,
            column=column,
            kind="schema",
            keyword=bad.keyword,
        )

    try:
        records = _records(data)
    except Bad as bad:
        yield ImportRecord(problem=located(bad))
        return
    for pointer, record in records:
        try:
            study, claims = convert(record, pointer)
            _validate(study, claims, pointer, designs)
        except Bad as bad:
            yield ImportRecord(problem=located(bad))
            continue
        yield ImportRecord(study=study, claims=claims)


def _parse(text: str, name: str | None) -> tuple[Any, Problem | None]:
    def problem(message: str, offset: int, keyword: str = "json") -> Problem:
        line, column = line_column(text, offset)
        return Problem(
            message,
            pointer=pointer_at(text, offset),
            file=name,
            line=line,
            column=column,
            kind="syntax",
            keyword=keyword,
        )

    if not text.strip():
        return None, problem("empty file: expected ClinicalTrials.gov study JSON", 0)
    deep = depth_exceeded_at(text, MAX_DEPTH)
    if deep is not None:
        message = f"nesting too deep: expected at most {MAX_DEPTH} levels of arrays and objects"
        return None, problem(message, deep, "depth")

    return load_json(text, name)


def _records(data: Any) -> list[tuple[str, Any]]:
    """(pointer, study) for each study of a single study, a list, or an API page."""
    if isinstance(data, list):
        return [(f"/{i}", item) for i, item in enumerate(data)]
    if isinstance(data, dict):
        if "protocolSection" in data:
            return [("", data)]
        if "studies" in data:
            studies = check(data["studies"], "array", "/studies")
            return [(f"/studies/{i}", item) for i, item in enumerate(studies)]
    raise Bad(
        f"expected a ClinicalTrials.gov study (an object with 'protocolSection'), a list of "
        f'studies, or a page {{"studies": [...]}}, found {json_type(data)}'
        + (" without 'protocolSection' or 'studies'" if isinstance(data, dict) else ""),
        "",
        "type",
    )


def _validate(study: Study, claims: tuple[Claim, ...], pointer: str, designs: Designs) -> None:
    """Make sure the record makes a valid evidence file on its own, so one odd study can
    never spoil a whole import at the final validation."""
    try:
        evidence = EvidenceFile(studies=(study,), claims=claims)
        from_data(to_data(evidence, designs=designs), designs=designs)
    except EvidenceError as error:
        first = error.problems[0]
        raise Bad(
            f"the study does not make a valid evidence record: {first.pointer}: {first.message}",
            pointer,
            first.keyword or "invalid",
        ) from None
