"""FHIR R5 EBM export and import: the Bundle is valid R5 (checked with the independent
fhir.resources models), deterministic, and round-trips every grade; the HL7 EBM examples
import, and their GRADE certainty comes out the same in evigrade."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evigrade import EvidenceError, export, grade_file, import_files, load, to_data
from evigrade.cli import main
from evigrade.interop.fhir import CERTAINTY_RATING, CERTAINTY_TYPE, RULE_RATER, SEVCO
from evigrade.model import EvidenceFile

from .conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))
OVERALL = {"High": "high", "Moderate": "moderate", "Low": "low", "Very low": "very-low"}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _labels(evidence: EvidenceFile) -> dict[str, dict[str, str]]:
    return {
        result.claim.id: {name: grade.label for name, grade in result.grades.items()}
        for result in grade_file(evidence).results
    }


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _code(concept: dict[str, Any], system: str) -> str | None:
    return next((c["code"] for c in concept.get("coding", []) if c["system"] == system), None)


@pytest.fixture
def ebm(shared: Path) -> Path:
    return shared / "data" / "external" / "fhir_ebm_r5"


def _one(folder: Path, prefix: str) -> Path:
    (path,) = folder.glob(f"{prefix}*.json")
    return path


# -- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_export_is_a_valid_r5_bundle(path: Path) -> None:
    pytest.importorskip("fhir.resources")
    from fhir.resources.bundle import Bundle
    from fhir.resources.citation import Citation
    from fhir.resources.evidence import Evidence

    document = export("fhir", load(path))
    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    for entry in document["entry"]:
        resource = entry["resource"]
        model: Any = {"Citation": Citation, "Evidence": Evidence}[resource["resourceType"]]
        model.model_validate(resource)  # each resource on its own, too


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_export_has_a_citation_per_study_and_an_evidence_per_claim(path: Path) -> None:
    evidence = load(path)
    document = export("fhir", evidence)
    citations = _resources(document, "Citation")
    assert [c["id"] for c in citations] == [s.id for s in evidence.studies]
    assert [e["id"] for e in _resources(document, "Evidence")] == [c.id for c in evidence.claims]
    ids = {c["id"] for c in citations}
    for item in _resources(document, "Evidence"):
        for artifact in item.get("relatedArtifact", []):
            kind, target = artifact["resourceReference"]["reference"].split("/")
            assert kind == "Citation"
            assert target in ids


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_export_certainty_is_the_grade_with_a_component_per_domain(path: Path) -> None:
    evidence = load(path)
    document = export("fhir", evidence)
    grades = {r.claim.id: r.grades["grade"] for r in grade_file(evidence).results}
    for item in _resources(document, "Evidence"):
        grade = grades[item["id"]]
        (certainty,) = item["certainty"]
        assert _code(certainty["type"], CERTAINTY_TYPE) == "Overall"
        if grade.label in OVERALL:
            assert _code(certainty["rating"], CERTAINTY_RATING) == OVERALL[grade.label]
        else:  # No evidence: words, no code
            assert certainty["rating"] == {"text": "No evidence"}
        assert certainty["description"].startswith(f"GRADE {grade.label}")
        domains = [s.domain for s in grade.rationale if s.kind in ("down", "up", "check")]
        types = [_code(c["type"], CERTAINTY_TYPE) for c in certainty.get("subcomponent", [])]
        assert len(types) == len(domains)
        assert all(t is not None for t in types)
        for component in certainty.get("subcomponent", []):
            assert _code(component["rating"], CERTAINTY_RATING)
            assert component["rater"] == "reviewer" or component["rater"].startswith(RULE_RATER)


def test_export_writes_designs_as_sevco_codes() -> None:
    document = export("fhir", load(EXAMPLES / "ldn-multiple-sclerosis.json"))
    citation = next(c for c in _resources(document, "Citation") if c["id"] == "turel-2015")
    codes = [
        _code(concept, SEVCO)
        for entry in citation["citedArtifact"]["classification"]
        for concept in entry["classifier"]
    ]
    assert {"SEVCO:01002", "SEVCO:01011", "SEVCO:01039", "retrospective-cohort"} <= {
        *codes,
        *(
            c["code"]
            for e in citation["citedArtifact"]["classification"]
            for k in e["classifier"]
            for c in k["coding"]
        ),
    }
    item = next(e for e in _resources(document, "Evidence") if e["id"] == "ldn-reduces-fatigue")
    assert [_code(c, SEVCO) for c in item["studyDesign"]] == [
        "SEVCO:01002",
        "SEVCO:01011",
        "SEVCO:01039",
    ]


def test_export_marks_reviewer_judgments_and_their_reasons() -> None:
    document = export("fhir", load(EXAMPLES / "ldn-multiple-sclerosis.json"))
    item = next(
        e for e in _resources(document, "Evidence") if e["id"] == "ldn-serious-side-effects-rare"
    )
    component = next(
        c
        for c in item["certainty"][0]["subcomponent"]
        if _code(c["type"], CERTAINTY_TYPE) == "Imprecision"
    )
    assert component["rater"] == "reviewer"
    assert _code(component["rating"], CERTAINTY_RATING) == "very-serious-concern"
    assert component["note"][0]["text"].startswith("two short trials")


def test_export_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for name in ("one.json", "two.json"):
        target = tmp_path / name
        code, _, err = run(
            capsys, "export", "fhir", EXAMPLES / "ldn-multiple-sclerosis.json", "-o", target
        )
        assert code == 0, err
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


# -- round trip -----------------------------------------------------------------------------


def _without_extensions(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_extensions(v) for k, v in data.items() if not k.startswith("x-")}
    if isinstance(data, list):
        return [_without_extensions(v) for v in data]
    return data


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_round_trip_keeps_every_grade_and_the_data(path: Path, tmp_path: Path) -> None:
    evidence = load(path)
    bundle = _write(tmp_path / "bundle.json", export("fhir", evidence))
    back = import_files("fhir", [bundle]).evidence
    assert _labels(back) == _labels(evidence)
    before = _without_extensions(to_data(evidence))
    after = _without_extensions(to_data(back))
    for key in ("title", "source", "$schema"):
        before.pop(key, None)
        after.pop(key, None)
    assert after == before


def test_round_trip_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, back = tmp_path / "b.json", tmp_path / "back.json"
    code, _, err = run(
        capsys, "export", "fhir", EXAMPLES / "ldn-multiple-sclerosis.json", "-o", bundle
    )
    assert code == 0, err
    code, _, err = run(capsys, "import", "fhir", bundle, "-o", back)
    assert code == 0, err
    assert "18 studies, 30 claims" in err
    code, _, err = run(capsys, "grade", back)
    assert code == 0, err


def test_rule_judgments_are_not_imported_as_reviewer_judgments(tmp_path: Path) -> None:
    evidence = load(EXAMPLES / "ldn-multiple-sclerosis.json")
    back = import_files("fhir", [_write(tmp_path / "b.json", export("fhir", evidence))]).evidence
    assert {c.id: c.judgments for c in back.claims} == {c.id: c.judgments for c in evidence.claims}


# -- the HL7 EBM examples -------------------------------------------------------------------


def test_hl7_certainty_rating_with_its_evidence_grades_low(ebm: Path) -> None:
    rating = _one(ebm, "ArtifactAssessment-179693")
    evidence = _one(ebm, "Evidence-55")
    for order in ([evidence, rating], [rating, evidence]):
        result = import_files("fhir", order).evidence
        (claim,) = result.claims
        ratings = {j.domain: j.rating for j in claim.judgments}
        assert ratings == {
            "risk_of_bias": "serious",
            "inconsistency": "serious",
            "indirectness": "not-serious",
            "imprecision": "not-serious",
            "publication_bias": "not-serious",
        }
        assert claim.extensions["x-fhir-certainty"] == "low"
        (study,) = result.studies
        assert (study.design, study.of, study.n) == ("meta-analysis", "rct", 6774)
        assert _labels(result)[claim.id]["grade"] == "Low"


def test_hl7_certainty_rating_alone_has_judgments_but_no_evidence(ebm: Path) -> None:
    result = import_files("fhir", [_one(ebm, "ArtifactAssessment-179693")]).evidence
    (claim,) = result.claims
    assert claim.id == "55"
    assert claim.judgment("inconsistency") is not None
    assert "heterogeneity" in (claim.judgment("inconsistency").reason or "")  # type: ignore[union-attr]
    assert "blinding" in (claim.judgment("risk_of_bias").reason or "")  # type: ignore[union-attr]
    assert claim.evidence == ()
    assert _labels(result)["55"]["grade"] == "No evidence"


def test_hl7_rating_and_evidence_in_one_bundle_merge(ebm: Path, tmp_path: Path) -> None:
    resources = [
        json.loads(_one(ebm, "ArtifactAssessment-179693").read_text("utf-8")),
        json.loads(_one(ebm, "Evidence-55").read_text("utf-8")),
    ]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    result = import_files("fhir", [_write(tmp_path / "b.json", bundle)])
    (claim,) = result.evidence.claims
    assert claim.text.startswith("Remdesivir might reduce 14-day mortality")
    assert claim.population == "Adults with COVID-19 pneumonia admitted to hospital"
    assert claim.intervention is not None and claim.intervention.startswith("Remdesivir")
    assert claim.comparator == "Placebo"
    assert len(claim.judgments) == 5
    assert _labels(result.evidence)["55"]["grade"] == "Low"


def test_hl7_citation_becomes_a_study(ebm: Path) -> None:
    (study,) = import_files("fhir", [_one(ebm, "Citation-179637")]).evidence.studies
    assert study.id == "179637"
    assert study.design == "rct"  # from the MEDLINE publication type
    assert (study.pmid, study.doi, study.year) == (
        "18508207",
        "10.1016/j.drugalcdep.2008.04.002",
        2008,
    )
    assert study.authors[:2] == ("Yu E", "Miotto K")
    assert study.journal == "Drug and alcohol dependence"
    assert study.title is not None and study.title.startswith("A Phase 3 placebo-controlled")


def test_hl7_cohort_meta_analysis_starts_low(ebm: Path) -> None:
    result = import_files("fhir", [_one(ebm, "Evidence-49328")]).evidence
    (study,) = result.studies
    assert (study.design, study.of) == ("meta-analysis", "prospective-cohort")
    assert result.claims[0].evidence[0].study == study.id


def test_hl7_assessments_without_certainty_are_passed_over(ebm: Path) -> None:
    paths = [_one(ebm, "ArtifactAssessment-179448"), _one(ebm, "ArtifactAssessment-179692")]
    result = import_files("fhir", paths)
    assert result.records == 0
    assert result.evidence.claims == ()


def test_all_hl7_examples_import_with_skip(ebm: Path) -> None:
    result = import_files("fhir", sorted(ebm.glob("*.json")), on_error="skip")
    assert [p.keyword for p in result.problems] == ["fhir"]  # the EvidenceVariable
    assert {c.id for c in result.evidence.claims} == {"55", "49328"}
    assert _labels(result.evidence)["55"]["grade"] == "Low"


# -- ratings --------------------------------------------------------------------------------


def _evidence(components: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Evidence",
        "id": "e1",
        "status": "active",
        "assertion": "Drug X lowers mortality",
        "variableDefinition": [{"variableRole": {"text": "outcome"}}],
        "studyDesign": [{"coding": [{"system": SEVCO, "code": "SEVCO:01003"}]}],
        "certainty": [
            {
                "type": {"coding": [{"system": CERTAINTY_TYPE, "code": "Overall"}]},
                "subcomponent": [
                    {
                        "type": {"coding": [{"system": CERTAINTY_TYPE, "code": kind}]},
                        "rating": {"coding": [{"system": CERTAINTY_RATING, "code": code}]},
                    }
                    for kind, code in components
                ],
            }
        ],
        **extra,
    }


@pytest.mark.parametrize(
    ("kind", "code", "domain", "rating"),
    [
        ("RiskOfBias", "no-concern", "risk_of_bias", "not-serious"),
        ("RiskOfBias", "serious-concern", "risk_of_bias", "serious"),
        ("Indirectness", "very-serious-concern", "indirectness", "very-serious"),
        ("Imprecision", "extremely-serious-concern", "imprecision", "extremely-serious"),
        ("Imprecision", "downcode3", "imprecision", "extremely-serious"),
        ("PublicationBias", "downcode1", "publication_bias", "serious"),
        ("LargeEffect", "upcode2", "large_effect", "very-large"),
        ("LargeEffect", "present", "large_effect", "large"),
        ("DoseResponseGradient", "present", "dose_response", "present"),
        ("PlausibleConfounding", "absent", "plausible_confounding", "absent"),
    ],
)
def test_certainty_ratings_map_to_judgments(
    kind: str, code: str, domain: str, rating: str, tmp_path: Path
) -> None:
    path = _write(tmp_path / "e.json", _evidence([(kind, code)]))
    (claim,) = import_files("fhir", [path]).evidence.claims
    (judgment,) = claim.judgments
    assert (judgment.domain, judgment.rating, judgment.source) == (domain, rating, "reviewer")
    if rating not in ("not-serious", "absent"):
        assert judgment.reason  # the format needs a reason for a non-neutral rating


def test_a_rating_the_domain_does_not_have_is_left_out(tmp_path: Path) -> None:
    path = _write(tmp_path / "e.json", _evidence([("Inconsistency", "extremely-serious-concern")]))
    (claim,) = import_files("fhir", [path]).evidence.claims
    assert claim.judgments == ()


# -- bad input ------------------------------------------------------------------------------


def test_malformed_json_is_a_problem_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Citation",\n  "id": }\n', encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        import_files("fhir", [bad])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.kind) == (2, 9, "syntax")
    assert str(problem).startswith(f"{bad}:2:9:")


def test_wrong_resource_type_is_a_problem_with_a_pointer(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.json", {"resourceType": "Patient", "id": "p1"})
    with pytest.raises(EvidenceError) as caught:
        import_files("fhir", [path])
    (problem,) = caught.value.problems
    assert problem.pointer == "/resourceType"
    assert problem.line == 2
    assert "Patient" in problem.message


def test_bad_records_are_skipped_or_fail(tmp_path: Path, ebm: Path) -> None:
    good = json.loads(_one(ebm, "Citation-179637").read_text("utf-8"))
    nameless = {"resourceType": "Citation", "id": "c2", "status": "active", "citedArtifact": {}}
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": good}, {"resource": nameless}, {"fullUrl": "urn:x"}],
    }
    path = _write(tmp_path / "b.json", bundle)
    with pytest.raises(EvidenceError):
        import_files("fhir", [path])
    result = import_files("fhir", [path], on_error="skip")
    assert [s.id for s in result.evidence.studies] == ["179637"]
    assert sorted(p.pointer for p in result.problems) == [
        "/entry/1/resource/citedArtifact",
        "/entry/2",
    ]
    assert all(p.line is not None for p in result.problems)


def test_an_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        import_files("fhir", [tmp_path / "missing.json"])
    assert caught.value.unreadable


def test_the_cli_reports_skipped_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1,", encoding="utf-8")
    good = _write(tmp_path / "e.json", _evidence([("RiskOfBias", "serious-concern")]))
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "import", "fhir", bad, good, "-o", out)
    assert code == 1
    assert f"{bad}:1:4:" in err
    assert not out.exists()
    code, _, err = run(capsys, "import", "fhir", bad, good, "-o", out, "--on-error", "skip")
    assert code == 0, err
    assert f"{bad}:1:4:" in err
    assert load(out).claims[0].judgment("risk_of_bias") is not None


# -- packaging ------------------------------------------------------------------------------


def test_importing_evigrade_does_not_load_fhir_resources() -> None:
    code = (
        "import sys, evigrade, evigrade.interop.fhir, evigrade.plugins as p; "
        "r = p.get_registry(); assert 'fhir' in r.importers and 'fhir' in r.exporters; "
        "print(any(m.startswith('fhir.resources') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_the_fhir_plugin_is_built_in() -> None:
    from evigrade.plugins import get_registry

    registry = get_registry()
    assert registry.importers["fhir"].read is not None
    assert registry.exporters["fhir"].write is not None
