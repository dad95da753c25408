"""The GRADE domains that assessors judge and reviewers may override, with their ratings.

Each rating carries the number of GRADE levels it moves the certainty: negative for the five
domains that rate down, positive for the three that rate up (GRADE 6-9; imprecision may cost
three levels since GRADE 34/35). Schemes other than GRADE decide for themselves what a rating
costs them; they read the ratings from here.
"""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["DOMAINS", "DOWN_DOMAINS", "UP_DOMAINS", "Domain", "DomainName", "domain"]

DomainName = Literal[
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
    "large_effect",
    "dose_response",
    "plausible_confounding",
]


@attrs.frozen
class Domain:
    """A GRADE domain: its ratings in order from neutral to strongest, and what each moves."""

    name: str
    label: str
    direction: Literal["down", "up"]
    ratings: tuple[tuple[str, int], ...]
    fhir_code: str

    @property
    def neutral(self) -> str:
        """The rating that changes nothing (`not-serious`, `none`, `absent`)."""
        return self.ratings[0][0]

    @property
    def rating_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.ratings)

    def change(self, rating: str) -> int:
        """Levels this rating moves a GRADE certainty (negative rates down)."""
        for name, change in self.ratings:
            if name == rating:
                return change
        raise ValueError(f"{rating!r} is not a rating of {self.name} ({self.rating_names})")


_SERIOUSNESS = (("not-serious", 0), ("serious", -1), ("very-serious", -2))

DOMAINS: dict[str, Domain] = {
    d.name: d
    for d in (
        Domain("risk_of_bias", "Risk of bias", "down", _SERIOUSNESS, "RiskOfBias"),
        Domain("inconsistency", "Inconsistency", "down", _SERIOUSNESS, "Inconsistency"),
        Domain("indirectness", "Indirectness", "down", _SERIOUSNESS, "Indirectness"),
        Domain(
            "imprecision",
            "Imprecision",
            "down",
            (*_SERIOUSNESS, ("extremely-serious", -3)),
            "Imprecision",
        ),
        Domain("publication_bias", "Publication bias", "down", _SERIOUSNESS, "PublicationBias"),
        Domain(
            "large_effect",
            "Large effect",
            "up",
            (("none", 0), ("large", 1), ("very-large", 2)),
            "LargeEffect",
        ),
        Domain(
            "dose_response",
            "Dose-response gradient",
            "up",
            (("absent", 0), ("present", 1)),
            "DoseResponseGradient",
        ),
        Domain(
            "plausible_confounding",
            "Plausible confounding",
            "up",
            (("absent", 0), ("present", 1)),
            "PlausibleConfounding",
        ),
    )
}

DOWN_DOMAINS: tuple[str, ...] = tuple(n for n, d in DOMAINS.items() if d.direction == "down")
UP_DOMAINS: tuple[str, ...] = tuple(n for n, d in DOMAINS.items() if d.direction == "up")


def domain(name: str) -> Domain:
    """The domain called ``name``; ``KeyError`` names the known ones."""
    try:
        return DOMAINS[name]
    except KeyError:
        raise KeyError(f"unknown domain {name!r}; known: {', '.join(DOMAINS)}") from None
