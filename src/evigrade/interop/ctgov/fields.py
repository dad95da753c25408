"""Typed access to a ClinicalTrials.gov study record: each value checked to be of the JSON type
the API gives it, and a :class:`Bad` value reported with its JSON Pointer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...jsonpos import escape_pointer

__all__ = [
    "Bad",
    "at",
    "check",
    "get_enum",
    "get_object",
    "get_objects",
    "get_string",
    "get_strings",
    "get_value",
    "json_type",
    "member",
]


class Bad(Exception):
    """A study that cannot be imported: what is wrong and where (a JSON Pointer)."""

    def __init__(self, message: str, pointer: str, keyword: str) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.keyword = keyword


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    names: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return names.get(type(value), type(value).__name__)


def at(where: str, key: str | int) -> str:
    return f"{where}/{escape_pointer(str(key))}"


def check(value: Any, expected: str, pointer: str) -> Any:
    found = json_type(value)
    if found != expected:
        raise Bad(f"expected {expected}, found {found}", pointer, "type")
    return value


def get_value(obj: Mapping[str, Any], key: str, where: str, expected: str, need: str = "") -> Any:
    """``obj[key]`` checked to be of the JSON type ``expected``; ``None`` if absent (or null),
    unless ``need`` says what the missing value should have been (then it is a problem)."""
    value = obj.get(key)
    if value is None:
        if need:
            raise Bad(f"missing required key {key!r}: expected {need}", where, "required")
        return None
    return check(value, expected, at(where, key))


def get_object(obj: Mapping[str, Any], key: str, where: str, need: str = "") -> dict[str, Any]:
    value: dict[str, Any] | None = get_value(obj, key, where, "object", need)
    return value if value is not None else {}


def get_string(obj: Mapping[str, Any], key: str, where: str, need: str = "") -> str | None:
    value: str | None = get_value(obj, key, where, "string", need)
    if value is not None and not value.strip():
        if need:
            raise Bad(f"empty {key!r}: expected {need}", at(where, key), "required")
        return None
    return value.strip() if value is not None else None


def get_enum(
    obj: Mapping[str, Any], key: str, where: str, allowed: Sequence[str], need: str = ""
) -> str | None:
    value = get_string(obj, key, where, need)
    return member(value, key, at(where, key), allowed) if value is not None else None


def member(value: str, name: str, pointer: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise Bad(
            f"unknown {name} {value!r}: expected one of {', '.join(allowed)}", pointer, "enum"
        )
    return value


def get_objects(obj: Mapping[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of the array ``obj[key]``, each with its pointer."""
    items: list[Any] = get_value(obj, key, where, "array") or []
    pointer = at(where, key)
    return [(at(pointer, i), check(item, "object", at(pointer, i))) for i, item in enumerate(items)]


def get_strings(obj: Mapping[str, Any], key: str, where: str) -> list[str]:
    items: list[Any] = get_value(obj, key, where, "array") or []
    pointer = at(where, key)
    values = [check(item, "string", at(pointer, i)) for i, item in enumerate(items)]
    return [value.strip() for value in values if value.strip()]
