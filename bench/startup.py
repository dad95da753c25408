"""Start-up benchmark: how long the command line takes to get going, against the interpreter's.

Measures, in fresh subprocesses of the same run, interleaved round by round so that the load of
the machine weighs on every command alike:

- ``python -c pass``: the interpreter's own start-up, the baseline;
- ``python -c "import evigrade"``;
- ``python -c "import attrs, click, pluggy, jsonschema_rs"``: the libraries ``evigrade validate``
  cannot start without (its model and registry are attrs classes, its command line is click's,
  its plugins pluggy's, and a valid file is accepted by jsonschema-rs), a floor for the next;
- ``evigrade validate FILE`` of one small evidence file (default: the smallest bundled example);
- ``evigrade grade examples/ldn-multiple-sclerosis.json`` (the table written to /dev/null).

Each command's wall time is the median of ``--repeats`` runs (after one untimed run that warms
the page cache and writes the ``.pyc`` files), and every figure is reported as a ratio to the
median of ``python -c pass``. The goal is ``validate`` at most 6 times ``python -c pass``.

Wall time on a shared machine moves with its load; instruction counts barely do. With
``--callgrind`` (valgrind installed), every command is also run once under ``valgrind
--tool=callgrind`` and the instructions it executed are reported, with their ratio to those of
``python -c pass``.

``PYTHONDONTWRITEBYTECODE`` is removed from the commands' environment (an installed package
writes and reads its ``.pyc`` files), and so is ``EVIGRADE_DISABLE_PLUGINS``: the installed
third-party plugins are discovered and loaded as a user's command line would, unless
``--no-plugins`` is given.

Usage::

    python bench/startup.py [--repeats 30] [--callgrind] [--file FILE] [--json]

No timed assertion is made: the script exits 0 whether or not the goal is met (1 if a measured
command fails). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SMALL = EXAMPLES / "ldn-mast-cell-activation.json"
GRADED = EXAMPLES / "ldn-multiple-sclerosis.json"
GOAL_RATIO = 6.0
BASELINE = "python -c pass"
#: What ``evigrade validate`` imports that is not evigrade's (jsonschema-rs where it is installed).
LIBRARIES = (
    "import attrs, click, pluggy\ntry:\n    import jsonschema_rs\nexcept ImportError:\n    pass"
)


def evigrade_program() -> list[str]:
    """The ``evigrade`` program of this interpreter's environment (else ``python -m``)."""
    beside = Path(sys.executable).parent / "evigrade"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("evigrade")
    return [found] if found else [sys.executable, "-m", "evigrade"]


def commands(small: Path) -> dict[str, list[str]]:
    """The measured commands by label, the baseline first."""
    program = evigrade_program()
    return {
        BASELINE: [sys.executable, "-c", "pass"],
        "import evigrade": [sys.executable, "-c", "import evigrade"],
        "libraries": [sys.executable, "-c", LIBRARIES],
        "validate": [*program, "validate", str(small)],
        "grade": [*program, "grade", str(GRADED)],
    }


def environment(plugins: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("EVIGRADE_DISABLE_PLUGINS", None)
    if not plugins:
        env["EVIGRADE_DISABLE_PLUGINS"] = "all"
    return env


def run_once(command: list[str], env: dict[str, str]) -> float:
    """The wall time of one run, in seconds; a failing command stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"`{' '.join(command)}` failed with exit {done.returncode}: {message}")
    return wall


def wall_times(
    measured: dict[str, list[str]], env: dict[str, str], repeats: int
) -> dict[str, list[float]]:
    """Every command's wall times, run in rounds of one run each; the order turns every round."""
    for command in measured.values():  # warm the page cache, write the .pyc files
        run_once(command, env)
    labels = list(measured)
    walls: dict[str, list[float]] = {label: [] for label in labels}
    for index in range(repeats):
        shift = index % len(labels)
        for label in labels[shift:] + labels[:shift]:
            walls[label].append(run_once(measured[label], env))
    return walls


_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(command: list[str], env: dict[str, str]) -> int | None:
    """The instructions one run executes, as callgrind counts them (None: no valgrind)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                f"--callgrind-out-file={Path(scratch) / 'callgrind.out'}",
                *command,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
    found = _COLLECTED.search(done.stderr.decode("utf-8", "replace"))
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind of `{' '.join(command)}` failed with exit {done.returncode}")
    return int(found.group(1))


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load: list[float] | None = list(os.getloadavg())
    except OSError:
        load = None
    return {
        "cpu_model": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "load_average": load,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    env = environment(plugins=not args.no_plugins)
    measured = commands(Path(args.file))
    walls = wall_times(measured, env, args.repeats)
    base = statistics.median(walls[BASELINE])
    figures: dict[str, dict[str, Any]] = {}
    for label, times in walls.items():
        median = statistics.median(times)
        figures[label] = {
            "command": measured[label],
            "median_ms": median * 1000,
            "min_ms": min(times) * 1000,
            "max_ms": max(times) * 1000,
            "ratio": median / base,
        }
    if args.callgrind:
        counts = {label: instructions(command, env) for label, command in measured.items()}
        floor = counts[BASELINE]
        for label, count in counts.items():
            figures[label]["instructions"] = count
            figures[label]["instructions_ratio"] = (
                count / floor if count is not None and floor else None
            )
    ratio = figures["validate"]["ratio"]
    return {
        "machine": machine(),
        "commit": commit(),
        "repeats": args.repeats,
        "plugins": not args.no_plugins,
        "file": str(args.file),
        "commands": figures,
        "goal": {
            "validate_ratio": ratio,
            "at_most": GOAL_RATIO,
            "met": ratio <= GOAL_RATIO,
        },
    }


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    load = m["load_average"]
    lines = [
        f"machine: {m['cpu_model']}, {m['cores']} cores, Python {m['python']}, "
        f"load {', '.join(f'{x:.2f}' for x in load) if load else 'unknown'}; "
        f"commit {report['commit'] or 'unknown'}; "
        f"third-party plugins {'on' if report['plugins'] else 'off'}",
        f"median of {report['repeats']} runs each, interleaved; ratios to `{BASELINE}`",
        "",
        f"{'command':<18}{'median ms':>11}{'min ms':>9}{'max ms':>9}{'x pass':>8}"
        f"{'instructions':>16}{'x pass':>8}",
    ]
    for label, figure in report["commands"].items():
        count = figure.get("instructions")
        counted = f"{count:>16,}{figure['instructions_ratio']:>8.2f}" if count else ""
        lines.append(
            f"{label:<18}{figure['median_ms']:>11.1f}{figure['min_ms']:>9.1f}"
            f"{figure['max_ms']:>9.1f}{figure['ratio']:>8.2f}{counted}"
        )
    goal = report["goal"]
    lines += [
        "",
        f"goal: validate <= {goal['at_most']:g}x `{BASELINE}`: "
        f"{goal['validate_ratio']:.2f}x, {'met' if goal['met'] else 'NOT met'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed runs of each command")
    parser.add_argument("--file", default=str(SMALL), help="the evidence file validated")
    parser.add_argument(
        "--callgrind", action="store_true", help="also count instructions under callgrind"
    )
    parser.add_argument(
        "--no-plugins", action="store_true", help="load no third-party plugins in the commands"
    )
    parser.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    report = measure(args)
    if args.json:
        print(table(report), file=sys.stderr)
        print(json.dumps(report, indent=2))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
