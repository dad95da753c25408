"""The evidence map: claims down, studies across, each cited study's cell giving its design tier
(the evidence pyramid's, docs/schemes.md) and the direction of its result, so that a reader
sees at once which claims rest on trials and which on mice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from .labels import DIRECTIONS, Direction, anchor

if TYPE_CHECKING:
    from ..kinds import Design, Registry
    from ..model import EvidenceFile, Study

__all__ = [
    "TIER_COLOURS",
    "TIER_NAMES",
    "EvidenceMap",
    "MapCell",
    "MapRow",
    "MapStudy",
    "evidence_map",
]

#: A short name for each tier of the evidence pyramid (evigrade.designs.PYRAMID_TIERS).
TIER_NAMES: Mapping[int, str] = {
    8: "SR/MA",
    7: "RCT",
    6: "Cohort/NRS",
    5: "Observ.",
    4: "Case series",
    3: "Opinion",
    2: "Animal/lab",
    1: "Anecdote",
}

#: (fill, text) colours of a cell by tier, one blue ramp from strong to weak (0: no tier); the
#: tier's name is always written in the cell, so the colour only repeats it.
TIER_COLOURS: Mapping[int, tuple[str, str]] = {
    8: ("#08306b", "#ffffff"),
    7: ("#08306b", "#ffffff"),
    6: ("#2171b5", "#ffffff"),
    5: ("#2171b5", "#ffffff"),
    4: ("#6baed6", "#1b1b1b"),
    3: ("#c6dbef", "#1b1b1b"),
    2: ("#f2e6c9", "#1b1b1b"),
    1: ("#f0f0f0", "#1b1b1b"),
    0: ("#f0f0f0", "#1b1b1b"),
}


@attrs.frozen
class MapStudy:
    """A column of the map: a cited study, as graded."""

    id: str
    anchor: str
    tier: int | None
    short: str
    design: str


@attrs.frozen
class MapCell:
    """A claim citing a study: the study's tier and the direction of its result."""

    study: MapStudy
    direction: Direction
    status: str
    label: str


@attrs.frozen
class MapRow:
    claim_id: str
    anchor: str
    text: str
    strongest: str
    cells: tuple[MapCell | None, ...]


@attrs.frozen
class EvidenceMap:
    studies: tuple[MapStudy, ...]
    rows: tuple[MapRow, ...]

    @property
    def cited(self) -> int:
        """Cells with a citation: one per evidence link to a study in the file."""
        return sum(cell is not None for row in self.rows for cell in row.cells)


def _short(design: Design | None, study: Study) -> str:
    if design is None:
        return "Unknown"
    if design.pyramid_tier is None:
        return design.label.split(" (")[0]
    if design.pyramid_tier == 2:
        if design.id == "in-vitro":
            return "Lab"
        return study.effective_species.capitalize() if study.species else "Animal"
    return TIER_NAMES.get(design.pyramid_tier, str(design.pyramid_tier))


def _graded_designs(evidence: EvidenceFile, registry: Registry) -> dict[str, Design]:
    """Each study's design as graded (a cohort without controls as a case series)."""
    from ..grading import assess

    graded: dict[str, Design] = {}
    for claim in evidence.claims:
        for item in assess(claim, evidence, registry).items:
            graded.setdefault(item.id, item.design)
    return graded


def _study(study: Study, design: Design | None, declared: Design | None) -> MapStudy:
    label = design.label if design is not None else f"unknown design {study.design!r}"
    if declared is not None and design is not None and declared.id != design.id:
        label = f"{declared.label}, graded as {design.label.lower()}"
    if study.species and study.effective_species != "human":
        label = f"{label} ({study.effective_species})"
    tier = design.pyramid_tier if design is not None else None
    return MapStudy(study.id, anchor("study", study.id), tier, _short(design, study), label)


def _status(study: Study, design: Design | None) -> str:
    if design is not None and not design.has_results:
        return "no results yet"
    if study.effective_status in ("ongoing", "planned"):
        return f"{study.effective_status}: no results yet"
    if study.effective_status != "completed":
        return f"{study.effective_status}: not graded"
    return ""


def evidence_map(evidence: EvidenceFile, registry: Registry) -> EvidenceMap:
    """The map of a file: studies cited by any claim, strongest tier first (then by id);
    claims in file order."""
    by_id = {study.id: study for study in evidence.studies}
    graded = _graded_designs(evidence, registry)
    cited = {link.study for claim in evidence.claims for link in claim.evidence}
    columns = []
    for study_id in sorted(cited & set(by_id)):
        study = by_id[study_id]
        declared = registry.designs.get(study.design)
        columns.append(_study(study, graded.get(study_id, declared), declared))
    columns.sort(key=lambda s: (-(s.tier or 0), s.id))
    rows = []
    for claim in evidence.claims:
        links = {link.study: link for link in claim.evidence}
        cells: list[MapCell | None] = []
        for column in columns:
            link = links.get(column.id)
            if link is None:
                cells.append(None)
                continue
            study = by_id[column.id]
            status = _status(study, registry.designs.get(study.design))
            direction = DIRECTIONS[link.direction]
            tier = f"tier {column.tier}" if column.tier is not None else "no tier"
            note = f", {status}" if status else ""
            label = f"{column.id}: {column.design} ({tier}), {direction.word}{note}"
            cells.append(MapCell(column, direction, status, label))
        counted = [c for c in cells if c is not None and not c.status]
        if counted:
            best = max(counted, key=lambda c: c.study.tier or 0)
            tier = f"tier {best.study.tier}" if best.study.tier is not None else "no tier"
            strongest = f"{best.study.short} ({tier})"
        elif any(cells):
            strongest = "no results yet"
        else:
            strongest = "nothing cited"
        rows.append(
            MapRow(claim.id, anchor("claim", claim.id), claim.text, strongest, tuple(cells))
        )
    return EvidenceMap(tuple(columns), tuple(rows))
