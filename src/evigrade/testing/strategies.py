"""Hypothesis strategies for valid evidence files, as plain JSON data (dicts and lists).

Every strategy here generates data that satisfies the published JSON Schema *and* the semantic
rules of :mod:`evigrade.validation`: unique slug ids, links that cite existing studies (at most
one link per study per claim), designs from the built-in taxonomy, ``n`` where the design has
participants (``null`` only there; a case report has one), ``randomized`` and ``of`` only where
the design allows them, ratio effects above zero, ``ci_low <= estimate <= ci_high``, a link's
``n`` and event counts within the study's size, and a reason for every non-neutral reviewer
judgment. Reviews (meta-analyses and systematic reviews) may carry ``included_studies`` and
``included_risk_of_bias`` with counts within the studies they pool; links to them may too, and
their effects a ``heterogeneity``; a link that does not address its claim carries no result.

The strategies compose: ``study(design="rct")``, ``studies()``, ``effects(measure="RR")``,
``evidence_links(sizes)``, ``claims(sizes)``, ``judgments()`` and ``evidence_files()``. Where a
strategy needs the studies a link may cite, it takes either a list of study ids (sizes unknown)
or a mapping of study id to the study's ``n`` (``None`` when unknown), which keeps link sizes and
event counts consistent with the study. Examples are kept small so that property tests are fast.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from evigrade.builtin.designs import BUILTIN_DESIGNS
from evigrade.domains import DOMAINS
from evigrade.kinds import Design
from evigrade.model import (
    APPLICABILITY,
    BLINDINGS,
    CONTROLS,
    DIRECTIONS,
    FUNDINGS,
    MEASURES,
    OUTCOME_KINDS,
    OUTCOME_TYPES,
    RATIO_MEASURES,
    SOURCE_KINDS,
    STATUSES,
)

__all__ = [
    "BLINDINGS",
    "CONTROLS",
    "DESIGNS",
    "DIRECTIONS",
    "FUNDINGS",
    "MEASURES",
    "POOLED_DESIGNS",
    "RATIO_MEASURES",
    "SCHEMA_URI",
    "STATUSES",
    "Sizes",
    "applicability",
    "claim",
    "claims",
    "dates",
    "dois",
    "durations",
    "effects",
    "events",
    "evidence_files",
    "evidence_link",
    "evidence_links",
    "extensions",
    "heterogeneity",
    "included_risk_of_bias",
    "json_values",
    "judgment",
    "judgments",
    "ncts",
    "pmids",
    "pooled_of",
    "risk_of_bias",
    "sizes_of",
    "slugs",
    "source",
    "species",
    "studies",
    "study",
    "thresholds",
    "urls",
]

#: The built-in designs by id.
DESIGNS: dict[str, Design] = {design.id: design for design in BUILTIN_DESIGNS}

SPECIES = ("human", "mouse", "rat", "dog", "rhesus macaque", "guinea-pig")
#: The designs whose results pool several studies (they alone take the pooled-result keys).
POOLED_DESIGNS = tuple(design.id for design in BUILTIN_DESIGNS if design.is_synthesis)
RISK_BUCKETS = ("low", "some_concerns", "high", "critical", "unclear")

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

#: The schema's ``$id``, which a file may name in its ``$schema`` key.
SCHEMA_URI = "https://schemas.evigrade.org/evidence/1/evidence.schema.json"

_ALNUM = string.ascii_lowercase + string.digits
_MAX_N = 5000


# -- small pieces ------------------------------------------------------------------------------
#
# Strategies are built once (module constants, or cached factories) and composites draw through
# plain helper functions: building strategies inside every draw makes Hypothesis describe new
# lambdas again and again, which is most of the cost of a generated file.

_PHRASES = (
    "LDN may help reduce muscle spasticity in people with MS",
    "people with multiple sclerosis",
    "low-dose naltrexone",
    "placebo",
    "fatigue",
    "Gironi, M.",
    "Multiple Sclerosis Journal",
    "quality of life improved",
)

#: Realistic phrases, cheap to draw: for fields whose content no rule reads.
_PHRASE = st.sampled_from(_PHRASES)
#: Free text: a realistic phrase or any Unicode (never empty), for titles, claims and reasons.
_TEXT = _PHRASE | st.text(min_size=1, max_size=8)

_PART = st.text(_ALNUM, min_size=1, max_size=6)


@st.composite
def _slug(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_PART, min_size=1, max_size=3))
    result = parts[0]
    for piece in parts[1:]:
        result += draw(st.sampled_from(".-_")) + piece
    return result


_SLUGS = _slug()


def slugs() -> st.SearchStrategy[str]:
    """Slugs: lower-case letters and digits, with single ``.``, ``_`` or ``-`` between parts."""
    return _SLUGS


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)  # I-JSON: exact in every reader
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)


_KEYS = st.text(max_size=6)
_SHALLOW = _SCALARS | st.lists(_SCALARS, max_size=2) | st.dictionaries(_KEYS, _SCALARS, max_size=2)
#: JSON values up to two levels deep (st.recursive is several times slower to draw from).
_JSON = _SCALARS | st.lists(_SHALLOW, max_size=3) | st.dictionaries(_KEYS, _SHALLOW, max_size=3)


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value (finite numbers only)."""
    return _JSON


def _x_key(suffix: str) -> str:
    return f"x-{suffix}"


_EXTENSIONS = st.dictionaries(st.text(max_size=6).map(_x_key), _JSON, max_size=2)


def extensions() -> st.SearchStrategy[dict[str, Any]]:
    """``x-`` extension keys (any text after the prefix) with arbitrary JSON values."""
    return _EXTENSIONS


def _url(scheme: str, host: str, page: int) -> str:
    return f"{scheme}://{host}/{page}"


_URLS = st.builds(
    _url,
    st.sampled_from(("http", "https")),
    st.sampled_from(("pubmed.ncbi.nlm.nih.gov", "clinicaltrials.gov", "example.org")),
    st.integers(min_value=0, max_value=10**8),
)


def urls() -> st.SearchStrategy[str]:
    """http(s) URLs with no whitespace."""
    return _URLS


def _doi(registrant: int, suffix: str) -> str:
    return f"10.{registrant}/{suffix}"


_DOIS = st.builds(
    _doi,
    st.integers(min_value=1000, max_value=999_999_999),
    st.sampled_from(("1352458520936226", "j.jneuroim.2014.04.011", "s12883-018-1026-y"))
    | st.text(_ALNUM + "./-_()", min_size=1, max_size=8),
)


def dois() -> st.SearchStrategy[str]:
    """DOIs such as ``10.1177/1352458520936226``."""
    return _DOIS


_PMIDS = st.integers(min_value=1, max_value=999_999_999).map(str)


def pmids() -> st.SearchStrategy[str]:
    """PubMed ids: 1 to 9 digits, no leading zero."""
    return _PMIDS


def _nct(number: int) -> str:
    return f"NCT{number:08d}"


_NCTS = st.integers(min_value=0, max_value=99_999_999).map(_nct)


def ncts() -> st.SearchStrategy[str]:
    """ClinicalTrials.gov ids such as ``NCT02513394``."""
    return _NCTS


_UNIT_COUNT = st.integers(min_value=0, max_value=120)


@st.composite
def _duration(draw: st.DrawFn) -> str:
    date = "".join(f"{draw(_UNIT_COUNT)}{unit}" for unit in "YMWD" if draw(st.booleans()))
    time = ""
    if draw(st.booleans()) or not date:
        time = "".join(f"{draw(_UNIT_COUNT)}{unit}" for unit in "HM" if draw(st.booleans()))
        if not time or draw(st.booleans()):
            time += f"{draw(_UNIT_COUNT)}S"
    return f"P{date}" + (f"T{time}" if time else "")


_DURATIONS = _duration()


def durations() -> st.SearchStrategy[str]:
    """ISO 8601 durations: ``P6M``, ``P17W``, ``P1Y2M``, ``PT12H``, ``P3DT4H30M`` ..."""
    return _DURATIONS


@st.composite
def _date(draw: st.DrawFn) -> str:
    text = draw(st.dates()).isoformat()
    return text[: draw(st.sampled_from((4, 7, 10)))]


_DATES = _date()


def dates() -> st.SearchStrategy[str]:
    """ISO 8601 dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return _DATES


_SPECIES = st.sampled_from(SPECIES)


def species() -> st.SearchStrategy[str]:
    """Lower-case common names."""
    return _SPECIES


def _with_extensions(draw: st.DrawFn, value: dict[str, Any]) -> dict[str, Any]:
    value.update(draw(_EXTENSIONS))
    return value


_SOURCE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "title": _TEXT,
        "url": _URLS,
        "publisher": _PHRASE,
        "published": _DATES,
        "kind": st.sampled_from(SOURCE_KINDS),
    },
)


@st.composite
def _source(draw: st.DrawFn) -> dict[str, Any]:
    return _with_extensions(draw, draw(_SOURCE_FIELDS))


_SOURCES = _source()


def source() -> st.SearchStrategy[dict[str, Any]]:
    """The file's ``source``: the writing the claims come from (every key optional)."""
    return _SOURCES


def _draw_risk_of_bias(draw: st.DrawFn, tool: str | None = None) -> dict[str, Any]:
    name = tool if tool is not None else draw(st.sampled_from(sorted(ROB_WORDS)))
    overall_words, domain_words = ROB_WORDS[name]
    result: dict[str, Any] = {"tool": name}
    if draw(st.booleans()):
        result["overall"] = draw(st.sampled_from(overall_words))
    if draw(st.booleans()):
        answers = st.sampled_from(domain_words) if domain_words else _PHRASE
        result["domains"] = draw(
            st.dictionaries(st.text(max_size=8), answers, min_size=1, max_size=3)
        )
    return result


@functools.cache
def risk_of_bias(tool: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A risk-of-bias assessment in its tool's own words."""
    return st.composite(lambda draw: _draw_risk_of_bias(draw, tool))()


_FEW_STUDIES = st.integers(min_value=1, max_value=40)


def _draw_included_risk(draw: st.DrawFn, pooled: int | None) -> dict[str, Any]:
    """Counts of included studies per risk: at least one counted, at most ``pooled``."""
    limit = pooled if pooled is not None else 40
    buckets = draw(st.lists(st.sampled_from(RISK_BUCKETS), min_size=1, max_size=3, unique=True))
    result: dict[str, Any] = {}
    if draw(st.booleans()):
        result["tool"] = draw(st.sampled_from(sorted(ROB_WORDS)))
    left = limit
    for index, bucket in enumerate(buckets):
        least = 1 if index == 0 else 0  # the first bucket counts one, so one study is counted
        result[bucket] = draw(st.integers(min_value=least, max_value=max(least, left)))
        left -= result[bucket]
    return result


@functools.cache
def included_risk_of_bias(pooled: int | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """How many of a review's ``pooled`` included studies are at each risk of bias."""
    return st.composite(lambda draw: _draw_included_risk(draw, pooled))()


_HETEROGENEITY = st.fixed_dictionaries(
    {"i2": st.integers(min_value=0, max_value=1000).map(lambda v: v / 10)},
    optional={
        "tau2": st.integers(min_value=0, max_value=500).map(lambda v: v / 100),
        "p": st.integers(min_value=0, max_value=1000).map(lambda v: v / 1000),
    },
)


def heterogeneity() -> st.SearchStrategy[dict[str, Any]]:
    """The heterogeneity of a pooled effect: I² (0-100), sometimes tau² and the test's p."""
    return _HETEROGENEITY


def _draw_thresholds(draw: st.DrawFn) -> dict[str, Any]:
    measure = draw(st.sampled_from(MEASURES))
    if measure in RATIO_MEASURES:
        mid: float | int = draw(st.integers(min_value=1, max_value=99)) / 100
    elif measure == "RD":
        mid = draw(st.integers(min_value=1, max_value=100)) / 100
    else:
        mid = draw(_numbers(1, 5000))
    return {"measure": measure, "mid": mid}


_THRESHOLDS = st.composite(_draw_thresholds)()


def thresholds() -> st.SearchStrategy[dict[str, Any]]:
    """A claim's decision threshold: a measure and its minimal important difference."""
    return _THRESHOLDS


# -- studies -----------------------------------------------------------------------------------

_STUDY_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "title": _TEXT,
        "authors": st.lists(_TEXT, min_size=1, max_size=3),
        "year": st.integers(min_value=1600, max_value=2200),
        "journal": _PHRASE,
        "doi": _DOIS,
        "pmid": _PMIDS,
        "nct": _NCTS,
        "url": _URLS,
        "species": _SPECIES,
        "population": _PHRASE,
        "pilot": st.booleans(),
        "blinding": st.sampled_from(BLINDINGS),
        "control": st.sampled_from(CONTROLS),
        "duration": _DURATIONS,
        "status": st.sampled_from(STATUSES),
        "risk_of_bias": risk_of_bias(),
        "funding": st.sampled_from(FUNDINGS),
    },
)
_DESIGN_IDS = st.sampled_from(sorted(DESIGNS))
_SIZES = st.integers(min_value=1, max_value=_MAX_N)


def _draw_study(draw: st.DrawFn, design: str | None, study_id: str | None) -> dict[str, Any]:
    design_id = design if design is not None else draw(_DESIGN_IDS)
    kind = DESIGNS[design_id]
    result: dict[str, Any] = {
        "id": study_id if study_id is not None else draw(_SLUGS),
        "design": design_id,
    }
    if kind.needs_participants or draw(st.booleans()):
        # Unreported (null) about one time in ten, which only a design with participants may
        # say; a case report has one participant.
        if kind.needs_participants and draw(st.integers(min_value=0, max_value=9)) == 0:
            result["n"] = None
        elif design_id == "case-report":
            result["n"] = 1
        else:
            result["n"] = draw(_SIZES)
    if draw(st.booleans()):
        allowed = (True, False) if kind.randomized is None else (kind.randomized,)
        result["randomized"] = draw(st.sampled_from(allowed))
    if DESIGNS[design_id].is_synthesis:
        if draw(st.booleans()):
            result["of"] = draw(_DESIGN_IDS)
        if draw(st.booleans()):
            result["included_studies"] = draw(_FEW_STUDIES)
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            result["included_risk_of_bias"] = _draw_included_risk(
                draw, result.get("included_studies")
            )
    result.update(draw(_STUDY_FIELDS))
    return _with_extensions(draw, result)


@functools.cache
def study(
    design: str | None = None, study_id: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid study; ``design`` fixes its design id, ``study_id`` its id."""
    if design is not None and design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}")
    return st.composite(lambda draw: _draw_study(draw, design, study_id))()


def _draw_studies(
    draw: st.DrawFn, min_size: int, max_size: int, design: str | None
) -> list[dict[str, Any]]:
    ids = draw(st.lists(_SLUGS, min_size=min_size, max_size=max_size, unique=True))
    return [_draw_study(draw, design, study_id) for study_id in ids]


@functools.cache
def studies(
    min_size: int = 0, max_size: int = 6, design: str | None = None
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid studies with unique ids (all of ``design`` when it is given)."""
    return st.composite(lambda draw: _draw_studies(draw, min_size, max_size, design))()


def sizes_of(study_list: Sequence[Mapping[str, Any]]) -> dict[str, int | None]:
    """The :data:`Sizes` of a list of studies (``None`` where ``n`` is absent or null)."""
    return {s["id"]: s.get("n") for s in study_list}


def pooled_of(study_list: Sequence[Mapping[str, Any]]) -> dict[str, int | None]:
    """The reviews of a list of studies and their ``included_studies`` (``None`` when not
    given): what links to them may say of the studies they pool."""
    return {s["id"]: s.get("included_studies") for s in study_list if s["design"] in POOLED_DESIGNS}


# -- evidence ------------------------------------------------------------------------------------


def _hundredths(value: int) -> float:
    return value / 100


def _numbers(low: int, high: int) -> st.SearchStrategy[float | int]:
    """Numbers from ``low / 100`` to ``high / 100`` with two decimals, sometimes as JSON
    integers (realistic effects, free of float edge cases)."""
    hundredths = st.integers(min_value=low, max_value=high).map(_hundredths)
    whole = st.integers(min_value=-(-low // 100), max_value=high // 100)
    return hundredths | whole


_RATIOS = _numbers(1, 5000)
_DIFFERENCES = _numbers(-5000, 5000)
_P_VALUES = st.integers(min_value=0, max_value=10000).map(lambda v: v / 10000) | st.sampled_from(
    (0, 1)
)


def _draw_effect(
    draw: st.DrawFn, measure: str | None, with_ci: bool | None, pooled: bool = False
) -> dict[str, Any]:
    name = measure if measure is not None else draw(st.sampled_from(MEASURES))
    values = _RATIOS if name in RATIO_MEASURES else _DIFFERENCES
    result: dict[str, Any] = {"measure": name}
    if draw(st.booleans()) if with_ci is None else with_ci:
        low, estimate, high = sorted(draw(st.lists(values, min_size=3, max_size=3)))
        result.update(estimate=estimate, ci_low=low, ci_high=high)
    else:
        result["estimate"] = draw(values)
    if draw(st.booleans()):
        result["p"] = draw(_P_VALUES)
    if pooled and draw(st.booleans()):
        result["heterogeneity"] = draw(_HETEROGENEITY)
    return result


@functools.cache
def effects(
    measure: str | None = None, *, with_ci: bool | None = None, pooled: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """An effect estimate; ratio measures above zero, and ``ci_low <= estimate <= ci_high``.

    ``with_ci`` forces (True) or forbids (False) a confidence interval; ``pooled`` lets it
    carry a ``heterogeneity`` (the effect of a review that pools two or more studies).
    """
    return st.composite(lambda draw: _draw_effect(draw, measure, with_ci, pooled))()


def _draw_events(draw: st.DrawFn, total: int | None) -> dict[str, int]:
    limit = total if total is not None else _MAX_N
    intervention = draw(st.integers(min_value=0, max_value=limit))
    control = draw(st.integers(min_value=0, max_value=limit - intervention))
    return {"intervention": intervention, "control": control}


@functools.cache
def events(total: int | None = None) -> st.SearchStrategy[dict[str, int]]:
    """Event counts in each arm; together at most ``total`` when it is known."""
    return st.composite(lambda draw: _draw_events(draw, total))()


_APPLICABLE = st.sampled_from(APPLICABILITY)
_APPLICABILITY = st.fixed_dictionaries(
    {},
    optional={
        "population": _APPLICABLE,
        "intervention": _APPLICABLE,
        "comparator": _APPLICABLE,
        "outcome": _APPLICABLE,
    },
).filter(bool)


def applicability() -> st.SearchStrategy[dict[str, str]]:
    """How directly a study answers the claim's PICO (at least one element)."""
    return _APPLICABILITY


_LINK_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "effect": st.just(None),  # drawn below: a review's may carry its heterogeneity
        "events": st.just(None),  # drawn below, bounded by the participants analysed
        "applicability": _APPLICABILITY,
        "dose_response": st.booleans(),
        "quote": _TEXT,
        "cited_by_source": st.booleans(),
    },
)

_NOT_A_REVIEW = object()  # the "included studies" of a link to a study that is not a review


def _draw_link(
    draw: st.DrawFn, study_id: str, size: int | None, pooled: Any = _NOT_A_REVIEW
) -> dict[str, Any]:
    """A link to ``study_id`` (``n == size``); ``pooled`` is the review's included studies
    (``None`` unknown) when the study is a review."""
    result: dict[str, Any] = {"study": study_id, "direction": draw(st.sampled_from(DIRECTIONS))}
    analysed = size
    if draw(st.booleans()):
        analysed = draw(st.integers(min_value=1, max_value=size or _MAX_N))
        result["n"] = analysed
    result.update(draw(_LINK_FIELDS))
    review = pooled is not _NOT_A_REVIEW
    included: int | None = pooled if review else None
    if review and draw(st.integers(min_value=0, max_value=2)) == 0:
        included = draw(st.integers(min_value=1, max_value=pooled or 40))
        result["included_studies"] = included
    if review and draw(st.integers(min_value=0, max_value=3)) == 0:
        result["included_risk_of_bias"] = _draw_included_risk(draw, included)
    if "effect" in result:
        result["effect"] = _draw_effect(draw, None, None, pooled=review and included != 1)
    if "events" in result:
        result["events"] = _draw_events(draw, analysed)
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        # Cited, but reports nothing on the claim: no result to carry.
        result["addresses"] = False
        result["direction"] = "inconclusive"
        for key in ("effect", "events", "dose_response"):
            result.pop(key, None)
    elif draw(st.integers(min_value=0, max_value=5)) == 0:
        result["addresses"] = True
    return _with_extensions(draw, result)


@functools.cache
def evidence_link(
    study_id: str, size: int | None = None, *, review: bool = False, pooled: int | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid evidence link to ``study_id``, whose study has ``n == size``. ``review``
    says the study is a meta-analysis or systematic review of ``pooled`` included studies
    (``None`` when it does not say), so that the link may describe the studies it pools."""
    state: Any = pooled if review else _NOT_A_REVIEW
    return st.composite(lambda draw: _draw_link(draw, study_id, size, state))()


def _as_sizes(study_ids: Sizes | Sequence[str]) -> dict[str, int | None]:
    if isinstance(study_ids, Mapping):
        return dict(study_ids)
    return dict.fromkeys(study_ids)


def _draw_links(
    draw: st.DrawFn,
    sizes: Mapping[str, int | None],
    min_size: int,
    max_size: int | None,
    reviews: Mapping[str, int | None] | None = None,
) -> list[dict[str, Any]]:
    if not sizes:
        if min_size:
            raise ValueError("min_size evidence links need studies to cite")
        return []
    top = len(sizes) if max_size is None else min(max_size, len(sizes))
    ids = sorted(sizes)
    cited = draw(st.lists(st.sampled_from(ids), min_size=min_size, max_size=top, unique=True))
    known = reviews or {}
    return [
        _draw_link(draw, study_id, sizes[study_id], known.get(study_id, _NOT_A_REVIEW))
        for study_id in cited
    ]


def evidence_links(
    study_ids: Sizes | Sequence[str],
    min_size: int = 0,
    max_size: int | None = None,
    *,
    reviews: Mapping[str, int | None] | None = None,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Evidence links for one claim: each cites a different study of ``study_ids``.

    ``study_ids`` is a list of ids, or a mapping of id to the study's ``n`` (which then bounds
    the link's ``n`` and event counts). ``reviews`` maps the ids of meta-analyses and
    systematic reviews to their ``included_studies`` (:func:`pooled_of`): links to them may
    describe the studies they pool.
    """
    sizes = _as_sizes(study_ids)
    return st.composite(lambda draw: _draw_links(draw, sizes, min_size, max_size, reviews))()


def _draw_judgment(draw: st.DrawFn, domain: str) -> dict[str, str]:
    info = DOMAINS[domain]
    rating = draw(st.sampled_from(info.rating_names))
    result = {"rating": rating}
    if rating != info.neutral or draw(st.booleans()):
        result["reason"] = draw(_TEXT)
    return result


@functools.cache
def judgment(domain: str) -> st.SearchStrategy[dict[str, str]]:
    """A reviewer judgment of ``domain``; a reason whenever the rating is not the neutral one."""
    return st.composite(lambda draw: _draw_judgment(draw, domain))()


_DOMAIN_NAMES = sorted(DOMAINS)


def _draw_judgments(draw: st.DrawFn, min_size: int) -> dict[str, dict[str, str]]:
    names = draw(
        st.lists(st.sampled_from(_DOMAIN_NAMES), min_size=min_size, max_size=3, unique=True)
    )
    return {name: _draw_judgment(draw, name) for name in names}


@functools.cache
def judgments(min_size: int = 1) -> st.SearchStrategy[dict[str, dict[str, str]]]:
    """Reviewer judgments for a claim: a non-empty object of domain to ``{rating, reason}``."""
    return st.composite(lambda draw: _draw_judgments(draw, min_size))()


_CLAIM_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "population": _PHRASE,
        "intervention": _PHRASE,
        "comparator": _PHRASE,
        "outcome": _PHRASE,
        "outcome_kind": st.sampled_from(OUTCOME_KINDS),
        "outcome_type": st.sampled_from(OUTCOME_TYPES),
        "species": _SPECIES,
        "judgments": judgments(),
        "thresholds": _THRESHOLDS,
        "control_risk": st.integers(min_value=1, max_value=1000).map(lambda v: v / 1000),
    },
)


def _draw_claim(
    draw: st.DrawFn,
    sizes: Mapping[str, int | None],
    claim_id: str | None,
    min_evidence: int,
    reviews: Mapping[str, int | None] | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": claim_id if claim_id is not None else draw(_SLUGS),
        "text": draw(_TEXT),
    }
    result.update(draw(_CLAIM_FIELDS))
    result["evidence"] = _draw_links(draw, sizes, min_evidence, None, reviews)
    return _with_extensions(draw, result)


def claim(
    study_ids: Sizes | Sequence[str],
    claim_id: str | None = None,
    *,
    min_evidence: int = 0,
    reviews: Mapping[str, int | None] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """One valid claim citing some of ``study_ids`` (see :func:`evidence_links`)."""
    sizes = _as_sizes(study_ids)
    return st.composite(lambda draw: _draw_claim(draw, sizes, claim_id, min_evidence, reviews))()


def _draw_claims(
    draw: st.DrawFn,
    sizes: Mapping[str, int | None],
    min_size: int,
    max_size: int,
    min_evidence: int,
    reviews: Mapping[str, int | None] | None = None,
) -> list[dict[str, Any]]:
    ids = draw(st.lists(_SLUGS, min_size=min_size, max_size=max_size, unique=True))
    return [_draw_claim(draw, sizes, claim_id, min_evidence, reviews) for claim_id in ids]


def claims(
    study_ids: Sizes | Sequence[str],
    min_size: int = 0,
    max_size: int = 4,
    *,
    min_evidence: int = 0,
    reviews: Mapping[str, int | None] | None = None,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid claims with unique ids, citing some of ``study_ids`` (``reviews``: see
    :func:`evidence_links`)."""
    sizes = _as_sizes(study_ids)
    return st.composite(
        lambda draw: _draw_claims(draw, sizes, min_size, max_size, min_evidence, reviews)
    )()


def _draw_file(
    draw: st.DrawFn,
    min_studies: int,
    max_studies: int,
    min_claims: int,
    max_claims: int,
    min_evidence: int,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        result["$schema"] = draw(st.sampled_from((SCHEMA_URI,)) | _TEXT)
    result["evigrade"] = "1"
    if draw(st.booleans()):
        result["title"] = draw(_TEXT)
    if draw(st.booleans()):
        result["source"] = draw(_SOURCES)
    study_list = _draw_studies(draw, min_studies, max_studies, None)
    result["studies"] = study_list
    result["claims"] = _draw_claims(
        draw, sizes_of(study_list), min_claims, max_claims, min_evidence, pooled_of(study_list)
    )
    return _with_extensions(draw, result)


@functools.cache
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
    return st.composite(
        lambda draw: _draw_file(
            draw, min_studies, max_studies, min_claims, max_claims, min_evidence
        )
    )()
