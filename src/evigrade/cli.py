"""The ``evigrade`` command line: validate, grade, and list schemes, designs and plugins.

Exit status: 0 success, 1 invalid input, 2 unreadable input (or a usage error), 3 an internal
error. Errors are one line each on stderr; set ``EVIGRADE_DEBUG=1`` to see a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import sys
from collections.abc import Generator, Iterator, Sequence
from typing import Any, BinaryIO, ClassVar

import click

from .plugins import DISABLE_ENV, Registry, call_hook, get_registry

__all__ = ["cli", "main"]

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE, EXIT_INTERNAL, EXIT_PLUGIN = 0, 1, 2, 3, 4

_strict = click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 4 if a plugin failed (to load, register, assess or grade).",
)
_timeout = click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Time one scheme may take for one claim (0: no limit).",
)


def _err(message: str) -> None:
    click.echo(f"evigrade: {message}", err=True)


def _registry(ctx: click.Context) -> Registry:
    obj = ctx.ensure_object(dict)
    if "registry" not in obj:
        registry = get_registry(disable=obj.get("disable", ()))
        for failure in registry.failures:
            _err(str(failure))
        obj["registry"] = registry
    result: Registry = obj["registry"]
    return result


class _Group(click.Group):
    """The command group, with commands defined in other modules imported when first used
    (so that ``evigrade validate`` does not load the article checker)."""

    lazy: ClassVar[dict[str, str]] = {
        "check": "evigrade.article.command",
        "strength": "evigrade.article.command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module = importlib.import_module(self.lazy[cmd_name])
            self.add_command(getattr(module, cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evigrade", prog_name="evigrade")
@click.option(
    "--no-plugins", is_flag=True, help=f"Load no third-party plugins (also: {DISABLE_ENV}=all)."
)
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help=f"Do not load this plugin; repeatable (also: {DISABLE_ENV}=a,b).",
)
@click.pass_context
def cli(ctx: click.Context, no_plugins: bool, disabled: Sequence[str]) -> None:
    """Grade the evidence behind health claims."""
    ctx.ensure_object(dict)["disable"] = ("*",) if no_plugins else tuple(disabled)


_jobs = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Worker processes for JSON Lines input (0: one per core; 1: none).",
)
_fail_fast = click.option(
    "--fail-fast", is_flag=True, help="Stop at the first invalid file or line (exit 1)."
)
_dask = click.option(
    "--dask",
    "scheduler",
    default=None,
    metavar="SCHEDULER",
    help="Check or grade JSON Lines input on a Dask cluster: a scheduler address "
    "(tcp://HOST:8786), or local for one on this machine (needs evigrade[dask]).",
)


def _is_jsonl(name: str) -> bool:
    """A JSON Lines corpus: ``-`` (standard input) or a name ending ``.jsonl``."""
    return name == "-" or name.endswith(".jsonl")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@_jobs
@_fail_fast
@_dask
@click.pass_context
def validate(
    ctx: click.Context, files: Sequence[str], jobs: int, fail_fast: bool, scheduler: str | None
) -> int:
    """Check evidence files against the schema and the semantic rules.

    Prints every problem as FILE:LINE:COL: /json/pointer: message. A FILE ending .jsonl, or -
    for standard input, is JSON Lines: one evidence file per line, streamed, with LINE the line
    of the corpus. Exit 0 if all are valid, 1 if any is invalid, 2 if any cannot be read.
    """
    from .validation import validate_file

    registry = _registry(ctx)
    if scheduler is not None and any(_is_jsonl(name) for name in files):
        _dask_client(ctx, scheduler, files)
    status = EXIT_OK
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    corpus = False
    for name in files:
        if _is_jsonl(name):
            corpus = True
            status = max(status, _validate_corpus(ctx, registry, name, jobs, fail_fast, counts))
            if fail_fast and status != EXIT_OK:
                break
            continue
        if os.path.isdir(name):
            problems = _unreadable(name, "is a directory")
        else:
            problems = validate_file(name, designs=registry.designs)
        for problem in problems:
            click.echo(str(problem))
        if any(p.kind == "unreadable" for p in problems):
            counts["unreadable"] += 1
            status = EXIT_UNREADABLE
        elif problems:
            counts["invalid"] += 1
            status = max(status, EXIT_INVALID)
        else:
            counts["valid"] += 1
        if fail_fast and status != EXIT_OK:
            break
    total = sum(counts.values())
    detail = ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    unit = ("record", "records") if corpus else ("file", "files")
    click.echo(f"{total} {unit[total != 1]} checked: {detail or 'none'}", err=True)
    return status


def _validate_corpus(
    ctx: click.Context,
    registry: Registry,
    name: str,
    jobs: int,
    fail_fast: bool,
    counts: dict[str, int],
) -> int:
    """Validate a JSON Lines corpus line by line, printing problems; return the exit status."""
    from .corpus import iter_lines, validate_lines

    status = EXIT_OK
    with _corpus(name) as opened:
        if opened is None:
            counts["unreadable"] += 1
            return EXIT_UNREADABLE
        handle, label = opened
        if "dask_client" in ctx.obj:
            source = _cluster_results(ctx, "validate", label, registry)
        else:
            results = validate_lines(
                iter_lines(handle),
                filename=label,
                registry=registry,
                disable=ctx.obj.get("disable", ()),
                jobs=jobs,
            )
            source = _progress(results, handle, "validating")
        with contextlib.closing(source) as shown:
            for result in shown:
                for problem in result.problems:
                    click.echo(str(problem))
                if result.unreadable:
                    counts["unreadable"] += 1
                    status = EXIT_UNREADABLE
                elif result.problems:
                    counts["invalid"] += 1
                    status = max(status, EXIT_INVALID)
                else:
                    counts["valid"] += 1
                if fail_fast and status != EXIT_OK:
                    break
    return status


def _dask_client(ctx: click.Context, scheduler: str, files: Sequence[str]) -> None:
    """Connect to ``--dask SCHEDULER`` (or start a local cluster) for this command; exit 2
    with one line on standard error if the extra is missing or the scheduler unusable."""
    if "-" in files:
        raise click.BadParameter(
            "standard input cannot be read by Dask workers; give a .jsonl file",
            param_hint="'--dask'",
        )
    try:
        from .cluster import open_client
    except ImportError as error:
        _err(str(error))
        raise click.exceptions.Exit(EXIT_UNREADABLE) from None
    try:
        ctx.obj["dask_client"] = ctx.with_resource(open_client(scheduler))
    except (OSError, ValueError) as error:
        _err(f"cannot use the Dask scheduler {scheduler!r}: {error}")
        raise click.exceptions.Exit(EXIT_UNREADABLE) from None


def _cluster_results(
    ctx: click.Context,
    kind: str,
    name: str,
    registry: Registry,
    schemes: Sequence[str] = (),
    timeout: float | None = None,
) -> Generator[Any, None, None]:
    """The LineResults of a corpus validated or graded on the ``--dask`` cluster, in order."""
    from .cluster import ClusterError, grade_bag, iter_results, validate_bag

    disable = ctx.obj.get("disable", ())
    try:
        if kind == "grade":
            bag = grade_bag(name, schemes, registry=registry, disable=disable, timeout=timeout)
        else:
            bag = validate_bag(name, registry=registry, disable=disable)
        with contextlib.closing(iter_results(bag, client=ctx.obj["dask_client"])) as items:
            for item in items:  # closed with this generator: --fail-fast cancels the rest
                yield item.result
    except ClusterError as error:
        _err(str(error))
        raise click.exceptions.Exit(EXIT_UNREADABLE) from None


@contextlib.contextmanager
def _corpus(name: str, *, err: bool = False) -> Iterator[tuple[BinaryIO, str] | None]:
    """The open corpus and the name its problems give, or None if unreadable (reported on
    standard output, or standard error if ``err``)."""
    if name == "-":
        yield sys.stdin.buffer, "<stdin>"
        return
    if os.path.isdir(name):
        click.echo(str(_unreadable(name, "is a directory")[0]), err=err)
        yield None
        return
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below, after the caller's block
    except OSError as error:
        click.echo(str(_unreadable(name, error.strerror or str(error))[0]), err=err)
        yield None
        return
    with handle:
        yield handle, name


def _progress(results: Iterator[Any], handle: BinaryIO, what: str) -> Generator[Any, None, None]:
    """Pass results through, showing a progress bar on standard error if it is a terminal.

    The bar's total and ETA come from the file's size in bytes when it is a regular file.
    """
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


def _unreadable(name: str, why: str) -> list[Any]:
    from .validation import Problem

    return [Problem(f"cannot read file: {why}", file=name, kind="unreadable")]


def _check_schemes(registry: Registry, schemes: Sequence[str]) -> None:
    for name in schemes:
        if name not in registry.schemes:
            raise click.BadParameter(
                f"{name!r}; available: {', '.join(registry.schemes)}", param_hint="'--scheme'"
            )


def _graded(
    registry: Registry, file: str, schemes: Sequence[str], timeout: float
) -> tuple[Any, int]:
    """Load and grade a file: (report, 0), or (None, exit status) with the problems shown."""
    import attrs

    from .files import load
    from .grading import grade_file
    from .validation import EvidenceError

    if os.path.isdir(file):
        click.echo(str(_unreadable(file, "is a directory")[0]), err=True)
        return None, EXIT_UNREADABLE
    try:
        evidence = load(file)
    except EvidenceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        return None, EXIT_UNREADABLE if error.unreadable else EXIT_INVALID
    names = tuple(dict.fromkeys(schemes)) or None
    report = grade_file(evidence, names, registry=registry, timeout=timeout or None)
    for failure in report.failures:
        _err(str(failure))
    return attrs.evolve(report, file=file), EXIT_OK


def _emit(text: str, output: str | None) -> int:
    if output is None:
        click.echo(text, nl=False)
        return EXIT_OK
    from .files import write_atomically

    try:
        write_atomically(output, text)
    except OSError as error:
        _err(f"cannot write {output}: {error.strerror or error}")
        return EXIT_UNREADABLE
    return EXIT_OK


def _finish(status: int, registry: Registry, report: Any, strict: bool) -> int:
    if status == EXIT_OK and strict and (registry.failures or report.failures):
        _err("a plugin failed and --strict was given")
        return EXIT_PLUGIN
    return status


_output = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--scheme",
    "-s",
    "schemes",
    multiple=True,
    metavar="NAME",
    help="Grade under this scheme; repeatable (default: every installed scheme).",
)
@click.option(
    "--format",
    "-f",
    "output_format",
    default=None,
    metavar="NAME",
    help="Output format: table (default), json, markdown, or a plugin's; jsonl (the default "
    "and only one) for JSON Lines input.",
)
@_output
@_strict
@_timeout
@_jobs
@_fail_fast
@_dask
@click.pass_context
def grade(
    ctx: click.Context,
    file: str,
    schemes: Sequence[str],
    output_format: str | None,
    output: str | None,
    strict: bool,
    timeout: float,
    jobs: int,
    fail_fast: bool,
    scheduler: str | None,
) -> int:
    """Grade every claim of an evidence file, or of each line of a JSON Lines corpus.

    A FILE ending .jsonl, or - for standard input, is JSON Lines: one evidence file per line,
    streamed, one compact JSON result per non-empty line (--format jsonl).
    """
    registry = _registry(ctx)
    if _is_jsonl(file):
        if output_format not in (None, "jsonl"):
            raise click.BadParameter(
                f"{output_format!r} is for one evidence file; use --format jsonl for JSON Lines "
                "input",
                param_hint="'--format'",
            )
        _check_schemes(registry, schemes)
        if scheduler is not None:
            _dask_client(ctx, scheduler, [file])
        return _grade_corpus(ctx, registry, file, schemes, output, strict, timeout, jobs, fail_fast)
    output_format = output_format or "table"
    if output_format == "jsonl":
        raise click.BadParameter(
            "'jsonl' is for JSON Lines input (FILE.jsonl, or - for standard input)",
            param_hint="'--format'",
        )
    if output_format not in registry.formats:
        raise click.BadParameter(
            f"{output_format!r}; available: {', '.join(sorted(registry.formats))}",
            param_hint="'--format'",
        )
    _check_schemes(registry, schemes)
    report, status = _graded(registry, file, schemes, timeout)
    if report is None:
        return status
    try:
        text = registry.formats[output_format].render(report)
        if not isinstance(text, str):
            raise TypeError(f"returned {type(text).__name__}, expected str")
    except Exception as error:
        owner = registry.owner("format", output_format)
        _err(str(registry.failure(owner, f"rendering {output_format!r}", error)))
        return EXIT_INTERNAL
    return _finish(_emit(text, output), registry, report, strict)


def _grade_corpus(
    ctx: click.Context,
    registry: Registry,
    name: str,
    schemes: Sequence[str],
    output: str | None,
    strict: bool,
    timeout: float,
    jobs: int,
    fail_fast: bool,
) -> int:
    """Grade a JSON Lines corpus: one JSON line out per line in; problems also on stderr."""
    from .corpus import grade_lines, iter_lines

    status = EXIT_OK
    failures: set[str] = set()
    with _corpus(name, err=True) as opened, _sink(output) as write:
        if opened is None or write is None:
            return EXIT_UNREADABLE
        handle, label = opened
        if "dask_client" in ctx.obj:
            source = _cluster_results(ctx, "grade", label, registry, schemes, timeout or None)
        else:
            results = grade_lines(
                iter_lines(handle),
                schemes,
                filename=label,
                registry=registry,
                disable=ctx.obj.get("disable", ()),
                jobs=jobs,
                timeout=timeout or None,
            )
            source = _progress(results, handle, "grading")
        with contextlib.closing(source) as shown:
            for result in shown:
                write(result.to_json())
                for problem in result.problems:
                    click.echo(str(problem), err=True)
                for failure in result.failures:
                    text = str(failure)
                    if text not in failures:
                        failures.add(text)
                        _err(text)
                if result.unreadable:
                    status = EXIT_UNREADABLE
                elif result.problems:
                    status = max(status, EXIT_INVALID)
                if fail_fast and status != EXIT_OK:
                    break
    if status == EXIT_OK and strict and (registry.failures or failures):
        _err("a plugin failed and --strict was given")
        return EXIT_PLUGIN
    return status


@contextlib.contextmanager
def _sink(output: str | None) -> Iterator[Any]:
    """A function writing one line to standard output, or to ``output`` all or nothing (a
    temporary file beside it, renamed at the end); None (reported) if it cannot be created."""
    if output is None:
        yield click.echo
        return
    import tempfile

    directory = os.path.dirname(os.path.abspath(output))
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".evigrade-", suffix=".tmp")
    except OSError as error:
        _err(f"cannot write {output}: {error.strerror or error}")
        yield None
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            yield lambda line: stream.write(line + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@_output
@_strict
@_timeout
@click.pass_context
def compare(
    ctx: click.Context,
    file: str,
    output_format: str,
    output: str | None,
    strict: bool,
    timeout: float,
) -> int:
    """Show each claim under every installed scheme, side by side."""
    from .compare import render_compare_json, render_compare_table

    registry = _registry(ctx)
    report, status = _graded(registry, file, (), timeout)
    if report is None:
        return status
    render = render_compare_json if output_format == "json" else render_compare_table
    return _finish(_emit(render(report, registry), output), registry, report, strict)


@cli.command("import")
@click.argument("kind")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    required=True,
    help="The evidence file to write (atomically; nothing is written on failure).",
)
@click.option(
    "--on-error",
    type=click.Choice(["skip", "fail"]),
    default="fail",
    show_default=True,
    help="Skip records that cannot be read, or stop at the first.",
)
@click.option("--title", default=None, help="The evidence file's title.")
@click.pass_context
def import_(
    ctx: click.Context,
    kind: str,
    files: Sequence[str],
    output: str,
    on_error: str,
    title: str | None,
) -> int:
    """Build an evidence file from source files: pubmed, ctgov, fhir, or a plugin's kind."""
    from .files import dumps
    from .interop import import_files
    from .validation import EvidenceError

    registry = _registry(ctx)
    if kind not in registry.importers:
        raise click.BadParameter(
            f"{kind!r}; available: {', '.join(sorted(registry.importers)) or 'none'}",
            param_hint="'KIND'",
        )
    for name in files:
        if os.path.isdir(name):
            click.echo(str(_unreadable(name, "is a directory")[0]), err=True)
            return EXIT_UNREADABLE
    try:
        result = import_files(
            kind,
            files,
            on_error=on_error,  # type: ignore[arg-type]
            registry=registry,
            title=title,
        )
    except EvidenceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        _err("nothing written")
        return EXIT_UNREADABLE if error.unreadable else EXIT_INVALID
    for problem in result.problems:
        click.echo(str(problem), err=True)
    imported = result.records - result.skipped
    _err(
        f"{result.records} record{'s' if result.records != 1 else ''} read from {len(files)} "
        f"file{'s' if len(files) != 1 else ''}:"
        f" {imported} imported, {result.skipped} skipped; "
        f"{len(result.evidence.studies)} studies, {len(result.evidence.claims)} claims"
    )
    return _emit(dumps(result.evidence, registry=registry), output)


@cli.command("export")
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
@click.pass_context
def export_(ctx: click.Context, kind: str, file: str, output: str | None) -> int:
    """Write an evidence file, with its grades, in another format: fhir, or a plugin's."""
    import json

    from .files import load
    from .interop import ExportError, export
    from .validation import EvidenceError

    registry = _registry(ctx)
    if kind not in registry.exporters:
        raise click.BadParameter(
            f"{kind!r}; available: {', '.join(sorted(registry.exporters)) or 'none'}",
            param_hint="'KIND'",
        )
    if os.path.isdir(file):
        click.echo(str(_unreadable(file, "is a directory")[0]), err=True)
        return EXIT_UNREADABLE
    try:
        evidence = load(file, registry=registry)
        document = export(kind, evidence, registry=registry)
    except EvidenceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        return EXIT_UNREADABLE if error.unreadable else EXIT_INVALID
    except ExportError as error:
        _err(f"{file}: cannot export as {kind}: {error}")
        return EXIT_INVALID
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _emit(text, output)


@cli.command("schemes")
@click.pass_context
def list_schemes(ctx: click.Context) -> int:
    """List the grading schemes available."""
    registry = _registry(ctx)
    for name in registry.schemes:
        scheme = registry.schemes[name]
        owner = registry.owner("scheme", name)
        click.echo(f"{name}: {scheme.title} [{owner}]")
        if scheme.description:
            click.echo(f"    {scheme.description}")
        click.echo(f"    labels (rank 0 up): {' < '.join(scheme.labels)}")
        if scheme.source:
            click.echo(f"    source: {scheme.source}")
    return EXIT_OK


@cli.command("designs")
@click.pass_context
def list_designs(ctx: click.Context) -> int:
    """List the study designs of the taxonomy and their place in each scheme."""
    registry = _registry(ctx)
    rows = [("id", "family", "randomized", "GRADE start", "CEBM", "pyramid", "SEVCO")]
    starts = {4: "High", 3: "Moderate", 2: "Low", 1: "Very low", None: "not graded"}
    for design in registry.designs.values():
        randomized = {True: "yes", False: "no", None: "either"}[design.randomized]
        rows.append(
            (
                design.id,
                design.family,
                randomized,
                starts[design.grade_start],
                "-" if design.cebm_level is None else str(design.cebm_level),
                "-" if design.pyramid_tier is None else str(design.pyramid_tier),
                " ".join(design.sevco) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


@cli.command("plugins")
@click.pass_context
def list_plugins(ctx: click.Context) -> int:
    """List the plugins loaded, with their distribution, version and hooks."""
    registry = _registry(ctx)
    for info in registry.plugins:
        origin = f"{info.distribution or '?'} {info.version or ''}".strip()
        kind = "built-in" if info.builtin else "third-party"
        click.echo(f"{info.name}  ({origin}, {kind}, {info.status})")
        if info.hooks:
            click.echo(f"    hooks: {', '.join(info.hooks)}")
    return EXIT_OK


def _register_plugin_commands(argv: Sequence[str]) -> None:
    """Let plugins add commands; honours --no-plugins / --disable-plugin seen in argv."""
    disable: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--no-plugins":
            disable.append("*")
        elif arg == "--disable-plugin" and index + 1 < len(argv):
            disable.append(argv[index + 1])
        elif arg.startswith("--disable-plugin="):
            disable.append(arg.split("=", 1)[1])
    registry = get_registry(disable=disable)
    if registry.manager is None:
        return
    caller = registry.manager.hook.evigrade_register_commands
    for impl in caller.get_hookimpls():
        try:
            call_hook(impl, cli=cli)
        except Exception as error:
            _err(str(registry.fail(impl.plugin_name, "adding commands", error)))
    name = _command_name(argv)
    if name is not None and name not in cli.commands and name not in _Group.lazy:
        # Perhaps a command of a plugin that failed to load: say why before click says "No
        # such command".
        for failure in registry.failures:
            _err(str(failure))


def _command_name(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--disable-plugin":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


@contextlib.contextmanager
def _loading(program: bool) -> Iterator[None]:
    """Loading the plugins makes many objects that live as long as the process (modules,
    classes, the registry) and next to no garbage. When this process is the program, the
    cyclic garbage collector waits until they are made and then leaves them out of every later
    collection (:func:`gc.freeze`), the one at exit included."""
    if not program or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line and exit with its status; never shows a traceback unless
    ``EVIGRADE_DEBUG`` is set. Without ``argv`` (the ``evigrade`` program, ``python -m
    evigrade``) the process is taken to be the program's own: see :func:`_loading`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with _loading(program=argv is None):
            _register_plugin_commands(args)
        status = cli.main(args=args, prog_name="evigrade", standalone_mode=False)
    except click.exceptions.Exit as done:
        status = done.exit_code
    except click.ClickException as error:
        error.show()
        status = error.exit_code
    except click.Abort:
        _err("aborted")
        status = 130
    except KeyboardInterrupt:
        _err("interrupted")
        status = 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_OK
    except Exception as error:
        if os.environ.get("EVIGRADE_DEBUG"):
            import traceback

            traceback.print_exc()
        _err(
            f"internal error: {type(error).__name__}: {error} (set EVIGRADE_DEBUG=1 for a "
            "traceback)"
        )
        status = EXIT_INTERNAL
    sys.exit(status if isinstance(status, int) else EXIT_OK)
