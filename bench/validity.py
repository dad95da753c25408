"""Validity benchmark: how often evigrade's GRADE agrees with published GRADE ratings.

Grades every evidence file of a directory with evigrade's GRADE scheme, through the public API
only (``evigrade.load``, ``evigrade.grade_file`` and the rationale steps of each
``evigrade.Grade``), and compares each claim's certainty with the rating an expert panel
published for it, from a file of published ratings (the shape of
``../shared/data/validity-dev/expected.json``, described in bench/README.md). It prints:

- N, exact agreement and agreement within one level;
- Cohen's kappa over the four GRADE levels: unweighted, linear and quadratic weights;
- the mean signed difference (evigrade minus panel, in levels) and how often evigrade said High
  where the panel said Very low;
- the confusion matrix (rows: the panel; columns: evigrade);
- per GRADE domain, whether both rated it down, only evigrade, only the panel, or neither,
  with the agreement and its kappa.

Usage::

    python bench/validity.py [--variant DIR]... [--expected FILE] [--unassessed-risk P] [--json]

Without ``--variant``, the three variants of ``../shared/data/validity-dev/`` are measured
(automatic, reviewer-assisted, all-judgments). Exit status 0 after a report, 1 for invalid
input (an evidence file or the ratings file), 2 for input that cannot be read.

The development files were written before the format had ``included_studies`` and put the
number of pooled studies in an ``x-studies`` extension; :func:`adapt_x_studies` reads it as
``included_studies`` where a review does not give one (``--no-x-studies`` turns that off). The
adapter lives here, for that data set only: evigrade itself gives ``x-`` keys no meaning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEV_DATA = ROOT.parent / "shared" / "data" / "validity-dev"
DEV_VARIANTS = ("automatic", "reviewer-assisted", "all-judgments")

#: GRADE levels by rank (evigrade's Grade.rank and the ratings file's published_rank).
LEVELS = {4: "High", 3: "Moderate", 2: "Low", 1: "Very low"}
RANKS = (4, 3, 2, 1)
#: The domains that rate down, in the ratings file's words (and evigrade's domain names).
DOWN_DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
#: Kappa weights: 0 unweighted (identity), 1 linear, 2 quadratic.
WEIGHTS = {"unweighted": 0, "linear": 1, "quadratic": 2}


class InputError(Exception):
    """Bad input: ``status`` 1 for invalid, 2 for unreadable."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------------------------
# Statistics (exact: fractions throughout, floats only in the report)
# --------------------------------------------------------------------------------------------


def weighted_kappa(
    pairs: Sequence[tuple[Any, Any]], categories: Sequence[Any], power: int = 0
) -> float | None:
    """Cohen's kappa of two raters' ``pairs`` over ordered ``categories``.

    Agreement weights are ``1 - (|i - j| / (k - 1)) ** power``: ``power`` 0 is Cohen's
    unweighted kappa (1960), 1 linear and 2 quadratic weights (Cohen 1968; Fleiss & Cohen 1973).
    Kappa is (observed - chance) / (1 - chance) weighted agreement, chance from the two raters'
    margins. ``None`` when chance agreement is already perfect (kappa is undefined) or there
    are no pairs.
    """
    k = len(categories)
    if k < 2:
        raise ValueError("kappa needs at least two categories")
    index = {category: i for i, category in enumerate(categories)}
    unknown = {value for pair in pairs for value in pair if value not in index}
    if unknown:
        raise ValueError(f"ratings outside the categories: {sorted(map(str, unknown))}")
    if not pairs:
        return None

    def weight(i: int, j: int) -> Fraction:
        if power == 0:
            return Fraction(int(i == j))
        return 1 - Fraction(abs(i - j), k - 1) ** power

    n = len(pairs)
    observed = sum((weight(index[a], index[b]) for a, b in pairs), Fraction(0)) / n
    rows = Counter(index[a] for a, _ in pairs)
    columns = Counter(index[b] for _, b in pairs)
    chance = sum(
        (weight(i, j) * rows[i] * columns[j] for i in rows for j in columns), Fraction(0)
    ) / (n * n)
    if chance == 1:
        return None
    return float((observed - chance) / (1 - chance))


def level_agreement(pairs: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """Agreement of (evigrade rank, panel rank) pairs over the four GRADE levels."""
    n = len(pairs)
    exact = sum(1 for a, b in pairs if a == b)
    within = sum(1 for a, b in pairs if abs(a - b) <= 1)
    differences = [a - b for a, b in pairs]
    confusion = {
        LEVELS[panel]: {LEVELS[ours]: 0 for ours in RANKS} for panel in RANKS
    }  # rows: the panel, columns: evigrade
    for ours, panel in pairs:
        confusion[LEVELS[panel]][LEVELS[ours]] += 1
    return {
        "n": n,
        "exact": exact,
        "exact_agreement": exact / n if n else None,
        "within_one": within,
        "within_one_agreement": within / n if n else None,
        "kappa": {
            name: weighted_kappa(pairs, RANKS[::-1], power) for name, power in WEIGHTS.items()
        },
        "mean_signed_difference": float(Fraction(sum(differences), n)) if n else None,
        "higher": sum(1 for d in differences if d > 0),
        "lower": sum(1 for d in differences if d < 0),
        "high_where_panel_very_low": sum(1 for a, b in pairs if a == 4 and b == 1),
        "confusion": confusion,
    }


def domain_agreement(pairs: Sequence[tuple[bool, bool]]) -> dict[str, Any]:
    """Agreement on rating one domain down: (evigrade, panel) pairs of "rated down"."""
    counts = Counter(pairs)
    n = len(pairs)
    both, neither = counts[(True, True)], counts[(False, False)]
    return {
        "n": n,
        "both": both,
        "only_evigrade": counts[(True, False)],
        "only_panel": counts[(False, True)],
        "neither": neither,
        "agreement": (both + neither) / n if n else None,
        "kappa": weighted_kappa(pairs, (False, True)),
    }


# --------------------------------------------------------------------------------------------
# Published ratings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """A panel's rating of one outcome: its rank (4 High .. 1 Very low) and the domains it
    rated down (``None`` where the ratings file does not say)."""

    rank: int
    downgraded: dict[str, bool] | None
    #: The level that the panel's start and per-domain levels (``start``, ``levels_from_text``)
    #: give by GRADE's arithmetic, where the file has both: checks evigrade's arithmetic when
    #: the same levels are supplied as judgments.
    arithmetic: int | None = None


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def read_expected(path: Path) -> dict[str, Published]:
    """The published ratings, keyed ``[source/]FILE#CLAIM``; clear errors for bad input."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read file: {error}", 2) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: #: expected an object of outcome key to rating")
    result: dict[str, Published] = {}
    problems: list[str] = []
    for key, entry in data.items():
        where = _pointer(key)
        if "#" not in key:
            problems.append(f"{path}: {where}: expected a key FILE#CLAIM, found {key!r}")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{path}: {where}: expected an object, found {type(entry).__name__}")
            continue
        rank = entry.get("published_rank")
        if rank is None and entry.get("published") in LEVELS.values():
            rank = next(r for r, label in LEVELS.items() if label == entry["published"])
        if isinstance(rank, bool) or rank not in LEVELS:
            problems.append(
                f"{path}: {where}/published_rank: expected 4 (High) to 1 (Very low), found {rank!r}"
            )
            continue
        downgraded = entry.get("downgraded")
        if downgraded is not None and not (
            isinstance(downgraded, dict) and all(isinstance(v, bool) for v in downgraded.values())
        ):
            problems.append(
                f"{path}: {where}/downgraded: expected an object of domain to true/false"
            )
            continue
        result[key] = Published(rank, downgraded, _arithmetic(entry))
    if problems:
        raise InputError("\n".join(problems))
    return result


def _arithmetic(entry: dict[str, Any]) -> int | None:
    """Start minus the levels of each domain, kept within High..Very low (GRADE's sum)."""
    start = next((r for r, label in LEVELS.items() if label == entry.get("start")), None)
    levels = entry.get("levels_from_text")
    if start is None or not isinstance(levels, dict):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in levels.values()):
        return None
    return max(1, min(4, start - sum(levels.values())))


def _match(expected: dict[str, Published]) -> dict[str, str]:
    """Expected keys by their last path component (``FILE#CLAIM``), which must be unique."""
    tails: dict[str, str] = {}
    for key in expected:
        tail = key.rsplit("/", 1)[-1]
        if tail in tails:
            raise InputError(
                f"two published ratings for {tail!r}: {tails[tail]!r} and {key!r}; "
                "expected one per evidence file and claim"
            )
        tails[tail] = key
    return tails


# --------------------------------------------------------------------------------------------
# Grading
# --------------------------------------------------------------------------------------------


@dataclass
class Graded:
    """evigrade's GRADE for one claim: rank (0 no evidence .. 4 High) and the domains that
    rated it down, read from the grade's rationale steps."""

    rank: int
    label: str
    rated_down: dict[str, bool]
    steps: list[str] = field(default_factory=list)


#: The extension key in which the development files give a review's number of pooled studies.
X_STUDIES = "x-studies"
_REVIEWS = ("meta-analysis", "systematic-review")


def adapt_x_studies(evidence: Any) -> tuple[Any, int]:
    """The evidence file with each review's ``x-studies`` read as its ``included_studies``
    (where it has none), and how many studies were adapted."""
    import attrs

    adapted = 0
    studies = []
    for study in evidence.studies:
        value = study.extensions.get(X_STUDIES)
        if (
            study.design in _REVIEWS
            and study.included_studies is None
            and isinstance(value, int)
            and not isinstance(value, bool)
            and value >= 1
        ):
            study = attrs.evolve(study, included_studies=value)
            adapted += 1
        studies.append(study)
    return attrs.evolve(evidence, studies=tuple(studies)), adapted


def grade_directory(
    directory: Path, registry: Any, x_studies: bool = True, unassessed_risk: str = "unclear"
) -> tuple[dict[str, Graded], list[str], int]:
    """Grade every ``*.json`` evidence file under ``directory``: results keyed
    ``RELATIVE/PATH.json#CLAIM``, the failures the grading reported, and how many reviews
    had their ``x-studies`` read (:func:`adapt_x_studies`)."""
    import evigrade

    if not directory.is_dir():
        raise InputError(f"{directory}: cannot read directory: not a directory", 2)
    files = sorted(directory.rglob("*.json"))
    if not files:
        raise InputError(f"{directory}: no evidence files (*.json) found", 2)
    results: dict[str, Graded] = {}
    failures: list[str] = []
    adapted = 0
    for path in files:
        try:
            evidence = evigrade.load(path, registry=registry)
        except evigrade.EvidenceError as error:
            raise InputError(str(error), 2 if error.unreadable else 1) from None
        if x_studies:
            evidence, count = adapt_x_studies(evidence)
            adapted += count
        report = evigrade.grade_file(
            evidence, ["grade"], registry=registry, unassessed_risk=unassessed_risk
        )
        failures.extend(str(failure) for failure in report.failures)
        name = path.relative_to(directory).as_posix()
        for result in report.results:
            grade = result.grades.get("grade")
            if grade is None:
                continue
            downs = {step.domain for step in grade.rationale if step.kind == "down"}
            results[f"{name}#{result.claim.id}"] = Graded(
                grade.rank,
                grade.label,
                {domain: domain in downs for domain in DOWN_DOMAINS},
                [
                    f"{step.kind} {step.domain or ''} {step.change:+d}: {step.reason}"
                    for step in grade.rationale
                    if step.kind in ("start", "down", "up")
                ],
            )
    return results, failures, adapted


def measure(
    directory: Path,
    expected: dict[str, Published],
    registry: Any,
    name: str | None = None,
    x_studies: bool = True,
    unassessed_risk: str = "unclear",
) -> dict[str, Any]:
    """Grade a directory and compare it with the published ratings."""
    graded, failures, adapted = grade_directory(directory, registry, x_studies, unassessed_risk)
    tails = _match(expected)
    pairs: list[tuple[int, int]] = []
    outcomes: list[dict[str, Any]] = []
    domains: dict[str, list[tuple[bool, bool]]] = {d: [] for d in DOWN_DOMAINS}
    arithmetic: list[bool] = []
    not_graded: list[str] = []
    unmatched: list[str] = []
    matched: set[str] = set()
    for key, ours in sorted(graded.items()):
        published_key = key if key in expected else tails.get(key.rsplit("/", 1)[-1])
        if published_key is None:
            unmatched.append(key)
            continue
        matched.add(published_key)
        panel = expected[published_key]
        if ours.rank not in LEVELS:
            not_graded.append(key)
            continue
        pairs.append((ours.rank, panel.rank))
        if panel.arithmetic is not None:
            arithmetic.append(ours.rank == panel.arithmetic)
        for domain in DOWN_DOMAINS:
            if panel.downgraded is not None and domain in panel.downgraded:
                domains[domain].append((ours.rated_down[domain], panel.downgraded[domain]))
        outcomes.append(
            {
                "key": published_key,
                "evigrade": ours.label,
                "published": LEVELS[panel.rank],
                "difference": ours.rank - panel.rank,
                "evigrade_rated_down": [d for d in DOWN_DOMAINS if ours.rated_down[d]],
                "panel_rated_down": [
                    d for d in DOWN_DOMAINS if panel.downgraded and panel.downgraded.get(d)
                ],
                "steps": ours.steps,
            }
        )
    return {
        "variant": name or directory.name,
        "directory": str(directory),
        "claims_graded": len(graded),
        "x_studies_read": adapted,
        "published_ratings": len(expected),
        "not_graded": not_graded,
        "unmatched_claims": unmatched,
        "unrated_outcomes": sorted(set(expected) - matched),
        "failures": sorted(set(failures)),
        **level_agreement(pairs),
        "domains": {domain: domain_agreement(domains[domain]) for domain in DOWN_DOMAINS},
        "arithmetic": {"n": len(arithmetic), "equal": sum(arithmetic)} if arithmetic else None,
        "outcomes": outcomes,
    }


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def _run(command: Sequence[str]) -> str | None:
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def environment() -> dict[str, Any]:
    """The machine, the interpreter and the commit measured."""
    import evigrade

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = _run(["git", "rev-parse", "HEAD"])
    status = _run(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "evigrade": evigrade.__version__,
        "commit": commit,
        "uncommitted_changes": bool(status) if status is not None else None,
    }


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "undefined"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def render(report: dict[str, Any]) -> str:
    """The report as a readable text table."""
    env = report["environment"]
    lines = [
        f"evigrade {env['evigrade']} at {env['commit'] or 'unknown commit'}"
        + (" (with uncommitted changes)" if env["uncommitted_changes"] else ""),
        f"{env['cpu_model']}, {env['cores']} cores, {env['system']}, {env['python']}",
        f"published ratings: {report['expected']} (SHA-256 {report['expected_sha256'][:12]}…)",
        f"risk of bias not recorded counts as: {report.get('unassessed_risk', 'unclear')}",
    ]
    for variant in report["variants"]:
        n = variant["n"]
        lines += [
            "",
            f"== {variant['variant']} ({variant['directory']})",
            f"N                          {n} (of {variant['claims_graded']} claims graded, "
            f"{variant['published_ratings']} published ratings)",
        ]
        if variant["x_studies_read"]:
            lines.append(
                f"x-studies read             {variant['x_studies_read']} reviews' "
                f"{X_STUDIES} read as included_studies"
            )
        for label, items in (
            ("not graded (No evidence)", variant["not_graded"]),
            ("claims without a rating", variant["unmatched_claims"]),
            ("ratings without a claim", variant["unrated_outcomes"]),
            ("grading failures", variant["failures"]),
        ):
            if items:
                shown = ", ".join(items[:5]) + (" ..." if len(items) > 5 else "")
                lines.append(f"{label:<27}{len(items)}: {shown}")
        kappa = variant["kappa"]
        lines += [
            f"exact agreement            {_share(variant['exact_agreement'])} "
            f"({variant['exact']}/{n})",
            f"within one level           {_share(variant['within_one_agreement'])} "
            f"({variant['within_one']}/{n})",
            f"kappa, unweighted          {_number(kappa['unweighted'])}",
            f"kappa, linear weights      {_number(kappa['linear'])}",
            f"kappa, quadratic weights   {_number(kappa['quadratic'])}",
            f"mean signed difference     {_number(variant['mean_signed_difference'], True)} "
            f"levels (evigrade - panel; {variant['higher']} higher, {variant['lower']} lower)",
            f"High where panel Very low  {variant['high_where_panel_very_low']}",
        ]
        if variant["arithmetic"]:
            check = variant["arithmetic"]
            lines.append(
                f"start - panel's levels     {check['equal']}/{check['n']} equal to evigrade "
                "(GRADE's arithmetic on the levels parsed from the footnotes)"
            )
        lines += [
            "",
            "confusion (rows: panel, columns: evigrade)",
            f"{'':<10}" + "".join(f"{LEVELS[r]:>10}" for r in RANKS) + f"{'total':>10}",
        ]
        for panel, row in variant["confusion"].items():
            cells = "".join(f"{row[LEVELS[r]]:>10}" for r in RANKS)
            lines.append(f"{panel:<10}{cells}{sum(row.values()):>10}")
        totals = "".join(
            f"{sum(row[LEVELS[r]] for row in variant['confusion'].values()):>10}" for r in RANKS
        )
        lines += [
            f"{'total':<10}{totals}{n:>10}",
            "",
            "rated down (evigrade / panel)",
            f"{'domain':<18}{'both':>6}{'only ev.':>10}{'only panel':>12}{'neither':>9}"
            f"{'agreement':>11}{'kappa':>8}",
        ]
        for domain, row in variant["domains"].items():
            lines.append(
                f"{domain:<18}{row['both']:>6}{row['only_evigrade']:>10}{row['only_panel']:>12}"
                f"{row['neither']:>9}{_share(row['agreement']):>11}{_number(row['kappa']):>8}"
            )
    return "\n".join(lines) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare evigrade's GRADE with published GRADE ratings."
    )
    parser.add_argument(
        "--variant",
        action="append",
        type=Path,
        metavar="DIR",
        help="a directory of evidence files to grade (repeatable); default: the three "
        f"variants of {DEV_DATA}",
    )
    parser.add_argument(
        "--expected",
        type=Path,
        metavar="FILE",
        help="the published ratings (default: expected.json beside the first variant)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--no-x-studies",
        action="store_true",
        help=f"do not read a review's {X_STUDIES} extension as its included_studies",
    )
    parser.add_argument(
        "--unassessed-risk",
        choices=("unclear", "not-rated"),
        default="unclear",
        help="how a study whose risk of bias the file does not record counts (default: unclear)",
    )
    parser.add_argument(
        "--plugins",
        action="store_true",
        help="let installed plugins register assessors too (default: evigrade's own only)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    import evigrade

    variants: list[Path] = args.variant or [DEV_DATA / name for name in DEV_VARIANTS]
    expected_path: Path = args.expected or variants[0].parent / "expected.json"
    try:
        expected = read_expected(expected_path)
        registry = evigrade.plugin.build_registry(disable=() if args.plugins else ("*",))
        measured = [
            measure(
                directory,
                expected,
                registry,
                x_studies=not args.no_x_studies,
                unassessed_risk=args.unassessed_risk,
            )
            for directory in variants
        ]
    except InputError as error:
        print(f"validity: {error}", file=sys.stderr)
        return error.status
    report = {
        "environment": environment(),
        "unassessed_risk": args.unassessed_risk,
        "expected": str(expected_path),
        "expected_sha256": hashlib.sha256(expected_path.read_bytes()).hexdigest(),
        "variants": measured,
    }
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
