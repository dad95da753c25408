"""Where the time of one corpus line goes: each stage of ``evigrade grade --format jsonl``,
measured alone in one process, as a multiple of the parse floor measured in the same run.

The lines are those of ``bench/corpus.py`` (same generator, same seed). Each stage runs over
every line in turn, and the figure is the best of ``--repeats`` runs of its process time, with
the cyclic garbage collector paused while timing (each stage's inputs are made by the stage
before, untimed):

- floor: ``orjson.loads`` of each line (bytes);
- decode + parse + schema + semantic rules (``evigrade.validation.check_text``);
- structure: the model built from the data (``evigrade.files.from_data``, no second check);
- grade: ``evigrade.grading.grade_file`` under GRADE, and under every installed scheme;
- report data: ``evigrade.convert.report_to_data`` (full, and ``brief=True``);
- encode: ``evigrade.jsontext.compact`` of each line's claims.

Usage::

    python bench/stages.py [--lines 2000] [--repeats 5] [--seed 0] [--json]

Run with PYTHONDONTWRITEBYTECODE unset, as an installed package runs. No figure is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def _corpus_module() -> Any:
    """bench/corpus.py, beside this file: the corpus generator."""
    import importlib.util

    path = Path(__file__).resolve().parent / "corpus.py"
    spec = importlib.util.spec_from_file_location("bench_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def best_of(repeats: int, work: Callable[[], object], lines: int) -> float:
    """The best process time of ``repeats`` runs of ``work``, in µs per line."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best / lines * 1e6


def run(lines: int, repeats: int, seed: int) -> dict[str, Any]:
    import orjson

    from evigrade.convert import report_to_data
    from evigrade.files import from_data
    from evigrade.grading import grade_file
    from evigrade.jsontext import compact
    from evigrade.plugins import get_registry
    from evigrade.validation import check_text, decode

    registry = get_registry()
    raw = [line.encode() for line in _corpus_module().corpus_lines(lines, seed)]
    data = [check_text(decode(line), None, registry.designs)[0] for line in raw]
    if any(item is None for item in data):
        raise SystemExit("a generated line is invalid")
    models = [from_data(item, designs=registry.designs, validate=False) for item in data]
    grade = [grade_file(model, ("grade",), registry=registry) for model in models]
    every = tuple(registry.schemes)
    reports = [report_to_data(report)["claims"] for report in grade]

    stages: dict[str, Callable[[], object]] = {
        "floor": lambda: [orjson.loads(line) for line in raw],
        "validate": lambda: [check_text(decode(line), None, registry.designs) for line in raw],
        "structure": lambda: [
            from_data(item, designs=registry.designs, validate=False) for item in data
        ],
        "grade": lambda: [grade_file(model, ("grade",), registry=registry) for model in models],
        "grade_all": lambda: [grade_file(model, every, registry=registry) for model in models],
        "report_data": lambda: [report_to_data(report)["claims"] for report in grade],
        "report_data_brief": lambda: [
            report_to_data(report, brief=True)["claims"] for report in grade
        ],
        "encode": lambda: [compact(claims) for claims in reports],
    }
    micros = {name: best_of(repeats, work, lines) for name, work in stages.items()}
    floor = micros["floor"]
    grade_total = sum(micros[k] for k in ("validate", "structure", "grade", "report_data"))
    return {
        "lines": lines,
        "repeats": repeats,
        "seed": seed,
        "schemes": list(every),
        "us_per_line": {name: round(value, 2) for name, value in micros.items()},
        "x_floor": {name: round(value / floor, 2) for name, value in micros.items()},
        "sum_grade_x_floor": round((grade_total + micros["encode"]) / floor, 2),
    }


LABELS = {
    "floor": "parse floor (orjson.loads)",
    "validate": "decode, parse, schema, semantic rules",
    "structure": "build the model (cattrs, attrs)",
    "grade": "grade under GRADE",
    "grade_all": "grade under every installed scheme",
    "report_data": "report data",
    "report_data_brief": "report data in brief",
    "encode": "encode the output (GRADE)",
}


def table(report: dict[str, Any]) -> str:
    rows = [f"{'stage':<42}{'µs a line':>10}{'x floor':>9}"]
    for name, label in LABELS.items():
        rows.append(
            f"{label:<42}{report['us_per_line'][name]:>10.1f}{report['x_floor'][name]:>9.2f}"
        )
    rows.append(
        f"{'sum of the GRADE stages':<42}{'':>10}{report['sum_grade_x_floor']:>9.2f}"
        f"   ({report['lines']} lines, best of {report['repeats']})"
    )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000, help="corpus lines (default 2000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each stage (best kept)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus (default 0)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.lines < 1 or args.repeats < 1:
        parser.error("--lines and --repeats must be at least 1")
    report = run(args.lines, args.repeats, args.seed)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
