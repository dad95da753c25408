"""Reading JSON Lines corpora for the commands: the open input, a progress bar on a terminal,
the lines' results from a Dask cluster, and the output written line by line."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, BinaryIO, NoReturn

import click

from ..kinds import DEFAULT_OPTIONS, GradingOptions, Registry
from .common import ExitStatus, disabled, err, unreadable, write_failed

__all__ = ["cluster_results", "dask_client", "line_sink", "open_corpus", "progress"]


def dask_client(ctx: click.Context, scheduler: str, files: Sequence[str]) -> None:
    """Connect to ``--dask SCHEDULER`` (or start a local cluster) for this command; exit 2
    with one line on standard error if the extra is missing or the scheduler unusable."""
    if "-" in files:
        raise click.BadParameter(
            "standard input cannot be read by Dask workers; give a .jsonl file",
            param_hint="'--dask'",
        )
    try:
        from ..cluster import open_client
    except ImportError as error:
        err(str(error))
        raise click.exceptions.Exit(ExitStatus.UNREADABLE) from None
    try:
        ctx.ensure_object(dict)["dask_client"] = ctx.with_resource(open_client(scheduler))
    except (OSError, ValueError) as error:
        err(f"cannot use the Dask scheduler {scheduler!r}: {error}")
        raise click.exceptions.Exit(ExitStatus.UNREADABLE) from None


def cluster_results(
    ctx: click.Context,
    kind: str,
    name: str,
    registry: Registry,
    schemes: Sequence[str] = (),
    timeout: float | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
    brief: bool = False,
) -> Generator[Any, None, None]:
    """The LineResults of a corpus validated or graded on the ``--dask`` cluster, in order."""
    from ..cluster import ClusterError, grade_bag, iter_results, validate_bag

    disable = disabled(ctx)
    try:
        if kind == "grade":
            bag = grade_bag(
                name,
                schemes,
                registry=registry,
                disable=disable,
                timeout=timeout,
                options=options,
                brief=brief,
            )
        else:
            bag = validate_bag(name, registry=registry, disable=disable)
        with contextlib.closing(iter_results(bag, client=ctx.obj["dask_client"])) as items:
            for item in items:  # closed with this generator: --fail-fast cancels the rest
                yield item.result
    except ClusterError as error:
        err(str(error))
        raise click.exceptions.Exit(ExitStatus.UNREADABLE) from None


@contextlib.contextmanager
def open_corpus(name: str, *, on_stderr: bool = False) -> Iterator[tuple[BinaryIO, str] | None]:
    """The open corpus and the name its problems give, or None if unreadable (reported on
    standard output, or standard error if ``on_stderr``)."""
    if name == "-":
        yield sys.stdin.buffer, "<stdin>"
        return
    if os.path.isdir(name):
        click.echo(str(unreadable(name, "is a directory")), err=on_stderr)
        yield None
        return
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below, after the caller's block
    except OSError as error:
        click.echo(str(unreadable(name, error.strerror or str(error))), err=on_stderr)
        yield None
        return
    with handle:
        yield handle, name


def progress(results: Iterator[Any], handle: BinaryIO, what: str) -> Generator[Any, None, None]:
    """Pass results through, showing a progress bar on standard error if it is a terminal.

    The bar's total and ETA come from the file's size in bytes when it is a regular file. A
    worker process that died twice on the same lines ends the command: one line, status 3.
    """
    from ..corpus import WorkerError

    lines = invalid = 0
    first_broken = False  # the first line is not JSON: the start of an indented document?
    try:
        for result in _progress(results, handle, what):
            lines += 1
            invalid += bool(result.problems)
            if lines == 1:
                first_broken = any(p.kind == "syntax" for p in result.problems)
            yield result
    except WorkerError as error:
        err(str(error))
        raise click.exceptions.Exit(ExitStatus.INTERNAL) from None
    if handle is sys.stdin.buffer and lines > 1 and first_broken and invalid == lines:
        err(
            "standard input is read as JSON Lines, one evidence file per line; to read one "
            "evidence file, give its name (or put it on one line)"
        )


def _progress(results: Iterator[Any], handle: BinaryIO, what: str) -> Generator[Any, None, None]:
    if not sys.stderr.isatty():
        yield from results
        return
    import time

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class LineRate(ProgressColumn):
        def render(self, task: Task) -> Text:
            lines: int = task.fields.get("lines", 0)
            elapsed = task.elapsed or 0.0
            rate = f"{lines / elapsed:,.0f}" if elapsed > 0 else "?"
            return Text(f"{lines:,} lines, {rate}/s")

    total: int | None = None
    try:
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode):
            total = info.st_size
    except (OSError, ValueError):
        pass
    progress = Progress(
        TextColumn(what),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        LineRate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        auto_refresh=False,  # no refresh thread: worker processes may be forked meanwhile
        transient=True,
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=True,
    )
    with progress:
        task = progress.add_task(what, total=total, lines=0)
        lines = 0
        last = 0.0
        try:
            for result in results:
                yield result
                lines += 1
                now = time.monotonic()
                if now - last >= 0.1:
                    last = now
                    done = handle.tell() if total is not None else None
                    progress.update(task, completed=done, lines=lines, refresh=True)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stops worker processes now if the caller stopped early


class _WriteFailed(Exception):
    """A line could not be written (raised inside the caller's block, caught by line_sink)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


@contextlib.contextmanager
def line_sink(output: str | None) -> Iterator[Any]:
    """A function writing one line to standard output, or to ``output`` all or nothing (see
    :func:`evigrade.output.atomic_file`); None (reported) if it cannot be created. A write
    that fails (a full disk) ends the block: reported in one line, with exit status 2 (a
    closed pipe is left to the program's :func:`~evigrade.cli.main`)."""
    from ..output import STDOUT, atomic_file

    def checked(write: Callable[[str], Any]) -> Callable[[str], None]:
        def line(text: str) -> None:
            try:
                write(text)
            except BrokenPipeError:
                raise
            except OSError as error:
                raise _WriteFailed(error) from None

        return line

    def failed(error: OSError) -> NoReturn:
        write_failed(output, error)
        raise click.exceptions.Exit(ExitStatus.UNREADABLE) from None

    if output is None or output == STDOUT:
        try:
            yield checked(click.echo)  # click.echo flushes each line: an error is seen at once
        except _WriteFailed as error:
            failed(error.error)
        return
    try:
        opened = atomic_file(output)
        stream = opened.__enter__()
    except OSError as error:
        write_failed(output, error)
        yield None
        return
    try:
        yield checked(lambda text: stream.write(text + "\n"))
    except _WriteFailed as error:
        opened.__exit__(type(error), error, error.__traceback__)  # removes the temporary file
        failed(error.error)
    except BaseException as error:
        if not opened.__exit__(type(error), error, error.__traceback__):
            raise
    else:
        try:
            opened.__exit__(None, None, None)  # the last writes, fsync and rename
        except BrokenPipeError:
            raise
        except OSError as error:
            failed(error)
