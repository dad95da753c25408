"""The published JSON Schema and its validators: jsonschema-rs (compiled) accepts valid files
fast, and jsonschema, the reference implementation, describes every problem of the others, so
problems read the same whichever is in use. No ``$ref`` is ever fetched from the network."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..jsonpos import escape_pointer
from ..problems import Problem
from .hints import show, suggest

__all__ = [
    "VALIDATOR_ENV",
    "describe_errors",
    "schema",
    "schema_problems",
    "schema_validator",
]


@functools.cache
def schema() -> Mapping[str, Any]:
    """The published evidence-file JSON Schema (draft 2020-12), as shipped in the package."""
    package = os.path.dirname(os.path.dirname(__file__))  # evigrade/, above validation/
    path = os.path.join(package, "schemas", "evidence.schema.json")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:  # not a plain directory (a zip file, say): ask the import system
        from importlib import resources

        text = (
            resources.files("evigrade").joinpath("schemas/evidence.schema.json").read_text("utf-8")
        )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


#: Environment variable choosing the schema validator: ``auto`` (the default: jsonschema-rs
#: where it is installed, else jsonschema), ``jsonschema`` (the reference implementation only)
#: or ``jsonschema-rs`` (required: an error if it is not installed).
VALIDATOR_ENV = "EVIGRADE_VALIDATOR"
_VALIDATOR_CHOICES = ("auto", "jsonschema", "jsonschema-rs")


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"not fetching {uri!r}: evidence files resolve only the evigrade schema")


@functools.cache
def _compiled_validator() -> Any | None:
    """The compiled (jsonschema-rs) validator of the schema, or None to use only jsonschema."""
    choice = os.environ.get(VALIDATOR_ENV, "auto").strip().lower() or "auto"
    if choice not in _VALIDATOR_CHOICES:
        raise ValueError(
            f"{VALIDATOR_ENV}={choice!r}: expected one of {', '.join(_VALIDATOR_CHOICES)}"
        )
    if choice == "jsonschema":
        return None
    try:
        import jsonschema_rs
    except ImportError:
        if choice == "jsonschema-rs":
            raise ImportError(
                f"{VALIDATOR_ENV}=jsonschema-rs but jsonschema-rs is not installed "
                "(pip install jsonschema-rs)"
            ) from None
        return None
    return jsonschema_rs.Draft202012Validator(dict(schema()), retriever=_refuse_retrieval)


def schema_validator() -> str:
    """Which implementation accepts valid documents: ``"jsonschema-rs"`` (compiled) or
    ``"jsonschema"``. Problems are always described by jsonschema, the reference
    implementation, so they read the same either way (see :data:`VALIDATOR_ENV`)."""
    return "jsonschema" if _compiled_validator() is None else "jsonschema-rs"


def _accepted_by_compiled(data: Any) -> bool:
    """True when the compiled validator accepts ``data``; False when it rejects it, is not in
    use, or cannot take the data (values JSON does not have, integers beyond 64 bits)."""
    compiled = _compiled_validator()
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(data))
    except Exception:
        return False


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    document = schema()
    resource = DRAFT202012.create_resource(document)
    # Only our own schema is known: any other $ref fails instead of being fetched.
    registry: Registry[Any] = Registry().with_resource(document["$id"], resource)
    return Draft202012Validator(document, registry=registry)


_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    type(None): "null",
    int: "integer",
    float: "number",
}


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape_pointer(str(part))}" for part in path)


def schema_problems(data: Any) -> Iterator[Problem]:
    """Every way ``data`` breaks the schema, as problems with JSON Pointers (no positions)."""
    # The compiled validator only says yes or no; a "no" (rare in a real corpus) is explained by
    # the reference implementation, so problems are the same whichever validator is in use.
    if _accepted_by_compiled(data):
        return
    for error in _validator().iter_errors(data):
        yield from _describe(error)


def describe_errors(errors: Iterable[Any]) -> Iterator[Problem]:
    """jsonschema's errors (of any schema) as problems, worded as the evidence file's are."""
    for error in errors:
        yield from _describe(error)


def _describe(error: Any) -> Iterator[Problem]:
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    pointer = _pointer(error.absolute_path)
    found = show(instance)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        for key in instance:
            if key in allowed or (patterns and key.startswith("x-")):
                continue
            extension = " or an x- extension" if patterns else ""
            expected = ", ".join(allowed) if allowed else "no keys"
            yield Problem(
                f"unknown key {key!r}: expected one of {expected}{extension}"
                f"{suggest(key, allowed)}",
                pointer=f"{pointer}/{escape_pointer(key)}",
                keyword=keyword,
            )
        return
    if keyword == "required":
        import ast

        missing = ast.literal_eval(error.message.split(" is a required property")[0])
        yield Problem(f"missing required key {missing!r}", pointer=pointer, keyword=keyword)
        return
    if keyword == "type":
        types = value if isinstance(value, str) else " or ".join(value)
        message = f"expected {types}, found {_type_name(instance)} {found}"
    elif keyword == "enum":
        options = ", ".join(json.dumps(v) for v in value)
        hint = suggest(instance, [str(v) for v in value]) if isinstance(instance, str) else ""
        message = f"expected one of {options}; found {found}{hint}"
    elif keyword == "const":
        message = f"expected {json.dumps(value)}, found {found}"
    elif keyword == "pattern":
        what = error.schema.get("description") or f"a string matching {value}"
        message = f"expected {_sentence_case(what).rstrip('.')}; found {found}"
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[
            keyword
        ]
        message = f"expected a number {sign} {value}, found {found}"
    elif keyword in ("minItems", "minProperties", "minLength"):
        unit = {"minItems": "item", "minProperties": "key", "minLength": "character"}[keyword]
        message = f"expected at least {value} {unit}{'s' if value != 1 else ''}, found {found}"
    elif keyword == "maxLength":
        message = f"expected at most {value} characters, found {len(instance)}"
    elif keyword == "dependentRequired":
        message = error.message.replace("is a dependency of", "is required with")
    else:
        message = error.message
    yield Problem(message, pointer=pointer, keyword=keyword)


def _sentence_case(text: str) -> str:
    """A description read inside a sentence: its first word lower-cased when it is an ordinary
    capitalised word ("Publication date"), never a name or an acronym ("DOI", "PubMed id",
    "ClinicalTrials.gov id", "ISO 8601")."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower() and word[1:].isalpha():
        return text[0].lower() + text[1:]
    return text
