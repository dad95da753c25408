"""Text for the terminal: rich renderables (tables) laid out as plain text."""

from __future__ import annotations

from typing import Any

__all__ = ["plain_text"]


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
