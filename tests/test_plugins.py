"""Third-party plugins: found by entry point, listed with their distribution, switched off on
request, and reported by name (never with a traceback) when they fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import evigrade
from evigrade import plugins

from .conftest import EXAMPLES

GOOD = """
import evigrade
from evigrade.plugin import Design, Grade, RationaleStep, Scheme, hookimpl

@hookimpl
def evigrade_register_designs(register):
    register(Design(id="mendelian-randomization", label="Mendelian randomization study",
                    family="non-randomized", randomized=False, needs_participants=True,
                    grade_start=2, cebm_level=3, pyramid_tier=6))

def _grade(assessment):
    n = len(assessment.items)
    label = "some" if n else "none"
    return Grade("count", label, 1 if n else 0, "none",
                 (RationaleStep("level", f"{n} studies with results"),))

@hookimpl
def evigrade_register_schemes(register):
    register(Scheme("count", "Count of studies", ("none", "some"), _grade))
"""

BROKEN_IMPORT = "raise ImportError('needs numpy 9')\n"

RAISES_IN_GRADE = """
from evigrade.plugin import Scheme, hookimpl

def _grade(assessment):
    raise ZeroDivisionError("division by zero in the scheme")

@hookimpl
def evigrade_register_schemes(register):
    register(Scheme("fragile", "Fragile", ("x",), _grade))
"""

RAISES_IN_REGISTER = """
from evigrade.plugin import hookimpl

@hookimpl
def evigrade_register_schemes(register):
    register("not a scheme")
"""


MISBEHAVING = """
import time
from evigrade.plugin import Grade, RationaleStep, Scheme, hookimpl

def _garbage(assessment):
    return "High"

def _unknown_label(assessment):
    return Grade("made-up", "Excellent", 1, "none", (RationaleStep("level", "x"),))

def _slow(assessment):
    time.sleep(5)

@hookimpl
def evigrade_register_schemes(register):
    register(Scheme("garbage", "Returns a string", ("x", "y"), _garbage))
    register(Scheme("made-up", "Returns an unknown label", ("none", "some"), _unknown_label))
    register(Scheme("slow", "Takes forever", ("none", "some"), _slow))
"""


def _install(site: Path, dist: str, version: str, module: str, source: str) -> None:
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[evigrade]\n{module} = {module}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "evigrade-count", "1.2.0", "count_plugin", GOOD)
    _install(site, "evigrade-broken", "0.1.0", "broken_plugin", BROKEN_IMPORT)
    _install(site, "evigrade-fragile", "0.3.0", "fragile_plugin", RAISES_IN_GRADE)
    _install(site, "evigrade-wrong", "2.0.0", "wrong_plugin", RAISES_IN_REGISTER)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(plugins.DISABLE_ENV, raising=False)
    plugins.reset()
    yield site
    plugins.reset()
    for name in ("count_plugin", "broken_plugin", "fragile_plugin", "wrong_plugin"):
        sys.modules.pop(name, None)


def _cli(site: Path, *args: str, disable: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != plugins.DISABLE_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    if disable is not None:
        env[plugins.DISABLE_ENV] = disable
    return subprocess.run(
        [sys.executable, "-m", "evigrade", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_builtins_are_registered_through_the_same_hooks() -> None:
    registry = plugins.build_registry(disable=("*",))
    assert registry.owner("scheme", "grade") == "evigrade.builtin.schemes.grade"
    assert registry.owner("design", "rct") == "evigrade.builtin.designs"
    assert set(registry.schemes) == {"grade", "cebm-2011", "pyramid"}
    assert set(registry.formats) == {"table", "json", "markdown"}
    assert {a.domain for assessors in registry.assessors.values() for a in assessors} == set(
        evigrade.plugin.DOMAINS
    )
    assert all(info.builtin for info in registry.plugins if info.status == "loaded")


def test_every_hook_has_a_docstring() -> None:
    from evigrade import hookspecs

    hooks = [getattr(hookspecs, name) for name in dir(hookspecs) if name.startswith("evigrade_")]
    assert len(hooks) >= 5
    assert all(hook.__doc__ and len(hook.__doc__.split()) > 10 for hook in hooks)


def test_third_party_plugins_load_and_failures_are_kept(site: Path) -> None:
    registry = plugins.build_registry()
    assert "count" in registry.schemes and "mendelian-randomization" in registry.designs
    info = registry.plugin("count_plugin")
    assert info is not None
    assert (info.distribution, info.version, info.status) == ("evigrade-count", "1.2.0", "loaded")
    failures = {f.plugin: f for f in registry.failures}
    assert "ImportError: needs numpy 9" in failures["broken_plugin"].message
    assert failures["broken_plugin"].stage == "loading"
    assert "expected a Scheme" in failures["wrong_plugin"].message
    assert str(failures["broken_plugin"]).startswith(
        "plugin 'broken_plugin' (evigrade-broken 0.1.0) failed while loading"
    )


def test_plugin_raising_while_grading_is_reported_and_others_still_grade(site: Path) -> None:
    registry = plugins.build_registry()
    report = evigrade.grade_file(EXAMPLES / "ketamine-multiple-sclerosis.json", registry=registry)
    assert all("fragile" not in r.grades and "grade" in r.grades for r in report.results)
    assert all(r.grades["count"].label in ("none", "some") for r in report.results)
    (failure,) = report.failures
    assert failure.plugin == "fragile_plugin" and "ZeroDivisionError" in failure.message


def test_cli_reports_failing_plugins_by_name_without_traceback(site: Path) -> None:
    example = str(EXAMPLES / "ketamine-multiple-sclerosis.json")
    result = _cli(site, "grade", example, "--scheme", "all", "-f", "json")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "plugin 'broken_plugin' (evigrade-broken 0.1.0) failed while loading" in result.stderr
    assert (
        "plugin 'fragile_plugin' (evigrade-fragile 0.3.0) failed while grading with"
        in result.stderr
    )
    assert '"count"' in result.stdout and '"grade"' in result.stdout


def test_cli_lists_plugins_with_distribution_and_version(site: Path) -> None:
    result = _cli(site, "plugins")
    assert "count_plugin  (evigrade-count 1.2.0, third-party, loaded)" in result.stdout
    assert "broken_plugin  (evigrade-broken 0.1.0, third-party, failed)" in result.stdout
    assert "hooks: evigrade_register_designs, evigrade_register_schemes" in result.stdout


def test_plugins_can_be_switched_off_by_option_and_environment(site: Path) -> None:
    for result in (_cli(site, "--no-plugins", "schemes"), _cli(site, "schemes", disable="all")):
        assert result.returncode == 0 and "count" not in result.stdout
        assert result.stderr == ""
    result = _cli(
        site, "--disable-plugin", "broken_plugin", "--disable-plugin", "wrong_plugin", "plugins"
    )
    assert "broken_plugin  (evigrade-broken 0.1.0, third-party, disabled)" in result.stdout
    assert "broken_plugin" not in result.stderr
    result = _cli(site, "plugins", disable="broken_plugin,fragile_plugin")
    assert "fragile_plugin  (evigrade-fragile 0.3.0, third-party, disabled)" in result.stdout


def test_plugin_design_is_valid_in_files(site: Path) -> None:
    registry = plugins.build_registry()
    data = {
        "evigrade": "1",
        "studies": [{"id": "m", "design": "mendelian-randomization", "n": 9}],
        "claims": [],
    }
    assert evigrade.validate_data(data, registry=registry) == []
    assert evigrade.validate_data(data, registry=plugins.build_registry(disable=("*",)))


@pytest.fixture
def misbehaving(site: Path) -> Path:
    _install(site, "evigrade-misbehaving", "6.6.6", "misbehaving_plugin", MISBEHAVING)
    plugins.reset()
    yield site
    sys.modules.pop("misbehaving_plugin", None)


def test_garbage_unknown_labels_and_slow_schemes_are_reported_by_name(misbehaving: Path) -> None:
    example = str(EXAMPLES / "ketamine-multiple-sclerosis.json")
    result = _cli(
        misbehaving,
        "grade",
        example,
        "-f",
        "json",
        "--timeout",
        "0.2",
        "-s",
        "grade",
        "-s",
        "garbage",
        "-s",
        "made-up",
        "-s",
        "slow",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    prefix = "plugin 'misbehaving_plugin' (evigrade-misbehaving 6.6.6) failed while grading with"
    assert f"{prefix} 'garbage': TypeError: returned str, expected a Grade" in result.stderr
    assert f"{prefix} 'made-up': ValueError: returned unknown label 'Excellent'" in result.stderr
    assert f"{prefix} 'slow': SchemeTimeout: took longer than 0.2 s" in result.stderr
    claims = json.loads(result.stdout)["claims"]
    assert all(list(claim["grades"]) == ["grade"] for claim in claims)


def test_strict_turns_a_plugin_failure_into_exit_status_4(misbehaving: Path) -> None:
    example = str(EXAMPLES / "ketamine-multiple-sclerosis.json")
    relaxed = _cli(misbehaving, "grade", example, "-s", "grade", "-f", "json")
    assert relaxed.returncode == 0  # broken_plugin failed to load, but nobody asked to be strict
    strict = _cli(misbehaving, "grade", example, "-s", "grade", "-f", "json", "--strict")
    assert strict.returncode == 4
    assert "a plugin failed and --strict was given" in strict.stderr
    clean = _cli(misbehaving, "--no-plugins", "grade", example, "-f", "json", "--strict")
    assert clean.returncode == 0


def test_compare_shows_every_installed_scheme_side_by_side(site: Path) -> None:
    example = str(EXAMPLES / "ketamine-multiple-sclerosis.json")
    result = _cli(site, "--disable-plugin", "fragile_plugin", "compare", example, "-f", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    names = [scheme["name"] for scheme in document["schemes"]]
    assert names[:3] == ["grade", "cebm-2011", "pyramid"] and "count" in names
    fatigue = next(c for c in document["claims"] if c["id"] == "ketamine-reduces-ms-fatigue")
    assert fatigue["grades"]["grade"] == {"label": "Low", "rank": 2, "direction": "supports"}
    assert fatigue["grades"]["cebm-2011"]["label"] == "Level 3"
    assert fatigue["grades"]["count"]["label"] == "some"
    assert "never converted" in document["walkovers"]
    table = _cli(site, "--disable-plugin", "fragile_plugin", "compare", example)
    assert "Low (2/4)" in table.stdout and "Level 3 (3/5)" in table.stdout


HALF_REGISTERED = """
from evigrade.plugin import Design, Grade, RationaleStep, Scheme, hookimpl

def _grade(assessment):
    return Grade("half", "none", 0, "none", (RationaleStep("level", "x"),))

@hookimpl
def evigrade_register_schemes(register):
    register(Scheme("half", "Registered before the failure", ("none", "some"), _grade))
    raise RuntimeError("first line\\nsecond line says why")

@hookimpl
def evigrade_register_designs():
    pass
"""

MISSPELLED = """
from evigrade.plugin import hookimpl

@hookimpl
def evigrade_register_schemes(register):
    pass

def evigrade_register_schemas(register):
    pass
"""

BAD_DESIGN = """
from evigrade.plugin import Design, hookimpl

@hookimpl
def evigrade_register_designs(register):
    register(Design(id="Big Trial", label="Bad id", family="randomized", randomized=True,
                    needs_participants=True, grade_start=4, cebm_level=2, pyramid_tier=7))
    register(Design(id="tier-nine", label="Bad tier", family="randomized", randomized=True,
                    needs_participants=True, grade_start=4, cebm_level=2, pyramid_tier=9))
"""


@pytest.fixture
def odd_plugins(site: Path) -> Path:
    _install(site, "evigrade-half", "1.0.0", "half_plugin", HALF_REGISTERED)
    _install(site, "evigrade-misspelled", "1.0.0", "misspelled_plugin", MISSPELLED)
    _install(site, "evigrade-bad-design", "1.0.0", "bad_design_plugin", BAD_DESIGN)
    plugins.reset()
    yield site
    for name in ("half_plugin", "misspelled_plugin", "bad_design_plugin"):
        sys.modules.pop(name, None)


def test_what_a_failing_plugin_registered_is_taken_back(odd_plugins: Path) -> None:
    registry = plugins.build_registry()
    assert "half" not in registry.schemes
    failure = next(f for f in registry.failures if f.plugin == "half_plugin")
    assert failure.message == "RuntimeError: first line second line says why"
    info = registry.plugin("half_plugin")
    assert info is not None and info.status == "failed"


def test_a_hook_may_take_fewer_arguments_than_the_hookspec(odd_plugins: Path) -> None:
    registry = plugins.build_registry()
    assert not [f for f in registry.failures if "positional" in f.message]


def test_a_misspelled_hook_is_reported_not_ignored(odd_plugins: Path) -> None:
    registry = plugins.build_registry()
    failure = next(f for f in registry.failures if f.plugin == "misspelled_plugin")
    assert "unknown hook 'evigrade_register_schemas'" in failure.message


def test_a_design_no_file_could_cite_or_no_scheme_could_place_is_refused(
    odd_plugins: Path,
) -> None:
    registry = plugins.build_registry()
    assert "Big Trial" not in registry.designs and "tier-nine" not in registry.designs
    failure = next(f for f in registry.failures if f.plugin == "bad_design_plugin")
    assert "is not a lower-case slug" in failure.message


COMMANDS = """
import click
from evigrade.plugin import hookimpl

@click.command()
@click.argument("who", default="world")
def hello(who):
    \"\"\"Say hello.\"\"\"
    click.echo(f"hello, {who}")

@click.command("grade")
def not_the_grade_command():
    click.echo("this must never run")

@hookimpl
def evigrade_register_commands(register):
    register(hello)
    register(not_the_grade_command)
"""


@pytest.fixture
def commands(site: Path) -> Path:
    _install(site, "evigrade-hello", "1.0.0", "hello_plugin", COMMANDS)
    plugins.reset()
    yield site
    sys.modules.pop("hello_plugin", None)


def test_a_plugin_adds_a_command_and_cannot_take_a_built_in_name(commands: Path) -> None:
    done = _cli(commands, "hello", "you")
    assert (done.returncode, done.stdout) == (0, "hello, you\n")
    assert "a built-in command is called 'grade'" in done.stderr
    listed = _cli(commands, "--help")
    assert "hello" in listed.stdout and "Say hello." in listed.stdout
    graded = _cli(commands, "grade", str(EXAMPLES / "ldn-multiple-sclerosis.json"), "-f", "json")
    assert graded.returncode == 0 and "this must never run" not in graded.stdout
    assert json.loads(graded.stdout)["claims"]
    off = _cli(commands, "--disable-plugin", "hello_plugin", "hello")
    assert off.returncode == 2 and "No such command 'hello'" in off.stderr
