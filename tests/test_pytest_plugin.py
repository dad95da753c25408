"""The pytest plugin for plugin authors (evigrade.testing.pytest_plugin), run on a test file of
its own in a fresh pytest, as a plugin's test suite would use it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SUITE = """
import pytest
from hypothesis import given, settings, strategies as st

@pytest.mark.evigrade_installed("evigrade")
def test_runs_when_installed(evigrade_cli):
    done = evigrade_cli("schemes")
    assert done.returncode == 0 and "grade: GRADE certainty of evidence" in done.stdout

@pytest.mark.evigrade_installed("evigrade-no-such-distribution")
def test_skipped_when_not_installed():
    raise AssertionError("never run")

@pytest.mark.evigrade_installed("evigrade", "no-such-entry-point")
def test_skipped_without_the_entry_point():
    raise AssertionError("never run")

def test_the_builtin_registry_has_no_third_party_plugin(builtin_registry):
    assert list(builtin_registry.schemes) == ["grade", "cebm-2011", "pyramid"]
    assert all(info.builtin for info in builtin_registry.plugins)

def test_the_cli_runs_in_the_root_folder(evigrade_cli, tmp_path):
    (tmp_path / "x.json").write_text('{"evigrade": "1", "studies": [], "claims": []}')
    assert evigrade_cli("validate", "x.json", cwd=tmp_path).returncode == 0
    assert evigrade_cli("validate", "x.json").returncode == 2  # not in the root folder

@given(st.integers())
@settings(parent=settings.get_profile("evigrade-plugin"))
def test_the_profile_is_registered(value):
    assert settings.get_profile("evigrade-plugin").deadline is None
"""


def test_the_fixtures_marker_and_profile_work_in_a_plugins_suite(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(textwrap.dedent(SUITE), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed, 2 skipped" in done.stdout, done.stdout
    assert "evigrade-no-such-distribution is not installed" in done.stdout
