"""Text for the terminal: rich renderables laid out as plain text, and the claim-by-claim layout
that ``evigrade grade``'s table and ``evigrade compare`` print.

A layout is given the width of the terminal it is printed on, or ``None`` for text of no fixed
width (a file, a pipe): that text is never wrapped, so nothing in it is ever cut. Given a width,
text is wrapped at spaces by rich's word wrapping; a word, an id or a reason is never broken,
unless a single word is longer than the line itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "GAP",
    "ClaimBlock",
    "SchemeLine",
    "claims_text",
    "join_columns",
    "longest_word",
    "plain_text",
    "terminal_width",
    "wrap",
]

#: The narrowest column the reasons are wrapped into beside the other columns (and never less
#: than half the line); narrower than this, each scheme's reasons are stacked under it at the
#: full width instead.
MIN_REASONS = 36
#: The widest a grade label's column grows before its labels wrap (at spaces).
MAX_LABEL = 18
#: Between two columns; before each scheme's line; before each step.
GAP = "  "
INDENT = "  "
BULLET = "- "


def plain_text(renderable: Any, width: int | None = None) -> str:
    """Render a rich renderable (a table) as plain text, as wide as the terminal (at least
    100 columns; 140 when there is no terminal)."""
    import io
    import shutil

    if width is None:
        width = max(100, shutil.get_terminal_size((140, 24)).columns)
    buffer = io.StringIO()
    _console(width, buffer).print(renderable)
    return buffer.getvalue()


def terminal_width(stream: Any) -> int | None:
    """The columns of the terminal ``stream`` writes to (``COLUMNS`` when set), or ``None``
    when it is not a terminal (a file, a pipe)."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, OSError, ValueError):
        return None
    import shutil  # (only for a terminal: it brings bz2, lzma ...)

    columns = shutil.get_terminal_size((80, 24)).columns
    return columns if columns > 0 else None


def _console(width: int, file: Any = None) -> Console:
    import io

    from rich.console import Console

    return Console(
        file=file if file is not None else io.StringIO(),
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def longest_word(texts: Sequence[str]) -> int:
    """The width of the longest run of text without a space in any of ``texts``."""
    return max((_cells(word) for text in texts for word in text.split()), default=0)


def wrap(text: str, width: int | None, console: Console | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` cells, broken at spaces (rich's word wrapping);
    only a word longer than ``width`` is folded. ``None``: the text as one line."""
    if width is None:
        return [text]
    from rich.text import Text

    lines = Text(text).wrap(console or _console(max(width, 1)), max(width, 1), overflow="fold")
    return [line.plain.rstrip() for line in lines] or [""]


def _hanging(
    text: str, width: int | None, first: str, rest: str, console: Console | None
) -> list[str]:
    """``text`` wrapped after ``first`` on its first line and ``rest`` on the others (a hanging
    indent), every line as wide as the wider of the two leaves room for."""
    room = None if width is None else max(width - max(_cells(first), _cells(rest)), 1)
    lines = wrap(text, room, console)
    return [(first if index == 0 else rest) + line for index, line in enumerate(lines)]


def join_columns(columns: Sequence[tuple[Sequence[str], int]], indent: str = "") -> list[str]:
    """Columns of lines side by side, each padded to its width, ``GAP`` between them, trailing
    spaces removed: the cells of one row of a table."""
    height = max((len(lines) for lines, _ in columns), default=0)
    rows = []
    for index in range(height):
        parts = []
        for lines, width in columns:
            cell = lines[index] if index < len(lines) else ""
            parts.append(cell + " " * max(width - _cells(cell), 0))
        rows.append((indent + GAP.join(parts)).rstrip())
    return rows


@attrs.frozen
class SchemeLine:
    """One scheme's grade of a claim: the scheme, the grade as shown, its direction and the
    steps of its rationale to show (each one line of text)."""

    scheme: str
    grade: str
    direction: str
    steps: tuple[str, ...] = ()


@attrs.frozen
class ClaimBlock:
    """A claim as it is laid out: its id, its text, and one line per scheme."""

    id: str
    text: str
    lines: tuple[SchemeLine, ...]


def _stacked(
    block: ClaimBlock, width: int | None, console: Console | None, reasons: bool
) -> list[str]:
    """A claim with each scheme's grade on a line of its own and its steps under it."""
    out = [*wrap(block.id, width, console), *wrap(block.text, width, console)]
    step_first, step_rest = INDENT * 2 + BULLET, INDENT * 2 + " " * len(BULLET)
    for line in block.lines:
        head = f"{line.scheme}: {line.grade}" + (
            f" (direction: {line.direction})" if line.direction else ""
        )
        out.extend(_hanging(head, width, INDENT, INDENT * 3, console))
        if reasons:
            for step in line.steps:
                out.extend(_hanging(step, width, step_first, step_rest, console))
    return out


@attrs.frozen
class _Grid:
    """The column widths of the aligned layout: scheme (0: no scheme column, every row being
    of the same scheme, which the title names), grade, direction, reasons."""

    scheme: int
    grade: int
    direction: int
    reasons: int

    @classmethod
    def fit(cls, blocks: Sequence[ClaimBlock], width: int, reasons: bool) -> _Grid | None:
        """The widths at ``width`` columns, or ``None`` when the reasons would be squeezed
        into fewer than MIN_REASONS columns, less than half the line, or fewer columns than
        their longest word."""
        lines = [line for block in blocks for line in block.lines]
        scheme = max([_cells("Scheme"), *(_cells(line.scheme) for line in lines)])
        if len({line.scheme for line in lines}) == 1:
            scheme = -_cells(GAP)  # no column, and no gap after it
        labels = [line.grade for line in lines]
        longest = max((_cells(label) for label in labels), default=0)
        grade = max(_cells("Grade"), longest_word(labels), min(longest, MAX_LABEL))
        direction = max([_cells("Direction"), *(_cells(line.direction) for line in lines)])
        used = _cells(INDENT) + scheme + grade + direction + 2 * _cells(GAP)
        scheme = max(scheme, 0)
        if not reasons:
            # Without reasons the labels may take the room there is, up to the longest.
            grade += max(min(longest - grade, width - used), 0)
            return cls(scheme, grade, direction, 0) if used <= width else None
        room = width - used - _cells(GAP)
        steps = [step for line in lines for step in line.steps]
        needed = max(MIN_REASONS, width // 2, longest_word(steps) + _cells(BULLET))
        return cls(scheme, grade, direction, room) if room >= needed else None

    def header(self, reasons: bool) -> list[str]:
        names = [("Scheme", self.scheme)] if self.scheme else []
        names += [("Grade", self.grade), ("Direction", self.direction)]
        if reasons:
            names.append(("Reasons", self.reasons))
        return join_columns([([name], width) for name, width in names], INDENT)

    def row(self, line: SchemeLine, console: Console, reasons: bool) -> list[str]:
        cells: list[tuple[Sequence[str], int]] = []
        if self.scheme:
            cells.append((wrap(line.scheme, self.scheme, console), self.scheme))
        cells += [
            (wrap(line.grade, self.grade, console), self.grade),
            (wrap(line.direction, self.direction, console), self.direction),
        ]
        if reasons:
            steps: list[str] = []
            hang = " " * len(BULLET)
            for step in line.steps:
                steps.extend(_hanging(step, self.reasons, BULLET, hang, console))
            cells.append((steps, self.reasons))
        return join_columns(cells, INDENT)


def claims_text(
    title: str,
    blocks: Sequence[ClaimBlock],
    width: int | None,
    *,
    caption: str = "",
    reasons: bool = True,
) -> str:
    """The claims one after another: each claim's id and text on lines of their own, then its
    grade under each scheme.

    With a ``width``, each scheme's grade is a row of aligned columns (scheme, grade,
    direction, and the reasons wrapped beside them; no scheme column when every row is of
    one scheme) when the reasons get at least
    MIN_REASONS columns, else a line of its own with its reasons stacked under it at the full
    width. With ``width=None`` the stacked layout is written without any wrapping.
    ``reasons=False`` leaves the steps out (and their column).
    """
    console = _console(width) if width is not None else None
    out = wrap(title, width, console) if title else []
    grid = _Grid.fit(blocks, width, reasons) if width is not None else None
    if grid is not None and console is not None and width is not None:
        out.extend(["", *grid.header(reasons), "─" * width])
        for block in blocks:
            out.extend([*wrap(block.id, width, console), *wrap(block.text, width, console)])
            for line in block.lines:
                out.extend(grid.row(line, console, reasons))
            out.append("")
    else:
        for block in blocks:
            out.extend(["", *_stacked(block, width, console, reasons)])
        out.append("")
    if caption:
        out.extend(wrap(caption, width, console))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"
