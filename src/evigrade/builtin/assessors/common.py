"""What the built-in assessors share: the judgment they return, the evigrade rules' numbers, and
the wording of counts ("2 of 5 studies").
"""

from __future__ import annotations

from collections.abc import Iterable

from ...kinds import EvidenceItem
from ...model import Judgment

__all__ = [
    "APPRECIABLE_RATIO",
    "APPRECIABLE_SMD",
    "DEFAULT_INFORMATION_SIZE",
    "SAFETY_INFORMATION_SIZE",
    "SMALL_STUDY",
    "count",
    "judgment",
    "median",
    "names",
    "share",
]

#: GRADE's rough guide to an appreciable benefit or harm on a ratio scale (RR 0.75 / 1.25).
APPRECIABLE_RATIO = (0.75, 1.25)
#: Appreciable standardized mean difference (evigrade rule: a moderate effect, 0.5 SD).
APPRECIABLE_SMD = 0.5
#: Information size when it cannot be computed from a control-group risk (GRADE rule of thumb).
DEFAULT_INFORMATION_SIZE = 400
#: Information size for harms: no event among 300 bounds a common (1 in 100) harm (rule of three).
SAFETY_INFORMATION_SIZE = 300
#: A "small" study for publication-bias suspicion (evigrade rule).
SMALL_STUDY = 100

_SERIOUS = ("not-serious", "serious", "very-serious", "extremely-serious")


def judgment(domain: str, level: int, reason: str, studies: Iterable[str], rule: str) -> Judgment:
    return Judgment(
        domain=domain,
        rating=_SERIOUS[level],
        reason=reason,
        studies=tuple(sorted(set(studies))),
        source="rule",
        rule=rule,
    )


def median(values: list[float]) -> float:
    """The median (statistics.median, imported when first needed: it is slow to import)."""
    import statistics

    return statistics.median(values)


def names(items: Iterable[EvidenceItem]) -> str:
    return ", ".join(sorted(item.id for item in items))


def share(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> float:
    """The share of a body's studies in ``subset``. Studies count equally (evigrade rule):
    weights in a meta-analysis come from precision, which files rarely give; sample size
    enters through imprecision instead, so a larger study never makes a body look worse."""
    return len(subset) / len(items) if items else 0.0


def count(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> str:
    return f"{len(subset)} of {len(items)} {'study' if len(items) == 1 else 'studies'}"
