"""Costs of large and hostile input, as ratios measured in the same run (docs/reliability.md).

- ``render``: the seconds the table takes for a claim of 1, 5 and 10 MB of text, as ratios to
  the 1 MB time (linear rendering keeps them near 1, since a cell shows a bounded part).
- ``memory``: the peak resident memory of ``validate --jobs 1`` and ``--jobs 2`` on a corpus of
  512 KiB lines, the whole process tree summed (sampled every 20 ms), and their ratio.

Run it::

    python bench/hostile.py            # both
    python bench/hostile.py render
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ldn-multiple-sclerosis.json"


def render() -> dict[str, float]:
    import evigrade

    registry = evigrade.get_registry(disable=("*",))
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["claims"] = data["claims"][:1]
    seconds = {}
    for megabytes in (1, 5, 10):
        data["claims"][0]["text"] = "word " * (megabytes * 200_000)
        evidence = evigrade.loads(json.dumps(data), registry=registry)
        report = evigrade.grade_file(evidence, ["grade"], registry=registry)
        start = time.perf_counter()
        registry.formats["table"].render(report)
        seconds[f"{megabytes} MB"] = time.perf_counter() - start
    base = seconds["1 MB"]
    return {
        **{k: round(v, 4) for k, v in seconds.items()},
        **{f"ratio {k}": round(v / base, 2) for k, v in seconds.items()},
    }


def _peak(args: list[str]) -> float:
    """The peak summed RSS (MiB) of a command and its children."""
    import psutil

    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    top = psutil.Process(child.pid)
    peak = 0.0
    while child.poll() is None:
        try:
            total = top.memory_info().rss + sum(
                p.memory_info().rss for p in top.children(recursive=True)
            )
        except psutil.Error:
            continue
        peak = max(peak, total / 2**20)
        time.sleep(0.02)
    return peak


def memory() -> dict[str, float]:
    line = '{"evigrade": "1", "studies": [], "claims": [], "x-pad": "' + "a" * (512 << 10) + '"}'
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "long.jsonl"
        corpus.write_text((line + "\n") * 400, encoding="utf-8")  # 200 MiB
        command = [sys.executable, "-m", "evigrade", "--no-plugins", "validate", str(corpus)]
        one = _peak([*command, "--jobs", "1"])
        two = _peak([*command, "--jobs", "2"])
    return {"jobs 1 MiB": round(one), "jobs 2 MiB": round(two), "ratio": round(two / one, 2)}


def main() -> None:
    which = sys.argv[1:] or ["render", "memory"]
    result = {}
    if "render" in which:
        result["render"] = render()
    if "memory" in which:
        result["memory"] = memory()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
