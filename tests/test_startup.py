"""Start-up: ``import evigrade`` and ``evigrade validate FILE`` load only what they use.

No timing is asserted; what is checked is which modules a fresh interpreter has loaded, so that
an eager import of a heavy module (the importers, rich, jsonschema, importlib.metadata ...)
brought back into the start-up path fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import evigrade
from evigrade import _entrypoints, plugins

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"

#: Printed on standard error at exit: every module the interpreter loaded.
_REPORT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
)


def _loaded(code: str, *args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules loaded by running ``code`` (with ``args``) in a fresh interpreter, less those
    a bare interpreter loads."""

    def run(source: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
        result = subprocess.run(
            [sys.executable, "-c", _REPORT + source, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        report = result.stderr.rsplit("\nMODULES ", 1)
        assert len(report) == 2, result.stderr
        return set(json.loads(report[1])), result

    bare, _ = run("pass")
    modules, result = run(code)
    return modules - bare, result


def _matching(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_importing_evigrade_loads_none_of_its_modules() -> None:
    modules, _ = _loaded("import evigrade")
    assert _matching(modules, ("evigrade",)) == ["evigrade"]
    heavy = ("attr", "attrs", "cattrs", "click", "jsonschema", "pluggy", "rich")
    assert _matching(modules, heavy) == []


def test_every_public_name_still_imports_and_is_listed() -> None:
    names = set(dir(evigrade))
    for name in evigrade.__all__:
        assert name in names
        assert getattr(evigrade, name) is not None
    namespace: dict[str, object] = {}
    exec("from evigrade import *", namespace)
    assert set(evigrade.__all__) <= set(namespace)
    assert evigrade.Study is evigrade.model.Study
    assert evigrade.hookimpl is evigrade.hookspecs.hookimpl
    with pytest.raises(AttributeError, match="no attribute 'nothing_of_the_kind'"):
        _ = evigrade.nothing_of_the_kind  # type: ignore[attr-defined]


def test_the_submodules_import_evigrade_made_available_still_are() -> None:
    code = (
        "import evigrade\n"
        "print(evigrade.validation.schema_validator() in ('jsonschema', 'jsonschema-rs'))\n"
        "evigrade.plugins.reset()\n"
        "print(evigrade.assessors.builtin.recorded_risk is evigrade.recorded_risk)\n"
        "print(evigrade.jsonpos.escape_pointer('a/b'), evigrade.model.Study.__name__)\n"
        "print(all(name in dir(evigrade) for name in ('designs', 'files', 'interop', 'schemes')))\n"
    )
    _, result = _loaded(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "a~1b", "Study", "True"]


def test_validate_loads_no_importer_exporter_or_table_renderer() -> None:
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])", "validate", str(EXAMPLE)
    )
    assert result.returncode == 0, result.stderr
    assert "1 file checked: 1 valid" in result.stderr
    assert "evigrade.plugins" in modules  # the registry was built
    assert "evigrade.interop.builtin" in modules
    unused = (
        "evigrade.interop.pubmed",
        "evigrade.interop.ctgov",
        "evigrade.interop.fhir",
        "evigrade.files",
        "evigrade.compare",
        "evigrade.corpus",
        "rich",
        "cattrs",
        "importlib.metadata",
    )
    assert _matching(modules, unused) == []


#: The article checker's modules and libraries, which only ``evigrade check`` and ``evigrade
#: strength`` need.
_CHECKER = (
    "evigrade.article.audit",
    "evigrade.article.check",
    "evigrade.article.citations",
    "evigrade.article.claims",
    "evigrade.article.command",
    "evigrade.article.descriptions",
    "evigrade.article.designs",
    "evigrade.article.draft",
    "evigrade.article.references",
    "evigrade.article.report",
    "evigrade.article.lexicon",
    "evigrade.article.strength",
    "evigrade.article.studies",
    "evigrade.article.text",
    "syntok",
    "trafilatura",
    "idutils",
    "isbnlib",
    "lxml",
    "markdown_it",
    "regex",
)


def test_validate_loads_none_of_the_article_checker() -> None:
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])", "validate", str(EXAMPLE)
    )
    assert result.returncode == 0, result.stderr
    # the built-in scorer and extractors are registered through a light module
    assert "evigrade.article.builtin" in modules
    assert _matching(modules, _CHECKER) == []


def test_strength_loads_the_scorer_and_not_the_readers() -> None:
    modules, result = _loaded(
        "import sys, io; sys.stdin = io.TextIOWrapper(io.BytesIO(b'Tea may help.\\n'));"
        " from evigrade.cli import main; main(sys.argv[1:])",
        "strength",
    )
    assert result.returncode == 0, result.stderr
    assert "conditional-causal" in result.stdout
    assert "evigrade.article.strength" in modules
    readers = ("evigrade.article.text", "syntok", "trafilatura", "idutils", "lxml")
    assert _matching(modules, readers) == []


def test_validate_of_a_valid_file_does_not_load_jsonschema_when_compiled_validation_is_there() -> (
    None
):
    pytest.importorskip("jsonschema_rs")
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])", "validate", str(EXAMPLE)
    )
    assert result.returncode == 0, result.stderr
    assert _matching(modules, ("jsonschema", "referencing")) == []


def test_the_importers_and_exporter_load_their_module_when_used(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from evigrade.plugins import get_registry\n"
        "registry = get_registry()\n"
        "assert 'evigrade.interop.ctgov' not in sys.modules\n"
        "try:\n"
        "    list(registry.importers['ctgov'].read(sys.argv[1]))\n"
        "except Exception as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    missing = tmp_path / "missing.json"
    modules, result = _loaded(code, str(missing))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("EvidenceError")  # ctgov's reader ran, and said why
    assert "evigrade.interop.ctgov" in modules
    assert _matching(modules, ("evigrade.interop.pubmed", "evigrade.interop.fhir")) == []


@pytest.mark.parametrize("program", [True, False])
def test_the_program_leaves_what_loading_made_out_of_garbage_collection(program: bool) -> None:
    call = "main()" if program else "main(sys.argv[1:])"
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_freeze_count() > 0, gc.isenabled()))\n"
        f"from evigrade.cli import main; {call}"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 file checked: 1 valid" in result.stderr
    # as the program: frozen after loading, and collecting again; called with arguments (from
    # Python, as the tests do): the caller's collector is left alone
    assert result.stdout.split() == [str(program), "True"]


def test_the_built_in_importers_are_listed_as_before() -> None:
    registry = plugins.build_registry(disable=("*",))
    listed = {info.name: info for info in registry.plugins}
    assert listed["evigrade.interop.pubmed"].hooks == ("evigrade_register_importers",)
    assert listed["evigrade.interop.ctgov"].hooks == ("evigrade_register_importers",)
    assert listed["evigrade.interop.fhir"].hooks == (
        "evigrade_register_exporters",
        "evigrade_register_importers",
    )
    assert all(listed[name].status == "loaded" for name in plugins.DEFAULT_PLUGINS)
    assert registry.owner("importer", "pubmed") == "evigrade.interop.pubmed"
    assert registry.owner("exporter", "fhir") == "evigrade.interop.fhir"


# -- entry points -----------------------------------------------------------------------------


#: Run in a fresh interpreter (importing importlib_metadata, as some libraries do, hands
#: path-based discovery to its own finder, and then the scan always defers): for each group,
#: the scan's entry points (or "unsure"), importlib.metadata's (or the error it raises), and
#: what entry_points() gives (or the error).
_SCAN = """
import json, sys
sys.path[:0] = json.loads(sys.argv[1])
exec(sys.argv[3])
from evigrade import _entrypoints as e

def view(call, group):
    try:
        return [[p.name, p.value, p.distribution, p.version] for p in call(group)]
    except e._Unsure:
        return "unsure"
    except Exception as error:
        return type(error).__name__

groups = json.loads(sys.argv[2])
if groups is None:
    from importlib import metadata
    groups = {"evigrade", "no-such-group"}
    groups.update(p.group for d in metadata.distributions() for p in d.entry_points)
result = {
    group: {name: view(call, group) for name, call in
            (("scan", e._scan), ("standard", e._standard), ("chosen", e.entry_points))}
    for group in sorted(groups)
}
print(json.dumps(result))
"""

View = list[list[str | None]] | str


def _scan(
    paths: list[Path], groups: tuple[str, ...] | None = ("evigrade",), prelude: str = ""
) -> dict[str, dict[str, View]]:
    """What _SCAN prints, with ``paths`` first on sys.path (every group if ``groups`` is None),
    after running ``prelude``."""
    where, which = json.dumps([str(p) for p in paths]), json.dumps(groups)
    result = subprocess.run(
        [sys.executable, "-c", _SCAN, where, which, prelude],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    scanned: dict[str, dict[str, View]] = json.loads(result.stdout)
    return scanned


def test_entry_points_are_those_importlib_metadata_finds() -> None:
    scanned = _scan([], None)
    assert "evigrade" in scanned
    assert "console_scripts" in scanned
    for group, views in scanned.items():
        assert views["scan"] != "unsure", group
        assert views["scan"] == views["standard"] == views["chosen"], group


def test_entry_points_of_a_site_the_way_importlib_metadata_reads_it(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for site in (first, second):
        site.mkdir()

    def install(site: Path, stem: str, metadata: str, entry_points: str | None) -> None:
        info = site / stem
        info.mkdir()
        (info / "METADATA").write_text(metadata, encoding="utf-8")
        if entry_points is not None:
            (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")

    install(
        first,
        "Evigrade.Shadow-1.0.dist-info",
        "Metadata-Version: 2.1\nName: Evigrade.Shadow\nVersion: 1.0\n\nName: not this one\n",
        "# comment\n[evigrade]\nshadow = shadow_mod:plugin.inner [extra]\n\n[other]\nx=y\n",
    )
    install(
        second,
        "evigrade_shadow-2.0.dist-info",
        "Name: evigrade-shadow\nVersion: 2.0\n",
        "[evigrade]\nshadow-two = shadow_two\n",
    )
    install(
        second,
        "folded-0.1.dist-info",
        "Metadata-Version: 2.1\nSummary: x\n  y\nname: folded\nVERSION:0.1 \n\nName: body\n",
        "[ evigrade ]\nspaced = spaced\n[evigrade]\n  folded  =  folded_mod  \n",
    )
    install(second, "no_entry_points-1.0.dist-info", "Name: no-entry-points\n", None)
    (second / "legacy-0.5.egg-info").write_text("Name: legacy\nVersion: 0.5\n", encoding="utf-8")
    views = _scan([first, second])["evigrade"]
    assert views["scan"] == views["standard"] == views["chosen"]
    found = views["scan"]
    assert ["shadow", "shadow_mod:plugin.inner [extra]", "Evigrade.Shadow", "1.0"] in found
    assert all(name != "shadow-two" for name, *_ in found)  # the second evigrade-shadow is hidden
    assert ["folded", "folded_mod", "folded", "0.1 "] in found


@pytest.mark.parametrize(
    "layout",
    [
        "zip",
        "broken-entry-points",
        "invalid-value",
        "not-utf-8",
        "upper-case-suffix",
        "metadata-not-headers",
        "folded-name",
        "finder-of-distributions",
    ],
)
def test_entry_points_fall_back_to_importlib_metadata_when_unsure(
    layout: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    info = site / "odd-1.0.dist-info"
    entry_points = "[evigrade]\nodd = odd_plugin\n"
    metadata = "Name: odd\nVersion: 1.0\n"
    prelude = ""
    if layout == "zip":
        site = tmp_path / "site.zip"
        with zipfile.ZipFile(site, "w") as zipped:
            zipped.writestr("odd-1.0.dist-info/METADATA", metadata)
            zipped.writestr("odd-1.0.dist-info/entry_points.txt", entry_points)
    else:
        if layout == "upper-case-suffix":
            info = site / "odd-1.0.DIST-INFO"
        info.mkdir()
        if layout == "broken-entry-points":
            entry_points = "[evigrade]\nno equals sign\n"
        if layout == "invalid-value":
            entry_points += "[console_scripts]\nodd = odd-plugin:main()\n"
        if layout == "metadata-not-headers":
            metadata = "Name odd\nVersion: 1.0\n"
        if layout == "folded-name":
            metadata = "Name: odd\n  folded\nVersion: 1.0\n"
        if layout == "finder-of-distributions":
            prelude = (
                "class Finder:\n"
                "    find_spec = staticmethod(lambda *args: None)\n"
                "    find_distributions = staticmethod(lambda *args: [])\n"
                "sys.meta_path.insert(0, Finder)\n"
            )
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
        encoding = "latin-1" if layout == "not-utf-8" else "utf-8"
        (info / "METADATA").write_text(metadata + "Author: Zoë\n", encoding=encoding)
    views = _scan([site], prelude=prelude)["evigrade"]
    assert views["scan"] == "unsure"
    assert views["chosen"] == views["standard"]
    if layout in ("zip", "upper-case-suffix", "invalid-value", "finder-of-distributions"):
        assert ["odd", "odd_plugin", "odd", "1.0"] in views["chosen"]


def test_an_entry_point_loads_the_object_it_names() -> None:
    point = _entrypoints.EntryPoint(
        "x", "evigrade.plugins : DISABLE_ENV.upper [extra]", "g", None, None
    )
    assert point.load()() == plugins.DISABLE_ENV.upper()
    assert _entrypoints.EntryPoint("x", "evigrade", "g", None, None).load() is evigrade
    with pytest.raises(AttributeError):
        _entrypoints.EntryPoint("x", "evigrade.plugins:nothing_here", "g", None, None).load()
    with pytest.raises(ModuleNotFoundError):
        _entrypoints.EntryPoint("x", "no_such_module_anywhere", "g", None, None).load()
