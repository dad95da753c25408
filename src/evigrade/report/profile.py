"""The evidence profile: for each claim, every domain the grade looked at, its judgment, what it
did to the grade, why, for which studies, and who judged it (GRADEpro's evidence profile, one
table per claim)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ..domains import DOMAINS
from .labels import anchor, main_grade, main_scheme

if TYPE_CHECKING:
    from ..grading import Report
    from ..model import Grade, RationaleStep

__all__ = ["ClaimProfile", "DomainRow", "profiles"]


@attrs.frozen
class DomainRow:
    """One domain's judgment within a claim's grade."""

    domain: str
    label: str
    rating: str
    effect: str
    reason: str
    studies: tuple[str, ...]
    made_by: str


@attrs.frozen
class ClaimProfile:
    """A claim's evidence profile under one scheme: where it started, each domain, where it
    ended. ``rows`` is empty when the scheme's rationale judges no domain."""

    claim_id: str
    anchor: str
    text: str
    scheme: str
    start: str
    rows: tuple[DomainRow, ...]
    label: str
    direction: str


def _effect(step: RationaleStep) -> str:
    if step.kind == "note":
        return "not judged"
    if not step.change:
        return "no change"
    levels = "level" if abs(step.change) == 1 else "levels"
    way = "down" if step.change < 0 else "up"
    return f"rated {way} {abs(step.change)} {levels}"


def _made_by(step: RationaleStep) -> str:
    if step.source == "rule":
        return f"rule {step.rule}" if step.rule else "rule"
    return "reviewer" if step.source == "reviewer" else "scheme"


def _row(step: RationaleStep) -> DomainRow:
    domain = step.domain or ""
    known = DOMAINS.get(domain)
    rating = (step.rating or "no judgment").replace("-", " ")
    return DomainRow(
        domain=domain,
        label=known.label if known else domain.replace("_", " ").capitalize(),
        rating=rating,
        effect=_effect(step),
        reason=step.reason,
        studies=step.studies,
        made_by=_made_by(step),
    )


def _profile(claim_id: str, text: str, grade: Grade) -> ClaimProfile:
    start = next((s.reason for s in grade.rationale if s.kind in ("start", "level")), "")
    rows = tuple(_row(step) for step in grade.rationale if step.domain is not None)
    return ClaimProfile(
        claim_id,
        anchor("profile", claim_id),
        text,
        grade.scheme,
        start,
        rows,
        grade.label,
        grade.direction,
    )


def profiles(report: Report) -> tuple[ClaimProfile, ...]:
    """Each claim's profile under the report's main scheme (GRADE when graded), in file order;
    claims whose grade failed are left out."""
    if main_scheme(report) is None:
        return ()
    found = []
    for result in report.results:
        grade = main_grade(report, result)
        if grade is not None:
            found.append(_profile(result.claim.id, result.claim.text, grade))
    return tuple(found)
