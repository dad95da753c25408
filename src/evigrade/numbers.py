"""Numbers as health writing states them: digits with thousands separators, or words ("forty",
"two hundred and ten"). One reading for every part that finds counts in text (the PubMed
importer's sample sizes, the article checker's sizes and durations)."""

from __future__ import annotations

import re

__all__ = ["NUMBER_WORDS", "TENS", "UNITS", "WORD_NUMBER", "number"]

UNITS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
#: Every word a number may start with.
NUMBER_WORDS: tuple[str, ...] = (*UNITS, *TENS)

_BELOW_100 = (
    r"(?:(?:" + "|".join(TENS) + r")(?:[- ](?:" + "|".join(list(UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"
)
#: A number in words, up to the hundreds (a regular expression, case as the caller compiles it).
WORD_NUMBER = _BELOW_100 + r"(?:[- ]hundred(?:[- ](?:and[- ])?" + _BELOW_100 + r")?)?\b"


def number(text: str) -> int | None:
    """The value of a number in digits ("1,200") or words ("two hundred and ten"), or ``None``
    when the text is not one."""
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    total = 0
    for part in re.split(r"[- ]+", text):
        if part in TENS:
            total += TENS[part]
        elif part in UNITS:
            total += UNITS[part]
        elif part == "hundred":
            total *= 100
        elif part != "and":
            return None
    return total or None
