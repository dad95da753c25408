"""Printing a checked article for a reviewer: a terminal table, Markdown, or one JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..terminal import plain_text
from ..text import markdown_text, terminal_text
from .check import ArticleCheck, ClaimCheck
from .studies import DraftStudy

__all__ = ["render_check", "render_json", "render_markdown", "render_table"]

FORMATS = ("table", "json", "markdown")


def render_json(check: ArticleCheck) -> str:
    """One JSON document: source, claims, references, studies, findings, summary."""
    return json.dumps(check.to_data(), indent=2, ensure_ascii=False) + "\n"


def _grade_cell(claim: ClaimCheck, schemes: Sequence[str]) -> str:
    parts = []
    for name in schemes:
        grade = claim.grades.get(name)
        if grade is not None:
            parts.append(f"{name}: {grade['label']}")
    return "; ".join(parts)


def _worded(claim: ClaimCheck) -> str:
    strength = claim.claim.strength
    return f"{strength.label} ({', '.join(strength.cues) or 'no cue'})"


def _summary_lines(check: ArticleCheck) -> list[str]:
    summary = check.summary()
    certainty = ", ".join(f"{k} {v}" for k, v in summary["by_certainty"].items())
    findings = ", ".join(f"{k} {v}" for k, v in summary["findings"].items()) or "none"
    return [
        f"{summary['claims']} claims (GRADE: {certainty}); {summary['overclaims']} worded more "
        "strongly than their evidence supports",
        f"{summary['references']} references, {summary['studies']} studies drafted; findings: "
        f"{findings}",
    ]


def render_table(check: ArticleCheck, width: int | None = None) -> str:
    """The claims in article order with their grades, wording and the supported wording, then
    the findings, as a terminal table."""
    from rich.console import Group
    from rich.table import Table

    table = Table(title=terminal_text(f"{check.source}: {check.title}", 200), show_lines=True)
    for column in ("#", "claim (quote)", "cites", "grade", "worded as", "evidence supports", ""):
        table.add_column(column, overflow="fold")
    for claim in check.claims:
        table.add_row(
            str(claim.claim.sentence),
            terminal_text(claim.claim.quote),
            ", ".join(claim.claim.citations) or "-",
            _grade_cell(claim, check.schemes),
            _worded(claim),
            f"{claim.support.label}: {claim.support.wording}",
            "OVERCLAIM" if claim.overclaim else "",
        )
    findings = Table(title="Findings", show_lines=False)
    for column in ("kind", "#", "finding"):
        findings.add_column(column, overflow="fold")
    for finding in check.findings:
        where = "-" if finding.sentence is None else str(finding.sentence)
        findings.add_row(finding.kind, where, terminal_text(finding.message))
    return plain_text(Group(table, findings, *_summary_lines(check)), width or None)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(check: ArticleCheck) -> str:
    """The same as the table, as Markdown."""
    lines = [f"# Checked: {_cell(check.title or check.source)}", ""]
    lines += [f"- {line}" for line in _summary_lines(check)]
    if check.publishers:
        lines.append(f"- Publisher: {', '.join(check.publishers)}")
    lines += [
        "",
        "## Claims",
        "",
        "| # | claim | cites | grade | worded as | evidence supports | overclaim |",
        "|---|---|---|---|---|---|---|",
    ]
    for claim in check.claims:
        lines.append(
            "| "
            + " | ".join(
                _cell(cell)
                for cell in (
                    str(claim.claim.sentence),
                    markdown_text(claim.claim.quote),
                    ", ".join(claim.claim.citations) or "-",
                    _grade_cell(claim, check.schemes),
                    _worded(claim),
                    f"{claim.support.label}: {claim.support.wording}",
                    "**yes**" if claim.overclaim else "no",
                )
            )
            + " |"
        )
    lines += [
        "",
        "## References",
        "",
        "| ref | design | n | how the design was told |",
        "|---|---|---|---|",
    ]
    study_of: dict[str, list[DraftStudy]] = {}
    for drafted in check.studies:
        if drafted.reference and drafted.reference.kind != "reported-in":
            study_of.setdefault(drafted.reference.id, []).append(drafted)
    for reference in check.references:
        parts: list[DraftStudy | None] = [*study_of.get(reference.id, [])] or [None]
        for study in parts:
            label = reference.id
            if study is not None and study.part:
                label = f"{reference.id} ({study.part} part)"
            lines.append(
                f"| {_cell(label)} | {study.design if study else '-'} | "
                f"{'' if study is None or study.n is None else study.n} | "
                f"{_cell(study.told if study else 'neither listed nor described')} |"
            )
    lines += ["", "## Findings", ""]
    for finding in check.findings:
        where = "" if finding.sentence is None else f" (sentence {finding.sentence})"
        lines.append(f"- **{finding.kind}**{where}: {_cell(finding.message)}")
    return "\n".join(lines) + "\n"


def render_check(check: ArticleCheck, format: str) -> str:
    if format == "json":
        return render_json(check)
    if format == "markdown":
        return render_markdown(check)
    if format == "table":
        return render_table(check)
    raise ValueError(f"unknown format {format!r}; available: {', '.join(FORMATS)}")
