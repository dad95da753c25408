"""Hypothesis strategies for valid evidence files, as plain JSON data (dicts and lists).

Every strategy here generates data that satisfies the published JSON Schema *and* the semantic
rules of :mod:`evigrade.validation`: unique slug ids, links that cite existing studies (at most
one link per study per claim), designs from the built-in taxonomy, ``n`` where the design has
participants (a case report has one), ``randomized`` and ``of`` only where the design allows
them, ratio effects above zero, ``ci_low <= estimate <= ci_high``, a link's ``n`` and event
counts within the study's size, and a reason for every non-neutral reviewer judgment.

The strategies compose: ``study(design="rct")``, ``studies()``, ``effects(measure="RR")``,
``evidence_links(sizes)``, ``claims(sizes)``, ``judgments()`` and ``evidence_files()``. Where a
strategy needs the studies a link may cite, it takes either a list of study ids (sizes unknown)
or a mapping of study id to the study's ``n`` (``None`` when unknown), which keeps link sizes and
event counts consistent with the study. Examples are kept small so that property tests are fast.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from evigrade.designs import BUILTIN_DESIGNS, Design
from evigrade.domains import DOMAINS

__all__ = [
    "BLINDINGS",
    "CONTROLS",
    "DESIGNS",
    "DIRECTIONS",
    "FUNDINGS",
    "MEASURES",
    "RATIO_MEASURES",
    "STATUSES",
    "Sizes",
    "claim",
    "claims",
    "effects",
    "events",
    "evidence_files",
    "evidence_link",
    "evidence_links",
    "extensions",
    "json_values",
    "judgment",
    "judgments",
    "risk_of_bias",
    "slugs",
    "source",
    "studies",
    "study",
]

#: The built-in designs by id.
DESIGNS: dict[str, Design] = {design.id: design for design in BUILTIN_DESIGNS}

MEASURES = ("RR", "OR", "HR", "RD", "MD", "SMD")
RATIO_MEASURES = frozenset({"RR", "OR", "HR"})
DIRECTIONS = ("supports", "contradicts", "inconclusive", "mixed")
BLINDINGS = ("none", "single", "double", "triple", "unknown")
CONTROLS = ("none", "placebo", "active", "usual-care", "historical", "waitlist")
STATUSES = ("completed", "ongoing", "planned", "terminated", "retracted")
FUNDINGS = ("industry", "public", "mixed", "none", "unknown")
SOURCE_KINDS = ("article", "review", "guideline", "press-release", "social-post", "other")
OUTCOME_KINDS = ("patient-important", "surrogate", "mechanism", "safety")
OUTCOME_TYPES = ("continuous", "dichotomous", "time-to-event")
APPLICABILITY = ("direct", "indirect", "very-indirect")
SPECIES = ("human", "mouse", "rat", "dog", "rhesus macaque", "guinea-pig")

#: Judgment words of each risk-of-bias tool, for ``overall`` and for ``domains``.
ROB_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "rob2": (("low", "some-concerns", "high"), ("low", "some-concerns", "high")),
    "robins-i": (
        ("low", "moderate", "serious", "critical", "no-information"),
        ("low", "moderate", "serious", "critical", "no-information"),
    ),
    "syrcle": (("low", "some-concerns", "high", "unclear"), ("yes", "no", "unclear")),
    "quadas-2": (("low", "high", "unclear"), ("low", "high", "unclear")),
    "other": (("low", "some-concerns", "high", "unclear"), None),
}

#: Study ids and their ``n`` (``None`` when the study's size is unknown or not reported).
Sizes = Mapping[str, "int | None"]

_ALNUM = string.ascii_lowercase + string.digits
_MAX_N = 5000


# -- small pieces ------------------------------------------------------------------------------


def slugs(max_parts: int = 3) -> st.SearchStrategy[str]:
    """Slugs: lower-case letters and digits, with single ``.``, ``_`` or ``-`` between parts."""
    part = st.text(_ALNUM, min_size=1, max_size=6)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        parts = draw(st.lists(part, min_size=1, max_size=max_parts))
        result = parts[0]
        for piece in parts[1:]:
            result += draw(st.sampled_from(".-_")) + piece
        return result

    return build()


def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Any JSON value (finite numbers only)."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**53), max_value=2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=10)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3),
        max_leaves=max_leaves,
    )


def extensions(max_size: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    """``x-`` extension keys (any text after the prefix) with arbitrary JSON values."""
    keys = st.text(max_size=8).map(lambda suffix: f"x-{suffix}")
    return st.dictionaries(keys, json_values(), max_size=max_size)


def _words(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=max_size)


def _digits(count: int) -> st.SearchStrategy[str]:
    return st.text(string.digits, min_size=count, max_size=count)


def urls() -> st.SearchStrategy[str]:
    """http(s) URLs with no whitespace."""
    return st.builds(
        lambda scheme, host, path: f"{scheme}://{host}.org/{path}",
        st.sampled_from(("http", "https")),
        st.text(_ALNUM, min_size=1, max_size=8),
        st.text(_ALNUM + "/-_.?=&%", max_size=12),
    )


def dois() -> st.SearchStrategy[str]:
    """DOIs such as ``10.1177/1352458520936226``."""
    return st.builds(
        lambda prefix, suffix: f"10.{prefix}/{suffix}",
        st.integers(min_value=4, max_value=9).flatmap(_digits),
        st.text(_ALNUM + "./-_()", min_size=1, max_size=16),
    )


def pmids() -> st.SearchStrategy[str]:
    """PubMed ids: 1 to 9 digits, no leading zero."""
    return st.integers(min_value=1, max_value=999_999_999).map(str)


def ncts() -> st.SearchStrategy[str]:
    """ClinicalTrials.gov ids such as ``NCT02513394``."""
    return _digits(8).map(lambda digits: f"NCT{digits}")


def durations() -> st.SearchStrategy[str]:
    """ISO 8601 durations: ``P6M``, ``P17W``, ``P1Y2M``, ``PT12H``, ``P3DT4H30M`` ..."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        number = st.integers(min_value=0, max_value=120)
        date = ""
        for unit in "YMWD":
            if draw(st.booleans()):
                date += f"{draw(number)}{unit}"
        time = ""
        if draw(st.booleans()) or not date:
            for unit in "HMS":
                if draw(st.booleans()) or (unit == "S" and not time):
                    time += f"{draw(number)}{unit}"
        return f"P{date}" + (f"T{time}" if time else "")

    return build()


def dates() -> st.SearchStrategy[str]:
    """ISO 8601 dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return st.dates().map(lambda day: day.isoformat()).flatmap(
        lambda text: st.sampled_from((text[:4], text[:7], text))
    )


def species() -> st.SearchStrategy[str]:
    """Lower-case common names."""
    return st.sampled_from(SPECIES)


def source() -> st.SearchStrategy[dict[str, Any]]:
    """The file's ``source``: the writing the claims come from (every key optional)."""
    return st.fixed_dictionaries(
        {},
        optional={
            "title": _words(),
            "url": urls(),
            "publisher": _words(),
            "published": dates(),
            "kind": st.sampled_from(SOURCE_KINDS),
        },
    ).flatmap(lambda base: extensions().map(lambda ext: {**base, **ext}))


def risk_of_bias(tool: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A risk-of-bias assessment in its tool's own words."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        name = tool if tool is not None else draw(st.sampled_from(sorted(ROB_WORDS)))
        overall_words, domain_words = ROB_WORDS[name]
        result: dict[str, Any] = {"tool": name}
        if draw(st.booleans()):
            result["overall"] = draw(st.sampled_from(overall_words))
        if draw(st.booleans()):
            answers = st.sampled_from(domain_words) if domain_words else _words(12)
            result["domains"] = draw(
                st.dictionaries(st.text(max_size=12), answers, min_size=1, max_size=4)
            )
        return result

    return build()


# -- studies -----------------------------------------------------------------------------------


def study(
    design: str | None = None, study_id: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid study; ``design`` fixes its design id, ``study_id`` its id."""
    optional_fields = {
        "title": _words(),
        "authors": st.lists(_words(20), min_size=1, max_size=3),
        "year": st.integers(min_value=1600, max_value=2200),
        "journal": _words(),
        "doi": dois(),
        "pmid": pmids(),
        "nct": ncts(),
        "url": urls(),
        "species": species(),
        "population": _words(),
        "pilot": st.booleans(),
        "blinding": st.sampled_from(BLINDINGS),
        "control": st.sampled_from(CONTROLS),
        "duration": durations(),
        "status": st.sampled_from(STATUSES),
        "risk_of_bias": risk_of_bias(),
        "funding": st.sampled_from(FUNDINGS),
    }

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        design_id = design if design is not None else draw(st.sampled_from(sorted(DESIGNS)))
        kind = DESIGNS[design_id]
        result: dict[str, Any] = {
            "id": study_id if study_id is not None else draw(slugs()),
            "design": design_id,
        }
        if kind.needs_participants or draw(st.booleans()):
            # Unreported (null) about one time in ten; a case report has one participant.
            if draw(st.integers(min_value=0, max_value=9)) == 0:
                result["n"] = None
            elif design_id == "case-report":
                result["n"] = 1
            else:
                result["n"] = draw(st.integers(min_value=1, max_value=_MAX_N))
        if draw(st.booleans()):
            allowed = (True, False) if kind.randomized is None else (kind.randomized,)
            result["randomized"] = draw(st.sampled_from(allowed))
        if design_id in ("meta-analysis", "systematic-review") and draw(st.booleans()):
            result["of"] = draw(st.sampled_from(sorted(DESIGNS)))
        result.update(draw(st.fixed_dictionaries({}, optional=optional_fields)))
        result.update(draw(extensions()))
        return result

    return build()


def studies(
    min_size: int = 0, max_size: int = 6, design: str | None = None
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid studies with unique ids."""

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        ids = draw(st.lists(slugs(), min_size=min_size, max_size=max_size, unique=True))
        return [draw(study(design=design, study_id=study_id)) for study_id in ids]

    return build()


def sizes_of(study_list: Sequence[Mapping[str, Any]]) -> dict[str, int | None]:
    """The :data:`Sizes` of a list of studies (``None`` where ``n`` is absent or null)."""
    return {s["id"]: s.get("n") for s in study_list}


# -- evidence ------------------------------------------------------------------------------------


def _number(low: int, high: int) -> st.SearchStrategy[float | int]:
    """Numbers from ``low / 100`` to ``high / 100`` with two decimals, sometimes as JSON
    integers (realistic effects, free of float edge cases)."""
    hundredths = st.integers(min_value=low, max_value=high).map(lambda h: h / 100)
    whole = st.integers(min_value=-(-low // 100), max_value=high // 100)
    return hundredths | whole


def effects(
    measure: str | None = None, *, with_ci: bool | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """An effect estimate; ratio measures above zero, and ``ci_low <= estimate <= ci_high``.

    ``with_ci`` forces (True) or forbids (False) a confidence interval.
    """

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        name = measure if measure is not None else draw(st.sampled_from(MEASURES))
        values = _number(1, 5000) if name in RATIO_MEASURES else _number(-5000, 5000)
        result: dict[str, Any] = {"measure": name}
        ci = draw(st.booleans()) if with_ci is None else with_ci
        if ci:
            low, estimate, high = sorted(draw(st.lists(values, min_size=3, max_size=3)))
            result.update(estimate=estimate, ci_low=low, ci_high=high)
        else:
            result["estimate"] = draw(values)
        if draw(st.booleans()):
            result["p"] = draw(st.integers(0, 10000).map(lambda v: v / 10000) | st.just(0))
        return result

    return build()


def events(total: int | None = None) -> st.SearchStrategy[dict[str, int]]:
    """Event counts in each arm; together at most ``total`` when it is known."""
    limit = total if total is not None else _MAX_N

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, int]:
        intervention = draw(st.integers(min_value=0, max_value=limit))
        control = draw(st.integers(min_value=0, max_value=limit - intervention))
        return {"intervention": intervention, "control": control}

    return build()


def applicability() -> st.SearchStrategy[dict[str, str]]:
    """How directly a study answers the claim's PICO (at least one element)."""
    word = st.sampled_from(APPLICABILITY)
    return st.fixed_dictionaries(
        {},
        optional={"population": word, "intervention": word, "comparator": word, "outcome": word},
    ).filter(bool)


def evidence_link(study_id: str, size: int | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """One valid evidence link to ``study_id``, whose study has ``n == size``."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        result: dict[str, Any] = {
            "study": study_id,
            "direction": draw(st.sampled_from(DIRECTIONS)),
        }
        analysed = size
        if draw(st.booleans()):
            analysed = draw(st.integers(min_value=1, max_value=size or _MAX_N))
            result["n"] = analysed
        result.update(
            draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "effect": effects(),
                        "events": events(analysed),
                        "applicability": applicability(),
                        "dose_response": st.booleans(),
                        "quote": _words(40),
                    },
                )
            )
        )
        result.update(draw(extensions()))
        return result

    return build()


def _as_sizes(study_ids: Sizes | Sequence[str]) -> dict[str, int | None]:
    if isinstance(study_ids, Mapping):
        return dict(study_ids)
    return dict.fromkeys(study_ids)


def evidence_links(
    study_ids: Sizes | Sequence[str], min_size: int = 0, max_size: int | None = None
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Evidence links for one claim: each cites a different study of ``study_ids``.

    ``study_ids`` is a list of ids, or a mapping of id to the study's ``n`` (which then bounds
    the link's ``n`` and event counts).
    """
    sizes = _as_sizes(study_ids)
    top = len(sizes) if max_size is None else min(max_size, len(sizes))

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        if not sizes:
            return []
        cited = draw(
            st.lists(st.sampled_from(sorted(sizes)), min_size=min_size, max_size=top, unique=True)
        )
        return [draw(evidence_link(study_id, sizes[study_id])) for study_id in cited]

    return build()


def judgment(domain: str) -> st.SearchStrategy[dict[str, str]]:
    """A reviewer judgment of ``domain``; a reason whenever the rating is not the neutral one."""
    info = DOMAINS[domain]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, str]:
        rating = draw(st.sampled_from(info.rating_names))
        result = {"rating": rating}
        if rating != info.neutral or draw(st.booleans()):
            result["reason"] = draw(_words())
        return result

    return build()


def judgments(min_size: int = 1) -> st.SearchStrategy[dict[str, dict[str, str]]]:
    """Reviewer judgments for a claim: a non-empty object of domain to ``{rating, reason}``."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, dict[str, str]]:
        domains = draw(
            st.lists(st.sampled_from(sorted(DOMAINS)), min_size=min_size, max_size=3, unique=True)
        )
        return {name: draw(judgment(name)) for name in domains}

    return build()


def claim(
    study_ids: Sizes | Sequence[str],
    claim_id: str | None = None,
    *,
    min_evidence: int = 0,
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid claim citing some of ``study_ids`` (see :func:`evidence_links`)."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": claim_id if claim_id is not None else draw(slugs()),
            "text": draw(_words(60)),
        }
        result.update(
            draw(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "population": _words(),
                        "intervention": _words(),
                        "comparator": _words(),
                        "outcome": _words(),
                        "outcome_kind": st.sampled_from(OUTCOME_KINDS),
                        "outcome_type": st.sampled_from(OUTCOME_TYPES),
                        "species": species(),
                        "judgments": judgments(),
                    },
                )
            )
        )
        result["evidence"] = draw(evidence_links(study_ids, min_size=min_evidence))
        result.update(draw(extensions()))
        return result

    return build()


def claims(
    study_ids: Sizes | Sequence[str],
    min_size: int = 0,
    max_size: int = 4,
    *,
    min_evidence: int = 0,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid claims with unique ids, citing some of ``study_ids``."""

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        ids = draw(st.lists(slugs(), min_size=min_size, max_size=max_size, unique=True))
        return [
            draw(claim(study_ids, claim_id, min_evidence=min_evidence)) for claim_id in ids
        ]

    return build()


def evidence_files(
    min_studies: int = 0,
    max_studies: int = 6,
    min_claims: int = 0,
    max_claims: int = 4,
    *,
    min_evidence: int = 0,
) -> st.SearchStrategy[dict[str, Any]]:
    """A whole valid evidence file as JSON data.

    ``min_evidence`` is the least number of evidence links of every claim (it needs at least
    as many studies).
    """
    if min_evidence > min_studies:
        raise ValueError("min_evidence needs at least as many studies (min_studies)")

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        result: dict[str, Any] = {"evigrade": "1"}
        if draw(st.booleans()):
            result["title"] = draw(_words())
        if draw(st.booleans()):
            result["source"] = draw(source())
        study_list = draw(studies(min_size=min_studies, max_size=max_studies))
        result["studies"] = study_list
        result["claims"] = draw(
            claims(
                sizes_of(study_list),
                min_size=min_claims,
                max_size=max_claims,
                min_evidence=min_evidence,
            )
        )
        result.update(draw(extensions()))
        return result

    return build()
