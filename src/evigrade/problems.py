"""Problems with input: what is wrong, where (file, JSON Pointer, line and column), and the
error that carries every problem of a file.

Problems are values that callers sort and render, as jsonschema's errors are; every stage that
reads input (validation, loading, importing) reports through them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from .text import one_line

__all__ = ["EvidenceError", "Problem", "ProblemKind"]

ProblemKind = Literal["unreadable", "syntax", "schema", "semantic"]


@attrs.frozen(order=False)
class Problem:
    """One thing wrong with an evidence file.

    ``pointer`` is an RFC 6901 JSON Pointer ("" is the whole document); ``line`` and ``column``
    are 1-based and ``None`` when the input was not text. ``keyword`` names the schema keyword
    or semantic rule that failed.
    """

    message: str = attrs.field(converter=one_line)  # text from the file may hold a newline
    pointer: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    kind: ProblemKind = "schema"
    keyword: str | None = None

    def __str__(self) -> str:
        where = self.file if self.file is not None else "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}:{self.column}"
        if self.kind == "unreadable" and self.line is None:
            return f"{where}: {self.message}"
        return f"{where}: {one_line(self.pointer) or '#'}: {self.message}"

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line or 0, self.column or 0, self.pointer, self.message)


class EvidenceError(ValueError):
    """An evidence file could not be loaded; ``problems`` holds every reason.

    ``unreadable`` is true when the input could not be read or decoded at all (exit status 2
    on the command line) rather than being invalid (exit status 1).
    """

    def __init__(self, problems: Iterable[Problem], file: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first}{more}")

    @property
    def unreadable(self) -> bool:
        return any(p.kind == "unreadable" for p in self.problems)
