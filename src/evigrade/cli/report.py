"""The ``evigrade report`` and ``evigrade plot`` commands.

The command line imports this module only when one of them is asked for; it imports the rest
of the report, Jinja2 and matplotlib only once it runs, and the article checker only for an
article (a text, Markdown or HTML file, or the JSON document of ``evigrade check``). Exit
statuses are the command line's (docs/cli.md): 0 written, 1 invalid input, 2 unreadable input,
an unwritable output or a usage error, 3 an internal error, 4 a plugin failure with
``--strict``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from .common import (
    ExitStatus,
    check_schemes,
    emit,
    err,
    finish,
    is_directory,
    read_text_file,
    refuse_inputs,
    registry_of,
    strict_option,
    timeout_option,
    unreadable,
)

if TYPE_CHECKING:
    from ..kinds import Registry
    from ..model import EvidenceFile

__all__ = ["plot", "report"]

PLOTS = ("rob", "map")

#: The suffixes of an article's file: it is checked, then reported.
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")


class _Failed(Exception):
    """Loading failed; the problems are shown and ``status`` is the exit status."""

    def __init__(self, status: int) -> None:
        self.status = status


def _show(problems: Sequence[Any]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _record(path: str, line: int | None, registry: Registry) -> EvidenceFile:
    """One record of a JSON Lines corpus: the line numbered ``line``, or the only one."""
    import attrs

    from ..files import loads
    from ..problems import EvidenceError

    found: tuple[int, bytes] | None = None
    records = 0
    try:
        with open(path, "rb") as handle:  # read as far as needed, not the whole corpus
            for number, raw in enumerate(handle, 1):
                if not raw.strip():
                    continue
                records += 1
                if line is None and records > 1:
                    break
                if line is None or number == line:
                    found = (number, raw.rstrip(b"\r\n"))
                    if line is not None:
                        break
    except OSError as error:
        why = error.strerror or str(error)
        _show([unreadable(path, why)])
        raise _Failed(ExitStatus.UNREADABLE) from None
    if line is None and records != 1:
        raise click.BadParameter(
            f"{path} has {'no record' if not records else 'several records'}: a report is of "
            "one record; choose it with --line N (its line number)",
            param_hint="'FILE'",
        )
    if found is None:
        raise click.BadParameter(
            f"line {line} of {path} is not a record (blank or past the end)",
            param_hint="'--line'",
        )
    number, raw = found
    try:
        return loads(raw, designs=registry.designs, filename=path)
    except EvidenceError as error:
        _show([attrs.evolve(p, line=number, column=p.column or 1) for p in error.problems])
        raise _Failed(ExitStatus.UNREADABLE if error.unreadable else ExitStatus.INVALID) from None


def _evidence(path: str, line: int | None, registry: Registry) -> EvidenceFile:
    """The evidence file at ``path`` (a .jsonl corpus: one record of it), or _Failed."""
    from ..files import load
    from ..problems import EvidenceError

    if is_directory(path):
        _show([unreadable(path, "is a directory")])
        raise _Failed(ExitStatus.UNREADABLE)
    if path.endswith(".jsonl"):
        return _record(path, line, registry)
    if line is not None:
        raise click.BadParameter("is for a JSON Lines corpus (FILE.jsonl)", param_hint="'--line'")
    try:
        return load(path, designs=registry.designs)
    except EvidenceError as error:
        _show(error.problems)
        raise _Failed(ExitStatus.UNREADABLE if error.unreadable else ExitStatus.INVALID) from None


class _Input(NamedTuple):
    """What ``evigrade report`` reports: an evidence file, the schemes to grade it under, and
    the checked article's document when the file is an article (or that document)."""

    evidence: EvidenceFile
    schemes: tuple[str, ...] | None
    article: Mapping[str, Any] | None = None


def _what(path: str, kind: str) -> str:
    """``jsonl`` (a corpus), ``json`` (an evidence file or a check document) or ``article``:
    from ``--kind``, the suffix, else whether the file's text opens with a JSON object."""
    if kind != "auto":
        return "article"
    lowered = path.lower()
    if lowered.endswith(".jsonl"):
        return "jsonl"
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(ARTICLE_SUFFIXES):
        return "article"
    try:
        with open(path, "rb") as handle:
            start = handle.read(4096)
    except OSError as error:
        _show([unreadable(path, error.strerror or str(error))])
        raise _Failed(ExitStatus.UNREADABLE) from None
    return "json" if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "article"


def _source(
    path: str,
    line: int | None,
    kind: str,
    publishers: Sequence[str],
    schemes: tuple[str, ...] | None,
    registry: Registry,
) -> _Input:
    """What the report of ``path`` shows, or _Failed (the problems shown)."""
    if is_directory(path):
        _show([unreadable(path, "is a directory")])
        raise _Failed(ExitStatus.UNREADABLE)
    what = _what(path, kind)
    if line is not None and what != "jsonl":
        raise click.BadParameter("is for a JSON Lines corpus (FILE.jsonl)", param_hint="'--line'")
    if publishers and what != "article":
        raise click.BadParameter(
            "is for an article (a text, Markdown or HTML file): an evidence file or a "
            "checked article's document names no publisher to add",
            param_hint="'--publisher'",
        )
    if what == "jsonl":
        return _Input(_record(path, line, registry), schemes)
    if what == "json":
        return _json(path, schemes, registry)
    return _article(path, kind, publishers, schemes, registry)


def _json(path: str, schemes: tuple[str, ...] | None, registry: Registry) -> _Input:
    """An evidence file, or the JSON document ``evigrade check --format json`` printed (its
    draft evidence file and the article's sentences; graded under its schemes unless
    ``--scheme`` says otherwise)."""
    import attrs

    from ..files import from_data, loads
    from ..jsonpos import source_map
    from ..problems import EvidenceError
    from ..validation import read_text, validate_data
    from ..validation.parse import parse_text

    try:
        text = read_text(path)
    except EvidenceError as error:
        _show(error.problems)
        raise _Failed(ExitStatus.UNREADABLE) from None
    data, problems, _ = parse_text(text, path)
    if problems:
        _show(problems)
        raise _Failed(ExitStatus.INVALID)
    if not isinstance(data, dict) or "evigrade" in data or not _is_check_document(data):
        try:
            return _Input(loads(text, designs=registry.designs, filename=path), schemes)
        except EvidenceError as error:
            _show(error.problems)
            raise _Failed(ExitStatus.INVALID) from None
    from ..article.view import document_problems

    problems = document_problems(data)
    if not problems:
        problems = [
            attrs.evolve(p, pointer=f"/draft{p.pointer}")
            for p in validate_data(data["draft"], designs=registry.designs)
        ]
    if problems:
        positions = source_map(text)
        located = []
        for problem in problems:
            where = positions.position(
                problem.pointer, key=problem.keyword == "additionalProperties"
            )
            line, column = where if where else (None, None)
            located.append(attrs.evolve(problem, file=path, line=line, column=column))
        _show(sorted(located, key=lambda p: p.sort_key))
        raise _Failed(ExitStatus.INVALID)
    evidence = from_data(data["draft"], designs=registry.designs, validate=False)
    if schemes is None:
        schemes = tuple(s for s in data["schemes"] if s in registry.schemes) or None
    return _Input(evidence, schemes, data)


def _is_check_document(data: dict[str, Any]) -> bool:
    from ..article.view import is_check_document

    return is_check_document(data)


def _article(
    path: str,
    kind: str,
    publishers: Sequence[str],
    schemes: tuple[str, ...] | None,
    registry: Registry,
) -> _Input:
    """An article's text, checked as ``evigrade check`` checks it; its draft is reported."""
    from ..files import from_data

    text = read_text_file(path)
    if text is None:
        raise _Failed(ExitStatus.UNREADABLE)
    from ..article.check import check_article

    try:
        checked = check_article(
            text, name=path, kind=kind, schemes=schemes, publisher=publishers, registry=registry
        )
    except ModuleNotFoundError as error:
        err(str(error))
        raise _Failed(ExitStatus.UNREADABLE) from None
    evidence = from_data(dict(checked.draft), designs=registry.designs, validate=False)
    return _Input(evidence, schemes, checked.to_data())


def _write(path: str, data: bytes) -> int:
    """Write all or nothing (see :func:`evigrade.output.atomic_file`); the exit status."""
    return emit(data, path)


def _missing(error: ImportError) -> int:
    err(f"{error}: install the report extra, pip install 'evigrade[report]'")
    return ExitStatus.UNREADABLE


_line = click.option(
    "--line",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="For a JSON Lines corpus: the record on line N (default: its only record).",
)
_palette = click.option(
    "--palette",
    type=click.Choice(["cochrane", "colourblind"]),
    default="cochrane",
    show_default=True,
    help="Risk-of-bias colours: robvis's Cochrane palette or its colour-blind one.",
)
_unweighted = click.option(
    "--unweighted",
    is_flag=True,
    help="Count each study once in the risk-of-bias summary bars (default: weighted by "
    "participants where every study's size is known).",
)


@click.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the page to this file (atomically) instead of standard output.",
)
@click.option(
    "--scheme",
    "-s",
    "schemes",
    multiple=True,
    metavar="NAME",
    help="Grade under this scheme; repeatable (default: every installed scheme).",
)
@_palette
@_unweighted
@_line
@click.option(
    "--kind",
    type=click.Choice(["auto", "text", "markdown", "html"]),
    default="auto",
    show_default=True,
    help="What FILE is: auto (JSON: an evidence file or a checked article's document; "
    ".txt, .md, .html or any other text: an article), or an article as text, markdown or html.",
)
@click.option(
    "--publisher",
    "publishers",
    multiple=True,
    metavar="NAME",
    help="For an article: who publishes it, when it does not say; repeatable.",
)
@strict_option
@timeout_option
@click.pass_context
def report(
    ctx: click.Context,
    file: str,
    output: str | None,
    schemes: Sequence[str],
    palette: str,
    unweighted: bool,
    line: int | None,
    kind: str,
    publishers: Sequence[str],
    strict: bool,
    timeout: float,
) -> int:
    """Write the report of an evidence file, or of a checked article, as one self-contained
    HTML page.

    Summary of findings, evidence profile, risk-of-bias plots, evidence map and every
    scheme's grade side by side. FILE is an evidence file, a JSON Lines corpus (.jsonl) with
    one record or --line N, an article (plain text, Markdown or HTML: checked as evigrade check
    checks it, its draft reported with the article itself, each claim marked), or the JSON
    document of evigrade check --format json.
    """
    from ..grading import grade_file

    refuse_inputs(output, [file])
    registry = registry_of(ctx)
    check_schemes(registry, schemes)
    names = tuple(dict.fromkeys(schemes)) or None
    try:
        source = _source(file, line, kind, publishers, names, registry)
    except _Failed as failed:
        return failed.status
    graded = grade_file(
        source.evidence, source.schemes, registry=registry, timeout=timeout or None, file=file
    )
    for failure in graded.failures:
        err(str(failure))
    try:
        from ..report.html import render_html

        article = None
        if source.article is not None:
            from ..article.view import article_view

            article = article_view(source.article, graded)
        page = render_html(
            graded, registry=registry, article=article, palette=palette, weighted=not unweighted
        )
    except ImportError as error:
        return _missing(error)
    status = emit(page, output)
    return finish(status, registry, graded.failures, strict)


@click.command()
@click.argument("kind", metavar="KIND")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    required=True,
    help="The file to write: FILE.svg or FILE.png (atomically).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="For rob: the summary bar plot instead of the traffic-light plot.",
)
@_palette
@_unweighted
@click.option(
    "--dpi",
    type=click.IntRange(min=30, max=1200),
    default=200,
    show_default=True,
    help="Resolution of a PNG.",
)
@_line
@click.pass_context
def plot(
    ctx: click.Context,
    kind: str,
    file: str,
    output: str,
    summary: bool,
    palette: str,
    unweighted: bool,
    dpi: int,
    line: int | None,
) -> int:
    """Draw a plot of an evidence file as SVG or PNG, for a paper or a slide.

    KIND is rob (the risk-of-bias traffic-light plot, or with --summary the summary bar plot)
    or map (the evidence map: claims against studies, design tier and direction). The output
    file's suffix, .svg or .png, chooses the format.
    """
    if kind not in PLOTS:
        raise click.BadParameter(f"{kind!r}; available: {', '.join(PLOTS)}", param_hint="'KIND'")
    from ..report.figures import FORMATS

    suffix = os.path.splitext(output)[1].lower().lstrip(".")
    if suffix not in FORMATS:
        raise click.BadParameter(
            f"{output!r}: expected a file name ending .svg or .png", param_hint="'--output'"
        )
    if summary and kind != "rob":
        raise click.BadParameter("is for rob plots", param_hint="'--summary'")
    refuse_inputs(output, [file])
    registry = registry_of(ctx)
    try:
        evidence = _evidence(file, line, registry)
    except _Failed as failed:
        return failed.status
    title = evidence.title or os.path.basename(file)
    try:
        from ..report import figures
        from ..report.evidencemap import evidence_map
        from ..report.robplot import rob_plots

        if kind == "rob":
            plots = rob_plots(evidence, registry)
            if summary:
                figure = figures.rob_summary_figure(plots, palette, not unweighted)
                title = f"Risk-of-bias summary: {title}"
            else:
                figure = figures.rob_figure(plots, palette)
                title = f"Risk-of-bias traffic-light plot: {title}"
        else:
            figure = figures.map_figure(evidence_map(evidence, registry))
            title = f"Evidence map: {title}"
        data = figures.save(figure, FORMATS[FORMATS.index(suffix)], title, dpi)
    except ImportError as error:
        return _missing(error)
    except ValueError as error:
        err(f"{file}: nothing to plot: {error}")
        return ExitStatus.INVALID
    return _write(output, data)
