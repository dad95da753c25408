"""A pytest plugin for the test suites of evigrade plugins, loaded by pytest on its own (the
``pytest11`` entry point) wherever evigrade is installed.

What every plugin's tests need, once:

- ``builtin_registry`` (a fixture): the built-in designs, assessors and schemes only, so that
  other installed plugins cannot change what a test grades;
- ``evigrade_cli`` (a fixture): run ``python -m evigrade ARGS...`` with the installed plugins
  switched on, in the test run's root folder (or ``cwd=``); returns the
  ``subprocess.CompletedProcess``;
- ``@pytest.mark.evigrade_installed("evigrade-myscheme", "myscheme")``: skip unless that
  distribution is installed (with that entry point of the ``evigrade`` group, if one is named),
  for the tests that need the installed plugin;
- the Hypothesis settings profile ``"evigrade-plugin"`` (deadline off, 60 examples, slow
  generation allowed): ``@settings(parent=settings.get_profile("evigrade-plugin"))``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ..kinds import Registry

__all__ = ["HYPOTHESIS_PROFILE", "INSTALLED_MARK", "builtin_registry", "evigrade_cli"]

#: The Hypothesis settings profile this plugin registers.
HYPOTHESIS_PROFILE = "evigrade-plugin"
#: The marker that skips a test unless a distribution is installed.
INSTALLED_MARK = "evigrade_installed"

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{INSTALLED_MARK}(distribution, entry_point=None): skip unless the distribution is "
        "installed (with that entry point of the evigrade group)",
    )
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # evigrade without its testing extra: no profile to offer
        return
    settings.register_profile(
        HYPOTHESIS_PROFILE,
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def installed(distribution: str, entry_point: str | None = None) -> bool:
    """Whether ``distribution`` is installed (and names ``entry_point`` in the evigrade group)."""
    from importlib import metadata

    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    if entry_point is None:
        return True
    return any(ep.group == "evigrade" and ep.name == entry_point for ep in found.entry_points)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers(name=INSTALLED_MARK):
        if not installed(*mark.args, **mark.kwargs):
            pytest.skip(f"{mark.args[0]} is not installed")


@pytest.fixture(scope="session")
def builtin_registry() -> Registry:
    """The registry of the built-in plugins only (no third-party plugin is loaded)."""
    from ..plugins import build_registry

    return build_registry(disable=("*",))


@pytest.fixture
def evigrade_cli(request: pytest.FixtureRequest) -> Runner:
    """Run ``python -m evigrade *args`` with the installed plugins switched on, in ``cwd``
    (default: the test run's root folder); the completed process, its output as text."""
    root = request.config.rootpath

    def run(*args: str, cwd: str | Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "EVIGRADE_DISABLE_PLUGINS"}
        return subprocess.run(
            [sys.executable, "-m", "evigrade", *args],
            cwd=root if cwd is None else cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run
