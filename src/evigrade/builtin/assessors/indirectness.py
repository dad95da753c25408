"""Indirectness: evidence that answers a different question than the claim (GRADE 8)."""

from __future__ import annotations

import re

from ...kinds import Body, EvidenceItem
from ...model import Judgment
from ...words import species_plural
from .common import count, judgment, share, short_follow_up

__all__ = ["assess_indirectness", "study_indirectness"]

_APPLICABILITY = {"direct": 0, "indirect": 1, "very-indirect": 2}

#: A claim about long-term use or outcomes (ICH E1: use for more than 6 months).
_LONG_TERM = re.compile(r"\blong[- ]term\b|\blong[- ]lasting\b|\bover (?:the )?years\b")


def study_indirectness(item: EvidenceItem, claim_species: str) -> tuple[int, str]:
    """(0..2, why) for one study against the claim: species, then stated applicability."""
    study, design = item.study, item.design
    if design.id == "in-vitro":
        return 2, "laboratory (in vitro) evidence"
    species = study.effective_species
    if not design.in_humans and species == "human":
        species = "non-human"
    if species != claim_species:
        return 2, f"{species} evidence for a claim about {species_plural(claim_species)}"
    applicability = item.link.applicability
    if applicability is not None:
        parts = {
            k: v
            for k, v in (
                ("population", applicability.population),
                ("intervention", applicability.intervention),
                ("comparator", applicability.comparator),
                ("outcome", applicability.outcome),
            )
            if v is not None and v != "direct"
        }
        if parts:
            worst = max(_APPLICABILITY[v] for v in parts.values())
            return worst, ", ".join(f"{k} {v}" for k, v in sorted(parts.items()))
    return 0, "direct"


def assess_indirectness(body: Body) -> Judgment:
    """Rate down when the evidence answers a different question (GRADE 8): other species,
    stated indirect PICO elements, a surrogate outcome, or follow-up under 6 months for a
    claim about long-term use."""
    claim = body.claim
    items = body.items
    per_study = {item.id: study_indirectness(item, claim.effective_species) for item in body.items}
    very = [i for i in body.items if per_study[i.id][0] == 2]
    some = [i for i in body.items if per_study[i.id][0] >= 1]
    level = 2 if share(very, items) >= 0.5 else 1 if share(some, items) >= 0.5 else 0
    reasons = []
    involved = [i.id for i in some] if level else list(body.ids)
    rule = "indirectness.applicability"
    if level:
        detail = "; ".join(f"{i.id}: {per_study[i.id][1]}" for i in some)
        reasons.append(f"{count(some, items)} indirect ({detail})")
        if any(
            "evidence for a claim about" in per_study[i.id][1] or i.design.id == "in-vitro"
            for i in some
        ):
            rule = "indirectness.species"
    if claim.effective_outcome_kind == "surrogate":
        level = min(2, level + 1)
        reasons.append("surrogate outcome: disease-oriented, not patient-important")
        rule = "indirectness.surrogate" if rule == "indirectness.applicability" else rule
        involved = list(body.ids)
    text = claim.text.lower()
    long_term = ("long" in text or "years" in text) and _LONG_TERM.search(text) is not None
    follow_up = short_follow_up(items) if long_term else None
    if follow_up:
        if level == 0:
            rule = "indirectness.follow-up"
            involved = list(body.ids)
        level = max(level, 1)
        reasons.append(
            f"the claim is about long-term use or outcomes and every study's follow-up is "
            f"under 6 months ({', '.join(follow_up)}; ICH E1: long-term use is more than 6 "
            "months)"
        )
    if not reasons:
        reasons.append(
            f"studies in {species_plural(claim.effective_species)} with no indirect PICO "
            "element recorded"
        )
    return judgment("indirectness", level, "; ".join(reasons), involved, rule)
