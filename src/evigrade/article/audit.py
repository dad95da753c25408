"""What the evidence supports, the overclaims, the citation audit and conflicts of interest.

The wording a claim's evidence supports follows GRADE's informative statements (Santesso et
al., GRADE guidelines 26, J Clin Epidemiol 2020;119:126-135): High certainty "reduces",
Moderate "probably reduces", Low "may reduce", Very low "the evidence is very uncertain"; and
the design of the evidence: evidence that is only observational supports at most correlational
wording unless it was rated up, animal and laboratory evidence supports no claim about people,
and no evidence supports none. A claim worded more strongly than that is an overclaim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from . import STRENGTH_LABELS
from .claims import FoundClaim
from .references import Reference
from .studies import DraftStudy
from .text import Article, content_words

__all__ = [
    "Finding",
    "Support",
    "audit_citations",
    "conflicts_of_interest",
    "publishers_of",
    "supported",
]

#: GRADE certainty -> (the strongest level it supports, the informative statement's hedge).
_BY_CERTAINTY: dict[str, tuple[int, str]] = {
    "High": (3, ""),
    "Moderate": (2, "probably"),
    "Low": (2, "may"),
    "Very low": (0, "very uncertain"),
}
_STATEMENT = {
    "High": "reduces",
    "Moderate": "probably reduces",
    "Low": "may reduce",
    "Very low": "the evidence is very uncertain",
}
_OBSERVATIONAL = frozenset({"non-randomized", "uncontrolled"})
_WEAK_ONLY = frozenset(
    {"mechanistic", "in-vitro", "animal", "anecdote", "expert-opinion", "narrative-review"}
)


@attrs.frozen
class Support:
    """The strongest wording a claim's evidence supports, the words for it, and why."""

    level: int
    wording: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return STRENGTH_LABELS[self.level]


@attrs.frozen
class Finding:
    """One finding of the audit: its kind, what it says, and the sentence it concerns (its
    index and text; none for a finding about the whole article)."""

    kind: str
    message: str
    sentence: int | None = None
    quote: str | None = None
    claim: str | None = None
    references: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.claim is not None:
            data["claim"] = self.claim
        if self.references:
            data["references"] = list(self.references)
        data["sentence"] = self.sentence
        data["quote"] = self.quote
        return data


def _verb(claim: FoundClaim) -> str:
    """The claim's own causal verb, as a bare form ("reduce"), for the suggested wording."""
    from .strength import _verb_forms

    forms = _verb_forms()
    nouns = {
        "reduction": "reduce",
        "improvement": "improve",
        "relief": "relieve",
        "benefit": "benefit",
        "protection": "protect",
        "effect": "affect",
        "impact": "affect",
        "decrease": "decrease",
        "increase": "increase",
        "effective": "improve",
        "beneficial": "benefit",
    }
    for cue in claim.strength.cues:
        for word in cue.split():
            stem = word.rstrip("s")
            if stem in nouns:
                return nouns[stem]
    for cue in claim.strength.cues:
        for word in cue.split():
            if word in forms and word not in ("may", "might", "could"):
                verb = forms[word]
                particle = {"lead": " to", "result": " in", "contribute": " to"}.get(verb, "")
                return verb + particle
    return "affect"


def _third_person(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head.endswith(("s", "sh", "ch", "x")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def wording(level: int, hedge: str, claim: FoundClaim, why: str = "") -> str:
    """The informative statement for ``claim`` at a level and hedge (Santesso et al. 2020)."""
    if claim.intervention is None:
        # a claim about a condition, not an intervention: only its certainty can be said
        if level >= 2:
            return f"the claim can stand {'as' if level == 3 else 'hedged'}: {hedge or 'as worded'}"
        if level == 1:
            return "at most an association can be stated"
        return (
            "the evidence is very uncertain about it"
            if hedge
            else f"no such claim should be made: {why}"
        )
    who = claim.intervention
    on = f" on {claim.outcome}" if claim.outcome else ""
    if claim.about == "safety":
        what = f" ({claim.outcome})" if claim.outcome else ""
        if level == 3:
            return f"{who} has few harms{what}"
        if level == 2:
            return f"{who} {hedge} has few harms{what}"
        if level == 1:
            return f"{who} is associated with few harms{what} in observational studies"
        if hedge:
            return f"the evidence is very uncertain about the harms of {who}{what}"
        return f"no statement about the harms of {who}: {why}"
    verb = _verb(claim)
    what = f" {claim.outcome}" if claim.outcome else ""
    if level == 3:
        return f"{who} {_third_person(verb)}{what}"
    if level == 2:
        return f"{who} {hedge} {verb if hedge == 'may' else _third_person(verb)}{what}"
    if level == 1:
        changes = f" changes in {claim.outcome}" if claim.outcome else " the outcome"
        return f"{who} is associated with{changes} (observational studies)"
    if hedge:
        return f"the evidence is very uncertain about the effect of {who}{on}"
    return f"no claim about the effect of {who}{on}: {why}"


def supported(
    claim: FoundClaim,
    grade: Mapping[str, Any] | None,
    studies: Mapping[str, DraftStudy],
    families: Mapping[str, str],
    in_humans: Mapping[str, bool],
) -> Support:
    """The strongest wording ``claim``'s evidence supports, from its GRADE grade (JSON as
    ``evigrade grade`` prints it) and the designs that counted."""
    reasons: list[str] = []
    if grade is None or grade.get("label") not in _BY_CERTAINTY:
        why = "no study of it could be graded (no evidence, or only sources that are not evidence)"
        reasons.append(f"GRADE: {grade.get('label') if grade else 'not graded'}: {why}")
        return Support(0, wording(0, "", claim, "no evidence supports it"), tuple(reasons))
    label = str(grade["label"])
    level, hedge = _BY_CERTAINTY[label]
    reasons.append(f"GRADE certainty {label}: the informative statement is {_STATEMENT[label]!r}")
    if grade.get("direction") != "supports":
        reasons.append(f"the body of evidence is {grade.get('direction')}, not in support")
        return Support(0, wording(0, hedge or "very uncertain", claim), tuple(reasons))
    counted = [s for s in grade.get("counted", ()) if s in studies]
    designs = {studies[s].design for s in counted}
    rated_up = any(step.get("kind") == "up" for step in grade.get("rationale", ()))
    if counted and all(not in_humans.get(d, True) for d in designs) and claim.species == "human":
        reasons.append("only animal or laboratory studies: they support no claim about people")
        return Support(
            0, wording(0, "", claim, "animal and laboratory studies only"), tuple(reasons)
        )
    observational = counted and all(families.get(d) in _OBSERVATIONAL for d in designs)
    if observational and not rated_up and level > 1:
        reasons.append(
            "the evidence is observational only (no randomized trial) and was not rated up: "
            "at most an association"
        )
        level, hedge = 1, ""
    return Support(level, wording(level, hedge, claim), tuple(reasons))


_PROMOTION = re.compile(
    r"\bFREE\b[^.]{0,40}\bconsultation|\bbook (?:your|a) (?:free )?(?:\w+ )?consultation|"
    r"\bcontact us\b|\bour (?:pharmacy|clinic|shop|store|products?|services?|team)\b|"
    r"\bbuy (?:now|online|it)\b|\border (?:now|online|today)\b|\bdiscount\b|"
    r"\b(?:my|our) (?:[\w-]+ ){0,3}course\b|\bcheck out (?:my|our)\b|\bsign up\b|"
    r"\b(?:a|reputable|specialist) (?:compounding )?pharmac(?:y|ies)"
    r"(?: that can compound)?,? like\b|"
    r"\bcompound(?:s|ed|ing)? the\b[^.]{0,40}\blike\b|"
    r"\bstart a (?:[\w-]+ ){0,3}consultation with me\b|"
    r"\bwork(?:ing)? with me\b|\bbook (?:an|a) appointment\b",
    re.I,
)
_BYLINE = re.compile(r"\b(?:at|from|by|for)\s+((?:[A-Z][\w&'’-]+\s?){1,4})")


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def publishers_of(
    article: Article, references: Sequence[Reference], given: Sequence[str] = ()
) -> list[str]:
    """Who publishes the article: the names given, and any author of a web-page reference the
    article also names outside its reference list (in a byline or a recommendation)."""
    names = list(given)
    body = " ".join(
        s.text for s in article.sentences if s.block not in {r.block for r in references}
    )
    for reference in references:
        if reference.kind != "web-page" or not reference.authors:
            continue
        author = reference.authors[0]
        if len(author) <= 3 or author not in body or author in names:
            continue
        if _PROMOTION.search(body) or re.search(rf"\b(?:at|like|from)\s+{re.escape(author)}", body):
            names.append(author)
    return names


def is_publisher_page(reference: Reference, publishers: Sequence[str]) -> bool:
    for name in publishers:
        squashed = _squash(name)
        if not squashed:
            continue
        if reference.authors and _squash(reference.authors[0]) == squashed:
            return True
        if reference.url and squashed in _squash(
            re.sub(r"^https?://", "", reference.url).split("/")[0]
        ):
            return True
    return False


def conflicts_of_interest(
    article: Article, publishers: Sequence[str], main: str | None, reference_blocks: frozenset[int]
) -> list[Finding]:
    """Sentences where the publisher sells or promotes what the article recommends: a
    consultation, a course, a pharmacy that supplies the drug."""
    found = []
    for sentence in article.sentences:
        if sentence.block in reference_blocks:
            continue
        match = _PROMOTION.search(sentence.text)
        # the publisher recommended as the place to get it: "get your LDN from NAME"
        named = next(
            (
                p
                for p in publishers
                if re.search(
                    rf"\b(?:get|buy|obtain|order|use)\b[^.]{{0,80}}\b(?:from|through|like|at|via)"
                    rf"\s+{re.escape(p)}",
                    sentence.text,
                    re.I,
                )
            ),
            None,
        )
        if match is None and named is None:
            continue
        who = f"the publisher ({', '.join(publishers)})" if publishers else "the publisher"
        what = f" {main}" if main else " what the article recommends"
        found.append(
            Finding(
                "conflict-of-interest",
                f"{who} promotes or sells{what}: {(match.group(0) if match else named)!r}",
                sentence.index,
                sentence.text,
            )
        )
    return found


def audit_citations(
    article: Article,
    claims: Sequence[tuple[str, FoundClaim, Sequence[tuple[DraftStudy, bool, str]]]],
    references: Sequence[Reference],
    publishers: Sequence[str],
    texts: Sequence[str],
    cited_anywhere: bool,
) -> list[Finding]:
    """The citation audit. ``claims`` holds each claim's id, the claim, and its links: the
    study, whether the claim's sentence cites it, and the link's direction."""
    findings: list[Finding] = []
    listed = [r for r in references if r.listed]
    if not cited_anywhere:
        what = (
            f"it lists {len(listed)} references but cites none of them in the text, so no "
            "claim can be traced to its source"
            if listed
            else "it cites no source at all"
        )
        findings.append(
            Finding("no-in-text-citations", f"The article has no in-text citations: {what}")
        )
    by_id = {r.id: r for r in references}
    for claim_id, claim, links in claims:
        where: dict[str, Any] = {
            "sentence": claim.sentence,
            "quote": claim.quote,
            "claim": claim_id,
        }
        if not claim.citations and not links:
            findings.append(Finding("uncited-claim", "The claim cites no source.", **where))
        for ref_id in claim.citations:
            reference = by_id.get(ref_id)
            if reference is None or not reference.listed:
                studied = any(
                    s.reference is not None and s.reference.id == ref_id for s, _, _ in links
                )
                if not studied:
                    findings.append(
                        Finding(
                            "unlisted-source",
                            f"Cites source {ref_id}, which the article neither lists nor "
                            "describes.",
                            references=(ref_id,),
                            **where,
                        )
                    )
                continue
            if reference.kind == "web-page":
                own = is_publisher_page(reference, publishers)
                kind = "publisher-source" if own else "non-scholarly-source"
                what = (
                    "the publisher's own web page" if own else "a web page, not a scholarly source"
                )
                findings.append(
                    Finding(
                        kind,
                        f"Cites reference {ref_id}, {what}: {reference.title or reference.url}.",
                        references=(ref_id,),
                        **where,
                    )
                )
        kinds = {s.design for s, _, _ in links}
        if links and kinds <= _WEAK_ONLY and claim.species == "human" and claim.strength.level >= 1:
            findings.append(
                Finding(
                    "weak-evidence-only",
                    "The claim about people rests only on "
                    + ", ".join(sorted(kinds))
                    + " sources: mechanism, animal or laboratory work, anecdote or opinion.",
                    references=tuple(s.reference.id for s, _, _ in links if s.reference),
                    **where,
                )
            )
        unaddressed: set[tuple[str, ...]] = set()  # a reference's two parts: said once
        for study, cited, direction in links:
            ref = (study.reference.id,) if study.reference else ()
            if study.design == "protocol" and claim.strength.level >= 1:
                findings.append(
                    Finding(
                        "protocol-as-results",
                        f"{study.id} is a study protocol with no results, "
                        + ("cited" if cited else "described")
                        + " beside a claim of an effect.",
                        references=ref,
                        **where,
                    )
                )
            elif direction == "inconclusive" and claim.strength.level >= 2 and not _negated(claim):
                findings.append(
                    Finding(
                        "null-cited-as-support",
                        f"The article says {study.id} found no clear effect, yet the claim "
                        "states one.",
                        references=ref,
                        **where,
                    )
                )
            elif (
                cited
                and study.described_in
                and claim.outcome
                and (not ref or ref not in unaddressed)
            ):
                said = " ".join(texts[i] for i in study.described_in)
                title = study.reference.title if study.reference else ""
                if not content_words(claim.outcome) & content_words(said + " " + title):
                    unaddressed.add(ref)
                    findings.append(
                        Finding(
                            "study-not-addressing-claim",
                            f"What the article says of {study.id} (sentences "
                            f"{', '.join(map(str, study.described_in))}) is not about "
                            f"{claim.outcome!r}.",
                            references=ref,
                            **where,
                        )
                    )
    return findings


def _negated(claim: FoundClaim) -> bool:
    return any(note.startswith("negated") for note in claim.strength.notes)
