"""The ``evigrade check`` and ``evigrade strength`` commands.

This module imports only click; the checker is imported when a command runs, so listing the
commands (or running any other) does not load it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

__all__ = ["check", "strength"]

EXIT_OK, EXIT_UNREADABLE = 0, 2


def _err(message: str) -> None:
    click.echo(f"evigrade: {message}", err=True)


def _read(name: str) -> str | None:
    """The text of a file (``-``: standard input), UTF-8 with an optional byte-order mark; None
    (reported, naming the file) when it cannot be read or is not UTF-8."""
    import os

    label = "<stdin>" if name == "-" else name
    try:
        if name == "-":
            raw = sys.stdin.buffer.read()
        elif os.path.isdir(name):
            _err(f"{label}: cannot read file: is a directory")
            return None
        else:
            with open(name, "rb") as handle:
                raw = handle.read()
    except OSError as error:
        _err(f"{label}: cannot read file: {error.strerror or error}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        _err(
            f"{label}:{line}:{column}: not UTF-8 text: expected UTF-8, found byte "
            f"0x{raw[error.start]:02x} at byte offset {error.start}"
        )
        return None


def _registry(ctx: click.Context) -> Any:
    """The plugin registry of this run (its plugin failures reported once, on standard error)."""
    from ..plugins import get_registry

    obj = ctx.find_root().ensure_object(dict)
    if "registry" not in obj:
        registry = get_registry(disable=obj.get("disable", ()))
        for failure in registry.failures:
            _err(str(failure))
        obj["registry"] = registry
    return obj["registry"]


@click.command("check")
@click.argument("article", type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="How to print the checked article.",
)
@click.option(
    "--output",
    "-o",
    "draft",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="DRAFT.json",
    help="Write the draft evidence file here (atomically).",
)
@click.option(
    "--scheme",
    "-s",
    "schemes",
    multiple=True,
    metavar="NAME",
    help="Report grades under this scheme; repeatable (default: every installed scheme).",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "markdown", "html"]),
    default="auto",
    show_default=True,
    help="What the article is (auto: from its suffix, else its text).",
)
@click.option(
    "--publisher",
    "publishers",
    multiple=True,
    metavar="NAME",
    help="Who publishes the article, when it does not say; repeatable.",
)
@click.option(
    "--scorer", default=None, metavar="NAME", help="Wording-strength scorer (default: rules)."
)
@click.pass_context
def check(
    ctx: click.Context,
    article: str,
    output_format: str,
    draft: str | None,
    schemes: Sequence[str],
    kind: str,
    publishers: Sequence[str],
    scorer: str | None,
) -> int:
    """Check a health article: its claims, their evidence and grades, and the claims worded
    more strongly than the evidence allows.

    ARTICLE is a plain-text, Markdown or HTML file, or - for standard input.
    """
    registry = _registry(ctx)
    schemes_known = getattr(registry, "schemes", {})
    for name in schemes:
        if name not in schemes_known:
            raise click.BadParameter(
                f"{name!r}; available: {', '.join(schemes_known)}", param_hint="'--scheme'"
            )
    scorers = getattr(registry, "scorers", {})
    if scorer is not None and scorer not in scorers:
        raise click.BadParameter(
            f"{scorer!r}; available: {', '.join(sorted(scorers))}", param_hint="'--scorer'"
        )
    text = _read(article)
    if text is None:
        return EXIT_UNREADABLE
    from .check import check_article
    from .report import render_check

    try:
        checked = check_article(
            text,
            name="<stdin>" if article == "-" else article,
            kind=kind,
            schemes=tuple(dict.fromkeys(schemes)) or None,
            publisher=publishers,
            scorer=scorer,
            registry=registry,
        )
    except ModuleNotFoundError as error:
        _err(str(error))
        return EXIT_UNREADABLE
    if draft is not None:
        from .. import dump, from_data

        try:
            dump(from_data(dict(checked.draft), registry=registry), draft, registry=registry)
        except OSError as error:
            _err(f"cannot write {draft}: {error.strerror or error}")
            return EXIT_UNREADABLE
    click.echo(render_check(checked, output_format), nl=False)
    return EXIT_OK


@click.command("strength")
@click.argument("file", type=click.Path(dir_okay=True, allow_dash=True), default="-")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["table", "jsonl"]),
    default="table",
    show_default=True,
    help="table, or jsonl: one JSON object per input line, in input order.",
)
@click.option(
    "--scorer", default=None, metavar="NAME", help="Wording-strength scorer (default: rules)."
)
@click.pass_context
def strength(ctx: click.Context, file: str, output_format: str, scorer: str | None) -> int:
    """Score how strongly each line of FILE (or standard input) words a finding: none,
    correlational, conditional-causal or direct-causal, with the cue words."""
    import json

    registry = _registry(ctx)
    scorers = getattr(registry, "scorers", {})
    if scorer is not None and scorer not in scorers:
        raise click.BadParameter(
            f"{scorer!r}; available: {', '.join(sorted(scorers))}", param_hint="'--scorer'"
        )
    text = _read(file)
    if text is None:
        return EXIT_UNREADABLE
    from . import claim_strength

    lines = text.splitlines()
    scored = [claim_strength(line, scorer=scorer, registry=registry) for line in lines]
    if output_format == "jsonl":
        for line, result in zip(lines, scored, strict=True):
            record = {
                "text": line,
                "strength": result.label,
                "level": result.level,
                "cues": list(result.cues),
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    width = max((len(r.label) for r in scored), default=8)
    for number, (line, result) in enumerate(zip(lines, scored, strict=True), start=1):
        cues = ", ".join(result.cues) or "-"
        click.echo(f"{number:>4}  {result.label:<{width}}  {cues:<30}  {line}")
    return EXIT_OK
