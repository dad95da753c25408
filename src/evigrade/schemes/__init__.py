"""Grading schemes: judgments and designs in, a :class:`~evigrade.model.Grade` out.

A scheme declares its labels in order of rank, ``labels[rank] == grade.label``, rank 0 being
the scheme's "no evidence" state. Its ``grade`` function receives an
:class:`evigrade.grading.Assessment` and must return the same grade for the same input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from ..model import Grade, RationaleStep, StudyNote

if TYPE_CHECKING:
    from ..grading import Assessment

__all__ = ["NO_EVIDENCE", "Scheme", "left_out_steps", "no_evidence"]

#: The label of rank 0 in every built-in scheme.
NO_EVIDENCE = "No evidence"


@attrs.frozen
class Scheme:
    """A named grading scheme."""

    name: str
    title: str
    labels: tuple[str, ...]
    grade: Callable[[Assessment], Grade]
    description: str = ""
    source: str = ""

    def rank_of(self, label: str) -> int:
        """The rank of ``label`` in this scheme; ``ValueError`` if it is not one of its labels."""
        return self.labels.index(label)


def left_out_steps(assessment: Assessment, extra: Iterable[StudyNote] = ()) -> list[RationaleStep]:
    """Rationale notes for the studies a scheme did not count: pending, then excluded."""
    steps = []
    for note in assessment.pending:
        steps.append(RationaleStep("note", f"pending: {note.reason}", studies=(note.study,)))
    for note in sorted((*assessment.excluded, *extra), key=lambda n: n.study):
        steps.append(RationaleStep("note", f"not counted: {note.reason}", studies=(note.study,)))
    return steps


def no_evidence(
    scheme: str, assessment: Assessment, excluded: Iterable[StudyNote] = (), why: str = ""
) -> Grade:
    """The rank-0 grade: nothing this scheme can grade was cited."""
    excluded = tuple(sorted((*assessment.excluded, *excluded), key=lambda n: n.study))
    if not assessment.claim.evidence:
        reason = "no evidence is cited for this claim"
    elif assessment.pending and not excluded and not assessment.items:
        reason = "only pending studies are cited: nothing has results yet"
    else:
        reason = why or "nothing cited is evidence this scheme can grade"
    extra = [n for n in excluded if n not in assessment.excluded]
    steps = (RationaleStep("start", reason), *left_out_steps(assessment, extra))
    return Grade(scheme, NO_EVIDENCE, 0, "none", steps, (), assessment.pending, excluded)
