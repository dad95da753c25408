"""Tests of the Mendelian randomization designs plugin: the designs hook works from outside.

With the plugin's designs registered (in a registry built in-process, or installed through its
entry point) a file citing a Mendelian randomization study validates and grades under GRADE,
Oxford CEBM 2011 and the evidence pyramid; without them the same file is invalid with a
``known-design`` problem naming the design. Only evigrade's public API is used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from evigrade_mendelian_randomization import (
    DESIGNS,
    MENDELIAN_RANDOMIZATION,
    TARGET_TRIAL_EMULATION,
    evigrade_register_designs,
)

import evigrade
from evigrade.testing.pytest_plugin import Runner

DISTRIBUTION = "evigrade-mendelian-randomization"
PLUGIN = "mendelian-randomization"
SCHEMES = ["grade", "cebm-2011", "pyramid"]
ROOT = Path(__file__).resolve().parents[3]

#: A two-sample Mendelian randomization study of LDL cholesterol and coronary heart disease, and
#: a target trial emulation of statins for primary prevention. Illustrative numbers.
DATA: dict[str, Any] = {
    "evigrade": "1",
    "title": "Lifelong lower LDL cholesterol and coronary heart disease",
    "studies": [
        {
            "id": "ldl-chd-mr",
            "design": "mendelian-randomization",
            "n": 367703,
            "population": "adults of European ancestry (GWAS consortia, two-sample)",
            "title": "Genetically lower LDL cholesterol and coronary heart disease",
            "year": 2021,
            # "Sound for a non-randomized study": what the Low start assumes (a study with no
            # risk-of-bias assessment would count at unclear risk and be rated down).
            "risk_of_bias": {"tool": "robins-i", "overall": "moderate"},
        },
        {
            "id": "statin-tte",
            "design": "target-trial-emulation",
            "n": 52108,
            "control": "usual-care",
            "population": "adults over 75 without cardiovascular disease",
            "year": 2020,
            "risk_of_bias": {"tool": "robins-i", "overall": "moderate"},
        },
    ],
    "claims": [
        {
            "id": "lower-ldl-lowers-chd",
            "text": "Lifelong lower LDL cholesterol lowers the risk of coronary heart disease",
            "outcome_kind": "patient-important",
            "outcome_type": "dichotomous",
            "evidence": [
                {
                    "study": "ldl-chd-mr",
                    "direction": "supports",
                    "effect": {"measure": "OR", "estimate": 0.60, "ci_low": 0.55, "ci_high": 0.66},
                }
            ],
        },
        {
            "id": "statins-prevent-cvd-over-75",
            "text": "Statins prevent cardiovascular events in people over 75",
            "outcome_type": "time-to-event",
            "evidence": [
                {
                    "study": "statin-tte",
                    "direction": "supports",
                    "effect": {"measure": "HR", "estimate": 0.80, "ci_low": 0.74, "ci_high": 0.87},
                }
            ],
        },
    ],
}


def builtin_registry() -> evigrade.plugin.Registry:
    """The built-in designs, assessors, schemes and formats: no third-party plugin."""
    return evigrade.get_registry(disable=("*",))


def registry_with_plugin() -> evigrade.plugin.Registry:
    """A registry built in-process: the built-ins, plus what this plugin's designs hook
    registers (whether the plugin is installed or not)."""
    base = builtin_registry()
    designs = dict(base.designs)

    def register(design: evigrade.plugin.Design) -> None:
        assert isinstance(design, evigrade.plugin.Design)
        assert design.id not in designs, f"design {design.id!r} is already registered"
        designs[design.id] = design

    evigrade_register_designs(register)
    return evigrade.plugin.Registry(
        designs=designs,
        assessors={domain: list(found) for domain, found in base.assessors.items()},
        schemes=dict(base.schemes),
        formats=dict(base.formats),
    )


installed = pytest.mark.evigrade_installed(DISTRIBUTION)


# -- the designs ---------------------------------------------------------------------------------


def test_mendelian_randomization_is_observational_evidence_in_every_scheme() -> None:
    design = MENDELIAN_RANDOMIZATION
    assert (design.id, design.family, design.randomized) == (
        "mendelian-randomization",
        "non-randomized",
        False,
    )
    assert design.needs_participants and design.in_humans and design.has_results
    assert (design.grade_start, design.cebm_level, design.pyramid_tier) == (2, 3, 6)
    assert design.pyramid_label == "Cohort or non-randomized controlled study"
    assert design.sevco == ("SEVCO:01002",)
    assert design.counts_for_grade


def test_target_trial_emulation_is_placed_like_mendelian_randomization() -> None:
    design = TARGET_TRIAL_EMULATION
    assert (design.family, design.randomized, design.grade_start) == ("non-randomized", False, 2)
    assert (design.cebm_level, design.pyramid_tier, design.sevco) == (3, 6, ("SEVCO:01002",))


def test_the_hook_registers_each_design_once_with_a_slug_id() -> None:
    registered: list[evigrade.plugin.Design] = []
    evigrade_register_designs(registered.append)
    assert registered == list(DESIGNS)
    builtin = {design.id for design in evigrade.plugin.BUILTIN_DESIGNS}
    for design in registered:
        assert design.id not in builtin
        assert design.id.replace("-", "").isalnum() and design.id == design.id.lower()


# -- with the plugin's designs: valid, and graded ------------------------------------------------


def test_with_the_plugin_a_file_citing_mendelian_randomization_is_valid() -> None:
    registry = registry_with_plugin()
    assert evigrade.validate_data(DATA, registry=registry) == []
    text = json.dumps(DATA)
    assert evigrade.validate_text(text, "mr.json", registry=registry) == []


def test_with_the_plugin_it_grades_as_observational_evidence() -> None:
    registry = registry_with_plugin()
    assert evigrade.validate_data(DATA, registry=registry) == []
    evidence = evigrade.from_data(DATA, validate=False)
    report = evigrade.grade_file(evidence, SCHEMES, registry=registry)
    assert report.failures == ()
    grades = {r.claim.id: r.grades for r in report.results}["lower-ldl-lowers-chd"]

    gr = grades["grade"]
    start = gr.rationale[0]
    assert (start.kind, start.reason) == (
        "start",
        "start Low: non-randomized studies (mendelian randomization study)",
    )
    assert (gr.label, gr.direction, gr.counted) == ("Low", "supports", ("ldl-chd-mr",))
    assert [s.domain for s in gr.rationale if s.change] == []

    cebm = grades["cebm-2011"]
    assert cebm.label == "Level 3"
    assert cebm.rationale[0].reason == (
        "best evidence, benefits row: Level 3: ldl-chd-mr: mendelian randomization study"
    )

    pyramid = grades["pyramid"]
    assert pyramid.label == "Cohort or non-randomized controlled study"
    assert pyramid.rationale[0].reason == "best design: mendelian randomization study (tier 6 of 8)"


def test_with_the_plugin_a_target_trial_emulation_grades_too() -> None:
    registry = registry_with_plugin()
    evidence = evigrade.from_data(DATA, validate=False)
    claim = evidence.claim("statins-prevent-cvd-over-75")
    grades = evigrade.grade_claim(claim, evidence, SCHEMES, registry=registry).grades
    assert grades["grade"].rationale[0].reason == (
        "start Low: non-randomized studies (target trial emulation)"
    )
    assert (grades["cebm-2011"].label, grades["pyramid"].rank) == ("Level 3", 6)


def test_with_the_plugin_a_meta_analysis_of_mendelian_randomization_studies_is_valid() -> None:
    data = {
        "evigrade": "1",
        "studies": [{"id": "mr-meta", "design": "meta-analysis", "of": PLUGIN, "n": 900000}],
        "claims": [
            {
                "id": "c",
                "text": "X causes Y",
                "evidence": [{"study": "mr-meta", "direction": "supports"}],
            }
        ],
    }
    registry = registry_with_plugin()
    assert evigrade.validate_data(data, registry=registry) == []
    evidence = evigrade.from_data(data, validate=False)
    grades = evigrade.grade_claim(
        evidence.claim("c"), evidence, ["grade"], registry=registry
    ).grades
    assert grades["grade"].rationale[0].reason.startswith("start Low: non-randomized studies")


def test_a_study_of_the_design_cannot_claim_to_be_randomized() -> None:
    data = json.loads(json.dumps(DATA))
    data["studies"][0]["randomized"] = True
    problems = evigrade.validate_data(data, registry=registry_with_plugin())
    assert [(p.keyword, p.pointer) for p in problems] == [
        ("randomized-design", "/studies/0/randomized")
    ]


# -- without the plugin: invalid -----------------------------------------------------------------


def test_without_the_plugin_the_file_is_invalid_with_a_known_design_problem() -> None:
    problems = evigrade.validate_data(DATA, registry=builtin_registry())
    found = [(p.kind, p.keyword, p.pointer) for p in problems]
    assert found == [
        ("semantic", "known-design", "/studies/0/design"),
        ("semantic", "known-design", "/studies/1/design"),
    ]
    assert "unknown design 'mendelian-randomization'" in problems[0].message
    assert "unknown design 'target-trial-emulation'" in problems[1].message


def test_without_the_plugin_loading_the_file_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIGRADE_DISABLE_PLUGINS", "all")
    assert PLUGIN not in evigrade.get_registry().designs
    with pytest.raises(evigrade.EvidenceError) as raised:
        evigrade.from_data(DATA)
    keywords = {(p.keyword, p.pointer) for p in raised.value.problems}
    assert ("known-design", "/studies/0/design") in keywords
    assert "mendelian-randomization" in str(raised.value)


def test_without_the_plugin_a_graded_study_of_the_design_is_excluded() -> None:
    """A model built without validation still grades: the study is left out, and says why."""
    evidence = evigrade.from_data(DATA, validate=False)
    claim = evidence.claim("lower-ldl-lowers-chd")
    grades = evigrade.grade_claim(claim, evidence, ["grade"], registry=builtin_registry()).grades
    assert grades["grade"].rank == 0
    assert [(n.study, n.reason) for n in grades["grade"].excluded] == [
        ("ldl-chd-mr", "unknown design 'mendelian-randomization'")
    ]


# -- installed: through the entry point ----------------------------------------------------------


@pytest.fixture
def evidence_file(tmp_path: Path) -> Path:
    path = tmp_path / "ldl-mr.json"
    path.write_text(json.dumps(DATA, indent=2), encoding="utf-8")
    return path


@installed
def test_installed_the_registry_has_the_designs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIGRADE_DISABLE_PLUGINS", raising=False)
    registry = evigrade.get_registry()
    for design in DESIGNS:
        assert registry.designs[design.id] == design
        assert registry.owner("design", design.id) == PLUGIN
    assert PLUGIN in [d.id for d in evigrade.available_designs()]
    assert PLUGIN not in evigrade.get_registry(disable=(PLUGIN,)).designs
    assert PLUGIN not in evigrade.get_registry(disable=(DISTRIBUTION,)).designs


@installed
def test_installed_the_file_loads_and_grades_without_a_registry_argument(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EVIGRADE_DISABLE_PLUGINS", raising=False)
    evidence = evigrade.from_data(DATA)
    report = evigrade.grade_file(evidence, SCHEMES)
    grades = report.results[0].grades
    assert (grades["grade"].label, grades["cebm-2011"].label, grades["pyramid"].rank) == (
        "Low",
        "Level 3",
        6,
    )


@installed
def test_installed_evigrade_designs_lists_them(evigrade_cli: Runner) -> None:
    done = evigrade_cli("designs")
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.strip()}
    placed = ["non-randomized", "no", "Low", "3", "6", "SEVCO:01002"]
    assert rows[PLUGIN] == [PLUGIN, *placed]
    assert rows["target-trial-emulation"] == ["target-trial-emulation", *placed]
    plugins = evigrade_cli("plugins")
    assert f"{PLUGIN}  ({DISTRIBUTION} " in plugins.stdout
    assert "hooks: evigrade_register_designs" in plugins.stdout


@installed
def test_installed_evigrade_validates_and_grades_the_file(
    evidence_file: Path, evigrade_cli: Runner
) -> None:
    done = evigrade_cli("validate", str(evidence_file))
    assert done.returncode == 0, done.stdout + done.stderr
    schemes = [arg for scheme in SCHEMES for arg in ("--scheme", scheme)]
    graded = evigrade_cli("grade", str(evidence_file), "--format", "json", *schemes)
    assert graded.returncode == 0, graded.stderr
    claims = {c["id"]: c["grades"] for c in json.loads(graded.stdout)["claims"]}
    grades = claims["lower-ldl-lowers-chd"]
    assert (grades["grade"]["label"], grades["cebm-2011"]["label"]) == ("Low", "Level 3")
    assert grades["pyramid"]["label"] == "Cohort or non-randomized controlled study"


@installed
def test_installed_but_disabled_the_file_is_invalid(
    evidence_file: Path, evigrade_cli: Runner
) -> None:
    done = evigrade_cli("--disable-plugin", PLUGIN, "validate", str(evidence_file))
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "unknown design 'mendelian-randomization'" in output
    assert "/studies/0/design" in output
