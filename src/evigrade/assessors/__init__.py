"""Assessors: rules that judge one GRADE domain for a body of evidence.

An assessor receives a :class:`Body` (a claim and some of the studies cited for it, each joined
to its design) and returns a :class:`~evigrade.model.Judgment` for its domain. Assessors are
shared by every scheme: a scheme never re-derives "is this imprecise", it decides what the
judgment costs in its own levels.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ..designs import Design
from ..model import Claim, EvidenceLink, Judgment, Study

__all__ = ["Assessor", "Body", "EvidenceItem"]


@attrs.frozen
class EvidenceItem:
    """One evidence link joined to its study and the design it is graded as.

    ``design`` is the study's own design, except that a comparative design whose study has no
    control group is graded as a case series; ``reading`` then says why. ``included`` is the
    design of the studies a meta-analysis or systematic review combines (its ``of``).
    """

    link: EvidenceLink
    study: Study
    design: Design
    reading: str | None = None
    included: Design | None = None

    @property
    def id(self) -> str:
        return self.study.id

    @property
    def size(self) -> int | None:
        """Participants analysed for this claim: the link's ``n``, else the study's."""
        return self.link.n if self.link.n is not None else self.study.n

    @property
    def randomized(self) -> bool:
        """Randomized by design (a review: by its studies' design), or, for designs that may
        be either, by the study's word."""
        if self.included is not None and self.included.randomized is not None:
            return self.included.randomized
        if self.design.randomized is not None:
            return self.design.randomized
        return bool(self.study.randomized)


@attrs.frozen
class Body:
    """The claim and the evidence items an assessor is asked about, sorted by study id."""

    claim: Claim
    items: tuple[EvidenceItem, ...]
    #: The study ids of ``items``, in order (worked out once: every assessor asks for them).
    ids: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(item.study.id for item in self.items))


@attrs.frozen
class Assessor:
    """A named rule for one domain; ``assess`` must be deterministic and must not raise."""

    name: str
    domain: str
    assess: Callable[[Body], Judgment]
    description: str = ""
