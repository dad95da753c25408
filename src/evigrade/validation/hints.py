"""The hint a problem about an unknown name ends with: the closest known name, if one is close."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "suggest",
]


def suggest(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the option closest to ``word``, or ``""`` if none is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
