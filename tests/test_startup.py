"""Start-up: ``import evigrade`` and ``evigrade validate FILE`` load only what they use.

No timing is asserted; what is checked is which modules a fresh interpreter has loaded, so that
an eager import of a heavy module (the importers, rich, jsonschema, importlib.metadata ...)
brought back into the start-up path fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import evigrade
from evigrade import plugins

from .conftest import EXAMPLES

DISABLE_ENV = plugins.DISABLE_ENV

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"

#: Printed on standard error at exit: every module the interpreter loaded.
_REPORT = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
)


def _loaded(
    code: str, *args: str, plugins: bool = False
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules loaded by running ``code`` (with ``args``) in a fresh interpreter, less those
    a bare interpreter loads; with ``plugins``, the installed third-party plugins load too."""
    env = dict(os.environ)
    if plugins:
        env.pop(DISABLE_ENV, None)

    def run(source: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
        result = subprocess.run(
            [sys.executable, "-c", _REPORT + source, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
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
    assert evigrade.plugin.hookimpl is evigrade.hookspecs.hookimpl
    with pytest.raises(AttributeError, match="no attribute 'nothing_of_the_kind'"):
        _ = evigrade.nothing_of_the_kind  # type: ignore[attr-defined]


def test_the_submodules_import_evigrade_made_available_still_are() -> None:
    code = (
        "import evigrade\n"
        "print(evigrade.validation.schema_validator() in ('jsonschema', 'jsonschema-rs'))\n"
        "evigrade.plugins.reset()\n"
        "print(evigrade.risk.recorded_risk is evigrade.plugin.recorded_risk)\n"
        "print(evigrade.jsonpos.escape_pointer('a/b'), evigrade.model.Study.__name__)\n"
        "print(all(name in dir(evigrade) for name in ('builtin', 'files', 'interop', 'plugin')))\n"
    )
    _, result = _loaded(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "a~1b", "Study", "True"]


def test_grade_to_standard_output_loads_no_temporary_file_machinery() -> None:
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])", "grade", str(EXAMPLE)
    )
    assert result.returncode == 0, result.stderr
    assert "graded under grade" in result.stdout
    assert {"evigrade.files", "evigrade.output", "evigrade.model.evidence"} <= modules
    unused = ("tempfile", "shutil", "bz2", "lzma", "evigrade.report", "jinja2", "rich.console")
    assert _matching(modules, unused) == []


def test_the_model_makes_its_evidence_classes_only_when_one_is_used() -> None:
    modules, result = _loaded(
        "from evigrade.model import RATIO_MEASURES, BodyDirection, Grade, Judgment\n"
        "from evigrade.plugin import Scheme, finish_grade, hookimpl\n"
        "print(Grade.__name__, Judgment.__module__, sorted(RATIO_MEASURES))\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Grade", "evigrade.model.grades", "['HR',", "'OR',", "'RR']"]
    assert {"evigrade.model.values", "evigrade.model.grades", "evigrade.grading"} <= modules
    assert "evigrade.model.evidence" not in modules
    modules, result = _loaded("from evigrade.model import Study; print(Study.__name__)")
    assert result.stdout.split() == ["Study"]
    assert "evigrade.model.evidence" in modules


def test_every_name_of_the_model_is_that_of_the_module_it_lives_in() -> None:
    from evigrade import model
    from evigrade.model import evidence, grades, values

    homes = {name: module for module in (values, grades, evidence) for name in module.__all__}
    assert set(model.__all__) <= set(homes)
    for name, module in homes.items():
        assert getattr(model, name) is getattr(module, name), name
    namespace: dict[str, object] = {}
    exec("from evigrade.model import *", namespace)
    assert set(model.__all__) <= set(namespace)
    assert {"grades", "evidence", "values", "Study", "RATIO_MEASURES"} <= set(dir(model))
    assert model.grades is grades
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = model.Nothing  # type: ignore[attr-defined]


def test_validate_loads_no_importer_exporter_or_table_renderer() -> None:
    # (with third-party plugins off, as in every test: no distribution is scanned for them)
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])", "validate", str(EXAMPLE)
    )
    assert result.returncode == 0, result.stderr
    assert "1 file checked: 1 valid" in result.stderr
    assert "evigrade.plugins" in modules  # the registry was built
    assert "evigrade.builtin.interop.ctgov" in modules  # the importers were registered
    unused = (
        "evigrade.interop.pubmed",
        "evigrade.interop.ctgov",
        "evigrade.interop.fhir",
        "evigrade.files",
        "evigrade.compare",
        "evigrade.corpus",
        "evigrade.report",
        "evigrade.model.evidence",  # registering plugins makes judgments and grades only
        "evigrade.convert",  # the formats import it when they render
        "evigrade.terminal",
        "difflib",  # for suggestions, when a file has problems
        "rich",
        "cattrs",
        "importlib.metadata",
        "jinja2",
        "markupsafe",
        "matplotlib",
    )
    assert _matching(modules, unused) == []


def test_finding_third_party_plugins_imports_no_metadata_or_email_parser() -> None:
    # the entry points are read from the distributions' files (evigrade.entrypoints)
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])",
        "validate",
        str(EXAMPLE),
        plugins=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 file checked: 1 valid" in result.stderr
    assert "evigrade.entrypoints" in modules
    unused = ("importlib.metadata", "email.parser", "email.message", "zipfile", "csv")
    unused += ("evigrade.model.evidence",)  # what plugins import makes no evidence class
    assert _matching(modules, unused) == []


def test_the_report_loads_jinja2_but_not_matplotlib_and_the_package_neither(
    tmp_path: Path,
) -> None:
    pytest.importorskip("jinja2", reason="the report extra")
    modules, result = _loaded("import evigrade.report")
    assert result.returncode == 0, result.stderr
    assert _matching(modules, ("jinja2", "markupsafe", "matplotlib", "numpy")) == []
    target = tmp_path / "report.html"
    modules, result = _loaded(
        "import sys; from evigrade.cli import main; main(sys.argv[1:])",
        "report",
        str(EXAMPLE),
        "-o",
        str(target),
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert {"evigrade.cli.report", "evigrade.report.html", "jinja2"} <= modules
    assert _matching(modules, ("matplotlib", "numpy", "evigrade.report.figures")) == []
    assert _matching(modules, _CHECKER) == []  # an evidence file's report checks no article


#: The article checker's modules and libraries, which only ``evigrade check``, ``evigrade
#: strength`` and the report of an article need.
_CHECKER = (
    "evigrade.article.audit",
    "evigrade.article.check",
    "evigrade.article.citations",
    "evigrade.article.claims",
    "evigrade.cli.check",
    "evigrade.article.descriptions",
    "evigrade.article.designs",
    "evigrade.article.draft",
    "evigrade.article.references",
    "evigrade.article.report",
    "evigrade.article.lexicon",
    "evigrade.article.strength",
    "evigrade.article.studies",
    "evigrade.article.text",
    "evigrade.article.view",
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
    assert "evigrade.builtin.article" in modules
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
        "    list(registry.importers['ctgov'].read(sys.argv[1], registry))\n"
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
    assert listed["evigrade.builtin.interop.pubmed"].hooks == ("evigrade_register_importers",)
    assert listed["evigrade.builtin.interop.ctgov"].hooks == ("evigrade_register_importers",)
    assert listed["evigrade.builtin.interop.fhir"].hooks == (
        "evigrade_register_exporters",
        "evigrade_register_importers",
    )
    assert all(listed[name].status == "loaded" for name in plugins.DEFAULT_PLUGINS)
    assert registry.owner("importer", "pubmed") == "evigrade.builtin.interop.pubmed"
    assert registry.owner("exporter", "fhir") == "evigrade.builtin.interop.fhir"


# -- entry points -----------------------------------------------------------------------------


def test_third_party_plugins_are_found_through_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A distribution importlib.metadata can read, here one inside a zip file on sys.path, is
    loaded as a plugin with its name and version."""
    site = tmp_path / "site.zip"
    with zipfile.ZipFile(site, "w") as zipped:
        zipped.writestr("zipped_plugin.py", "from evigrade.plugin import hookimpl\n")
        zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        zipped.writestr(
            "zipped-1.0.dist-info/entry_points.txt", "[evigrade]\nzipped = zipped_plugin\n"
        )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(plugins.DISABLE_ENV)
    try:
        registry = plugins.build_registry()
    finally:
        sys.modules.pop("zipped_plugin", None)
    info = registry.plugin("zipped")
    assert info is not None
    assert (info.distribution, info.version, info.status) == ("zipped", "1.0", "loaded")
