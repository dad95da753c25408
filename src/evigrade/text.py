"""Text from evidence files made safe to show: in a terminal (no control sequences, and a
bounded length, so that a table of a claim with megabytes of text is fast and readable) and in
Markdown (no markup)."""

from __future__ import annotations

import re

__all__ = ["CELL_LIMIT", "markdown_text", "one_line", "printable", "terminal_text"]

#: Characters of one text shown in a table cell; the rest is counted, not shown (the json and
#: markdown formats have it whole).
CELL_LIMIT = 2000

# C0 controls but tab and newline, DEL, C1 controls (CSI 0x9b among them), and the Unicode
# controls of bidirectional text, which can make text read other than it is ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROL_OR_NEWLINE = re.compile(f"[\n\t{_CONTROL.pattern[1:-1]}]")


def one_line(text: str) -> str:
    """``text`` on one line: every control character, newlines and tabs included, escaped."""
    return _CONTROL_OR_NEWLINE.sub(_escape, text)


def terminal_text(text: str, limit: int | None = CELL_LIMIT) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), cut to ``limit``
    characters (then ``… (N more characters)``); ``None``: no limit."""
    text = text.replace("\r\n", "\n")
    rest = 0
    if limit is not None and len(text) > limit:
        text, rest = text[:limit], len(text) - limit
    shown = _CONTROL.sub(_escape, text)
    if rest:
        shown += f"… ({rest:,} more characters)"
    return shown


#: Line breaks and tabs, which a laid-out line shows as a space (a carriage return alone,
#: which would move the cursor back over the line, is escaped like any control).
_BREAKS = re.compile("(?:\r\n|[\t\n\x0b\x0c\x85\u2028\u2029])+")


def printable(text: str, limit: int | None = CELL_LIMIT) -> str:
    """``text`` for one line of a laid-out table: each run of line breaks and tabs a space,
    every other control character its escape (``\\x1b``), cut as :func:`terminal_text` cuts
    it."""
    return terminal_text(_BREAKS.sub(" ", text), limit)


# The ASCII punctuation that Markdown reads as inline markup (emphasis, code, links, tables,
# strike-through), escaped with a backslash (CommonMark allows one before any ASCII
# punctuation); <, > and & become entities, so that no HTML passes through a renderer.
_MARKUP = re.compile(r"[\\`*_\[\]|~]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text: markup escaped, HTML as entities, control
    characters escaped, and on one line."""
    text = _CONTROL.sub(_escape, text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
    text = re.sub("[<>&]", lambda m: _ENTITIES[m.group()], text)
    return _MARKUP.sub(lambda m: "\\" + m.group(), text)
