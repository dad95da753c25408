"""Loading and dumping: lossless, `x-` extensions and `$schema` included, writes all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evigrade

from .conftest import EXAMPLES


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_loading_then_dumping_the_examples_is_lossless(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    evidence = evigrade.load(path)
    assert evigrade.to_data(evidence) == raw
    assert evigrade.loads(evigrade.dumps(evidence)) == evidence


def test_unreported_size_stays_null_and_absent_stays_absent() -> None:
    data = {
        "$schema": "https://schemas.evigrade.org/evidence/1/evidence.schema.json",
        "evigrade": "1",
        "studies": [
            {"id": "t", "design": "rct", "n": None, "x-source-of-n": "not reported"},
            {"id": "o", "design": "expert-opinion"},
        ],
        "claims": [],
        "x-tool": {"name": "hand", "version": [1, 2]},
    }
    evidence = evigrade.from_data(data)
    assert evidence.studies[0].n is None
    assert evidence.schema == data["$schema"]
    assert evidence.studies[0].extensions == {"x-source-of-n": "not reported"}
    out = evigrade.to_data(evidence)
    assert out == data
    assert list(out)[:2] == ["$schema", "evigrade"]


def test_dump_writes_a_whole_file_atomically(tmp_path: Path) -> None:
    evidence = evigrade.load(EXAMPLES / "ketamine-multiple-sclerosis.json")
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    evigrade.dump(evidence, target)
    assert evigrade.load(target) == evidence
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_dump_to_a_missing_directory_fails_without_leaving_anything(tmp_path: Path) -> None:
    evidence = evigrade.load(EXAMPLES / "ketamine-multiple-sclerosis.json")
    with pytest.raises(FileNotFoundError):
        evigrade.dump(evidence, tmp_path / "missing" / "out.json")
    assert list(tmp_path.iterdir()) == []


def test_model_defaults_are_applied_by_the_effective_properties() -> None:
    evidence = evigrade.loads(
        '{"evigrade": "1", "studies": [{"id": "a", "design": "rct", "n": 3}],'
        ' "claims": [{"id": "c", "text": "t", "evidence": []}]}'
    )
    study, claim = evidence.studies[0], evidence.claims[0]
    assert (study.species, study.effective_species) == (None, "human")
    assert (study.status, study.effective_status, study.is_pilot) == (None, "completed", False)
    assert (claim.outcome_kind, claim.effective_outcome_kind) == (None, "patient-important")
    assert evidence.study("a") is study and evidence.claim("c") is claim


def test_a_registry_can_be_passed_for_plugin_designs() -> None:
    registry = evigrade.plugin.build_registry(disable=("*",))
    registry.designs["lab-notebook"] = evigrade.plugin.Design(
        id="lab-notebook",
        label="Lab notebook",
        family="non-empirical",
        randomized=False,
        needs_participants=False,
        grade_start=None,
        cebm_level=None,
        pyramid_tier=3,
    )
    data = {"evigrade": "1", "studies": [{"id": "a", "design": "lab-notebook"}], "claims": []}
    with pytest.raises(evigrade.EvidenceError):
        evigrade.from_data(data)  # not installed: an unknown design
    evidence = evigrade.from_data(data, registry=registry)
    assert evigrade.to_data(evidence, registry=registry) == data  # no "n": null added
    assert (
        evigrade.loads(evigrade.dumps(evidence, registry=registry), registry=registry) == evidence
    )
