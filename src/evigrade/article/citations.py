"""In-text citations: the forms real articles print, and which references each sentence cites.

Numeric in brackets: ``[1]``, ``[ 2]``, ``[,9]``, ``[1, 2]``, ``[1-3]``, ``[5]-[8]`` (a range over
brackets); numeric in parentheses: ``(5)``, ``(6, 7, 8)``, ``(1-4)`` (never a year, and only
numbers a numbered reference list could hold); author-year: ``(Smith et al., 2019)``,
``(Smith & Jones, 2020; Lee 2018)`` and the narrative ``Smith et al. (2019)``, linked to the
reference whose first author and year they name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

from .references import Reference

__all__ = ["Citation", "find_citations", "strip_citations"]


@attrs.frozen
class Citation:
    """One citation marker: the reference ids it names (as printed: ``"5"``), where it is in
    the sentence, its form and its text. ``unresolved`` holds author-year citations that name
    no reference of the list."""

    ids: tuple[str, ...]
    start: int
    end: int
    form: str
    text: str
    unresolved: tuple[str, ...] = ()


_NUMBERS = r"\d{1,3}(?:\s*[,;–—-]\s*\d{1,3})*"
_BRACKET_RANGE = re.compile(r"\[\s*(\d{1,3})\s*\]\s*[-–—]\s*\[\s*(\d{1,3})\s*\]")
_BRACKET = re.compile(r"\[\s*,?\s*(" + _NUMBERS + r")\s*,?\s*\]")
_PAREN = re.compile(r"\(\s*(" + _NUMBERS + r")\s*\)")
_NAME = r"[A-Z][A-Za-zÀ-ÿ'’\-]+"
_AUTHOR_YEAR_ITEM = (
    rf"{_NAME}(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?,?\s+((?:19|20)\d{{2}})[a-z]?"
)
_AUTHOR_YEAR = re.compile(
    rf"\(\s*(?:e\.g\.,?\s*|see\s+)?{_AUTHOR_YEAR_ITEM}(?:\s*;\s*{_AUTHOR_YEAR_ITEM})*\s*\)"
)
_ITEM = re.compile(rf"({_NAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?,?\s+\(?((?:19|20)\d{{2}})")
_NARRATIVE = re.compile(
    rf"\b({_NAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?\s+\(((?:19|20)\d{{2}})[a-z]?\)"
)


def _expand(numbers: str) -> list[int]:
    """ "1, 3-5" -> [1, 3, 4, 5]; a range longer than 50 is read as two numbers."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", numbers.strip()):
        if not part:
            continue
        bounds = re.split(r"\s*[–—-]\s*", part)
        if len(bounds) == 2 and bounds[0] and bounds[1]:
            low, high = int(bounds[0]), int(bounds[1])
            if low <= high and high - low <= 50:
                out.extend(range(low, high + 1))
                continue
            out.extend((low, high))
        else:
            out.extend(int(b) for b in bounds if b)
    return out


def _surname(name: str) -> str:
    return name.lower().replace("’", "'")


def _by_author_year(references: Sequence[Reference]) -> dict[tuple[str, int], list[str]]:
    table: dict[tuple[str, int], list[str]] = {}
    for reference in references:
        if reference.year is None or not reference.authors:
            continue
        first = reference.authors[0]
        surname = first.split(",")[0].strip() if "," in first else first.split()[0]
        table.setdefault((_surname(surname), reference.year), []).append(reference.id)
    return table


def find_citations(
    sentence: str, references: Sequence[Reference], *, numbered: bool = True
) -> tuple[Citation, ...]:
    """The citations of one sentence, in order. ``numbered`` says whether the article's
    references are cited by number (parenthesised numbers are read as citations only then)."""
    listed = [r for r in references if r.listed]
    largest = max((int(r.id) for r in listed if r.id.isdigit()), default=0)
    limit = largest if listed else 999
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(citation: Citation) -> None:
        taken.append((citation.start, citation.end))
        found.append(citation)

    for match in _BRACKET_RANGE.finditer(sentence):
        low, high = int(match.group(1)), int(match.group(2))
        if low <= high <= low + 50:
            ids = tuple(str(n) for n in range(low, high + 1))
            add(Citation(ids, match.start(), match.end(), "numeric-bracket", match.group(0)))
    for match in _BRACKET.finditer(sentence):
        if not free(match.start(), match.end()):
            continue
        numbers = _expand(match.group(1))
        if numbers and all(1 <= n <= max(limit, 1) or not listed for n in numbers):
            ids = tuple(str(n) for n in numbers)
            add(Citation(ids, match.start(), match.end(), "numeric-bracket", match.group(0)))
    if numbered:
        for match in _PAREN.finditer(sentence):
            numbers = _expand(match.group(1))
            if not numbers or any(n < 1 or n > limit or 1900 <= n <= 2100 for n in numbers):
                continue
            before = sentence[max(0, match.start() - 12) : match.start()].lower()
            if re.search(r"(?:figure|fig\.|table|step|type|grade|stage|phase|n\s*=)\s*$", before):
                continue
            ids = tuple(str(n) for n in numbers)
            add(Citation(ids, match.start(), match.end(), "numeric-paren", match.group(0)))
    table = _by_author_year(references)
    for match in _AUTHOR_YEAR.finditer(sentence):
        add(_author_year(match.group(0), match.start(), match.end(), table))
    for match in _NARRATIVE.finditer(sentence):
        if free(match.start(), match.end()):
            add(_author_year(match.group(0), match.start(), match.end(), table))
    return tuple(sorted(found, key=lambda c: c.start))


def _author_year(
    text: str, start: int, end: int, table: dict[tuple[str, int], list[str]]
) -> Citation:
    ids: list[str] = []
    unresolved: list[str] = []
    for item in _ITEM.finditer(text):
        key = (_surname(item.group(1)), int(item.group(2)))
        matches = table.get(key, [])
        if len(matches) == 1:
            ids.append(matches[0])
        else:
            unresolved.append(f"{item.group(1)} {item.group(2)}")
    return Citation(tuple(ids), start, end, "author-year", text, tuple(unresolved))


def cited_ids(citations: Sequence[Citation]) -> tuple[str, ...]:
    """Every reference id the citations name, once each, in order."""
    return tuple(dict.fromkeys(i for c in citations for i in c.ids))


def strip_citations(sentence: str, citations: Sequence[Citation]) -> str:
    """The sentence without its citation markers (and the spaces and commas they leave)."""
    out = sentence
    for citation in sorted(citations, key=lambda c: c.start, reverse=True):
        if citation.form == "author-year" and not citation.text.startswith("("):
            continue  # a narrative citation is part of the sentence: "Smith et al. (2019) found"
        out = out[: citation.start] + out[citation.end :]
    out = re.sub(r"(?:\s*[,;]\s*)+(?=[.!?]?\s*$)", "", out)
    out = re.sub(r"\s+([.,;:!?])", r"\1", out)
    out = re.sub(r"([.!?])[.,;\s]+$", r"\1", out.strip())
    return re.sub(r"\s{2,}", " ", out).strip().rstrip(",;")


def numbered_style(texts: Iterator[str] | Sequence[str]) -> bool:
    """Whether an article cites by number in brackets or parentheses anywhere."""
    return any(_BRACKET.search(t) or _BRACKET_RANGE.search(t) for t in texts)
