"""The reference docs stay in step with the code: every key, enum value, design, domain and
rating of the format is in docs/format.md, every public name in docs/api.md, and every command
and option in docs/cli.md; and the links between the pages resolve."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import click
import pytest

import evigrade
from evigrade.cli import COMMANDS, cli

from .conftest import ROOT

DOCS = ROOT / "docs"
SCHEMA = ROOT / "schemas" / "evidence.schema.json"


def _read(name: str) -> str:
    path = DOCS / name
    if not path.is_file():
        pytest.fail(f"docs/{name} is missing")
    return path.read_text(encoding="utf-8")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON document, depth first (the schema root, $defs, if/then ...)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


def _property_names() -> set[str]:
    return {
        name
        for node in _walk(_schema())
        if isinstance(node.get("properties"), dict)
        for name in node["properties"]
    }


def _enum_values() -> set[str]:
    return {
        str(value)
        for node in _walk(_schema())
        if isinstance(node.get("enum"), list)
        for value in node["enum"]
    }


def _missing(names: set[str], text: str, after: str = "`") -> list[str]:
    """The names that never appear in ``text`` as inline code: a backtick, the name, then one
    of the characters ``after`` (by default the closing backtick)."""
    return sorted(name for name in names if not any(f"`{name}{end}" in text for end in after))


def _builtin_commands() -> dict[str, Any]:
    """The commands evigrade itself defines (plugins may add others)."""
    context = click.Context(cli)
    return {name: cli.get_command(context, name) for name in COMMANDS}


def test_the_walk_finds_the_schema_properties_and_enums() -> None:
    # Guards the tests below against a walk that silently finds nothing.
    assert {"evigrade", "studies", "of", "n", "ci_low", "plausible_confounding"} <= (
        _property_names()
    )
    assert {"RR", "some-concerns", "very-indirect", "press-release"} <= _enum_values()


def test_format_md_documents_every_property_of_every_schema_object() -> None:
    text = _read("format.md")
    assert _missing(_property_names(), text) == []


def test_format_md_documents_every_enum_value_of_the_schema() -> None:
    text = _read("format.md")
    assert _missing(_enum_values(), text) == []


def test_format_md_documents_the_extension_keys() -> None:
    prefixes = {
        pattern.strip("^")
        for node in _walk(_schema())
        if isinstance(node.get("patternProperties"), dict)
        for pattern in node["patternProperties"]
    }
    assert prefixes == {"x-"}
    assert "`x-`" in _read("format.md")


def test_format_md_documents_every_builtin_design() -> None:
    text = _read("format.md")
    assert _missing({design.id for design in evigrade.plugin.BUILTIN_DESIGNS}, text) == []


def test_format_md_design_table_has_a_row_per_builtin_design_with_its_grade_start() -> None:
    text = _read("format.md")
    starts = {4: "High", 3: "Moderate", 2: "Low", 1: "Very low", None: "not graded"}
    for design in evigrade.plugin.BUILTIN_DESIGNS:
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| `{design.id}` |")), None
        )
        assert row is not None, f"no row for {design.id} in the design taxonomy table"
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[2] == design.family, design.id
        assert cells[5] == starts[design.grade_start], design.id
        assert cells[6] == ("-" if design.cebm_level is None else str(design.cebm_level))
        assert cells[7] == ("-" if design.pyramid_tier is None else str(design.pyramid_tier))
        assert cells[8] == (" ".join(design.sevco) or "-"), design.id


def test_format_md_documents_every_judgment_domain_and_rating() -> None:
    text = _read("format.md")
    names = set(evigrade.plugin.DOMAINS)
    for domain in evigrade.plugin.DOMAINS.values():
        names.update(domain.rating_names)
    assert _missing(names, text) == []


def test_api_md_documents_every_public_name() -> None:
    text = _read("api.md")
    public = {name for name in evigrade.__all__ if not name.startswith("__")}
    assert _missing(public, text, after="`(") == []


def test_cluster_md_documents_every_public_name_of_evigrade_cluster() -> None:
    pytest.importorskip("dask.bag", reason="needs the dask extra")
    pytest.importorskip("distributed", reason="needs the dask extra")
    import evigrade.cluster as cluster

    text = _read("cluster.md")
    assert _missing(set(cluster.__all__), text, after="`(") == []


def test_cli_md_documents_every_command() -> None:
    text = _read("cli.md")
    commands = set(_builtin_commands())
    assert {"validate", "grade", "schemes", "designs", "plugins", "report", "plot"} <= commands
    assert _missing(commands, text) == []


def test_cli_md_documents_every_option() -> None:
    text = _read("cli.md")
    options = {opt for param in cli.params for opt in getattr(param, "opts", ())}
    for command in _builtin_commands().values():
        options.update(opt for param in command.params for opt in getattr(param, "opts", ()))
    options = {opt for opt in options if opt.startswith("-")}
    assert {"--scheme", "-s", "--format", "-f", "--output", "-o", "--no-plugins"} <= options
    assert _missing(options, text, after="` ") == []


def _anchors(text: str) -> set[str]:
    """The anchors GitHub makes of a page's headings."""
    anchors = set()
    for line in text.splitlines():
        if line.startswith("#") and not line.startswith("#!"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize(
    "name",
    [
        "getting-started.md",
        "format.md",
        "cli.md",
        "api.md",
        "cluster.md",
        "dependencies.md",
        "performance.md",
        "report.md",
    ],
)
def test_links_between_docs_point_at_existing_pages_and_headings(name: str) -> None:
    text = _read(name)
    for target, anchor in re.findall(r"\]\(([^)#:]*)(?:#([^)]*))?\)", text):
        if target == "schemes.md":
            continue  # written separately, and may still be in progress
        if target and not target.endswith(".md"):
            assert (DOCS / target).is_file(), f"{name} links to missing {target}"
            continue  # a picture or another file: it is there
        page = text if target == "" else _read(target)
        if anchor:
            assert anchor in _anchors(page), f"{name} links to missing {target}#{anchor}"
