"""The one cattrs converter: evidence files and grade reports to JSON data and back.

Structuring and unstructuring go through it rather than hand-written ``from_dict`` and
``to_dict`` methods; the custom hooks carry ``x-`` extension keys into ``extensions``, turn
the ``judgments`` object into :class:`~evigrade.model.Judgment` values, and leave the grade's
scheme out of a report (its key names it). Structuring takes data the schema has validated:
scalars are taken as they are (not converted or checked again) and lists of them become
tuples, which makes loading about a fifth faster.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .model import Claim, EvidenceFile, EvidenceLink, Grade, Judgment, RationaleStep, Source, Study

if TYPE_CHECKING:
    import cattrs

    from .grading import Report

__all__ = ["converter", "grade_to_brief", "grade_to_data", "report_to_data"]

#: Classes that carry ``x-`` extensions, leaves first: a class's generated hooks use the hooks
#: already registered for the classes it contains.
_EXTENSIBLE = (Source, Study, EvidenceLink, Claim, EvidenceFile)


@functools.cache
def converter() -> cattrs.Converter:
    """The converter (made once: generating its hooks takes a few milliseconds)."""
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    made = cattrs.Converter(omit_if_default=True, detailed_validation=False)
    # JSON numbers stay as written (an integer 2 is not dumped back as 2.0); the schema has
    # already checked that they are numbers.
    made.register_structure_hook(float, lambda value, _: value)
    # Validated JSON already holds the right scalars: they are taken as they are, and a list
    # of them becomes a tuple.
    made.register_structure_hook_func(_scalar_or_none, _as_is)
    made.register_structure_hook_func(_tuple_of_scalars, _as_tuple)

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
        structure = make_dict_structure_fn(cls, made, **extra)
        unstructure = make_dict_unstructure_fn(cls, made, _cattrs_omit_if_default=True, **extra)
        made.register_structure_hook(cls, _with_extensions_in(structure, _members(cls, extra)))
        made.register_unstructure_hook(cls, _with_extensions_out(unstructure))
    # A grade as a report gives it: every step's change, studies and source, the optional
    # domain, rating and rule only where set.
    always = override(omit_if_default=False)
    step = make_dict_unstructure_fn(
        RationaleStep,
        made,
        _cattrs_omit_if_default=True,
        change=always,
        studies=always,
        source=always,
    )
    made.register_unstructure_hook(RationaleStep, _in_field_order(step, RationaleStep))
    made.register_unstructure_hook(
        Grade,
        make_dict_unstructure_fn(
            Grade,
            made,
            _cattrs_omit_if_default=False,
            scheme=override(omit=True),
        ),
    )
    return made


def _scalar(kind: Any) -> bool:
    from typing import Literal, get_origin

    return kind in (str, int, float, bool) or get_origin(kind) is Literal


def _scalar_or_none(kind: Any) -> bool:
    import types
    from typing import Union, get_args, get_origin

    if _scalar(kind):
        return True
    if get_origin(kind) in (Union, types.UnionType):
        args = [a for a in get_args(kind) if a is not type(None)]
        return len(args) == 1 and _scalar(args[0])
    return False


def _tuple_of_scalars(kind: Any) -> bool:
    from typing import get_args, get_origin

    args = get_args(kind)
    return get_origin(kind) is tuple and len(args) == 2 and args[1] is ... and _scalar(args[0])


def _as_is(value: Any, _: Any) -> Any:
    return value


def _as_tuple(value: Any, _: Any) -> tuple[Any, ...]:
    return tuple(value)


def _in_field_order(unstructure: Any, cls: type) -> Any:
    """Keys in the order of the class's fields (the generated function writes the keys it
    always writes first, then those it may leave out)."""
    import attrs

    order = tuple(field.name for field in attrs.fields(cls))

    def hook(value: Any) -> dict[str, Any]:
        data: dict[str, Any] = unstructure(value)
        return {key: data[key] for key in order if key in data}

    return hook


def _members(cls: type, overrides: Mapping[str, Any]) -> frozenset[str]:
    """The JSON member names of ``cls``'s fields (renamed where ``overrides`` say), less
    ``extensions``, which is no member: it holds the ``x-`` keys."""
    import attrs

    names = set()
    for field in attrs.fields(cls):
        if field.name != "extensions":
            rename = getattr(overrides.get(field.name), "rename", None)
            names.add(rename or field.alias or field.name)
    return frozenset(names)


def _with_extensions_in(structure: Any, members: frozenset[str]) -> Any:
    def hook(value: Mapping[str, Any], cls: Any) -> Any:
        if value.keys() <= members:  # the common case, checked in one set operation
            return structure(value, cls)
        extensions = {k: v for k, v in value.items() if k.startswith("x-")}
        if not extensions:
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


def grade_to_data(grade: Grade) -> dict[str, Any]:
    """A grade as JSON data: label, rank, direction, rationale, and the studies' fates."""
    data: dict[str, Any] = converter().unstructure(grade)
    return data


def grade_to_brief(grade: Grade) -> dict[str, Any]:
    """A grade in brief: label, rank, direction, and ``moved``, the levels each domain moved
    it by (domains that moved it, in the order of the rationale; ``{}`` when none did)."""
    moved: dict[str, int] = {}
    for step in grade.rationale:
        if step.change and step.domain is not None:
            moved[step.domain] = moved.get(step.domain, 0) + step.change
    return {
        "label": grade.label,
        "rank": grade.rank,
        "direction": grade.direction,
        "moved": {domain: change for domain, change in moved.items() if change},
    }


def report_to_data(report: Report, *, brief: bool = False) -> dict[str, Any]:
    """The ``--format json`` document: the file, then each claim with its grade per scheme
    (``brief``: each claim's id and each grade in brief, :func:`grade_to_brief`)."""
    if brief:
        return {
            "file": report.file,
            "claims": [
                {
                    "id": result.claim.id,
                    "grades": {
                        name: grade_to_brief(result.grades[name])
                        for name in report.schemes
                        if name in result.grades
                    },
                }
                for result in report.results
            ],
        }
    unstructure = converter().unstructure
    return {
        "file": report.file,
        "claims": [
            {
                "id": result.claim.id,
                "text": result.claim.text,
                "grades": {
                    name: unstructure(result.grades[name])
                    for name in report.schemes
                    if name in result.grades
                },
            }
            for result in report.results
        ],
    }
