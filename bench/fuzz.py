"""The fuzzing campaign: mutated evidence files, JSON Lines corpora, PubMed XML,
ClinicalTrials.gov JSON and FHIR bundles, fed to validate, grade, import and export, in-process
and through the command line.

Hypothesis draws each input: a seed document and up to four mutations (byte flips, truncation,
type swaps, huge values, deep nesting, invalid UTF-8, duplicate keys, ...), and shrinks any
input that breaks a property to a small one. The properties, for every input:

- no exception escapes (only :class:`~evigrade.problems.EvidenceError` where documented);
- every problem has a JSON Pointer or a line and column (an unreadable file: its name);
- no message is a Python traceback, and none gives Python's advice about integer digits;
- through the command line: exit status 0, 1 or 2, no "internal error", and nothing written
  to ``-o`` when the status is not 0;
- each input takes at most ``--slow`` seconds and grows the peak memory by at most
  ``--memory`` MiB (else it is a finding, logged like a crash).

Run it::

    python bench/fuzz.py --inputs 20000 --seed 1             # a slice of 20,000 inputs
    python bench/fuzz.py --inputs 200000 --seed 7 --log      # and add it to bench/fuzz-runs.jsonl
    python bench/fuzz.py --replay                            # the saved crashes, once each

Inputs that broke a property are saved, shrunk, in ``bench/fuzz-corpus/crashes/`` (one file per
input: its target in the name), where ``tests/test_fuzz.py`` replays every one of them. The
seeds are made here or read from the repository's examples; ``--shared`` adds the real files of
``../shared/data/external`` as seeds (crashes found from those are kept outside the repository,
in ``bench/fuzz-corpus/crashes-shared/``, which git ignores).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "fuzz-corpus"
CRASHES = CORPUS / "crashes"
SHARED_CRASHES = CORPUS / "crashes-shared"
RUNS = ROOT / "bench" / "fuzz-runs.jsonl"

TARGETS = ("validate", "grade", "jsonl", "pubmed", "ctgov", "fhir", "export", "cli")
EXTENSIONS = {
    "validate": "json",
    "grade": "json",
    "jsonl": "jsonl",
    "pubmed": "xml",
    "ctgov": "json",
    "fhir": "json",
    "export": "json",
}

# -- seeds ------------------------------------------------------------------------------------

MINIMAL = b'{"evigrade": "1", "studies": [], "claims": []}'

PUBMED = """<?xml version="1.0" encoding="UTF-8"?>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">10000001</PMID><Article PubModel="Print"><Journal><JournalIssue>
<PubDate><Year>2019</Year></PubDate></JournalIssue><Title>Journal of Fuzzing</Title>
</Journal><ArticleTitle>A randomized trial of examplol in 240 adults</ArticleTitle>
<Abstract><AbstractText Label="METHODS">A total of 240 patients were randomly assigned to
examplol or placebo.</AbstractText><AbstractText Label="RESULTS">Examplol reduced the
outcome (odds ratio 0.5, 95% CI 0.3 to 0.8).</AbstractText></Abstract><AuthorList>
<Author><LastName>Doe</LastName><Initials>J</Initials></Author></AuthorList>
<PublicationTypeList><PublicationType UI="D016449">Randomized Controlled Trial
</PublicationType></PublicationTypeList></Article></MedlineCitation><PubmedData>
<ArticleIdList><ArticleId IdType="doi">10.1234/fuzz.1</ArticleId></ArticleIdList>
</PubmedData></PubmedArticle>
<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">10000002</PMID><Article PubModel="Print"><Journal><JournalIssue>
<PubDate><Year>2020</Year></PubDate></JournalIssue><Title>Journal of Fuzzing</Title>
</Journal><ArticleTitle>A cohort of 1,200 people taking examplol</ArticleTitle>
<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>
<PublicationType UI="D016454">Review</PublicationType></PublicationTypeList></Article>
</MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"""


def _ctgov_study(nct: str, results: bool) -> dict[str, Any]:
    study: dict[str, Any] = {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": "A trial of examplol"},
            "statusModule": {"overallStatus": "COMPLETED"},
            "designModule": {
                "studyType": "INTERVENTIONAL",
                "phases": ["PHASE3"],
                "designInfo": {
                    "allocation": "RANDOMIZED",
                    "interventionModel": "PARALLEL",
                    "maskingInfo": {"masking": "DOUBLE"},
                },
                "enrollmentInfo": {"count": 120, "type": "ACTUAL"},
            },
            "conditionsModule": {"conditions": ["Fuzzing"]},
            "armsInterventionsModule": {
                "armGroups": [
                    {"label": "Examplol", "type": "EXPERIMENTAL"},
                    {"label": "Placebo", "type": "PLACEBO_COMPARATOR"},
                ]
            },
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "S", "class": "OTHER"}},
        },
        "hasResults": results,
    }
    if results:
        study["resultsSection"] = {
            "outcomeMeasuresModule": {
                "outcomeMeasures": [
                    {
                        "type": "PRIMARY",
                        "title": "Symptom score",
                        "reportingStatus": "POSTED",
                        "groups": [{"id": "OG000"}, {"id": "OG001"}],
                        "denoms": [
                            {
                                "units": "Participants",
                                "counts": [
                                    {"groupId": "OG000", "value": "60"},
                                    {"groupId": "OG001", "value": "60"},
                                ],
                            }
                        ],
                        "analyses": [
                            {
                                "groupIds": ["OG000", "OG001"],
                                "paramType": "Odds Ratio (OR)",
                                "paramValue": "0.5",
                                "ciPctValue": "95",
                                "ciLowerLimit": "0.3",
                                "ciUpperLimit": "0.8",
                                "pValue": "0.01",
                            }
                        ],
                    }
                ]
            }
        }
    return study


def _small_evidence(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One small evidence file per claim of ``data``: the claim and the studies it cites."""
    studies = {study["id"]: study for study in data.get("studies", [])}
    for claim in data.get("claims", [])[:6]:
        cited = [link["study"] for link in claim.get("evidence", []) if "study" in link]
        kept = {sid: studies[sid] for sid in cited if sid in studies}
        for study in list(kept.values()):
            for other in study.get("of", []) or []:
                if other in studies:
                    kept.setdefault(other, studies[other])
        small = {k: v for k, v in data.items() if k not in ("studies", "claims")}
        small["studies"] = list(kept.values())[:8]
        ids = {s["id"] for s in small["studies"]}
        small["claims"] = [
            {**claim, "evidence": [e for e in claim.get("evidence", []) if e.get("study") in ids]}
        ]
        yield small


def make_seeds(shared: bool) -> dict[str, list[bytes]]:
    """The seed documents of each kind of input."""
    import evigrade
    from evigrade.validation import validate_data

    registry = evigrade.get_registry()
    evidence: list[bytes] = [MINIMAL]
    for path in sorted((ROOT / "examples").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for small in _small_evidence(data):
            if not validate_data(small, designs=registry.designs):
                evidence.append(json.dumps(small, indent=2, ensure_ascii=False).encode())
    lines = [json.dumps(json.loads(e), ensure_ascii=False).encode() for e in evidence]
    jsonl = [b"\n".join(lines[i : i + 3]) + b"\n\n" + lines[0] + b"\n" for i in range(0, 9, 3)]
    ctgov = [
        json.dumps(_ctgov_study("NCT00000001", True), indent=2).encode(),
        json.dumps({"studies": [_ctgov_study("NCT00000002", False)]}).encode(),
    ]
    fhir = []
    for seed in evidence[1:4]:
        loaded = evigrade.loads(seed)
        bundle = evigrade.export("fhir", loaded)
        fhir.append(json.dumps(bundle, indent=1).encode())
    pubmed = [PUBMED.encode(), gzip.compress(PUBMED.encode(), mtime=0)]
    seeds = {
        "validate": evidence,
        "grade": evidence,
        "export": evidence,
        "jsonl": jsonl,
        "pubmed": pubmed,
        "ctgov": ctgov,
        "fhir": fhir,
    }
    if shared:
        external = ROOT.parent / "shared" / "data" / "external"
        for kind, pattern in (
            ("pubmed", "pubmed/pubmed-*.xml"),
            ("ctgov", "ctgov/NCT*.json"),
            ("fhir", "fhir_ebm_r*/*.json"),
        ):
            seeds[kind].extend(p.read_bytes() for p in sorted(external.glob(pattern)))
    return seeds


# -- mutations --------------------------------------------------------------------------------

HUGE = [10**400, -(10**30), 2**63, 1e308, -0.0, 5e-324]
ODD_TEXT = ["", "\x1b[31mred\x1b[0m", "\x00", "\u202e", "\ud800", "<b>&amp;", "|*_`#", "\n\r\t"]
OPS = (
    "flip",
    "byte",
    "insert",
    "delete",
    "duplicate",
    "truncate",
    "utf8",
    "bom",
    "utf16",
    "crlf",
    "swap",
    "drop",
    "extra",
    "dupkey",
    "deep",
    "bigint",
    "bignumber",
    "hugestring",
    "oddtext",
    "xmltext",
    "xmlentity",
    "xmldeep",
    "gzip",
)


_DEEP = "\u0000deep\u0000"


def _walk(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk(value, (*path, index))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return data


def _odd_value(rng: random.Random) -> Any:
    choices: list[Any] = [
        None,
        True,
        0,
        -1,
        1.5,
        "",
        [],
        {},
        "x" * rng.randint(1, 300),
        rng.choice(HUGE),
        rng.choice(ODD_TEXT),
        [None],
        {"": None},
    ]
    return rng.choice(choices)


def _json_op(op: str, raw: bytes, rng: random.Random) -> bytes | None:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None
    nodes = list(_walk(data))
    path, value = rng.choice(nodes)
    if op == "swap":
        data = _set(data, path, _odd_value(rng))
    elif op == "drop" and path:
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        del parent[path[-1]]
    elif op == "extra":
        containers = [(p, v) for p, v in nodes if isinstance(v, dict)]
        if containers:
            _, target = rng.choice(containers)
            target[rng.choice(["x-extra", "unknown", "n", "id", "design", ""])] = _odd_value(rng)
    elif op == "deep":
        data = _set(data, path, _DEEP)  # replaced in the text below: no recursion here
    elif op == "hugestring":
        data = _set(data, path, "word " * rng.choice([200, 2_000, 20_000, 20_000, 400_000]))
    elif op == "oddtext":
        strings = [p for p, v in nodes if isinstance(v, str)]
        if strings:
            where = rng.choice(strings)
            odd = rng.choice(ODD_TEXT)
            text = _get(data, where)
            data = _set(data, where, text[: len(text) // 2] + odd + text[len(text) // 2 :])
    text = json.dumps(data, ensure_ascii=rng.random() < 0.2, indent=rng.choice([None, 2]))
    if op == "deep":
        depth = rng.choice([30, 65, 200, 3000, 100_000])
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
        inner = json.dumps(value) if rng.random() < 0.8 else ""  # or left unclosed
        text = text.replace(json.dumps(_DEEP), opener * depth + inner + closer * depth, 1)
    if op == "dupkey":
        match = list(re.finditer(r'"([^"\\]{1,30})": ', text))
        if match:
            m = rng.choice(match)
            text = text[: m.start()] + f'"{m.group(1)}": null, ' + text[m.start() :]
    elif op in ("bigint", "bignumber"):
        numbers = list(re.finditer(r"(?<![\w.\"])-?\d+(\.\d+)?(?![\w\"])", text))
        if numbers:
            m = rng.choice(numbers)
            if op == "bigint":
                big = "9" * rng.choice([17, 20, 400, 4301, 5000])
            else:
                big = rng.choice(["1e400", "-1e999", "1e-400", "0." + "0" * 400 + "1", "1E+308"])
            text = text[: m.start()] + big + text[m.end() :]
    return text.encode("utf-8", "surrogatepass")


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _xml_op(op: str, raw: bytes, rng: random.Random) -> bytes | None:
    if raw[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError, zlib.error):
            raw = gzip.decompress(raw)
    if b"<" not in raw:
        return None
    texts = list(re.finditer(rb">([^<>]+)<", raw))
    if op == "xmltext" and texts:
        m = rng.choice(texts)
        value = rng.choice(
            [
                b"",
                b"\x1b[2J",
                b"&#0;",
                b"&#x1b;",
                b"9" * 5000,
                b"x" * rng.choice([1000, 200_000, 1_200_000]),
                b"&unknown;",
                b"]]>",
            ]
        )
        return raw[: m.start(1)] + value + raw[m.end(1) :]
    if op == "xmlentity":
        head = rng.choice(
            [
                b'<!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
                b'&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>',
                b'<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                b'<!DOCTYPE PubmedArticleSet SYSTEM "http://127.0.0.1:9/x.dtd">',
            ]
        )
        start = raw.find(b"<PubmedArticleSet")
        body = raw[start:] if start >= 0 else raw
        if texts and rng.random() < 0.7:
            m = rng.choice(list(re.finditer(rb">([^<>]+)<", body)) or [None])
            if m is not None:
                body = body[: m.start(1)] + rng.choice([b"&c;", b"&x;", b"&a;"]) + body[m.end(1) :]
        return b'<?xml version="1.0"?>\n' + head + b"\n" + body
    if op == "xmldeep":
        depth = rng.choice([100, 2000, 20_000])
        at = raw.find(b"<Abstract>")
        at = at if at >= 0 else max(raw.find(b"<Article"), 0)
        return raw[:at] + b"<a>" * depth + b"</a>" * depth + raw[at:]
    return None


def mutate(raw: bytes, ops: list[tuple[str, int]]) -> bytes:
    """``raw`` changed by each ``(operation, seed)`` in turn."""
    for op, seed in ops:
        rng = random.Random(seed)
        changed: bytes | None = None
        if op in ("swap", "drop", "extra", "dupkey", "deep", "bigint", "bignumber"):
            changed = _json_op(op, raw, rng)
        elif op in ("hugestring", "oddtext"):
            changed = _json_op(op, raw, rng) if raw.lstrip()[:1] in (b"{", b"[") else None
            changed = changed if changed is not None else _xml_op("xmltext", raw, rng)
        elif op.startswith("xml"):
            changed = _xml_op(op, raw, rng)
        if changed is None:
            changed = _byte_op(op, raw, rng)
        raw = changed
    return raw


def _byte_op(op: str, raw: bytes, rng: random.Random) -> bytes:
    size = len(raw)
    at = rng.randrange(size + 1)
    if op == "flip" and size:
        at = min(at, size - 1)
        return raw[:at] + bytes([raw[at] ^ (1 << rng.randrange(8))]) + raw[at + 1 :]
    if op == "byte" and size:
        at = min(at, size - 1)
        return raw[:at] + bytes([rng.randrange(256)]) + raw[at + 1 :]
    if op == "insert":
        piece = rng.choice([b"{", b"}", b"[", b"]", b",", b'"', b":", b"\\", b"null", b"<", b">"])
        return raw[:at] + piece * rng.randint(1, 4) + raw[at:]
    if op == "delete":
        return raw[:at] + raw[at + rng.randint(1, 64) :]
    if op == "duplicate":
        end = min(size, at + rng.randint(1, 200))
        return raw[:end] + raw[at:end] + raw[end:]
    if op == "utf8":
        bad = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"])
        return raw[:at] + bad + raw[at:]
    if op == "bom":
        return b"\xef\xbb\xbf" + raw
    if op == "utf16":
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]))
        return raw
    if op == "crlf":
        return raw.replace(b"\n", b"\r\n")
    if op == "gzip":
        packed = gzip.compress(raw, mtime=0)
        return packed[: rng.randint(10, len(packed))] if rng.random() < 0.5 else packed
    return raw[:at]  # truncate


# -- the properties ---------------------------------------------------------------------------


class Broken(AssertionError):
    """An input broke a property."""


_BAD_TEXT = ("Traceback (most recent call last)", "set_int_max_str_digits", "internal error")


def _check_problems(problems: Any, *, need_position: bool = True) -> None:
    for problem in problems:
        text = str(problem)
        if not problem.message or "\n" in problem.message:
            raise Broken(f"problem message not one line: {text!r}")
        if any(bad in text for bad in _BAD_TEXT):
            raise Broken(f"problem message leaks Python: {text!r}")
        positioned = problem.pointer is not None or (problem.line and problem.column)
        if need_position and not positioned and problem.kind != "unreadable":
            raise Broken(f"problem without a pointer or position: {text!r}")


def _registry() -> Any:
    import evigrade

    return evigrade.get_registry()


def _validate(raw: bytes) -> Any:
    from evigrade.problems import EvidenceError
    from evigrade.validation import check_text, decode

    registry = _registry()
    try:
        text = decode(raw, "in.json")
    except EvidenceError as error:
        _check_problems(error.problems)
        return None
    data, problems = check_text(text, "in.json", registry.designs)
    _check_problems(problems)
    return data


def target_validate(raw: bytes) -> None:
    _validate(raw)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def target_grade(raw: bytes) -> None:
    from evigrade.files import from_data
    from evigrade.grading import grade_file

    data = _validate(raw)
    if data is None:
        return
    registry = _registry()
    evidence = from_data(data, designs=registry.designs, validate=False)
    report = grade_file(evidence, registry=registry, file="in.json")
    for name in ("table", "json", "markdown"):
        text = registry.formats[name].render(report)
        if name == "json":
            json.loads(text)
        elif _CONTROL.search(text.replace("\n", "")):
            raise Broken(f"{name} output carries a control character")


def target_export(raw: bytes) -> None:
    from evigrade.files import from_data
    from evigrade.interop import export

    data = _validate(raw)
    if data is None:
        return
    registry = _registry()
    evidence = from_data(data, designs=registry.designs, validate=False)
    json.dumps(export("fhir", evidence, registry=registry), ensure_ascii=False)


def target_jsonl(raw: bytes) -> None:
    from evigrade.corpus import grade_lines, iter_lines, validate_lines

    registry = _registry()
    expected = sum(1 for line in raw.split(b"\n") if line.strip())
    grade = hashlib.sha1(raw).digest()[0] < 64  # a quarter of the corpora are graded too
    for run in (validate_lines, grade_lines) if grade else (validate_lines,):
        results = list(run(iter_lines(io.BytesIO(raw)), registry=registry, filename="c.jsonl"))
        if len(results) != expected:
            raise Broken(f"{len(results)} results for {expected} lines")
        for result in results:
            _check_problems(result.problems)
            if result.problems and not all(p.line and p.column for p in result.problems):
                raise Broken(f"corpus problem without line and column: {result.problems[0]}")
            json.loads(result.to_json())


def _imported(kind: str, raw: bytes) -> None:
    from evigrade.interop import import_files
    from evigrade.problems import EvidenceError

    registry = _registry()
    with tempfile.NamedTemporaryFile(dir=_scratch(), suffix=f".{kind}") as handle:
        handle.write(raw)
        handle.flush()
        for mode in ("skip", "fail"):
            try:
                result = import_files(kind, [handle.name], on_error=mode, registry=registry)  # type: ignore[arg-type]
            except EvidenceError as error:
                _check_problems(error.problems)
                continue
            _check_problems(result.problems)


def target_pubmed(raw: bytes) -> None:
    _imported("pubmed", raw)


def target_ctgov(raw: bytes) -> None:
    _imported("ctgov", raw)


def target_fhir(raw: bytes) -> None:
    _imported("fhir", raw)


def _scratch() -> str:
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None  # type: ignore[return-value]


#: The command lines the CLI target runs: (kind of input, arguments; IN and OUT are replaced).
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("validate", ("validate", "IN")),
    ("grade", ("grade", "IN", "-f", "json", "--timeout", "0", "-o", "OUT")),
    ("grade", ("grade", "IN", "--timeout", "0", "-o", "OUT")),
    ("grade", ("compare", "IN", "--timeout", "0", "-o", "OUT")),
    ("export", ("export", "fhir", "IN", "-o", "OUT")),
    ("jsonl", ("grade", "IN", "--timeout", "0", "-o", "OUT")),
    ("jsonl", ("validate", "IN")),
    ("pubmed", ("import", "pubmed", "IN", "-o", "OUT", "--on-error", "skip")),
    ("ctgov", ("import", "ctgov", "IN", "-o", "OUT")),
    ("fhir", ("import", "fhir", "IN", "-o", "OUT", "--on-error", "skip")),
)


def run_cli(kind: str, args: tuple[str, ...], raw: bytes, *, subprocess_run: bool) -> None:
    """Run one command on ``raw`` (in this process, or as a program) and check the outcome."""
    from evigrade.cli import main

    with tempfile.TemporaryDirectory(dir=_scratch()) as directory:
        source = os.path.join(directory, f"in.{EXTENSIONS[kind]}")
        output = os.path.join(directory, "out")
        with open(source, "wb") as handle:
            handle.write(raw)
        argv = [source if a == "IN" else output if a == "OUT" else a for a in args]
        if subprocess_run:
            done = subprocess.run(
                [sys.executable, "-m", "evigrade", *argv],
                capture_output=True,
                timeout=300,
                check=False,
            )
            status, out, err = done.returncode, done.stdout, done.stderr
        else:
            stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
            stderr = io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    main(argv)
                    status = 0
                except SystemExit as done_:
                    status = int(done_.code or 0)
            stdout.flush()
            out = stdout.buffer.getvalue()  # type: ignore[attr-defined]
            err = stderr.getvalue().encode()
        text = (out + err).decode("utf-8", "replace")
        if status not in (0, 1, 2):
            raise Broken(f"{' '.join(args)}: exit status {status}: {text[-300:]!r}")
        if any(bad in text for bad in _BAD_TEXT):
            raise Broken(f"{' '.join(args)}: {text[-300:]!r}")
        # A corpus's output holds each line's result, problems included: written whatever the
        # status; any other command writes nothing unless it succeeds.
        if status != 0 and kind != "jsonl" and os.path.exists(output):
            raise Broken(f"{' '.join(args)}: exit status {status}, yet {output} was written")
        leftovers = [n for n in os.listdir(directory) if n.endswith(".tmp")]
        if leftovers:
            raise Broken(f"{' '.join(args)}: temporary files left: {leftovers}")


TARGET_FUNCTIONS: dict[str, Callable[[bytes], None]] = {
    "validate": target_validate,
    "grade": target_grade,
    "jsonl": target_jsonl,
    "pubmed": target_pubmed,
    "ctgov": target_ctgov,
    "fhir": target_fhir,
    "export": target_export,
}


# -- the campaign -----------------------------------------------------------------------------


class Budget:
    """Time and memory an input may take before it is a finding."""

    def __init__(self, slow: float, memory_mib: float) -> None:
        self.slow, self.memory = slow, memory_mib
        self.slowest = 0.0
        self.count = 0
        self.peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    @contextlib.contextmanager
    def watch(self, what: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        spent = time.perf_counter() - start
        self.slowest = max(self.slowest, spent)
        if spent > self.slow:
            raise Broken(f"{what}: took {spent:.1f} s (budget {self.slow:g} s)")
        # The peak is read after every input that took long and every 64th (reading it costs
        # about a millisecond here): a rise is then blamed on the input that made it.
        self.count += 1
        if spent > 0.05 or self.count % 64 == 0:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            grown, self.peak = peak - self.peak, peak
            if grown > self.memory and self.count > 1:
                raise Broken(
                    f"{what}: peak memory grew by {grown:.0f} MiB (budget {self.memory:g})"
                )


def save_crash(target: str, raw: bytes, why: str, shared: bool) -> Path:
    folder = SHARED_CRASHES if shared else CRASHES
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(raw).hexdigest()[:12]
    path = folder / f"{target}-{digest}.{EXTENSIONS.get(target, 'bin')}"
    path.write_bytes(raw)
    path.with_suffix(path.suffix + ".why").write_text(why[:2000] + "\n", encoding="utf-8")
    return path


class Watchdog:
    """Ends the run when one input takes far too long (a hang): the input is saved first as a
    crash, then the process exits with status 3, so that a campaign script goes on with its
    next slice."""

    def __init__(self, limit: float, shared: bool) -> None:
        import threading

        self.limit, self.shared = limit, shared
        self.current: tuple[str, bytes, tuple[str, ...]] | None = None
        self.started = 0.0
        threading.Thread(target=self._watch, daemon=True).start()

    def begin(self, target: str, raw: bytes, args: tuple[str, ...]) -> None:
        self.current, self.started = (target, raw, args), time.monotonic()

    def end(self) -> None:
        self.current = None

    def _watch(self) -> None:
        while True:
            time.sleep(1)
            current = self.current
            if current is not None and time.monotonic() - self.started > self.limit:
                target, raw, args = current
                why = f"Hang: still running after {self.limit:g} s"
                note = why + (f"\nargs: {json.dumps(list(args))}" if target == "cli" else "")
                path = save_crash(target, raw, note, self.shared)
                print(f"fuzz: {target}: {why} -> {path}", file=sys.stderr, flush=True)
                os._exit(3)


WATCHDOG: Watchdog | None = None


def _execute(
    target: str,
    seeds: dict[str, list[bytes]],
    pick: int,
    ops: list[tuple[str, int]],
    budget: Budget,
    as_program: bool,
) -> tuple[str, bytes, tuple[str, ...]]:
    """Make one input and run it through ``target``; (its kind, its bytes, the command)."""
    if target == "cli":
        commands = [c for c in COMMANDS if c[0] in seeds]
        kind, args = commands[pick % len(commands)]
    else:
        kind, args = target, ()
    pool = seeds[kind]
    raw = mutate(pool[pick % len(pool)], ops)
    if WATCHDOG is not None:
        WATCHDOG.begin(target, raw, args)
    try:
        with budget.watch(f"{target} {' '.join(args)}".strip()):
            if target == "cli":
                run_cli(kind, args, raw, subprocess_run=as_program)
            else:
                TARGET_FUNCTIONS[target](raw)
    finally:
        if WATCHDOG is not None:
            WATCHDOG.end()
    return kind, raw, args


def _record(
    target: str,
    raw: bytes,
    args: tuple[str, ...],
    error: Exception,
    crashes: list[dict[str, str]],
    shared: bool,
) -> None:
    why = f"{type(error).__name__}: {error}"
    note = why + (f"\nargs: {json.dumps(list(args))}" if target == "cli" else "")
    path = save_crash(target, raw, note, shared)
    crashes.append({"target": target, "file": str(path.relative_to(ROOT)), "why": why[:300]})
    print(f"fuzz: {target}: {why[:300]} -> {path}", file=sys.stderr)


def campaign(
    target: str,
    seeds: dict[str, list[bytes]],
    inputs: int,
    seed: int,
    budget: Budget,
    counts: dict[str, int],
    crashes: list[dict[str, str]],
    shared: bool,
    cli_every: int,
    engine: str,
) -> None:
    """Run ``inputs`` inputs against one target. The ``random`` engine draws them from a
    seeded generator (the same seed, the same inputs) and shrinks a failing one by leaving out
    mutations while it still fails; the ``hypothesis`` engine lets Hypothesis draw and shrink
    them (slower: about a millisecond more per input)."""
    if engine == "hypothesis":
        _hypothesis_campaign(
            target, seeds, inputs, seed, budget, counts, crashes, shared, cli_every
        )
        return
    rng = random.Random(f"{seed}:{target}")
    for index in range(inputs):
        pick = rng.randrange(10**6)
        ops = [(rng.choice(OPS), rng.randrange(2**24)) for _ in range(rng.randint(0, 4))]
        as_program = target == "cli" and cli_every > 0 and (index + 1) % cli_every == 0
        counts[target] = counts.get(target, 0) + 1
        try:
            _execute(target, seeds, pick, ops, budget, as_program)
        except Exception as error:
            failing, last = ops, error
            shrunk = True
            while shrunk and failing:
                shrunk = False
                for drop in range(len(failing)):
                    fewer = failing[:drop] + failing[drop + 1 :]
                    try:
                        _execute(target, seeds, pick, fewer, budget, False)
                    except Exception as again:
                        failing, last, shrunk = fewer, again, True
                        break
            _, raw, args = _made(target, seeds, pick, failing)
            _record(target, raw, args, last, crashes, shared)


def _made(
    target: str, seeds: dict[str, list[bytes]], pick: int, ops: list[tuple[str, int]]
) -> tuple[str, bytes, tuple[str, ...]]:
    if target == "cli":
        commands = [c for c in COMMANDS if c[0] in seeds]
        kind, args = commands[pick % len(commands)]
    else:
        kind, args = target, ()
    pool = seeds[kind]
    return kind, mutate(pool[pick % len(pool)], ops), args


def _hypothesis_campaign(
    target: str,
    seeds: dict[str, list[bytes]],
    inputs: int,
    seed: int,
    budget: Budget,
    counts: dict[str, int],
    crashes: list[dict[str, str]],
    shared: bool,
    cli_every: int,
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    done = attempt = 0
    while done < inputs and attempt <= 50:
        last: dict[str, Any] = {}

        @hypothesis_seed(seed * 1000 + attempt)
        @settings(
            max_examples=inputs - done,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(
            st.integers(0, 10**6),
            st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 2**24)), max_size=4),
        )
        def one(pick: int, ops: list[tuple[str, int]]) -> None:
            nonlocal done
            done += 1
            counts[target] = counts.get(target, 0) + 1
            as_program = target == "cli" and cli_every > 0 and done % cli_every == 0
            made = _made(target, seeds, pick, ops)
            last.update(kind=made[0], raw=made[1], args=made[2])  # noqa: B023 - read at once
            _execute(target, seeds, pick, ops, budget, as_program)

        try:
            one()
            return
        except Exception as error:  # Hypothesis re-raised the shrunk input's failure
            _record(target, last.get("raw", b""), last.get("args", ()), error, crashes, shared)
            attempt += 1


def replay(paths: list[Path]) -> list[str]:
    """Run every saved input through its target once; the failures."""
    failures = []
    for path in paths:
        if path.suffix == ".why":
            continue
        target = path.name.split("-", 1)[0]
        raw = path.read_bytes()
        try:
            if target == "cli":
                note = path.with_suffix(path.suffix + ".why").read_text("utf-8")
                match = re.search(r"^args: (.*)$", note, re.MULTILINE)
                args = tuple(json.loads(match.group(1))) if match else ("validate", "IN")
                kind = next((k for k, a in COMMANDS if a == args), "validate")
                run_cli(kind, args, raw, subprocess_run=False)
            else:
                TARGET_FUNCTIONS[target](raw)
        except Exception as error:
            failures.append(f"{path.name}: {type(error).__name__}: {error}"[:400])
    return failures


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs in all (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated")
    parser.add_argument(
        "--shares", default="", help="weights: validate=40,cli=2,... (default even)"
    )
    parser.add_argument("--shared", action="store_true", help="add ../shared's real files as seeds")
    parser.add_argument(
        "--cli-every", type=int, default=50, help="every Nth CLI input as a program"
    )
    parser.add_argument("--slow", type=float, default=30.0, help="seconds one input may take")
    parser.add_argument(
        "--hang", type=float, default=120.0, help="seconds after which an input is a hang"
    )
    parser.add_argument("--memory", type=float, default=1024.0, help="MiB one input may add")
    parser.add_argument(
        "--engine", choices=["random", "hypothesis"], default="random", help="how inputs are drawn"
    )
    parser.add_argument("--log", action="store_true", help=f"append the run to {RUNS.name}")
    parser.add_argument("--replay", action="store_true", help="replay the saved crashes")
    options = parser.parse_args(argv)
    os.environ.setdefault("EVIGRADE_MAX_INPUT_SIZE", "8M")  # keep single inputs cheap
    if options.replay:
        failures = replay(sorted(CRASHES.glob("*")))
        for failure in failures:
            print(failure)
        print(f"{len(list(CRASHES.glob('*.why')))} saved inputs replayed, {len(failures)} failed")
        return 1 if failures else 0
    targets = [t.strip() for t in options.targets.split(",") if t.strip()]
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    weights = {t: 1.0 for t in targets}
    for part in filter(None, options.shares.split(",")):
        name, _, value = part.partition("=")
        weights[name.strip()] = float(value)
    total = sum(weights[t] for t in targets)
    seeds = make_seeds(options.shared)
    budget = Budget(options.slow, options.memory)
    global WATCHDOG
    WATCHDOG = Watchdog(options.hang, options.shared)
    counts: dict[str, int] = {}
    crashes: list[dict[str, str]] = []
    start = time.perf_counter()
    for target in targets:
        share = round(options.inputs * weights[target] / total)
        campaign(
            target,
            seeds,
            share,
            options.seed,
            budget,
            counts,
            crashes,
            options.shared,
            options.cli_every,
            options.engine,
        )
    seconds = time.perf_counter() - start
    record = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": _commit(),
        "seed": options.seed,
        "engine": options.engine,
        "inputs": sum(counts.values()),
        "by_target": counts,
        "crashes": crashes,
        "seconds": round(seconds, 1),
        "slowest_input_s": round(budget.slowest, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(record))
    if options.log:
        with RUNS.open("a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
