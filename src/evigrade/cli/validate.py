"""``evigrade validate``: check evidence files, and JSON Lines corpora line by line."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import click

from ..kinds import Registry
from ..problems import Problem
from .common import (
    ExitStatus,
    dask_option,
    disabled,
    fail_fast_option,
    is_directory,
    is_jsonl,
    jobs_option,
    registry_of,
    unreadable,
)

__all__ = ["validate"]


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@jobs_option
@fail_fast_option
@dask_option
@click.pass_context
def validate(
    ctx: click.Context, files: Sequence[str], jobs: int, fail_fast: bool, scheduler: str | None
) -> int:
    """Check evidence files against the schema and the semantic rules.

    Prints every problem as FILE:LINE:COL: /json/pointer: message. A FILE ending .jsonl, or -
    for standard input, is JSON Lines: one evidence file per line, streamed, with LINE the line
    of the corpus. Exit 0 if all are valid, 1 if any is invalid, 2 if any cannot be read.
    """
    from ..validation import validate_file

    registry = registry_of(ctx)
    if scheduler is not None and any(is_jsonl(name) for name in files):
        from .corpus import dask_client

        dask_client(ctx, scheduler, files)
    status: int = ExitStatus.OK
    counts = {"valid": 0, "invalid": 0, "unreadable": 0}
    corpus = False
    for name in files:
        if is_jsonl(name):
            corpus = True
            status = max(status, _validate_corpus(ctx, registry, name, jobs, fail_fast, counts))
            if fail_fast and status != ExitStatus.OK:
                break
            continue
        if is_directory(name):
            problems = [unreadable(name, "is a directory")]
        else:
            problems = validate_file(name, designs=registry.designs)
        cannot_read = any(p.kind == "unreadable" for p in problems)
        status = max(status, _tally(problems, cannot_read, counts))
        if fail_fast and status != ExitStatus.OK:
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
    from ..corpus import iter_lines, validate_lines
    from .corpus import cluster_results, open_corpus, progress

    status: int = ExitStatus.OK
    with open_corpus(name) as opened:
        if opened is None:
            counts["unreadable"] += 1
            return ExitStatus.UNREADABLE
        handle, label = opened
        if "dask_client" in ctx.ensure_object(dict):
            source = cluster_results(ctx, "validate", label, registry)
        else:
            results = validate_lines(
                iter_lines(handle),
                registry=registry,
                filename=label,
                disable=disabled(ctx),
                jobs=jobs,
            )
            source = progress(results, handle, "validating")
        with contextlib.closing(source) as shown:
            for result in shown:
                status = max(status, _tally(result.problems, result.unreadable, counts))
                if fail_fast and status != ExitStatus.OK:
                    break
    return status


def _tally(problems: Sequence[Problem], cannot_read: bool, counts: dict[str, int]) -> int:
    """Print one file's or record's problems, count it, and return its exit status."""
    for problem in problems:
        click.echo(str(problem))
    if cannot_read:
        counts["unreadable"] += 1
        return ExitStatus.UNREADABLE
    if problems:
        counts["invalid"] += 1
        return ExitStatus.INVALID
    counts["valid"] += 1
    return ExitStatus.OK
