"""Shared fixtures: the bundled examples, and ../shared when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The project's shared folder (design notes, seed articles, external data)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (only in the project's own checkouts)")
    return SHARED


@pytest.fixture(autouse=True)
def _no_third_party_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the built-ins only, unless a test installs a plugin itself."""
    import evigrade.plugins

    monkeypatch.setenv(evigrade.plugins.DISABLE_ENV, "all")
