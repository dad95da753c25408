"""JSON Lines corpora on a Dask cluster: the ``evigrade[dask]`` extra.

A corpus is cut into byte ranges of about ``blocksize`` bytes, each starting at the start of a
line, and each range becomes one partition of a :class:`dask.bag.Bag`. A worker reads its range
itself (the corpus must be readable by every worker at the same path or URL), validates or
grades each line with the same code as :func:`evigrade.corpus.grade_lines`, and returns one
:class:`FileResult` per non-blank line. Line numbers are those of the file: before the bag is
built, one cheap pass (run on the cluster when a :class:`distributed.Client` is active) finds the
line starts and counts the lines of every range, so each partition knows the number of its first
line. Each worker process builds the plugin registry once and checks that its plugins are those
of the process that built the bag, so that a cluster gives the results the local path gives::

    from distributed import Client
    from evigrade.cluster import grade_bag, write_results

    with Client("tcp://10.0.0.5:8786"):
        bag = grade_bag("/shared/corpus.jsonl", ["grade"])
        with open("graded.jsonl", "w", encoding="utf-8") as out:
            write_results(bag, out)  # the lines of `evigrade grade --format jsonl`, in order

Importing this module imports Dask; ``import evigrade`` does not.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import uuid
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO

import attrs

from .corpus import LineResult, _disabled, _run, _Task, iter_lines
from .kinds import ALL_SCHEMES, DEFAULT_OPTIONS, GradingOptions
from .plugins import disabled_from_env, get_registry

_INSTALL = "pip install 'evigrade[dask]'"


def _needs_extra(what: str, error: ImportError) -> ModuleNotFoundError:
    """The error for a missing part of the ``dask`` extra, with the command that installs it."""
    message = f"evigrade.cluster needs {what} ({error}); install it with: {_INSTALL}"
    return ModuleNotFoundError(message, name=error.name)


try:
    import dask.bag
    import fsspec  # type: ignore[import-untyped]
    from dask.base import compute
    from dask.delayed import delayed
    from dask.utils import parse_bytes
except ImportError as error:  # pragma: no cover - exercised with Dask hidden
    raise _needs_extra("Dask", error) from error

if TYPE_CHECKING:
    from distributed import Client

    from .kinds import Registry

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "ClusterError",
    "FileResult",
    "grade_bag",
    "iter_results",
    "open_client",
    "validate_bag",
    "write_results",
]

#: Bytes of corpus per partition: about 750 evidence files of 1.4 kB, a second or two of work.
DEFAULT_BLOCKSIZE = 1 << 20

_Path = str | os.PathLike[str]


class ClusterError(RuntimeError):
    """The cluster cannot give the local results: a worker cannot read the corpus, or its
    plugins (or evigrade) differ from those of the process that built the bag."""


class FileResult(NamedTuple):
    """One line's result and the corpus it comes from (as given: a path or a URL)."""

    file: str
    result: LineResult

    def to_json(self) -> str:
        """The line of ``--format jsonl`` output (see :meth:`LineResult.to_json`)."""
        return self.result.to_json()


@attrs.frozen
class _Job:
    """What every partition of one corpus needs besides its byte range."""

    task: _Task
    url: str
    disable: tuple[str, ...]
    plugins: tuple[tuple[str, str | None, str | None], ...]
    storage_options: tuple[tuple[str, Any], ...] = ()


# -- on the workers ----------------------------------------------------------------------------


def _where() -> str:
    """Where this runs, for error messages: the Dask worker's address, else the host name."""
    try:
        from distributed import get_worker

        return f"on worker {get_worker().address}"
    except (ImportError, ValueError):
        import socket

        return f"on {socket.gethostname()}"


@contextlib.contextmanager
def _open(url: str, label: str, storage_options: Mapping[str, Any]) -> Iterator[IO[bytes]]:
    try:
        with fsspec.open(url, "rb", **storage_options) as handle:
            yield handle
    except OSError as error:
        reason = error.strerror or str(error)
        raise ClusterError(f"cannot read {label} {_where()}: {reason}") from error


def _line_start(handle: IO[bytes], position: int, size: int) -> int:
    """The first line start at or after ``position`` (``size`` if there is none)."""
    if position <= 0:
        return 0
    if position >= size:
        return size
    handle.seek(position - 1)
    while True:
        chunk = handle.read(1 << 16)
        if not chunk:
            return size
        found = chunk.find(b"\n")
        if found >= 0:
            return handle.tell() - len(chunk) + found + 1


def _scan(
    url: str, label: str, storage_options: Mapping[str, Any], size: int, offset: int, length: int
) -> tuple[int, int, int]:
    """``(start, end, newlines)`` of the lines that start in ``[offset, offset + length)``."""
    with _open(url, label, storage_options) as handle:
        start = _line_start(handle, offset, size)
        end = _line_start(handle, offset + length, size)
        newlines = 0
        handle.seek(start)
        remaining = end - start
        while remaining > 0:
            chunk = handle.read(min(remaining, 1 << 20))
            if not chunk:
                raise ClusterError(f"{label} changed while it was read ({_where()})")
            newlines += chunk.count(b"\n")
            remaining -= len(chunk)
    return start, end, newlines


def _loaded(registry: Registry) -> tuple[tuple[str, str | None, str | None], ...]:
    return tuple(
        sorted(
            (p.name, p.distribution, p.version) for p in registry.plugins if p.status == "loaded"
        )
    )


_registry_lock = threading.Lock()


def _worker_registry(job: _Job) -> Registry:
    """This process's registry (built once, then cached), checked against the client's."""
    with _registry_lock:  # a worker with several threads builds it once, not once per thread
        registry = get_registry(disable=job.disable)
    here = _loaded(registry)
    if here != job.plugins:

        def show(plugins: Iterable[tuple[str, str | None, str | None]]) -> str:
            return ", ".join(f"{n} ({d or '?'} {v or '?'})" for n, d, v in sorted(plugins)) or "-"

        missing, extra = set(job.plugins) - set(here), set(here) - set(job.plugins)
        raise ClusterError(
            f"the plugins {_where()} differ from those of the client: missing {show(missing)}; "
            f"not on the client {show(extra)} (install the same evigrade and plugins on every "
            "node)"
        )
    return registry


def _process(job: _Job, start: int, end: int, first: int) -> list[FileResult]:
    """Validate or grade the lines in ``[start, end)``, the first being line ``first``."""
    registry = _worker_registry(job)
    label = job.task.filename or job.url
    with _open(job.url, label, dict(job.storage_options)) as handle:
        handle.seek(start)
        data = handle.read(end - start)
    if len(data) != end - start:
        raise ClusterError(f"{label} changed while it was read ({_where()})")
    return [
        FileResult(label, _run(job.task, registry, first - 1 + number, raw))
        for number, raw in iter_lines(io.BytesIO(data))
    ]


# -- building the bag ----------------------------------------------------------------------------


def _paths(paths: _Path | Sequence[_Path]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    names = [os.fspath(path) for path in paths]
    if not names:
        raise ValueError("no corpus given")
    return names


def _bag(
    kind: str,
    paths: _Path | Sequence[_Path],
    schemes: Sequence[str] | None,
    blocksize: int | str,
    registry: Registry | None,
    disable: Iterable[str] | None,
    timeout: float | None,
    storage_options: Mapping[str, Any] | None,
    grading: GradingOptions = DEFAULT_OPTIONS,
    brief: bool = False,
) -> dask.bag.Bag:
    size_of_block = parse_bytes(blocksize) if isinstance(blocksize, str) else int(blocksize)
    if size_of_block < 1:
        raise ValueError(f"blocksize must be at least 1 byte, found {blocksize!r}")
    options = dict(storage_options or {})
    disable = tuple(disable) if disable is not None else None
    known = registry if registry is not None else get_registry(disable=disable or ())
    # GRADE unless named, as locally; an unknown scheme raises here, naming the known ones.
    names = known.select_schemes(schemes or (ALL_SCHEMES,)) if kind == "grade" else None
    off = tuple(sorted(set(_disabled(known, disable)) | disabled_from_env()))
    plugins = _loaded(known)
    prefix = f"evigrade-{kind}-{uuid.uuid4().hex}"

    jobs: list[_Job] = []
    scans: list[Any] = []
    for index, label in enumerate(_paths(paths)):
        fs, path = fsspec.core.url_to_fs(label, **options)
        size = int(fs.size(path))
        url = fs.unstrip_protocol(path)  # a relative local path made absolute, here
        task = _Task(
            "grade" if kind == "grade" else "validate", label, names, timeout, grading, brief
        )
        job = _Job(task, url, off, plugins, tuple(sorted(options.items())))
        jobs.append(job)
        scan, key = delayed(_scan, pure=False), f"{prefix}-scan-{index}"
        scans.append(
            [
                scan(url, label, options, size, offset, size_of_block, dask_key_name=f"{key}-{n}")
                for n, offset in enumerate(range(0, size, size_of_block))
            ]
        )
    (ranges,) = compute(scans)  # type: ignore[no-untyped-call]

    parts = []
    process = delayed(_process, pure=False)
    for index, (job, blocks) in enumerate(zip(jobs, ranges, strict=True)):
        first = 1
        for start, end, newlines in blocks:
            if end > start:
                key = f"{prefix}-{index}-{start}"
                parts.append(process(job, start, end, first, dask_key_name=key))
            first += newlines
    if not parts:
        empty: dask.bag.Bag = dask.bag.from_sequence([], npartitions=1)  # type: ignore[no-untyped-call]
        return empty
    bag: dask.bag.Bag = dask.bag.from_delayed(parts)  # type: ignore[no-untyped-call]
    return bag


def validate_bag(
    paths: _Path | Sequence[_Path],
    *,
    blocksize: int | str = DEFAULT_BLOCKSIZE,
    registry: Registry | None = None,
    disable: Iterable[str] | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> dask.bag.Bag:
    """A bag of :class:`FileResult`, one per non-blank line of each corpus, in input order.

    ``paths`` is one JSON Lines file or several, each a local path or an fsspec URL that every
    worker can read (``storage_options`` go to fsspec). ``blocksize`` is the bytes per
    partition (an int, or a string such as ``"4MiB"``). ``registry`` and ``disable`` say which
    plugins are used, as for :func:`evigrade.corpus.validate_lines`; each worker process
    builds its own registry once, and a worker whose plugins differ raises
    :class:`ClusterError`. Building the bag reads the corpus once to find where its lines
    start (on the cluster when a Dask client is active); nothing else is done until the bag
    is computed.
    """
    return _bag("validate", paths, None, blocksize, registry, disable, None, storage_options)


def grade_bag(
    paths: _Path | Sequence[_Path],
    schemes: Sequence[str] | None = None,
    *,
    blocksize: int | str = DEFAULT_BLOCKSIZE,
    registry: Registry | None = None,
    disable: Iterable[str] | None = None,
    timeout: float | None = None,
    storage_options: Mapping[str, Any] | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
    brief: bool = False,
) -> dask.bag.Bag:
    """A bag of :class:`FileResult`: each non-blank line validated and graded, in input order.

    ``schemes``, ``timeout``, ``options`` (the grading options, sent with every task) and
    ``brief`` as
    for :func:`evigrade.corpus.grade_lines` (an unknown scheme raises :class:`ValueError` at
    once); ``timeout`` is applied only where a line is graded on a process's main thread,
    which Dask workers do not do. Other arguments as for :func:`validate_bag`.
    """
    return _bag(
        "grade",
        paths,
        schemes,
        blocksize,
        registry,
        disable,
        timeout,
        storage_options,
        options,
        brief,
    )


# -- results in order ----------------------------------------------------------------------------


def _default_client() -> Client | None:
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        client: Client = default_client()  # type: ignore[no-untyped-call]
    except ValueError:
        return None
    return client


def iter_results(
    bag: dask.bag.Bag, *, client: Client | None = None, window: int | None = None
) -> Generator[Any, None, None]:
    """The items of ``bag``, partition by partition, in order, as partitions complete.

    With a :class:`distributed.Client` (``client``, or the active one) at most ``window``
    partitions (default: two per worker thread) are computed or held at a time, so memory
    stays bounded however large the corpus; closing the iterator early cancels the rest.
    Without one, ``window`` partitions at a time are computed with Dask's default scheduler.
    """
    parts: list[Any] = bag.to_delayed()  # type: ignore[no-untyped-call]
    client = client if client is not None else _default_client()
    if client is None:
        # the bag's own scheduler (processes) unless Dask's configuration names another
        scheduler = dask.config.get("scheduler", None) or bag.__dask_scheduler__
        size = window or 2 * (os.cpu_count() or 1)
        for begin in range(0, len(parts), size):
            chunk = parts[begin : begin + size]
            for part in compute(*chunk, scheduler=scheduler):  # type: ignore[no-untyped-call]
                yield from part
        return
    threads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
    size = window or 2 * max(1, sum(threads.values()))
    pending: deque[Any] = deque()
    try:
        for part in parts:
            pending.append(client.compute(part))  # type: ignore[no-untyped-call]
            if len(pending) >= size:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if pending:
            client.cancel(list(pending))  # type: ignore[no-untyped-call]


def write_results(
    bag: dask.bag.Bag,
    out: _Path | TextIO,
    *,
    client: Client | None = None,
    window: int | None = None,
) -> int:
    """Write each item's ``to_json()`` line to ``out`` (a path, written all or nothing through
    :func:`evigrade.output.atomic_file`, or a text stream), in input order, as
    :func:`iter_results` gives them; return the number of lines written.

    For a bag from :func:`grade_bag` over one corpus the lines are, byte for byte, those of
    ``evigrade grade CORPUS.jsonl --format jsonl``.
    """
    if isinstance(out, (str, os.PathLike)):
        from .output import atomic_file

        with atomic_file(os.fspath(out)) as stream:  # all or nothing, as every output
            return write_results(bag, stream, client=client, window=window)
    count = 0
    for item in iter_results(bag, client=client, window=window):
        out.write(item.to_json() + "\n")
        count += 1
    return count


@contextlib.contextmanager
def open_client(scheduler: str, **cluster: Any) -> Iterator[Client]:
    """A :class:`distributed.Client` of the scheduler at ``scheduler`` (``tcp://HOST:8786``),
    or, for ``"local"``, of a new :class:`distributed.LocalCluster` on this machine: one
    single-threaded worker process per core unless ``cluster`` (arguments for
    ``LocalCluster``) says otherwise. Closed, with the local cluster, on leaving the block.

    Raises :class:`OSError` when the scheduler cannot be reached within Dask's
    ``distributed.comm.timeouts.connect`` and :class:`ValueError` for a malformed address.
    """
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - exercised with Dask hidden
        raise _needs_extra("distributed", error) from error
    if scheduler == "local":
        options: dict[str, Any] = {
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,  # no dashboard, and its HTTP port on any free port:
            "scheduler_kwargs": {"dashboard_address": ":0"},  # 8787 may be another's
            "silence_logs": logging.ERROR,
            **cluster,
        }
        with (
            LocalCluster(**options) as local,  # type: ignore[no-untyped-call]
            Client(local) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    with Client(scheduler) as remote:  # type: ignore[no-untyped-call]
        yield remote
