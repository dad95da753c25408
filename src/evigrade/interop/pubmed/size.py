"""The size of a study, from a clear statement in its abstract ("a total of 40 patients",
"215 participants were randomized", "n = 215"); ``None`` when the abstract has none."""

from __future__ import annotations

import re

from ...numbers import NUMBER_WORDS, WORD_NUMBER, number

__all__ = ["extract_n"]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_NUM = (
    r"(?P<num>(?=[\dotfsen])(?:(?<![\d.,/-])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d.%]|,\d)|\b"
    + WORD_NUMBER
    + r"))"
)
_PEOPLE = (
    r"(?:patients|participants|subjects|adults|children|adolescents|infants|neonates|newborns"
    r"|women|men|girls|boys|individuals|persons|people|volunteers|students|smokers|veterans"
    r"|residents|respondents|survivors|mothers|pregnant\s+women|athletes|workers|nurses"
    r"|physicians|employees|outpatients|inpatients|recipients|users|members|couples|families"
    r"|mice|rats|animals|dogs|cats|pigs|piglets|rabbits|sheep|monkeys|horses|cows|calves"
    r"|donors)\b"
)
_STOP = (
    r"(?:of|per|and|or|to|in|with|from|for|at|on|by|were|was|had|have|who|that|the|year|years"
    r"|month|months|week|weeks|day|days|hour|hours|groups?|arms?|times|more|than|fewer|less"
    r"|additional|other|remaining|further|these|those|such|all|cases|controls|mg|kg|ml)\b"
)
_ADJ = r"(?:(?!" + _STOP + r")[a-z][a-z'-]*,?\s+){0,3}"
_GROUP = _NUM + r"\s+" + _ADJ + r"(?P<who>" + _PEOPLE + r")"
_VERBS = (
    r"(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|enrolled|included|recruited|studied"
    r"|allocated|assigned|followed|participated|took\s+part|entered|examined|evaluated"
    r"|investigated|surveyed|interviewed|treated|underwent)"
)
# Sizes are looked for only where a number starts (found cheaply), with patterns anchored there:
# what comes before the number, the number and who it counts, and what comes after.
_NUM_AT = _rx(_NUM)
_GROUP_AT = _rx(_GROUP)
_DIGIT_RUN = re.compile(r"(?<![\d.,])\d")
_TOTAL_BEFORE = _rx(r"\btotal\s+of\s+$")
_VERB_AFTER = _rx(r"\s+(?:\w+\s+){0,2}?(?:were\s+|was\s+|had\s+been\s+|have\s+been\s+)?" + _VERBS)
_VERB_BEFORE = _rx(
    r"\b(?:enrolled|randomi[sz]ed|recruited|included|studied|examined|evaluated|surveyed"
    r"|followed|investigated|interviewed|assigned|involved|comprised|comprising|consisted\s+of"
    r"|analy[sz]ed\s+data\s+(?:from|on)|data\s+(?:from|on))\s+(?:a\s+total\s+of\s+)?$"
)
_COUNT_BEFORE = _rx(
    r"(?:[.;:,]\s+|\band\s+|\b(?:of\s+(?:these|them|those|whom)|overall|in\s+total"
    r"|altogether),?\s+)$"
)
_WERE_AFTER = _rx(r"\s+(?:were|was)\s+(?:randomi[sz]ed|randomly|enrolled|recruited)")
_N_EQUALS = _rx(r"(?<![\w])n\s*=\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,])")
_PER_GROUP = _rx(r"^\s*\)?\s*(?:per|in\s+each|each|in\s+every|in\s+both|per\s+arm)\b")
_SCREENED = _rx(
    r"^\s*(?:\w+\s+){0,2}?(?:were\s+|was\s+)?(?:screened|assessed\s+for\s+eligibility"
    r"|invited|approached|contacted|eligible|excluded|declined|withdrew|dropped|died|lost)"
)
_AND_MORE = _rx(r"^\s*(?:\([^)]*\)\s*)?(?:and|plus|,)\s+(?:\d|" + WORD_NUMBER + r")")
_YEAR_BEFORE = _rx(r"\b(?:in|since|during|from|until|by|between|of|and)\s+$")


def _starts(text: str) -> list[int]:
    """Where a number (digits, or a number word) may start in ``text``."""
    found = {match.start() for match in _DIGIT_RUN.finditer(text)}
    lower = text.lower()
    for word in NUMBER_WORDS:
        at = lower.find(word)
        while at >= 0:
            if at == 0 or not lower[at - 1].isalnum():
                found.add(at)
            at = lower.find(word, at + 1)
    return sorted(found)


def _size(text: str, match: re.Match[str]) -> int | None:
    """The count a match states, unless it is a year, per group, or one of several counts."""
    raw = match.group("num")
    value = number(raw)
    if value is None or value < 1:
        return None
    start = match.start("num")
    if (
        raw.isdigit()
        and len(raw) == 4
        and 1900 <= value <= 2100
        and _YEAR_BEFORE.search(text[max(0, start - 9) : start])
    ):
        return None
    after = text[match.end() : match.end() + 60]
    if _PER_GROUP.search(after) or _AND_MORE.search(after):
        return None
    return value


def extract_n(abstract: str) -> tuple[int, str] | None:
    """The number enrolled, and the words that state it, or ``None`` when no clear statement.

    In order: "a total of N <people>"; the first of "N <people> were randomized / enrolled /
    included ...", "we enrolled N <people>", "N were randomized"; a single "n = N"; otherwise
    the first "N <people>" when no later count of people is larger. Counts per group, of
    people screened or excluded, several counts in a row ("12 patients and 30 controls"), and
    years ("in 2010 patients ...") are not sizes.
    """
    text = " ".join(abstract.split())
    total: tuple[int, str] | None = None
    strong: tuple[int, str] | None = None
    weak: list[tuple[int, str]] = []
    for start in _starts(text):
        before = text[max(0, start - 40) : start]
        group = _GROUP_AT.match(text, start)
        if group is not None:
            value = _size(text, group)
            if value is None:
                continue
            words = group.group(0)
            if total is None and _TOTAL_BEFORE.search(before):
                total = (value, f"total of {words}")
            if strong is None:
                verb = _VERB_AFTER.match(text, group.end())
                if verb is not None:
                    strong = (value, words + verb.group(0))
                elif _VERB_BEFORE.search(before):
                    strong = (value, words)
            if not _SCREENED.search(text[group.end() : group.end() + 60]):
                weak.append((value, words))
            continue
        number = _NUM_AT.match(text, start)
        if number is None or strong is not None:
            continue
        were = _WERE_AFTER.match(text, number.end())
        if were is None or not _COUNT_BEFORE.search(". " + before if start < 40 else before):
            continue
        value = _size(text, number)
        if value is not None:
            strong = (value, number.group(0) + were.group(0))
    if total is not None:
        return total
    if strong is not None:
        return strong
    equals = [
        (value, match.group(0))
        for match in _N_EQUALS.finditer(text)
        if (value := _size(text, match)) is not None
    ]
    if equals:
        return equals[0] if len(equals) == 1 else None
    if weak and weak[0][0] >= max(value for value, _ in weak):
        return weak[0]
    return None
