"""Output formats for grade reports: ``render(report) -> str``, selected with ``--format``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ..grading import Report

__all__ = ["OutputFormat"]


@attrs.frozen
class OutputFormat:
    """A named way to print a :class:`~evigrade.grading.Report`."""

    name: str
    render: Callable[[Report], str]
    description: str = ""
