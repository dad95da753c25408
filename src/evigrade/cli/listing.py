"""``evigrade schemes``, ``designs`` and ``plugins``: what is installed."""

from __future__ import annotations

import click

from .common import ExitStatus, registry_of

__all__ = ["list_designs", "list_plugins", "list_schemes"]


@click.command("schemes")
@click.pass_context
def list_schemes(ctx: click.Context) -> int:
    """List the grading schemes available."""
    registry = registry_of(ctx)
    for name in registry.schemes:
        scheme = registry.schemes[name]
        owner = registry.owner("scheme", name)
        click.echo(f"{name}: {scheme.title} [{owner}]")
        if scheme.description:
            click.echo(f"    {scheme.description}")
        click.echo(f"    labels (rank 0 up): {' < '.join(scheme.labels)}")
        if scheme.source:
            click.echo(f"    source: {scheme.source}")
    return ExitStatus.OK


@click.command("designs")
@click.pass_context
def list_designs(ctx: click.Context) -> int:
    """List the study designs of the taxonomy and their place in each scheme."""
    registry = registry_of(ctx)
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
    return ExitStatus.OK


@click.command("plugins")
@click.pass_context
def list_plugins(ctx: click.Context) -> int:
    """List the plugins loaded, with their distribution, version and hooks."""
    registry = registry_of(ctx)
    for info in registry.plugins:
        origin = f"{info.distribution or '?'} {info.version or ''}".strip()
        kind = "built-in" if info.builtin else "third-party"
        click.echo(f"{info.name}  ({origin}, {kind}, {info.status})")
        if info.hooks:
            click.echo(f"    hooks: {', '.join(info.hooks)}")
    return ExitStatus.OK
