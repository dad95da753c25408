"""Wording shared by every rationale: counts with their nouns ("1 study", "3 studies") and the
plural of a species name ("mice"), so that no reason reads "1 studies" or "mouses".
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["count_of", "plural", "species_plural"]

#: Nouns of the rationale whose plural is not the noun and "s".
_PLURALS = {
    "study": "studies",
    "analysis": "analyses",
    "meta-analysis": "meta-analyses",
    "person": "people",
    "child": "children",
    "mouse": "mice",
    "louse": "lice",
    "goose": "geese",
    "ox": "oxen",
    "foot": "feet",
    "tooth": "teeth",
}

#: Nouns (species names mostly) that are their own plural, or are plural already.
_SAME = frozenset(
    {
        "sheep",
        "deer",
        "fish",
        "swine",
        "cattle",
        "bison",
        "moose",
        "salmon",
        "trout",
        "zebrafish",
        "species",
        "series",
        "people",
        "humans",
        "mice",
        "rats",
    }
)


@lru_cache(maxsize=256)
def plural(noun: str) -> str:
    """The plural of an English noun of the rationale: the last word is inflected ("rhesus
    macaque" -> "rhesus macaques", "study" -> "studies", "mouse" -> "mice")."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _SAME or not last:
        word = last
    elif lower in _PLURALS:
        word = _PLURALS[lower]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    elif lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def species_plural(species: str) -> str:
    """The plural of a species as evidence files name it ("human" -> "humans", "mouse" ->
    "mice", "zebrafish" -> "zebrafish")."""
    return plural(species)


def count_of(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is 1: "1 study", "0 studies", "3 studies",
    "1,200 participants"."""
    return f"{number:,} {noun if number == 1 else plural(noun)}"
