"""The Dask path (evigrade.cluster, ``--dask``) gives, line for line and byte for byte, what the
local path gives, on a real local cluster of two worker processes."""

from __future__ import annotations

import importlib.util
import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("dask.bag")
pytest.importorskip("distributed")

import dask
from distributed import Client, LocalCluster

import evigrade.plugins
from evigrade.cli import main
from evigrade.cluster import (
    DEFAULT_BLOCKSIZE,
    ClusterError,
    FileResult,
    grade_bag,
    iter_results,
    validate_bag,
    write_results,
)
from evigrade.corpus import LineResult, grade_lines, iter_lines, validate_lines
from evigrade.plugins import get_registry

from .conftest import EXAMPLES, ROOT

SYNTAX_ERROR = b'{"evigrade": "1", "studies": [,], "claims": []}'
SCHEMA_ERROR = b'{"evigrade": "1", "studies": [{"id": "a", "design": "rct", "n": 0}], "claims": []}'
MINIMAL = b'{"evigrade": "1", "studies": [], "claims": []}'
BLOCK = 4096  # about three lines of the synthetic corpus: many partitions


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded worker processes, started once for the module."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="768MiB",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 synthetic evidence files, with blank and whitespace lines, CRLF endings, a syntax
    error, a schema error, a line that is not UTF-8, a line longer than several blocks, the
    bundled examples, and a last line without a line ending."""
    synthetic = [line.encode() for line in _bench().corpus_lines(60, 7)]
    examples = [
        json.dumps(json.loads(p.read_text(encoding="utf-8"))).encode()
        for p in sorted(EXAMPLES.glob("*.json"))
    ]
    padded = MINIMAL[:-1] + b', "x-pad": "' + b"a" * (3 * BLOCK) + b'"}'
    lines = [
        *synthetic[:20],
        b"",
        SYNTAX_ERROR,
        b"   ",
        *examples,
        SCHEMA_ERROR,
        b'{"a": "\xff"}',
        *synthetic[20:40],
        padded,
        b"",
        b"",
        *synthetic[40:59],
    ]
    path = tmp_path_factory.mktemp("cluster") / "corpus.jsonl"
    body = b"\n".join(lines[:30]) + b"\n" + b"".join(line + b"\r\n" for line in lines[30:])
    path.write_bytes(body + synthetic[59])
    return path


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second corpus: the examples, a blank first line and a schema error."""
    lines = [b""] + [
        json.dumps(json.loads(p.read_text(encoding="utf-8"))).encode()
        for p in sorted(EXAMPLES.glob("*.json"))
    ]
    path = tmp_path_factory.mktemp("cluster") / "examples.jsonl"
    path.write_bytes(b"\n".join([*lines, SCHEMA_ERROR]) + b"\n")
    return path


def _local_grades(path: Path, schemes: list[str] | None = None) -> list[LineResult]:
    with path.open("rb") as stream:
        return list(
            grade_lines(iter_lines(stream), schemes, registry=get_registry(), filename=str(path))
        )


def _local_checks(path: Path) -> list[LineResult]:
    with path.open("rb") as stream:
        return list(validate_lines(iter_lines(stream), registry=get_registry(), filename=str(path)))


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_the_corpus_has_what_the_tests_rely_on(corpus: Path) -> None:
    local = _local_grades(corpus)
    assert len(local) == 67
    assert sum(not r.valid for r in local) == 3
    assert sum(r.unreadable for r in local) == 1
    assert [r.line for r in local][20:23] == [22, 24, 25]  # blank lines counted
    assert local[-1].line == 71


@pytest.mark.parametrize(
    ("schemes", "graded"),
    [(None, ["grade", "cebm-2011", "pyramid"]), (["grade"], ["grade"])],
    ids=["default", "grade"],
)
def test_grade_bag_gives_the_local_results_line_for_line(
    client: Client, corpus: Path, schemes: list[str] | None, graded: list[str]
) -> None:
    bag = grade_bag(corpus, schemes, blocksize=BLOCK)
    assert bag.npartitions > 20
    results = bag.compute()
    local = _local_grades(corpus, schemes)
    assert [r.file for r in results] == [str(corpus)] * len(local)
    assert [r.result for r in results] == local
    assert [r.to_json() for r in results] == [r.to_json() for r in local]
    claims = [claim for r in local for claim in r.claims or ()]
    assert claims and all(list(claim["grades"]) == graded for claim in claims)


def test_grade_bag_grades_with_the_given_options(client: Client, examples: Path) -> None:
    from evigrade.plugin import GradingOptions

    options = GradingOptions(unassessed_risk="not-rated")
    results = grade_bag(examples, ["grade"], blocksize=BLOCK, options=options).compute()
    with examples.open("rb") as stream:
        local = list(
            grade_lines(
                iter_lines(stream),
                ["grade"],
                registry=get_registry(),
                filename=str(examples),
                options=options,
            )
        )
    assert [r.to_json() for r in results] == [r.to_json() for r in local]
    assert any("policy not-rated" in r.to_json() for r in results)
    default = grade_bag(examples, ["grade"], blocksize=BLOCK).compute()
    assert not any("policy not-rated" in r.to_json() for r in default)


@pytest.mark.parametrize("blocksize", [1000, BLOCK + 1, DEFAULT_BLOCKSIZE, "3kB"])
def test_validate_bag_gives_the_local_results_whatever_the_blocksize(
    client: Client, corpus: Path, blocksize: int | str
) -> None:
    results = list(iter_results(validate_bag(corpus, blocksize=blocksize)))
    assert [r.result for r in results] == _local_checks(corpus)


def test_several_files_each_named_and_numbered_as_on_their_own(
    client: Client, corpus: Path, examples: Path
) -> None:
    bag = grade_bag([examples, str(corpus)], ["grade", "pyramid"], blocksize=BLOCK)
    results = list(iter_results(bag, client=client, window=3))
    expected = [FileResult(str(examples), r) for r in _local_grades(examples, ["grade", "pyramid"])]
    expected += [FileResult(str(corpus), r) for r in _local_grades(corpus, ["grade", "pyramid"])]
    assert results == expected
    assert str(results[3].result.problems[0]).startswith(f"{examples}:5:")
    assert set(json.loads(results[0].result.claims_json or "")[0]["grades"]) == {"grade", "pyramid"}


def test_each_worker_process_builds_its_registry_once(client: Client, corpus: Path) -> None:
    client.run(evigrade.plugins.reset)
    bag = validate_bag(corpus, blocksize=BLOCK)
    assert len(bag.compute()) == 67
    info = client.run(evigrade.plugins._cached_registry.cache_info)
    assert len(info) == 2
    assert sum(i.misses for i in info.values()) <= 2  # one registry per process at most
    assert sum(i.hits + i.misses for i in info.values()) >= bag.npartitions


def test_write_results_writes_the_local_jsonl_output(
    client: Client, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "grade", corpus, "-s", "cebm-2011")
    assert code == 2
    written = tmp_path / "graded.jsonl"
    count = write_results(grade_bag(corpus, ["cebm-2011"], blocksize=BLOCK), written)
    assert count == 67
    assert written.read_bytes() == out.encode()


def test_empty_and_blank_corpora_give_no_results(client: Client, tmp_path: Path) -> None:
    empty, blank = tmp_path / "empty.jsonl", tmp_path / "blank.jsonl"
    empty.write_bytes(b"")
    blank.write_bytes(b"\n  \r\n\n" * 500)
    assert grade_bag(empty).compute() == []
    assert list(iter_results(grade_bag([blank, empty], blocksize=100))) == []


def test_unknown_scheme_and_bad_blocksize_fail_at_once(corpus: Path) -> None:
    with pytest.raises(ValueError, match="unknown scheme 'nope'"):
        grade_bag(corpus, ["nope"])
    with pytest.raises(ValueError, match="blocksize"):
        validate_bag(corpus, blocksize=0)
    with pytest.raises(FileNotFoundError):
        validate_bag(corpus.with_name("missing.jsonl"))


def test_a_corpus_a_worker_cannot_read_is_a_cluster_error(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "gone.jsonl"
    path.write_bytes(MINIMAL + b"\n")
    bag = validate_bag(path)
    path.unlink()
    with pytest.raises(ClusterError, match=r"cannot read .*gone.jsonl on worker tcp://"):
        bag.compute()


def test_workers_with_other_plugins_are_refused(
    client: Client, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(evigrade.plugins.DISABLE_ENV)
    everything = evigrade.plugins.build_registry()
    if not any(not p.builtin and p.status == "loaded" for p in everything.plugins):
        pytest.skip("no third-party plugin is installed")
    # the client has every plugin, the workers are told to load none of them
    bag = validate_bag(corpus, registry=everything, disable=["*"])
    with pytest.raises(ClusterError, match=r"plugins on worker tcp://.* differ"):
        bag.compute()


def _scheduled(client: Client) -> set[str]:
    """The partitions of bags the scheduler holds tasks for (evigrade names its tasks)."""
    keys = client.run_on_scheduler(lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks])
    return {key for key in keys if "evigrade-validate" in key}


def test_a_window_of_partitions_is_in_flight_and_closing_releases_it(
    client: Client, corpus: Path
) -> None:
    bag = validate_bag(corpus, blocksize=BLOCK)
    results = iter_results(bag, client=client, window=4)
    assert next(results).result.line == 1
    assert 1 <= len(_scheduled(client)) <= 4 < bag.npartitions
    results.close()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while _scheduled(client) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _scheduled(client) == set()


def test_cli_dask_output_is_byte_identical(
    client: Client,
    corpus: Path,
    examples: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    address = client.scheduler.address
    for command in (
        ["grade", corpus],
        ["grade", corpus, "--scheme", "all"],
        ["grade", corpus, "--scheme", "all", "--brief"],
        ["validate", corpus, examples, EXAMPLES / "x.json"],
    ):
        local = run(capsys, *command)
        assert run(capsys, *command, "--dask", address) == local
        assert local[0] == 2
    relaxed = ["grade", examples, "--unassessed-risk", "not-rated"]
    local = run(capsys, *relaxed)
    assert run(capsys, *relaxed, "--dask", address) == local
    assert "policy not-rated" in local[1]
    fail_fast = ["grade", corpus, "--fail-fast"]
    local = run(capsys, *fail_fast)
    assert run(capsys, *fail_fast, "--dask", address) == local
    assert (local[0], len(local[1].splitlines())) == (1, 21)
    output = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "grade", examples, "--dask", "local", "-o", output)
    local = run(capsys, "grade", examples)
    assert (code, out, err) == (1, "", local[2])  # and nothing from Dask on standard error
    assert output.read_text(encoding="utf-8") == local[1]


def test_cli_bad_scheduler_missing_extra_and_stdin_exit_2(
    capsys: pytest.CaptureFixture[str], examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "grade", examples, "--dask", "nonsense")
    assert (code, out) == (2, "")
    assert err == (
        "evigrade: cannot use the Dask scheduler 'nonsense': missing port number in address "
        "'nonsense'\n"
    )
    with dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}):
        code, out, err = run(capsys, "validate", examples, "--dask", "tcp://127.0.0.1:9")
    assert (code, out) == (2, "")
    assert err.startswith("evigrade: cannot use the Dask scheduler 'tcp://127.0.0.1:9': ")
    assert "Traceback" not in err
    code, _, err = run(capsys, "validate", examples, "-", "--dask", "local")
    assert code == 2
    assert "standard input cannot be read by Dask workers" in err

    monkeypatch.setitem(sys.modules, "dask", None)  # as if the extra were not installed
    monkeypatch.delitem(sys.modules, "evigrade.cluster")
    code, out, err = run(capsys, "grade", examples, "--dask", "local")
    assert (code, out) == (2, "")
    assert err.startswith("evigrade: evigrade.cluster needs Dask (")
    assert err.endswith("install it with: pip install 'evigrade[dask]'\n")


def test_importing_evigrade_does_not_import_dask() -> None:
    code = (
        "import sys, evigrade, evigrade.cli, evigrade.corpus; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'fsspec'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"
