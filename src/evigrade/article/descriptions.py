"""What an article says of a study: the sentences that introduce one ("a pilot trial soon
followed, enrolling 40 people", "experimental studies in mice"), the sentences that go on about
it ("They found that ..."), and the patterns that read its year, journal, population and
results from them."""

from __future__ import annotations

import re

import attrs

from .designs import DesignCue, design_cues
from .text import Sentence

__all__ = [
    "CONTINUES",
    "JOURNAL",
    "NULL_RESULT",
    "POPULATION",
    "YEAR",
    "Description",
    "Result",
    "find_descriptions",
]

_STUDY_NOUN = (
    r"(?:stud(?:y|ies)|trials?|reviews?|reports?|analys[ie]s|experiments?|follow-?ups?|articles?|"
    r"papers?|surveys?|protocols?|case reports?|case series|meta-analys[ie]s)"
)
_INTRODUCED = re.compile(
    rf"(?:^|\b(?:a|an|one|another|two|three|several|other|larger|"
    rf"smaller|recent|early|later|new|(?:19|20)\d{{2}}|single)),?\s+(?:[\w-]+,?\s+){{0,5}}?"
    rf"{_STUDY_NOUN}\b",
    re.I,
)
_AT_START = re.compile(
    rf"^(?!(?i:in|on|at|from|for|with|by|of|across|among|the|this|that|these|those|their|its)\b)"
    rf"(?:[A-Z][\w-]*\s+)(?:(?!(?:from|of|in|on|at|this|that|the|these|those|with|by|for)\b)"
    rf"[a-z][\w-]*\s+){{0,2}}?(?i:{_STUDY_NOUN})\b"
)
CONTINUES = re.compile(
    r"^(?:[A-Z][\w’']*,?\s+){0,3}?(?:they|their|she|he|her|his|researchers?|the (?:authors?|"
    r"researchers|investigators|participants|patients|study|trial|results?|findings)|"
    r"this (?:\w+\s+){0,2}(?:study|trial|report|discovery|finding)|in (?:this|that) "
    r"(?:\w+\s+){0,2}(?:study|trial|report)|participants|patients|results? from this|"
    r"over (?:six|\d+|the)|during (?:that|this|the)|most (?:people|patients)|\d+%|"
    r"according to the (?:authors?|researchers|investigators))\b",
    re.I,
)
_NEEDED = re.compile(
    r"\b(?:are|is) needed\b|\bneed(?:s|ed)? to\b|\bshould\b|\bwill help\b|\bmore research\b", re.I
)
NULL_RESULT = re.compile(
    r"\bno (?:major |significant |clear |overall |real |meaningful )?(?:change|difference|"
    r"effect|improvement|benefit)s?\b|\bdid not (?:improve|reduce|change|differ|show)\b|"
    r"\bfailed to\b|\bnot (?:statistically )?significant\b|\bno better than\b",
    re.I,
)
YEAR = re.compile(r"\b(?:in|from|of|published in)?\s*((?:19|20)\d{2})\b")
JOURNAL = re.compile(
    r"\bpublished in (?:the )?([A-Z][\w&’'-]*(?:\s+(?:of|and|the|[A-Z][\w&’'-]*))*)"
)
POPULATION = re.compile(
    r"\b(?:people|patients|participants|adults|women|men|children|individuals|a patient)\s+"
    r"(?:with|who have)\s+([^,.;()]+?)(?=\s+(?:who|were|was|for|over|during|and (?:the|a)|"
    r"taking)\b|[,.;()]|$)|"
    r"\b(?:female|male)\s+participants\s+with\s+([^,.;()]+?)(?=\s+(?:were|was)\b|[,.;]|$)|"
    r"\bin (severe [^,.;()]+?)(?=\s*\(|[,.;]|$)",
    re.I,
)


@attrs.frozen
class Result:
    """What a description says a study found, clause by clause: the clause and whether it
    reports no effect."""

    clause: str
    null: bool
    sentence: int


@attrs.frozen
class Description:
    """A passage that introduces a study: its sentence, the phrase, the cues, and whether it
    speaks of several studies."""

    sentence: int
    phrase: str
    start: int
    end: int
    plural: bool
    cues: tuple[DesignCue, ...]


def find_descriptions(sentence: Sentence, text: str) -> list[Description]:
    """The study descriptions in one sentence (its text without citations), in order."""
    if sentence.is_heading or _NEEDED.search(text):
        return []
    found: list[Description] = []
    matches = list(_INTRODUCED.finditer(text))
    start_match = _AT_START.match(text)
    if start_match is not None and not any(m.start() < start_match.end() for m in matches):
        matches.insert(0, start_match)
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        segment = text[match.start() : end]
        cues = design_cues(segment) or design_cues(text)
        phrase = match.group(0).strip()
        if not cues and not re.search(r"\b(?:19|20)\d{2}\b|published in|\d+\s+\w+", segment):
            continue
        if re.match(r"(?:the|this|that)\b", phrase, re.I) and not cues:
            continue
        plural = bool(
            re.search(r"(?:studies|trials|reports|experiments|analyses|articles)$", phrase, re.I)
        )
        found.append(Description(sentence.index, phrase, match.start(), end, plural, tuple(cues)))
    return found
