"""The compiled schema validator (jsonschema-rs) against the reference (jsonschema).

The compiled validator only decides valid or not; problems are always described by the
reference. So the property that matters is that both accept and reject exactly the same
documents: valid generated files, the same files broken at one random place, and arbitrary
JSON. And the problems a user sees must not depend on which validator is in use.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evigrade import validate_data, validate_text
from evigrade.testing import strategies as gen
from evigrade.validation import VALIDATOR_ENV, schema_validator, validators

from .conftest import EXAMPLES as EXAMPLE_DIR

EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))

jsonschema_rs = pytest.importorskip("jsonschema_rs")

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def _fresh_validator_choice() -> Iterator[None]:
    validators._compiled_validator.cache_clear()
    yield
    validators._compiled_validator.cache_clear()


def compiled() -> Any:
    validator = validators._compiled_validator()
    assert validator is not None, "jsonschema-rs is installed but not in use"
    return validator


def reference_accepts(document: Any) -> bool:
    return not any(True for _ in validators._validator().iter_errors(document))


def agree(document: Any) -> None:
    fast = compiled().is_valid(document)
    assert fast == reference_accepts(document), json.dumps(document)[:2000]


# -- mutations: one change at one random place of a valid file ---------------------------------

#: Values near the schema's edges: empty, zero, negative, fractional, wrong type, huge.
EDGE_VALUES: st.SearchStrategy[Any] = st.sampled_from(
    [None, True, False, 0, -1, 1, 0.5, 1.0, -0.0, 2**53, "", " ", "rct ", "RCT", [], {}, [{}]]
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


@st.composite
def broken_files(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(gen.evidence_files(max_studies=4, max_claims=3)))
    places = list(_places(document))
    path = draw(st.sampled_from(places))
    action = draw(st.sampled_from(["replace", "edge", "delete", "add-key", "append"]))
    target: Any = _at(document, path[:-1]) if path else None
    if action in ("replace", "edge"):
        value = draw(gen.json_values() if action == "replace" else EDGE_VALUES)
        if not path:
            return value
        target[path[-1]] = value
    elif action == "delete" and path:
        del target[path[-1]]
    elif action == "add-key":
        container = _at(document, path)
        if isinstance(container, dict):
            key = draw(st.sampled_from(["n", "id", "design", "extra", "x-note", "Design", ""]))
            container[key] = draw(gen.json_values() | EDGE_VALUES)
    elif action == "append":
        container = _at(document, path)
        if isinstance(container, list):
            container.append(draw(gen.json_values() | EDGE_VALUES))
    return document


@SETTINGS
@given(gen.evidence_files(max_studies=5, max_claims=3))
def test_both_accept_generated_valid_files(document: dict[str, Any]) -> None:
    assert compiled().is_valid(document)
    assert reference_accepts(document)


@SETTINGS
@given(broken_files())
def test_both_decide_alike_on_files_broken_at_one_place(document: Any) -> None:
    agree(document)


@SETTINGS
@given(gen.json_values())
def test_both_decide_alike_on_arbitrary_json(document: Any) -> None:
    agree(document)


def test_the_mutations_do_break_files() -> None:
    """Guard against a differential test that only ever sees valid files."""
    rejected = 0

    @settings(SETTINGS, max_examples=200, database=None)
    @given(broken_files())
    def count(document: Any) -> None:
        nonlocal rejected
        rejected += not reference_accepts(document)

    count()
    assert rejected >= 50


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_both_accept_the_bundled_examples(path: Any) -> None:
    document = json.loads(path.read_text("utf-8"))
    assert compiled().is_valid(document)
    assert reference_accepts(document)


# -- the same problems whichever validator is in use ---------------------------------------------


def problems_under(monkeypatch: pytest.MonkeyPatch, choice: str, text: str) -> list[str]:
    monkeypatch.setenv(VALIDATOR_ENV, choice)
    validators._compiled_validator.cache_clear()
    return [str(p) for p in validate_text(text, "file.json")]


@SETTINGS
@given(broken_files())
def test_problems_read_the_same_with_either_validator(document: Any) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        text = json.dumps(document, indent=2)
        fast = problems_under(monkeypatch, "jsonschema-rs", text)
        reference = problems_under(monkeypatch, "jsonschema", text)
    assert fast == reference


def test_default_is_the_compiled_validator_and_the_reference_can_be_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(VALIDATOR_ENV, raising=False)
    assert schema_validator() == "jsonschema-rs"
    monkeypatch.setenv(VALIDATOR_ENV, "jsonschema")
    validators._compiled_validator.cache_clear()
    assert schema_validator() == "jsonschema"


def test_an_unknown_choice_is_an_error_naming_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VALIDATOR_ENV, "fastest")
    with pytest.raises(ValueError, match="expected one of auto, jsonschema, jsonschema-rs"):
        schema_validator()


def test_without_jsonschema_rs_auto_falls_back_and_a_demand_for_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)  # as if not installed
    monkeypatch.setenv(VALIDATOR_ENV, "auto")
    assert schema_validator() == "jsonschema"
    assert validate_data(json.loads(EXAMPLES[0].read_text("utf-8"))) == []
    monkeypatch.setenv(VALIDATOR_ENV, "jsonschema-rs")
    validators._compiled_validator.cache_clear()
    with pytest.raises(ImportError, match="pip install jsonschema-rs"):
        schema_validator()


def test_data_the_compiled_validator_cannot_take_goes_to_the_reference() -> None:
    document = json.loads(EXAMPLES[0].read_text("utf-8"))
    document["studies"][0]["n"] = 10**30  # beyond 64 bits
    problems = validate_data(document)
    assert all("Traceback" not in p.message for p in problems)
    # The reference decides; a huge sample size is a valid integer to the schema.
    assert [p.pointer for p in problems if p.kind == "schema"] == []
    document["studies"][0]["n"] = (1, 2)  # not JSON at all: only the API can pass it
    assert [p.pointer for p in validate_data(document)] == ["/studies/0/n"]
