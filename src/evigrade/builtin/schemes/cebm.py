"""Oxford CEBM 2011 Levels of Evidence, "Does this intervention help?" (and the harms row for
claims whose ``outcome_kind`` is ``safety``).

The level is read off the best available design. The table's footnote lets a level be graded
down for study quality, imprecision, indirectness or inconsistency and up for a large effect
without saying by how much: evigrade moves one level each way, and never grades an empirical
study in people down to Level 5, which the table reserves for mechanism-based reasoning.
"""

from __future__ import annotations

from collections.abc import Callable

from ...domains import DOMAINS
from ...grading import Assessment, finish_grade, no_evidence
from ...hookspecs import hookimpl
from ...kinds import NO_EVIDENCE, EvidenceItem, Scheme
from ...model import Grade, RationaleStep, StudyNote

__all__ = ["HARMS_MINIMUM", "LABELS", "SCHEME", "grade", "level_of"]

LABELS = (NO_EVIDENCE, "Level 5", "Level 4", "Level 3", "Level 2", "Level 1")

#: Participants a cohort needs to stay at Level 3 for harms: with no event among 300, the
#: upper 95% bound of the risk is 1% (rule of three): the table's "sufficient numbers to rule
#: out a common harm".
HARMS_MINIMUM = 300

#: Domains the table's footnote names as reasons to grade a level down.
_FOOTNOTE_DOWN = ("risk_of_bias", "inconsistency", "indirectness", "imprecision")


def _label(level: int) -> str:
    return f"Level {level}"


def level_of(item: EvidenceItem, safety: bool) -> tuple[int | None, str]:
    """(level, why) of one study on the benefits row, or the harms row when ``safety``."""
    design, study = item.design, item.study
    if design.pools is not None:
        of = study.of or design.pools
        included = item.included
        if included is not None and included.family == "randomized":
            return 1, f"systematic review of {included.label.lower()}s"
        if safety and of == "case-control":
            return 1, "systematic review of case-control studies (harms row)"
        if included is not None and included.cebm_level is not None:
            return included.cebm_level, (
                f"review of {included.label.lower()}s: the level of its studies (evigrade rule)"
            )
        return None, f"review of {of}: no level in the table"
    if design.cebm_level is None:
        return None, f"{design.label.lower()}: no level in the OCEBM 2011 table"
    if design.cebm_level == 3:
        if study.control == "historical":
            return 4, f"{design.label.lower()} with historical controls"
        if safety and (item.size is None or item.size < HARMS_MINIMUM):
            seen = (
                "participants not reported, so whether it could have seen a common harm (1 in "
                "100) is not shown"
                if item.size is None
                else f"{item.size} participants could miss a common harm (1 in 100) by the "
                "rule of three"
            )
            return 4, (
                f"harms row: {seen}; the table asks for sufficient numbers to rule one out, "
                f"{HARMS_MINIMUM} participants (evigrade rule)"
            )
    return design.cebm_level, design.label.lower()


def grade(assessment: Assessment) -> Grade:
    """The OCEBM 2011 level of the evidence for one claim."""
    safety = assessment.claim.effective_outcome_kind == "safety"
    leveled: list[tuple[int, str, EvidenceItem]] = []
    left_out: list[StudyNote] = []
    for item in assessment.items:
        level, why = level_of(item, safety)
        if level is None:
            left_out.append(StudyNote(item.id, why))
        else:
            leveled.append((level, why, item))
    if not leveled:
        return no_evidence(
            "cebm-2011", assessment, left_out, "nothing cited has a level in the OCEBM 2011 table"
        )
    best = min(level for level, _, _ in leveled)
    best_items = tuple(item for level, _, item in leveled if level == best)
    ids = tuple(item.id for item in best_items)
    row = "harms" if safety else "benefits"
    steps = [
        RationaleStep(
            "level",
            f"best evidence, {row} row: Level {best}: "
            + "; ".join(f"{item.id}: {why}" for level, why, item in leveled if level == best),
            studies=ids,
        )
    ]
    level = best
    found = (assessment.judgment(best_items, domain) for domain in _FOOTNOTE_DOWN)
    concerns = [j for j in found if j is not None and DOMAINS[j.domain].change(j.rating) < 0]
    for judgment in concerns:
        steps.append(RationaleStep.from_judgment("check", judgment))
    if concerns:
        names = ", ".join(DOMAINS[j.domain].label.lower() for j in concerns)
        if best <= 3:
            level += 1
            steps.append(
                RationaleStep(
                    "down",
                    f"graded down one level for {names} (table footnote; one level: evigrade rule)",
                    change=-1,
                    studies=ids,
                )
            )
        else:
            steps.append(
                RationaleStep(
                    "note",
                    f"not graded down for {names}: Level {best} is already the lowest "
                    "level for this kind of study (evigrade rule)",
                    studies=ids,
                )
            )
    large = assessment.judgment(best_items, "large_effect")
    if large is not None and DOMAINS["large_effect"].change(large.rating) > 0 and level > 1:
        level -= 1
        steps.append(
            RationaleStep.from_judgment(
                "up", large, 1, reason=f"{large.reason}; graded up one level (table footnote)"
            )
        )
    others = sorted({lv for lv, _, _ in leveled if lv != best})
    if others:
        steps.append(
            RationaleStep(
                "note",
                "also cited: "
                + "; ".join(
                    f"Level {lv}: {', '.join(sorted(i.id for l2, _, i in leveled if l2 == lv))}"
                    for lv in others
                ),
            )
        )
    return finish_grade(
        assessment,
        "cebm-2011",
        _label(level),
        6 - level,
        steps,
        body=best_items,
        counted=(item for _, _, item in leveled),
        left_out=left_out,
    )


SCHEME = Scheme(
    name="cebm-2011",
    title="Oxford CEBM 2011 Levels of Evidence",
    labels=LABELS,
    grade=grade,
    description="Level 1 (systematic review of randomized trials) to Level 5 (mechanism-based "
    "reasoning), from the best available design; harms row for safety claims.",
    source="OCEBM Levels of Evidence Working Group. The Oxford 2011 Levels of Evidence.",
)


@hookimpl
def evigrade_register_schemes(register: Callable[[Scheme], None]) -> None:
    register(SCHEME)
