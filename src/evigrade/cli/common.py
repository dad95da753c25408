"""What the commands share: exit statuses, error lines, the registry of a run, and options."""

from __future__ import annotations

import enum
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from ..kinds import Registry
from ..plugins import get_registry
from ..problems import Problem

__all__ = [
    "MAX_TIMEOUT",
    "ExitStatus",
    "check_schemes",
    "dask_option",
    "disabled",
    "emit",
    "err",
    "fail_fast_option",
    "finish",
    "is_directory",
    "is_jsonl",
    "jobs_option",
    "no_corpus",
    "output_option",
    "plural",
    "refuse_inputs",
    "registry_of",
    "strict_option",
    "timeout_option",
    "unreadable",
    "write_failed",
]


class ExitStatus(enum.IntEnum):
    """The exit statuses of every command (docs/cli.md)."""

    OK = 0
    INVALID = 1  # an input is invalid
    UNREADABLE = 2  # an input cannot be read, an output cannot be written, or a usage error
    INTERNAL = 3  # a bug: set EVIGRADE_DEBUG=1 for the traceback
    PLUGIN = 4  # --strict and a plugin failed
    INTERRUPTED = 130  # Ctrl-C (SIGTERM: 143)
    CLOSED_PIPE = 141  # standard output's reader went away (128 + SIGPIPE, as a shell says)


def err(message: str) -> None:
    """One line on standard error, prefixed with the program's name."""
    click.echo(f"evigrade: {message}", err=True)


def disabled(ctx: click.Context) -> tuple[str, ...]:
    """The plugins switched off by the group's options (``--no-plugins``, ``--disable-plugin``)."""
    root = ctx.find_root()
    if root.params.get("no_plugins"):
        return ("*",)
    return tuple(root.params.get("disabled") or ())


def registry_of(ctx: click.Context) -> Registry:
    """The registry of this run, built once (its loading failures reported once)."""
    obj = ctx.find_root().ensure_object(dict)
    if "registry" not in obj:
        with _loading(program=bool(obj.get("program"))):
            registry = get_registry(disable=disabled(ctx))
        for failure in registry.failures:
            err(str(failure))
        obj["registry"] = registry
    result: Registry = obj["registry"]
    return result


class _loading:
    """Loading the plugins makes many objects that live as long as the process (modules,
    classes, the registry) and next to no garbage. When this process is the program, the
    cyclic garbage collector waits until they are made and then leaves them out of every later
    collection (:func:`gc.freeze`), the one at exit included."""

    def __init__(self, program: bool) -> None:
        self.active = program and gc.isenabled()

    def __enter__(self) -> None:
        if self.active:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.active:
            gc.freeze()
            gc.enable()


def is_jsonl(name: str) -> bool:
    """A JSON Lines corpus: ``-`` (standard input) or a name ending ``.jsonl``."""
    return name == "-" or name.endswith(".jsonl")


def no_corpus(name: str, command: str) -> None:
    """A usage error for a JSON Lines corpus given to a command that reads one evidence file."""
    if is_jsonl(name):
        what = "standard input (read as JSON Lines)" if name == "-" else f"{name!r}"
        raise click.BadParameter(
            f"{what}: {command} reads one evidence file (.json), not a JSON Lines corpus; "
            "grade and validate read corpora",
            param_hint="'FILE'",
        )


def unreadable(name: str, why: str) -> Problem:
    """The problem of an input that cannot be read."""
    return Problem(f"cannot read file: {why}", file=name, kind="unreadable")


def check_schemes(registry: Registry, schemes: Sequence[str]) -> None:
    """A usage error for a ``--scheme`` that names no registered scheme."""
    for name in schemes:
        if name not in registry.schemes:
            raise click.BadParameter(
                f"{name!r}; available: {', '.join(registry.schemes)}", param_hint="'--scheme'"
            )


def emit(text: str | bytes, output: str | None) -> int:
    """Write ``text`` to standard output (``output`` None or ``-``), or to ``output`` all or
    nothing (:func:`evigrade.output.atomic_file`); the exit status. A write that fails (a full
    disk) is one line on standard error and status 2; a closed pipe is left to :func:`main`."""
    from ..output import STDOUT, write_atomically

    try:
        if output is None or output == STDOUT:
            if isinstance(text, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(text)
                sys.stdout.buffer.flush()
            else:
                click.echo(text, nl=False)  # and flushed, so that an error is seen here
        else:
            write_atomically(output, text)
    except BrokenPipeError:
        raise
    except OSError as error:
        write_failed(output, error)
        return ExitStatus.UNREADABLE
    return ExitStatus.OK


def write_failed(output: str | None, error: OSError) -> None:
    """Report an output that could not be written, in one line."""
    where = "standard output" if output in (None, "-") else output
    err(f"cannot write {where}: {error.strerror or error}")


def refuse_inputs(output: str | None, inputs: Sequence[str]) -> None:
    """Exit 2, before anything is read or written, when ``output`` is one of the ``inputs``
    (the same file, whatever its name): writing it would destroy the input."""
    if output is None:
        return
    from ..output import same_file

    name = same_file(output, inputs)
    if name is not None:
        shown = "" if name == output else f" ({name})"
        err(f"--output {output} is an input file{shown}: refusing to overwrite it")
        raise click.exceptions.Exit(ExitStatus.UNREADABLE)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 study``, ``2 studies``: a count and its noun."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def finish(status: int, registry: Registry, failures: Sequence[Any], strict: bool) -> int:
    """The exit status of a command that graded: ``--strict`` makes a plugin failure 4."""
    if status == ExitStatus.OK and strict and (registry.failures or failures):
        err("a plugin failed and --strict was given")
        return ExitStatus.PLUGIN
    return status


def is_directory(name: str) -> bool:
    """A path naming a directory (``-`` is standard input, never one)."""
    return name != "-" and os.path.isdir(name)


strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 4 if a plugin failed (to load, register, assess or grade).",
)
#: The longest ``--timeout`` accepted: one day (0 means no limit).
MAX_TIMEOUT = 86400.0


def _check_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not 0 <= value <= MAX_TIMEOUT:  # false for NaN too
        raise click.BadParameter(
            f"expected 0 (no limit) or a number of seconds up to {MAX_TIMEOUT:g}, found {value}"
        )
    return value


timeout_option = click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    callback=_check_timeout,
    help=f"Time one scheme may take for one claim (0: no limit; at most {MAX_TIMEOUT:g}). A "
    "scheme that takes longer is left out of the rest of the run.",
)
output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes for JSON Lines input (0: one per core; 1: none).",
)
fail_fast_option = click.option(
    "--fail-fast", is_flag=True, help="Stop at the first invalid file or line (exit 1)."
)
dask_option = click.option(
    "--dask",
    "scheduler",
    default=None,
    metavar="SCHEDULER",
    help="Check or grade JSON Lines input on a Dask cluster: a scheduler address "
    "(tcp://HOST:8786), or local for one on this machine (needs evigrade[dask]).",
)
