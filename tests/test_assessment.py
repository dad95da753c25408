"""Assessment: judgments are worked out once, per domain, only when a scheme asks for them."""

from __future__ import annotations

import collections
from collections.abc import Callable
from itertools import combinations

import attrs
import pytest

import evigrade
from evigrade.grading import assess
from evigrade.model import Judgment
from evigrade.plugin import Body

from .conftest import EXAMPLES as EXAMPLE_DIR

EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))


def counting_registry() -> tuple[evigrade.plugin.Registry, collections.Counter[str]]:
    """The built-in registry with every assessor counting its calls by domain."""
    registry = evigrade.plugin.build_registry(disable=("*",))
    calls: collections.Counter[str] = collections.Counter()

    def counted(rule: Callable[[Body], Judgment], domain: str) -> Callable[[Body], Judgment]:
        def assess(body: Body) -> Judgment:
            calls[domain] += 1
            return rule(body)

        return assess

    for domain, assessors in registry.assessors.items():
        registry.assessors[domain] = [
            attrs.evolve(a, assess=counted(a.assess, domain)) for a in assessors
        ]
    return registry, calls


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_one_domain_at_a_time_gives_what_all_domains_at_once_give(path: object) -> None:
    evidence = evigrade.load(str(path))
    registry = evigrade.plugin.build_registry(disable=("*",))
    for claim in evidence.claims:
        items = assess(claim, evidence, registry).items
        subsets = [items, *[(item,) for item in items], *combinations(items, 2)]
        for subset in subsets:
            fresh = assess(claim, evidence, registry)
            whole = assess(claim, evidence, registry).judgments(subset)
            one_by_one = {d: fresh.judgment(subset, d) for d in [*evigrade.plugin.DOMAINS, "other"]}
            assert {d: j for d, j in one_by_one.items() if j is not None} == whole
            assert list(whole) == sorted(whole, key=lambda d: d not in registry.assessors)


def test_asking_for_one_domain_runs_only_its_assessors_once() -> None:
    evidence = evigrade.load(str(EXAMPLE_DIR / "ldn-multiple-sclerosis.json"))
    registry, calls = counting_registry()
    claim = next(c for c in evidence.claims if len(c.evidence) >= 3)
    assessment = assess(claim, evidence, registry)
    first = assessment.judgment(assessment.items, "risk_of_bias")
    again = assessment.judgment(tuple(reversed(assessment.items)), "risk_of_bias")
    assert first is again
    assert calls == {"risk_of_bias": 1}
    assessment.judgments(assessment.items)
    assert calls == {domain: 1 for domain in evigrade.plugin.DOMAINS}


def test_a_reviewer_judgment_wins_and_names_what_the_rule_gave() -> None:
    evidence = evigrade.load(str(EXAMPLE_DIR / "ldn-multiple-sclerosis.json"))
    registry = evigrade.plugin.build_registry(disable=("*",))
    claim = next(c for c in evidence.claims if c.judgments)
    reviewer = claim.judgments[0]
    assessment = assess(claim, evidence, registry)
    judgment = assessment.judgment(assessment.items, reviewer.domain)
    assert judgment is not None
    assert (judgment.source, judgment.rating) == ("reviewer", reviewer.rating)
    assert "the automatic rule" in (judgment.reason or "")


def test_every_scheme_together_assesses_each_body_and_domain_once() -> None:
    evidence = evigrade.load(str(EXAMPLE_DIR / "ldn-multiple-sclerosis.json"))
    registry, calls = counting_registry()
    asked: collections.Counter[str] = collections.Counter()
    for claim in evidence.claims:
        assessment = assess(claim, evidence, registry)
        for scheme in registry.schemes.values():
            scheme.grade(assessment)
        for judged in assessment._cache.values():
            asked.update(list(judged))
    assert sum(asked.values()) > len(evidence.claims)
    assert calls == asked
