"""Every installed scheme side by side: what ``evigrade compare`` shows.

Schemes are never converted into one another by arithmetic on ranks: a published walkover is
the only bridge between them (design/grading-rules §11), and none links the built-in schemes.
"""

from __future__ import annotations

import json
from typing import Any

from .grading import Report
from .kinds import Registry
from .terminal import plain_text

__all__ = ["WALKOVER_NOTE", "compare_to_data", "render_compare_json", "render_compare_table"]

WALKOVER_NOTE = (
    "No published walkover links these schemes: their grades are shown side by side, "
    "never converted into one another."
)


def compare_to_data(report: Report, registry: Registry) -> dict[str, Any]:
    """The ``evigrade compare --format json`` document."""
    return {
        "file": report.file,
        "schemes": [
            {
                "name": name,
                "title": registry.schemes[name].title,
                "labels": list(registry.schemes[name].labels),
            }
            for name in report.schemes
        ],
        "claims": [
            {
                "id": result.claim.id,
                "text": result.claim.text,
                "grades": {
                    name: {
                        "label": grade.label,
                        "rank": grade.rank,
                        "direction": grade.direction,
                    }
                    for name in report.schemes
                    if (grade := result.grades.get(name)) is not None
                },
            }
            for result in report.results
        ],
        "walkovers": WALKOVER_NOTE,
    }


def render_compare_json(report: Report, registry: Registry) -> str:
    return json.dumps(compare_to_data(report, registry), indent=2, ensure_ascii=False) + "\n"


def render_compare_table(report: Report, registry: Registry, width: int | None = None) -> str:
    """Claims down, schemes across; each cell the label and its rank of the scheme's top."""
    from rich import box
    from rich.table import Table

    from .text import terminal_text

    title = terminal_text(report.file) if report.file else None
    table = Table(box=box.SIMPLE_HEAD, show_lines=True, title=title, caption=WALKOVER_NOTE)
    table.add_column("Claim", min_width=30, overflow="fold")
    for name in report.schemes:
        table.add_column(name, max_width=20)
    for result in report.results:
        cells = []
        for name in report.schemes:
            grade = result.grades.get(name)
            top = len(registry.schemes[name].labels) - 1
            cells.append(f"{grade.label} ({grade.rank}/{top})" if grade else "(failed)")
        table.add_row(terminal_text(f"{result.claim.id}\n{result.claim.text}"), *cells)
    return plain_text(table, width)
