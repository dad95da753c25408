"""How problems word what they found: a value shown briefly, and the hint a problem about an
unknown name ends with (the closest known name, if one is close)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["show", "suggest"]


def show(value: Any, limit: int = 60) -> str:
    """A JSON value as a problem quotes it: short, objects and arrays by their size."""
    if isinstance(value, dict):
        return "an object" if value else "{}"
    if isinstance(value, list):
        return f"an array of {len(value)}" if value else "[]"
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]  # a string of megabytes is never encoded whole to show its start
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suggest(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the option closest to ``word``, or ``""`` if none is close."""
    names = list(options)
    # A close match (similarity 2M/T >= 0.6, M matched characters of T in both) is at most
    # 7/3 times as long as the option: a longer word is compared with none, so that a value of
    # megabytes costs nothing here (difflib's matching grows with the square of its length).
    if not names or len(word) > 3 * max(len(name) for name in names):
        return ""
    import difflib  # (only for a file with a problem to report)

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
