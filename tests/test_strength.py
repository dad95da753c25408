"""The wording-strength scorer: hand-written sentences for each level, hedge and negation, the
``evigrade strength`` command, a scorer installed as a plugin, and Hypothesis properties.

No sentence here comes from the labelled development data; the dev figures are measured by
bench/claims.py, and the last test only checks that the measurement runs on them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import evigrade
from evigrade import plugins
from evigrade.cli import cli

from .conftest import ROOT


@pytest.mark.parametrize(
    ("sentence", "label", "cue"),
    [
        # direct causal: a causal verb, adjective or "can"
        ("Daily walking reduces blood pressure in older adults.", "direct-causal", "reduces"),
        ("The new vaccine prevents severe illness in children.", "direct-causal", "prevents"),
        ("The drug is safe for pregnant women.", "direct-causal", "safe"),
        ("Regular stretching can prevent falls in older people.", "direct-causal", "prevent"),
        ("Poor sleep leads to weight gain in teenagers.", "direct-causal", "leads to"),
        ("Sugary drinks double the risk of tooth decay.", "direct-causal", "double"),
        ("Knee surgery was shown to improve walking speed.", "direct-causal", "improve"),
        # conditional causal: a causal statement with a hedge
        ("Daily walking may reduce blood pressure in older adults.", "conditional-causal", "may"),
        ("Vitamin D might improve mood during the winter.", "conditional-causal", "might"),
        ("Green tea could protect against memory loss.", "conditional-causal", "could"),
        ("These findings suggest that yoga may lower anxiety.", "conditional-causal", "may"),
        (
            "Statins appear to slow the progression of kidney disease.",
            "conditional-causal",
            "appear",
        ),
        ("Fish oil is potentially beneficial for joint pain.", "conditional-causal", "potentially"),
        # a double hedge stays conditional causal
        ("Fish oil may possibly help to relieve joint pain.", "conditional-causal", "may"),
        # correlational: association words and comparisons of groups
        ("Coffee drinking is associated with a lower risk of gout.", "correlational", "associated"),
        ("Higher sugar intake was linked to more dental visits.", "correlational", "linked to"),
        ("Smokers were more likely to sleep badly than non-smokers.", "correlational", "likely"),
        ("Night shifts are a risk factor for stomach ulcers.", "correlational", "risk factor"),
        ("Blood lead levels correlated with test scores.", "correlational", "correlated"),
        # an association of an "increased" risk is still an association
        ("Obesity is associated with an increased risk of asthma.", "correlational", "associated"),
        # no relationship: descriptions, calls for research, purposes, questions asked
        ("The survey included 500 nurses from three hospitals.", "none", None),
        ("Further studies are needed to determine whether fasting improves memory.", "none", None),
        ("Strategies to reduce waiting times should be developed.", "none", None),
        ("Patients asked whether the treatment was safe.", "none", None),
        ("The trial enrolled adults aged 40 to 60 years.", "none", None),
    ],
)
def test_hand_written_sentences_score_as_the_guidelines_say(
    sentence: str, label: str, cue: str | None
) -> None:
    result = evigrade.claim_strength(sentence)
    assert result.label == label, result
    if cue is None:
        assert result.cues == ()
    else:
        assert any(cue in shown for shown in result.cues), result.cues


def test_negation_is_noted_and_keeps_the_kind_of_relation() -> None:
    # The annotation guidelines label the kind of relation stated; a stated absence of an
    # association is still correlational language, and "did not improve" causal language.
    association = evigrade.claim_strength("Screen time was not associated with school grades.")
    assert association.label == "correlational"
    assert association.cues[0] == "not"
    assert association.notes and association.notes[0].startswith("negated by 'not'")
    effect = evigrade.claim_strength("The supplement did not improve muscle strength.")
    assert effect.label == "direct-causal"
    assert effect.notes[0].startswith("negated")
    # "not only" is no negation
    assert evigrade.claim_strength("Exercise not only improves mood but sleep.").notes == ()


def test_suggest_reports_a_finding_and_does_not_hedge_it() -> None:
    # On the scale of Yu, Li & Wang, "suggest" reports a finding as "show" does; a modal or
    # "appear to" hedges it.
    assert evigrade.claim_strength("Our data suggest that yoga lowers anxiety.").label == (
        "direct-causal"
    )
    assert evigrade.claim_strength("Yoga appears to lower anxiety.").label == "conditional-causal"


def test_an_observed_change_without_an_agent_is_correlational() -> None:
    assert evigrade.claim_strength("Blood sugar decreased over the first year.").label == (
        "correlational"
    )
    assert evigrade.claim_strength("The drug decreased blood sugar.").label == "direct-causal"


def test_a_participle_before_a_noun_is_no_causal_verb() -> None:
    assert evigrade.claim_strength("Reduced appetite was the most common complaint.").label == (
        "none"
    )


def test_a_strength_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="0, 1, 2 or 3"):
        evigrade.Strength(4)


def test_an_unknown_scorer_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown scorer 'nope'; available: rules"):
        evigrade.claim_strength("x", scorer="nope")


# -- the command ------------------------------------------------------------------------------


def test_strength_jsonl_gives_one_object_per_line_in_order(tmp_path: Path) -> None:
    lines = [
        "Daily walking reduces blood pressure.",
        "",
        "Coffee is linked to fewer headaches.",
        "Tea may lower cholesterol.",
    ]
    path = tmp_path / "sentences.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["strength", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == lines
    assert [r["strength"] for r in records] == [
        "direct-causal",
        "none",
        "correlational",
        "conditional-causal",
    ]
    assert records[3]["cues"] == ["may", "lower"]
    assert set(records[0]) == {"text", "strength", "level", "cues"}


def test_strength_reads_standard_input_and_prints_a_table() -> None:
    result = CliRunner().invoke(cli, ["strength"], input="Salt raises blood pressure.\n")
    assert result.exit_code == 0, result.output
    assert "direct-causal" in result.output
    assert "raises" in result.output


def test_strength_of_an_unreadable_file_exits_2_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["strength", str(missing)], standalone_mode=False)
    assert result.return_value == 2
    assert f"{missing}: cannot read file" in result.output
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9 reduces sleep\n")
    result = CliRunner().invoke(cli, ["strength", str(latin)], standalone_mode=False)
    assert result.return_value == 2
    assert f"{latin}:1:4: not UTF-8 text" in result.output


# -- properties -------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "LDN",
        "coffee",
        "may",
        "might",
        "could",
        "reduces",
        "reduce",
        "associated",
        "with",
        "linked",
        "to",
        "not",
        "no",
        "safe",
        "improves",
        "patients",
        "risk",
        "higher",
        "than",
        "suggests",
        "that",
        "appear",
        "to",
        "should",
        "further",
        "studies",
        "are",
        "needed",
        "the",
        "a",
        "in",
        "of",
        "and",
        ",",
        ".",
        "(",
        ")",
        "[1]",
        "40",
        "p",
        "<",
        ".05",
        "e.g.",
        "et",
        "al.",
    ]
)
_SENTENCES = st.lists(_WORDS, min_size=0, max_size=18).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_scoring_never_raises_and_stays_on_the_scale(text: str) -> None:
    result = evigrade.claim_strength(text)
    assert 0 <= result.level <= 3
    assert result.label in evigrade.article.STRENGTH_LABELS


@settings(max_examples=25, deadline=None)
@given(st.lists(_SENTENCES, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_each_line_is_scored_on_its_own_whatever_the_other_lines(
    lines: list[str], random: object
) -> None:
    lines = [line.replace("\n", " ") for line in lines]
    shuffled = list(lines)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    result = CliRunner().invoke(
        cli, ["strength", "-", "--format", "jsonl"], input="\n".join(shuffled) + "\n"
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in records] == shuffled
    for record in records:
        alone = evigrade.claim_strength(record["text"])
        assert record["strength"] == alone.label
        assert record["cues"] == list(alone.cues)


# -- a scorer installed as a plugin -------------------------------------------------------------

SHOUTING = """
from evigrade.plugin import ClaimScorer, Strength, hookimpl

def _score(sentence):
    return Strength(3, ("!",)) if sentence.endswith("!") else Strength(0)

@hookimpl
def evigrade_register_claim_scorers(register):
    register(ClaimScorer("shouting", _score, "an exclamation mark is a direct claim"))
"""


def test_a_scorer_plugin_is_selected_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "shouting_scorer.py").write_text(textwrap.dedent(SHOUTING), encoding="utf-8")
    info = site / "evigrade_shouting-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Name: evigrade-shouting\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[evigrade]\nshouting = shouting_scorer\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(plugins.DISABLE_ENV, raising=False)
    plugins.reset()
    try:
        registry = plugins.get_registry()
        assert set(registry.scorers) >= {"rules", "shouting"}
        assert registry.owner("scorer", "shouting") == "shouting"
        assert registry.owner("scorer", "rules") == "evigrade.builtin.article"
        assert evigrade.claim_strength("Tea cures colds!", scorer="shouting").level == 3
        assert evigrade.claim_strength("Tea cures colds.", scorer="shouting").level == 0
        result = CliRunner().invoke(
            cli, ["strength", "-", "--format", "jsonl", "--scorer", "shouting"], input="Wow!\n"
        )
        assert json.loads(result.output)["strength"] == "direct-causal"
    finally:
        plugins.reset()
        sys.modules.pop("shouting_scorer", None)


def test_the_built_in_scorer_and_extractors_are_registered_like_any_plugin() -> None:
    registry = plugins.build_registry(disable=("*",))
    assert set(registry.scorers) == {"rules"}
    assert set(registry.extractors) == {"references:rules", "claims:rules"}
    listed = {info.name: info for info in registry.plugins}
    assert listed["evigrade.builtin.article"].hooks == (
        "evigrade_register_claim_scorers",
        "evigrade_register_extractors",
    )


# -- the development data (measured, not fitted) ----------------------------------------------


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_claims", ROOT / "bench" / "claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_claims", module)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_measures_the_scorer_on_the_labelled_sentences(shared: Path) -> None:
    bench = _bench()
    data = shared / "data" / "claims-dev"
    if not data.is_dir():
        pytest.skip("../shared/data/claims-dev is not present")

    def score(sentence: str) -> int:
        return evigrade.claim_strength(sentence).level

    figures = bench.strength_files(data, score)
    assert set(figures) == {"strength-eureka.csv", "strength-pubmed.csv"}
    for report in figures.values():
        assert len(report["confusion"]) == 4
        assert sum(map(sum, report["confusion"])) == report["n"]
        # a guard against a regression, well below the figures docs/check.md reports
        assert report["macro_f1"] >= 0.65
    pairs = bench.exaggeration(data, score)
    assert pairs is not None and pairs["n"] == 100
    assert pairs["macro_f1"] >= 0.5
