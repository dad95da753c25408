"""Property tests: generated valid evidence files validate, load and dump losslessly, grade the
same whatever the order of their studies and evidence, never grade lower when a study gets
better, and, once broken on purpose, are reported at the JSON Pointer of the break."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from evigrade import (
    dumps,
    from_data,
    get_registry,
    grade_file,
    loads,
    schema,
    to_data,
    validate_data,
    validate_text,
)
from evigrade.builtin.formats import render_json
from evigrade.testing import strategies as gen
from evigrade.testing.conformance import IMPROVEMENTS, check_improvements

#: Properties of valid files (validity, round trips, grading).
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: Mutations of valid files, and checks of the strategies themselves.
FEW = settings(SETTINGS, max_examples=50)
#: For collecting what strategies generate.
COLLECT = settings(
    database=None, max_examples=100, phases=[Phase.generate], deadline=None, derandomize=True
)

DESIGNS = gen.DESIGNS
STUDY_KEYS = sorted(schema()["$defs"]["study"]["properties"])


# -- helpers -------------------------------------------------------------------------------------


def grade_bytes(data: dict[str, Any]) -> str:
    """The ``--format json`` report of a file given as data."""
    return render_json(grade_file(from_data(data)))


def grade_ranks(data: dict[str, Any]) -> dict[str, int]:
    """Each claim's GRADE rank (0 no evidence .. 4 High)."""
    report = grade_file(from_data(data))
    return {result.claim.id: result.grades["grade"].rank for result in report.results}


def assert_valid(data: dict[str, Any]) -> None:
    problems = validate_data(data)
    assert problems == [], [str(p) for p in problems]


def assert_no_rank_lowered(
    before: dict[str, Any], after: dict[str, Any], claims: set[str] | None = None
) -> None:
    """Both files are valid (``from_data`` raises otherwise), and no claim (of ``claims``,
    default all) ranks lower after."""
    old, new = grade_ranks(before), grade_ranks(after)
    lowered = {
        claim: (old[claim], new[claim])
        for claim in old
        if (claims is None or claim in claims) and new[claim] < old[claim]
    }
    assert not lowered, f"GRADE rank lowered (before, after): {lowered}; all: {old} -> {new}"


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(*parts: str | int) -> str:
    return "".join(f"/{escape(str(part))}" for part in parts)


_SENTINEL = "\x00evigrade-test-sentinel\x00"


def position_in_text(
    data: dict[str, Any], parts: tuple[str | int, ...], *, key: bool
) -> tuple[int, int]:
    """1-based (line, column) where ``json.dumps(data, indent=2)`` writes the value at ``parts``
    (or, with ``key``, its member name), found independently of evigrade: the value (or name) is
    replaced by a sentinel, which leaves everything before it where it was."""
    marked = copy.deepcopy(data)
    parent: Any = marked
    for part in parts[:-1]:
        parent = parent[part]
    last = parts[-1]
    if key:
        items = list(parent.items())
        parent.clear()
        parent.update({(_SENTINEL if k == last else k): v for k, v in items})
    else:
        parent[last] = _SENTINEL
    text = json.dumps(marked, indent=2)
    offset = text.index(json.dumps(_SENTINEL))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def assert_reported_at(
    data: dict[str, Any], parts: tuple[str | int, ...], *, key: bool = False
) -> None:
    """Validation of the data, and of its JSON text, reports a problem at ``parts``; in the
    text, at the line and column of that value (or of that member name, with ``key``)."""
    pointer = pointer_of(*parts)
    problems = validate_data(data)
    assert pointer in [p.pointer for p in problems], [(p.pointer, p.message) for p in problems]
    text = json.dumps(data, indent=2)
    located = [p for p in validate_text(text) if p.pointer == pointer]
    assert located, "validate_text did not report the problem that validate_data reported"
    expected = position_in_text(data, parts, key=key) if parts else (1, 1)
    for problem in located:
        assert (problem.line, problem.column) == expected, (str(problem), expected)


# -- the strategies themselves ---------------------------------------------------------------------


@given(st.data())
@SETTINGS
def test_study_strategy_generates_the_asked_design_with_n_where_needed(
    data: st.DataObject,
) -> None:
    design = data.draw(st.sampled_from(sorted(DESIGNS)), label="design")
    study = data.draw(gen.study(design=design), label="study")
    assert study["design"] == design
    if DESIGNS[design].needs_participants:
        assert "n" in study
    else:
        assert study.get("n", 1) is not None
    if design == "case-report":
        assert study["n"] in (1, None)
    assert_valid({"evigrade": "1", "studies": [study], "claims": []})


@pytest.mark.parametrize("measure", gen.MEASURES)
@given(data=st.data())
@FEW
def test_effects_strategy_keeps_ratios_positive_and_the_ci_in_order(
    measure: str, data: st.DataObject
) -> None:
    effect = data.draw(gen.effects(measure=measure))
    assert effect["measure"] == measure
    values = [effect[k] for k in ("ci_low", "estimate", "ci_high") if k in effect]
    assert values == sorted(values)
    if measure in gen.RATIO_MEASURES:
        assert min(values) > 0


_OPTIONAL_KEYS: dict[str, tuple[st.SearchStrategy[dict[str, Any]], tuple[str, ...]]] = {
    "file": (gen.evidence_files(max_studies=1, max_claims=1), ("$schema", "title", "source")),
    "source": (gen.source(), ("title", "url", "publisher", "published", "kind")),
    "study": (
        gen.study() | gen.study(design="meta-analysis"),  # only a meta-analysis (or SR) has `of`
        tuple(k for k in STUDY_KEYS if k not in ("id", "design")),
    ),
    "claim": (
        gen.claim(["s"]),
        (
            "population",
            "intervention",
            "comparator",
            "outcome",
            "outcome_kind",
            "outcome_type",
            "species",
            "judgments",
            "thresholds",
            "control_risk",
        ),
    ),
    "link": (
        gen.evidence_link("s", 100),
        (
            "effect",
            "events",
            "n",
            "applicability",
            "dose_response",
            "quote",
            "addresses",
            "cited_by_source",
        ),
    ),
    "review link": (
        gen.evidence_link("s", 100, review=True, pooled=5),
        ("included_studies", "included_risk_of_bias", "addresses"),
    ),
    "effect": (gen.effects(), ("ci_low", "ci_high", "p")),
    "pooled effect": (gen.effects(pooled=True), ("ci_low", "ci_high", "p", "heterogeneity")),
    "heterogeneity": (gen.heterogeneity(), ("tau2", "p")),
    "included_risk_of_bias": (
        gen.included_risk_of_bias(),
        ("tool", "low", "some_concerns", "high", "critical", "unclear"),
    ),
    "risk_of_bias": (gen.risk_of_bias(), ("overall", "domains")),
}


@pytest.mark.parametrize("where", sorted(_OPTIONAL_KEYS))
def test_strategies_sometimes_generate_every_optional_key_and_x_extensions(where: str) -> None:
    strategy, keys = _OPTIONAL_KEYS[where]
    seen: set[str] = set()

    @given(strategy)
    @COLLECT
    def collect(value: dict[str, Any]) -> None:
        seen.update("x-..." if key.startswith("x-") else key for key in value)

    collect()
    plain = ("effect", "pooled effect", "heterogeneity", "included_risk_of_bias", "risk_of_bias")
    expected = set(keys) if where in plain else {*keys, "x-..."}
    assert expected <= seen, f"never generated: {sorted(expected - seen)}"


# -- validity and round trips ------------------------------------------------------------------


@given(gen.evidence_files())
@SETTINGS
def test_generated_files_are_valid_as_data_and_as_text(data: dict[str, Any]) -> None:
    assert_valid(data)
    assert validate_text(json.dumps(data)) == []
    assert validate_text(json.dumps(data, indent=2, ensure_ascii=False)) == []


@given(gen.evidence_files())
@SETTINGS
def test_x_extensions_are_kept_on_load(data: dict[str, Any]) -> None:
    evidence = from_data(data)

    def ext(value: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in value.items() if k.startswith("x-")}

    assert dict(evidence.extensions) == ext(data)
    if "source" in data:
        assert evidence.source is not None
        assert dict(evidence.source.extensions) == ext(data["source"])
    for study, raw in zip(evidence.studies, data["studies"], strict=True):
        assert dict(study.extensions) == ext(raw)
    for claim, raw_claim in zip(evidence.claims, data["claims"], strict=True):
        assert dict(claim.extensions) == ext(raw_claim)
        for link, raw_link in zip(claim.evidence, raw_claim["evidence"], strict=True):
            assert dict(link.extensions) == ext(raw_link)


_MINIMAL_FILE: dict[str, Any] = {"evigrade": "1", "studies": [], "claims": []}
_NESTED_EXTENSIONS: dict[str, Any] = {
    "evigrade": "1",
    "title": "t",
    "source": {"x-s": 1},
    "studies": [{"id": "a", "design": "rct", "n": None, "x-": None}],
    "claims": [
        {
            "id": "c",
            "text": "t",
            "judgments": {"imprecision": {"rating": "serious", "reason": "r"}},
            "evidence": [{"study": "a", "direction": "supports", "x-l": [1, {"k": None}]}],
            "x-c": True,
        }
    ],
}


@given(gen.evidence_files())
@example(_MINIMAL_FILE)
@example(_NESTED_EXTENSIONS)
@SETTINGS
def test_data_round_trip_is_lossless(data: dict[str, Any]) -> None:
    assert to_data(from_data(data)) == data


@given(gen.evidence_files())
@example(_MINIMAL_FILE)
@example(_NESTED_EXTENSIONS)
@SETTINGS
def test_model_round_trip_through_json_text_is_lossless(data: dict[str, Any]) -> None:
    evidence = from_data(data)
    assert loads(dumps(evidence)) == evidence


@given(gen.evidence_files())
@example(
    {
        "evigrade": "1",
        "studies": [{"id": "a", "design": "in-vitro"}],
        "claims": [
            {
                "id": "c",
                "text": "t",
                "evidence": [
                    {
                        "study": "a",
                        "direction": "supports",
                        "effect": {"measure": "MD", "estimate": 2},
                    }
                ],
            }
        ],
    }
)
@SETTINGS
def test_dumping_a_loaded_file_writes_back_the_same_json(data: dict[str, Any]) -> None:
    """Stricter than equality of Python values (where 2 == 2.0): the same JSON, key order
    aside."""
    written = json.loads(dumps(from_data(data)))
    assert json.dumps(written, sort_keys=True) == json.dumps(data, sort_keys=True)


# -- grading: order, determinism ---------------------------------------------------------------


@given(gen.evidence_files(), st.data())
@SETTINGS
def test_grades_do_not_depend_on_the_order_of_studies_or_of_a_claims_evidence(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    permuted = copy.deepcopy(data)
    permuted["studies"] = draw.draw(st.permutations(data["studies"]), label="studies")
    for index, claim in enumerate(permuted["claims"]):
        claim["evidence"] = draw.draw(st.permutations(claim["evidence"]), label=f"claim {index}")
    assert grade_bytes(permuted) == grade_bytes(data)


@given(gen.evidence_files())
@SETTINGS
def test_grading_the_same_file_twice_gives_the_same_bytes(data: dict[str, Any]) -> None:
    evidence = from_data(data)
    first = render_json(grade_file(evidence))
    assert render_json(grade_file(evidence)) == first
    assert render_json(grade_file(from_data(copy.deepcopy(data)))) == first


# -- grading: a better study never lowers a grade --------------------------------------------------


_WITH_EVIDENCE = gen.evidence_files(min_studies=1, min_claims=1, min_evidence=1)


@pytest.mark.parametrize("scheme", ["grade", "cebm-2011"])
def test_improving_a_study_never_lowers_a_grade_under_the_not_rated_policy(scheme: str) -> None:
    """The other policy for risk of bias not recorded keeps the properties too: recording
    blinding (no flaw) never counts against a study that recorded nothing."""
    from evigrade.plugin import GradingOptions

    check_improvements(  # every improvement of the kit
        scheme,
        registry=get_registry(disable=("*",)),
        max_examples=40,
        options=GradingOptions(unassessed_risk="not-rated"),
    )


@pytest.mark.parametrize("improvement", list(IMPROVEMENTS))
def test_improving_a_study_never_lowers_a_grade_rank(improvement: str) -> None:
    """Each of the conformance kit's "improve a study" operations (a larger study with the same
    event rates, blinding added, a reviewer's serious made not-serious, a randomized animal
    study, a non-randomized study made an rct where it is alone) never lowers a GRADE rank."""
    check_improvements("grade", max_examples=60, improvements=[improvement])


def _two_trials(small_n: int) -> dict[str, Any]:
    """Two RCTs for one claim: a small one with no events at all, and one of 50 with 23
    events in each arm."""
    return {
        "evigrade": "1",
        "studies": [
            {"id": "a", "design": "rct", "n": small_n},
            {"id": "b", "design": "rct", "n": 50},
        ],
        "claims": [
            {
                "id": "c",
                "text": "X helps",
                "evidence": [
                    {
                        "study": "a",
                        "direction": "supports",
                        "events": {"intervention": 0, "control": 0},
                    },
                    {
                        "study": "b",
                        "direction": "supports",
                        "events": {"intervention": 23, "control": 23},
                    },
                ],
            }
        ],
    }


def test_doubling_a_study_with_no_control_events_never_lowers_a_grade() -> None:
    """(a) in a case random generation seldom reaches: n 1 -> 2 with zero events in both arms,
    next to a trial with a high control risk. (With the control risk pooled over the body and
    weighted by size, the information size grew faster than the body: Moderate -> Low.)"""
    assert_no_rank_lowered(_two_trials(1), _two_trials(2))


def _open_label_without_control(design: str) -> dict[str, Any]:
    """One large open-label study with no control group, a very large effect and a
    dose-response gradient."""
    study = {"id": "s", "design": design, "n": 2000, "control": "none", "blinding": "none"}
    link = {
        "study": "s",
        "direction": "supports",
        "dose_response": True,
        "effect": {"measure": "RR", "estimate": 0.1, "ci_low": 0.05, "ci_high": 0.2},
    }
    return {
        "evigrade": "1",
        "studies": [study],
        "claims": [{"id": "c", "text": "X helps", "evidence": [link]}],
    }


def test_an_open_label_cohort_without_control_becoming_an_rct_never_lowers_a_grade() -> None:
    """(d2) in a case random generation seldom reaches: the study is alone, control none,
    blinding none, with a very large effect and a dose-response gradient. (Graded as a case
    series, which is never rated down for risk of bias, it was once rated up from Very low to
    High, above the Moderate of the same study as an open-label RCT.)"""
    assert_no_rank_lowered(
        _open_label_without_control("prospective-cohort"), _open_label_without_control("rct")
    )


# -- an invalid file is reported where it is broken ------------------------------------------------


@given(
    gen.evidence_files(min_studies=1),
    st.sampled_from([0, -3, "ten"]),
    st.data(),
)
@FEW
def test_a_bad_study_n_is_reported_at_that_n(
    data: dict[str, Any], n: Any, draw: st.DataObject
) -> None:
    index = draw.draw(st.integers(0, len(data["studies"]) - 1), label="study")
    data["studies"][index]["n"] = n
    assert_reported_at(data, ("studies", index, "n"))


_WORDS = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)


def _some_link(data: dict[str, Any], draw: st.DataObject) -> tuple[int, int]:
    places = [
        (c, j) for c, claim in enumerate(data["claims"]) for j in range(len(claim["evidence"]))
    ]
    return draw.draw(st.sampled_from(places), label="link")


@given(_WITH_EVIDENCE, _WORDS.filter(lambda w: w not in gen.DIRECTIONS), st.data())
@FEW
def test_an_unknown_direction_is_reported_at_that_direction(
    data: dict[str, Any], word: str, draw: st.DataObject
) -> None:
    c, j = _some_link(data, draw)
    data["claims"][c]["evidence"][j]["direction"] = word
    assert_reported_at(data, ("claims", c, "evidence", j, "direction"))


@given(gen.evidence_files(min_claims=1), st.data())
@FEW
def test_a_claim_without_its_text_is_reported_at_that_claim(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    index = draw.draw(st.integers(0, len(data["claims"]) - 1), label="claim")
    del data["claims"][index]["text"]
    assert_reported_at(data, ("claims", index))
    problems = [p for p in validate_data(data) if p.pointer == f"/claims/{index}"]
    assert any("'text'" in p.message for p in problems), [p.message for p in problems]


@given(
    gen.evidence_files(min_studies=1),
    st.text(min_size=1, max_size=10).filter(
        lambda key: not key.startswith("x-") and key not in STUDY_KEYS
    ),
    gen.json_values(),
    st.integers(min_value=0, max_value=5),
)
@example(  # a key that JSON Pointer must escape, and a near miss of an x- key
    {"evigrade": "1", "studies": [{"id": "a", "design": "in-vitro"}], "claims": []},
    "a/b~c",
    None,
    0,
)
@example(
    {"evigrade": "1", "studies": [{"id": "a", "design": "in-vitro"}], "claims": []},
    "X-note",
    "uppercase X is not an extension",
    0,
)
@FEW
def test_an_unknown_study_key_is_reported_at_that_key(
    data: dict[str, Any], key: str, value: Any, index: int
) -> None:
    index %= len(data["studies"])
    data["studies"][index][key] = value
    assert_reported_at(data, ("studies", index, key), key=True)


@given(_WITH_EVIDENCE, gen.slugs(), st.data())
@FEW
def test_a_link_to_a_missing_study_is_reported_at_its_study_id(
    data: dict[str, Any], missing: str, draw: st.DataObject
) -> None:
    assume(missing not in {s["id"] for s in data["studies"]})
    c, j = _some_link(data, draw)
    data["claims"][c]["evidence"][j]["study"] = missing
    assert_reported_at(data, ("claims", c, "evidence", j, "study"))


@given(gen.evidence_files(min_studies=2), st.data())
@FEW
def test_a_duplicate_study_id_is_reported_at_the_second_id(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    first, second = draw.draw(
        st.lists(st.integers(0, len(data["studies"]) - 1), min_size=2, max_size=2, unique=True).map(
            sorted
        ),
        label="studies",
    )
    data["studies"][second]["id"] = data["studies"][first]["id"]
    assert_reported_at(data, ("studies", second, "id"))


@given(_WITH_EVIDENCE, gen.effects(with_ci=True), st.integers(1, 1000), st.data())
@FEW
def test_a_ci_low_above_the_estimate_is_reported_at_that_effect(
    data: dict[str, Any], effect: dict[str, Any], above: int, draw: st.DataObject
) -> None:
    c, j = _some_link(data, draw)
    effect["ci_low"] = effect["estimate"] + above / 100
    effect["ci_high"] = max(effect["ci_high"], effect["ci_low"])
    data["claims"][c]["evidence"][j]["effect"] = effect
    assert_reported_at(data, ("claims", c, "evidence", j, "effect"))


@given(_WITH_EVIDENCE, st.integers(1, 100), st.data())
@FEW
def test_a_link_analysing_more_than_its_study_enrolled_is_reported_at_its_n(
    data: dict[str, Any], extra: int, draw: st.DataObject
) -> None:
    c, j = _some_link(data, draw)
    link = data["claims"][c]["evidence"][j]
    study = next(s for s in data["studies"] if s["id"] == link["study"])
    if not isinstance(study.get("n"), int) or study["design"] == "case-report":
        # the smallest n that the study's links allow
        links = [x for claim in data["claims"] for x in claim["evidence"]]
        study["n"] = max(
            [1]
            + [
                x.get("n", sum(x.get("events", {}).values()))
                for x in links
                if x["study"] == study["id"]
            ]
        )
    link["n"] = study["n"] + extra
    assert_reported_at(data, ("claims", c, "evidence", j, "n"))
