"""The built-in report formats: a terminal table, JSON, and Markdown.

Registering them loads neither the converter nor the terminal layout: each renderer imports
what it uses when it is first called (a command that grades nothing renders nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..domains import DOMAINS
from ..hookspecs import hookimpl
from ..jsontext import indented
from ..kinds import OutputFormat, RenderOptions
from ..text import markdown_text, printable

if TYPE_CHECKING:
    from ..grading import Report
    from ..model import Grade, RationaleStep

__all__ = [
    "FORMATS",
    "render_json",
    "render_markdown",
    "render_table",
    "step_text",
    "studies_text",
]


def render_json(report: Report) -> str:
    """One JSON document, byte-identical for the same input: every step of every rationale."""
    from ..convert import report_to_data

    return indented(report_to_data(report)) + "\n"


def _rating(step: RationaleStep) -> str:
    return step.rating.replace("-", " ") if step.rating else ""


def studies_text(step: RationaleStep) -> str:
    """`` [id, ...]``: the step's studies that its reason does not already name."""
    words = set(re.findall(r"[\w.-]+", step.reason))
    missing = [study for study in step.studies if study not in words]
    return f" [{', '.join(missing)}]" if missing else ""


def step_text(step: RationaleStep) -> str:
    """One step as a line of text: the domain, what it moved and its rating (by whom, when a
    reviewer), then the reason and the studies it does not name."""
    domain = DOMAINS.get(step.domain or "")
    head = ""
    if domain is not None:
        move = f" {step.change:+d}" if step.change else ""
        rating = ", ".join(
            part
            for part in (_rating(step), "reviewer" if step.source == "reviewer" else "")
            if part
        )
        head = f"{domain.label}{move}" + (f" ({rating})" if rating else "") + ": "
    elif step.change:
        head = f"{step.kind} {step.change:+d}: "
    return printable(f"{head}{step.reason}{studies_text(step)}")


def _main_grade(report: Report, grades: Mapping[str, Grade]) -> Grade | None:
    for name in ("grade", *report.schemes):
        if name in grades:
            return grades[name]
    return None


def _direction(grades: Mapping[str, Grade], report: Report) -> str:
    main = _main_grade(report, grades)
    return main.direction if main else ""


def _title(report: Report) -> str:
    name = report.file or report.evidence.title or "evidence"
    claims = len(report.results)
    return printable(
        f"{name}: {claims} claim{'' if claims == 1 else 's'} graded under "
        f"{', '.join(report.schemes)}"
    )


def render_table(report: Report, options: RenderOptions | None = None) -> str:
    """The report for the terminal: each claim's id and text, then its grade under each
    scheme with the direction of its evidence and the steps shown at ``options.detail``.

    Laid out for ``options.width`` columns (aligned columns when the reasons have room, else
    each scheme's reasons under it); with no width, the same claims stacked and never wrapped.
    """
    from ..terminal import ClaimBlock, SchemeLine, claims_text

    options = options or RenderOptions()
    blocks = []
    for result in report.results:
        lines = []
        for name in report.schemes:
            grade = result.grades.get(name)
            if grade is None:
                lines.append(SchemeLine(name, "(failed)", "", ("see the error output",)))
                continue
            steps = tuple(step_text(step) for step in options.steps(grade))
            lines.append(SchemeLine(name, printable(grade.label), grade.direction, steps))
        blocks.append(
            ClaimBlock(printable(result.claim.id), printable(result.claim.text), tuple(lines))
        )
    return claims_text(_title(report), blocks, options.width)


def _md(text: str) -> str:
    return markdown_text(text)


#: What a Markdown report at detail "moves" says it leaves out.
MOVES_NOTE = (
    "Each grade lists the steps that set or moved it and the notes that matter (studies "
    "pending, left out, or read as another design; other bodies of evidence rated); the "
    "domains judged neutral (not serious, none, absent) are left out. `--detail full` and "
    "`--format json` list every step."
)


def render_markdown(report: Report, options: RenderOptions | None = None) -> str:
    """A Markdown summary table followed by each claim's rationale under every scheme: the
    steps shown at ``options.detail``."""
    options = options or RenderOptions()
    title = report.evidence.title or report.file or "evidence"
    lines = [f"# Evidence grades: {_md(title)}", ""]
    if options.detail == "moves":
        lines.extend([MOVES_NOTE, ""])
    header = ["Claim", "Direction", *report.schemes]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for result in report.results:
        grades = dict(result.grades)
        cells = [f"{_md(result.claim.text)} (`{result.claim.id}`)", _direction(grades, report)]
        cells.extend(grades[n].label if n in grades else "(failed)" for n in report.schemes)
        lines.append("| " + " | ".join(cells) + " |")
    for result in report.results:
        lines.extend(["", f"## {_md(result.claim.text)}", "", f"`{result.claim.id}`", ""])
        for name in report.schemes:
            grade = result.grades.get(name)
            if grade is None:
                lines.append(f"**{name}**: failed (see the error output)")
                continue
            lines.append(f"**{name}: {grade.label}** (direction: {grade.direction})")
            lines.append("")
            for number, step in enumerate(options.steps(grade), 1):
                move = f" **{step.change:+d}**" if step.change else ""
                domain = f"{DOMAINS[step.domain].label}" if step.domain in DOMAINS else ""
                rating = f" ({step.rating})" if step.rating else ""
                label = (
                    f"{domain}{rating}{move}: " if domain else (f"{move.strip()}: " if move else "")
                )
                studies = f" [{', '.join(step.studies)}]" if step.studies else ""
                source = f" _{step.source}" + (f" {step.rule}" if step.rule else "") + "_"
                lines.append(f"{number}. {label}{_md(step.reason)}{studies}{source}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat(
        "table",
        render_table,
        "each claim's grades and the steps that moved them, laid out for the terminal",
        takes_options=True,
    ),
    OutputFormat(
        "json", render_json, "one JSON document with every step, the same bytes on every run"
    ),
    OutputFormat(
        "markdown",
        render_markdown,
        "a Markdown report: a summary table, then each grade's rationale",
        takes_options=True,
    ),
)


@hookimpl
def evigrade_register_formats(register: Callable[[OutputFormat], None]) -> None:
    for output_format in FORMATS:
        register(output_format)
