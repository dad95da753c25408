"""Bounded cost for large or hostile input, import that keeps what it can, and the smaller
messages: sizes, numbers, encodings, JSON errors, names' capitals, plurals, corpora where a
file is expected, and the commands the documentation lists."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import evigrade
from evigrade.cli import main
from evigrade.interop import import_files
from evigrade.interop.pubmed import reading
from evigrade.validation import validate_text

from .conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"
DESIGNS = evigrade.get_registry(disable=("*",)).designs
ONE_STUDY = (
    '{{"evigrade": "1", "studies": [{{"id": "a", "design": "rct", "n": {n}}}], "claims": []}}'
)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


# -- sizes ----------------------------------------------------------------------------------


def test_validate_dev_zero_stops_at_the_limit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIGRADE_MAX_INPUT_SIZE", "1M")
    code, out, _ = run(capsys, "validate", "/dev/zero")
    assert code == 2
    assert out == (
        "/dev/zero: input too large: expected at most 1 MiB (EVIGRADE_MAX_INPUT_SIZE sets the "
        "limit), found more than 1 MiB\n"
    )


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIGRADE_MAX_INPUT_SIZE", "1k")
    code, out, _ = run(capsys, "validate", EXAMPLE)
    assert code == 2
    assert "input too large: expected at most 1 KiB" in out
    monkeypatch.setenv("EVIGRADE_MAX_INPUT_SIZE", "lots")
    code, _, err = run(capsys, "validate", EXAMPLE)
    assert code == 2
    assert err == (
        "evigrade: EVIGRADE_MAX_INPUT_SIZE='lots': expected a number of bytes greater than 0, "
        "optionally followed by K, M or G\n"
    )


def test_a_corpus_line_over_the_limit_is_reported_and_the_rest_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIGRADE_MAX_INPUT_SIZE", "4K")
    path = tmp_path / "c.jsonl"
    small = '{"evigrade": "1", "studies": [], "claims": []}'
    path.write_text(f"{small}\n{'x' * 10_000}\n{small}\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", path)
    assert code == 2
    assert out == (
        f"{path}:2:1: #: record too large: expected at most 4 KiB (EVIGRADE_MAX_INPUT_SIZE sets "
        "the limit), found 9.766 KiB\n"
    )
    assert err == "3 records checked: 2 valid, 1 unreadable\n"


def test_a_pubmed_text_node_is_bounded_and_its_record_malformed(tmp_path: Path) -> None:
    title = "word " * (reading.MAX_TEXT // 5 + 10)
    articles = "".join(
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{text}"
        "</ArticleTitle><PublicationTypeList><PublicationType>Randomized Controlled Trial"
        "</PublicationType></PublicationTypeList></Article></MedlineCitation></PubmedArticle>\n"
        for pmid, text in ((1, "A trial"), (2, title), (3, "Another trial"))
    )
    path = tmp_path / "big.xml.gz"
    path.write_bytes(gzip.compress(f"<PubmedArticleSet>\n{articles}</PubmedArticleSet>".encode()))
    registry = evigrade.get_registry()
    result = import_files("pubmed", [path], on_error="skip", registry=registry)
    assert [study.id for study in result.evidence.studies] == ["pmid-1", "pmid-3"]
    assert [str(p) for p in result.problems] == [
        f"{path}:3:1: #: record 2 (PMID 2): <PubmedArticle> malformed: the text of "
        "<ArticleTitle> is longer than 1,048,576 characters (expected a citation's title, "
        "abstract or field)"
    ]


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "shown"),
    [
        ("1" + "0" * 400, "a number of 401 digits"),
        ("9" * 5000, "a number of 5000 digits"),
        ("9007199254740992", "9007199254740992"),
    ],
)
def test_integers_out_of_range_are_problems_with_a_pointer(literal: str, shown: str) -> None:
    problems = validate_text(ONE_STUDY.format(n=literal), "big.json", designs=DESIGNS)
    assert [str(p) for p in problems] == [
        "big.json:1:65: /studies/0/n: number out of range: expected an integer from "
        "-9007199254740991 to 9007199254740991 (2^53 - 1, the largest every JSON reader holds "
        f"exactly), found {shown}"
    ]


def test_a_number_that_overflows_a_double_is_a_problem() -> None:
    problems = validate_text(ONE_STUDY.format(n="1e400"), "big.json", designs=DESIGNS)
    assert [str(p) for p in problems] == [
        "big.json:1:65: /studies/0/n: number out of range: expected a finite number, found 1e400"
    ]


@pytest.mark.parametrize("kind", ["ctgov", "fhir"])
def test_importers_report_huge_numbers_with_a_pointer(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.json"
    path.write_text('{"resourceType": "Bundle", "total": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(evigrade.EvidenceError) as caught:
        import_files(kind, [path], registry=evigrade.get_registry())
    problem = caught.value.problems[0]
    assert (problem.pointer, problem.line, problem.column) == ("/total", 1, 37)
    assert "set_int_max_str_digits" not in problem.message
    assert problem.message.startswith("number out of range")


# -- messages -------------------------------------------------------------------------------


def test_utf16_without_a_byte_order_mark_is_an_encoding_problem_at_1_1(tmp_path: Path) -> None:
    for encoding, name in (("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-16", "UTF-16")):
        path = tmp_path / f"{encoding}.json"
        path.write_bytes(EXAMPLE.read_text("utf-8").encode(encoding))
        problems = evigrade.validate_file(path)
        assert [str(p) for p in problems] == [
            f"{path}:1:1: #: not UTF-8 text: expected UTF-8, found {name} text"
        ]


def test_json_syntax_messages_are_whole_sentences() -> None:
    problems = validate_text('{"evigrade": "1', "cut.json", designs=DESIGNS)
    assert [str(p) for p in problems] == [
        "cut.json:1:14: #: invalid JSON: Unterminated string starting here"
    ]


def test_descriptions_keep_the_capitals_of_names() -> None:
    text = (
        '{"evigrade": "1", "studies": [{"id": "a", "design": "rct", "n": 10, "doi": "x", '
        '"pmid": "x", "nct": "x", "year": "x"}], "claims": []}'
    )
    messages = " ".join(p.message for p in validate_text(text, "a.json", designs=DESIGNS))
    for expected in ("expected DOI, e.g.", "expected PubMed id", "expected ClinicalTrials.gov id"):
        assert expected in messages
    assert not re.search(r"expected [a-z][A-Z]", messages)


def test_counts_agree_with_their_nouns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = evigrade.get_registry()
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["claims"] = []
    data["studies"] = data["studies"][:1]
    evidence = evigrade.loads(json.dumps(data), registry=registry)
    bundle = tmp_path / "one.json"
    bundle.write_text(json.dumps(evigrade.export("fhir", evidence, registry=registry)), "utf-8")
    code, _, err = run(capsys, "import", "fhir", bundle, "-o", tmp_path / "out.json")
    assert code == 0
    assert "1 study, 0 claims" in err
    assert "1 studies" not in err


@pytest.mark.parametrize("command", [["compare"], ["export", "fhir"]])
def test_commands_of_one_file_say_they_do_not_read_corpora(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(json.loads(EXAMPLE.read_text("utf-8"))) + "\n", "utf-8")
    code, _, err = run(capsys, *command, path)
    assert code == 2
    assert "reads one evidence file (.json), not a JSON Lines corpus" in err
    assert "Extra data" not in err


def test_a_document_on_standard_input_is_named_as_json_lines() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "evigrade", "grade", "-"],
        input=EXAMPLE.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode().endswith(
        "evigrade: standard input is read as JSON Lines, one evidence file per line; to read "
        "one evidence file, give its name (or put it on one line)\n"
    )


def test_grade_file_refuses_a_string_of_schemes() -> None:
    with pytest.raises(
        TypeError, match=r"found the string 'grade' \(for one scheme: \['grade'\]\)"
    ):
        evigrade.grade_file(EXAMPLE, "grade")  # type: ignore[arg-type]


def test_the_cli_reference_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    commands = re.findall(r"^  (\w+)  ", out.split("Commands:")[1], re.MULTILINE)
    assert len(commands) >= 12
    reference = (ROOT / "docs" / "cli.md").read_text("utf-8")
    missing = [name for name in commands if f"evigrade {name}" not in reference]
    assert missing == []


# -- import keeps what it can ---------------------------------------------------------------

ARTICLE = (
    "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>Trial {pmid}"
    "</ArticleTitle><Abstract><AbstractText>{padding}</AbstractText></Abstract>"
    "<PublicationTypeList><PublicationType>Randomized Controlled Trial</PublicationType>"
    "</PublicationTypeList></Article></MedlineCitation></PubmedArticle>\n"
)


def pubmed(path: Path, first: int, count: int) -> bytes:
    body = "".join(
        ARTICLE.format(pmid=pmid, padding=f"{pmid} " * 3000) for pmid in range(first, first + count)
    )
    data = gzip.compress(f"<PubmedArticleSet>\n{body}</PubmedArticleSet>\n".encode(), mtime=0)
    path.write_bytes(data)
    return data


def test_skip_keeps_the_good_files_and_the_records_before_a_gzip_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.xml.gz"
    pubmed(good, 1, 3)
    cut = tmp_path / "cut.xml.gz"
    whole = pubmed(cut, 10, 40)
    cut.write_bytes(whole[: len(whole) // 2])
    later = tmp_path / "later.xml.gz"
    pubmed(later, 100, 2)
    out = tmp_path / "out.json"
    code, _, err = run(
        capsys, "import", "pubmed", good, cut, later, "-o", out, "--on-error", "skip"
    )
    assert code == 0, err
    ids = [study["id"] for study in json.loads(out.read_text("utf-8"))["studies"]]
    kept = [i for i in ids if i.startswith("pmid-1") and 10 <= int(i[5:]) < 50]
    assert ids[:3] == ["pmid-1", "pmid-2", "pmid-3"]
    assert ids[-2:] == ["pmid-100", "pmid-101"]
    assert 5 < len(kept) < 40  # the whole records before the break
    assert f"{cut}: cannot decompress file: the compressed file ends before its end marker" in err
    assert "(1 unreadable, skipped)" in err
    code, _, err = run(capsys, "import", "pubmed", good, cut, "-o", tmp_path / "no.json")
    assert code == 2
    assert err.endswith("evigrade: nothing written\n")
    assert not (tmp_path / "no.json").exists()


def test_skip_leaves_out_a_missing_file(tmp_path: Path) -> None:
    good = tmp_path / "good.xml.gz"
    pubmed(good, 1, 2)
    registry = evigrade.get_registry()
    result = import_files(
        "pubmed", [tmp_path / "missing.xml", good], on_error="skip", registry=registry
    )
    assert [s.id for s in result.evidence.studies] == ["pmid-1", "pmid-2"]
    assert result.unreadable == (str(tmp_path / "missing.xml"),)
