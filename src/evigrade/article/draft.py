"""Writing the draft evidence file: the drafted studies and claims as evidence-file JSON data.

Every drafted value records where it came from, and every evidence link whether the article
itself cited the study for that claim, under the extension key ``x-check`` (the format keeps
``x-`` keys as they are; docs/check.md lists what ``x-check`` holds). :func:`provenance` is the
one place that writes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .claims import FoundClaim
    from .studies import DraftStudy

__all__ = ["PROVENANCE_KEY", "claim_data", "draft_data", "provenance", "slug", "study_data"]

#: The extension key that carries where each drafted value came from.
PROVENANCE_KEY = "x-check"


def provenance(**values: Any) -> dict[str, Any]:
    """The ``x-check`` entry of a drafted object, leaving out what is empty."""
    return {PROVENANCE_KEY: {k: v for k, v in values.items() if v not in (None, {}, [], ())}}


def slug(text: str, words: int = 8, *, keep_function_words: bool = False) -> str:
    """A lower-case id from the first words of a text (without "the", "of" ... unless kept)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    stop = {"the", "a", "an", "of", "and", "to", "in", "for", "with", "that", "is", "are", "be"}
    kept = [p for p in parts if keep_function_words or p not in stop][:words] or ["claim"]
    return "-".join(kept)[:120].strip("-") or "claim"


def study_data(study: DraftStudy, needs_participants: bool) -> dict[str, Any]:
    """A drafted study as evidence-file data."""
    reference = study.reference
    data: dict[str, Any] = {"id": study.id, "design": study.design}
    if needs_participants or study.n is not None:
        data["n"] = study.n
    if reference is not None and reference.listed:
        if reference.title:
            data["title"] = reference.title
        if reference.authors:
            data["authors"] = list(reference.authors)
        for key in ("doi", "pmid", "nct", "url"):
            value = getattr(reference, key)
            if value:
                data[key] = value
    if study.year is not None and 1600 <= study.year <= 2200:
        data["year"] = study.year
    if study.journal:
        data["journal"] = study.journal
    if study.species and study.design == "animal":
        data["species"] = study.species
    for key in ("population", "duration", "control", "blinding", "status"):
        value = getattr(study, key)
        if value:
            data[key] = value
    if study.pilot:
        data["pilot"] = True
    if study.randomized is not None and study.design == "protocol":
        data["randomized"] = study.randomized
    data.update(
        provenance(
            reference=reference.id if reference is not None else None,
            reference_text=reference.text if reference is not None and reference.listed else None,
            design_told=study.told,
            design_certain=study.certain,
            part=study.part,
            described_in=list(study.described_in),
            **{"from": dict(study.sources)},
        )
    )
    return data


def claim_data(
    claim_id: str, claim: FoundClaim, links: Sequence[tuple[DraftStudy, bool, str, str]]
) -> dict[str, Any]:
    """A found claim as evidence-file data; ``links`` are (study, cited by the claim's
    sentence, direction, why)."""
    data: dict[str, Any] = {"id": claim_id, "text": claim.text}
    for key in ("population", "intervention", "comparator", "outcome"):
        value = getattr(claim, key)
        if value:
            data[key] = value
    if claim.outcome_kind != "patient-important":
        data["outcome_kind"] = claim.outcome_kind
    if claim.species != "human":
        data["species"] = claim.species
    data["evidence"] = [
        {
            "study": study.id,
            "direction": direction,
            **provenance(cited=cited, why=why),
        }
        for study, cited, direction, why in links
    ]
    data.update(
        provenance(
            quote=claim.quote,
            sentence=claim.sentence,
            citations=list(claim.citations),
            strength=claim.strength.label,
            cues=list(claim.strength.cues),
            **{"from": dict(claim.sources)},
        )
    )
    return data


def draft_data(
    title: str,
    source: Mapping[str, Any],
    studies: Sequence[dict[str, Any]],
    claims: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The whole draft evidence file."""
    data: dict[str, Any] = {"evigrade": "1"}
    if title:
        data["title"] = title
    if source:
        data["source"] = dict(source)
    data["studies"] = list(studies)
    data["claims"] = list(claims)
    data.update(
        provenance(
            note="Drafted by `evigrade check` from the article's text: every value says where it "
            "was read; review it before relying on it."
        )
    )
    return data
