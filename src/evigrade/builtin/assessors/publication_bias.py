"""Publication bias: a body of small, industry-funded studies (Core GRADE 4), said to be not
assessed where the file does not record the funding or size that would show it.
"""

from __future__ import annotations

from ...kinds import Body
from ...model import Judgment
from .common import SMALL_STUDY, judgment, names

__all__ = ["assess_publication_bias"]

_RULE = "publication_bias.small-industry"
_UNTESTED = (
    "funnel-plot tests need about ten studies and are not attempted; a reviewer can judge it"
)


def assess_publication_bias(body: Body) -> Judgment:
    """Suspect publication bias when the whole body is small, industry-funded studies
    (Core GRADE 4); funnel-plot tests need about ten studies and are not attempted."""
    items = body.items
    small = [i for i in items if i.size is not None and i.size < SMALL_STUDY]
    industry = [i for i in items if i.study.funding == "industry"]
    if items and len(small) == len(items) and len(industry) == len(items):
        return judgment(
            "publication_bias",
            1,
            f"all studies are small (< {SMALL_STUDY}) and industry-funded: publication bias "
            "suspected (Core GRADE 4)",
            body.ids,
            _RULE,
        )
    large = [i for i in items if i.size is not None and i.size >= SMALL_STUDY]
    other = [i for i in items if i.study.funding in ("public", "mixed", "none")]
    if large or other:
        parts = []
        if large:
            parts.append(f"not all small (< {SMALL_STUDY}): {names(large)}")
        if other:
            parts.append(f"not all industry-funded: {names(other)}")
        reason = f"not suspected from the body's size and funding ({'; '.join(parts)}); {_UNTESTED}"
        return judgment("publication_bias", 0, reason, body.ids, _RULE)
    missing = []
    unfunded = [i for i in items if i.study.funding in (None, "unknown")]
    unsized = [i for i in items if i.size is None]
    if unfunded:
        missing.append(f"funding not recorded for {names(unfunded)}")
    if unsized:
        missing.append(f"size not recorded for {names(unsized)}")
    reason = (
        f"not assessed: {'; '.join(missing)}, so whether the body is all small industry-funded "
        f"studies (Core GRADE 4) cannot be told; not rated down; {_UNTESTED}"
    )
    return judgment("publication_bias", 0, reason, body.ids, _RULE)
