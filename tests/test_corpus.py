"""JSON Lines corpora: streamed validation and grading, in order, in parallel, in bounded memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evigrade.cli import main
from evigrade.corpus import CHUNK_SIZE, LineResult, grade_lines, iter_lines, validate_lines
from evigrade.plugins import get_registry

from .conftest import EXAMPLES

REGISTRY = get_registry(disable=("*",))

FILES = sorted(EXAMPLES.glob("*.json"))
SCHEMA_ERROR = '{"evigrade": "1", "studies": [{"id": "a", "design": "rct", "n": 0}], "claims": []}'
SYNTAX_ERROR = '{"evigrade": "1", "studies": [,], "claims": []}'
MINIMAL = '{"evigrade": "1", "studies": [], "claims": []}'


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def compact(path: Path) -> bytes:
    return json.dumps(json.loads(path.read_text(encoding="utf-8"))).encode()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Lines 1-3 the examples, 4 blank, 5 a syntax error, 6 a schema error, 7 whitespace,
    8-10 the examples again (CRLF endings)."""
    lines = [
        *(compact(p) for p in FILES),
        b"",
        SYNTAX_ERROR.encode(),
        SCHEMA_ERROR.encode(),
        b"   ",
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n" + b"".join(compact(p) + b"\r\n" for p in FILES))
    return path


@pytest.fixture
def unreadable(corpus: Path) -> Path:
    """The corpus with line 11 not UTF-8 and line 12 another schema error."""
    path = corpus.with_name("unreadable.jsonl")
    path.write_bytes(
        corpus.read_bytes()
        + b'{"a": "\xff"}\n'
        + SCHEMA_ERROR.replace("rct", "rtc").encode()
        + b"\n"
    )
    return path


def test_iter_lines_numbers_every_line_and_skips_blank_ones() -> None:
    stream = io.BytesIO(b'{"a": 1}\n\n  \r\n{"b": 2}\r\n{"c": 3}')
    assert list(iter_lines(stream)) == [(1, b'{"a": 1}'), (4, b'{"b": 2}'), (5, b'{"c": 3}')]
    assert list(iter_lines(["x\n", "\n", "y"])) == [(1, "x"), (3, "y")]


def test_validate_reports_each_bad_line_and_keeps_going(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    code, out, err = run(capsys, "validate", corpus)
    assert code == 1
    assert out == (
        f"{corpus}:5:31: /studies: invalid JSON: Expecting value\n"
        f"{corpus}:6:65: /studies/0/n: expected a number >= 1, found 0\n"
    )
    assert err == "8 records checked: 6 valid, 2 invalid\n"


def test_a_line_that_is_not_utf8_is_unreadable_and_the_run_goes_on(
    capsys: pytest.CaptureFixture[str], unreadable: Path
) -> None:
    code, out, err = run(capsys, "validate", unreadable)
    assert code == 2
    lines = out.splitlines()
    assert lines[2] == (
        f"{unreadable}:11:8: #: not UTF-8 text: expected UTF-8, found byte 0xff at byte offset 7"
    )
    assert lines[3].startswith(f"{unreadable}:12:53: /studies/0/design: unknown design 'rtc'")
    assert err == "10 records checked: 6 valid, 3 invalid, 1 unreadable\n"


def test_fail_fast_stops_at_the_first_invalid_line(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    for jobs in ("1", "2"):
        code, out, err = run(capsys, "validate", "--fail-fast", "--jobs", jobs, corpus)
        assert code == 1
        assert out == f"{corpus}:5:31: /studies: invalid JSON: Expecting value\n"
        assert err == "4 records checked: 3 valid, 1 invalid\n"
    code, out, err = run(capsys, "grade", "--fail-fast", corpus)
    assert code == 1
    assert [json.loads(line)["line"] for line in out.splitlines()] == [1, 2, 3, 5]
    assert err == f"{corpus}:5:31: /studies: invalid JSON: Expecting value\n"


def test_grade_jsonl_is_one_object_per_line_with_the_json_claims(
    capsys: pytest.CaptureFixture[str], unreadable: Path
) -> None:
    code, out, err = run(capsys, "grade", unreadable, "--format", "jsonl", "--scheme", "all")
    assert code == 2
    assert out.endswith("\n") and "\n\n" not in out
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in results] == [1, 2, 3, 5, 6, 8, 9, 10, 11, 12]
    assert all(json.dumps(r, ensure_ascii=False, separators=(",", ":")) in out for r in results)
    for result, path in zip(results[:3] + results[5:8], FILES + FILES, strict=True):
        _, document, _ = run(capsys, "grade", path, "--format", "json", "--scheme", "all")
        assert list(result) == ["line", "claims"]
        assert list(result["claims"][0]["grades"]) == ["grade", "cebm-2011", "pyramid"]
        assert result["claims"] == json.loads(document)["claims"]
    assert results[4] == {
        "line": 6,
        "problems": [
            {
                "line": 6,
                "column": 65,
                "pointer": "/studies/0/n",
                "message": "expected a number >= 1, found 0",
            }
        ],
    }
    assert results[8]["problems"][0]["pointer"] == ""
    # the problems also go to standard error, as validate prints them
    assert f"{unreadable}:6:65: /studies/0/n: expected a number >= 1, found 0\n" in err
    assert f"{unreadable}:11:8: #: not UTF-8 text" in err


def test_jobs_2_output_is_byte_identical_to_jobs_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, unreadable: Path
) -> None:
    big = tmp_path / "big.jsonl"
    # 448 lines: several chunks per worker, each with examples, errors and minimal files
    big.write_bytes((unreadable.read_bytes() + (MINIMAL + "\n").encode() * 100) * 4)
    for command in ("validate", "grade"):
        one = run(capsys, command, big, "--jobs", "1")
        two = run(capsys, "--no-plugins", command, big, "--jobs", "2")
        assert one == two
        assert one[0] == 2
    assert (
        run(capsys, "grade", big, "-j", "0", "-s", "pyramid")[1]
        == (run(capsys, "grade", big, "-s", "pyramid")[1])
    )


def test_the_unassessed_risk_policy_reaches_every_worker(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "seeds.jsonl"
    big.write_bytes(b"".join(compact(p) + b"\n" for p in FILES) * 50)  # chunks for 2 workers
    one = run(capsys, "grade", big, "--jobs", "1", "-s", "grade", "--unassessed-risk", "not-rated")
    two = run(capsys, "grade", big, "--jobs", "2", "-s", "grade", "--unassessed-risk", "not-rated")
    default = run(capsys, "grade", big, "--jobs", "2", "-s", "grade")
    assert one == two and one[0] == 0
    assert one[1] != default[1]
    assert "policy not-rated" in two[1] and "policy not-rated" not in default[1]
    lines = list(iter_lines(io.BytesIO(big.read_bytes())))[:3]
    from evigrade.plugin import GradingOptions

    options = GradingOptions(unassessed_risk="not-rated")
    results = grade_lines(lines, ["grade"], registry=REGISTRY, options=options)
    assert [r.to_json() for r in results] == two[1].splitlines()[:3]


def test_grade_output_file_and_schemes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, corpus: Path
) -> None:
    target = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "grade", corpus, "-s", "pyramid", "-o", target)
    assert (code, out) == (1, "")
    results = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(results) == 8
    assert list(results[0]["claims"][0]["grades"]) == ["pyramid"]
    assert not list(tmp_path.glob(".evigrade-*"))


def test_usage_errors_and_missing_corpus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, corpus: Path
) -> None:
    code, _, err = run(capsys, "grade", corpus, "--format", "json")
    assert code == 2 and "use --format jsonl" in err
    code, _, err = run(capsys, "grade", FILES[0], "--format", "jsonl")
    assert code == 2 and "'jsonl' is for JSON Lines input" in err
    code, _, err = run(capsys, "grade", corpus, "--scheme", "nope")
    assert code == 2 and "available: grade, cebm-2011, pyramid" in err
    missing = tmp_path / "missing.jsonl"
    code, out, err = run(capsys, "validate", missing)
    assert code == 2 and f"{missing}: cannot read file" in out
    code, out, err = run(capsys, "grade", missing)
    assert (code, out) == (2, "") and f"{missing}: cannot read file" in err


def test_stdin_is_a_corpus_and_a_pipe_shows_no_progress(corpus: Path) -> None:
    env = {**os.environ, "EVIGRADE_DISABLE_PLUGINS": "all"}
    data = corpus.read_bytes()
    expected = subprocess.run(
        [sys.executable, "-m", "evigrade", "grade", str(corpus), "--jobs", "2"],
        capture_output=True,
        env=env,
        check=False,
    )
    piped = subprocess.run(
        [sys.executable, "-m", "evigrade", "grade", "-"],
        input=data,
        capture_output=True,
        env=env,
        check=False,
    )
    assert (piped.returncode, expected.returncode) == (1, 1)
    assert piped.stdout == expected.stdout
    assert piped.stdout.count(b"\n") == 8
    assert piped.stderr == expected.stderr.replace(str(corpus).encode(), b"<stdin>")
    assert piped.stderr.decode() == (
        "<stdin>:5:31: /studies: invalid JSON: Expecting value\n"
        "<stdin>:6:65: /studies/0/n: expected a number >= 1, found 0\n"
    )  # nothing else: no progress bar, no escape sequences
    validated = subprocess.run(
        [sys.executable, "-m", "evigrade", "validate", "-"],
        input=data,
        capture_output=True,
        env=env,
        check=False,
    )
    assert validated.returncode == 1
    assert validated.stderr == b"8 records checked: 6 valid, 2 invalid\n"


def test_api_results_and_unknown_scheme() -> None:
    lines = [(1, MINIMAL), (2, SCHEMA_ERROR.encode()), (4, b'"\xff"')]
    results = list(grade_lines(lines, ["grade"], registry=REGISTRY, filename="c.jsonl"))
    assert [r.line for r in results] == [1, 2, 4]
    assert results[0] == LineResult(1, claims_json="[]")
    assert results[0].claims == []
    assert results[0].to_json() == '{"line":1,"claims":[]}'
    assert (results[1].valid, results[1].unreadable, results[2].unreadable) == (False, False, True)
    assert (
        str(results[1].problems[0]) == "c.jsonl:2:65: /studies/0/n: expected a number >= 1, found 0"
    )
    assert [
        r.problems for r in validate_lines(lines, registry=REGISTRY, filename="c.jsonl", jobs=2)
    ] == [r.problems for r in results]
    with pytest.raises(ValueError, match="unknown scheme 'nope'"):
        grade_lines(lines, ["nope"], registry=REGISTRY)


def test_a_corpus_is_graded_under_every_scheme_from_python_and_grade_from_the_cli(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    line = [(1, FILES[0].read_bytes().replace(b"\n", b" "))]

    def graded(schemes: list[str] | None) -> list[str]:
        (result,) = grade_lines(line, schemes, registry=REGISTRY)
        return list((result.claims or [{}])[0]["grades"])

    assert graded(None) == graded([]) == graded(["all"]) == ["grade", "cebm-2011", "pyramid"]
    assert graded(["grade"]) == ["grade"]
    assert graded(["pyramid", "all"]) == ["pyramid", "grade", "cebm-2011"]
    _, out, _ = run(capsys, "grade", corpus)
    results = [json.loads(text) for text in out.splitlines()]
    names = {name for r in results for claim in r.get("claims", ()) for name in claim["grades"]}
    assert names == {"grade"}


def _counted(total: int, read: list[int]) -> Iterator[tuple[int, str]]:
    for number in range(1, total + 1):
        read[0] = number
        yield number, MINIMAL


@pytest.mark.parametrize("jobs", [1, 2])
def test_lines_are_read_as_results_are_taken(jobs: int) -> None:
    read = [0]
    results = validate_lines(_counted(20_000, read), registry=REGISTRY, jobs=jobs)
    first = next(results)
    assert first.line == 1
    # at most a window of chunks is read ahead of the results taken
    assert read[0] <= (1 if jobs == 1 else CHUNK_SIZE * (4 * jobs + 1))
    results.close()  # type: ignore[attr-defined]


MEMORY_SCRIPT = """
import resource, sys
from evigrade.cli import main

def run(path):
    try:
        main(["validate", path])
    except SystemExit as done:
        return done.code

run(sys.argv[1])  # warm up: schema, registry, imports
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
code = run(sys.argv[2])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(code, after - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB on Linux")
def test_a_20000_line_corpus_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    # about 40 MB of input: holding the lines or their results would show in the peak
    line = MINIMAL[:-1] + ', "x-pad": "' + "a" * 2000 + '"}\n'
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_text(line * 10, encoding="utf-8")
    big.write_text(line * 20_000, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(small), str(big)],
        capture_output=True,
        text=True,
        env={**os.environ, "EVIGRADE_DISABLE_PLUGINS": "all"},
        check=True,
    )
    code, growth = map(int, done.stdout.split())
    assert code == 0
    assert done.stderr.endswith("20000 records checked: 20000 valid\n")
    assert growth < 10_000, f"peak RSS grew by {growth:,} KiB"
