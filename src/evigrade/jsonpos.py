"""Where things are in JSON text: JSON Pointer -> line and column, without recursion.

The standard library parser does not keep positions, and the source-map packages on PyPI recurse
(and fail on deeply nested input), so evigrade scans the text once with a regular expression and
an explicit stack. It is only run when a file has problems to report.
"""

from __future__ import annotations

import bisect
import functools
import json
import re

import attrs

__all__ = ["SourceMap", "escape_pointer", "line_column", "source_map"]


@functools.cache
def _token() -> re.Pattern[str]:
    """The scanner's pattern, compiled when first needed: most valid files never need it."""
    return re.compile(
        r'[ \t\n\r]*(?:(?P<string>"(?:[^"\\\n]|\\.)*")|(?P<punct>[{}\[\]:,])'
        r'|(?P<literal>[^\s{}\[\]:,"]+)|(?P<bad>.))',
        re.DOTALL,
    )


def escape_pointer(token: str) -> str:
    """Escape one reference token for a JSON Pointer (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


@attrs.frozen
class SourceMap:
    """Offsets of values and member names in a JSON text, by JSON Pointer."""

    text: str
    values: dict[str, int]
    keys: dict[str, int]
    duplicates: tuple[str, ...]
    line_starts: tuple[int, ...]
    open_container: str = ""

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        """1-based (line, column) of the value at ``pointer`` (or of its member name).

        Falls back to the nearest enclosing value that exists in the text.
        """
        table = self.keys if key else self.values
        offset = table.get(pointer)
        while offset is None and pointer:
            pointer = pointer.rsplit("/", 1)[0]
            offset = self.values.get(pointer)
        if offset is None:
            return None
        return _line_column(self.line_starts, offset)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return tuple(starts)


def _line_column(line_starts: tuple[int, ...], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(line_starts, offset) - 1
    return index + 1, offset - line_starts[index] + 1


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset in ``text``."""
    return _line_column(_line_starts(text), offset)


def source_map(text: str, *, stop: int | None = None) -> SourceMap:
    """Scan ``text`` (valid JSON, or a prefix of broken JSON up to ``stop``) for positions."""
    values: dict[str, int] = {}
    keys: dict[str, int] = {}
    duplicates: list[str] = []
    # Each frame: [is_object, pointer, index or key, awaiting_key]
    stack: list[list[object]] = []
    end = len(text) if stop is None else stop

    def here() -> str:
        if not stack:
            return ""
        frame = stack[-1]
        return f"{frame[1]}/{escape_pointer(str(frame[2]))}"

    for match in _token().finditer(text, 0, end):
        kind = match.lastgroup
        start = match.start(kind) if kind else match.start()
        token = match.group(kind) if kind else ""
        frame = stack[-1] if stack else None
        if kind == "string" and frame is not None and frame[0] and frame[3]:
            try:
                name = json.loads(token)
            except ValueError:
                name = token[1:-1]
            frame[2] = name
            frame[3] = False
            pointer = here()
            if pointer in keys:
                duplicates.append(pointer)
            keys[pointer] = start
        elif kind in ("string", "literal"):
            values[here()] = start  # a repeated key's last value is the one that counts
        elif kind == "punct":
            if token in "{[":
                pointer = here()
                values[pointer] = start
                stack.append([token == "{", pointer, 0, token == "{"])
            elif token in "}]":
                if stack:
                    stack.pop()
            elif token == "," and frame is not None:
                if frame[0]:
                    frame[3] = True
                else:
                    frame[2] = int(frame[2]) + 1  # type: ignore[call-overload]
    open_container = str(stack[-1][1]) if stack else ""
    return SourceMap(text, values, keys, tuple(duplicates), _line_starts(text), open_container)


def pointer_at(text: str, offset: int) -> str:
    """The JSON Pointer of the innermost container open at ``offset`` in (possibly broken) text."""
    return source_map(text, stop=offset).open_container


def depth_exceeded_at(text: str, limit: int) -> int | None:
    """Offset of the first bracket that opens a container deeper than ``limit``, if any."""
    depth = 0
    for match in _token().finditer(text):
        if match.lastgroup == "punct":
            token = match.group("punct")
            if token in "{[":
                depth += 1
                if depth > limit:
                    return match.start("punct")
            elif token in "}]":
                depth -= 1
    return None
