"""Imprecision: the confidence interval against thresholds, the optimal information size, and
what a body could detect of a harm (GRADE 6, 34 and 35; Core GRADE 2; the rule of three).

The interval is the one reported for a single effect, or the random-effects pooled one for
several (:func:`~evigrade.builtin.assessors.stats.pool`). docs/schemes.md gives every number
with its source.
"""

from __future__ import annotations

import math
import re

import attrs

from ...kinds import Body, EvidenceItem
from ...model import RATIO_MEASURES, Judgment
from ...words import count_of
from .common import control_risk, judgment, names, short_follow_up
from .stats import (
    Z95,
    Pooled,
    continuous_information_size,
    optimal_information_size,
    pool,
    usable,
)

__all__ = [
    "APPRECIABLE_RATIO",
    "APPRECIABLE_SMD",
    "DEFAULT_INFORMATION_SIZE",
    "HARM_FREQUENCIES",
    "LARGE_RATIO",
    "LARGE_RELATIVE_EFFECT",
    "LARGE_SMD",
    "assess_imprecision",
    "claimed_harm_frequency",
]

#: GRADE 6's rough guide to an appreciable benefit or harm on a ratio scale.
APPRECIABLE_RATIO = (0.75, 1.25)
#: A large effect on a ratio scale (GRADE 9: a two-fold reduction or increase).
LARGE_RATIO = (0.5, 2.0)
#: An appreciable standardized difference without a known MID (GRADE handbook 5.2: 0.5 SD).
APPRECIABLE_SMD = 0.5
#: A large standardized difference (Cohen's large effect).
LARGE_SMD = 0.8
#: A large relative effect, for which the information size is checked even when the CI does
#: not cross the threshold (Core GRADE 2: a relative risk reduction greater than 30%).
LARGE_RELATIVE_EFFECT = 0.30
#: The information size when no control risk or MID sets it (rule of thumb of published
#: reviews; for a continuous outcome the size that detects 0.28 SD).
DEFAULT_INFORMATION_SIZE = 400
#: The frequencies a claim about harms speaks of (CIOMS III: very rare < 1/10,000, rare
#: < 1/1,000; otherwise the "common harm" of the Oxford CEBM harms row, 1 in 100).
HARM_FREQUENCIES = (
    (re.compile(r"\bvery rare(?:ly)?\b"), 1e-4, 'the claim says "very rare", CIOMS III'),
    (
        re.compile(r"\b(?:rare|rarely|uncommon|infrequent)\b"),
        1e-3,
        'the claim says "rare", CIOMS III',
    ),
)
_NO_HARM = re.compile(
    r"\b(?:safe|safely|safety|well[- ]tolerated|tolerable|tolerated|mild|low[- ]risk|harmless|"
    r"no|none|without|never|free of|(?:does|do|did|will|would) not)\b"
)
_NOT_LARGE = (
    "not a large relative effect, so the information size is not needed (GRADE 34; Core GRADE 2)"
)

_RULE_CI = "imprecision.ci"
_RULE_SIZE = "imprecision.information-size"
_RULE_UNKNOWN = "imprecision.unknown-size"
_RULE_HARMS = "imprecision.harms"


@attrs.frozen
class _Thresholds:
    """Thresholds on the effect's scale: appreciable (A) and large (L), either side of no
    effect (``None`` where none is known); ``mid`` when they come from the claim's MID."""

    low: float | None
    high: float | None
    large_low: float | None
    large_high: float | None
    how: str
    mid: bool = False


def _num(value: float) -> str:
    return f"{value:.2f}" if value == 0 or abs(value) >= 0.095 else f"{value:.2g}"


def _implied_sd(effect: Pooled, participants: int | None) -> float | None:
    """The SD a mean difference's CI implies with ``participants`` in two equal arms: SE x
    sqrt(N) / 2 (evigrade rule)."""
    if participants is None or participants < 2:
        return None
    return (effect.ci_high - effect.ci_low) / (2 * Z95) * math.sqrt(participants) / 2


def _ratio_thresholds(body: Body, risk: tuple[float, str] | None) -> _Thresholds:
    claim = body.claim.thresholds
    low, high = APPRECIABLE_RATIO
    how = "RR 0.75 and 1.25, GRADE 6's rough guide"
    mid = False
    if claim is not None and claim.measure in RATIO_MEASURES and 0 < claim.mid < 1:
        low, high, mid = 1 - claim.mid, 1 + claim.mid, True
        how = f"the claim's minimal important difference, a relative change of {claim.mid:g}"
    elif claim is not None and claim.measure == "RD" and risk is not None:
        relative = claim.mid / risk[0]
        if 0 < relative < 1:
            low, high, mid = 1 - relative, 1 + relative, True
            how = (
                f"the claim's minimal important difference, RD {claim.mid:g}, at a control "
                f"risk of {risk[0]:.1%}"
            )
    elif claim is not None:
        how += f" (the claim's MID on {claim.measure} cannot be set on this measure)"
    return _Thresholds(low, high, min(LARGE_RATIO[0], low), max(LARGE_RATIO[1], high), how, mid)


def _thresholds(
    body: Body, effect: Pooled, participants: int | None, risk: tuple[float, str] | None
) -> _Thresholds | None:
    """The thresholds for this effect (docs/schemes.md, "Thresholds"), or None when none can
    be set (a risk difference without a control risk, a mean difference of unknown size)."""
    claim = body.claim.thresholds
    if effect.is_ratio:
        return _ratio_thresholds(body, risk)
    if effect.measure == "SMD":
        if claim is not None and claim.measure == "SMD" and claim.mid > 0:
            a, how, mid = (
                claim.mid,
                f"the claim's minimal important difference, {claim.mid:g} SD",
                True,
            )
        else:
            a, how, mid = APPRECIABLE_SMD, "0.5 SD, the GRADE handbook's default", False
        return _Thresholds(-a, a, -max(LARGE_SMD, a), max(LARGE_SMD, a), how, mid)
    if effect.measure == "MD":
        sd = _implied_sd(effect, participants)
        implied = (
            f"SD {_num(sd)} implied by the CI and {participants} participants in two equal "
            "arms (evigrade rule)"
            if sd is not None
            else ""
        )
        large = LARGE_SMD * sd if sd is not None else None
        if claim is not None and claim.measure == "MD" and claim.mid > 0:
            a = claim.mid
            large = max(large, a) if large is not None else None
            return _Thresholds(
                -a,
                a,
                -large if large is not None else None,
                large,
                f"the claim's minimal important difference, MD {claim.mid:g}",
                True,
            )
        if sd is None:
            return None
        if claim is not None and claim.measure == "SMD" and claim.mid > 0:
            a = claim.mid * sd
            large = max(LARGE_SMD, claim.mid) * sd
            how = f"the claim's minimal important difference, {claim.mid:g} SD ({implied})"
            return _Thresholds(-a, a, -large, large, how, True)
        a = APPRECIABLE_SMD * sd
        assert large is not None
        return _Thresholds(-a, a, -large, large, f"0.5 SD ({implied})")
    # A risk difference: on the risk-ratio scale through the control risk.
    if claim is not None and claim.measure == "RD" and claim.mid > 0:
        a = claim.mid
        how = f"the claim's minimal important difference, RD {claim.mid:g}"
        if risk is None:
            return _Thresholds(-a, a, None, None, how, True)
        return _Thresholds(-a, a, -max(a, 0.5 * risk[0]), max(a, risk[0]), how, True)
    if risk is None:
        return None
    p0 = risk[0]
    if claim is not None and claim.measure in RATIO_MEASURES and 0 < claim.mid < 1:
        a = claim.mid * p0
        how = f"the claim's minimal important difference, a relative change of {claim.mid:g}"
        return _Thresholds(
            -a, a, -max(a, 0.5 * p0), max(a, p0), f"{how} at a control risk of {p0:.1%}", True
        )
    return _Thresholds(
        -0.25 * p0,
        0.25 * p0,
        -0.5 * p0,
        p0,
        f"RR 0.75 and 1.25 at a control risk of {p0:.1%} ({risk[1]})",
    )


def _shown(effect: Pooled, others: list[EvidenceItem]) -> str:
    shown = (
        f"{effect.measure} {_num(effect.estimate)} (95% CI {_num(effect.ci_low)} to "
        f"{_num(effect.ci_high)})"
    )
    if effect.k > 1:
        shown = f"{shown}, pooled from {effect.k} effects (random effects, DerSimonian and Laird)"
    if others:
        shown += f" (not pooled, another measure: {names(others)})"
    return shown


_NO_THRESHOLD = (
    "no threshold of an appreciable effect is known (a mean difference of unknown size, or a "
    "risk difference without a control risk)"
)


def _ci(effect: Pooled, th: _Thresholds | None, shown: str) -> tuple[int, str, bool]:
    """(level, reason, shows an effect) from the CI against the thresholds (GRADE 34/35)."""
    low, high, null = effect.ci_low, effect.ci_high, effect.null_value
    includes_null = low < null < high
    if th is None:
        if includes_null:
            return 1, f"{shown} includes no effect, and {_NO_THRESHOLD}", False
        return 0, f"{shown} excludes no effect", True
    where = f"thresholds: {th.how}"
    a_low, a_high, l_low, l_high = th.low, th.high, th.large_low, th.large_high
    below = a_low is not None and low < a_low
    above = a_high is not None and high > a_high
    large = f"{_num(l_low or 0)} and {_num(l_high or 0)}; {where}"
    both_large = l_low is not None and l_high is not None and low < l_low and high > l_high
    if th.mid:
        mid = "the minimal important difference"
        beyond = (a_high is not None and low >= a_high) or (a_low is not None and high <= a_low)
        if both_large:
            return 3, f"{shown} crosses {mid} both ways, to large effects ({large})", False
        if below and above:
            return 2, f"{shown} crosses {mid} in both directions ({where})", False
        if beyond:
            return 0, f"{shown} lies wholly beyond {mid} ({where})", True
        if below or above:
            return 1, f"{shown} crosses {mid} ({where})", False
        return 0, f"{shown} lies within {mid}: little or no important effect ({where})", False
    if not includes_null:
        return 0, f"{shown} excludes no effect", True
    if both_large:
        return 3, f"{shown} includes no effect and large effects both ways ({large})", False
    if below and above:
        return 2, f"{shown} includes appreciable benefit and appreciable harm ({where})", False
    if below or above:
        return 1, f"{shown} includes no effect and an appreciable effect ({where})", False
    precise = "lies within the appreciable thresholds: a precise estimate of little or no effect"
    return 0, f"{shown} includes no effect but {precise} ({where})", False


def _is_binary(body: Body, effect: Pooled | None) -> bool:
    if effect is not None:
        return effect.measure in RATIO_MEASURES or effect.measure == "RD"
    if body.claim.outcome_type in ("dichotomous", "time-to-event"):
        return True
    return any(item.link.events is not None for item in body.items)


def _large_relative(effect: Pooled, risk: tuple[float, str] | None) -> bool | None:
    """Whether the relative effect is large (RR < 0.70 or > 1.30); None when it cannot be
    told (a risk difference without a control risk)."""
    if effect.is_ratio:
        ratio = effect.estimate
    elif risk is not None and risk[0] > 0:
        ratio = 1 + effect.estimate / risk[0]
    else:
        return None
    return ratio < 1 - LARGE_RELATIVE_EFFECT or ratio > 1 + LARGE_RELATIVE_EFFECT


def _information_size(
    body: Body, effect: Pooled | None, risk: tuple[float, str] | None, sd: float | None
) -> tuple[int, str]:
    """The optimal information size (GRADE 6; Core GRADE 2) and how it was set."""
    if _is_binary(body, effect):
        if risk is not None and 0 < risk[0] < 1:
            return optimal_information_size(risk[0]), (
                f"control risk {risk[0]:.1%}, {risk[1]}; relative risk reduction 25%, "
                "alpha 0.05, power 0.8"
            )
        return DEFAULT_INFORMATION_SIZE, "the rule of thumb when no control risk is known"
    claim = body.claim.thresholds
    if claim is not None and claim.mid > 0:
        smd = claim.mid if claim.measure == "SMD" else None
        if claim.measure == "MD" and sd:
            smd = claim.mid / sd
        if smd:
            return continuous_information_size(smd), (
                f"to detect the claim's minimal important difference of {_num(smd)} SD, "
                "alpha 0.05, power 0.8"
            )
    return (
        DEFAULT_INFORMATION_SIZE,
        "the rule of thumb for a continuous outcome, which detects about 0.28 SD",
    )


def claimed_harm_frequency(body: Body) -> tuple[float, str] | None:
    """For a safety claim that harms are rare, mild or absent: the frequency it speaks of, and
    why (the claim's ``thresholds`` as a risk difference, else its wording); None for any
    other claim."""
    claim = body.claim
    if claim.effective_outcome_kind != "safety":
        return None
    if (
        claim.thresholds is not None
        and claim.thresholds.measure == "RD"
        and 0 < claim.thresholds.mid < 1
    ):
        return claim.thresholds.mid, "the claim's threshold"
    text = claim.text.lower()
    for pattern, risk, why in HARM_FREQUENCIES:
        if pattern.search(text):
            return risk, why
    if _NO_HARM.search(text):
        return 0.01, "a common harm, as in the Oxford CEBM harms row"
    return None


def _harms(body: Body, frequency: tuple[float, str], total: int, partial: str) -> tuple[int, str]:
    risk, why = frequency
    needed = math.ceil(3 / risk)
    detectable = f"1 in {max(1, round(total / 3)):,}"
    claimed = f"1 in {round(1 / risk):,}"
    people = count_of(total, "participant")
    if total >= needed:
        level = 0
        reason = (
            f"harms: {people}{partial}: by the rule of three a harm as common as about "
            f"{detectable} would likely have been seen, and the claim speaks of harms rarer "
            f"than {claimed} ({why})"
        )
    else:
        level = 1 if total * 10 >= needed else 2
        reason = (
            f"harms: {people}{partial}: a harm rarer than about {detectable} could not have "
            f"been detected (rule of three), and the claim speaks of harms rarer than "
            f"{claimed} ({why}), which needs {needed:,} participants"
        )
        if level == 2:
            reason += "; not a tenth of that, so a harm ten times as common could be missed"
    follow_up = short_follow_up(body.items)
    if follow_up:
        reason += (
            f"; follow-up under 6 months in every study ({', '.join(follow_up)}): harms that "
            "appear later could not be seen (ICH E1)"
        )
    return level, reason


def assess_imprecision(body: Body) -> Judgment:
    """Rate down when the CI crosses the thresholds that matter (one, two or three levels as
    it spans more of them: GRADE 34 and 35, Core GRADE 2), once when a large effect or a body
    without a CI falls short of the optimal information size, and for a claim that a harm is
    rare or absent, as far as the body could not have seen such a harm (rule of three)."""
    items = body.items
    findings: list[tuple[int, str, str]] = []
    risk = control_risk(body)
    with_effect = [i for i in items if usable(i.link.effect)]
    effect = pool([i.link.effect for i in with_effect if i.link.effect is not None])
    pooled = [
        i
        for i in with_effect
        if i.link.effect and i.link.effect.measure == (effect.measure if effect else None)
    ]
    others = [i for i in with_effect if i not in pooled]
    sizes = [i.size for i in pooled]
    participants = sum(s for s in sizes if s is not None) if sizes and None not in sizes else None
    sd = (
        _implied_sd(effect, participants) if effect is not None and effect.measure == "MD" else None
    )
    frequency = claimed_harm_frequency(body)
    check_size = effect is None
    if effect is not None:
        th = _thresholds(body, effect, participants, risk)
        level, reason, shows = _ci(effect, th, _shown(effect, others))
        if level == 0 and shows:
            large = _large_relative(effect, risk) if _is_binary(body, effect) else True
            if large is False:
                reason += f"; {_NOT_LARGE}"
            else:
                check_size = True
        findings.append((level, reason, _RULE_CI))
    unknown = [i for i in items if i.size is None]
    known = [i.size for i in items if i.size is not None]
    total = sum(known)
    partial = " known" if unknown and known else ""
    if unknown and (effect is None or check_size):
        missing = f"N not reported for {names(unknown)}"
        if effect is None:
            what = f"precision cannot be shown: no confidence interval, and {missing}"
        else:
            what = f"whether a large effect rests on enough participants cannot be shown: {missing}"
        findings.append((1, what, _RULE_UNKNOWN))
    if frequency is not None and known:
        level, reason = _harms(body, frequency, total, partial)
        findings.append((level, reason, _RULE_HARMS))
    elif check_size and known:
        ois, how = _information_size(body, effect, risk, sd)
        pilots = [i for i in items if i.study.is_pilot]
        pilot = ""
        if pilots:
            kind = "pilot" if len(pilots) == 1 else "pilots"
            pilot = f" ({kind}: {names(pilots)}, not powered for efficacy)"
        people = count_of(total, "participant")
        what = "" if effect is not None else "no confidence interval; "
        if total < ois:
            reason = (
                f"{what}{people}{partial}{pilot}, short of the optimal information size of "
                f"{ois:,} ({how})"
            )
            if total * 2 < ois:
                reason += "; less than half of it (GRADE 34 lets a reviewer rate down twice)"
            findings.append((1, reason, _RULE_SIZE))
        else:
            findings.append(
                (
                    0,
                    f"{what}{people}{pilot} meet the optimal information size of {ois:,} ({how})",
                    _RULE_SIZE,
                )
            )
    level = max(f[0] for f in findings)
    worst = next(f for f in findings if f[0] == level)
    rest = [f[1] for f in findings if f is not worst and (f[0] > 0 or level == 0)]
    reason = worst[1] + (f"; also {'; '.join(rest)}" if rest else "")
    return judgment("imprecision", level, reason, body.ids, worst[2])
