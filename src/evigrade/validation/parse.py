"""Reading an evidence file's text and parsing it as JSON: the encoding, the nesting depth,
syntax errors, NaN and Infinity, unpaired surrogates and repeated keys, each problem with its
line, column and JSON Pointer."""

from __future__ import annotations

import json
import os
from typing import Any

import attrs

from ..jsonpos import depth_exceeded_at, escape_pointer, line_column, pointer_at, source_map
from ..problems import EvidenceError, Problem

__all__ = [
    "DEFAULT_MAX_INPUT",
    "MAX_DEPTH",
    "MAX_INPUT_ENV",
    "MAX_INTEGER",
    "decode",
    "load_json",
    "max_input_size",
    "parse_text",
    "read_text",
    "too_large",
]


#: Deepest nesting accepted; an evidence file needs about seven levels.
MAX_DEPTH = 64


#: The environment variable that sets the largest input read whole (bytes; K, M or G may
#: follow, for KiB, MiB and GiB): one evidence file, one JSON Lines record, one CT.gov or FHIR
#: file.
MAX_INPUT_ENV = "EVIGRADE_MAX_INPUT_SIZE"

#: The largest input read whole by default: 256 MiB.
DEFAULT_MAX_INPUT = 256 << 20

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def max_input_size() -> int:
    """The largest input read whole, in bytes (:data:`MAX_INPUT_ENV`, else the default).
    ``ValueError`` for a setting that is not a size."""
    value = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_INPUT
    number, unit = value.upper().rstrip("IB"), ""
    if number and number[-1] in _UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isdigit() or int(number) == 0:
        raise ValueError(
            f"{MAX_INPUT_ENV}={value!r}: expected a number of bytes greater than 0, "
            "optionally followed by K, M or G"
        )
    return int(number) * _UNITS[unit]


def too_large(size: int | str, limit: int, what: str = "input") -> str:
    """The message of an input (or a record) over the limit."""
    return (
        f"{what} too large: expected at most {_size(limit)} ({MAX_INPUT_ENV} sets the limit), "
        f"found {size if isinstance(size, str) else _size(size)}"
    )


def _size(count: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= factor:
            return f"{count / factor:.4g} {unit}"
    return f"{count} bytes"


def read_text(path: str | os.PathLike[str], limit: int | None = None) -> str:
    """Read and decode an evidence file; raise :class:`EvidenceError` (unreadable) if we can't,
    or if it is larger than ``limit`` bytes (default :func:`max_input_size`), checked before it
    is read whole (and while it is read, for devices and pipes, whose size is not known)."""
    name = os.fspath(path)
    limit = max_input_size() if limit is None else limit

    def unreadable(reason: str) -> EvidenceError:
        return EvidenceError([Problem(reason, file=name, kind="unreadable")], name)

    try:
        with open(name, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise unreadable(too_large(size, limit))
            raw = handle.read(limit + 1)
    except OSError as error:
        raise unreadable(f"cannot read file: {error.strerror or error}") from None
    if len(raw) > limit:
        raise unreadable(too_large(f"more than {_size(limit)}", limit))
    return decode(raw, name)


def decode(raw: bytes, name: str | None = None) -> str:
    """Decode UTF-8 (a leading byte-order mark is allowed), or raise an unreadable error: UTF-16
    and UTF-32 text (with or without a byte-order mark) are named as such, at 1:1."""
    wide = _wide_encoding(raw)
    if wide is not None:
        problem = Problem(
            f"not UTF-8 text: expected UTF-8, found {wide} text",
            file=name,
            line=1,
            column=1,
            kind="unreadable",
            keyword="encoding",
        )
        raise EvidenceError([problem], name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        problem = Problem(
            f"not UTF-8 text: expected UTF-8, found byte 0x{byte} at byte offset {error.start}",
            file=name,
            line=line,
            column=column,
            kind="unreadable",
            keyword="encoding",
        )
        raise EvidenceError([problem], name) from None


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, from a byte-order mark or from the NUL bytes that JSON text (which
    starts with ASCII and never holds a raw NUL) has only in those encodings; else None."""
    head = raw[:4]
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if len(head) == 4 and b"\x00" in head:
        if head[:3] == b"\x00\x00\x00" or head[1:] == b"\x00\x00\x00":
            return "UTF-32"
        if (head[0] == 0 and head[2] == 0) or (head[1] == 0 and head[3] == 0):
            return "UTF-16"
    return None


class _Duplicates:
    """Notes that an object had a repeated member name while the parser builds it."""

    def __init__(self) -> None:
        self.seen = False

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.seen = True
        return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON: expected a finite number")


#: The largest integer accepted: every JSON reader holds integers up to 2^53 - 1 exactly
#: (RFC 7493, I-JSON, section 2.2); beyond that, one program's number is not another's.
MAX_INTEGER = 2**53 - 1


class _Numbers:
    """Notes the first number literal out of range while the parser reads the text, so that
    no huge integer is ever converted (a 5,000-digit one would raise, and a 400-digit one
    would end up in a rationale)."""

    def __init__(self) -> None:
        self.bad: str | None = None

    def integer(self, literal: str) -> int:
        if len(literal) > 17:  # -9007199254740991 has 17 characters
            if self.bad is None:
                self.bad = literal
            return 0
        value = int(literal)
        if abs(value) > MAX_INTEGER:
            self.bad = self.bad or literal
            return 0
        return value

    def real(self, literal: str) -> float:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            self.bad = self.bad or literal
            return 0.0
        return value


def _number_problem(text: str, literal: str, name: str | None) -> Problem:
    integer = not any(c in literal for c in ".eE")
    shown = literal if len(literal) <= 24 else f"a number of {len(literal.lstrip('-'))} digits"
    if integer:
        message = (
            f"number out of range: expected an integer from -{MAX_INTEGER} to {MAX_INTEGER} "
            f"(2^53 - 1, the largest every JSON reader holds exactly), found {shown}"
        )
    else:
        message = f"number out of range: expected a finite number, found {shown}"
    positions = source_map(text)
    found = [
        (offset, pointer)
        for pointer, offset in positions.values.items()
        if text.startswith(literal, offset)
    ]
    problem = Problem(message, file=name, kind="syntax", keyword="range")
    if found:
        offset, pointer = min(found)
        line, column = line_column(text, offset)
        problem = attrs.evolve(problem, pointer=pointer, line=line, column=column)
    return problem


def _json_message(message: str) -> str:
    """The json module's message as a whole sentence ("Unterminated string starting at" is
    followed by a position in its own text; ours gives it as the problem's line and column)."""
    if message.endswith(" at"):
        return message[: -len(" at")] + " here"
    return message


def load_json(
    text: str, name: str | None, object_pairs_hook: Any = None
) -> tuple[Any, Problem | None]:
    """Parse JSON text: ``(data, None)``, or ``(None, problem)`` with the problem's line,
    column and pointer: a syntax error, NaN or Infinity, or a number out of range (see
    :data:`MAX_INTEGER`). The caller checks the nesting depth first."""
    numbers = _Numbers()
    try:
        data = json.loads(
            text,
            object_pairs_hook=object_pairs_hook,
            parse_constant=_reject_constant,
            parse_int=numbers.integer,
            parse_float=numbers.real,
        )
    except json.JSONDecodeError as error:
        problem = Problem(
            f"invalid JSON: {_json_message(error.msg)}",
            pointer=pointer_at(text, error.pos),
            file=name,
            line=error.lineno,
            column=error.colno,
            kind="syntax",
            keyword="json",
        )
        return None, problem
    except (ValueError, RecursionError) as error:
        problem = Problem(f"invalid JSON: {error}", file=name, kind="syntax", keyword="json")
        constant = _first_constant(text)
        if constant is not None:
            line, column = line_column(text, constant[1])
            problem = attrs.evolve(problem, pointer=constant[0], line=line, column=column)
        return None, problem
    if numbers.bad is not None:
        return None, _number_problem(text, numbers.bad, name)
    return data, None


def _first_constant(text: str) -> tuple[str, int] | None:
    """(pointer, offset) of the first NaN or Infinity literal, which JSON does not allow."""
    positions = source_map(text)
    found = [
        (offset, pointer)
        for pointer, offset in positions.values.items()
        if text.startswith(("NaN", "Infinity", "-Infinity"), offset)
    ]
    if not found:
        return None
    offset, pointer = min(found)
    return pointer, offset


def parse_text(text: str, name: str | None) -> tuple[Any, list[Problem], bool]:
    """Parse JSON text; return (data, problems, has_duplicate_keys)."""
    if not text.strip():
        problem = Problem(
            "empty file: expected a JSON object",
            file=name,
            line=1,
            column=1,
            kind="syntax",
            keyword="json",
        )
        return None, [problem], False
    # Nesting can be no deeper than the number of brackets, which C counts fast: the scanner
    # runs only on text that could be too deep.
    could_be_deep = text.count("{") + text.count("[") > MAX_DEPTH
    deep = depth_exceeded_at(text, MAX_DEPTH) if could_be_deep else None
    if deep is not None:
        line, column = line_column(text, deep)
        problem = Problem(
            f"nesting too deep: expected at most {MAX_DEPTH} levels of arrays and objects",
            pointer=pointer_at(text, deep + 1),
            file=name,
            line=line,
            column=column,
            kind="syntax",
            keyword="depth",
        )
        return None, [problem], False
    duplicates = _Duplicates()
    data, broken = load_json(text, name, duplicates.hook)
    if broken is not None:
        return None, [broken], False
    # A \uD800-\uDFFF escape not in a pair parses but is no character: it could never be
    # written out as UTF-8 again. Only text with such an escape is walked.
    if "\\ud" in text or "\\uD" in text:
        found = _lone_surrogate(data)
        if found is not None:
            pointer, is_key = found
            where = source_map(text).position(pointer, key=is_key)
            problem = Problem(
                "invalid text: expected Unicode characters, found an unpaired surrogate escape "
                "(\\uD800-\\uDFFF)" + (" in a key" if is_key else ""),
                pointer=pointer,
                file=name,
                line=where[0] if where else None,
                column=where[1] if where else None,
                kind="syntax",
                keyword="json",
            )
            return None, [problem], False
    return data, [], duplicates.seen


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate(data: Any) -> tuple[str, bool] | None:
    """(JSON Pointer, is a key) of the first string with an unpaired surrogate, or None."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                return pointer, False
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                where = f"{pointer}/{escape_pointer(key)}"
                if not _encodable(key):
                    return where, True
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend(
                (f"{pointer}/{index}", item) for index, item in reversed(list(enumerate(value)))
            )
    return None
