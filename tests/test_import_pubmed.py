"""The ``pubmed`` importer: real MEDLINE / PubMed files, streaming, bad input, and the mapping."""

from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from evigrade import EvidenceError, import_files
from evigrade.cli import main
from evigrade.interop.pubmed import classify, extract_n, read_pubmed
from evigrade.model import Study
from evigrade.plugins import get_registry

RCT_FAMILY = {"rct", "crossover-rct", "cluster-rct", "n-of-1-trial"}
NOT_STUDIES = {"Editorial", "Comment", "Letter", "News", "Published Erratum"}
STUDY_TYPES = {
    "Randomized Controlled Trial",
    "Clinical Trial",
    "Clinical Trial, Phase I",
    "Clinical Trial, Phase II",
    "Clinical Trial, Phase III",
    "Clinical Trial, Phase IV",
    "Controlled Clinical Trial",
    "Observational Study",
    "Case Reports",
    "Meta-Analysis",
    "Systematic Review",
    "Practice Guideline",
    "Guideline",
}


def pubmed_dir(shared: Path) -> Path:
    return shared / "data" / "external" / "pubmed"


def citations(path: Path) -> dict[str, tuple[set[str], set[str]]]:
    """PMID -> (publication types, MeSH descriptors), read independently of the importer."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        root = ET.parse(handle).getroot()
    found = {}
    for citation in root.iter("MedlineCitation"):
        pmid = citation.findtext("PMID")
        assert pmid is not None
        types = {p.text or "" for p in citation.iter("PublicationType")}
        mesh = {d.text or "" for d in citation.iter("DescriptorName")}
        found[pmid] = (types, mesh)
    return found


def imported(path: Path) -> dict[str, Study]:
    result = import_files("pubmed", [path])
    assert result.problems == ()
    assert result.skipped == 0
    return {study.id: study for study in result.evidence.studies}


def check_design_mapping(path: Path) -> Counter[str]:
    """Each publication type maps to the design docs/import-pubmed.md says; counts per design."""
    expected = citations(path)
    studies = imported(path)
    assert set(studies) == {f"pmid-{pmid}" for pmid in expected}
    registry = get_registry()
    for pmid, (types, mesh) in expected.items():
        study = studies[f"pmid-{pmid}"]
        basis = study.extensions["x-pubmed"]["design_basis"]
        assert study.pmid == pmid
        assert set(study.extensions["x-pubmed"]["publication_types"]) == types
        design = registry.designs[study.design]
        if design.needs_participants:
            assert study.n is None or study.n >= 1
        else:
            assert study.n is None
        animals_only = "Animals" in mesh and "Humans" not in mesh
        if "Published Erratum" in types:
            assert study.design == "expert-opinion", pmid
        elif "Meta-Analysis" in types:
            assert study.design == "meta-analysis", pmid
        elif "Systematic Review" in types:
            assert study.design == "systematic-review", pmid
        elif types & {"Practice Guideline", "Guideline"}:
            assert study.design == "guideline", pmid
        elif "Randomized Controlled Trial" in types:
            if animals_only:
                assert (study.design, study.randomized) == ("animal", True), pmid
            else:
                assert study.design in RCT_FAMILY, pmid
                if study.design != "rct":  # only a documented cue refines it
                    assert "cue" in basis, pmid
        elif "Case Reports" in types and not animals_only:
            assert study.design in {"case-report", "case-series"}, pmid
            if study.design == "case-report":
                assert study.n == 1
        elif types & NOT_STUDIES and not types & STUDY_TYPES:
            assert study.design == "expert-opinion", pmid
            assert study.extensions["x-pubmed"]["article_type"]
        elif "Review" in types and not types & STUDY_TYPES:
            assert study.design == "narrative-review", pmid
        elif "Observational Study" in types and not animals_only:
            assert registry.designs[study.design].family == "non-randomized", pmid
    return Counter(study.design for study in studies.values())


def count(path: Path, rule: object) -> int:
    assert callable(rule)
    return sum(1 for types, mesh in citations(path).values() if rule(types, mesh))


def test_medline_2016_all_604_import_validate_and_map(shared: Path) -> None:
    path = pubmed_dir(shared) / "medline16n0902.xml.gz"
    designs = check_design_mapping(path)
    assert sum(designs.values()) == 604
    not_study = count(path, lambda t, m: bool(t & NOT_STUDIES) and not t & STUDY_TYPES)
    assert not_study == 38
    assert designs["expert-opinion"] == not_study
    reviews = count(path, lambda t, m: "Review" in t and not t & STUDY_TYPES)
    assert designs["narrative-review"] >= reviews  # plus "review" in untyped titles
    editorials = count(path, lambda t, m: "Editorial" in t)
    assert editorials == 7
    rcts = count(path, lambda t, m: "Randomized Controlled Trial" in t)
    assert rcts == 5
    assert designs["rct"] + designs["crossover-rct"] >= rcts


def test_metapub_selection_maps_every_publication_type(shared: Path) -> None:
    path = pubmed_dir(shared) / "metapub_selected_merged.xml"
    designs = check_design_mapping(path)
    assert sum(designs.values()) == 34
    for design, rule in {
        "systematic-review": lambda t, m: "Systematic Review" in t and "Meta-Analysis" not in t,
        "meta-analysis": lambda t, m: "Meta-Analysis" in t,
        "guideline": lambda t, m: "Practice Guideline" in t,
        "case-report": lambda t, m: "Case Reports" in t,
        "rct": lambda t, m: "Randomized Controlled Trial" in t,
        "expert-opinion": lambda t, m: bool(t & NOT_STUDIES) and not t & STUDY_TYPES,
    }.items():
        assert designs[design] == count(path, rule), design
    assert designs["expert-opinion"] == 14


def test_one_phase_3_multicenter_rct(shared: Path) -> None:
    studies = imported(pubmed_dir(shared) / "pubmed-29768149.xml")
    study = studies["pmid-29768149"]
    assert study.design == "rct"
    assert (study.pmid, study.doi, study.year) == ("29768149", "10.1056/NEJMoa1715274", 2018)
    assert study.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma."
    assert study.journal == "The New England journal of medicine"
    assert study.authors[0] == "O'Byrne, PM"
    assert study.nct == "NCT02149199"
    assert study.n == 3849  # "a total of 3849 patients"


def test_current_pubmed_article_set_gzip(shared: Path) -> None:
    path = pubmed_dir(shared) / "test_current_medline.xml.gz"
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    designs = check_design_mapping(path)
    assert designs == {"meta-analysis": 1, "narrative-review": 3}


def test_medline_cli_import_then_grade(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.json"
    code, _, err = run(
        capsys, "import", "pubmed", pubmed_dir(shared) / "medline16n0902.xml.gz", "-o", out
    )
    assert code == 0, err
    assert "604 imported, 0 skipped" in err
    assert len(json.loads(out.read_text("utf-8"))["studies"]) == 604
    code, _, err = run(capsys, "grade", out, "-f", "json")
    assert code == 0, err


# -- streaming --------------------------------------------------------------------------------

ARTICLE = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{pmid}</PMID><Article PubModel="Print"><Journal><JournalIssue>
<PubDate><Year>2019</Year></PubDate></JournalIssue><Title>Journal of Synthetic Tests</Title>
</Journal><ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText Label="METHODS">
{abstract}</AbstractText></Abstract><AuthorList><Author><LastName>Doe</LastName>
<Initials>J</Initials></Author></AuthorList><PublicationTypeList>
<PublicationType UI="D016449">{ptype}</PublicationType></PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList>
<ArticleId IdType="doi">10.1234/synthetic.{pmid}</ArticleId></ArticleIdList>{references}
</PubmedData>
</PubmedArticle>
"""
# Real records carry long reference lists; the importer reads past them.
REFERENCES = (
    "<ReferenceList><Reference><Citation>"
    + "Author A, Author B. A cited article about the condition and its treatment. " * 12
    + "</Citation></Reference></ReferenceList>"
)


def synthetic(path: Path, articles: int) -> int:
    """Write a gzipped PubmedArticleSet of ``articles`` articles; return its size unzipped."""
    size = 0
    ptypes = ["Randomized Controlled Trial", "Editorial", "Review", "Case Reports"]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n')
        for index in range(articles):
            size += handle.write(
                ARTICLE.format(
                    pmid=10_000_000 + index,
                    title=f"Synthetic article {index}",
                    abstract=f"A total of {40 + index % 100} patients were enrolled.",
                    ptype=ptypes[index % len(ptypes)],
                    references=REFERENCES,
                )
            )
        handle.write("</PubmedArticleSet>\n")
    return size


def test_30000_articles_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "baseline.xml.gz"
    size = synthetic(path, 30_000)
    assert size > 40_000_000  # a whole-file parse would need several times this
    designs: Counter[str] = Counter()
    started = time.perf_counter()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for record in read_pubmed(str(path)):
            assert record.problem is None and record.study is not None
            designs[record.study.design] += 1
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert sum(designs.values()) == 30_000
    assert designs == {
        "rct": 7500,
        "expert-opinion": 7500,
        "narrative-review": 7500,
        "case-report": 7500,
    }
    assert peak < 20_000_000, f"peak memory growth {peak / 1e6:.1f} MB"
    assert elapsed < 60


# -- bad input --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def article(pmid: int, ptype: str = "Journal Article") -> str:
    return ARTICLE.format(pmid=pmid, title="T", abstract="A", ptype=ptype, references="")


def test_record_without_pmid_is_a_problem_at_its_position(tmp_path: Path) -> None:
    bad = article(2).replace('<PMID Version="1">2</PMID>', "")
    path = tmp_path / "bad.xml"
    path.write_text(
        f"<PubmedArticleSet>\n{article(1)}{bad}{article(3)}</PubmedArticleSet>", "utf-8"
    )
    records = list(read_pubmed(str(path)))
    assert [r.study.id if r.study else None for r in records] == ["pmid-1", None, "pmid-3"]
    problem = records[1].problem
    assert problem is not None
    line = 2 + article(1).count("\n")
    assert (problem.file, problem.line, problem.column) == (str(path), line, 1)
    assert (problem.kind, problem.keyword) == ("schema", "pubmed-record")
    assert "expected a PMID" in problem.message


def test_malformed_xml_skip_reports_position_and_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.xml"
    text = f"<PubmedArticleSet>\n{article(1)}{article(2)}<PubmedArticle><Medline</PubmedArticleSet>"
    path.write_text(text, "utf-8")
    line = text.count("\n", 0, text.index("<Medline</")) + 1
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "import", "pubmed", path, "-o", out, "--on-error", "skip")
    assert code == 0, err
    assert f"{path}:{line}:" in err
    assert "malformed XML" in err
    assert "3 records read from 1 file: 2 imported, 1 skipped" in err
    assert [s["id"] for s in json.loads(out.read_text("utf-8"))["studies"]] == ["pmid-1", "pmid-2"]


def test_malformed_xml_fail_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(f"<PubmedArticleSet>\n{article(1)}<PubmedArticle>&bogus;", "utf-8")
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "import", "pubmed", path, "-o", out, "--on-error", "fail")
    assert code == 1
    assert f"{path}:" in err and "malformed XML" in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "cannot decompress"),
        (gzip.compress(b"<PubmedArticleSet>" + b"<x/>" * 1000)[:40], "cannot decompress"),
    ],
    ids=["corrupt-gzip", "truncated-gzip"],
)
def test_undecompressable_file_is_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "bad.xml.gz"
    path.write_bytes(content)
    problems = [r.problem for r in read_pubmed(str(path)) if r.problem is not None]
    assert problems[-1].kind == "unreadable"
    assert message in problems[-1].message
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "import", "pubmed", path, "-o", out)
    assert code == 2, err
    assert not out.exists()


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as raised:
        import_files("pubmed", [tmp_path / "missing.xml"])
    assert raised.value.unreadable
    assert "cannot read file" in str(raised.value)


def test_other_xml_is_rejected_at_its_root(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?>\n<html><body/></html>', "utf-8")
    (record,) = list(read_pubmed(str(path)))
    assert record.problem is not None
    assert (record.problem.line, record.problem.column) == (2, 1)
    assert "found <html>" in record.problem.message


def test_medline_citation_set_and_delete_citation(tmp_path: Path) -> None:
    citation = article(7).split("<MedlineCitation", 1)[1].split("</MedlineCitation>")[0]
    text = (
        f"<MedlineCitationSet><MedlineCitation{citation}</MedlineCitation>"
        '<DeleteCitation><PMID Version="1">9</PMID></DeleteCitation></MedlineCitationSet>'
    )
    path = tmp_path / "m.xml"
    path.write_text(text, "utf-8")
    studies = [r.study for r in read_pubmed(str(path))]
    assert [s.id if s else None for s in studies] == ["pmid-7"]
    assert studies[0] is not None and studies[0].doi is None  # no PubmedData in MEDLINE sets


# -- study size -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "n"),
    [
        ("We studied 40 patients with chronic pain.", 40),
        ("Forty patients with chronic pain took part.", 40),
        ("Participants (n = 215) completed the survey.", 215),
        ("In total, n=1,215 were analysed.", 1215),
        ("215 participants were randomized to drug or placebo.", 215),
        ("A total of 3849 patients underwent randomization.", 3849),
        ("One hundred thirty-two patients were enrolled (EE, 67; EP, 65).", 132),
        ("We enrolled 60 consecutive adult patients.", 60),
        ("Of 400 patients screened, 215 were enrolled.", 215),
        ("Of these, 48 were randomized.", 48),
        ("The cohort comprised 1,800,643 persons born in Sweden.", 1800643),
        ("120 women were recruited; 12 women dropped out.", 120),
        ("Eighteen mice were allocated to two diets.", 18),
    ],
)
def test_n_is_read_from_clear_statements(abstract: str, n: int) -> None:
    found = extract_n(abstract)
    assert found is not None and found[0] == n, found


@pytest.mark.parametrize(
    "abstract",
    [
        "",
        "Patients with diabetes were enrolled and followed for a year.",
        "In 2010 patients were recruited from three clinics.",
        "About 40% of patients responded.",
        "A 40-year-old patient presented with fever.",
        "Patients were divided into three groups of patients.",
        "Rats (n=10 per group) received the drug.",
        "Patients with asthma (n = 40) and healthy controls (n = 20) were compared.",
        "Pigs were randomized to LVt (n = 3) or APRV (n = 3).",
        "We studied 12 patients and 30 controls.",
        "400 patients were screened for eligibility.",
        "Performance status of 2 was required; doses of 150 mg were given.",
        "Twelve patients developed nausea, whereas 30 patients did not.",
        "Previously treated patients with performance status ≤ 2 were randomly assigned.",
    ],
)
def test_n_is_none_without_a_clear_statement(abstract: str) -> None:
    assert extract_n(abstract) is None


# -- publication types and cues ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("types", "title", "abstract", "mesh", "design"),
    [
        (["Randomized Controlled Trial"], "Drug X for Y", "", [], "rct"),
        (
            ["Randomized Controlled Trial"],
            "A randomized crossover trial of X",
            "",
            [],
            "crossover-rct",
        ),
        (
            ["Randomized Controlled Trial"],
            "X in schools",
            "Schools were the unit: a cluster-randomised trial.",
            [],
            "cluster-rct",
        ),
        (["Randomized Controlled Trial"], "X", "", ["Cross-Over Studies"], "crossover-rct"),
        (
            ["Randomized Controlled Trial"],
            "X",
            "Crossover to the other arm was allowed at progression.",
            [],
            "rct",
        ),
        (["Journal Article"], "A retrospective chart review of X", "", [], "retrospective-cohort"),
        (
            ["Journal Article"],
            "X",
            "Medical records were reviewed for 40 patients.",
            [],
            "retrospective-cohort",
        ),
        (["Observational Study"], "X", "A retrospective case-control study.", [], "case-control"),
        (["Observational Study"], "X", "", [], "cross-sectional"),
        (["Observational Study"], "X", "", ["Prospective Studies"], "prospective-cohort"),
        (["Journal Article"], "Unusual rash: a case report", "", [], "case-report"),
        (["Journal Article"], "X", "We present a 45-year-old man with fever.", [], "case-report"),
        (["Case Reports"], "X", "We describe three patients with Y.", [], "case-series"),
        (["Journal Article"], "X lowers Y in mice", "", ["Humans"], "animal"),
        (["Journal Article"], "X", "", ["Animals", "Rats", "Rats, Wistar"], "animal"),
        (["Journal Article"], "X", "Twenty rats were fed Y.", [], "animal"),
        (["Randomized Controlled Trial"], "X", "", ["Animals", "Swine"], "animal"),
        (["Clinical Trial Protocol"], "X", "", [], "protocol"),
        (
            ["Journal Article"],
            "X versus Y for Z: study protocol for a randomised trial",
            "",
            [],
            "protocol",
        ),
        (
            ["Randomized Controlled Trial"],
            "Design and rationale of the X trial",
            "",
            [],
            "protocol",
        ),
        (["Clinical Trial, Phase II"], "Phase II trial of X", "", [], "single-arm-trial"),
        (["Clinical Trial"], "X", "Patients were randomly assigned to X or Y.", [], "rct"),
        (
            ["Clinical Trial"],
            "X",
            "A non-randomized trial with a control group.",
            [],
            "non-randomized-trial",
        ),
        (["Controlled Clinical Trial"], "X", "", [], "non-randomized-trial"),
        (
            ["Journal Article"],
            "X",
            "We conducted a prospective cohort study.",
            [],
            "prospective-cohort",
        ),
        (["Journal Article"], "Quantum entanglement in a solid", "", [], "case-series"),
        (["Journal Article"], "X", "", ["Catalysis", "Oxidation-Reduction"], "in-vitro"),
        (["Editorial"], "Why mice matter", "", ["Animals"], "expert-opinion"),
        (["Comment", "Letter"], "Re: X", "", [], "expert-opinion"),
        (["News"], "X", "", [], "expert-opinion"),
        (["Published Erratum"], "Erratum: X", "", [], "expert-opinion"),
        (["Case Reports", "Letter"], "X", "", [], "case-report"),
        (["Review"], "X in mouse models", "", ["Animals", "Mice"], "narrative-review"),
        (["Review", "Case Reports"], "X: case report and review", "", [], "case-report"),
        (["Meta-Analysis", "Systematic Review", "Review"], "X", "", [], "meta-analysis"),
        (["Practice Guideline"], "X", "", [], "guideline"),
    ],
)
def test_publication_types_and_cues(
    types: list[str], title: str, abstract: str, mesh: list[str], design: str
) -> None:
    assert classify(types, title, abstract, mesh).design == design


def test_flags_follow_the_design_rules() -> None:
    pilot = classify(["Randomized Controlled Trial"], "A pilot randomised trial of X")
    assert (pilot.design, pilot.pilot, pilot.randomized) == ("rct", True, None)
    protocol = classify(["Journal Article"], "X: study protocol for a randomized controlled trial")
    assert (protocol.design, protocol.status, protocol.randomized) == ("protocol", "planned", True)
    mice = classify(["Randomized Controlled Trial"], "X in mice")
    assert (mice.design, mice.species, mice.randomized) == ("animal", "mouse", True)
    rat = classify(["Journal Article"], "X", "", ["Animals", "Rats, Sprague-Dawley"])
    assert rat.species == "rat"
    retracted = classify(["Journal Article", "Retracted Publication", "Clinical Trial"], "X")
    assert retracted.status == "retracted"
    erratum = classify(["Published Erratum"], "Erratum")
    assert (erratum.design, erratum.article_type) == ("expert-opinion", "erratum")
    editorial = classify(["Editorial"], "X")
    assert editorial.article_type == "editorial"
    review_of_cohorts = classify(["Meta-Analysis"], "X", "We pooled 12 cohort studies.")
    assert review_of_cohorts.of == "prospective-cohort"
