"""Corpus-scale benchmark for evigrade.

Generates a seeded synthetic corpus as JSON Lines (one evidence file per line, one claim citing
five studies), checks a sample of it with ``evigrade.validate_data``, then measures, from one
run:

1. the parse floor: reading the file and ``orjson.loads`` of every line, in a fresh subprocess;
2. evigrade's end-to-end grade time, the wall clock of ``evigrade grade corpus.jsonl --format
   jsonl`` writing to a file: at ``--jobs 1`` under GRADE alone (the default), under every
   installed scheme (``--scheme all``) and in brief (``--brief``); at ``--jobs 2`` under GRADE;
3. their ratios to the parse floor;
4. claims per second;
5. the peak RSS of every run;
6. the start-up cost: the wall time of ``evigrade validate`` on one small file, as a ratio to
   that of ``python -c pass``, the two measured in turn.

If the installed ``evigrade grade`` does not accept JSON Lines yet, the same work (json.loads,
``evigrade.from_data``, ``evigrade.grade_file``, ``report_to_data``, one JSON line out) is
measured in a fresh subprocess through the Python API instead, and the report says so.

Usage::

    python bench/corpus.py --claims 10000 [--out DIR] [--keep] [--seed N] [--json]

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

GOAL_CLAIMS = 100_000
#: The corpus size the memory goal is stated for.
GOAL_RSS_CLAIMS = 1_000_000
#: End to end at --jobs 1, as multiples of the parse floor: GRADE (the default) with its full
#: rationale (stretch: 20), every installed scheme, GRADE in brief.
GOAL_GRADE_RATIO = 30.0
STRETCH_GRADE_RATIO = 20.0
GOAL_ALL_RATIO = 60.0
GOAL_BRIEF_RATIO = 10.0
GOAL_SPEEDUP = 1.8
GOAL_RSS_MB = 200.0
#: `evigrade validate` of one small file, as a multiple of `python -c pass`.
GOAL_STARTUP_RATIO = 6.0
ORJSON_HINT = (
    "orjson is the parser of the parse floor and is not installed; install it with\n"
    "    python -m pip install 'orjson>=3'\n"
    "(into the environment that runs this script; a `bench` extra will carry it)"
)

# --------------------------------------------------------------------------------------------
# The synthetic corpus
# --------------------------------------------------------------------------------------------

# (design, weight, median n or None for designs without participants, log-sd of n)
DESIGNS: tuple[tuple[str, int, int | None, float], ...] = (
    ("rct", 30, 120, 0.9),
    ("crossover-rct", 3, 30, 0.6),
    ("cluster-rct", 2, 1200, 0.8),
    ("meta-analysis", 6, 2500, 1.0),
    ("systematic-review", 3, 1800, 1.0),
    ("non-randomized-trial", 4, 150, 0.8),
    ("prospective-cohort", 12, 3000, 1.2),
    ("retrospective-cohort", 10, 2000, 1.2),
    ("case-control", 8, 800, 0.9),
    ("cross-sectional", 5, 1500, 1.0),
    ("single-arm-trial", 4, 40, 0.6),
    ("case-series", 4, 25, 0.6),
    ("case-report", 2, 1, 0.0),
    ("animal", 3, 24, 0.5),
    ("in-vitro", 1, None, 0.0),
    ("narrative-review", 1, None, 0.0),
    ("protocol", 2, 200, 0.7),
)
RANDOMIZED = {"rct", "crossover-rct", "cluster-rct", "meta-analysis", "systematic-review"}
NO_EFFECT = {"in-vitro", "narrative-review", "protocol", "case-report", "case-series"}
SURNAMES = (
    "smith",
    "garcia",
    "muller",
    "rossi",
    "kim",
    "nguyen",
    "tanaka",
    "silva",
    "novak",
    "jensen",
    "okafor",
    "haddad",
    "kowalski",
    "dubois",
    "moreau",
    "fischer",
    "wang",
    "chen",
    "patel",
    "singh",
    "cohen",
    "larsen",
    "ivanov",
    "petrov",
    "sato",
    "yamamoto",
    "andersson",
    "nielsen",
    "oconnor",
    "walsh",
    "murphy",
    "brown",
    "taylor",
    "wilson",
    "lopez",
    "martin",
    "bernard",
)
INTERVENTIONS = (
    "low-dose naltrexone",
    "vitamin D supplementation",
    "omega-3 fatty acids",
    "aerobic exercise",
    "cognitive behavioural therapy",
    "metformin",
    "intermittent fasting",
    "probiotics",
    "mindfulness training",
    "melatonin",
    "magnesium",
    "acupuncture",
    "ketamine",
    "curcumin",
    "high-dose statins",
)
CONDITIONS = (
    "multiple sclerosis",
    "fibromyalgia",
    "type 2 diabetes",
    "major depression",
    "chronic low back pain",
    "migraine",
    "long COVID",
    "rheumatoid arthritis",
    "insomnia",
    "irritable bowel syndrome",
    "heart failure",
    "osteoarthritis of the knee",
)
OUTCOMES = (
    ("fatigue", "continuous"),
    ("pain intensity", "continuous"),
    ("quality of life", "continuous"),
    ("depressive symptoms", "continuous"),
    ("relapse", "dichotomous"),
    ("hospital admission", "dichotomous"),
    ("remission", "dichotomous"),
    ("all-cause mortality", "time-to-event"),
    ("time to progression", "time-to-event"),
)
JOURNALS = (
    "The Lancet",
    "BMJ",
    "JAMA Internal Medicine",
    "Multiple Sclerosis Journal",
    "PLoS One",
    "Pain",
    "Diabetes Care",
    "Journal of Clinical Psychopharmacology",
    "Cochrane Database of Systematic Reviews",
    "Scientific Reports",
)
CONTROLS = ("placebo", "placebo", "active", "usual-care", "waitlist")
DIRECTIONS = (("supports", 50), ("inconclusive", 25), ("contradicts", 15), ("mixed", 10))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _study(
    rng: random.Random, index: int, condition: str, intervention: str, outcome: str
) -> dict[str, Any]:
    design, _, median, sd = rng.choices(DESIGNS, weights=[d[1] for d in DESIGNS])[0]
    year = rng.randint(1988, 2024)
    surname = rng.choice(SURNAMES)
    study: dict[str, Any] = {"id": f"{surname}-{year}", "design": design}
    if median is not None:
        if design == "case-report":
            study["n"] = 1
        elif rng.random() < 0.08:
            study["n"] = None  # the source does not report the size
        else:
            study["n"] = max(2, round(rng.lognormvariate(0.0, sd) * median))
    if design in ("meta-analysis", "systematic-review") and rng.random() < 0.25:
        study["of"] = "prospective-cohort"
    if design == "animal":
        study["species"] = rng.choice(("mouse", "mouse", "rat"))
    if design == "protocol":
        study["status"] = "ongoing"
        study["randomized"] = True
    if design in ("rct", "crossover-rct", "cluster-rct", "non-randomized-trial"):
        study["control"] = rng.choice(CONTROLS)
    if design in ("rct", "crossover-rct"):
        study["blinding"] = rng.choice(("double", "double", "single", "none"))
        study["duration"] = rng.choice(("P8W", "P12W", "P6M", "P1Y", "P2Y"))
        if rng.random() < 0.25:
            study["risk_of_bias"] = {
                "tool": "rob2",
                "overall": rng.choice(("low", "low", "some-concerns", "high")),
            }
    elif design in ("prospective-cohort", "retrospective-cohort") and rng.random() < 0.2:
        overall = rng.choice(("moderate", "serious", "low"))
        study["risk_of_bias"] = {"tool": "robins-i", "overall": overall}
    if rng.random() < 0.15:
        study["title"] = f"{_cap(intervention)} for {outcome} in {condition}"
    study["authors"] = [
        f"{rng.choice(SURNAMES).capitalize()}, {chr(65 + rng.randrange(26))}."
        for _ in range(rng.choice((1, 1, 2)))
    ]
    if rng.random() < 0.6:
        del study["authors"]
    study["year"] = year
    if rng.random() < 0.2:
        study["journal"] = rng.choice(JOURNALS)
    if rng.random() < 0.15:
        study["doi"] = f"10.{rng.randint(1000, 99999)}/{surname}.{year}.{rng.randint(1, 99999)}"
    if rng.random() < 0.1:
        study["funding"] = rng.choice(("industry", "public", "mixed", "none"))
    return study


def _effect(rng: random.Random, outcome_type: str, direction: str, n: int | None) -> dict[str, Any]:
    """An effect whose 95% CI agrees with the direction (benefit: ratio < 1, difference < 0)."""
    se = 2.0 / (max(n or 100, 4) ** 0.5)
    half = 1.96 * se
    if direction == "supports":
        centre = -rng.uniform(half * 1.1, half * 3 + 0.1)
    elif direction == "contradicts":
        centre = rng.uniform(half * 1.1, half * 3 + 0.1)
    else:  # inconclusive, mixed: the CI spans no effect
        centre = rng.uniform(-half * 0.8, half * 0.8)
    if outcome_type == "continuous":
        measure = rng.choice(("MD", "SMD"))
        scale = 1.0 if measure == "SMD" else 6.0
        low, est, high = ((centre - half) * scale, centre * scale, (centre + half) * scale)
    else:
        measure = "HR" if outcome_type == "time-to-event" else rng.choice(("RR", "OR"))
        low, est, high = (math.exp(centre - half), math.exp(centre), math.exp(centre + half))
    effect: dict[str, Any] = {
        "measure": measure,
        "estimate": round(est, 2),
        "ci_low": round(low, 2),
        "ci_high": round(high, 2),
    }
    effect["ci_low"] = min(effect["ci_low"], effect["estimate"])
    effect["ci_high"] = max(effect["ci_high"], effect["estimate"])
    if measure in ("RR", "OR", "HR"):
        effect["ci_low"] = max(effect["ci_low"], 0.01)
        effect["estimate"] = max(effect["estimate"], effect["ci_low"])
        effect["ci_high"] = max(effect["ci_high"], effect["estimate"])
    return effect


def evidence_file(rng: random.Random, number: int) -> dict[str, Any]:
    """One evidence file: one claim citing five studies."""
    condition = rng.choice(CONDITIONS)
    intervention = rng.choice(INTERVENTIONS)
    outcome, outcome_type = rng.choice(OUTCOMES)
    studies = [_study(rng, i + 1, condition, intervention, outcome) for i in range(5)]
    seen: set[str] = set()
    for study in studies:  # study ids are unique in a file: "smith-2019", then "smith-2019b"
        base, suffix = study["id"], 98
        while study["id"] in seen:
            study["id"], suffix = f"{base}{chr(suffix)}", suffix + 1
        seen.add(study["id"])
    links = []
    for study in studies:
        direction = _weighted(rng, DIRECTIONS)
        link: dict[str, Any] = {"study": study["id"], "direction": direction}
        n = study.get("n")
        if study["design"] not in NO_EFFECT and rng.random() < 0.35:
            link["effect"] = _effect(rng, outcome_type, direction, n)
            if outcome_type == "dichotomous" and n is not None and n >= 10:
                events = rng.randint(1, n // 3)
                link["events"] = {"intervention": events // 2, "control": events - events // 2}
        if rng.random() < 0.08 and study["design"] != "narrative-review":
            link["applicability"] = {"population": "indirect"}
        links.append(link)
    claim: dict[str, Any] = {
        "id": f"claim-{number:07d}",
        "text": f"{_cap(intervention)} may improve {outcome} in people with {condition}",
    }
    if rng.random() < 0.5:
        claim["population"] = f"adults with {condition}"
    claim["intervention"] = intervention
    if rng.random() < 0.4:
        claim["comparator"] = "placebo or usual care"
    claim.update(outcome=outcome, outcome_type=outcome_type, evidence=links)
    return {
        "evigrade": "1",
        "title": f"{_cap(intervention)} and {condition}",
        "studies": studies,
        "claims": [claim],
    }


def corpus_lines(claims: int, seed: int) -> Iterator[str]:
    """The corpus, one compact JSON text per line (deterministic for a seed)."""
    rng = random.Random(seed)
    for number in range(1, claims + 1):
        data = evidence_file(rng, number)
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_corpus(path: Path, claims: int, seed: int) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for line in corpus_lines(claims, seed):
            data = (line + "\n").encode("utf-8")
            digest.update(data)
            size += len(data)
            out.write(line + "\n")
    return {
        "path": str(path),
        "claims": claims,
        "studies_per_claim": 5,
        "seed": seed,
        "bytes": size,
        "avg_line_bytes": round(size / claims, 1),
        "sha256": digest.hexdigest(),
    }


def validate_sample(path: Path, claims: int, seed: int, sample: int) -> int:
    """Validate a sample of lines (always the first and last); exit if any is invalid."""
    import evigrade

    rng = random.Random(seed + 1)
    wanted = {0, claims - 1, *rng.sample(range(claims), min(sample, claims))}
    checked = 0
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number not in wanted:
                continue
            problems = evigrade.validate_data(json.loads(line))
            if problems:
                for problem in problems[:10]:
                    print(f"line {number + 1}: {problem}", file=sys.stderr)
                raise SystemExit(f"the generated corpus is invalid at line {number + 1}")
            checked += 1
    return checked


# --------------------------------------------------------------------------------------------
# Measuring a child process: wall clock, ru_maxrss, and a sampled RSS of the process tree
# --------------------------------------------------------------------------------------------


def _tree_rss_kb(root: int) -> int:
    """Sum of VmRSS over ``root`` and its descendants (from /proc; 0 if it is gone)."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


TIME_BIN = "/usr/bin/time"


@dataclasses.dataclass
class Run:
    """One measured child: wall seconds, exit code, peak RSS and sampled tree RSS (KiB)."""

    wall: float
    code: int
    maxrss_kb: int
    tree_kb: int
    stdout: str


#: The environment of every measured command: this one, but free to write bytecode (.pyc)
#: files, so that after the warm-up run evigrade starts as an installed package does (pip
#: compiles bytecode at install time; a shell with PYTHONDONTWRITEBYTECODE would otherwise make
#: every run compile evigrade from source).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def rss_method() -> str:
    """How :func:`measure` gets a child's peak RSS on this machine."""
    if os.access(TIME_BIN, os.X_OK):
        return "/usr/bin/time"
    return "getrusage"


def measure(
    command: Sequence[str],
    *,
    stdout_path: Path | None = None,
    sample_interval: float | None = 0.05,
    timeout: float = 3600.0,
) -> Run:
    """Run ``command`` once and measure it.

    The wall clock runs from just before the fork to the reaping of the child. The peak RSS is
    "Maximum resident set size" of ``/usr/bin/time`` (``%M``), or where that is missing
    ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read by a small Python launcher after the
    child: the largest single process among the command and its descendants. The command is
    started through such a small launcher, never straight from this (large) process, because
    Linux carries the spawning process's RSS high-water mark over into the child's ru_maxrss.
    The tree RSS is the sum of VmRSS over the launcher and all its descendants, sampled every
    ``sample_interval`` seconds: the whole footprint of a ``--jobs N`` run (a sample can miss
    a short peak).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss", delete=False) as handle:
        rss_file = handle.name
    if rss_method() == "/usr/bin/time":
        wrapped = [TIME_BIN, "-f", "%M", "-o", rss_file, *command]
    else:
        wrapped = [sys.executable, os.path.abspath(__file__), "_launch", rss_file, *command]
    out_file = stdout_path.open("wb") if stdout_path else None
    peak = [0]
    captured = [b"", b""]
    done = threading.Event()
    threads: list[threading.Thread] = []
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped,
            env=CHILD_ENV,
            stdout=out_file if out_file else subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        # Drain the pipes (the child could block on a full pipe); sample the tree's RSS.
        threads.append(threading.Thread(target=_drain, args=(proc, captured), daemon=True))
        if sample_interval:

            def sample() -> None:
                while not done.wait(sample_interval):
                    peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

            threads.append(threading.Thread(target=sample, daemon=True))
        for thread in threads:
            thread.start()
        # A blocking wait: Popen.wait(timeout) polls with sleeps of up to 50 ms.
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        killer.cancel()
    finally:
        done.set()
        for thread in threads:
            thread.join()
        if out_file:
            out_file.close()
    try:
        with open(rss_file, encoding="utf-8") as report:
            numbers = [line.strip() for line in report if line.strip().isdigit()]
        maxrss = int(numbers[-1]) if numbers else 0
    finally:
        os.unlink(rss_file)
    if code != 0:
        sys.stderr.write(captured[1].decode("utf-8", "replace")[-2000:])
    return Run(wall, code, maxrss, peak[0], captured[0].decode("utf-8"))


def child_launch(rss_file: str, command: Sequence[str]) -> int:
    """Run ``command``; write the children's ru_maxrss (KiB) to ``rss_file``; pass its exit."""
    import resource

    code = subprocess.call(list(command))
    with open(rss_file, "w", encoding="utf-8") as out:
        out.write(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
    return code


def _drain(proc: subprocess.Popen[bytes], into: list[bytes]) -> None:
    if proc.stdout:
        into[0] = proc.stdout.read()
    if proc.stderr:
        into[1] = proc.stderr.read()


# --------------------------------------------------------------------------------------------
# The child modes: the parse floor, and the Python-API fallback of `evigrade grade`
# --------------------------------------------------------------------------------------------


# The parse floor's child: run with ``python -c`` so that it imports nothing but orjson.
FLOOR_CODE = """\
import sys, time
import orjson
start = time.perf_counter()
count = 0
with open(sys.argv[1], "rb") as lines:
    for line in lines:
        if line.strip():
            orjson.loads(line)
            count += 1
seconds = time.perf_counter() - start
print('{"lines": %d, "seconds": %r}' % (count, seconds))
"""


#: The grade runs, by name: the extra arguments of each. GRADE alone (the default), every
#: installed scheme, GRADE in brief.
VARIANTS = {"grade": [], "all": ["--scheme", "all"], "brief": ["--brief"]}

_variant = "grade"


def _grade_line(line: bytes) -> str:
    import evigrade
    from evigrade.convert import report_to_data

    registry = evigrade.get_registry()
    schemes = ("all",) if _variant == "all" else ("grade",)
    report = evigrade.grade_file(
        evigrade.from_data(json.loads(line)), registry.select_schemes(schemes)
    )
    data = report_to_data(report, brief=True) if _variant == "brief" else report_to_data(report)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def child_api(path: str, jobs: int, output: str, variant: str = "grade") -> None:
    """Grade every line through the Python API, results in input order, one line each."""
    global _variant
    import evigrade

    _variant = variant
    evigrade.get_registry()  # load the package and its plugins once, before any fork
    with open(path, "rb") as lines, open(output, "w", encoding="utf-8") as out:
        if jobs == 1:
            for line in lines:
                out.write(_grade_line(line))
        else:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for text in pool.imap(_grade_line, lines, chunksize=32):
                    out.write(text)


# --------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------


def evigrade_command() -> list[str]:
    """The `evigrade` console script of this interpreter's environment, else python -m."""
    beside = Path(sys.executable).parent / "evigrade"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("evigrade")
    return [found] if found else [sys.executable, "-m", "evigrade"]


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
    memory = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    usable: int | None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions: dict[str, str] = {}
    for name in ("evigrade", "orjson", "jsonschema", "jsonschema-rs"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = "not installed"
    return {
        "cpu_model": model or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": memory,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "versions": versions,
    }


def grading_setup() -> dict[str, Any]:
    """The schemes `evigrade grade --scheme all` uses here (every installed one), with the
    plugin that registers each, the one `evigrade grade` uses by default, and the schema
    validator in use: what the grade figures depend on."""
    import evigrade
    from evigrade.validation import schema_validator

    registry = evigrade.get_registry()
    return {
        "schemes": {name: registry.owner("scheme", name) for name in registry.schemes},
        "default_schemes": list(registry.select_schemes()),
        "schema_validator": schema_validator(),
    }


def source_state() -> str:
    """The commit of the evigrade source tree being measured, with "+dirty" if it is edited."""
    import evigrade

    where = Path(evigrade.__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(where), "status", "--porcelain", "--untracked-files=no", "."],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return f"{where} (not a git checkout)"
    return head + ("+dirty" if dirty else "")


def probe_cli(evigrade: list[str], workdir: Path, corpus: Path) -> dict[str, Any]:
    """Does `evigrade grade X.jsonl --format jsonl` work (and with --jobs 2)?"""
    probe = workdir / "probe.jsonl"
    with corpus.open("rb") as source:
        probe.write_bytes(source.readline() + source.readline())
    result: dict[str, Any] = {}
    for key, extra in (("jsonl", []), ("jobs", ["--jobs", "2"]), ("brief", VARIANTS["brief"])):
        command = [*evigrade, "grade", str(probe), "--format", "jsonl", *VARIANTS["all"], *extra]
        try:
            done = subprocess.run(command, capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            result[key], result[f"{key}_why"] = False, str(error)
            continue
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        try:
            ok = done.returncode == 0 and len(lines) == 2 and all(json.loads(x) for x in lines)
        except ValueError:
            ok = False
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        result[key] = ok
        result[f"{key}_why"] = "" if ok else (why[-1] if why else f"exit {done.returncode}")
        if key == "jsonl" and not ok:
            result["jobs"], result["jobs_why"] = False, "JSON Lines input is not supported"
            result["brief"], result["brief_why"] = False, "JSON Lines input is not supported"
            break
    probe.unlink()
    return result


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_floor(corpus: Path, claims: int, repeats: int) -> dict[str, Any]:
    command = [sys.executable, "-c", FLOOR_CODE, str(corpus)]
    measure(command, sample_interval=None)  # warm the page cache
    runs = []
    for _ in range(repeats):
        run = measure(command, sample_interval=None)
        if run.code != 0:
            raise SystemExit("the parse-floor child failed")
        inner = json.loads(run.stdout)
        if inner["lines"] != claims:
            raise SystemExit(f"the parse floor read {inner['lines']} lines, not {claims}")
        runs.append((inner["seconds"], run.wall, run.maxrss_kb))
    return {
        "method": (
            "open the file and orjson.loads every line, timed inside a fresh subprocess "
            "(after `import orjson`; process_wall_seconds is the whole child)"
        ),
        "command": [*command[:2], "<FLOOR_CODE>", *command[3:]],
        "seconds": _median([r[0] for r in runs]),
        "seconds_all": [r[0] for r in runs],
        "process_wall_seconds": _median([r[1] for r in runs]),
        "peak_rss_mb": max(r[2] for r in runs) / 1024,
    }


def bench_grade(
    evigrade: list[str],
    corpus: Path,
    workdir: Path,
    jobs: int,
    cli: dict[str, Any],
    claims: int,
    repeats: int,
    use_cli: bool = True,
    variant: str = "grade",
) -> dict[str, Any]:
    output = workdir / f"grade-{variant}-jobs{jobs}.jsonl"
    if use_cli and cli["jsonl"] and (jobs == 1 or cli["jobs"]):
        method = "cli"
        jobs_flag = ["--jobs", str(jobs)] if cli["jobs"] else []
        command = [*evigrade, "grade", str(corpus), "--format", "jsonl", *VARIANTS[variant]]
        command += jobs_flag
        stdout_path: Path | None = output
    else:
        method = "api-fallback"
        me = os.path.abspath(__file__)
        command = [sys.executable, me, "_api", str(corpus), str(jobs), str(output), variant]
        stdout_path = None
    walls, rss, tree = [], [], []
    for _ in range(repeats):
        run = measure(command, stdout_path=stdout_path)
        if run.code != 0:
            raise SystemExit(f"grading failed (exit {run.code}): {' '.join(command)}")
        with output.open("rb") as results:
            count = sum(1 for line in results if line.strip())
        if count != claims:
            raise SystemExit(f"expected {claims} result lines, found {count}: {' '.join(command)}")
        walls.append(run.wall)
        rss.append(run.maxrss_kb / 1024)
        tree.append(run.tree_kb / 1024)
    seconds = _median(walls)
    return {
        "jobs": jobs,
        "variant": variant,
        "schemes": "all" if variant == "all" else "grade",
        "brief": variant == "brief",
        "method": method,
        "command": command,
        "seconds": seconds,
        "seconds_all": walls,
        "claims_per_second": claims / seconds,
        "peak_rss_mb": max(rss),
        "peak_tree_rss_mb": max(tree),
    }


def bench_startup(evigrade: list[str], small: Path, repeats: int) -> dict[str, Any]:
    """``evigrade validate`` of one small file and ``python -c pass`` (this interpreter), each
    run in turn ``repeats`` times through the same launcher; the ratio of their medians."""
    command = [*evigrade, "validate", str(small)]
    baseline = [sys.executable, "-c", "pass"]
    measure(command, sample_interval=None)  # warm the page cache and .pyc files
    measure(baseline, sample_interval=None)
    walls, base = [], []
    for _ in range(repeats):
        run = measure(command, sample_interval=None)
        if run.code != 0:
            raise SystemExit(f"`{' '.join(command)}` failed with exit {run.code}")
        walls.append(run.wall)
        base.append(measure(baseline, sample_interval=None).wall)
    return {
        "command": command,
        "ms": _median(walls) * 1000,
        "ms_all": [w * 1000 for w in walls],
        "python_baseline_ms": _median(base) * 1000,
        "python_baseline_ms_all": [w * 1000 for w in base],
        "ratio": _median(walls) / _median(base),
    }


def goals(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal with its value and whether it is met (``None``: the run it needs was left
    out, with ``--jobs``, or is not supported by the evigrade measured)."""
    floor = report["floor"]["seconds"]
    runs = report["runs"]

    def ratio(key: str) -> float | None:
        return runs[key]["seconds"] / floor if key in runs else None

    one, two = runs.get("grade_jobs1"), runs.get("grade_jobs2")
    speedup = one["seconds"] / two["seconds"] if one and two else None
    rss = max(run[key] for run in runs.values() for key in ("peak_rss_mb", "peak_tree_rss_mb"))
    rows = [
        ("GRADE at --jobs 1 / parse floor", ratio("grade_jobs1"), "<=", GOAL_GRADE_RATIO, "x"),
        ("every scheme at --jobs 1 / parse floor", ratio("all_jobs1"), "<=", GOAL_ALL_RATIO, "x"),
        ("--brief at --jobs 1 / parse floor", ratio("brief_jobs1"), "<=", GOAL_BRIEF_RATIO, "x"),
        ("speed-up of --jobs 2 over --jobs 1", speedup, ">=", GOAL_SPEEDUP, "x"),
        ("peak RSS (largest of the runs)", rss, "<", GOAL_RSS_MB, "MB"),
        (
            "`evigrade validate` / `python -c pass`",
            report["startup"]["ratio"],
            "<=",
            GOAL_STARTUP_RATIO,
            "x",
        ),
    ]
    checks = {"<=": float.__le__, ">=": float.__ge__, "<": float.__lt__}
    return [
        {
            "goal": name,
            "value": None if value is None else round(value, 3),
            "target": f"{op} {target:g} {unit}",
            "met": None if value is None else checks[op](float(value), float(target)),
        }
        for name, value, op, target, unit in rows
    ]


def table(report: dict[str, Any]) -> str:
    corpus, m, floor = report["corpus"], report["machine"], report["floor"]
    lines = [
        f"machine: {m['cpu_model']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['memory_gib']} GiB; Python {m['python']}; {m['platform']}",
        f"corpus:  {corpus['claims']} claims x 5 studies, seed {corpus['seed']}, "
        f"{corpus['bytes'] / 1e6:.1f} MB, {corpus['avg_line_bytes']:.0f} B/line avg, "
        f"{report['validated_sample']} lines validated",
        f"grading: {report['grading_note']}",
        f"schemes: all: {', '.join(report['grading_setup']['schemes'])}; "
        f"default: {', '.join(report['grading_setup']['default_schemes'])} "
        f"(schema validator: {report['grading_setup']['schema_validator']})",
        f"evigrade: {report['evigrade_source']} ({' '.join(report['evigrade_command'])})",
        f"repeats: {report['repeats']} (median shown)",
        "",
        f"{'run':<28}{'seconds':>10}{'x floor':>9}{'claims/s':>11}{'RSS MB':>9}{'tree MB':>9}",
        f"{'parse floor (orjson)':<28}{floor['seconds']:>10.3f}{1:>9.2f}"
        f"{corpus['claims'] / floor['seconds']:>11.0f}{floor['peak_rss_mb']:>9.1f}{'':>9}",
    ]
    names = {"grade": "GRADE", "all": "--scheme all", "brief": "GRADE --brief"}
    for run in report["runs"].values():
        label = f"grade -j {run['jobs']} {names[run['variant']]}"
        label += " (API)" if run["method"] != "cli" else ""
        lines.append(
            f"{label:<28}{run['seconds']:>10.3f}{run['seconds'] / floor['seconds']:>9.2f}"
            f"{run['claims_per_second']:>11.0f}{run['peak_rss_mb']:>9.1f}"
            f"{run['peak_tree_rss_mb']:>9.1f}"
        )
    startup = report["startup"]
    lines += [
        f"{'validate start-up (ms)':<28}{startup['ms']:>10.1f}"
        f"   (python -c pass: {startup['python_baseline_ms']:.1f} ms, "
        f"ratio {startup['ratio']:.2f})",
        "",
        f"goals (stated for {GOAL_CLAIMS:,} claims, the memory goal for {GOAL_RSS_CLAIMS:,}; "
        f"this run: {corpus['claims']:,}; stretch goal for GRADE: {STRETCH_GRADE_RATIO:g}x):",
    ]
    for goal in report["goals"]:
        if goal["met"] is None:
            lines.append(f"  {goal['goal']:<40}{'-':>10}  {goal['target']:<12}not measured")
            continue
        met = "met" if goal["met"] else "NOT met"
        lines.append(f"  {goal['goal']:<40}{goal['value']:>10.2f}  {goal['target']:<12}{met}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, Any]:
    try:
        import orjson  # noqa: F401
    except ImportError:
        raise SystemExit(ORJSON_HINT) from None
    made_temp = args.out is None
    workdir = Path(tempfile.mkdtemp(prefix="evigrade-bench-")) if made_temp else Path(args.out)
    workdir.mkdir(parents=True, exist_ok=True)
    corpus_path = workdir / f"corpus-{args.claims}-seed{args.seed}.jsonl"
    created: list[Path] = [corpus_path]
    try:
        _log(f"generating {args.claims} claims into {corpus_path} ...")
        start = time.perf_counter()
        corpus = write_corpus(corpus_path, args.claims, args.seed)
        corpus["generate_seconds"] = round(time.perf_counter() - start, 3)
        _log(f"  {corpus['bytes']:,} bytes, {corpus['avg_line_bytes']} bytes per line on average")
        checked = validate_sample(corpus_path, args.claims, args.seed, args.validate_sample)
        _log(f"  {checked} sampled lines valid (evigrade.validate_data)")
        evigrade = evigrade_command()
        cli = probe_cli(evigrade, workdir, corpus_path)
        if args.api:
            note = (
                "the Python API (--api): json.loads, from_data, grade_file, report_to_data in a "
                "fresh subprocess, --jobs 2 with a multiprocessing pool; the CLI "
                + ("accepts" if cli["jsonl"] else "does not accept")
                + " JSON Lines"
            )
        elif cli["jsonl"] and cli["jobs"]:
            note = (
                "the CLI: `evigrade grade FILE.jsonl --format jsonl [--scheme all | --brief] "
                "--jobs N`"
            )
        elif cli["jsonl"]:
            note = (
                "the CLI for --jobs 1; `--jobs` is not supported "
                f"({cli['jobs_why']}), so --jobs 2 is measured through the Python API"
            )
        else:
            note = (
                "NOT the CLI: `evigrade grade` does not accept JSON Lines with --format jsonl "
                f"yet ({cli['jsonl_why']}); the same work is measured through the Python API "
                "(json.loads, from_data, grade_file, report_to_data) in a fresh subprocess, "
                "--jobs 2 with a multiprocessing pool"
            )
        _log(f"grading through {note}")
        _log("measuring the parse floor ...")
        floor = bench_floor(corpus_path, args.claims, args.repeats)
        runs = {}
        for jobs in args.jobs:
            # Every variant at --jobs 1; GRADE alone at any other number of jobs.
            for variant in VARIANTS if jobs == 1 else ("grade",):
                if variant == "brief" and not cli["brief"] and not args.api:
                    _log(f"  --brief is not supported ({cli['brief_why']}): not measured")
                    continue
                _log(f"measuring grade --jobs {jobs} {' '.join(VARIANTS[variant])} ...")
                runs[f"{variant}_jobs{jobs}"] = bench_grade(
                    evigrade,
                    corpus_path,
                    workdir,
                    jobs,
                    cli,
                    args.claims,
                    args.repeats,
                    not args.api,
                    variant=variant,
                )
                created.append(workdir / f"grade-{variant}-jobs{jobs}.jsonl")
        small = workdir / "small.json"
        created.append(small)
        with corpus_path.open(encoding="utf-8") as lines:
            small.write_text(json.dumps(json.loads(lines.readline()), indent=2) + "\n")
        _log("measuring the start-up of `evigrade validate` ...")
        startup = bench_startup(evigrade, small, args.startup_repeats)
        report: dict[str, Any] = {
            "benchmark": "evigrade corpus",
            "machine": machine(),
            "corpus": corpus,
            "validated_sample": checked,
            "evigrade_command": evigrade,
            "evigrade_source": source_state(),
            "grading_setup": grading_setup(),
            "cli_jsonl_supported": cli["jsonl"],
            "cli_jobs_supported": cli["jobs"],
            "cli_probe": cli,
            "grading_note": note,
            "repeats": args.repeats,
            "rss_method": {
                "peak_rss_mb": (
                    "Maximum resident set size (%M) of /usr/bin/time around the command"
                    if rss_method() == "/usr/bin/time"
                    else "resource.getrusage(RUSAGE_CHILDREN).ru_maxrss in a small Python "
                    "launcher after the command"
                )
                + ": the largest single process of the run",
                "peak_tree_rss_mb": "sum of VmRSS over the process tree, sampled every 50 ms",
            },
            "floor": floor,
            "runs": runs,
            "startup": startup,
        }
        report["ratios"] = {
            f"{key}_to_floor": run["seconds"] / floor["seconds"] for key, run in runs.items()
        }
        if "grade_jobs1" in runs and "grade_jobs2" in runs:
            report["ratios"]["speedup_jobs2"] = (
                runs["grade_jobs1"]["seconds"] / runs["grade_jobs2"]["seconds"]
            )
        if "all_jobs1" in runs and "grade_jobs1" in runs:
            report["ratios"]["all_to_grade_jobs1"] = (
                runs["all_jobs1"]["seconds"] / runs["grade_jobs1"]["seconds"]
            )
        report["ratios"]["startup_to_python"] = startup["ratio"]
        report["goals"] = goals(report)
        report["goals_claims"] = GOAL_CLAIMS
        report["goals_rss_claims"] = GOAL_RSS_CLAIMS
        return report
    finally:
        if not args.keep:
            for path in created:
                path.unlink(missing_ok=True)
            if made_temp:
                shutil.rmtree(workdir, ignore_errors=True)
        else:
            _log(f"kept the corpus and outputs in {workdir}")


def _jobs_list(text: str) -> tuple[int, ...]:
    values = tuple(dict.fromkeys(int(part) for part in text.split(",") if part.strip()))
    if not values or any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"expected job counts >= 1 such as 1,2; found {text!r}")
    return values


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_launch"]:
        return child_launch(argv[1], argv[2:])
    if argv[:1] == ["_api"]:
        child_api(argv[1], int(argv[2]), argv[3], *argv[4:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=10_000, help="lines (claims) in the corpus")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus (default 0)")
    parser.add_argument("--out", default=None, help="directory for the corpus (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the outputs")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement")
    parser.add_argument(
        "--jobs",
        type=_jobs_list,
        default=(1, 2),
        help="the grade runs to measure, e.g. 2 or 1,2 (default 1,2; the goals need both)",
    )
    parser.add_argument("--startup-repeats", type=int, default=10, help="runs of the start-up")
    parser.add_argument("--validate-sample", type=int, default=200, help="lines to validate")
    parser.add_argument(
        "--api",
        action="store_true",
        help="grade through the Python API even if the CLI accepts JSON Lines",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the figures as JSON on stdout (table: stderr)"
    )
    args = parser.parse_args(argv)
    if args.claims < 2 or args.repeats < 1 or args.startup_repeats < 1:
        parser.error("--claims must be at least 2, the repeats at least 1")
    report = run(args)
    if args.json:
        print(table(report), file=sys.stderr)
        print(json.dumps(report, indent=2))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
