"""Output formats for grade reports: ``render(report) -> str``, selected with ``--format``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..grading import Report

__all__ = ["OutputFormat", "plain_text"]


@attrs.frozen
class OutputFormat:
    """A named way to print a :class:`~evigrade.grading.Report`."""

    name: str
    render: Callable[[Report], str]
    description: str = ""


def plain_text(renderable: Any, width: int | None = None) -> str:
    """Render a rich renderable (a table) as plain text, as wide as the terminal (at least
    100 columns; 140 when there is no terminal)."""
    import io
    import shutil

    from rich.console import Console

    if width is None:
        width = max(100, shutil.get_terminal_size((140, 24)).columns)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable)
    return buffer.getvalue()
