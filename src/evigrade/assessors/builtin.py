"""The built-in assessors: GRADE's eight domains computed from the data in the evidence file.

The rules follow docs/schemes.md, which gives their sources; where the published rules leave a
choice, the choice is named in the judgment's reason ("evigrade rule: ...") and in the docs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..hookspecs import hookimpl
from ..model import Judgment, RiskOfBias
from . import Assessor, Body, EvidenceItem
from .stats import optimal_information_size, or_to_rr, pool

__all__ = [
    "APPRECIABLE_RATIO",
    "APPRECIABLE_SMD",
    "ASSESSORS",
    "DEFAULT_INFORMATION_SIZE",
    "SAFETY_INFORMATION_SIZE",
    "SMALL_STUDY",
    "recorded_risk",
    "study_risk",
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


def _judgment(domain: str, level: int, reason: str, studies: Iterable[str], rule: str) -> Judgment:
    return Judgment(
        domain=domain,
        rating=_SERIOUS[level],
        reason=reason,
        studies=tuple(sorted(set(studies))),
        source="rule",
        rule=rule,
    )


def _median(values: list[float]) -> float:
    """The median (statistics.median, imported when first needed: it is slow to import)."""
    import statistics

    return statistics.median(values)


def _names(items: Iterable[EvidenceItem]) -> str:
    return ", ".join(sorted(item.id for item in items))


def _share(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> float:
    """The share of a body's studies in ``subset``. Studies count equally (evigrade rule):
    weights in a meta-analysis come from precision, which files rarely give; sample size
    enters through imprecision instead, so a larger study never makes a body look worse."""
    return len(subset) / len(items) if items else 0.0


def _count(subset: list[EvidenceItem], items: tuple[EvidenceItem, ...]) -> str:
    return f"{len(subset)} of {len(items)} {'study' if len(items) == 1 else 'studies'}"


# -- risk of bias -------------------------------------------------------------------------------

_TOOL_WORDS: dict[str, dict[str, str]] = {
    "rob2": {"low": "low", "some-concerns": "some", "high": "high"},
    "robins-i": {
        "low": "low",
        "moderate": "some",
        "serious": "high",
        "critical": "critical",
        "no-information": "unclear",
    },
    "syrcle": {"low": "low", "some-concerns": "some", "high": "high", "unclear": "unclear"},
    "quadas-2": {"low": "low", "high": "high", "unclear": "unclear"},
    "other": {"low": "low", "some-concerns": "some", "high": "high", "unclear": "unclear"},
}
_RISK_ORDER = ("low", "unclear", "some", "high", "critical")


def recorded_risk(assessment: RiskOfBias | None) -> tuple[str, str] | None:
    """(risk, what was read) from a study's own risk-of-bias assessment, or None without one.

    Risks: low, unclear, some, high, critical. RoB 2 and ROBINS-I overall judgments are the
    least favourable domain when only domains are given (Cochrane Handbook ch. 8); SYRCLE items
    answered "no" mean high risk, "unclear" unclear.
    """
    if assessment is None:
        return None
    words = _TOOL_WORDS[assessment.tool]
    if assessment.overall is not None and assessment.overall in words:
        return words[assessment.overall], f"{assessment.tool} overall {assessment.overall}"
    if not assessment.domains:
        return None
    if assessment.tool == "syrcle":
        answers = set(assessment.domains.values())
        risk = "high" if "no" in answers else "unclear" if "unclear" in answers else "low"
    else:
        risk = max(
            (words.get(v, "unclear") for v in assessment.domains.values()),
            key=_RISK_ORDER.index,
        )
    return risk, f"{assessment.tool} domains (least favourable: {risk})"


def study_risk(item: EvidenceItem) -> tuple[str, str]:
    """(risk, why) for one study: its own assessment (:func:`recorded_risk`), else its design
    features."""
    study, design = item.study, item.design
    recorded = recorded_risk(study.risk_of_bias)
    if recorded is not None:
        return recorded
    has_comparison = design.family in ("randomized", "non-randomized")
    if has_comparison and study.control == "historical":
        return "high", "historical controls"
    if has_comparison and study.blinding == "none":
        return "high", "open-label: participants and assessors knew the allocation"
    return "unclear", "no risk-of-bias assessment in the file"


def assess_risk_of_bias(body: Body) -> Judgment:
    """Rate down when most of the evidence comes from studies at high risk (Core GRADE 4)."""
    items = body.items
    risks = {item.id: study_risk(item) for item in items}
    high = [i for i in body.items if risks[i.id][0] in ("high", "critical")]
    critical = [i for i in body.items if risks[i.id][0] == "critical"]
    detail = "; ".join(f"{i.id}: {risks[i.id][1]}" for i in high)
    if critical and _share(critical, items) >= 0.5:
        return _judgment(
            "risk_of_bias",
            2,
            f"{_count(critical, items)} at critical risk of bias ({detail})",
            (i.id for i in high),
            "risk_of_bias.weight-at-high-risk",
        )
    if high and _share(high, items) >= 0.5:
        return _judgment(
            "risk_of_bias",
            1,
            f"{_count(high, items)} at high risk of bias ({detail})",
            (i.id for i in high),
            "risk_of_bias.weight-at-high-risk",
        )
    assessed = [i for i in body.items if risks[i.id][0] != "unclear"]
    if not assessed:
        reason = (
            "no risk-of-bias assessment and no design flaw recorded "
            f"for {_names(body.items)}; not rated down"
        )
    elif high:
        reason = f"only {_count(high, items)} at high risk of bias ({detail}): not most"
    else:
        reason = "no study at high risk of bias"
    return _judgment("risk_of_bias", 0, reason, body.ids, "risk_of_bias.weight-at-high-risk")


# -- inconsistency ------------------------------------------------------------------------------


def assess_inconsistency(body: Body) -> Judgment:
    """Rate down for unexplained heterogeneity: I² when effects have CIs, else directions
    that disagree (GRADE 7); a single study cannot be inconsistent (not rated down)."""
    items = body.items
    if len(items) < 2:
        return _judgment(
            "inconsistency",
            0,
            "single study: consistency cannot be judged, not rated down",
            body.ids,
            "inconsistency.single-study",
        )
    levels: list[tuple[int, str, str]] = []
    with_ci = [i for i in items if i.link.effect is not None and i.link.effect.ci_low is not None]
    pooled = pool([i.link.effect for i in with_ci if i.link.effect is not None])
    if pooled is not None and pooled.k >= 2 and pooled.i_squared is not None:
        i2 = pooled.i_squared
        null = 1.0 if pooled.is_ratio else 0.0
        estimates = [
            i.link.effect.estimate
            for i in with_ci
            if i.link.effect is not None and i.link.effect.measure == pooled.measure
        ]
        opposite = min(estimates) < null < max(estimates)
        if i2 >= 75 and opposite:
            levels.append(
                (
                    2,
                    f"I² = {i2:.0f}% (considerable) with effects on both sides of no effect",
                    "inconsistency.i-squared",
                )
            )
        elif i2 >= 50:
            band = "considerable" if i2 >= 75 else "substantial"
            levels.append((1, f"I² = {i2:.0f}% ({band})", "inconsistency.i-squared"))
        else:
            levels.append(
                (0, f"I² = {i2:.0f}% (might not be important)", "inconsistency.i-squared")
            )
    by_direction: dict[str, list[EvidenceItem]] = {}
    for item in items:
        by_direction.setdefault(item.link.direction, []).append(item)
    supports = by_direction.get("supports", [])
    against = by_direction.get("contradicts", [])
    disagree = len(by_direction) > 1 or "mixed" in by_direction
    if disagree:
        summary = "; ".join(
            f"{direction}: {_names(group)}" for direction, group in sorted(by_direction.items())
        )
        if supports and against and min(_share(supports, items), _share(against, items)) >= 1 / 3:
            levels.append(
                (2, f"studies point in opposite directions ({summary})", "inconsistency.directions")
            )
        else:
            levels.append(
                (1, f"results differ between studies ({summary})", "inconsistency.directions")
            )
    elif not levels:
        levels.append(
            (
                0,
                f"all {len(items)} studies agree ({items[0].link.direction})",
                "inconsistency.directions",
            )
        )
    level, reason, rule = max(levels, key=lambda entry: entry[0])
    return _judgment("inconsistency", level, reason, body.ids, rule)


# -- indirectness -------------------------------------------------------------------------------

_APPLICABILITY = {"direct": 0, "indirect": 1, "very-indirect": 2}


def study_indirectness(item: EvidenceItem, claim_species: str) -> tuple[int, str]:
    """(0..2, why) for one study against the claim: species, then stated applicability."""
    study, design = item.study, item.design
    if design.id == "in-vitro":
        return 2, "laboratory (in vitro) evidence"
    species = study.effective_species
    if not design.in_humans and species == "human":
        species = "non-human"
    if species != claim_species:
        return 2, f"{species} evidence for a claim about {claim_species}s"
    applicability = item.link.applicability
    if applicability is not None:
        parts = {
            k: v
            for k, v in (
                ("population", applicability.population),
                ("intervention", applicability.intervention),
                ("comparator", applicability.comparator),
                ("outcome", applicability.outcome),
            )
            if v is not None and v != "direct"
        }
        if parts:
            worst = max(_APPLICABILITY[v] for v in parts.values())
            return worst, ", ".join(f"{k} {v}" for k, v in sorted(parts.items()))
    return 0, "direct"


def assess_indirectness(body: Body) -> Judgment:
    """Rate down when the evidence answers a different question (GRADE 8): other species,
    stated indirect PICO elements, or a surrogate outcome."""
    claim = body.claim
    items = body.items
    per_study = {item.id: study_indirectness(item, claim.effective_species) for item in body.items}
    very = [i for i in body.items if per_study[i.id][0] == 2]
    some = [i for i in body.items if per_study[i.id][0] >= 1]
    level = 2 if _share(very, items) >= 0.5 else 1 if _share(some, items) >= 0.5 else 0
    reasons = []
    involved = [i.id for i in some] if level else list(body.ids)
    rule = "indirectness.applicability"
    if level:
        detail = "; ".join(f"{i.id}: {per_study[i.id][1]}" for i in some)
        reasons.append(f"{_count(some, items)} indirect ({detail})")
        if any(
            "evidence for a claim about" in per_study[i.id][1] or i.design.id == "in-vitro"
            for i in some
        ):
            rule = "indirectness.species"
    if claim.effective_outcome_kind == "surrogate":
        level = min(2, level + 1)
        reasons.append("surrogate outcome: disease-oriented, not patient-important")
        rule = "indirectness.surrogate" if rule == "indirectness.applicability" else rule
        involved = list(body.ids)
    if not reasons:
        reasons.append(
            f"studies in {claim.effective_species}s with no indirect PICO element recorded"
        )
    return _judgment("indirectness", level, "; ".join(reasons), involved, rule)


# -- imprecision --------------------------------------------------------------------------------


def _information_size(body: Body) -> tuple[int, str]:
    """The optimal information size for the body, and how it was set."""
    if body.claim.effective_outcome_kind == "safety":
        return SAFETY_INFORMATION_SIZE, "harms: rule of three for a 1-in-100 harm"
    risks = []
    for item in body.items:
        events, size = item.link.events, item.size
        if events is not None and size and 0 < events.control < size / 2:
            risks.append(events.control / (size / 2))
    if risks:
        # The median study's control risk (evigrade rule): a property of the population, so
        # it does not move when one study grows; studies without control events say nothing
        # about it and are left out.
        risk = _median(risks)
        return optimal_information_size(risk), f"control risk {risk:.1%}, RRR 25%"
    return DEFAULT_INFORMATION_SIZE, "rule of thumb when no control risk is known"


def _ci_level(body: Body) -> tuple[int, str] | None:
    effects = [i.link.effect for i in body.items if i.link.effect is not None]
    pooled = pool(effects)
    if pooled is None:
        return None
    low, high = pooled.ci_low, pooled.ci_high
    shown = f"{pooled.measure} {pooled.estimate:.2f} (95% CI {low:.2f} to {high:.2f})"
    if pooled.k > 1:
        shown = f"pooled {shown}, {pooled.k} studies"
    if pooled.is_ratio:
        benefit, harm = APPRECIABLE_RATIO
        crosses_null = low < 1 < high
        both = low < benefit and high > harm
        one = crosses_null and (low < benefit or high > harm)
    elif pooled.measure == "SMD":
        crosses_null = low < 0 < high
        both = low < -APPRECIABLE_SMD and high > APPRECIABLE_SMD
        one = crosses_null and (low < -APPRECIABLE_SMD or high > APPRECIABLE_SMD)
    else:
        crosses_null = low < 0 < high
        both = False
        one = crosses_null
    if both:
        return 2, f"{shown} includes appreciable benefit and appreciable harm"
    if one:
        return 1, f"{shown} includes no effect and an appreciable effect"
    if crosses_null:
        return 0, f"{shown} includes no effect but no appreciable effect"
    return 0, f"{shown} excludes no effect"


def assess_imprecision(body: Body) -> Judgment:
    """Rate down when the CI includes no effect and an appreciable effect, when the body is
    short of the optimal information size (far short: twice), or when it rests on pilot
    studies not powered for efficacy (GRADE 6, Core GRADE 2, GRADE 34/35)."""
    items = body.items
    findings: list[tuple[int, str, str]] = []
    ci = _ci_level(body)
    if ci is not None:
        findings.append((ci[0], ci[1], "imprecision.ci"))
    unknown = [i for i in items if i.size is None and i.design.needs_participants]
    if unknown and ci is None:
        findings.append(
            (
                1,
                f"sample size not reported ({_names(unknown)}) and no confidence "
                "interval: precision cannot be shown",
                "imprecision.unknown-size",
            )
        )
    known = [i.size for i in items if i.size is not None]
    if known:
        total = sum(known)
        ois, how = _information_size(body)
        partial = " known" if unknown else ""
        people = "participant" if total == 1 else "participants"
        if total < ois / 2:
            findings.append(
                (
                    2,
                    f"{total}{partial} {people}, far short of the optimal "
                    f"information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
        elif total < ois:
            findings.append(
                (
                    1,
                    f"{total}{partial} {people}, short of the optimal "
                    f"information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
        else:
            findings.append(
                (
                    0,
                    f"{total} {people} meet the optimal information size of {ois} ({how})",
                    "imprecision.information-size",
                )
            )
    pilots = [i for i in items if i.study.is_pilot]
    if pilots and len(pilots) == len(items):
        findings.append(
            (
                2,
                f"only pilot studies ({_names(pilots)}), which are not powered for "
                "efficacy: far short of an adequate sample",
                "imprecision.pilot",
            )
        )
    elif _share(pilots, items) >= 0.5:
        findings.append(
            (
                1,
                f"pilot studies ({_names(pilots)}) are not powered for efficacy",
                "imprecision.pilot",
            )
        )
    if not findings:
        return _judgment("imprecision", 0, "no sign of imprecision", body.ids, "imprecision.ci")
    level, reason, rule = max(findings, key=lambda f: f[0])
    if (
        ci is not None
        and ci[0] == 2
        and any(f[0] == 2 and f[2] == "imprecision.information-size" for f in findings)
    ):
        level, rule = 3, "imprecision.ci"
        reason = f"{ci[1]}, and the body is far short of the optimal information size"
    others = [f[1] for f in findings if f[1] != reason and f[0] > 0]
    if others and level > 0:
        reason = f"{reason}; also {'; '.join(others)}"
    return _judgment("imprecision", level, reason, body.ids, rule)


# -- publication bias ---------------------------------------------------------------------------


def assess_publication_bias(body: Body) -> Judgment:
    """Suspect publication bias when the whole body is small, industry-funded studies
    (Core GRADE 4); funnel-plot tests need about ten studies and are not attempted."""
    items = body.items
    small = all(i.size is not None and i.size < SMALL_STUDY for i in items)
    industry = all(i.study.funding == "industry" for i in items)
    if items and small and industry:
        return _judgment(
            "publication_bias",
            1,
            f"all studies are small (< {SMALL_STUDY}) and industry-funded: publication bias likely",
            body.ids,
            "publication_bias.small-industry",
        )
    return _judgment(
        "publication_bias",
        0,
        "not suspected: the body is not all small industry-funded studies",
        body.ids,
        "publication_bias.small-industry",
    )


# -- rating up ------------------------------------------------------------------------------------


def _ratio_estimates(body: Body) -> list[tuple[float, float, float, str]]:
    """(estimate, low, high, study) on the risk-ratio scale; ORs converted when possible."""
    result = []
    for item in body.items:
        effect = item.link.effect
        if effect is None or not effect.is_ratio or effect.ci_low is None or effect.ci_high is None:
            continue
        estimate, low, high = effect.estimate, effect.ci_low, effect.ci_high
        if effect.measure == "OR":
            events, size = item.link.events, item.size
            if events is None or not size:
                continue
            risk = min(events.control / (size / 2), 0.999)
            estimate, low, high = (or_to_rr(v, risk) for v in (estimate, low, high))
        result.append((estimate, low, high, item.id))
    return result


def assess_large_effect(body: Body) -> Judgment:
    """Rate up for a large (RR > 2 or < 0.5) or very large (> 5 or < 0.2) effect whose CI
    excludes no effect (GRADE 9); odds ratios count only when a control risk converts them."""
    estimates = _ratio_estimates(body)
    if not estimates:
        return Judgment(
            "large_effect",
            "none",
            "no risk-ratio estimate with a confidence interval",
            (),
            "rule",
            "large_effect.ratio",
        )
    from ..model import Effect

    pooled = pool([Effect("RR", e, lo, hi) for e, lo, hi, _ in estimates])
    assert pooled is not None
    ids = tuple(sorted(s for *_, s in estimates))
    shown = f"RR {pooled.estimate:.2f} (95% CI {pooled.ci_low:.2f} to {pooled.ci_high:.2f})"
    excludes_null = pooled.ci_high < 1 or pooled.ci_low > 1
    strength = max(pooled.estimate, 1 / pooled.estimate)
    if excludes_null and strength > 5:
        return Judgment(
            "large_effect",
            "very-large",
            f"{shown}: very large effect",
            ids,
            "rule",
            "large_effect.ratio",
        )
    if excludes_null and strength > 2:
        return Judgment(
            "large_effect", "large", f"{shown}: large effect", ids, "rule", "large_effect.ratio"
        )
    return Judgment(
        "large_effect", "none", f"{shown}: not a large effect", ids, "rule", "large_effect.ratio"
    )


def assess_dose_response(body: Body) -> Judgment:
    """A dose-response gradient shown by any study of the body (GRADE 9)."""
    showing = [i.id for i in body.items if i.link.dose_response]
    if showing:
        return Judgment(
            "dose_response",
            "present",
            f"dose-response gradient shown by {', '.join(sorted(showing))}",
            tuple(sorted(showing)),
            "rule",
            "dose_response.reported",
        )
    return Judgment(
        "dose_response",
        "absent",
        "no study reports a dose-response gradient",
        (),
        "rule",
        "dose_response.reported",
    )


def assess_plausible_confounding(body: Body) -> Judgment:
    """Whether all plausible confounding would reduce the effect cannot be read from study
    data; rating up for it needs a reviewer judgment."""
    return Judgment(
        "plausible_confounding",
        "absent",
        "not computable from study data; a reviewer judgment is needed to rate up",
        (),
        "rule",
        "plausible_confounding.reviewer-only",
    )


ASSESSORS: tuple[Assessor, ...] = tuple(
    Assessor(
        f"evigrade.{function.__name__.removeprefix('assess_')}",
        domain,
        function,
        (function.__doc__ or "").split("\n\n")[0].replace("\n", " "),
    )
    for domain, function in (
        ("risk_of_bias", assess_risk_of_bias),
        ("inconsistency", assess_inconsistency),
        ("indirectness", assess_indirectness),
        ("imprecision", assess_imprecision),
        ("publication_bias", assess_publication_bias),
        ("large_effect", assess_large_effect),
        ("dose_response", assess_dose_response),
        ("plausible_confounding", assess_plausible_confounding),
    )
)


@hookimpl
def evigrade_register_assessors(register: Callable[[Assessor], None]) -> None:
    for assessor in ASSESSORS:
        register(assessor)
