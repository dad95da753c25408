"""Publication bias: a body of small, industry-funded studies (Core GRADE 4)."""

from __future__ import annotations

from ...kinds import Body
from ...model import Judgment
from .common import SMALL_STUDY, judgment

__all__ = ["assess_publication_bias"]


def assess_publication_bias(body: Body) -> Judgment:
    """Suspect publication bias when the whole body is small, industry-funded studies
    (Core GRADE 4); funnel-plot tests need about ten studies and are not attempted."""
    items = body.items
    small = all(i.size is not None and i.size < SMALL_STUDY for i in items)
    industry = all(i.study.funding == "industry" for i in items)
    if items and small and industry:
        return judgment(
            "publication_bias",
            1,
            f"all studies are small (< {SMALL_STUDY}) and industry-funded: publication bias likely",
            body.ids,
            "publication_bias.small-industry",
        )
    return judgment(
        "publication_bias",
        0,
        "not suspected: the body is not all small industry-funded studies",
        body.ids,
        "publication_bias.small-industry",
    )
