"""Reading and writing evidence files: validated JSON in, the model out, and back losslessly.

Structuring and unstructuring go through one cattrs converter rather than hand-written
``from_dict`` methods; the only custom hooks carry ``x-`` extension keys into ``extensions``
and turn the ``judgments`` object into :class:`~evigrade.model.Judgment` values.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import os
import tempfile
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from .model import Claim, EvidenceFile, EvidenceLink, Judgment, Source, Study
from .validation import EvidenceError, checked_data, read_text

if TYPE_CHECKING:
    from .plugins import Registry

__all__ = ["dump", "dumps", "from_data", "load", "loads", "to_data"]

#: Classes that carry ``x-`` extensions, leaves first: a class's generated hooks use the hooks
#: already registered for the classes it contains.
_EXTENSIBLE = (Source, Study, EvidenceLink, Claim, EvidenceFile)


@functools.cache
def _converter() -> Any:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    converter = cattrs.Converter(omit_if_default=True)
    # JSON numbers stay as written (an integer 2 is not dumped back as 2.0); the schema has
    # already checked that they are numbers.
    converter.register_structure_hook(float, lambda value, _: value)

    def structure_judgments(value: Mapping[str, Any], _: Any) -> tuple[Judgment, ...]:
        return tuple(
            Judgment(domain=name, rating=item["rating"], reason=item.get("reason"))
            for name, item in value.items()
        )

    def unstructure_judgments(value: tuple[Judgment, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for judgment in value:
            item: dict[str, Any] = {"rating": judgment.rating}
            if judgment.reason is not None:
                item["reason"] = judgment.reason
            result[judgment.domain] = item
        return result

    overrides: dict[type, dict[str, Any]] = {
        EvidenceFile: {
            "version": override(rename="evigrade", omit_if_default=False),
            "schema": override(rename="$schema"),
            "studies": override(omit_if_default=False),
            "claims": override(omit_if_default=False),
        },
        Claim: {
            "judgments": override(
                struct_hook=structure_judgments, unstruct_hook=unstructure_judgments
            ),
            "evidence": override(omit_if_default=False),
        },
    }
    for cls in _EXTENSIBLE:
        extra = overrides.get(cls, {})
        structure = make_dict_structure_fn(cls, converter, **extra)
        unstructure = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, **extra
        )
        if cls is Study:
            unstructure = _with_unreported_size(unstructure)
        converter.register_structure_hook(cls, _with_extensions_in(structure))
        converter.register_unstructure_hook(cls, _with_extensions_out(unstructure))
    return converter


def _with_unreported_size(unstructure: Any) -> Any:
    """Write ``"n": null`` for a study of unreported size whose design has participants."""

    def hook(study: Study) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(study)
        if study.n is None and _needs_participants(study.design):
            ordered: dict[str, Any] = {k: data[k] for k in ("id", "design", "of") if k in data}
            ordered["n"] = None
            ordered.update(data)
            return ordered
        return data

    return hook


#: The registry whose designs decide how a study of unreported size is written.
_REGISTRY: contextvars.ContextVar[Registry | None] = contextvars.ContextVar(
    "evigrade_registry", default=None
)


def _needs_participants(design_id: str) -> bool:
    from .plugins import get_registry

    registry = _REGISTRY.get() or get_registry()
    design = registry.designs.get(design_id)
    return design is None or bool(design.needs_participants)


def _with_extensions_in(structure: Any) -> Any:
    def hook(value: Mapping[str, Any], cls: Any) -> Any:
        extensions = {k: v for k, v in value.items() if k.startswith("x-")}
        if not extensions:  # the common case: one pass over the keys, no copy
            return structure(value, cls)
        core = {k: v for k, v in value.items() if k not in extensions}
        core["extensions"] = extensions
        return structure(core, cls)

    return hook


def _with_extensions_out(unstructure: Any) -> Any:
    def hook(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(value)
        extensions = data.pop("extensions", None)
        if extensions:
            data.update(extensions)
        return data

    return hook


def from_data(
    data: Any, *, validate: bool = True, registry: Registry | None = None
) -> EvidenceFile:
    """Build the model from parsed JSON data, validating it first unless told not to.

    ``registry`` says which designs are known (default: the installed plugins').
    """
    if validate:
        from .validation import validate_data

        problems = validate_data(data, designs=registry.designs if registry else None)
        if problems:
            raise EvidenceError(problems)
    result: EvidenceFile = _converter().structure(data, EvidenceFile)
    return result


def to_data(evidence: EvidenceFile, *, registry: Registry | None = None) -> dict[str, Any]:
    """The JSON data of an evidence file: what :func:`dump` writes.

    ``registry`` says which designs have participants (default: the installed plugins').
    """
    token = _REGISTRY.set(registry)
    try:
        data: dict[str, Any] = _converter().unstructure(evidence)
    finally:
        _REGISTRY.reset(token)
    ordered: dict[str, Any] = {k: data.pop(k) for k in ("$schema", "evigrade") if k in data}
    ordered.update(data)
    return ordered


def loads(
    text: str | bytes, *, filename: str | None = None, registry: Registry | None = None
) -> EvidenceFile:
    """Parse, validate and load an evidence file from JSON text.

    Raises :class:`~evigrade.validation.EvidenceError` carrying every problem found.
    """
    if isinstance(text, bytes):
        from .validation import decode

        text = decode(text, filename)
    data = checked_data(text, filename, designs=registry.designs if registry else None)
    return from_data(data, validate=False)


def load(path: str | os.PathLike[str], *, registry: Registry | None = None) -> EvidenceFile:
    """Read, validate and load the evidence file at ``path``."""
    name = os.fspath(path)
    return loads(read_text(name), filename=name, registry=registry)


def dumps(evidence: EvidenceFile, *, registry: Registry | None = None) -> str:
    """The evidence file as JSON text (two-space indent, UTF-8, final newline)."""
    return json.dumps(to_data(evidence, registry=registry), indent=2, ensure_ascii=False) + "\n"


def dump(
    evidence: EvidenceFile,
    target: str | os.PathLike[str] | IO[str],
    *,
    registry: Registry | None = None,
) -> None:
    """Write the evidence file to a path (atomically: all or nothing) or an open text file."""
    text = dumps(evidence, registry=registry)
    if hasattr(target, "write"):
        target.write(text)
        return
    write_atomically(os.fspath(target), text)


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` all or nothing: a temporary file beside it, then a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".evigrade-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
