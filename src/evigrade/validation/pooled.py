"""The semantic rules of pooled results: the keys that describe the studies a review pools
(``included_studies``, ``included_risk_of_bias``, ``effect.heterogeneity``) belong to a
synthesis design and agree with each other, and a link that does not address its claim carries
no result."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..problems import Problem
from .hints import show

if TYPE_CHECKING:
    from ..kinds import Designs

__all__ = ["pooled_link_problems", "pooled_study_problems"]


def _pools(designs: Designs, design_id: Any) -> bool:
    """Whether ``design_id`` names a synthesis of other studies (a meta-analysis or review)."""
    design = designs.get(design_id) if isinstance(design_id, str) else None
    return design is not None and design.is_synthesis


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _counted(counts: Any) -> int | None:
    """The studies an ``included_risk_of_bias`` object counts (None if it is not an object)."""
    if not isinstance(counts, dict):
        return None
    return sum(
        _count(counts.get(key)) or 0
        for key in ("low", "some_concerns", "high", "critical", "unclear")
    )


def _risk_count_problems(counts: Any, pooled: int | None, where: str) -> Iterator[Problem]:
    counted = _counted(counts)
    if counted is None:
        return
    if counted == 0:
        yield Problem(
            "expected at least one included study counted at some risk of bias, found none",
            pointer=where,
            kind="semantic",
            keyword="included-risk-of-bias-count",
        )
    elif pooled is not None and counted > pooled:
        yield Problem(
            f"expected at most the {pooled} included studies counted, found {counted}",
            pointer=where,
            kind="semantic",
            keyword="included-risk-of-bias-count",
        )


def pooled_study_problems(
    study: dict[str, Any], where: str, design_id: str, designs: Designs
) -> Iterator[Problem]:
    """``included_studies`` and ``included_risk_of_bias`` belong to reviews, and agree."""
    pools = _pools(designs, design_id)
    for key in ("included_studies", "included_risk_of_bias"):
        if key in study and not pools:
            yield Problem(
                f"'{key}' describes the studies a review pools: expected a meta-analysis or "
                f"systematic review, found design {design_id!r}",
                pointer=f"{where}/{key}",
                kind="semantic",
                keyword="pooled-design",
            )
    if pools:
        yield from _risk_count_problems(
            study.get("included_risk_of_bias"),
            _count(study.get("included_studies")),
            f"{where}/included_risk_of_bias",
        )


def pooled_link_problems(
    link: dict[str, Any], where: str, study: dict[str, Any] | None, designs: Designs
) -> Iterator[Problem]:
    """Pooled-result keys on a link: a review's study, counts that agree, and a link that says
    it does not address the claim carries no result."""
    if link.get("addresses") is False:
        carried = [k for k in ("effect", "events", "dose_response") if k in link]
        if carried:
            yield Problem(
                f"a study that reports nothing on the claim (addresses false) has no result: "
                f"expected no {', '.join(carried)}",
                pointer=f"{where}/{carried[0]}",
                kind="semantic",
                keyword="addresses-false",
            )
        if link.get("direction") not in (None, "inconclusive"):
            yield Problem(
                "a study that reports nothing on the claim (addresses false): expected "
                f'direction "inconclusive", found {show(link.get("direction"))}',
                pointer=f"{where}/direction",
                kind="semantic",
                keyword="addresses-false",
            )
    effect = link.get("effect")
    heterogeneity = isinstance(effect, dict) and "heterogeneity" in effect
    keys: list[str] = [k for k in ("included_studies", "included_risk_of_bias") if k in link]
    if heterogeneity:
        keys.append("effect/heterogeneity")
    if study is None or not keys:
        return
    design_id = study.get("design")
    if not _pools(designs, design_id):
        for key in keys:
            yield Problem(
                f"'{key.rsplit('/', 1)[-1]}' describes a pooled result: expected a link to a "
                f"meta-analysis or systematic review, found design {design_id!r}",
                pointer=f"{where}/{key}",
                kind="semantic",
                keyword="pooled-design",
            )
        return
    of_study = _count(study.get("included_studies"))
    own = _count(link.get("included_studies"))
    if own is not None and of_study is not None and own > of_study:
        yield Problem(
            f"expected at most the review's {of_study} included studies for this outcome, "
            f"found included_studies = {own}",
            pointer=f"{where}/included_studies",
            kind="semantic",
            keyword="included-studies-n",
        )
    pooled = own if own is not None else of_study
    if heterogeneity and pooled == 1:
        yield Problem(
            "heterogeneity needs two or more pooled studies: expected no heterogeneity for a "
            "result of 1 included study",
            pointer=f"{where}/effect/heterogeneity",
            kind="semantic",
            keyword="heterogeneity-single",
        )
    yield from _risk_count_problems(
        link.get("included_risk_of_bias"), pooled, f"{where}/included_risk_of_bias"
    )
