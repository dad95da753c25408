"""The JSON text of reports: orjson, where it writes it, gives the same bytes as the standard
library's json for report data, and json takes over for what orjson refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evigrade import from_data, grade_file, jsontext, load
from evigrade.convert import report_to_data
from evigrade.testing import strategies as gen

from .conftest import EXAMPLES

orjson = pytest.importorskip("orjson")

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Text with what needs escaping or could be mangled: controls, quotes, backslashes, non-ASCII,
#: characters outside the Basic Multilingual Plane, the line and paragraph separators.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",))
    | st.sampled_from('\x00\x1f\x7f"\\/\b\f\n\r\t\u2028\u2029\ufeff\U0001f600é')
)

#: What report data is made of: no floats (reports hold none).
REPORT_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)


def _std(data: Any) -> tuple[str, str]:
    return (
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        json.dumps(data, ensure_ascii=False, indent=2),
    )


def test_orjson_writes_when_installed() -> None:
    compact, indented = jsontext._serializers()
    assert compact is not jsontext._std_compact
    assert indented is not jsontext._std_indented


@SETTINGS
@given(REPORT_LIKE)
def test_same_bytes_as_json_for_report_like_data(data: Any) -> None:
    assert (jsontext.compact(data), jsontext.indented(data)) == _std(data)


@SETTINGS
@given(gen.evidence_files())
def test_same_bytes_as_json_for_reports_of_generated_files(data: dict[str, Any]) -> None:
    report = report_to_data(grade_file(from_data(data)))
    assert (jsontext.compact(report), jsontext.indented(report)) == _std(report)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_same_bytes_as_json_for_the_reports_of_the_examples(path: Path) -> None:
    for brief in (False, True):
        report = report_to_data(grade_file(load(path)), brief=brief)
        assert (jsontext.compact(report), jsontext.indented(report)) == _std(report)


@pytest.mark.parametrize(
    "data",
    [
        {"n": 2**64},  # beyond 64 bits
        {"text": "lone \ud800 surrogate"},
        {1: "an integer key"},
    ],
    ids=["big-int", "surrogate", "int-key"],
)
def test_json_takes_over_where_orjson_refuses(data: Any) -> None:
    with pytest.raises(TypeError):
        orjson.dumps(data)
    assert (jsontext.compact(data), jsontext.indented(data)) == _std(data)


def test_without_orjson_json_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_orjson(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "orjson":
            raise ImportError("no orjson")
        return real_import(name, *args, **kwargs)

    jsontext._serializers.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_orjson)
    try:
        assert jsontext._serializers() == (jsontext._std_compact, jsontext._std_indented)
        assert jsontext.compact({"a": ["é", 1]}) == '{"a":["é",1]}'
    finally:
        monkeypatch.undo()
        jsontext._serializers.cache_clear()
