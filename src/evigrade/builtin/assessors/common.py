"""What the built-in assessors share: the judgment they return, the control risk of a body, and
the wording of counts ("2 of 5 studies").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...kinds import Body, EvidenceItem
from ...model import Judgment

__all__ = [
    "SMALL_STUDY",
    "control_risk",
    "count",
    "judgment",
    "median",
    "names",
    "share",
    "short_follow_up",
]

#: A "small" study for publication-bias suspicion (evigrade rule).
SMALL_STUDY = 100

#: Follow-up below which harms that appear later are not seen (ICH E1: long-term use is
#: use for more than 6 months), in days.
_LONG_TERM_DAYS = 182.6

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


def control_risk(body: Body) -> tuple[float, str] | None:
    """The outcome's risk without the intervention, and where it comes from: the claim's
    ``control_risk``, else the median control-group risk of the studies with event counts
    (evigrade rule: arms taken as equal; the median study's, a property of the population that
    does not move when one study grows; studies without control events say nothing of it)."""
    if body.claim.control_risk is not None:
        return body.claim.control_risk, "the claim's control risk"
    risks = []
    for item in body.items:
        events, size = item.link.events, item.size
        if events is not None and size and 0 < events.control < size / 2:
            risks.append(events.control / (size / 2))
    if not risks:
        return None
    return median(risks), "median control-group risk of the studies with event counts"


def names(items: Iterable[EvidenceItem]) -> str:
    return ", ".join(sorted(item.id for item in items))


def share(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> float:
    """The share of a body's studies in ``subset``. Studies count equally (evigrade rule):
    weights in a meta-analysis come from precision, which files rarely give; sample size
    enters through imprecision instead, so a larger study never makes a body look worse."""
    return len(subset) / len(items) if items else 0.0


def count(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> str:
    return f"{len(subset)} of {len(items)} {'study' if len(items) == 1 else 'studies'}"


def _days(duration: str) -> float | None:
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?", duration)
    if match is None:
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return years * 365.25 + months * 30.44 + weeks * 7 + days


def short_follow_up(items: tuple[EvidenceItem, ...]) -> list[str] | None:
    """The durations when every study records one shorter than 6 months (ICH E1), else None."""
    durations = [item.study.duration for item in items]
    if not durations or any(d is None for d in durations):
        return None
    days = [_days(d) for d in durations if d is not None]
    if any(d is None or d >= _LONG_TERM_DAYS for d in days):
        return None
    return sorted({d for d in durations if d is not None})
