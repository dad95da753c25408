"""The ``evigrade check`` and ``evigrade strength`` commands.

This module imports only click; the checker is imported when a command runs, so listing the
commands (or running any other) does not load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from .common import ExitStatus, check_schemes, err, read_text_file, refuse_inputs, registry_of

if TYPE_CHECKING:
    from ..kinds import Registry

__all__ = ["check", "strength"]


def _check_scorer(registry: Registry, scorer: str | None) -> None:
    if scorer is not None and scorer not in registry.scorers:
        raise click.BadParameter(
            f"{scorer!r}; available: {', '.join(sorted(registry.scorers))}",
            param_hint="'--scorer'",
        )


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
    refuse_inputs(draft, [article])
    registry = registry_of(ctx)
    check_schemes(registry, schemes)
    _check_scorer(registry, scorer)
    text = read_text_file(article)
    if text is None:
        return ExitStatus.UNREADABLE
    from ..article.check import check_article
    from ..article.report import render_check

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
        err(str(error))
        return ExitStatus.UNREADABLE
    if draft is not None:
        from ..files import dump, from_data

        designs = registry.designs
        try:
            dump(from_data(dict(checked.draft), designs=designs), draft, designs=designs)
        except OSError as error:
            err(f"cannot write {draft}: {error.strerror or error}")
            return ExitStatus.UNREADABLE
    click.echo(render_check(checked, output_format), nl=False)
    return ExitStatus.OK


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

    registry = registry_of(ctx)
    _check_scorer(registry, scorer)
    text = read_text_file(file)
    if text is None:
        return ExitStatus.UNREADABLE
    from ..article import claim_strength

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
        return ExitStatus.OK
    width = max((len(r.label) for r in scored), default=8)
    for number, (line, result) in enumerate(zip(lines, scored, strict=True), start=1):
        cues = ", ".join(result.cues) or "-"
        click.echo(f"{number:>4}  {result.label:<{width}}  {cues:<30}  {line}")
    return ExitStatus.OK
