"""The built-in report formats: a terminal table, JSON, and Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..convert import report_to_data
from ..domains import DOMAINS
from ..grading import Report
from ..hookspecs import hookimpl
from ..kinds import OutputFormat
from ..model import Grade
from ..terminal import plain_text
from ..text import markdown_text, terminal_text

__all__ = ["FORMATS", "render_json", "render_markdown", "render_table", "summary"]


def render_json(report: Report) -> str:
    """One JSON document, byte-identical for the same input."""
    return json.dumps(report_to_data(report), indent=2, ensure_ascii=False) + "\n"


def summary(grade: Grade, limit: int = 3) -> str:
    """The main reasons for a grade in one line: its moves, else its level or start."""
    moves = [s for s in grade.rationale if s.kind in ("down", "up")]
    if not moves:
        first = grade.rationale[0].reason if grade.rationale else ""
        return first
    parts = []
    for step in moves[:limit]:
        name = DOMAINS[step.domain].label.lower() if step.domain in DOMAINS else "level"
        who = " (reviewer)" if step.source == "reviewer" else ""
        parts.append(f"{name} {step.change:+d}{who}: {step.reason}")
    if len(moves) > limit:
        parts.append(f"+{len(moves) - limit} more")
    return "; ".join(parts)


def _main_grade(report: Report, grades: dict[str, Grade]) -> Grade | None:
    for name in ("grade", *report.schemes):
        if name in grades:
            return grades[name]
    return None


def _direction(grades: dict[str, Grade], report: Report) -> str:
    main = _main_grade(report, grades)
    return main.direction if main else ""


def render_table(report: Report, width: int | None = None) -> str:
    """A table for the terminal: claim, direction, one column per scheme, main reasons."""
    from rich import box
    from rich.table import Table

    title = terminal_text(report.file) if report.file else None
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=False, title=title)
    table.add_column("Claim", ratio=3, min_width=24, overflow="fold")
    table.add_column("Direction", no_wrap=True)
    for name in report.schemes:
        table.add_column(name, no_wrap=False, max_width=18)
    table.add_column("Main reasons", ratio=4, overflow="fold")
    for result in report.results:
        grades = dict(result.grades)
        main = _main_grade(report, grades)
        table.add_row(
            terminal_text(f"{result.claim.id}\n{result.claim.text}"),
            _direction(grades, report),
            *(grades[name].label if name in grades else "(failed)" for name in report.schemes),
            terminal_text(summary(main)) if main else "",
        )
    return plain_text(table, width)


def _md(text: str) -> str:
    return markdown_text(text)


def render_markdown(report: Report) -> str:
    """A Markdown summary table followed by each claim's rationale under every scheme."""
    title = report.evidence.title or report.file or "evidence"
    lines = [f"# Evidence grades: {_md(title)}", ""]
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
            for number, step in enumerate(grade.rationale, 1):
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
    OutputFormat("table", render_table, "a table for the terminal"),
    OutputFormat("json", render_json, "one JSON document, the same bytes on every run"),
    OutputFormat("markdown", render_markdown, "a Markdown report with every rationale"),
)


@hookimpl
def evigrade_register_formats(register: Callable[[OutputFormat], None]) -> None:
    for output_format in FORMATS:
        register(output_format)
