"""``evigrade grade`` and ``evigrade compare``: grade an evidence file (or each line of a JSON
Lines corpus) and print the report."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import click

from ..grading import Report
from ..kinds import DEFAULT_OPTIONS, GradingOptions, Registry
from ..risk import UnassessedRisk
from .common import (
    ExitStatus,
    dask_option,
    detail_option,
    disabled,
    emit,
    err,
    fail_fast_option,
    finish,
    is_directory,
    is_jsonl,
    jobs_option,
    layout_width,
    no_corpus,
    output_option,
    refuse_inputs,
    registry_of,
    render_options,
    selected_schemes,
    strict_option,
    timeout_option,
    unassessed_risk_option,
    unreadable,
    width_option,
)

__all__ = ["compare", "grade"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--scheme",
    "-s",
    "schemes",
    multiple=True,
    metavar="NAME",
    help="Grade under this scheme; repeatable; all for every installed scheme. Default: the "
    "names in EVIGRADE_SCHEMES when it is set, else grade (GRADE alone).",
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
@detail_option
@click.option(
    "--brief",
    is_flag=True,
    help="With --format json or jsonl: each grade in brief (label, rank, direction and the "
    "levels each domain moved it by), without its rationale.",
)
@width_option
@output_option
@strict_option
@timeout_option
@unassessed_risk_option
@jobs_option
@fail_fast_option
@dask_option
@click.pass_context
def grade(
    ctx: click.Context,
    file: str,
    schemes: Sequence[str],
    output_format: str | None,
    detail: str,
    brief: bool,
    width: int | None,
    output: str | None,
    strict: bool,
    timeout: float,
    unassessed_risk: UnassessedRisk,
    jobs: int,
    fail_fast: bool,
    scheduler: str | None,
) -> int:
    """Grade every claim of an evidence file, or of each line of a JSON Lines corpus.

    A FILE ending .jsonl, or - for standard input, is JSON Lines: one evidence file per line,
    streamed, one compact JSON result per non-empty line (--format jsonl).
    """
    refuse_inputs(output, [file])
    registry = registry_of(ctx)
    if is_jsonl(file):
        if output_format not in (None, "jsonl"):
            raise click.BadParameter(
                f"{output_format!r} is for one evidence file; use --format jsonl for JSON Lines "
                "input",
                param_hint="'--format'",
            )
        schemes = selected_schemes(registry, schemes)
        if scheduler is not None:
            from .corpus import dask_client

            dask_client(ctx, scheduler, [file])
        options = GradingOptions(unassessed_risk=unassessed_risk)
        return _grade_corpus(
            ctx, registry, file, schemes, output, strict, timeout, jobs, fail_fast, options, brief
        )
    output_format = output_format or "table"
    if brief and output_format != "json":
        raise click.BadParameter(
            f"--brief is for --format json or jsonl, not {output_format!r}",
            param_hint="'--brief'",
        )
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
    schemes = selected_schemes(registry, schemes)
    grading = GradingOptions(unassessed_risk=unassessed_risk)
    report, status = graded(registry, file, schemes, timeout, grading)
    if report is None:
        return status
    if brief:
        from ..convert import report_to_data
        from ..jsontext import indented

        return finish(
            emit(indented(report_to_data(report, brief=True)) + "\n", output),
            registry,
            report.failures,
            strict,
        )
    rendering = render_options(detail, width, output)
    try:
        from ..plugins import guard

        with guard(registry, "format", output_format):
            text = registry.formats[output_format].text(report, rendering)
        if not isinstance(text, str):
            raise TypeError(f"returned {type(text).__name__}, expected str")
    except Exception as error:
        owner = registry.owner("format", output_format)
        err(str(registry.failure(owner, f"rendering {output_format!r}", error)))
        return ExitStatus.INTERNAL
    return finish(emit(text, output), registry, report.failures, strict)


def graded(
    registry: Registry,
    file: str,
    schemes: Sequence[str],
    timeout: float,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> tuple[Report | None, int]:
    """Load and grade a file: (report, 0), or (None, exit status) with the problems shown."""
    from ..files import load
    from ..grading import grade_file
    from ..problems import EvidenceError

    if is_directory(file):
        click.echo(str(unreadable(file, "is a directory")), err=True)
        return None, ExitStatus.UNREADABLE
    try:
        evidence = load(file, designs=registry.designs)
    except EvidenceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        return None, ExitStatus.UNREADABLE if error.unreadable else ExitStatus.INVALID
    names = tuple(dict.fromkeys(schemes)) or None
    report = grade_file(
        evidence, names, registry=registry, timeout=timeout or None, file=file, options=options
    )
    for failure in report.failures:
        err(str(failure))
    return report, ExitStatus.OK


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
    options: GradingOptions,
    brief: bool = False,
) -> int:
    """Grade a JSON Lines corpus: one JSON line out per line in; problems also on stderr."""
    from ..corpus import grade_lines, iter_lines
    from .corpus import cluster_results, line_sink, open_corpus, progress

    status: int = ExitStatus.OK
    failures: set[str] = set()
    with open_corpus(name, on_stderr=True) as opened, line_sink(output) as write:
        if opened is None or write is None:
            return ExitStatus.UNREADABLE
        handle, label = opened
        if "dask_client" in ctx.ensure_object(dict):
            source = cluster_results(
                ctx, "grade", label, registry, schemes, timeout or None, options, brief
            )
        else:
            results = grade_lines(
                iter_lines(handle),
                schemes,
                registry=registry,
                filename=label,
                disable=disabled(ctx),
                jobs=jobs,
                timeout=timeout or None,
                options=options,
                brief=brief,
            )
            source = progress(results, handle, "grading")
        with contextlib.closing(source) as shown:
            for result in shown:
                write(result.to_json())
                for problem in result.problems:
                    click.echo(str(problem), err=True)
                for failure in result.failures:
                    text = str(failure)
                    if text not in failures:
                        failures.add(text)
                        err(text)
                if result.unreadable:
                    status = ExitStatus.UNREADABLE
                elif result.problems:
                    status = max(status, ExitStatus.INVALID)
                if fail_fast and status != ExitStatus.OK:
                    break
    return finish(status, registry, sorted(failures), strict)


@click.command()
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
@width_option
@output_option
@strict_option
@timeout_option
@unassessed_risk_option
@click.pass_context
def compare(
    ctx: click.Context,
    file: str,
    output_format: str,
    width: int | None,
    output: str | None,
    strict: bool,
    timeout: float,
    unassessed_risk: UnassessedRisk,
) -> int:
    """Show each claim under every installed scheme, side by side."""
    from ..compare import render_compare_json, render_compare_table

    no_corpus(file, "compare")
    refuse_inputs(output, [file])
    registry = registry_of(ctx)
    options = GradingOptions(unassessed_risk=unassessed_risk)
    report, status = graded(registry, file, tuple(registry.schemes), timeout, options)
    if report is None:
        return status
    if output_format == "json":
        text = render_compare_json(report, registry)
    else:
        text = render_compare_table(report, registry, layout_width(width, output))
    return finish(emit(text, output), registry, report.failures, strict)
