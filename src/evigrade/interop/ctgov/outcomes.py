"""Results: each outcome measure with a usable between-group analysis (an estimate on a known
scale) becomes a claim, with the study's effect, its direction and its events as evidence
(docs/import-ctgov.md#results)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ...model import Claim, Direction, Effect, Events, EvidenceLink, Study
from .design import EXTENSION, OUTCOME_TYPES, Arm
from .fields import at, get_enum, get_object, get_objects, get_string, get_strings

__all__ = [
    "Measure",
    "claims_of",
    "lower_is_better",
    "measure_of",
    "slug",
]


def slug(text: str, limit: int = 60) -> str:
    """A lower-case slug of ``text`` (ASCII letters and digits joined by hyphens), cut at a
    word boundary to at most ``limit`` characters; ``"outcome"`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > limit:
            break
        result = candidate
    return result or (words[0][:limit] if words else "outcome")


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Measure = Literal["RR", "OR", "HR", "RD", "MD", "SMD"]


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip().replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def measure_of(param_type: str) -> tuple[Measure | None, bool]:
    """(measure, on the log scale) for an analysis's paramType; ``None`` when evigrade has no
    measure for it (medians, slopes, "Other" ...)."""
    text = param_type.lower()
    log = bool(re.search(r"\blog\b", text))
    measure: Measure | None = None
    if "hazard ratio" in text or "cox proportional hazard" in text:
        measure = "HR"
    elif "odds ratio" in text:
        measure = "OR"
    elif "risk ratio" in text or "relative risk" in text:
        measure = "RR"
    elif "risk difference" in text:
        measure = "RD"
    elif re.search(r"standardi[sz]ed mean difference", text):
        measure = "SMD"
    elif "mean difference" in text and "median" not in text:
        measure = "MD"
    if log and measure not in ("HR", "OR", "RR"):
        return None, True
    return measure, log


_GOOD_EVENT = re.compile(
    r"\btime to (?:first |a |an )?(?:\w+ ){0,2}?(?:response|remission|recovery|healing|resolution|"
    r"improvement|engraftment|discharge|cure|clearance|conversion|negativity|normali[sz]ation|"
    r"mobili[sz]ation|ambulation|extubation|weaning|pregnancy|conception)",
    re.IGNORECASE,
)
_GOOD = re.compile(
    r"\b(?:respon\w*|remission|recover\w*|cure[ds]?|heal\w*|success\w*|improve\w*|"
    r"abstinen\w*|survival|surviv\w*|alive|engraftment|eradication|clearance|seroconversion|"
    r"seroprotection|quality of life|qol|adherence|pregnan\w*|live births?|resolution)\b",
    re.IGNORECASE,
)
_BAD = re.compile(
    r"\b(?:deaths?|died|mortality|adverse|side effects?|toxicit\w*|recurrence\w*|relapse\w*|"
    r"progression|failure\w*|infections?|complications?|hospitali[sz]\w*|readmission\w*|pain|"
    r"events?|incidence|exacerbations?|fractures?|strokes?|infarction|bleeding|ha?emorrhage|"
    r"symptoms?|severity|nausea|vomiting|discontinu\w*|rejection|withdrawal)\b",
    re.IGNORECASE,
)


def lower_is_better(measure: Measure, title: str) -> bool | None:
    """Whether a lower value of the first group's outcome favours it: ``None`` when the
    outcome's title does not say (docs/import-ctgov.md#direction)."""
    if measure == "HR":
        # The hazard is that of the outcome's event, almost always a harm (death, relapse,
        # progression); "time to response" and the like count a good event.
        return not _GOOD_EVENT.search(title)
    text = re.sub(r"\b[\w-]+[- ]free\b", " ", title)  # "event-free survival" is good
    good, bad = bool(_GOOD.search(text)), bool(_BAD.search(text))
    if good == bad:
        return None
    return bad


@attrs.frozen
class _Group:
    id: str
    title: str
    description: str | None
    arm: Arm | None


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _match_arm(title: str, description: str | None, arms: Sequence[Arm]) -> Arm | None:
    if description:
        same = [
            arm for arm in arms if arm.description and _norm(arm.description) == _norm(description)
        ]
        if len(same) == 1:
            return same[0]
    same = [arm for arm in arms if arm.label and _norm(arm.label) == _norm(title)]
    if len(same) == 1:
        return same[0]
    inside = [
        arm
        for arm in arms
        if arm.label and re.search(rf"(?<![\w]){re.escape(_norm(arm.label))}(?![\w])", _norm(title))
    ]
    return inside[0] if len(inside) == 1 else None


def _orient(first: _Group, second: _Group) -> bool | None:
    """True if the first group is the experimental one, False if the second is, None if the
    arms do not say."""
    roles = (first.arm.role if first.arm else None, second.arm.role if second.arm else None)
    if roles.count("experimental") == 1:
        return roles[0] == "experimental"
    if roles.count("comparator") == 1 and roles.count("experimental") == 0:
        return roles[1] == "comparator"
    return None


@attrs.frozen
class _Analysis:
    effect: Effect
    groups: tuple[_Group, _Group]
    first_experimental: bool | None
    significant: bool | None
    raw: dict[str, Any]


def _analysis(
    item: Mapping[str, Any], pointer: str, groups: Mapping[str, _Group]
) -> _Analysis | None:
    ids = get_strings(item, "groupIds", pointer)
    if len(ids) != 2 or ids[0] == ids[1] or any(i not in groups for i in ids):
        return None
    param_type = get_string(item, "paramType", pointer)
    if param_type is None:
        return None
    measure, log = measure_of(param_type)
    estimate = _number(get_string(item, "paramValue", pointer))
    if measure is None or estimate is None:
        return None
    low = _number(get_string(item, "ciLowerLimit", pointer))
    high = _number(get_string(item, "ciUpperLimit", pointer))
    pct = _number(get_string(item, "ciPctValue", pointer))
    sides = get_string(item, "ciNumSides", pointer)
    p_text = get_string(item, "pValue", pointer)
    p = _number(p_text)
    if log:
        estimate = math.exp(estimate)
        low = math.exp(low) if low is not None else None
        high = math.exp(high) if high is not None else None
    raw: dict[str, Any] = {
        "paramType": param_type,
        "statisticalMethod": get_string(item, "statisticalMethod", pointer),
        "nonInferiorityType": get_string(item, "nonInferiorityType", pointer),
        "pValue": p_text,
        "groups": ids,
    }
    if measure in ("HR", "OR", "RR") and estimate <= 0:
        return None
    ci_ok = (
        low is not None
        and high is not None
        and pct == 95
        and sides in (None, "TWO_SIDED")
        and low <= estimate <= high
        and (measure not in ("HR", "OR", "RR") or low > 0)
    )
    if not ci_ok and (low is not None or high is not None):
        raw["ci"] = {
            "pct": get_string(item, "ciPctValue", pointer),
            "sides": sides,
            "low": get_string(item, "ciLowerLimit", pointer),
            "high": get_string(item, "ciUpperLimit", pointer),
        }
    effect = Effect(
        measure,
        estimate,
        low if ci_ok else None,
        high if ci_ok else None,
        p if p is not None and 0 <= p <= 1 else None,
    )
    null = effect.null_value
    significant: bool | None
    if effect.ci_low is not None and effect.ci_high is not None:
        significant = not (effect.ci_low <= null <= effect.ci_high)
    elif effect.p is not None:
        significant = effect.p < 0.05
    elif p_text is not None and (bound := re.fullmatch(r"\s*[<≤]=?\s*(\S+)", p_text)):
        limit = _number(bound.group(1))
        significant = True if limit is not None and limit <= 0.05 else None
    else:
        significant = None
    first, second = groups[ids[0]], groups[ids[1]]
    return _Analysis(
        effect,
        (first, second),
        _orient(first, second),
        significant,
        {k: v for k, v in raw.items() if v is not None},
    )


def _direction(analysis: _Analysis, title: str) -> tuple[Direction, str | None]:
    """The link's direction, and a note when the data could not settle it."""
    effect = analysis.effect
    if analysis.significant is None:
        return "inconclusive", "no 95% CI or p value to judge the effect by"
    if not analysis.significant:
        return "inconclusive", None
    lower = lower_is_better(effect.measure, title)
    if lower is None:
        return "inconclusive", (
            "the effect excludes no effect, but the outcome's title does not say which way is "
            "better: set the direction by hand"
        )
    if analysis.first_experimental is None:
        return "inconclusive", (
            "the effect excludes no effect, but the arms do not say which group is experimental: "
            "set the direction by hand"
        )
    first_lower = effect.estimate < effect.null_value
    favours_first = first_lower == lower
    return ("supports" if favours_first == analysis.first_experimental else "contradicts"), None


def _count(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value >= 0 and value == int(value) else None


def claims_of(
    record: Mapping[str, Any],
    where: str,
    study: Study,
    arms: Sequence[Arm],
    conditions: Sequence[str],
) -> tuple[Claim, ...]:
    results = get_object(record, "resultsSection", where)
    r_where = at(where, "resultsSection")
    module = get_object(results, "outcomeMeasuresModule", r_where)
    claims: list[Claim] = []
    seen: set[str] = set()
    for pointer, outcome in get_objects(
        module, "outcomeMeasures", at(r_where, "outcomeMeasuresModule")
    ):
        title = get_string(outcome, "title", pointer)
        if title is None:
            continue
        kind = get_enum(outcome, "type", pointer, OUTCOME_TYPES)
        groups: dict[str, _Group] = {}
        for g_pointer, group in get_objects(outcome, "groups", pointer):
            group_id = get_string(group, "id", g_pointer)
            if group_id is None:
                continue
            g_title = get_string(group, "title", g_pointer) or group_id
            g_description = get_string(group, "description", g_pointer)
            groups[group_id] = _Group(
                group_id, g_title, g_description, _match_arm(g_title, g_description, arms)
            )
        analysis = None
        analyses = get_objects(outcome, "analyses", pointer)
        for a_pointer, item in analyses:
            analysis = _analysis(item, a_pointer, groups)
            if analysis is not None:
                break
        if analysis is None:
            continue
        description = get_string(outcome, "description", pointer)
        claim_id = base = slug(title)
        number = 1
        while claim_id in seen:
            number += 1
            claim_id = f"{base}-{number}"
        seen.add(claim_id)
        direction, note = _direction(analysis, title)
        first, second = analysis.groups
        experimental, comparator = (
            (first, second) if analysis.first_experimental is not False else (second, first)
        )
        outcome_kind = kind.lower().replace("_", "-") if kind else None
        link_extension: dict[str, Any] = {
            "outcome": outcome_kind,
            "outcomeTitle": title,
            "timeFrame": get_string(outcome, "timeFrame", pointer),
            "analysis": analysis.raw,
            "analyses": len(analyses) if len(analyses) > 1 else None,
            "orientation": None
            if analysis.first_experimental is not None
            else "unknown: the arms do not say which group is experimental",
            "note": note,
        }
        counts = _denominators(outcome, pointer)
        analysed = sum(counts.get(g.id, 0) for g in analysis.groups)
        n = analysed if analysed >= 1 and analysed != study.n else None
        events = None
        if (
            analysis.effect.measure in ("OR", "RR", "RD")
            and analysis.first_experimental is not None
        ):
            events = _events(outcome, pointer, experimental.id, comparator.id)
        text = title if title.endswith((".", "?", "!")) else f"{title}."
        link = EvidenceLink(
            study=study.id,
            direction=direction,
            effect=analysis.effect,
            events=events,
            n=n,
            extensions={EXTENSION: {k: v for k, v in link_extension.items() if v is not None}},
        )
        claims.append(
            Claim(
                id=claim_id,
                text=f"{text} {description}" if description else title,
                evidence=(link,),
                population="; ".join(conditions) or None,
                intervention=_treatment(experimental),
                comparator=_treatment(comparator),
                outcome=title,
                outcome_type=_OUTCOME_TYPE[analysis.effect.measure],
                extensions={EXTENSION: {"outcome": outcome_kind, "nct": study.nct}}
                if outcome_kind
                else {EXTENSION: {"nct": study.nct}},
            )
        )
    return tuple(claims)


_OUTCOME_TYPE: Mapping[str, Literal["continuous", "dichotomous", "time-to-event"]] = {
    "HR": "time-to-event",
    "OR": "dichotomous",
    "RR": "dichotomous",
    "RD": "dichotomous",
    "MD": "continuous",
    "SMD": "continuous",
}


def _treatment(group: _Group) -> str:
    return group.arm.treatment if group.arm is not None else group.title


def _denominators(outcome: Mapping[str, Any], where: str) -> dict[str, int]:
    """Participants analysed per group (the denominator counted in participants)."""
    for pointer, denom in get_objects(outcome, "denoms", where):
        units = get_string(denom, "units", pointer) or ""
        if units.lower() != "participants":
            continue
        counts: dict[str, int] = {}
        for c_pointer, item in get_objects(denom, "counts", pointer):
            group_id = get_string(item, "groupId", c_pointer)
            value = _count(get_string(item, "value", c_pointer))
            if group_id is not None and value is not None:
                counts[group_id] = value
        return counts
    return {}


def _events(
    outcome: Mapping[str, Any], where: str, experimental: str, comparator: str
) -> Events | None:
    """Event counts when the outcome is a count of participants in one category."""
    if get_string(outcome, "paramType", where) != "COUNT_OF_PARTICIPANTS":
        return None
    classes = get_objects(outcome, "classes", where)
    if len(classes) != 1:
        return None
    categories = get_objects(classes[0][1], "categories", classes[0][0])
    if len(categories) != 1:
        return None
    values: dict[str, int | None] = {}
    for m_pointer, item in get_objects(categories[0][1], "measurements", categories[0][0]):
        group_id = get_string(item, "groupId", m_pointer)
        if group_id is not None:
            values[group_id] = _count(get_string(item, "value", m_pointer))
    a, b = values.get(experimental), values.get(comparator)
    return Events(a, b) if a is not None and b is not None else None
