"""Validation: every problem, with its place (line:column, JSON Pointer) and what was expected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evigrade
from evigrade import EvidenceError, validate_file, validate_text
from evigrade.validation import MAX_DEPTH

from .conftest import EXAMPLES

VALID: dict[str, Any] = {
    "evigrade": "1",
    "studies": [{"id": "a", "design": "rct", "n": 40}],
    "claims": [
        {"id": "c", "text": "X helps", "evidence": [{"study": "a", "direction": "supports"}]}
    ],
}


def _problems(data: Any) -> list[evigrade.Problem]:
    return validate_text(json.dumps(data, indent=2), "f.json")


def _where(data: Any) -> set[str]:
    return {p.pointer for p in _problems(data)}


def _with(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(VALID))
    for pointer, value in changes.items():
        target = data
        parts = pointer.split("__")
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[parts[-1] if isinstance(target, dict) else int(parts[-1])] = value
    return data


def test_bundled_examples_are_valid() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        assert validate_file(path) == [], path.name


def test_problem_renders_file_line_column_pointer_and_message() -> None:
    data = _with(studies__0__n=0)
    (problem,) = _problems(data)
    assert str(problem) == "f.json:7:12: /studies/0/n: expected a number >= 1, found 0"
    assert (problem.kind, problem.keyword) == ("schema", "minimum")


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = _with(studies__0__n="ten", claims__0__evidence__0__direction="maybe")
    data["claims"][0]["evidence"].append({"study": "nowhere", "direction": "supports"})
    pointers = _where(data)
    assert {
        "/studies/0/n",
        "/claims/0/evidence/0/direction",
        "/claims/0/evidence/1/study",
    } <= pointers


def test_unknown_key_points_at_the_key_and_suggests_the_right_one() -> None:
    data = _with()
    data["studies"][0]["desing"] = data["studies"][0].pop("design")
    problems = {p.pointer: p for p in _problems(data)}
    problem = problems["/studies/0/desing"]
    assert "did you mean 'design'?" in problem.message
    assert problems["/studies/0"].message == "missing required key 'design'"


def test_x_extensions_are_never_an_error() -> None:
    data = _with()
    data["x-anything"] = {"deep": [1, {"x": None}]}
    data["studies"][0]["x-note"] = "kept"
    data["claims"][0]["evidence"][0]["x-weight"] = 0.5
    assert _problems(data) == []


def test_dangling_study_id_names_both_claim_and_study() -> None:
    (problem,) = _problems(_with(claims__0__evidence__0__study="gone"))
    assert problem.pointer == "/claims/0/evidence/0/study"
    assert (
        "claim 'c' cites study 'gone'" in problem.message and "expected one of a" in problem.message
    )


@pytest.mark.parametrize(
    ("study", "pointer", "words"),
    [
        ({"id": "a", "design": "rct"}, "/studies/0", "design 'rct' has participants"),
        ({"id": "a", "design": "case-report", "n": 3}, "/studies/0/n", "expected n = 1"),
        (
            {"id": "a", "design": "prospective-cohort", "n": 5, "randomized": True},
            "/studies/0/randomized",
            "is not randomized",
        ),
        ({"id": "a", "design": "rtc", "n": 5}, "/studies/0/design", "did you mean 'rct'?"),
        ({"id": "a", "design": "rct", "n": 5, "of": "rct"}, "/studies/0/of", "'of' applies to"),
        (
            {"id": "a", "design": "rct", "n": 5, "doi": "doi:10.1/x"},
            "/studies/0/doi",
            "expected doi",
        ),
        (
            {"id": "a", "design": "rct", "n": 5, "duration": "6 months"},
            "/studies/0/duration",
            "expected iso 8601 duration",
        ),
        ({"id": "A B", "design": "rct", "n": 5}, "/studies/0/id", "lower-case slug"),
    ],
)
def test_study_rules(study: dict[str, Any], pointer: str, words: str) -> None:
    data = _with()
    data["studies"][0] = study
    problems = [p for p in _problems(data) if p.pointer == pointer]
    assert problems, _problems(data)
    assert words.lower() in problems[0].message.lower()


def test_design_without_participants_needs_no_n() -> None:
    data = _with()
    data["studies"][0] = {"id": "a", "design": "expert-opinion"}
    assert _problems(data) == []


def test_n_may_be_null_when_the_source_does_not_report_it() -> None:
    assert _problems(_with(studies__0__n=None)) == []


def test_null_n_is_only_for_designs_with_participants() -> None:
    data = _with()
    data["studies"][0] = {"id": "a", "design": "mechanistic", "n": None}
    (problem,) = _problems(data)
    assert (problem.pointer, problem.keyword) == ("/studies/0/n", "n-null")


def test_dollar_schema_key_is_accepted_for_editors() -> None:
    data = {"$schema": evigrade.schema()["$id"], **_with()}
    assert _problems(data) == []


@pytest.mark.parametrize(
    ("effect", "words"),
    [
        (
            {"measure": "RR", "estimate": 0.8, "ci_low": 0.9, "ci_high": 1.2},
            "expected ci_low <= estimate <= ci_high",
        ),
        ({"measure": "OR", "estimate": -1}, "expected a number > 0"),
        ({"measure": "XX", "estimate": 1}, "expected one of"),
        ({"measure": "MD", "estimate": 1, "ci_low": 0}, "ci_high"),
    ],
)
def test_effect_rules(effect: dict[str, Any], words: str) -> None:
    problems = _problems(_with(claims__0__evidence__0__effect=effect))
    assert any(
        p.pointer.startswith("/claims/0/evidence/0/effect") and words in p.message for p in problems
    ), problems


def test_reviewer_judgment_needs_a_reason_unless_neutral() -> None:
    data = _with()
    data["claims"][0]["judgments"] = {"imprecision": {"rating": "serious"}}
    (problem,) = _problems(data)
    assert problem.pointer == "/claims/0/judgments/imprecision"
    data["claims"][0]["judgments"] = {"imprecision": {"rating": "not-serious"}}
    assert _problems(data) == []


def test_duplicate_ids_and_duplicate_keys() -> None:
    data = _with()
    data["studies"].append({"id": "a", "design": "rct", "n": 3})
    (problem,) = _problems(data)
    assert problem.pointer == "/studies/1/id" and "first used at /studies/0/id" in problem.message
    text = '{"evigrade": "1", "studies": [], "claims": [], "studies": []}'
    (problem,) = validate_text(text, "d.json")
    assert (problem.pointer, problem.keyword, problem.column) == ("/studies", "duplicate-key", 48)


def test_json_syntax_error_has_line_column_and_the_place_it_happened() -> None:
    text = '{"evigrade": "1",\n "studies": [\n  {"id": "a",}\n ], "claims": []}'
    (problem,) = validate_text(text, "s.json")
    assert (problem.line, problem.column, problem.pointer) == (3, 14, "/studies/0")
    assert problem.kind == "syntax" and problem.message.startswith("invalid JSON")


def test_nan_is_reported_where_it_is() -> None:
    text = '{"evigrade": "1",\n "studies": [{"id": "a", "design": "rct", "n": NaN}], "claims": []}'
    (problem,) = validate_text(text, "nan.json")
    assert (problem.line, problem.column, problem.pointer) == (2, 48, "/studies/0/n")
    assert "NaN is not valid JSON" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file: expected a JSON object"),
        ("   \n", "empty file: expected a JSON object"),
        ("[]", "expected object, found array []"),
        ('"hello"', "expected object, found string"),
        ("null", "expected object, found null"),
        ('{"evigrade": NaN}', "NaN is not valid JSON"),
    ],
)
def test_pathological_documents(text: str, message: str) -> None:
    problems = validate_text(text, "p.json")
    assert problems and message in problems[0].message


def test_100000_deep_nesting_is_reported_not_a_crash() -> None:
    text = "[" * 100_000 + "]" * 100_000
    (problem,) = validate_text(text, "deep.json")
    assert problem.keyword == "depth" and problem.column == MAX_DEPTH + 1
    assert problem.pointer == "/0" * MAX_DEPTH


def test_invalid_utf8_is_unreadable_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"evigrade": "1",\n "title": "caf\xe9"}')
    (problem,) = validate_file(path)
    assert problem.kind == "unreadable"
    assert (problem.line, problem.column) == (2, 15)
    assert "expected UTF-8, found byte 0xe9" in problem.message


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    (problem,) = validate_file(tmp_path / "nope.json")
    assert problem.kind == "unreadable" and "No such file" in problem.message
    assert str(problem).startswith(str(tmp_path / "nope.json") + ": cannot read file")


def test_load_raises_one_error_carrying_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_with(studies__0__n=0, claims__0__text="")), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        evigrade.load(path)
    assert len(caught.value.problems) == 2 and not caught.value.unreadable
    assert all(p.file == str(path) for p in caught.value.problems)
    with pytest.raises(EvidenceError) as missing:
        evigrade.load(tmp_path / "missing.json")
    assert missing.value.unreadable


def test_loads_accepts_bytes_and_a_byte_order_mark() -> None:
    text = "\ufeff" + json.dumps(VALID)
    assert evigrade.loads(text.encode("utf-8")).studies[0].id == "a"


def test_schema_is_draft_2020_12_with_an_id_and_resolves_no_remote_refs() -> None:
    from jsonschema import Draft202012Validator

    schema = evigrade.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("https://")
    Draft202012Validator.check_schema(schema)
    text = json.dumps(schema)
    refs = [part.split('"')[0] for part in text.split('"$ref": "')[1:]]
    assert refs and all(ref.startswith("#/") for ref in refs)


def test_published_schema_is_the_packaged_schema() -> None:
    published = json.loads(
        (EXAMPLES.parent / "schemas" / "evidence.schema.json").read_text("utf-8")
    )
    assert published == evigrade.schema()


def _with_claim_text(json_text: str) -> str:
    """The LDN example with its first claim's text replaced by raw JSON text."""
    data = json.loads((EXAMPLES / "ldn-multiple-sclerosis.json").read_text("utf-8"))
    data["claims"][0]["text"] = "PLACEHOLDER"
    return json.dumps(data, indent=1).replace('"PLACEHOLDER"', json_text, 1)


@pytest.mark.parametrize(
    ("raw", "pointer", "in_key"),
    [
        (r'"bad \ud800 text"', "/claims/0/text", False),
        (r'"trailing \uDFFF"', "/claims/0/text", False),
        (r'"ok", "x-\udc00": 1', "/claims/0/x-\udc00", True),
    ],
)
def test_an_unpaired_surrogate_escape_is_invalid_where_it_is(
    raw: str, pointer: str, in_key: bool
) -> None:
    text = _with_claim_text(raw)
    (problem,) = validate_text(text, "s.json")
    assert (problem.kind, problem.pointer) == ("syntax", pointer)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "\\ud" in row.lower())
    assert problem.line == line
    assert "unpaired surrogate" in problem.message
    assert ("in a key" in problem.message) is in_key


def test_a_surrogate_pair_is_one_character_and_valid() -> None:
    text = _with_claim_text(r'"up \ud83d\ude00"')
    assert validate_text(text, "s.json") == []
    assert evigrade.loads(text).claims[0].text == "up \U0001f600"
