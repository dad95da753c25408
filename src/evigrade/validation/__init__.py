"""Validation of evidence files: JSON syntax, the published JSON Schema, then semantic rules.

Every problem of a file is collected, not only the first, as :class:`Problem` objects that name
the file, the JSON Pointer of the offending value, its line and column, and what was expected
and found. Nothing here writes to the input, and no ``$ref`` is ever fetched from the network.

The modules, by concern: :mod:`.parse` reads and parses the text, :mod:`.validators` checks it
against the schema, and :mod:`.semantic` applies the rules the schema cannot express; the entry
points here run them in turn and place every problem at its line and column.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import attrs

from ..jsonpos import source_map
from ..problems import EvidenceError, Problem
from .parse import (
    DEFAULT_MAX_INPUT,
    MAX_DEPTH,
    MAX_INPUT_ENV,
    decode,
    max_input_size,
    parse_text,
    read_text,
)
from .semantic import semantic_problems
from .validators import VALIDATOR_ENV, schema, schema_problems, schema_validator

if TYPE_CHECKING:
    from ..kinds import Designs

__all__ = [
    "DEFAULT_MAX_INPUT",
    "MAX_DEPTH",
    "MAX_INPUT_ENV",
    "VALIDATOR_ENV",
    "EvidenceError",
    "Problem",
    "check_text",
    "checked_data",
    "decode",
    "max_input_size",
    "read_text",
    "schema",
    "schema_validator",
    "validate_data",
    "validate_file",
    "validate_text",
]


def validate_data(data: Any, *, designs: Designs) -> list[Problem]:
    """Every problem of already-parsed JSON data (no line numbers), schema first."""
    problems = list(schema_problems(data))
    problems.extend(semantic_problems(data, designs))
    return problems


def validate_text(text: str, filename: str | None = None, *, designs: Designs) -> list[Problem]:
    """Every problem of an evidence file given as JSON text, with lines and columns."""
    return check_text(text, filename, designs)[1]


def check_text(text: str, filename: str | None, designs: Designs) -> tuple[Any, list[Problem]]:
    """``(data, [])`` for a valid evidence file given as JSON text, else ``(None, problems)``
    with lines and columns: one parse for callers that go on to use the data."""
    data, problems, duplicated = parse_text(text, filename)
    if problems:
        return None, problems
    problems = validate_data(data, designs=designs)
    if not problems and not duplicated:
        return data, []
    positions = source_map(text)
    for pointer in positions.duplicates:
        problems.append(
            Problem(
                f"duplicate key {pointer.rsplit('/', 1)[1]!r}: expected each key once per "
                "object (a later value would silently replace an earlier one)",
                pointer=pointer,
                kind="syntax",
                keyword="duplicate-key",
            )
        )
    located = []
    for problem in problems:
        at_key = problem.keyword in ("additionalProperties", "duplicate-key")
        where = positions.position(problem.pointer, key=at_key)
        line, column = where if where else (None, None)
        located.append(attrs.evolve(problem, file=filename, line=line, column=column))
    return None, sorted(located, key=lambda p: p.sort_key)


def validate_file(path: str | os.PathLike[str], *, designs: Designs) -> list[Problem]:
    """Every problem of the evidence file at ``path``; an unreadable file gives one problem."""
    name = os.fspath(path)
    try:
        text = read_text(name)
    except EvidenceError as error:
        return list(error.problems)
    return validate_text(text, name, designs=designs)


def checked_data(text: str, filename: str | None = None, *, designs: Designs) -> Any:
    """Parse and validate text; return the data or raise :class:`EvidenceError`."""
    data, problems = check_text(text, filename, designs)
    if problems:
        raise EvidenceError(problems, filename)
    return data
