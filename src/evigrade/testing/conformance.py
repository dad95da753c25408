"""The conformance kit: the properties every grading scheme must have, checked with Hypothesis.

A plugin author runs it against a scheme in their own tests::

    from evigrade.testing.conformance import check_scheme

    def test_my_scheme_conforms():
        check_scheme(MY_SCHEME)          # a Scheme object, or the name of an installed scheme

Each property is also a function of its own (``check_labels``, ``check_deterministic`` ...), and
:data:`IMPROVEMENTS` names the "improve a study" operations. A failure raises
:class:`ConformanceError` (an ``AssertionError``) naming the property, the claim, and the
smallest evidence file Hypothesis found that breaks it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ..builtin.designs import BUILTIN_DESIGNS
from ..domains import DOMAINS, DOWN_DOMAINS
from ..files import from_data
from ..grading import assess
from ..kinds import DEFAULT_OPTIONS, GradingOptions, Registry, Scheme
from ..model import Grade
from ..plugins import get_registry
from . import strategies as gen

__all__ = [
    "CHECKS",
    "IMPROVEMENTS",
    "ConformanceError",
    "check_deterministic",
    "check_edge_cases",
    "check_improvements",
    "check_labels",
    "check_order_independent",
    "check_scheme",
    "grade_data",
]

Data = dict[str, Any]

_DESIGNS = {design.id: design for design in BUILTIN_DESIGNS}
_NON_RANDOMIZED = sorted(d.id for d in BUILTIN_DESIGNS if d.family == "non-randomized")
_WITH_EVIDENCE = gen.evidence_files(min_studies=1, min_claims=1, min_evidence=1)


class ConformanceError(AssertionError):
    """A scheme breaks a property every scheme must have."""


def _settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _resolve(scheme: Scheme | str, registry: Registry | None) -> tuple[Scheme, Registry]:
    """The scheme, and a registry in which its name means it."""
    base = registry if registry is not None else get_registry()
    if isinstance(scheme, str):
        if scheme not in base.schemes:
            raise ConformanceError(
                f"no scheme {scheme!r} is installed; available: {', '.join(base.schemes)}"
            )
        return base.schemes[scheme], base
    if base.schemes.get(scheme.name) is scheme:
        return scheme, base
    return scheme, attrs.evolve(base, schemes={**base.schemes, scheme.name: scheme})


def grade_data(
    scheme: Scheme, data: Data, registry: Registry, options: GradingOptions = DEFAULT_OPTIONS
) -> dict[str, Grade]:
    """Grade every claim of a file given as JSON data with the grading ``options``, checking
    each result is a valid grade: a :class:`~evigrade.model.Grade` of this scheme, with one of
    its labels at that label's rank, and a rationale."""
    evidence = from_data(data, designs=registry.designs, validate=False)
    grades: dict[str, Grade] = {}
    for claim in evidence.claims:
        grade = scheme.grade(assess(claim, evidence, registry, options))
        where = f"scheme {scheme.name!r}, claim {claim.id!r}"
        if not isinstance(grade, Grade):
            raise ConformanceError(f"{where}: returned {type(grade).__name__}, expected a Grade")
        if grade.label not in scheme.labels:
            raise ConformanceError(
                f"{where}: label {grade.label!r} is not one of the declared {scheme.labels}"
            )
        if scheme.labels.index(grade.label) != grade.rank:
            raise ConformanceError(
                f"{where}: label {grade.label!r} is declared at rank "
                f"{scheme.labels.index(grade.label)} but the grade says {grade.rank}"
            )
        if grade.direction not in ("supports", "contradicts", "mixed", "none"):
            raise ConformanceError(f"{where}: unknown direction {grade.direction!r}")
        if not grade.rationale:
            raise ConformanceError(f"{where}: the grade has no rationale")
        grades[claim.id] = grade
    return grades


def _fail(prop: str, scheme: Scheme, detail: str, data: Data | None = None) -> ConformanceError:
    shown = f"\nevidence file: {json.dumps(data, ensure_ascii=False)}" if data is not None else ""
    return ConformanceError(f"{prop} (scheme {scheme.name!r}): {detail}{shown}")


# -- the properties -------------------------------------------------------------------------------


def check_labels(scheme: Scheme | str, *, registry: Registry | None = None) -> None:
    """Labels are declared in rank order: distinct, non-empty strings, rank 0 first."""
    resolved, _ = _resolve(scheme, registry)
    labels = resolved.labels
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise _fail("labels", resolved, f"expected two or more distinct labels, found {labels}")
    if not all(isinstance(label, str) and label for label in labels):
        raise _fail("labels", resolved, f"every label must be a non-empty string: {labels}")


def check_deterministic(
    scheme: Scheme | str,
    *,
    registry: Registry | None = None,
    max_examples: int = 40,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> None:
    """The same input gives the same output."""
    resolved, reg = _resolve(scheme, registry)

    @given(gen.evidence_files())
    @_settings(max_examples)
    def prop(data: Data) -> None:
        first = grade_data(resolved, data, reg, options)
        again = grade_data(resolved, copy.deepcopy(data), reg, options)
        if first != again:
            raise _fail("same input, same output", resolved, "two runs differ", data)

    prop()


def check_order_independent(
    scheme: Scheme | str,
    *,
    registry: Registry | None = None,
    max_examples: int = 40,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> None:
    """Grades do not depend on the order of studies or of a claim's evidence."""
    resolved, reg = _resolve(scheme, registry)

    @given(gen.evidence_files(), st.data())
    @_settings(max_examples)
    def prop(data: Data, draw: st.DataObject) -> None:
        shuffled = copy.deepcopy(data)
        shuffled["studies"] = draw.draw(st.permutations(shuffled["studies"]), label="studies")
        for claim in shuffled["claims"]:
            claim["evidence"] = draw.draw(st.permutations(claim["evidence"]), label="evidence")
        if grade_data(resolved, data, reg, options) != grade_data(resolved, shuffled, reg, options):
            raise _fail("order independence", resolved, "reordering changed a grade", data)

    prop()


# -- improving a study ---------------------------------------------------------------------------

Improvement = Callable[[st.DataObject, Data], "tuple[Data, Data, set[str] | None]"]


def _cited(data: Data) -> list[str]:
    return sorted({link["study"] for claim in data["claims"] for link in claim["evidence"]})


def _study(data: Data, study_id: str) -> dict[str, Any]:
    return next(s for s in data["studies"] if s["id"] == study_id)


def _links(data: Data, study_id: str) -> list[dict[str, Any]]:
    return [link for c in data["claims"] for link in c["evidence"] if link["study"] == study_id]


def _least_n(data: Data, study_id: str) -> int:
    needed = 1
    for link in _links(data, study_id):
        needed = max(needed, link.get("n", sum(link.get("events", {}).values())))
    return int(needed)


def larger_study(draw: st.DataObject, data: Data) -> tuple[Data, Data, set[str] | None]:
    """(a) A study's ``n`` times k (2..100), with its links' ``n`` and event counts times k:
    the same event rates in more participants."""
    candidates = [
        s["id"]
        for s in data["studies"]
        if isinstance(s.get("n"), int) and s["design"] != "case-report"
    ]
    assume(candidates)
    study_id = draw.draw(st.sampled_from(candidates), label="study")
    k = draw.draw(st.integers(2, 100), label="k")
    after = copy.deepcopy(data)
    _study(after, study_id)["n"] *= k
    for link in _links(after, study_id):
        if "n" in link:
            link["n"] *= k
        if "events" in link:
            link["events"] = {arm: count * k for arm, count in link["events"].items()}
    return data, after, None


def blinding_added(draw: st.DataObject, data: Data) -> tuple[Data, Data, set[str] | None]:
    """(b) A study's blinding from none (open-label) or unstated to double."""
    study_id = draw.draw(st.sampled_from(_cited(data)), label="study")
    before = copy.deepcopy(data)
    study = _study(before, study_id)
    if draw.draw(st.booleans(), label="open-label (else unstated)"):
        study["blinding"] = "none"
    else:
        study.pop("blinding", None)
    after = copy.deepcopy(before)
    _study(after, study_id)["blinding"] = "double"
    return before, after, None


def reviewer_relieved(draw: st.DataObject, data: Data) -> tuple[Data, Data, set[str] | None]:
    """(c) A claim's reviewer judgment of a rating-down domain from serious (or worse) to
    not-serious."""
    index = draw.draw(st.integers(0, len(data["claims"]) - 1), label="claim")
    domain = draw.draw(st.sampled_from(DOWN_DOMAINS), label="domain")
    rating = draw.draw(
        st.sampled_from([r for r in DOMAINS[domain].rating_names if r != "not-serious"]),
        label="rating",
    )
    before = copy.deepcopy(data)
    judgments = before["claims"][index].setdefault("judgments", {})
    judgments[domain] = {"rating": rating, "reason": "a reviewer's judgment"}
    after = copy.deepcopy(before)
    after["claims"][index]["judgments"][domain]["rating"] = "not-serious"
    return before, after, None


#: The keys that describe the studies a review pools (a study's and a link's).
_POOLED_KEYS = ("included_studies", "included_risk_of_bias")


def _unrandomized(draw: st.DataObject, data: Data, designs: list[str]) -> tuple[Data, str]:
    study_id = draw.draw(st.sampled_from(_cited(data)), label="study")
    before = copy.deepcopy(data)
    study = _study(before, study_id)
    study["design"] = draw.draw(st.sampled_from(designs), label="design")
    for key in ("of", *_POOLED_KEYS):  # what only a review may say
        study.pop(key, None)
    for link in _links(before, study_id):
        for key in _POOLED_KEYS:
            link.pop(key, None)
        if isinstance(link.get("effect"), dict):
            link["effect"].pop("heterogeneity", None)
    if draw.draw(st.booleans(), label="randomized: false (else no key)"):
        study["randomized"] = False
    else:
        study.pop("randomized", None)
    if _DESIGNS[study["design"]].needs_participants and "n" not in study:
        study["n"] = _least_n(before, study_id)
    if not _DESIGNS[study["design"]].needs_participants and study.get("n", 0) is None:
        del study["n"]
    return before, study_id


def randomized_experiment(draw: st.DataObject, data: Data) -> tuple[Data, Data, set[str] | None]:
    """(d1) ``randomized: true`` on an animal or laboratory study that lacked it."""
    before, study_id = _unrandomized(draw, data, ["animal", "in-vitro"])
    after = copy.deepcopy(before)
    _study(after, study_id)["randomized"] = True
    return before, after, None


def randomized_trial(draw: st.DataObject, data: Data) -> tuple[Data, Data, set[str] | None]:
    """(d2) A non-randomized comparative study becomes an ``rct``, checked for the claims
    where it is the only completed randomized or non-randomized study: GRADE itself rates a
    body of trials down when a newly randomized study disagrees with those already there."""
    before, study_id = _unrandomized(draw, data, _NON_RANDOMIZED)
    after = copy.deepcopy(before)
    trial = _study(after, study_id)
    trial["design"] = "rct"
    trial.pop("randomized", None)
    studies = {s["id"]: s for s in before["studies"]}

    def comparative(other: dict[str, Any]) -> bool:
        design = _DESIGNS.get(other["design"])
        completed = other.get("status", "completed") == "completed"
        return (
            completed and design is not None and design.family in ("randomized", "non-randomized")
        )

    alone = {
        claim["id"]
        for claim in before["claims"]
        if any(link["study"] == study_id for link in claim["evidence"])
        and not any(
            link["study"] != study_id and comparative(studies[link["study"]])
            for link in claim["evidence"]
        )
    }
    return before, after, alone


#: The "improve a study" operations, by name.
IMPROVEMENTS: dict[str, Improvement] = {
    "larger n": larger_study,
    "blinding added": blinding_added,
    "reviewer serious -> not-serious": reviewer_relieved,
    "randomized animal or laboratory study": randomized_experiment,
    "randomized instead of not": randomized_trial,
}


def check_improvements(
    scheme: Scheme | str,
    *,
    registry: Registry | None = None,
    max_examples: int = 40,
    improvements: Iterable[str] | None = None,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> None:
    """Improving a study never lowers a claim's rank (each of :data:`IMPROVEMENTS`), with
    the grading ``options`` (the policy for risk of bias not recorded, say)."""
    resolved, reg = _resolve(scheme, registry)
    for name in improvements if improvements is not None else IMPROVEMENTS:
        _never_lower(resolved, reg, name, max_examples, options)


def _never_lower(
    scheme: Scheme, registry: Registry, name: str, max_examples: int, options: GradingOptions
) -> None:
    improve = IMPROVEMENTS[name]

    @given(_WITH_EVIDENCE, st.data())
    @_settings(max_examples)
    def prop(data: Data, draw: st.DataObject) -> None:
        before, after, claims = improve(draw, data)
        old = grade_data(scheme, before, registry, options)
        new = grade_data(scheme, after, registry, options)
        lowered = {
            claim: f"{old[claim].label} -> {new[claim].label}"
            for claim in old
            if (claims is None or claim in claims) and new[claim].rank < old[claim].rank
        }
        if lowered:
            raise _fail(f"improvement never lowers ({name})", scheme, f"{lowered}", before)

    prop()


def check_edge_cases(scheme: Scheme | str, *, registry: Registry | None = None) -> None:
    """Empty evidence and pending-only claims get rank 0; opinion-only and every other edge
    case get a valid grade with a rationale."""
    resolved, reg = _resolve(scheme, registry)
    data: Data = {
        "evigrade": "1",
        "studies": [
            {"id": "plan", "design": "protocol", "n": 100, "status": "ongoing"},
            {"id": "ongoing", "design": "rct", "n": 100, "status": "ongoing"},
            {"id": "opinion", "design": "expert-opinion"},
            {"id": "review", "design": "narrative-review"},
            {"id": "story", "design": "anecdote", "n": None},
            {"id": "gone", "design": "rct", "n": 100, "status": "retracted"},
        ],
        "claims": [
            {"id": "empty", "text": "nothing cited", "evidence": []},
            {
                "id": "pending",
                "text": "only plans",
                "evidence": [
                    {"study": "plan", "direction": "inconclusive"},
                    {"study": "ongoing", "direction": "inconclusive"},
                ],
            },
            {
                "id": "opinion",
                "text": "only opinion",
                "evidence": [
                    {"study": "opinion", "direction": "supports"},
                    {"study": "review", "direction": "supports"},
                    {"study": "story", "direction": "supports"},
                ],
            },
            {
                "id": "retracted",
                "text": "only a retracted trial",
                "evidence": [{"study": "gone", "direction": "supports"}],
            },
        ],
    }
    grades = grade_data(resolved, data, reg)
    for claim in ("empty", "pending", "retracted"):
        if grades[claim].rank != 0:
            raise _fail(
                "edge cases",
                resolved,
                f"claim {claim!r} has nothing gradable but got {grades[claim].label!r} "
                f"(rank {grades[claim].rank}); expected rank 0",
            )
    pending = {note.study for note in grades["pending"].pending}
    if pending != {"plan", "ongoing"}:
        raise _fail("edge cases", resolved, f"pending studies not listed: {sorted(pending)}")


#: Every check, in the order :func:`check_scheme` runs them.
CHECKS: tuple[Callable[..., None], ...] = (
    check_labels,
    check_edge_cases,
    check_deterministic,
    check_order_independent,
    check_improvements,
)


def check_scheme(
    scheme: Scheme | str,
    *,
    registry: Registry | None = None,
    max_examples: int = 30,
    options: GradingOptions = DEFAULT_OPTIONS,
) -> None:
    """Run every conformance check against a scheme (an object, or an installed one's name),
    grading with ``options`` (default: the default options).

    Raises :class:`ConformanceError` at the first property the scheme breaks.
    """
    for check in CHECKS:
        if check in (check_labels, check_edge_cases):
            check(scheme, registry=registry)
        else:
            check(scheme, registry=registry, max_examples=max_examples, options=options)
