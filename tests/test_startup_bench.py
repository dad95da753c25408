"""Smoke test of the start-up benchmark (bench/startup.py): one round, the report's shape.

No timed assertions: the figures depend on the machine; only their presence and kind are checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "startup.py"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def test_report_shape() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", "--repeats", "1", "--no-plugins"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "goal: validate <= 6x `python -c pass`" in done.stderr  # the table, on stderr
    report = json.loads(done.stdout)
    assert report["repeats"] == 1
    assert report["plugins"] is False
    assert report["machine"]["cores"] >= 1
    commands = report["commands"]
    assert list(commands) == ["python -c pass", "import evigrade", "libraries", "validate", "grade"]
    assert commands["python -c pass"]["ratio"] == 1.0
    for figure in commands.values():
        assert all(_number(figure[key]) for key in ("median_ms", "min_ms", "max_ms", "ratio"))
        assert "instructions" not in figure  # only with --callgrind
    assert commands["validate"]["command"][-2:] == ["validate", str(report["file"])]
    goal = report["goal"]
    assert goal["at_most"] == 6.0
    assert goal["validate_ratio"] == commands["validate"]["ratio"]
    assert goal["met"] is (goal["validate_ratio"] <= 6.0)


def test_a_failing_command_stops_the_benchmark(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--repeats", "1", "--no-plugins", "--file", str(missing)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "validate" in done.stderr
    assert "failed with exit 2" in done.stderr
