"""What every part of the report shares: the scheme it leads with, the words and symbols of a
direction, participant counts, study references and anchors.

Colour is never the only carrier of meaning in the report: each symbol here comes with words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ..grading import ClaimResult, Report
    from ..kinds import EvidenceItem
    from ..model import Grade

__all__ = [
    "DIRECTIONS",
    "Direction",
    "anchor",
    "cited_sizes",
    "clean",
    "clean_text",
    "main_grade",
    "main_scheme",
    "number",
    "participants",
    "plural",
]


@attrs.frozen
class Direction:
    """How a result bears on a claim: a symbol, a word and a sentence."""

    key: str
    symbol: str
    word: str
    sentence: str


#: A study's result (``EvidenceLink.direction``) or a body's (``Grade.direction``).
DIRECTIONS: Mapping[str, Direction] = {
    d.key: d
    for d in (
        Direction("supports", "✓", "supports", "the evidence supports the claim"),
        Direction("contradicts", "✗", "contradicts", "the evidence contradicts the claim"),
        Direction("inconclusive", "○", "inconclusive", "no clear effect"),
        Direction("mixed", "±", "mixed", "the results point both ways"),
        Direction("none", "–", "none", "no result bears on the claim"),
    )
}


def main_scheme(report: Report) -> str | None:
    """The scheme the report leads with: GRADE when it was graded, else the first asked for."""
    if "grade" in report.schemes:
        return "grade"
    return report.schemes[0] if report.schemes else None


def main_grade(report: Report, result: ClaimResult) -> Grade | None:
    """The claim's grade under :func:`main_scheme` (None if that scheme failed for it)."""
    name = main_scheme(report)
    return result.grades.get(name) if name is not None else None


#: Characters HTML forbids in text (C0 and C1 controls but tab, line feed and carriage return;
#: noncharacters): a file may hold them as JSON escapes, the page shows U+FFFD instead.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


def clean(text: str) -> str:
    """Text from an evidence file with the characters HTML forbids replaced by U+FFFD."""
    return _FORBIDDEN.sub("\ufffd", text)


def clean_text(text: str, quote: bool = True) -> str:
    """Text escaped for HTML or SVG (``&``, ``<``, ``>`` and, with ``quote``, both quotes),
    after :func:`clean`."""
    return html.escape(clean(text), quote=quote)


_UNSAFE = re.compile(r"[^a-z0-9.-]")


def anchor(kind: str, key: str) -> str:
    """An HTML id for a claim, study or footnote: the same for the same key, different for
    different keys (characters outside ``a-z0-9.-`` are spelled out as ``_hex_``)."""
    return f"{kind}-" + _UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", key)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 study``, ``2 studies``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def number(value: float, digits: int = 2) -> str:
    """A figure as a reader expects it: fixed decimals, a true minus sign."""
    text = f"{value:.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def cited_sizes(items: Iterable[EvidenceItem]) -> list[tuple[str, int | None]]:
    """(study id, participants analysed for the claim or None), sorted by study id."""
    return sorted(((item.id, item.size) for item in items), key=lambda pair: pair[0])


def participants(sizes: list[tuple[str, int | None]]) -> str:
    """``№ of participants (studies)`` as a summary-of-findings table gives it, saying how many
    studies report no size instead of guessing one."""
    if not sizes:
        return "0 studies"
    known = [size for _, size in sizes if size is not None]
    studies = plural(len(sizes), "study", "studies")
    unknown = len(sizes) - len(known)
    if not known:
        return f"not reported ({studies})"
    total = f"{sum(known):,}"
    if unknown:
        return f"at least {total} ({studies}; size not reported for {unknown})"
    return f"{total} ({studies})"
