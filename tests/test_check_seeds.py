"""The three seed articles checked: the claims and studies of the hand-made examples recovered,
and the outcomes a reviewer relies on pinned. Skips when ../shared (with the seeds) is absent."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import evigrade

from .conftest import EXAMPLES, ROOT, SHARED

SEEDS = ("ldn-multiple-sclerosis", "ldn-mast-cell-activation", "ketamine-multiple-sclerosis")


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_claims", ROOT / "bench" / "claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_claims", module)
    spec.loader.exec_module(module)
    return module


_CACHE: dict[str, evigrade.ArticleCheck] = {}


def _checked(shared: Path, name: str) -> evigrade.ArticleCheck:
    if name not in _CACHE:
        path = shared / "seeds" / f"{name}.txt"
        if not path.is_file():
            pytest.skip(f"{path} is not present")
        _CACHE[name] = evigrade.check_article(
            path.read_text(encoding="utf-8"), name=path.name, schemes=["grade"]
        )
    return _CACHE[name]


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _claim(check: evigrade.ArticleCheck, start: str) -> evigrade.ClaimCheck:
    return next(c for c in check.claims if c.claim.quote.startswith(start))


def _study(check: evigrade.ArticleCheck, ref: str) -> Any:
    return next(s for s in check.studies if s.reference is not None and s.reference.id == ref)


@pytest.mark.parametrize("name", SEEDS)
def test_the_seed_recovers_the_examples_claims_and_studies(shared: Path, name: str) -> None:
    figures = _bench().compare_with_example(_checked(shared, name), _example(name))
    assert figures["claims_share"] >= 0.9, figures["missed_claims"]
    assert figures["designs_same"] == figures["studies"], figures["missed_studies"]
    assert figures["n_same"] == figures["n_stated"], figures["missed_studies"]


@pytest.mark.parametrize("name", SEEDS)
def test_the_seeds_draft_is_a_valid_evidence_file(shared: Path, name: str) -> None:
    check = _checked(shared, name)
    assert evigrade.validate_data(check.draft) == []
    evigrade.from_data(check.draft)


def test_ldn_ms_the_pilot_trial_and_the_chart_review_from_what_the_article_says(
    shared: Path,
) -> None:
    check = _checked(shared, "ldn-multiple-sclerosis")
    gironi = _study(check, "5")
    assert (gironi.design, gironi.n, gironi.pilot, gironi.duration) == (
        "single-arm-trial",
        40,
        True,
        "P6M",
    )
    assert gironi.population == "primary progressive MS"
    turel = _study(check, "6")
    assert (turel.design, turel.n, turel.control) == ("retrospective-cohort", 215, "none")
    # "Other studies, including randomised controlled trials ... One 17-week trial ... another
    # 8-week study ... [7], [8]": both randomized, each with its own length
    assert [(_study(check, r).design, _study(check, r).duration) for r in ("7", "8")] == [
        ("rct", "P17W"),
        ("rct", "P8W"),
    ]
    assert [_study(check, r).species for r in ("11", "12", "13", "14")] == ["mouse"] * 4
    # Ludwig 2017 and 2018 report mouse experiments and serum data in people with MS: two
    # studies each; Zagon 2011 (T and B lymphocytes, "implication for ... autoimmune
    # diseases") only the mouse experiments the article describes
    parts = {
        ref: [
            (s.part, s.design, s.population, s.n)
            for s in check.studies
            if s.reference is not None and s.reference.id == ref
        ]
        for ref in ("11", "12", "13", "14")
    }
    both = [
        ("animal", "animal", None, None),
        ("human", "cross-sectional", "multiple sclerosis", None),
    ]
    assert parts == {
        "11": both,
        "12": [(None, "animal", None, None)],
        "13": [(None, "animal", None, None)],
        "14": both,
    }
    mice = _claim(check, "Experimental studies in mice")
    assert mice.claim.species == "mouse"
    assert all(s.part != "human" for s, *_ in mice.links)
    assert [_study(check, r).design for r in ("1", "3", "16", "17")] == ["expert-opinion"] * 4
    assert _study(check, "4").design == "mechanistic"  # Medical hypotheses


def test_ldn_ms_the_spasticity_claim_and_what_its_evidence_supports(shared: Path) -> None:
    check = _checked(shared, "ldn-multiple-sclerosis")
    claim = _claim(check, "Research shows LDN may help reduce muscle spasticity")
    assert claim.claim.citations == ("5", "6", "7", "8")
    assert claim.claim.strength.label == "conditional-causal"
    directions = {s.id: d for s, _, d, _ in claim.links}
    assert directions["sharafaddinzadeh-2010"] == "inconclusive"  # "no major difference"
    assert directions["cree-2010"] == "supports"
    safe = _claim(check, "The good news is that LDN is very safe")
    assert safe.claim.citations == ("17",)
    assert (safe.support.label, safe.overclaim) == ("none", True)


def test_ldn_ms_findings_the_publishers_pages_and_its_offer(shared: Path) -> None:
    check = _checked(shared, "ldn-multiple-sclerosis")
    assert check.publishers == ("Courier Pharmacy",)
    publisher = {f.references for f in check.findings if f.kind == "publisher-source"}
    assert publisher == {("3",), ("16",), ("17",)}
    offers = [f.quote for f in check.findings if f.kind == "conflict-of-interest"]
    assert any("FREE LDN consultation" in q for q in offers if q)
    assert any("like Courier Pharmacy" in q for q in offers if q)


def test_mcas_sources_cited_by_number_without_a_list(shared: Path) -> None:
    check = _checked(shared, "ldn-mast-cell-activation")
    assert all(not r.listed for r in check.references)
    unlisted = sorted(
        {r for f in check.findings if f.kind == "unlisted-source" for r in f.references}, key=int
    )
    assert unlisted == ["1", "2", "3", "4", "6", "7", "8", "9", "10", "11", "12"]
    assert _study(check, "15").n == 8
    assert _study(check, "17").design == "case-report"
    reported = [s for s in check.studies if s.id == "reference-17-expert-opinion"]
    assert [s.design for s in reported] == ["expert-opinion"]
    offers = [f.quote for f in check.findings if f.kind == "conflict-of-interest"]
    assert any(q and "book your consultation" in q for q in offers)


def test_ketamine_no_in_text_citations_and_studies_matched_from_the_text(shared: Path) -> None:
    check = _checked(shared, "ketamine-multiple-sclerosis")
    assert [f.kind for f in check.findings if f.sentence is None] == ["no-in-text-citations"]
    fitzgerald = _study(check, "1")
    assert (fitzgerald.design, fitzgerald.pilot, fitzgerald.n) == ("rct", True, None)
    protocol = _study(check, "2")
    assert (protocol.design, protocol.n, protocol.status, protocol.duration) == (
        "protocol",
        100,
        "ongoing",
        "P30M",
    )
    assert _study(check, "4").design == "case-report"
    described = {s.id: s.design for s in check.studies if s.reference is None}
    assert described == {"mouse-2004": "animal", "anecdote-reports": "anecdote"}
    relief = _claim(check, "The research suggests that Ketamine treatments may provide")
    assert relief.claim.strength.label == "conditional-causal"
    assert relief.overclaim is True  # nothing in the article supports it as cited
    fatigue = _claim(check, "They found that there was no change in depression scores")
    assert [(s.id, cited) for s, cited, _, _ in fatigue.links] == [("fitzgerald-2021", False)]


def test_the_seed_texts_are_where_the_tests_expect_them() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    assert sorted(p.stem for p in (SHARED / "seeds").glob("*.txt")) == sorted(SEEDS)
