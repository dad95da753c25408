"""Measure the claim checker on labelled data it was not written from.

1. Wording strength: each ``strength-*.csv`` of the data folder (``sentence,strength`` with
   strength 0-3) is scored with ``evigrade.claim_strength``; the report gives macro-F1, the F1 of
   each class, the confusion matrix (rows: the label, columns: the score) and the ordinal mean
   absolute error.
2. Exaggeration: for each press-release / abstract pair of ``exaggeration-pairs.jsonl`` the
   check says ``exaggerates`` when the press release's scored strength exceeds the abstract's,
   ``downplays`` when it is lower, ``same`` otherwise; macro-F1 against the labels.
3. The seed articles (``--seeds``): ``evigrade.check_article`` on each ``seeds/*.txt`` against
   the hand-made ``examples/*.json``: the share of example claims recovered (matched by quote)
   and of example studies drafted with the same design (and ``n`` where the example has one).

Usage::

    python bench/claims.py [--data ../shared/data/claims-dev] [--seeds ../shared/seeds]
                           [--scorer NAME] [--json]

The data is read, never copied: nothing of it is written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELS = ("none", "correlational", "conditional-causal", "direct-causal")
PAIR_LABELS = ("exaggerates", "same", "downplays")


def f1_report(gold: Sequence[int], predicted: Sequence[int], classes: int) -> dict[str, Any]:
    """Macro-F1, per-class precision/recall/F1, the confusion matrix and the ordinal MAE."""
    matrix = [[0] * classes for _ in range(classes)]
    for truth, guess in zip(gold, predicted, strict=True):
        matrix[truth][guess] += 1
    per_class = []
    for label in range(classes):
        tp = matrix[label][label]
        fp = sum(matrix[other][label] for other in range(classes)) - tp
        fn = sum(matrix[label]) - tp
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append({"precision": precision, "recall": recall, "f1": f1, "support": tp + fn})
    total = len(gold)
    return {
        "n": total,
        "macro_f1": sum(row["f1"] for row in per_class) / classes,
        "accuracy": sum(matrix[i][i] for i in range(classes)) / total if total else 0.0,
        "mae": sum(abs(t - g) for t, g in zip(gold, predicted, strict=True)) / total
        if total
        else 0.0,
        "per_class": per_class,
        "confusion": matrix,
    }


def strength_files(data: Path, score: Callable[[str], int]) -> dict[str, Any]:
    results = {}
    for path in sorted(data.glob("strength-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        gold = [int(row["strength"]) for row in rows]
        predicted = [score(row["sentence"]) for row in rows]
        results[path.name] = f1_report(gold, predicted, 4)
    return results


def exaggeration(data: Path, score: Callable[[str], int]) -> dict[str, Any] | None:
    path = data / "exaggeration-pairs.jsonl"
    if not path.is_file():
        return None
    gold, predicted = [], []
    strengths_gold, strengths_predicted = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            pair = json.loads(line)
            press = score(pair["press_release_conclusion"])
            abstract = score(pair["abstract_conclusion"])
            verdict = (
                "exaggerates" if press > abstract else "downplays" if press < abstract else "same"
            )
            gold.append(PAIR_LABELS.index(pair["exaggeration_label"]))
            predicted.append(PAIR_LABELS.index(verdict))
            strengths_gold += [int(pair["press_release_strength"]), int(pair["abstract_strength"])]
            strengths_predicted += [press, abstract]
    report = f1_report(gold, predicted, 3)
    report["sentence_strength"] = f1_report(strengths_gold, strengths_predicted, 4)
    return report


def _norm(text: str) -> str:
    text = re.sub(r"\[[\s\d,–-]*\]|\(\s*\d+(?:\s*[,–-]\s*\d+)*\s*\)", " ", text)
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'")).strip()


_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "with",
        "and",
        "or",
        "to",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "it",
        "its",
        "may",
        "can",
        "could",
        "has",
        "have",
        "had",
        "who",
        "people",
        "patients",
        "ms",
    ]
)


def _content(text: str) -> set[str]:
    return {w[:5] for w in _norm(text).split() if w not in _STOP and len(w) > 2}


def claim_recovered(
    example: dict[str, Any], quotes: Sequence[str], passages: Sequence[str] = ()
) -> str | None:
    """The drafted claim quote that recovers an example claim: one that contains a quote the
    example gives for it (or is contained in one), else one holding at least 60% of the content
    words of the example's claim text; ``passages`` (the quotes of two drafted claims of
    neighbouring sentences, joined) count too, as a hand-made claim often joins two sentences."""
    given = [link["quote"] for link in example.get("evidence", []) if link.get("quote")]
    if example.get("quote"):
        given.append(example["quote"])
    for quote in quotes:
        drafted = _norm(quote)
        for wanted in given:
            wanted_norm = _norm(wanted)
            if wanted_norm and (
                wanted_norm in drafted or (len(drafted) > 30 and drafted in wanted_norm)
            ):
                return quote
    words = _content(example["text"])
    best = max([*quotes, *passages], key=lambda q: len(words & _content(q)), default=None)
    if best is not None and words and len(words & _content(best)) / len(words) >= 0.6:
        return best
    return None


def _study_for(example: dict[str, Any], drafted: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    number = example.get("x-reference")
    candidates = []
    for study in drafted:
        check = study.get("x-check", {})
        if example.get("doi") and study.get("doi") == example["doi"]:
            return study
        if number is not None and check.get("reference") == str(number):
            candidates.append(study)
    if candidates:
        same = [s for s in candidates if s["design"] == example["design"]]
        return (same or candidates)[0]
    if example.get("title"):
        words = _content(example["title"])
        for study in drafted:
            theirs = _content(study.get("title", ""))
            if theirs and len(words & theirs) >= 0.7 * len(words | theirs):
                return study
    for study in drafted:  # described in the text only: same design and year
        if (
            study.get("x-check", {}).get("reference") is None
            and study["design"] == example["design"]
            and example.get("year") in (None, study.get("year"))
        ):
            return study
    return None


def compare_with_example(checked: Any, expected: dict[str, Any]) -> dict[str, Any]:
    """How much of a hand-made evidence file a check of the same article recovers."""
    quotes = [claim.claim.quote for claim in checked.claims]
    found = [claim.claim for claim in checked.claims]
    passages = [
        f"{a.quote} {b.quote}"
        for a, b in itertools.pairwise(found)
        if 0 < b.sentence - a.sentence <= 2
    ]
    missed_claims = [
        c["id"] for c in expected["claims"] if claim_recovered(c, quotes, passages) is None
    ]
    drafted = checked.draft["studies"]
    designs_same, n_stated, n_same, missed_studies = 0, 0, 0, []
    for study in expected["studies"]:
        found = _study_for(study, drafted)
        if found is not None and found["design"] == study["design"]:
            designs_same += 1
        else:
            missed_studies.append(
                f"{study['id']} ({study['design']}): drafted "
                + (f"{found['id']} ({found['design']})" if found else "nothing")
            )
        if study.get("n") is not None and study["design"] != "case-report":
            n_stated += 1
            if found is not None and found.get("n") == study["n"]:
                n_same += 1
            else:
                missed_studies.append(
                    f"{study['id']}: n {study['n']}, drafted {found and found.get('n')}"
                )
    claims = len(expected["claims"])
    studies = len(expected["studies"])
    return {
        "claims": claims,
        "claims_recovered": claims - len(missed_claims),
        "claims_share": (claims - len(missed_claims)) / claims if claims else 1.0,
        "studies": studies,
        "designs_same": designs_same,
        "designs_share": designs_same / studies if studies else 1.0,
        "n_stated": n_stated,
        "n_same": n_same,
        "missed_claims": missed_claims,
        "missed_studies": missed_studies,
        "drafted_claims": len(quotes),
    }


def seeds(seed_dir: Path) -> dict[str, Any]:
    import evigrade

    results = {}
    for example in sorted((ROOT / "examples").glob("*.json")):
        article = seed_dir / (example.stem + ".txt")
        if not article.is_file():
            continue
        checked = evigrade.check_article(article.read_text(encoding="utf-8"), name=article.name)
        expected = json.loads(example.read_text(encoding="utf-8"))
        results[example.stem] = compare_with_example(checked, expected)
    return results


def _print_strength(name: str, report: dict[str, Any], labels: Sequence[str]) -> None:
    print(
        f"\n{name}: n {report['n']}, macro-F1 {report['macro_f1']:.3f}, "
        f"accuracy {report['accuracy']:.3f}, ordinal MAE {report['mae']:.3f}"
    )
    print("  class                 precision  recall  F1     support")
    for label, row in zip(labels, report["per_class"], strict=True):
        print(
            f"  {label:<20}  {row['precision']:.3f}      {row['recall']:.3f}   "
            f"{row['f1']:.3f}  {row['support']}"
        )
    print(
        "  confusion (rows: label, columns: scored) "
        + " ".join(f"{i:>5}" for i in range(len(labels)))
    )
    for index, row in enumerate(report["confusion"]):
        print(f"  {index:>41} " + " ".join(f"{cell:>5}" for cell in row))


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() or "?"
    except OSError:
        return "?"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "claims-dev")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--scorer", default=None, help="a registered scorer (default: rules)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import evigrade

    def score(sentence: str) -> int:
        level: int = evigrade.claim_strength(sentence, scorer=args.scorer).level
        return level

    report: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "commit": _commit(),
    }
    if args.data.is_dir():
        report["strength"] = strength_files(args.data, score)
        report["exaggeration"] = exaggeration(args.data, score)
    else:
        print(
            f"no data folder at {args.data}: strength and exaggeration not measured",
            file=sys.stderr,
        )
    if args.seeds.is_dir():
        report["seeds"] = seeds(args.seeds)
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    print(f"evigrade {evigrade.__version__} at {report['commit']}, Python {report['python']}")
    for name, figures in report.get("strength", {}).items():
        _print_strength(name, figures, LABELS)
    if report.get("exaggeration"):
        _print_strength(
            "exaggeration-pairs.jsonl (press release vs abstract)",
            report["exaggeration"],
            PAIR_LABELS,
        )
        _print_strength(
            "  the pairs' sentences, scored one by one",
            report["exaggeration"]["sentence_strength"],
            LABELS,
        )
    for name, figures in report.get("seeds", {}).items():
        print(
            f"\nseed {name}: claims recovered {figures['claims_recovered']}/{figures['claims']}"
            f" ({figures['claims_share']:.0%}), studies with the same design "
            f"{figures['designs_same']}/{figures['studies']} ({figures['designs_share']:.0%}), "
            f"n where stated {figures['n_same']}/{figures['n_stated']}"
        )
        for missing in figures["missed_claims"]:
            print(f"  claim not recovered: {missing}")
        for missing in figures["missed_studies"]:
            print(f"  study not matched: {missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
