"""The built-in rule-based wording-strength scorer and reference and claims extractors of the
article checker (``evigrade check``), as an ordinary built-in plugin.

Registered through the same hooks as a third-party scorer or extractor would be. Each entry
imports its module when first called, so that loading the plugins (as every command does) does
not load the checker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl
from ..kinds import ClaimScorer, Extractor, Strength

if TYPE_CHECKING:
    from ..article.claims import FoundClaim, Reading
    from ..article.references import Reference
    from ..article.text import Article

__all__ = ["CLAIMS_EXTRACTOR", "REFERENCES_EXTRACTOR", "RULES_SCORER"]


def _score(sentence: str) -> Strength:
    from ..article.strength import score

    return score(sentence)


def _references(article: Article) -> tuple[Reference, ...]:
    from ..article.references import find_references

    return find_references(article)


def _claims(reading: Reading) -> tuple[FoundClaim, ...]:
    from ..article.claims import extract_claims

    return extract_claims(reading)


RULES_SCORER = ClaimScorer(
    "rules",
    _score,
    "Grammatical rules from the annotation guidelines of Yu, Li & Wang (EMNLP 2019) and "
    "Sumner et al. (BMJ 2014): causal verbs used as verbs, association words, hedges, "
    "negation, recommendations.",
)
REFERENCES_EXTRACTOR = Extractor(
    "rules",
    "references",
    _references,
    "The entries under the last References heading, in Harvard, APA, Vancouver or web style; "
    "DOIs normalised with idutils.",
)
CLAIMS_EXTRACTOR = Extractor(
    "rules",
    "claims",
    _claims,
    "Sentences that state an effect, the safety, the mechanism or the dose of the article's "
    "interventions, or a fact about its conditions, with their PICO.",
)


@hookimpl
def evigrade_register_claim_scorers(register: Callable[[ClaimScorer], None]) -> None:
    register(RULES_SCORER)


@hookimpl
def evigrade_register_extractors(register: Callable[[Extractor], None]) -> None:
    register(REFERENCES_EXTRACTOR)
    register(CLAIMS_EXTRACTOR)
