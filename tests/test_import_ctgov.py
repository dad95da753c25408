"""The ``ctgov`` importer: ClinicalTrials.gov API v2 study JSON -> studies and claims."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import evigrade.plugins
from evigrade import EvidenceError, Problem, dumps, grade_file, import_files, loads
from evigrade.cli import main
from evigrade.interop.ctgov import lower_is_better, measure_of, read_text_records, slug
from evigrade.model import Claim, Study
from evigrade.plugin import ImportRecord

PALLAS = "data/external/ctgov/NCT02513394.json"
DESIGNS = evigrade.get_registry(disable=("*",)).designs


# -- synthetic records ----------------------------------------------------------------------------


def record(
    nct: str = "NCT00000001",
    *,
    study_type: str = "INTERVENTIONAL",
    design_info: dict[str, Any] | None = None,
    status: str = "COMPLETED",
    count: int | None = 100,
    arms: list[dict[str, Any]] | None = None,
    lead: str | None = "INDUSTRY",
    collaborators: tuple[str, ...] = (),
    outcomes: list[dict[str, Any]] | None = None,
    title: str = "A trial of something",
) -> dict[str, Any]:
    """A small API v2 study; ``outcomes`` become its posted outcome measures."""
    info = (
        design_info
        if design_info is not None
        else {
            "allocation": "RANDOMIZED",
            "interventionModel": "PARALLEL",
            "maskingInfo": {"masking": "DOUBLE"},
        }
    )
    design: dict[str, Any] = {"studyType": study_type, "phases": ["PHASE3"], "designInfo": info}
    if count is not None:
        design["enrollmentInfo"] = {"count": count, "type": "ACTUAL"}
    protocol: dict[str, Any] = {
        "identificationModule": {"nctId": nct, "briefTitle": title},
        "statusModule": {"overallStatus": status},
        "designModule": design,
        "conditionsModule": {"conditions": ["Hypertension"]},
        "armsInterventionsModule": {
            "armGroups": arms
            if arms is not None
            else [
                {
                    "label": "Drug",
                    "type": "EXPERIMENTAL",
                    "interventionNames": ["Drug: Examplol"],
                },
                {
                    "label": "Placebo",
                    "type": "PLACEBO_COMPARATOR",
                    "interventionNames": ["Drug: Placebo"],
                },
            ]
        },
    }
    if lead is not None:
        protocol["sponsorCollaboratorsModule"] = {
            "leadSponsor": {"name": "Sponsor", "class": lead},
            "collaborators": [{"name": f"C{i}", "class": c} for i, c in enumerate(collaborators)],
        }
    data: dict[str, Any] = {"protocolSection": protocol, "hasResults": bool(outcomes)}
    if outcomes:
        data["resultsSection"] = {"outcomeMeasuresModule": {"outcomeMeasures": outcomes}}
    return data


def outcome(
    title: str = "All-cause mortality",
    *,
    kind: str = "PRIMARY",
    analysis: dict[str, Any] | None = None,
    group_ids: tuple[str, str] = ("OG000", "OG001"),
) -> dict[str, Any]:
    """An outcome measure with two groups (the drug arm, then placebo) and one analysis."""
    base = {
        "paramType": "Odds Ratio (OR)",
        "paramValue": "0.5",
        "ciPctValue": "95",
        "ciNumSides": "TWO_SIDED",
        "ciLowerLimit": "0.3",
        "ciUpperLimit": "0.8",
        "pValue": "0.004",
    }
    base.update(analysis or {})
    base["groupIds"] = list(group_ids)
    return {
        "type": kind,
        "title": title,
        "description": "Deaths from any cause.",
        "reportingStatus": "POSTED",
        "paramType": "COUNT_OF_PARTICIPANTS",
        "groups": [
            {"id": "OG000", "title": "Drug"},
            {"id": "OG001", "title": "Placebo"},
        ],
        "denoms": [
            {
                "units": "Participants",
                "counts": [
                    {"groupId": "OG000", "value": "48"},
                    {"groupId": "OG001", "value": "49"},
                ],
            }
        ],
        "classes": [
            {
                "categories": [
                    {
                        "measurements": [
                            {"groupId": "OG000", "value": "5"},
                            {"groupId": "OG001", "value": "10"},
                        ]
                    }
                ]
            }
        ],
        "analyses": [base],
    }


def records(data: Any) -> list[ImportRecord]:
    return list(read_text_records(json.dumps(data, indent=2), "in.json", designs=DESIGNS))


def one(data: dict[str, Any]) -> tuple[Study, tuple[Claim, ...]]:
    (result,) = records(data)
    assert result.problem is None, str(result.problem)
    assert result.study is not None
    return result.study, result.claims


def problem_of(data: Any) -> Problem:
    (result,) = records(data)
    assert result.problem is not None
    assert result.study is None
    return result.problem


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


# -- the PALLAS record ---------------------------------------------------------------------------


def test_pallas_imports_as_a_randomized_phase_3_trial(shared: Path) -> None:
    result = import_files("ctgov", [shared / PALLAS])
    assert (result.records, result.skipped, result.problems) == (1, 0, ())
    (study,) = result.evidence.studies
    assert study.id == "nct02513394"
    assert study.nct == "NCT02513394"
    assert study.design == "rct"
    assert study.randomized is True
    assert study.n == 5796
    assert study.blinding == "none"  # masking NONE: open label
    assert study.status == "completed"  # ACTIVE_NOT_RECRUITING, but results are posted
    assert study.funding == "mixed"  # academic lead sponsor, Pfizer as collaborator
    assert study.url == "https://clinicaltrials.gov/study/NCT02513394"
    assert study.title is not None
    assert "PALbociclib" in study.title
    info = study.extensions["x-ctgov"]
    assert info["phases"] == ["PHASE3"]
    assert info["overallStatus"] == "ACTIVE_NOT_RECRUITING"
    assert info["statusFromResults"] is True
    assert info["allocation"] == "RANDOMIZED"
    assert info["acronym"] == "PALLAS"


def test_pallas_primary_outcome_carries_its_hazard_ratio(shared: Path) -> None:
    evidence = import_files("ctgov", [shared / PALLAS]).evidence
    claim = evidence.claim("invasive-disease-free-survival-idfs")
    assert claim.text.startswith("Invasive Disease Free Survival (iDFS).")
    assert "Invasive disease-free survival (iDFS) for the combination" in claim.text
    assert claim.outcome == "Invasive Disease Free Survival (iDFS)"
    assert claim.outcome_type == "time-to-event"
    assert claim.intervention == "Palbociclib + Standard Adjuvant Endocrine Therapy"
    assert claim.comparator == "Standard Adjuvant Endocrine Therapy"
    assert claim.extensions["x-ctgov"]["outcome"] == "primary"
    (link,) = claim.evidence
    assert link.study == "nct02513394"
    assert link.effect is not None
    assert (link.effect.measure, link.effect.estimate) == ("HR", 0.96)
    assert (link.effect.ci_low, link.effect.ci_high, link.effect.p) == (0.81, 1.14, 0.65)
    assert link.direction == "inconclusive"  # the CI includes 1
    assert link.n == 2884 + 2877  # analysed, not enrolled
    assert link.extensions["x-ctgov"]["outcome"] == "primary"
    secondary = [c for c in evidence.claims if c.id != claim.id]
    assert len(secondary) == 4
    assert all(c.extensions["x-ctgov"]["outcome"] == "secondary" for c in secondary)


def test_pallas_file_validates_and_grades(shared: Path, tmp_path: Path) -> None:
    evidence = import_files("ctgov", [shared / PALLAS]).evidence
    text = dumps(evidence)
    assert loads(text) == evidence  # valid, and round-trips
    report = grade_file(evidence)
    primary = next(r for r in report.results if r.claim.id == "invasive-disease-free-survival-idfs")
    grade = primary.grades["grade"]
    assert grade.counted == ("nct02513394",)
    assert grade.label not in ("No evidence",)
    output = tmp_path / "pallas.json"
    with pytest.raises(SystemExit) as done:
        main(["import", "ctgov", str(shared / PALLAS), "-o", str(output)])
    assert done.value.code == 0
    with pytest.raises(SystemExit) as done:
        main(["validate", str(output)])
    assert done.value.code == 0


# -- study mappings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("study_type", "info", "expected", "randomized"),
    [
        (
            "INTERVENTIONAL",
            {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL"},
            "rct",
            True,
        ),
        (
            "INTERVENTIONAL",
            {"allocation": "RANDOMIZED", "interventionModel": "FACTORIAL"},
            "rct",
            True,
        ),
        (
            "INTERVENTIONAL",
            {"allocation": "RANDOMIZED", "interventionModel": "CROSSOVER"},
            "crossover-rct",
            True,
        ),
        (
            "INTERVENTIONAL",
            {
                "allocation": "RANDOMIZED",
                "interventionModel": "PARALLEL",
                "interventionModelDescription": "Cluster randomised by general practice.",
            },
            "cluster-rct",
            True,
        ),
        (
            "INTERVENTIONAL",
            {"allocation": "NON_RANDOMIZED", "interventionModel": "PARALLEL"},
            "non-randomized-trial",
            False,
        ),
        (
            "INTERVENTIONAL",
            {"allocation": "NON_RANDOMIZED", "interventionModel": "SINGLE_GROUP"},
            "single-arm-trial",
            False,
        ),
        (
            "INTERVENTIONAL",
            {"allocation": "NA", "interventionModel": "SINGLE_GROUP"},
            "single-arm-trial",
            False,
        ),
        (
            "OBSERVATIONAL",
            {"observationalModel": "COHORT", "timePerspective": "PROSPECTIVE"},
            "prospective-cohort",
            False,
        ),
        (
            "OBSERVATIONAL",
            {"observationalModel": "COHORT", "timePerspective": "RETROSPECTIVE"},
            "retrospective-cohort",
            False,
        ),
        (
            "OBSERVATIONAL",
            {"observationalModel": "COHORT", "timePerspective": "OTHER"},
            "retrospective-cohort",
            False,
        ),
        (
            "OBSERVATIONAL",
            {"observationalModel": "COHORT", "timePerspective": "CROSS_SECTIONAL"},
            "cross-sectional",
            False,
        ),
        ("OBSERVATIONAL", {"observationalModel": "CASE_CONTROL"}, "case-control", False),
        ("OBSERVATIONAL", {"observationalModel": "CASE_CROSSOVER"}, "case-control", False),
        ("OBSERVATIONAL", {"observationalModel": "CASE_ONLY"}, "case-series", False),
        ("OBSERVATIONAL", {"observationalModel": "ECOLOGIC_OR_COMMUNITY"}, "ecological", False),
        ("OBSERVATIONAL", {"observationalModel": "OTHER"}, "cross-sectional", False),
        ("EXPANDED_ACCESS", {}, "case-series", False),
    ],
)
def test_design_from_study_type_and_design_info(
    study_type: str, info: dict[str, Any], expected: str, randomized: bool
) -> None:
    study, _ = one(record(study_type=study_type, design_info=info))
    assert study.design == expected
    assert study.randomized is randomized


def test_cluster_cue_in_the_title() -> None:
    data = record(title="A cluster-randomized trial of school meals")
    assert one(data)[0].design == "cluster-rct"
    headache = record(title="A randomized trial in cluster headache")
    assert one(headache)[0].design == "rct"


def test_non_randomized_trial_with_one_arm_is_single_arm() -> None:
    info = {"allocation": "NON_RANDOMIZED", "interventionModel": "PARALLEL"}
    arms = [{"label": "Drug", "type": "EXPERIMENTAL"}]
    study, _ = one(record(design_info=info, arms=arms))
    assert (study.design, study.control) == ("single-arm-trial", "none")


@pytest.mark.parametrize(
    ("masking", "blinding"),
    [
        ("NONE", "none"),
        ("SINGLE", "single"),
        ("DOUBLE", "double"),
        ("TRIPLE", "triple"),
        ("QUADRUPLE", "triple"),
        (None, None),
    ],
)
def test_masking_to_blinding(masking: str | None, blinding: str | None) -> None:
    info: dict[str, Any] = {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL"}
    if masking is not None:
        info["maskingInfo"] = {"masking": masking}
    study, _ = one(record(design_info=info))
    assert study.blinding == blinding
    assert study.extensions["x-ctgov"].get("masking") == masking


@pytest.mark.parametrize(
    ("overall", "status"),
    [
        ("COMPLETED", "completed"),
        ("RECRUITING", "ongoing"),
        ("ENROLLING_BY_INVITATION", "ongoing"),
        ("ACTIVE_NOT_RECRUITING", "ongoing"),
        ("NOT_YET_RECRUITING", "planned"),
        ("TERMINATED", "terminated"),
        ("WITHDRAWN", "terminated"),
        ("SUSPENDED", "terminated"),
        ("UNKNOWN", "ongoing"),
    ],
)
def test_overall_status(overall: str, status: str) -> None:
    study, _ = one(record(status=overall))
    assert study.status == status
    assert study.extensions["x-ctgov"]["overallStatus"] == overall


def test_unknown_status_reads_the_last_known_one() -> None:
    data = record(status="UNKNOWN")
    data["protocolSection"]["statusModule"]["lastKnownStatus"] = "NOT_YET_RECRUITING"
    assert one(data)[0].status == "planned"


def test_posted_results_make_an_active_study_completed() -> None:
    study, _ = one(record(status="ACTIVE_NOT_RECRUITING", outcomes=[outcome()]))
    assert study.status == "completed"
    assert study.extensions["x-ctgov"]["statusFromResults"] is True
    terminated, _ = one(record(status="TERMINATED", outcomes=[outcome()]))
    assert terminated.status == "terminated"


@pytest.mark.parametrize(
    ("lead", "collaborators", "funding"),
    [
        ("INDUSTRY", (), "industry"),
        ("INDUSTRY", ("OTHER",), "industry"),
        ("INDUSTRY", ("NIH",), "mixed"),
        ("NIH", (), "public"),
        ("FED", (), "public"),
        ("OTHER_GOV", ("OTHER",), "public"),
        ("NIH", ("INDUSTRY",), "mixed"),
        ("OTHER", (), "unknown"),
        ("NETWORK", ("INDUSTRY",), "mixed"),
        ("OTHER", ("NIH",), "public"),
        (None, (), None),
    ],
)
def test_funding_from_sponsor_classes(
    lead: str | None, collaborators: tuple[str, ...], funding: str | None
) -> None:
    study, _ = one(record(lead=lead, collaborators=collaborators))
    assert study.funding == funding


@pytest.mark.parametrize(
    ("types", "control"),
    [
        (("EXPERIMENTAL", "PLACEBO_COMPARATOR"), "placebo"),
        (("EXPERIMENTAL", "SHAM_COMPARATOR"), "placebo"),
        (("EXPERIMENTAL", "ACTIVE_COMPARATOR"), "active"),
        (("EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR"), "placebo"),
        (("EXPERIMENTAL", "NO_INTERVENTION"), "usual-care"),
        (("EXPERIMENTAL", "OTHER"), None),
    ],
)
def test_control_from_arm_types(types: tuple[str, ...], control: str | None) -> None:
    arms = [{"label": f"Arm {i}", "type": kind} for i, kind in enumerate(types)]
    assert one(record(arms=arms))[0].control == control


def test_enrollment_and_identity() -> None:
    study, claims = one(record("NCT01234567", count=0))
    assert (study.id, study.nct, study.n) == ("nct01234567", "NCT01234567", None)
    assert claims == ()
    assert one(record(count=None))[0].n is None
    assert one(record(count=12))[0].n == 12
    pilot = one(record(title="A pilot randomized trial"))[0]
    assert pilot.pilot is True


# -- results -------------------------------------------------------------------------------------


def test_significant_benefit_on_a_harmful_outcome_supports() -> None:
    _, (claim,) = one(record(outcomes=[outcome()]))
    assert claim.id == "all-cause-mortality"
    assert claim.text == "All-cause mortality. Deaths from any cause."
    assert (claim.intervention, claim.comparator) == ("Examplol", "Placebo")
    assert claim.outcome_type == "dichotomous"
    (link,) = claim.evidence
    assert link.direction == "supports"
    assert link.effect is not None
    assert (link.effect.measure, link.effect.estimate, link.effect.p) == ("OR", 0.5, 0.004)
    assert link.events is not None
    assert (link.events.intervention, link.events.control) == (5, 10)
    assert link.n == 97


def test_significant_harm_contradicts() -> None:
    analysis = {"paramValue": "2.0", "ciLowerLimit": "1.2", "ciUpperLimit": "3.1"}
    _, (claim,) = one(record(outcomes=[outcome(analysis=analysis)]))
    assert claim.evidence[0].direction == "contradicts"


def test_good_outcomes_are_read_the_other_way() -> None:
    analysis = {"paramValue": "2.0", "ciLowerLimit": "1.2", "ciUpperLimit": "3.1"}
    _, (claim,) = one(record(outcomes=[outcome("Clinical response", analysis=analysis)]))
    assert claim.evidence[0].direction == "supports"


def test_experimental_group_listed_second_flips_the_reading() -> None:
    data = outcome(group_ids=("OG001", "OG000"))  # placebo vs drug: OR 0.5 favours placebo
    _, (claim,) = one(record(outcomes=[data]))
    assert claim.evidence[0].direction == "contradicts"
    assert claim.intervention == "Examplol"


def test_ci_including_no_effect_is_inconclusive() -> None:
    analysis = {"paramValue": "0.9", "ciLowerLimit": "0.6", "ciUpperLimit": "1.3", "pValue": "0.5"}
    _, (claim,) = one(record(outcomes=[outcome(analysis=analysis)]))
    assert claim.evidence[0].direction == "inconclusive"


def test_unknown_polarity_is_inconclusive_with_a_note() -> None:
    analysis = {"paramType": "Mean Difference (Final Values)", "paramValue": "-4.2"}
    analysis |= {"ciLowerLimit": "-6.0", "ciUpperLimit": "-2.4"}
    _, (claim,) = one(record(outcomes=[outcome("Systolic blood pressure", analysis=analysis)]))
    (link,) = claim.evidence
    assert link.effect is not None
    assert link.effect.measure == "MD"
    assert claim.outcome_type == "continuous"
    assert link.direction == "inconclusive"
    assert "set the direction by hand" in link.extensions["x-ctgov"]["note"]


def test_ci_that_is_not_95_percent_two_sided_is_kept_aside() -> None:
    analysis = {"ciPctValue": "90", "pValue": "<0.001"}
    _, (claim,) = one(record(outcomes=[outcome(analysis=analysis)]))
    (link,) = claim.evidence
    assert link.effect is not None
    assert (link.effect.ci_low, link.effect.ci_high, link.effect.p) == (None, None, None)
    assert link.extensions["x-ctgov"]["analysis"]["ci"]["pct"] == "90"
    assert link.direction == "supports"  # p < 0.001


def test_log_scale_ratios_are_exponentiated() -> None:
    analysis = {
        "paramType": "Hazard Ratio, Log",
        "paramValue": "0",
        "ciLowerLimit": "-0.5",
        "ciUpperLimit": "0.5",
    }
    _, (claim,) = one(record(outcomes=[outcome("Overall survival", analysis=analysis)]))
    effect = claim.evidence[0].effect
    assert effect is not None
    assert effect.measure == "HR"
    assert effect.estimate == 1.0
    assert effect.ci_low == pytest.approx(0.6065, abs=1e-4)


def test_outcomes_without_a_usable_analysis_make_no_claim() -> None:
    median = outcome(analysis={"paramType": "Median Difference (Final Values)"})
    three = outcome("Pain")
    three["analyses"][0]["groupIds"] = ["OG000", "OG001", "OG002"]
    bad_ci = outcome("Strokes", analysis={"ciLowerLimit": "0.6", "ciUpperLimit": "0.4"})
    _, claims = one(record(outcomes=[median, three, bad_ci]))
    assert [c.id for c in claims] == ["strokes"]  # the CI out of order is dropped, not the effect
    assert claims[0].evidence[0].effect is not None
    assert claims[0].evidence[0].effect.ci_low is None


def test_repeated_outcome_titles_get_distinct_claim_ids() -> None:
    _, claims = one(record(outcomes=[outcome(), outcome(kind="SECONDARY")]))
    assert [c.id for c in claims] == ["all-cause-mortality", "all-cause-mortality-2"]
    assert claims[1].extensions["x-ctgov"]["outcome"] == "secondary"


def test_helpers() -> None:
    assert slug("Invasive Disease Free Survival (iDFS)") == "invasive-disease-free-survival-idfs"
    assert slug("Qualité de vie — EQ-5D") == "qualite-de-vie-eq-5d"
    assert slug("***") == "outcome"
    assert len(slug("word " * 40)) <= 60
    assert measure_of("Risk Difference (RD)") == ("RD", False)
    assert measure_of("Cox Proportional Hazard") == ("HR", False)
    assert measure_of("Slope") == (None, False)
    assert lower_is_better("HR", "Time to complete response") is False
    assert lower_is_better("RR", "Progression-free survival") is False
    assert lower_is_better("RD", "Serious adverse events") is True


# -- files and bad input -------------------------------------------------------------------------


def test_a_list_and_a_page_of_studies(tmp_path: Path) -> None:
    listing = write(tmp_path / "list.json", [record("NCT00000001"), record("NCT00000002")])
    page = write(
        tmp_path / "page.json",
        {"studies": [record("NCT00000003")], "nextPageToken": "abc", "totalCount": 3},
    )
    result = import_files("ctgov", [listing, page])
    ids = [s.id for s in result.evidence.studies]
    assert ids == ["nct00000001", "nct00000002", "nct00000003"]


def _page_with_a_bad_study() -> dict[str, Any]:
    bad = record("NCT00000002")
    del bad["protocolSection"]["identificationModule"]["nctId"]
    return {"studies": [record("NCT00000001", outcomes=[outcome()]), bad, record("NCT00000003")]}


def test_skip_keeps_the_good_studies_and_names_the_bad_one(tmp_path: Path) -> None:
    path = write(tmp_path / "page.json", _page_with_a_bad_study())
    result = import_files("ctgov", [path], on_error="skip")
    assert [s.id for s in result.evidence.studies] == ["nct00000001", "nct00000003"]
    assert (result.records, result.skipped) == (3, 1)
    (problem,) = result.problems
    assert problem.pointer == "/studies/1/protocolSection/identificationModule"
    assert "nctId" in problem.message
    assert problem.file == path
    text = Path(path).read_text(encoding="utf-8")
    line = text.splitlines()[problem.line - 1] if problem.line else ""
    assert '"identificationModule"' in line


def test_fail_raises_at_the_bad_study(tmp_path: Path) -> None:
    path = write(tmp_path / "page.json", _page_with_a_bad_study())
    with pytest.raises(EvidenceError) as raised:
        import_files("ctgov", [path])
    assert raised.value.problems[0].pointer == "/studies/1/protocolSection/identificationModule"


def test_cli_skip_and_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "page.json", _page_with_a_bad_study())
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as done:
        main(["import", "ctgov", path, "-o", str(out)])
    assert done.value.code == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "/studies/1/protocolSection/identificationModule" in err
    assert "nothing written" in err
    with pytest.raises(SystemExit) as done:
        main(["import", "ctgov", path, "-o", str(out), "--on-error", "skip"])
    assert done.value.code == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [s["id"] for s in written["studies"]] == ["nct00000001", "nct00000003"]
    assert [c["id"] for c in written["claims"]] == ["all-cause-mortality"]
    assert "1 skipped" in capsys.readouterr().err


def test_syntax_error_reports_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "protocolSection": {\n    "x": 1,,\n  }\n}\n', encoding="utf-8")
    (result,) = list(
        read_text_records(path.read_text(encoding="utf-8"), str(path), designs=DESIGNS)
    )
    assert result.problem is not None
    assert (result.problem.line, result.problem.column) == (3, 12)
    assert result.problem.kind == "syntax"
    assert result.problem.pointer == "/protocolSection"
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as done:
        main(["import", "ctgov", str(path), "-o", str(out)])
    assert done.value.code == 1
    assert f"{path}:3:12:" in capsys.readouterr().err
    assert not out.exists()


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        main(["import", "ctgov", str(tmp_path / "missing.json"), "-o", str(tmp_path / "o.json")])
    assert done.value.code == 2


@pytest.mark.parametrize(
    ("change", "pointer", "words"),
    [
        (lambda d: d.pop("protocolSection"), "", "protocolSection"),
        (
            lambda d: d["protocolSection"]["identificationModule"].update(nctId="NCT123"),
            "/protocolSection/identificationModule/nctId",
            "NCT + 8 digits",
        ),
        (
            lambda d: d["protocolSection"]["statusModule"].pop("overallStatus"),
            "/protocolSection/statusModule",
            "overallStatus",
        ),
        (
            lambda d: d["protocolSection"]["designModule"].update(studyType="SURVEY"),
            "/protocolSection/designModule/studyType",
            "INTERVENTIONAL",
        ),
        (
            lambda d: d["protocolSection"]["designModule"]["enrollmentInfo"].update(count="many"),
            "/protocolSection/designModule/enrollmentInfo/count",
            "expected integer, found string",
        ),
        (
            lambda d: d["protocolSection"]["designModule"].update(phases=["PHASE9"]),
            "/protocolSection/designModule/phases/0",
            "PHASE9",
        ),
    ],
)
def test_record_problems_name_the_pointer(change: Any, pointer: str, words: str) -> None:
    data = copy.deepcopy(record())
    change(data)
    problem = problem_of({"studies": [data]} if pointer else data)
    expected = f"/studies/0{pointer}" if pointer else ""
    assert problem.pointer == expected
    assert words in problem.message
    assert problem.line is not None
    assert problem.column is not None


def test_not_a_study_at_all() -> None:
    problem = problem_of({"hello": "world"})
    assert problem.pointer == ""
    assert "protocolSection" in problem.message
    assert problem_of(42).pointer == ""
    assert problem_of({"studies": {}}).pointer == "/studies"


def test_empty_file_is_a_syntax_problem() -> None:
    (result,) = list(read_text_records("  \n", "empty.json", designs=DESIGNS))
    assert result.problem is not None
    assert result.problem.kind == "syntax"


def test_the_importer_is_built_in() -> None:
    registry = evigrade.plugins.get_registry()
    assert registry.importers["ctgov"].name == "ctgov"
    assert registry.owner("importer", "ctgov") == "evigrade.builtin.interop.ctgov"
