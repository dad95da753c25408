"""The command line: exit statuses, output formats, determinism, and no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from evigrade.cli import main

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_validate_valid_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.json"))
    code, out, err = run(capsys, "validate", *files)
    assert (code, out) == (0, "")
    assert err.strip() == "3 files checked: 3 valid"


def test_validate_invalid_exit_1_and_unreadable_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"evigrade": "1", "studies": [{"id": "a", "design": "rct", "n": 0}], "claims": []}',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", bad)
    assert code == 1
    assert out == f"{bad}:1:65: /studies/0/n: expected a number >= 1, found 0\n"
    code, out, err = run(capsys, "validate", bad, tmp_path / "missing.json", EXAMPLE)
    assert code == 2
    assert "missing.json: cannot read file" in out
    assert "3 files checked: 1 valid, 1 invalid, 1 unreadable" in err


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"", 1),
        (b"[]", 1),
        (b"[" * 100_000 + b"]" * 100_000, 1),
        (b'{"a": "\xff"}', 2),
        (b'{"evigrade": "1", "studies": [,], "claims": []}', 1),
    ],
    ids=["empty", "array", "deep", "not-utf8", "syntax"],
)
def test_pathological_input_is_reported_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, status: int
) -> None:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    for command in ("validate", "grade"):
        code, out, err = run(capsys, command, path)
        assert code == status
        assert "Traceback" not in out + err
        assert f"{path}:" in out + err
    assert path.read_bytes() == content, "the input is never written"


def test_a_directory_is_unreadable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", tmp_path)
    assert code == 2 and "is a directory" in out


def test_grade_json_is_deterministic_and_shaped(capsys: pytest.CaptureFixture[str]) -> None:
    code, first, err = run(capsys, "grade", EXAMPLE, "--format", "json", "--scheme", "all")
    assert (code, err) == (0, "")
    _, second, _ = run(capsys, "grade", EXAMPLE, "--format", "json", "--scheme", "all")
    assert first == second
    document = json.loads(first)
    assert document["file"] == str(EXAMPLE)
    claim = document["claims"][1]
    assert set(claim) == {"id", "text", "grades"}
    assert list(claim["grades"]) == ["grade", "cebm-2011", "pyramid"]
    grade = claim["grades"]["grade"]
    assert {"label", "rank", "direction", "rationale"} <= set(grade)
    assert (grade["label"], grade["rank"]) == ("Very low", 1)
    step = grade["rationale"][0]
    assert {"kind", "reason", "studies", "source"} <= set(step)


def test_grade_json_ignores_the_order_of_studies_and_evidence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["studies"].reverse()
    for claim in data["claims"]:
        claim["evidence"].reverse()
    shuffled = tmp_path / EXAMPLE.name
    shuffled.write_text(json.dumps(data), encoding="utf-8")
    _, original, _ = run(capsys, "grade", EXAMPLE, "-f", "json")
    _, reordered, _ = run(capsys, "grade", shuffled, "-f", "json")
    assert json.loads(original)["claims"] == json.loads(reordered)["claims"]


def test_grade_table_shows_claims_directions_schemes_and_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "grade", EXAMPLE, "--width", "100", "--scheme", "all")
    assert code == 0
    header = next(line for line in out.splitlines() if "Scheme" in line)
    assert header.split() == ["Scheme", "Grade", "Direction", "Reasons"]
    lines = out.splitlines()
    start = lines.index("ldn-improves-quality-of-life")
    rows = [line.split()[:2] for line in lines[start:] if re.match(r"  \S", line)][:3]
    assert rows == [["grade", "Low"], ["cebm-2011", "Level"], ["pyramid", "Randomized"]]
    assert "Risk of bias -1 (serious):" in out


def test_grade_uses_grade_alone_unless_told_otherwise(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def schemes(*args: str) -> list[str]:
        code, out, err = run(capsys, "grade", EXAMPLE, "-f", "json", *args)
        assert (code, err) == (0, "")
        return list(json.loads(out)["claims"][0]["grades"])

    assert schemes() == ["grade"]
    assert schemes("--scheme", "all") == ["grade", "cebm-2011", "pyramid"]
    assert schemes("-s", "pyramid", "-s", "all") == ["pyramid", "grade", "cebm-2011"]
    monkeypatch.setenv("EVIGRADE_SCHEMES", "pyramid, cebm-2011")
    assert schemes() == ["pyramid", "cebm-2011"]
    assert schemes("-s", "grade") == ["grade"], "--scheme wins over the environment"
    monkeypatch.setenv("EVIGRADE_SCHEMES", "all")
    assert schemes() == ["grade", "cebm-2011", "pyramid"]
    monkeypatch.setenv("EVIGRADE_SCHEMES", "grade nope")
    code, out, err = run(capsys, "grade", EXAMPLE)
    assert (code, out) == (2, "")
    assert "Invalid value for EVIGRADE_SCHEMES: 'nope'; available: grade" in err


def test_grade_markdown_lists_every_rationale(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "grade", EXAMPLE, "--format", "markdown", "--scheme", "grade")
    assert code == 0
    assert out.startswith("# Evidence grades: LDN and multiple sclerosis")
    assert "| Claim | Direction | grade |" in out
    assert "**grade: Low** (direction: mixed)" in out


def _grades_of(out: str, claim: str) -> dict[str, str]:
    found = next(c for c in json.loads(out)["claims"] if c["id"] == claim)
    return {name: grade["label"] for name, grade in found["grades"].items()}


def test_unassessed_risk_chooses_the_policy_for_every_scheme(
    capsys: pytest.CaptureFixture[str],
) -> None:
    claim = "ldn-side-effects-mild"  # two trials with no risk-of-bias assessment recorded
    schemes = ("-s", "all")
    _, default, _ = run(capsys, "--no-plugins", "grade", EXAMPLE, "-f", "json", *schemes)
    code, relaxed, _ = run(
        capsys,
        "--no-plugins",
        "grade",
        EXAMPLE,
        "-f",
        "json",
        "--unassessed-risk",
        "not-rated",
        *schemes,
    )
    assert code == 0
    before, after = _grades_of(default, claim), _grades_of(relaxed, claim)
    assert (before["grade"], after["grade"]) == ("Low", "Moderate")
    assert (before["cebm-2011"], after["cebm-2011"]) == ("Level 3", "Level 3")
    rationale = next(c for c in json.loads(relaxed)["claims"] if c["id"] == claim)
    risk = next(
        s for s in rationale["grades"]["grade"]["rationale"] if s.get("domain") == "risk_of_bias"
    )
    assert "not rated down (policy not-rated)" in risk["reason"]
    code, compared, _ = run(
        capsys, "--no-plugins", "compare", EXAMPLE, "-f", "json", "--unassessed-risk", "not-rated"
    )
    assert code == 0 and _grades_of(compared, claim)["grade"] == "Moderate"


def test_an_unknown_unassessed_risk_policy_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "grade", EXAMPLE, "--unassessed-risk", "low")
    assert code == 2
    assert "'low' is not one of 'unclear', 'not-rated'" in err


def test_grade_selected_schemes_only(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "grade", EXAMPLE, "-s", "pyramid", "-s", "grade", "-f", "json")
    assert list(json.loads(out)["claims"][0]["grades"]) == ["pyramid", "grade"]


def test_unknown_scheme_or_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "grade", EXAMPLE, "--scheme", "nope")
    assert code == 2 and "available: grade, cebm-2011, pyramid (or all)" in err
    code, _, err = run(capsys, "grade", EXAMPLE, "--format", "yaml")
    assert code == 2 and "available:" in err and "Traceback" not in err


def test_grade_invalid_file_exits_1_with_problems_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"evigrade": "1", "studies": [], "claims": [{"id": "c"}]}', "utf-8")
    code, out, err = run(capsys, "grade", path)
    assert (code, out) == (1, "")
    assert f"{path}:1:45: /claims/0: missing required key 'text'" in err


def test_grade_output_file_is_written_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(capsys, "grade", EXAMPLE, "-f", "json", "-o", target)
    assert (code, out) == (0, "")
    assert json.loads(target.read_text("utf-8"))["file"] == str(EXAMPLE)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_unwritable_output_is_reported_with_status_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "report.json"
    code, out, err = run(capsys, "grade", EXAMPLE, "-o", target)
    assert (code, out) == (2, "")
    assert err == f"evigrade: cannot write {target}: No such file or directory\n"


def test_listing_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schemes")
    assert code == 0 and "grade: GRADE certainty of evidence" in out and "cebm-2011" in out
    code, out, _ = run(capsys, "designs")
    assert code == 0 and "case-report" in out and "SEVCO:01017" in out
    code, out, _ = run(capsys, "plugins")
    assert code == 0 and "evigrade.builtin.schemes.grade  (evigrade" in out


def test_python_dash_m_and_the_console_script_work() -> None:
    env = {**os.environ, "EVIGRADE_DISABLE_PLUGINS": "all"}
    result = subprocess.run(
        [sys.executable, "-m", "evigrade", "grade", str(EXAMPLE), "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["claims"]
    script = Path(sys.executable).with_name("evigrade")
    if script.exists():
        result = subprocess.run(
            [str(script), "--version"], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0 and "evigrade" in result.stdout


def test_grading_text_with_an_unpaired_surrogate_is_invalid_not_an_internal_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads((EXAMPLES / "ldn-multiple-sclerosis.json").read_text("utf-8"))
    data["claims"][0]["text"] = "PLACEHOLDER"
    line = json.dumps(data).replace('"PLACEHOLDER"', r'"bad \ud800 text"')
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(f"{line}\n", encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(line, encoding="utf-8")
    code, out, err = run(capsys, "grade", str(corpus))
    assert code == 1
    assert json.loads(out)["problems"][0]["pointer"] == "/claims/0/text"
    assert "unpaired surrogate" in err and "internal error" not in err
    code, _, err = run(capsys, "grade", str(single))
    assert code == 1 and "one.json:1:" in err and "unpaired surrogate" in err
