"""``evigrade import`` and ``evigrade export``: evidence files from PubMed, ClinicalTrials.gov,
FHIR or a plugin's kind of source, and documents for other systems."""

from __future__ import annotations

from collections.abc import Sequence

import click

from .common import (
    ExitStatus,
    emit,
    err,
    is_directory,
    no_corpus,
    plural,
    refuse_inputs,
    registry_of,
    unreadable,
)

__all__ = ["export_", "import_"]


@click.command("import")
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
    help="skip: leave out each record, and each file, that cannot be read, and import the "
    "rest; fail: stop at the first and write nothing.",
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
    from ..files import dumps
    from ..interop import import_files
    from ..problems import EvidenceError

    refuse_inputs(output, files)
    registry = registry_of(ctx)
    if kind not in registry.importers:
        raise click.BadParameter(
            f"{kind!r}; available: {', '.join(sorted(registry.importers)) or 'none'}",
            param_hint="'KIND'",
        )
    for name in files:
        if is_directory(name):
            click.echo(str(unreadable(name, "is a directory")), err=True)
            return ExitStatus.UNREADABLE
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
        err("nothing written")
        return ExitStatus.UNREADABLE if error.unreadable else ExitStatus.INVALID
    for problem in result.problems:
        click.echo(str(problem), err=True)
    status = emit(dumps(result.evidence, designs=registry.designs), output)
    if status != ExitStatus.OK:
        err("nothing written")
        return status
    imported = result.records - result.skipped
    studies, claims = len(result.evidence.studies), len(result.evidence.claims)
    broken = f" ({len(result.unreadable)} unreadable, skipped)" if result.unreadable else ""
    err(
        f"{plural(result.records, 'record')} read from {plural(len(files), 'file')}{broken}:"
        f" {imported} imported, {result.skipped} skipped; "
        f"{plural(studies, 'study', 'studies')}, {plural(claims, 'claim')}; written to {output}"
    )
    return status


@click.command("export")
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

    from ..files import load
    from ..interop import export
    from ..kinds import ExportError
    from ..problems import EvidenceError

    no_corpus(file, "export")
    refuse_inputs(output, [file])
    registry = registry_of(ctx)
    if kind not in registry.exporters:
        raise click.BadParameter(
            f"{kind!r}; available: {', '.join(sorted(registry.exporters)) or 'none'}",
            param_hint="'KIND'",
        )
    if is_directory(file):
        click.echo(str(unreadable(file, "is a directory")), err=True)
        return ExitStatus.UNREADABLE
    try:
        evidence = load(file, designs=registry.designs)
        document = export(kind, evidence, registry=registry)
    except EvidenceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        return ExitStatus.UNREADABLE if error.unreadable else ExitStatus.INVALID
    except ExportError as error:
        err(f"{file}: cannot export as {kind}: {error}")
        return ExitStatus.INVALID
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return emit(text, output)
