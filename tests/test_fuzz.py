"""The fuzzing campaign (bench/fuzz.py, docs/reliability.md): a short seeded slice of every
target, and every input the campaign has saved replayed through its target.

No timed assertions: the slice is small enough for CI; what is checked is that no input broke
a property (no traceback, exit statuses 0/1/2, positions on every problem, nothing written on
failure).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "fuzz.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_fuzz", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_fuzz", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _plugins_as_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVIGRADE_DISABLE_PLUGINS", raising=False)


def test_a_seeded_slice_of_every_target_breaks_no_property(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--inputs", "1600", "--seed", "0", "--cli-every", "200"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    record = json.loads(done.stdout.splitlines()[-1])
    assert record["crashes"] == [], done.stderr
    assert done.returncode == 0
    assert set(record["by_target"]) == {
        "validate",
        "grade",
        "jsonl",
        "pubmed",
        "ctgov",
        "fhir",
        "export",
        "cli",
    }
    assert record["inputs"] == 1600


def test_the_same_seed_makes_the_same_inputs() -> None:
    fuzz = _module()
    seeds = fuzz.make_seeds(False)
    first = [fuzz._made("validate", seeds, 7, [("swap", 1), ("bigint", 2)])[1] for _ in range(2)]
    assert first[0] == first[1]
    assert fuzz.mutate(b'{"a": 1}', [("truncate", 3)]) == fuzz.mutate(
        b'{"a": 1}', [("truncate", 3)]
    )


def test_every_saved_crash_now_passes() -> None:
    fuzz = _module()
    saved = sorted(p for p in fuzz.CRASHES.glob("*") if p.suffix != ".why")
    assert saved, "the campaign's saved inputs are kept in bench/fuzz-corpus/crashes"
    assert fuzz.replay(saved) == []
