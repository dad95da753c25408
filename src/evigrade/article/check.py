"""Check an article: read it, find its references, citations, claims and studies, draft and
validate an evidence file, grade it, and compare each claim's wording with what its evidence
supports; audit the citations and look for conflicts of interest.

It is given the registry (the designs, schemes, scorers and extractors to use) and uses the
stages every command uses: validation and loading for the draft, grading and the report data
for the grades.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..convert import report_to_data
from ..files import from_data
from ..grading import grade_file
from ..validation import validate_data
from . import DEFAULT
from .audit import (
    Finding,
    Support,
    audit_citations,
    conflicts_of_interest,
    publishers_of,
    supported,
)
from .citations import Citation, cited_ids, find_citations, numbered_style, strip_citations
from .claims import FoundClaim, Reading
from .draft import claim_data, draft_data, slug, study_data
from .references import Reference, unlisted
from .studies import DraftStudy, draft_studies
from .text import Article, content_words, read_article

if TYPE_CHECKING:
    from ..grading import Report
    from ..kinds import Registry
    from ..report.article import ArticleView

__all__ = ["ArticleCheck", "ClaimCheck", "check_article"]


@attrs.frozen
class ClaimCheck:
    """One claim as checked: its id, the claim found, its evidence links (study, cited by the
    claim's sentence, direction, why), its grades by scheme (as ``evigrade grade --format
    json`` prints them), the wording its evidence supports, and whether it overclaims."""

    id: str
    claim: FoundClaim
    links: tuple[tuple[DraftStudy, bool, str, str], ...]
    grades: Mapping[str, Any] = attrs.field(hash=False)
    support: Support
    overclaim: bool
    reasons: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        claim = self.claim
        return {
            "id": self.id,
            "quote": claim.quote,
            "sentence": claim.sentence,
            "citations": list(claim.citations),
            "about": claim.about,
            "pico": {
                "population": claim.population,
                "intervention": claim.intervention,
                "comparator": claim.comparator,
                "outcome": claim.outcome,
            },
            "strength": claim.strength.label,
            "cues": list(claim.strength.cues),
            "evidence": [
                {"study": s.id, "cited": cited, "direction": d} for s, cited, d, _ in self.links
            ],
            "grades": dict(self.grades),
            "supported_strength": self.support.label,
            "supported_wording": self.support.wording,
            "overclaim": self.overclaim,
            "reasons": list(self.reasons),
        }


@attrs.frozen
class ArticleCheck:
    """What checking an article found: the article, its references and drafted studies, the
    claims checked, the findings of the citation audit and conflicts of interest, and the draft
    evidence file (JSON data, valid)."""

    source: str
    title: str
    article: Article
    references: tuple[Reference, ...]
    studies: tuple[DraftStudy, ...]
    claims: tuple[ClaimCheck, ...]
    findings: tuple[Finding, ...]
    draft: Mapping[str, Any] = attrs.field(hash=False)
    schemes: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()

    def article_view(self, report: Report | None = None) -> ArticleView:
        """The checked article as the HTML report shows it (``render_html(report,
        article=...)``); ``report``, the grades of :attr:`draft` being shown, gives each claim
        the grade the page's summary of findings shows (see :mod:`evigrade.article.view`)."""
        from .view import article_view

        return article_view(self, report)

    def summary(self) -> dict[str, Any]:
        """Claims by GRADE certainty, overclaims, findings by kind."""
        certainty = collections.Counter(
            str(c.grades.get("grade", {}).get("label", "not graded")) for c in self.claims
        )
        strengths = collections.Counter(c.claim.strength.label for c in self.claims)
        kinds = collections.Counter(f.kind for f in self.findings)
        return {
            "claims": len(self.claims),
            "by_certainty": dict(sorted(certainty.items())),
            "by_strength": dict(sorted(strengths.items())),
            "overclaims": sum(c.overclaim for c in self.claims),
            "references": len(self.references),
            "studies": len(self.studies),
            "findings": dict(sorted(kinds.items())),
        }

    def to_data(self) -> dict[str, Any]:
        study_of: dict[str, list[DraftStudy]] = {}
        for study in self.studies:
            if study.reference and study.reference.kind != "reported-in":
                study_of.setdefault(study.reference.id, []).append(study)
        return {
            "source": self.source,
            "title": self.title,
            "schemes": list(self.schemes),
            "publishers": list(self.publishers),
            "claims": [c.to_data() for c in self.claims],
            "references": [_reference_data(r, study_of.get(r.id, [])) for r in self.references],
            "studies": [
                {
                    "id": s.id,
                    "reference": s.reference.id if s.reference else None,
                    "design": s.design,
                    "n": s.n,
                    "design_told": s.told,
                }
                for s in self.studies
                if s.reference is None or s.reference.kind == "reported-in"
            ],
            "findings": [f.to_data() for f in self.findings],
            "summary": self.summary(),
            "sentences": [
                {"text": s.text, "paragraph": s.block, "heading": s.is_heading}
                for s in self.article.sentences
            ],
            "draft": dict(self.draft),
        }


def _study_species(study: DraftStudy) -> str | None:
    if study.design in ("expert-opinion", "narrative-review", "mechanistic", "guideline"):
        return None
    return study.species or "human"


def _reference_data(reference: Reference, studies: Sequence[DraftStudy]) -> dict[str, Any]:
    """A reference and its drafted study; a reference drafted as two (its animal experiments
    and its data in people) gives the first in the top-level keys and both under ``parts``."""
    study = studies[0] if studies else None
    data = {
        "id": reference.id,
        "text": reference.text,
        "listed": reference.listed,
        "kind": reference.kind,
        "authors": list(reference.authors),
        "year": reference.year,
        "title": reference.title or None,
        "journal": reference.journal or None,
        "doi": reference.doi,
        "pmid": reference.pmid,
        "nct": reference.nct,
        "url": reference.url,
        "study": study.id if study else None,
        "design": (study.design if study.certain or study.design != "narrative-review" else None)
        if study
        else None,
        "drafted_design": study.design if study else None,
        "design_told": study.told if study else "neither listed nor described: no study drafted",
        "design_certain": study.certain if study else False,
        "n": study.n if study else None,
        "species": _study_species(study) if study else None,
    }
    if len(studies) > 1:
        data["parts"] = [
            {
                "part": s.part,
                "study": s.id,
                "design": s.design,
                "n": s.n,
                "species": _study_species(s),
                "population": s.population,
                "design_told": s.told,
            }
            for s in studies
        ]
    return data


def _direction(claim: FoundClaim, study: DraftStudy) -> str:
    """What the study found for this claim, as the article reports it."""
    if study.design == "protocol" or study.status in ("ongoing", "planned"):
        return "inconclusive"
    if not study.results:
        return "supports"
    reported = [r for r in study.results if _effect_words(r.clause)]
    if reported and all(r.null for r in reported):
        return "inconclusive"
    words = content_words(claim.text)
    best = max(study.results, key=lambda r: (len(words & content_words(r.clause)), not r.null))
    if best.null and words & content_words(best.clause):
        return "inconclusive"
    return "supports"


def _effect_words(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:found|reported|showed|noted|experienced|improv\w*|reduc\w*|differen\w*|change|"
            r"effect|benefit\w*|results?|significant\w*|decreas\w*|increas\w*)\b",
            text,
            re.I,
        )
    )


def _links(
    claim: FoundClaim, studies: Sequence[DraftStudy]
) -> list[tuple[DraftStudy, bool, str, str]]:
    links: list[tuple[DraftStudy, bool, str, str]] = []
    seen: set[str] = set()
    for ref_id in claim.citations:
        for study in studies:
            if study.reference is None or study.reference.id != ref_id:
                continue
            if study.reference.kind == "reported-in" or study.id in seen:
                continue
            if study.part == "human" and claim.species != "human":
                continue  # a claim about animals: the reference's animal experiments only
            seen.add(study.id)
            links.append((study, True, _direction(claim, study), f"the sentence cites {ref_id}"))
    for study in studies:
        if study.id in seen or claim.sentence not in study.described_in:
            continue
        if study.part == "human" and claim.species != "human":
            continue
        seen.add(study.id)
        why = (
            f"the article describes {study.id} in this passage; the sentence cites no source for it"
        )
        links.append((study, False, _direction(claim, study), why))
    return links


def _unique(ids: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for base in ids:
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def check_article(
    text: str | bytes,
    *,
    name: str = "",
    kind: str = "auto",
    schemes: Sequence[str] | None = None,
    publisher: Sequence[str] = (),
    scorer: str | None = None,
    claims_extractor: str | None = None,
    references_extractor: str | None = None,
    registry: Registry,
) -> ArticleCheck:
    """Check an article given as its text (plain text, Markdown or HTML; ``kind`` or ``name``'s
    suffix says which, else it is detected). ``schemes`` are the grading schemes to report
    (default: every installed one); ``publisher`` names who publishes the article, when the
    article does not say it; ``scorer`` and the extractors choose registered ones by name."""
    score = registry.scorer(scorer or DEFAULT).score
    article = read_article(text, name=name, kind=kind)
    references = list(
        registry.extractor("references", references_extractor or DEFAULT).extract(article)
    )
    reference_blocks = frozenset(r.block for r in references if r.block is not None)
    body = [s.text for s in article.sentences if s.block not in reference_blocks]
    numbered = numbered_style(body) or not references

    def citations_of(refs: Sequence[Reference]) -> list[tuple[Citation, ...]]:
        return [
            () if s.block in reference_blocks else find_citations(s.text, refs, numbered=numbered)
            for s in article.sentences
        ]

    citations = citations_of(references)
    known = {r.id for r in references}
    missing = sorted(
        {i for c in citations for i in cited_ids(c)} - known, key=lambda i: (len(i), i)
    )
    if missing:
        references += [unlisted(i) for i in missing]
        citations = citations_of(references)
    texts = [strip_citations(s.text, c) for s, c in zip(article.sentences, citations, strict=True)]
    studies = draft_studies(
        article, texts, citations, references, reference_blocks=reference_blocks
    )
    reading = Reading(
        article=article,
        references=tuple(references),
        citations=tuple(citations),
        texts=tuple(texts),
        described=frozenset(i for s in studies for i in s.described_in),
        reference_blocks=reference_blocks,
        score=score,
    )
    found: tuple[FoundClaim, ...] = tuple(
        registry.extractor("claims", claims_extractor or DEFAULT).extract(reading)
    )
    ids = _unique([slug(c.text) for c in found])
    links = [_links(c, studies) for c in found]
    designs = registry.designs
    linked = {s.id for group in links for s, *_ in group}
    kept = [
        s
        for s in studies
        if s.reference is None or s.reference.listed or s.id in linked or s.described_in
    ]
    publishers = publishers_of(article, references, publisher)
    source: dict[str, Any] = {"title": article.title, "kind": "article"} if article.title else {}
    if publishers:
        source["publisher"] = publishers[0]
    data = draft_data(
        article.title,
        source,
        [study_data(s, designs[s.design].needs_participants) for s in kept],
        [claim_data(i, c, group) for i, c, group in zip(ids, found, links, strict=True)],
    )
    problems = validate_data(data, designs=designs)
    if problems:
        raise RuntimeError(
            "the drafted evidence file is not valid (a bug in the checker): "
            + "; ".join(str(p) for p in problems[:5])
        )
    evidence = from_data(data, designs=designs, validate=False)
    shown = tuple(schemes) if schemes else tuple(registry.schemes)
    names = tuple(dict.fromkeys([*shown, *(["grade"] if "grade" in registry.schemes else [])]))
    report = grade_file(evidence, names, registry=registry)
    graded = {c["id"]: c["grades"] for c in report_to_data(report)["claims"]}
    families = {d.id: d.family for d in designs.values()}
    in_humans = {d.id: d.in_humans for d in designs.values()}
    by_id = {s.id: s for s in studies}
    checked = []
    for claim_id, claim, group in zip(ids, found, links, strict=True):
        grades = graded.get(claim_id, {})
        support = supported(claim, grades.get("grade"), by_id, families, in_humans)
        negated = any(n.startswith("negated") for n in claim.strength.notes)
        background = claim.intervention is None
        overclaim = claim.strength.level > support.level and not negated and not background
        reasons = list(support.reasons)
        if background:
            reasons.insert(
                0,
                "a statement about the condition, not about an intervention: its wording is "
                "not judged against the evidence",
            )
        if overclaim:
            reasons.insert(
                0,
                f"worded as {claim.strength.label} ({', '.join(claim.strength.cues)}); the "
                f"evidence supports {support.label}: {support.wording!r}",
            )
        elif negated:
            reasons.insert(0, "states that there is no effect or harm: not an overclaim of one")
        checked.append(
            ClaimCheck(
                claim_id,
                claim,
                tuple(group),
                {k: v for k, v in grades.items() if k in shown},
                support,
                overclaim,
                tuple(reasons),
            )
        )
    findings = audit_citations(
        article,
        [(c.id, c.claim, [(s, cited, d) for s, cited, d, _ in c.links]) for c in checked],
        references,
        publishers,
        texts,
        any(citations),
    )
    from .claims import find_topic

    main = find_topic(article).main
    findings += conflicts_of_interest(article, publishers, main, reference_blocks)
    return ArticleCheck(
        source=name or "<text>",
        title=article.title,
        article=article,
        references=tuple(references),
        studies=tuple(studies),
        claims=tuple(checked),
        findings=tuple(findings),
        draft=data,
        schemes=shown,
        publishers=tuple(publishers),
    )
