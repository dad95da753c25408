"""What the commands share: exit statuses, error lines, the registry of a run, and options."""

from __future__ import annotations

import enum
import gc
import os
import sys
from collections.abc import Sequence
from typing import Any, cast

import click

from ..kinds import ALL_SCHEMES, DETAILS, Detail, Registry, RenderOptions
from ..plugins import get_registry
from ..problems import Problem

__all__ = [
    "MAX_TIMEOUT",
    "SCHEMES_ENV",
    "ExitStatus",
    "check_schemes",
    "dask_option",
    "detail_option",
    "disabled",
    "emit",
    "err",
    "fail_fast_option",
    "finish",
    "is_directory",
    "is_jsonl",
    "jobs_option",
    "layout_width",
    "no_corpus",
    "output_option",
    "plural",
    "read_text_file",
    "refuse_inputs",
    "registry_of",
    "render_options",
    "selected_schemes",
    "strict_option",
    "timeout_option",
    "unassessed_risk_option",
    "unreadable",
    "width_option",
    "write_failed",
]

#: The schemes ``evigrade grade`` uses when no ``--scheme`` is given: names, or ``all``.
SCHEMES_ENV = "EVIGRADE_SCHEMES"


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


def read_text_file(name: str) -> str | None:
    """The text of a file (``-``: standard input), UTF-8 with an optional byte-order mark; None
    (reported, naming the file) when it cannot be read, is larger than the input limit
    (``EVIGRADE_MAX_INPUT_SIZE``) or is not UTF-8."""
    from ..validation.parse import max_input_size, too_large

    label = "<stdin>" if name == "-" else name
    limit = max_input_size()
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        elif os.path.isdir(name):
            err(f"{label}: cannot read file: is a directory")
            return None
        else:
            with open(name, "rb") as handle:
                raw = handle.read(limit + 1)
    except OSError as error:
        err(f"{label}: cannot read file: {error.strerror or error}")
        return None
    if len(raw) > limit:
        err(f"{label}: {too_large(f'more than {limit:,} bytes', limit)}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        err(
            f"{label}:{line}:{column}: not UTF-8 text: expected UTF-8, found byte "
            f"0x{raw[error.start]:02x} at byte offset {error.start}"
        )
        return None


def check_schemes(registry: Registry, schemes: Sequence[str]) -> None:
    """A usage error for a ``--scheme`` that names no registered scheme."""
    for name in schemes:
        if name not in registry.schemes:
            raise click.BadParameter(
                f"{name!r}; available: {', '.join(registry.schemes)}", param_hint="'--scheme'"
            )


def selected_schemes(registry: Registry, schemes: Sequence[str]) -> tuple[str, ...]:
    """The schemes ``evigrade grade`` grades under: those ``--scheme`` names, else those
    ``EVIGRADE_SCHEMES`` names (separated by commas or spaces), else GRADE; ``all`` is every
    installed scheme. A name that is not installed is a usage error naming those that are."""
    hint = "'--scheme'"
    if not schemes:
        value = os.environ.get(SCHEMES_ENV, "")
        schemes = value.replace(",", " ").split()
        hint = SCHEMES_ENV
    for name in schemes:
        if name != ALL_SCHEMES and name not in registry.schemes:
            raise click.BadParameter(
                f"{name!r}; available: {', '.join(registry.schemes)} (or {ALL_SCHEMES})",
                param_hint=hint,
            )
    try:
        return registry.select_schemes(schemes)
    except ValueError as error:  # GRADE itself switched off
        raise click.BadParameter(str(error), param_hint=hint) from None


def layout_width(width: int | None, output: str | None) -> int | None:
    """The columns to lay text out for: ``--width`` (0: no fixed width), else the terminal's
    width when standard output is a terminal and no ``--output`` is given, else ``None``: no
    fixed width (a file, a pipe), and the text is never wrapped."""
    from ..terminal import terminal_width

    if width is None:
        return None if output is not None else terminal_width(sys.stdout)
    return width or None


def render_options(detail: str, width: int | None, output: str | None) -> RenderOptions:
    """The options an output format is given: ``--detail``, and the width to lay out for."""
    return RenderOptions(detail=cast("Detail", detail), width=layout_width(width, output))


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
detail_option = click.option(
    "--detail",
    type=click.Choice(DETAILS),
    default="moves",
    show_default=True,
    help="How much of each rationale the table and Markdown show: moves (the steps that set "
    "or moved each grade, and the notes on studies pending, left out or read as another "
    "design) or full (every step, each domain judged not serious too). JSON has every step.",
)
width_option = click.option(
    "--width",
    type=click.IntRange(min=0),
    default=None,
    metavar="COLUMNS",
    help="Lay the table out for this many columns (0: no fixed width, never wrapped). "
    "Default: the terminal's width; no fixed width when the output is a file or a pipe.",
)
dask_option = click.option(
    "--dask",
    "scheduler",
    default=None,
    metavar="SCHEDULER",
    help="Check or grade JSON Lines input on a Dask cluster: a scheduler address "
    "(tcp://HOST:8786), or local for one on this machine (needs evigrade[dask]).",
)
unassessed_risk_option = click.option(
    "--unassessed-risk",
    "unassessed_risk",
    type=click.Choice(["unclear", "not-rated"]),
    default="unclear",
    show_default=True,
    help="How a study whose risk of bias the file does not record counts, in every scheme: "
    "unclear (at unclear risk, so a body mostly of such studies is rated down once) or "
    "not-rated (left out: risk of bias is not rated for it).",
)
