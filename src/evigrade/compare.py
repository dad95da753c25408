"""Every installed scheme side by side: what ``evigrade compare`` shows.

Schemes are never converted into one another by arithmetic on ranks: a published walkover is
the only bridge between them (design/grading-rules §11), and none links the built-in schemes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .grading import Report
from .jsontext import indented
from .kinds import Registry
from .model import Grade
from .terminal import (
    GAP,
    ClaimBlock,
    SchemeLine,
    claims_text,
    join_columns,
    longest_word,
    wrap,
)
from .text import printable

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
    return indented(compare_to_data(report, registry)) + "\n"


#: What each cell of the side-by-side table holds.
CELL_NOTE = "Each cell: the grade, its rank of the scheme's top, and the direction of the evidence."

#: The narrowest the claim column of the side-by-side table may be (and never narrower than
#: the longest claim id); narrower than this, the schemes are listed under each claim.
MIN_CLAIM = 28
#: The widest a scheme's column grows before its labels wrap (at spaces).
MAX_SCHEME = 16


def _cell(report: Report, registry: Registry, name: str, grade: Grade | None) -> tuple[str, str]:
    """A scheme's cell: the label with its rank of the scheme's top, and the direction."""
    if grade is None:
        return "(failed)", ""
    top = len(registry.schemes[name].labels) - 1
    return f"{printable(grade.label)} ({grade.rank}/{top})", grade.direction


def render_compare_table(report: Report, registry: Registry, width: int | None = None) -> str:
    """Claims down, schemes across; each cell the label, its rank of the scheme's top, and the
    direction of the evidence under that scheme.

    Laid out for ``width`` columns: side by side when every scheme's column and the claims fit,
    else each claim with one line per scheme under it (never a scheme left out). With no width,
    one line per scheme under each claim, never wrapped.
    """
    rows = [
        (
            printable(result.claim.id),
            printable(result.claim.text),
            [_cell(report, registry, name, result.grades.get(name)) for name in report.schemes],
        )
        for result in report.results
    ]
    title = printable(report.file or report.evidence.title or "evidence")
    if width is not None:
        table = _side_by_side(title, report.schemes, rows, width)
        if table is not None:
            return table
    blocks = [
        ClaimBlock(
            claim_id,
            text,
            tuple(
                SchemeLine(name, label, direction)
                for name, (label, direction) in zip(report.schemes, cells, strict=True)
            ),
        )
        for claim_id, text, cells in rows
    ]
    return claims_text(title, blocks, width, caption=WALKOVER_NOTE, reasons=False)


def _side_by_side(
    title: str,
    schemes: Sequence[str],
    rows: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
    width: int,
) -> str | None:
    """The side-by-side table at ``width`` columns, or ``None`` when it does not fit."""
    full, least = [], []
    for index, name in enumerate(schemes):
        texts = [name, *(cells[index][0] for _, _, cells in rows)]
        texts += [cells[index][1] for _, _, cells in rows]
        longest = max(len(text) for text in texts)
        full.append(longest)
        least.append(max(longest_word(texts), min(longest, MAX_SCHEME)))
    fewest = max(MIN_CLAIM, longest_word([claim_id for claim_id, _, _ in rows]))
    gaps = len(GAP) * len(schemes)
    widths = full if width - sum(full) - gaps >= fewest else least
    claim = width - sum(widths) - gaps
    if claim < fewest:
        return None
    out = [*wrap(title, width), ""]
    out.extend(
        join_columns(
            [(["Claim"], claim), *(([n], w) for n, w in zip(schemes, widths, strict=True))]
        )
    )
    out.append("─" * width)
    for claim_id, text, cells in rows:
        columns: list[tuple[Sequence[str], int]] = [
            ([*wrap(claim_id, claim), *wrap(text, claim)], claim)
        ]
        for (label, direction), size in zip(cells, widths, strict=True):
            columns.append(([*wrap(label, size), *wrap(direction, size)], size))
        out.extend([*join_columns(columns), ""])
    out.extend(wrap(f"{CELL_NOTE} {WALKOVER_NOTE}", width))
    return "\n".join(out) + "\n"
