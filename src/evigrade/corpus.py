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

import contextlib
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
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from .kinds import PluginFailure, Registry

__all__ = [
    "CHUNK_BYTES",
    "CHUNK_SIZE",
    "LineResult",
    "Oversized",
    "WorkerError",
    "grade_lines",
    "iter_lines",
    "validate_lines",
]

#: Lines a worker takes at a time: big enough that passing them between processes is cheap
#: next to the work, small enough that results come back steadily and in order.
CHUNK_SIZE = 128

#: Bytes of lines a chunk holds at most (about: it ends at the line that reaches it).
CHUNK_BYTES = 1 << 20

#: Chunks read ahead of the results taken, per worker: keeps every worker busy while bounding
#: memory.
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


class Oversized(bytes):
    """A line longer than the limit, in place of its text (which is never held whole): how
    many bytes it had, and the limit."""

    size: int
    limit: int

    def __new__(cls, size: int, limit: int) -> Oversized:
        line = super().__new__(cls, b"")
        line.size, line.limit = size, limit
        return line

    def __reduce__(self) -> tuple[Any, ...]:
        return (Oversized, (self.size, self.limit))


def iter_lines(stream: Iterable[str | bytes], limit: int | None = None) -> Iterator[RawLine]:
    """``(line number, text)`` for every non-blank line of a stream, as read (bytes or str).

    Line numbers count every line, blank ones included, from 1. The line ending is removed;
    bytes are decoded later, line by line, so a line that is not UTF-8 is reported on its own.
    A line longer than ``limit`` (default: :func:`~evigrade.validation.max_input_size`) comes
    as an :class:`Oversized`, reported by the line's result: when the stream has ``readline``
    (an open file), no more than ``limit`` of it is ever held.
    """
    from .validation import max_input_size

    limit = max_input_size() if limit is None else limit
    readline = getattr(stream, "readline", None)
    lines: Iterable[str | bytes] = stream if readline is None else _bounded(readline, limit)
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, Oversized):
            yield number, raw
            continue
        line = raw.rstrip(b"\r\n") if isinstance(raw, bytes) else raw.rstrip("\r\n")
        if len(line) > limit:
            yield number, Oversized(len(line), limit)
        elif line.strip():
            yield number, line


def _bounded(readline: Any, limit: int) -> Iterator[str | bytes]:
    """Each line from ``readline``, or an :class:`Oversized` for one longer than ``limit``
    (read past in pieces, never held)."""
    while True:
        raw = readline(limit + 2)  # room for the line ending
        if not raw:
            return
        newline = b"\n" if isinstance(raw, bytes) else "\n"
        if raw.endswith(newline) or len(raw) < limit + 2:  # the whole line
            yield raw
            continue
        size = len(raw)
        while not raw.endswith(newline):
            raw = readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield Oversized(size - (1 if raw.endswith(newline) else 0), limit)


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


def _run(
    task: _Task,
    registry: Registry,
    number: int,
    raw: str | bytes,
    timed_out: set[str] | None = None,
) -> LineResult:
    from .validation import check_text, decode

    if isinstance(raw, Oversized):
        from .validation.parse import too_large

        problem = Problem(
            too_large(raw.size, raw.limit, "record"),
            file=task.filename,
            line=number,
            column=1,
            kind="unreadable",
            keyword="size",
        )
        return LineResult(number, (problem,))
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
        evidence,
        task.schemes,
        registry=registry,
        timeout=task.timeout,
        options=task.options,
        timed_out=timed_out,
    )
    claims = _compact(report_to_data(report, brief=task.brief)["claims"])
    return LineResult(number, claims_json=claims, failures=tuple(report.failures))


# -- worker processes -------------------------------------------------------------------------


class WorkerError(RuntimeError):
    """A worker process ended without sending its results (killed, out of memory, or exited
    by plugin code), twice for the same lines: the run cannot go on without them."""


def _serve(
    connection: Connection, task: _Task, disable: tuple[str, ...], inherited: tuple[int, ...]
) -> None:
    """A worker process: build the registry once (a worker is a program of its own), then
    grade or validate each chunk it is sent, until told to stop or its parent has gone (the
    pipe ends: the parent's ends of every pipe that a fork copied here are closed first, so
    that nothing but the parent keeps them open). Ctrl-C is the parent's to handle; SIGTERM
    ends it at once (the parent's handler would unwind it instead)."""
    from .plugins import get_registry

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for descriptor in inherited:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    registry = get_registry(disable=disable)
    timed_out: set[str] = set()
    while True:
        try:
            chunk = connection.recv()
        except EOFError:
            return
        if chunk is None:
            return
        try:
            results: Any = [_run(task, registry, number, raw, timed_out) for number, raw in chunk]
        except Exception as error:  # a bug: the parent raises it
            results = RuntimeError(f"{type(error).__name__}: {error}")
        connection.send(results)


@attrs.define
class _Worker:
    process: BaseProcess
    connection: Connection
    #: The chunk being worked on: (its index, the lines, how many times it was tried before).
    job: tuple[int, list[RawLine], int] | None = None


class _Pool:
    """Worker processes, each given one chunk at a time over its own pipe, watched so that a
    worker that dies is noticed at once: its chunk is given to a new worker once, and if that
    one dies too the run stops with :class:`WorkerError`. Results come back in input order;
    at most ``window`` chunks are read and not yet yielded (each at most :data:`CHUNK_BYTES`),
    so memory is bounded in bytes whatever the lines."""

    def __init__(self, task: _Task, jobs: int, disable: tuple[str, ...]) -> None:
        import multiprocessing

        self.context = multiprocessing.get_context()
        self.task, self.disable = task, disable
        self.window = jobs * _WINDOW
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            self.workers.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        inherited: tuple[int, ...] = ()
        if self.context.get_start_method() == "fork":  # the child gets a copy of every fd
            others = [w.connection for w in self.workers if not w.connection.closed]
            inherited = (parent.fileno(), *(c.fileno() for c in others))
        process = self.context.Process(
            target=_serve, args=(child, self.task, self.disable, inherited), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, chunks: Iterator[list[RawLine]]) -> Iterator[LineResult]:
        from multiprocessing.connection import wait

        done: dict[int, list[LineResult]] = {}
        again: deque[tuple[int, list[RawLine], int]] = deque()
        read = taken = 0  # chunks read from the input; chunks whose results were yielded
        exhausted = False
        while True:
            while taken in done:
                yield from done.pop(taken)
                taken += 1
            for worker in self.workers:
                if worker.job is not None:
                    continue
                if again:
                    worker.job = again.popleft()
                elif not exhausted and read - taken < self.window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    worker.job = (read, chunk, 0)
                    read += 1
                else:
                    break
                worker.connection.send(worker.job[1])
            busy = [worker for worker in self.workers if worker.job is not None]
            if not busy:
                if exhausted and not again and taken == read:
                    return
                continue
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    self._collect(worker, done, again)

    def _collect(
        self,
        worker: _Worker,
        done: dict[int, list[LineResult]],
        again: deque[tuple[int, list[RawLine], int]],
    ) -> None:
        assert worker.job is not None
        index, chunk, tries = worker.job
        try:
            if worker.connection.poll():
                results = worker.connection.recv()
                worker.job = None
                if isinstance(results, BaseException):
                    raise results
                done[index] = results
                return
        except (EOFError, OSError):
            pass
        # The worker died with the chunk: replace it, and give the chunk to the new one once.
        worker.process.join(1)
        how = _how_it_ended(worker.process.exitcode)
        worker.connection.close()
        self.workers[self.workers.index(worker)] = self._start()
        if tries >= 1:
            first, last = chunk[0][0], chunk[-1][0]
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            raise WorkerError(
                f"a worker process {how} while {self.task.kind.rstrip('e')}ing {where}"
                f"{' of ' + self.task.filename if self.task.filename else ''}, twice: "
                "a line there may need more memory than there is, or a plugin may end the "
                "process (try --jobs 1, or --disable-plugin)"
            )
        again.append((index, chunk, tries + 1))

    def close(self) -> None:
        """Stop every worker: at once if busy (the consumer stopped early), else when asked."""
        for worker in self.workers:
            if worker.job is not None:
                worker.process.terminate()
            else:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
        for worker in self.workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()


def _how_it_ended(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"exited with status {code}"


def _chunks(lines: Iterable[RawLine], size: int, limit: int) -> Iterator[list[RawLine]]:
    """Lines in chunks of at most ``size`` lines and about ``limit`` bytes (a chunk ends once
    it has reached it, so one long line is a chunk of its own)."""
    chunk: list[RawLine] = []
    length = 0
    for item in lines:
        chunk.append(item)
        length += len(item[1])
        if len(chunk) >= size or length >= limit:
            yield chunk
            chunk = []
            length = 0
    if chunk:
        yield chunk


def _parallel(
    task: _Task, lines: Iterable[RawLine], jobs: int, disable: tuple[str, ...]
) -> Iterator[LineResult]:
    pool = _Pool(task, jobs, disable)
    try:
        yield from pool.run(_chunks(lines, CHUNK_SIZE, CHUNK_BYTES))
    finally:  # normally, on an error, or because the consumer stopped early
        pool.close()


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
        timed_out: set[str] = set()  # schemes left out of the rest of the run
        return (_run(task, registry, number, raw, timed_out) for number, raw in lines)
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
