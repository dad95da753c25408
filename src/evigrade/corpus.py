"""JSON Lines corpora: one evidence file per line, validated or graded as a stream.

Lines are read one at a time and results come back one per non-empty line, in input order, so
memory stays bounded whatever the size of the corpus. With ``jobs`` other than 1 the work is
spread over worker processes: each builds the plugin registry once, takes chunks of lines, and
at most a few chunks per worker are in flight at any time (``Pool.imap`` would read the whole
input ahead of the workers; a bounded window of ``apply_async`` calls does not).

A problem names the line of the corpus and the column within that line::

    for result in validate_lines(iter_lines(open("corpus.jsonl", "rb")), filename="corpus.jsonl"):
        for problem in result.problems:
            print(problem)  # corpus.jsonl:12:40: /studies/0/n: expected a number >= 1, found 0
"""

from __future__ import annotations

import json
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .jsontext import compact
from .kinds import ALL_SCHEMES, DEFAULT_OPTIONS, GradingOptions
from .problems import EvidenceError, Problem

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from .kinds import PluginFailure, Registry

__all__ = ["CHUNK_SIZE", "LineResult", "grade_lines", "iter_lines", "validate_lines"]

#: Lines a worker takes at a time: big enough that passing them between processes is cheap
#: next to the work, small enough that results come back steadily and in order.
CHUNK_SIZE = 128

#: Chunks in flight per worker: keeps every worker busy while bounding memory.
_WINDOW = 4

RawLine = tuple[int, "str | bytes"]


_compact = compact


@attrs.frozen
class LineResult:
    """What became of one line of a corpus.

    ``line`` is the 1-based line number in the corpus. ``problems`` is empty for a valid line.
    ``claims_json`` is, as compact JSON text, what ``grade --format json`` puts under
    ``"claims"`` for that evidence file (``None`` when only validating, or when the line is
    invalid); text, because it passes between processes far faster than the data (see
    :attr:`claims`). ``failures`` are the plugin failures met while grading the line.
    """

    line: int
    problems: tuple[Problem, ...] = ()
    claims_json: str | None = None
    failures: tuple[PluginFailure, ...] = ()

    @property
    def claims(self) -> list[dict[str, Any]] | None:
        """The graded claims as data (decoded from :attr:`claims_json` on each access)."""
        if self.claims_json is None:
            return None
        claims: list[dict[str, Any]] = json.loads(self.claims_json)
        return claims

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def unreadable(self) -> bool:
        """True when the line could not be decoded (not UTF-8)."""
        return any(p.kind == "unreadable" for p in self.problems)

    def _problems_data(self) -> list[dict[str, Any]]:
        return [
            {"line": p.line, "column": p.column, "pointer": p.pointer, "message": p.message}
            for p in self.problems
        ]

    def to_data(self) -> dict[str, Any]:
        """``{"line": N, "claims": [...]}``, or ``{"line": N, "problems": [...]}``."""
        if self.problems:
            return {"line": self.line, "problems": self._problems_data()}
        return {"line": self.line, "claims": self.claims or []}

    def to_json(self) -> str:
        """:meth:`to_data` as one compact line of JSON (UTF-8, no newline)."""
        if self.problems:
            return _compact(self.to_data())
        return f'{{"line":{self.line},"claims":{self.claims_json or "[]"}}}'


def iter_lines(stream: Iterable[str | bytes]) -> Iterator[RawLine]:
    """``(line number, text)`` for every non-blank line of a stream, as read (bytes or str).

    Line numbers count every line, blank ones included, from 1. The line ending is removed;
    bytes are decoded later, line by line, so a line that is not UTF-8 is reported on its own.
    """
    for number, raw in enumerate(stream, start=1):
        if isinstance(raw, bytes):
            if raw.strip():
                yield number, raw.rstrip(b"\r\n")
        elif raw.strip():
            yield number, raw.rstrip("\r\n")


@attrs.frozen
class _Task:
    """What to do with each line; sent once to each worker."""

    kind: Literal["validate", "grade"]
    filename: str | None = None
    schemes: tuple[str, ...] | None = None
    timeout: float | None = None
    options: GradingOptions = DEFAULT_OPTIONS
    brief: bool = False


def _locate(problem: Problem, number: int, filename: str | None) -> Problem:
    return attrs.evolve(problem, file=filename, line=number, column=problem.column or 1)


def _run(task: _Task, registry: Registry, number: int, raw: str | bytes) -> LineResult:
    from .validation import check_text, decode

    try:
        text = decode(raw, task.filename) if isinstance(raw, bytes) else raw
    except EvidenceError as error:
        return LineResult(number, tuple(_locate(p, number, task.filename) for p in error.problems))
    data, problems = check_text(text, task.filename, registry.designs)
    if problems:
        return LineResult(number, tuple(_locate(p, number, task.filename) for p in problems))
    if task.kind == "validate":
        return LineResult(number)
    from .convert import report_to_data
    from .files import from_data
    from .grading import grade_file

    evidence = from_data(data, designs=registry.designs, validate=False)
    report = grade_file(
        evidence, task.schemes, registry=registry, timeout=task.timeout, options=task.options
    )
    claims = _compact(report_to_data(report, brief=task.brief)["claims"])
    return LineResult(number, claims_json=claims, failures=tuple(report.failures))


# -- worker processes -------------------------------------------------------------------------

_worker: tuple[_Task, Registry] | None = None


def _init_worker(task: _Task, disable: tuple[str, ...]) -> None:
    """Build this worker's registry once (a worker process is a program of its own); Ctrl-C
    is the parent's to handle."""
    global _worker
    from .plugins import get_registry

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (task, get_registry(disable=disable))


def _run_chunk(chunk: list[RawLine]) -> list[LineResult]:
    assert _worker is not None, "worker not initialized"
    task, registry = _worker
    return [_run(task, registry, number, raw) for number, raw in chunk]


def _chunks(lines: Iterable[RawLine], size: int) -> Iterator[list[RawLine]]:
    chunk: list[RawLine] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(
    task: _Task, lines: Iterable[RawLine], jobs: int, disable: tuple[str, ...]
) -> Iterator[LineResult]:
    import multiprocessing

    window = jobs * _WINDOW
    with multiprocessing.get_context().Pool(
        jobs, initializer=_init_worker, initargs=(task, disable)
    ) as pool:
        pending: deque[AsyncResult[list[LineResult]]] = deque()
        for chunk in _chunks(lines, CHUNK_SIZE):
            pending.append(pool.apply_async(_run_chunk, (chunk,)))
            if len(pending) >= window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
    # Leaving the block (normally, or because the consumer stopped early) terminates the pool.


# -- entry points -----------------------------------------------------------------------------


def _workers(jobs: int) -> int:
    if jobs < 0:
        raise ValueError(f"jobs must be >= 0, found {jobs}")
    return jobs or os.cpu_count() or 1


def _disabled(registry: Registry, disable: Iterable[str] | None) -> tuple[str, ...]:
    if disable is not None:
        return tuple(disable)
    return tuple(p.name for p in registry.plugins if p.status == "disabled")


def _stream(
    task: _Task,
    lines: Iterable[RawLine],
    registry: Registry,
    disable: Iterable[str] | None,
    jobs: int,
) -> Iterator[LineResult]:
    workers = _workers(jobs)
    if workers == 1:
        return (_run(task, registry, number, raw) for number, raw in lines)
    return _parallel(task, lines, workers, _disabled(registry, disable))


def validate_lines(
    lines: Iterable[RawLine],
    *,
    registry: Registry,
    filename: str | None = None,
    disable: Iterable[str] | None = None,
    jobs: int = 1,
) -> Iterator[LineResult]:
    """Validate each ``(line number, text)`` (see :func:`iter_lines`); one result per line.

    ``filename`` names the corpus in problems. ``registry`` says which designs are known.
    ``jobs`` worker processes (0: one per core; 1: in this process) each build their own
    registry, leaving out ``disable`` (default: the plugins ``registry`` disabled). Results
    come in input order.
    """
    return _stream(_Task("validate", filename), lines, registry, disable, jobs)


def grade_lines(
    lines: Iterable[RawLine],
    schemes: Sequence[str] | None = None,
    *,
    registry: Registry,
    filename: str | None = None,
    disable: Iterable[str] | None = None,
    jobs: int = 1,
    timeout: float | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
    brief: bool = False,
) -> Iterator[LineResult]:
    """Validate and grade each ``(line number, text)``; one result per line, in input order.

    ``schemes`` are the names of the schemes to grade under, as
    :meth:`~evigrade.kinds.Registry.select_schemes` reads them (``"all"`` for every registered
    scheme), every registered scheme when none is named, as for
    :func:`~evigrade.grading.grade_file`; an unknown scheme raises :class:`ValueError` at once.
    ``options`` are the grading options, sent to every worker. ``timeout`` limits the seconds
    one scheme may take for one claim. ``brief`` gives each claim's grades in brief
    (:func:`~evigrade.convert.grade_to_brief`) in place of their full rationale. Other
    arguments as for :func:`validate_lines`.
    """
    names = registry.select_schemes(schemes or (ALL_SCHEMES,))
    task = _Task("grade", filename, names, timeout, options, brief)
    return _stream(task, lines, registry, disable, jobs)
