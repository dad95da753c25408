"""The conformance kit: every built-in scheme passes it, and it catches schemes that break it."""

from __future__ import annotations

import pytest
from hypothesis import Phase, settings

import evigrade
from evigrade.plugin import Grade, RationaleStep, Scheme
from evigrade.testing import conformance
from evigrade.testing.conformance import (
    ConformanceError,
    check_edge_cases,
    check_improvements,
    check_labels,
    check_order_independent,
    check_scheme,
)


@pytest.mark.parametrize("name", ["grade", "cebm-2011", "pyramid"])
def test_builtin_schemes_pass_the_conformance_kit(name: str) -> None:
    check_scheme(name, max_examples=25)


@pytest.fixture
def _no_shrinking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catching a broken scheme is the point here, not its smallest example."""
    monkeypatch.setattr(
        conformance,
        "_settings",
        lambda n: settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate]),
    )


def _scheme(grade: object, labels: tuple[str, ...] = ("none", "some")) -> Scheme:
    return Scheme("broken", "A broken scheme", labels, grade)  # type: ignore[arg-type]


def _count(assessment: evigrade.plugin.Assessment) -> Grade:
    n = len(assessment.items)
    return Grade(
        "broken",
        "some" if n else "none",
        1 if n else 0,
        "none",
        (RationaleStep("level", f"{n} studies"),),
        pending=assessment.pending,
    )


def test_kit_accepts_a_scheme_object_that_is_not_installed() -> None:
    check_scheme(_scheme(_count), max_examples=10)


def test_kit_catches_duplicate_labels() -> None:
    with pytest.raises(ConformanceError, match="distinct labels"):
        check_labels(_scheme(_count, ("none", "none")))


def test_kit_catches_a_rank_that_is_not_the_labels_position() -> None:
    def wrong_rank(assessment: evigrade.plugin.Assessment) -> Grade:
        return Grade("broken", "none", 1, "none", (RationaleStep("level", "x"),))

    with pytest.raises(ConformanceError, match="declared at rank 0 but the grade says 1"):
        check_edge_cases(_scheme(wrong_rank))


def test_kit_catches_a_missing_rationale_and_a_wrong_type() -> None:
    with pytest.raises(ConformanceError, match="no rationale"):
        check_edge_cases(_scheme(lambda a: Grade("broken", "none", 0, "none")))
    with pytest.raises(ConformanceError, match="expected a Grade"):
        check_edge_cases(_scheme(lambda a: "none"))


def test_kit_catches_a_grade_for_nothing_gradable() -> None:
    def always_some(assessment: evigrade.plugin.Assessment) -> Grade:
        return Grade("broken", "some", 1, "none", (RationaleStep("level", "x"),))

    with pytest.raises(ConformanceError, match="nothing gradable"):
        check_edge_cases(_scheme(always_some))


@pytest.mark.usefixtures("_no_shrinking")
def test_kit_catches_order_dependence() -> None:
    def first_cited(assessment: evigrade.plugin.Assessment) -> Grade:
        links = assessment.claim.evidence
        first = bool(links) and links[0].study == min(link.study for link in links)
        label = "some" if first else "none"
        return Grade("broken", label, int(first), "none", (RationaleStep("level", "x"),))

    with pytest.raises(ConformanceError, match="order independence"):
        check_order_independent(_scheme(first_cited), max_examples=100)


@pytest.mark.usefixtures("_no_shrinking")
def test_kit_catches_a_scheme_that_punishes_bigger_studies() -> None:
    def odd_sizes(assessment: evigrade.plugin.Assessment) -> Grade:
        odd = any((item.size or 0) % 2 for item in assessment.items)
        label = "some" if odd else "none"
        return Grade("broken", label, int(odd), "none", (RationaleStep("level", "x"),))

    with pytest.raises(ConformanceError, match="larger n"):
        check_improvements(_scheme(odd_sizes), max_examples=100, improvements=["larger n"])
