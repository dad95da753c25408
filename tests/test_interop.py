"""The import/export framework: bad records skipped or fatal, duplicates, atomic output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import evigrade
from evigrade import EvidenceError, Problem, Study
from evigrade.cli import main
from evigrade.plugin import Importer, ImportRecord


def _read(path: str, registry: evigrade.plugin.Registry) -> Iterator[ImportRecord]:
    """One study per line: `id design n`, or a problem for a line that is not."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.split()
            if len(parts) != 3 or not parts[2].isdigit():
                yield ImportRecord(
                    problem=Problem(
                        f"expected 'id design n', found {line.strip()!r}",
                        file=path,
                        line=number,
                        column=1,
                        kind="syntax",
                        keyword="line",
                    )
                )
                continue
            yield ImportRecord(study=Study(parts[0], parts[1], int(parts[2])))


@pytest.fixture
def registry() -> evigrade.plugin.Registry:
    registry = evigrade.plugin.build_registry(disable=("*",))
    registry.importers["lines"] = Importer("lines", "One study per line", _read)
    return registry


def _source(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "source.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_records_make_a_valid_evidence_file(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    result = evigrade.import_files(
        "lines", [_source(tmp_path, "a rct 40\nb case-report 1\n")], registry=registry, title="two"
    )
    assert [s.id for s in result.evidence.studies] == ["a", "b"]
    assert (result.records, result.skipped, result.problems) == (2, 0, ())
    assert result.evidence.title == "two"


def test_skip_leaves_bad_records_out_and_keeps_them(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    source = _source(tmp_path, "a rct 40\nnonsense\na rct 41\n")
    result = evigrade.import_files("lines", [source], on_error="skip", registry=registry)
    assert [s.id for s in result.evidence.studies] == ["a"]
    assert (result.records, result.skipped) == (3, 2)
    assert [p.line for p in result.problems if p.line] == [2]
    assert "already imported" in result.problems[1].message


def test_fail_stops_at_the_first_bad_record(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    with pytest.raises(EvidenceError) as caught:
        evigrade.import_files(
            "lines", [_source(tmp_path, "a rct 40\nnonsense\n")], registry=registry
        )
    assert str(caught.value.problems[0]).endswith("expected 'id design n', found 'nonsense'")


def test_an_imported_file_is_validated(tmp_path: Path, registry: evigrade.plugin.Registry) -> None:
    with pytest.raises(EvidenceError) as caught:
        evigrade.import_files(
            "lines", [_source(tmp_path, "a nonsense-design 4\n")], registry=registry
        )
    assert caught.value.problems[0].keyword == "known-design"


def test_unknown_kinds_name_the_known_ones(registry: evigrade.plugin.Registry) -> None:
    with pytest.raises(ValueError, match=r"available: .*lines"):
        evigrade.import_files("nope", [], registry=registry)
    with pytest.raises(ValueError, match="unknown export kind"):
        evigrade.export("nope", evigrade.EvidenceFile(), registry=registry)


def test_cli_import_failure_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as done:
        main(["import", "nope", str(tmp_path), "-o", str(out)])
    assert done.value.code == 2
    assert "available:" in capsys.readouterr().err
    assert not out.exists()


def _claims(path: str, registry: evigrade.plugin.Registry) -> Iterator[ImportRecord]:
    """A study per line with a claim about it: `study claim population [rating]`."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            study, claim, population, *rating = line.split()
            judgments = (
                (evigrade.plugin.Judgment("imprecision", rating[0], "reviewer"),) if rating else ()
            )
            link = evigrade.EvidenceLink(study, "supports")
            yield ImportRecord(
                study=Study(study, "rct", 10),
                claims=(
                    evigrade.Claim(claim, "t", (link,), population=population, judgments=judgments),
                ),
            )


def test_records_of_one_claim_are_merged_field_by_field(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    registry.importers["claims"] = Importer("claims", "Claims", _claims)
    first = tmp_path / "1.txt"
    first.write_text("a c adults serious\n", encoding="utf-8")
    later = tmp_path / "2.txt"
    later.write_text("b c children very-serious\n", encoding="utf-8")
    result = evigrade.import_files("claims", [first, later], registry=registry)
    (claim,) = result.evidence.claims
    assert [link.study for link in claim.evidence] == ["a", "b"]
    assert claim.population == "adults"
    assert [j.rating for j in claim.judgments] == ["very-serious"]


def test_an_unreadable_file_is_skipped_with_skip_and_stops_the_import_with_fail(
    tmp_path: Path, registry: evigrade.plugin.Registry
) -> None:
    def unreadable(path: str, registry: evigrade.plugin.Registry) -> Iterator[ImportRecord]:
        yield ImportRecord(problem=Problem("not gzip", file=path, kind="unreadable"))

    registry.importers["broken"] = Importer("broken", "Broken", unreadable)
    with pytest.raises(EvidenceError) as caught:
        evigrade.import_files("broken", [tmp_path / "x.gz"], on_error="fail", registry=registry)
    assert caught.value.unreadable
    result = evigrade.import_files(
        "broken", [tmp_path / "x.gz", tmp_path / "y.gz"], on_error="skip", registry=registry
    )
    assert result.unreadable == (str(tmp_path / "x.gz"), str(tmp_path / "y.gz"))
    assert [p.message for p in result.problems] == ["not gzip", "not gzip"]
    assert (result.records, result.skipped) == (0, 0)
