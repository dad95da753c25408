"""Reading and writing evidence files: validated JSON in, the model out, and back losslessly.

These stage functions are told which designs are known (a registry's ``designs``); the public
functions of :mod:`evigrade` take a registry and default to the installed plugins'.
"""

from __future__ import annotations

import json
import os
from typing import IO, TYPE_CHECKING, Any

from .convert import converter
from .model import EvidenceFile
from .output import write_atomically
from .validation import EvidenceError, checked_data, decode, read_text, validate_data

if TYPE_CHECKING:
    from .kinds import Designs

__all__ = ["dump", "dumps", "from_data", "load", "loads", "to_data"]


def from_data(data: Any, *, designs: Designs, validate: bool = True) -> EvidenceFile:
    """Build the model from parsed JSON data, validating it first unless told not to
    (``validate=False`` is for data already validated: it is not checked again)."""
    if validate:
        problems = validate_data(data, designs=designs)
        if problems:
            raise EvidenceError(problems)
    result: EvidenceFile = converter().structure(data, EvidenceFile)
    return result


def to_data(evidence: EvidenceFile, *, designs: Designs) -> dict[str, Any]:
    """The JSON data of an evidence file: what :func:`dump` writes.

    A study of unreported size whose design has participants is written with ``"n": null``
    (the format requires the key, so that an unknown size is visible, never invented).
    """
    data: dict[str, Any] = converter().unstructure(evidence)
    data["studies"] = [_with_size(study, designs) for study in data["studies"]]
    ordered: dict[str, Any] = {k: data.pop(k) for k in ("$schema", "evigrade") if k in data}
    ordered.update(data)
    return ordered


def _with_size(study: dict[str, Any], designs: Designs) -> dict[str, Any]:
    if "n" in study:
        return study
    design = designs.get(study["design"])
    if design is not None and not design.needs_participants:
        return study
    ordered: dict[str, Any] = {k: study[k] for k in ("id", "design", "of") if k in study}
    ordered["n"] = None
    ordered.update(study)
    return ordered


def loads(text: str | bytes, *, designs: Designs, filename: str | None = None) -> EvidenceFile:
    """Parse, validate and load an evidence file from JSON text.

    Raises :class:`~evigrade.problems.EvidenceError` carrying every problem found.
    """
    if isinstance(text, bytes):
        text = decode(text, filename)
    data = checked_data(text, filename, designs=designs)
    return from_data(data, designs=designs, validate=False)


def load(path: str | os.PathLike[str], *, designs: Designs) -> EvidenceFile:
    """Read, validate and load the evidence file at ``path``."""
    name = os.fspath(path)
    return loads(read_text(name), designs=designs, filename=name)


def dumps(evidence: EvidenceFile, *, designs: Designs) -> str:
    """The evidence file as JSON text (two-space indent, UTF-8, final newline)."""
    return json.dumps(to_data(evidence, designs=designs), indent=2, ensure_ascii=False) + "\n"


def dump(
    evidence: EvidenceFile, target: str | os.PathLike[str] | IO[str], *, designs: Designs
) -> None:
    """Write the evidence file to a path (atomically: all or nothing) or an open text file."""
    text = dumps(evidence, designs=designs)
    if hasattr(target, "write"):
        target.write(text)
        return
    write_atomically(os.fspath(target), text)
