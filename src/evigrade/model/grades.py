"""Judgments and grades: a GRADE domain's rating, the steps of a grade's reasoning, the notes on
studies a grade leaves out, and a claim's grade under one scheme (frozen attrs classes).

They are apart from the evidence model so that a plugin that grades (it imports these) does not
make the evidence classes, which only reading a file needs.
"""

from __future__ import annotations

from typing import Literal

import attrs

from .values import BodyDirection

__all__ = ["Grade", "Judgment", "RationaleStep", "StudyNote"]


@attrs.frozen
class Judgment:
    """A rating of one GRADE domain, with why, for which studies, and who made it.

    ``source`` is ``"reviewer"`` for judgments written in the evidence file and ``"rule"`` for
    automatic ones; ``rule`` then names the assessor rule that produced it.
    """

    domain: str
    rating: str
    reason: str | None = None
    studies: tuple[str, ...] = ()
    source: Literal["rule", "reviewer"] = "reviewer"
    rule: str | None = None


@attrs.frozen
class StudyNote:
    """A study left out of a grade, and why (pending protocol, not a level of evidence ...)."""

    study: str
    reason: str


@attrs.frozen
class RationaleStep:
    """One step of a grade's reasoning.

    ``kind`` is ``start`` (the starting level), ``down`` / ``up`` (a domain moving the level),
    ``level`` (a level read off a design), ``check`` (a domain looked at that moved nothing) or
    ``note``. ``source`` says where the judgment came from: an automatic ``rule``, a
    ``reviewer`` judgment in the file, or the ``scheme``'s own definition. ``domain``,
    ``rating`` and ``change`` (the levels moved) are given by keyword; a step that reports a
    domain's judgment is best made with :meth:`from_judgment`.
    """

    kind: Literal["start", "down", "up", "level", "check", "note"]
    domain: str | None = attrs.field(default=None, kw_only=True)
    rating: str | None = attrs.field(default=None, kw_only=True)
    change: int = attrs.field(default=0, kw_only=True)
    reason: str
    studies: tuple[str, ...] = ()
    source: Literal["rule", "reviewer", "scheme"] = "scheme"
    rule: str | None = None

    @classmethod
    def from_judgment(
        cls,
        kind: Literal["start", "down", "up", "level", "check", "note"],
        judgment: Judgment,
        change: int = 0,
        *,
        reason: str | None = None,
        studies: tuple[str, ...] | None = None,
    ) -> RationaleStep:
        """The step that reports ``judgment``: its domain, rating, studies, source and rule,
        with its reason unless another is given."""
        return cls(
            kind,
            judgment.reason or "" if reason is None else reason,
            studies=judgment.studies if studies is None else studies,
            source=judgment.source,
            rule=judgment.rule,
            domain=judgment.domain,
            rating=judgment.rating,
            change=change,
        )


@attrs.frozen
class Grade:
    """A claim's grade under one scheme, with the direction of its evidence and the reasons."""

    scheme: str
    label: str
    rank: int
    direction: BodyDirection
    rationale: tuple[RationaleStep, ...] = ()
    counted: tuple[str, ...] = ()
    pending: tuple[StudyNote, ...] = ()
    excluded: tuple[StudyNote, ...] = ()
