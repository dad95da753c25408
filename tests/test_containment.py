"""Worker processes that cannot hang a run, plugins that cannot corrupt output or end the
program, time limits that are sane and paid once, and text from files that never reaches a
terminal as control sequences or a Markdown renderer as markup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import evigrade
from evigrade import plugins
from evigrade.cli import main
from evigrade.corpus import CHUNK_BYTES, _chunks, iter_lines, validate_lines
from evigrade.grading import grade_file
from evigrade.kinds import Scheme
from evigrade.text import CELL_LIMIT, markdown_text, terminal_text

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"
MINIMAL = '{"evigrade": "1", "studies": [], "claims": []}'

# A plugin whose scheme misbehaves as HOSTILE says: prints, exits, kills its worker.
HOSTILE = """
import os, signal, sys
from evigrade.plugin import Scheme, hookimpl
from evigrade.builtin.schemes.pyramid import SCHEME as PYRAMID

def _grade(assessment):
    print("a word from the scheme")
    what = os.environ.get("HOSTILE", "")
    if what == "exit":
        sys.exit(0)
    if what == "_exit" and os.getpid() != int(os.environ["PARENT"]):
        os._exit(7)
    if what == "kill-once":
        marker = os.environ["MARKER"]
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
    return PYRAMID.grade(assessment)

@hookimpl
def evigrade_register_schemes(register):
    print("registering")
    register(Scheme("hostile", "Misbehaves", PYRAMID.labels, _grade))
"""

EXITS_ON_IMPORT = "import sys\nsys.exit(3)\n"


def _install(site: Path, name: str, source: str) -> None:
    (site / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"evigrade_{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: evigrade-{name}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[evigrade]\n{name} = {name}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "hostile", HOSTILE)
    return site


def program(site: Path, *args: object, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != plugins.DISABLE_ENV}
    environment["PYTHONPATH"] = os.pathsep.join([str(site), environment.get("PYTHONPATH", "")])
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "evigrade", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def corpus(path: Path, lines: int) -> Path:
    line = json.dumps(json.loads(EXAMPLE.read_text("utf-8")))
    path.write_text((line + "\n") * lines, encoding="utf-8")
    return path


# -- plugins --------------------------------------------------------------------------------


def test_a_plugin_printing_cannot_corrupt_json_output(site: Path, tmp_path: Path) -> None:
    done = program(site, "grade", EXAMPLE, "-f", "json", "-s", "hostile")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"]
    assert "evigrade: plugin 'hostile' wrote to standard output: registering\n" in done.stderr
    assert "plugin 'hostile' wrote to standard output: a word from the scheme" in done.stderr
    lines = program(site, "grade", corpus(tmp_path / "c.jsonl", 3), "-s", "hostile", "-j", "2")
    assert lines.returncode == 0, lines.stderr
    assert [json.loads(line)["line"] for line in lines.stdout.splitlines()] == [1, 2, 3]
    fhir = program(site, "export", "fhir", EXAMPLE)
    assert fhir.returncode == 0, fhir.stderr
    assert json.loads(fhir.stdout)["resourceType"] == "Bundle"


def test_sys_exit_in_a_scheme_is_a_plugin_failure(site: Path, tmp_path: Path) -> None:
    done = program(site, "grade", EXAMPLE, "-f", "json", "-s", "hostile", HOSTILE="exit")
    assert done.returncode == 0
    assert json.loads(done.stdout)["claims"]
    assert (
        "plugin 'hostile' (evigrade-hostile 1.0) failed while grading with 'hostile': "
        "PluginExit: called sys.exit(0)"
    ) in done.stderr
    strict = program(site, "grade", EXAMPLE, "-s", "hostile", "--strict", HOSTILE="exit")
    assert strict.returncode == 4
    assert strict.stdout
    lines = program(
        site, "grade", corpus(tmp_path / "c.jsonl", 2), "-s", "hostile", "-j", "2", HOSTILE="exit"
    )
    assert lines.returncode == 0
    assert len(lines.stdout.splitlines()) == 2


def test_a_plugin_that_exits_while_imported_is_reported_and_skipped(site: Path) -> None:
    _install(site, "exiting", EXITS_ON_IMPORT)
    version = program(site, "--version")
    assert (version.returncode, version.stdout.startswith("evigrade, version")) == (0, True)
    listed = program(site, "schemes")
    assert listed.returncode == 0
    assert "plugin 'exiting' (evigrade-exiting 1.0) failed while loading: " in listed.stderr
    assert "PluginExit: called sys.exit(3)" in listed.stderr
    assert "grade" in listed.stdout
    quiet = program(site, "--no-plugins", "schemes")
    assert (quiet.returncode, quiet.stderr) == (0, "")


# -- workers --------------------------------------------------------------------------------


def test_a_worker_killed_once_is_replaced_and_its_lines_graded_again(
    site: Path, tmp_path: Path
) -> None:
    source = corpus(tmp_path / "c.jsonl", 6)
    expected = program(site, "grade", source, "-s", "hostile")
    marker = tmp_path / "killed"
    done = program(
        site, "grade", source, "-s", "hostile", "-j", "2", HOSTILE="kill-once", MARKER=str(marker)
    )
    assert marker.exists()
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.stdout


def test_a_worker_that_always_dies_ends_the_run_with_a_message(site: Path, tmp_path: Path) -> None:
    source = corpus(tmp_path / "c.jsonl", 4)
    out = tmp_path / "out" / "graded.jsonl"
    out.parent.mkdir()
    args = ("grade", source, "-s", "hostile", "-j", "2", "-o", out)
    done = program(site, *args, HOSTILE="_exit", PARENT="0")  # every worker exits
    assert done.returncode == 3
    assert (
        f"a worker process exited with status 7 while grading lines 1-4 of {source}, twice"
    ) in done.stderr
    assert "Traceback" not in done.stderr
    assert list(out.parent.iterdir()) == []


def test_chunks_are_bounded_in_bytes() -> None:
    big = "x" * (CHUNK_BYTES // 2 + 1)
    chunks = list(_chunks(((n, big) for n in range(1, 11)), 128, CHUNK_BYTES))
    assert [len(chunk) for chunk in chunks] == [2] * 5  # not one chunk of ten half-MiB lines


def test_lines_read_ahead_of_the_results_are_bounded_in_bytes() -> None:
    read = [0]
    line = MINIMAL[:-1] + ', "x-pad": "' + "a" * (600 << 10) + '"}'

    def lines() -> Iterator[tuple[int, str]]:
        for number in range(1, 200):
            read[0] = number
            yield number, line

    registry = evigrade.get_registry()
    results = validate_lines(lines(), registry=registry, jobs=2)
    assert next(results).valid
    assert read[0] <= 2 * 4 + 2  # a window of 8 one-line chunks (each over half a MiB), not 8x128
    results.close()  # type: ignore[attr-defined]


# -- time limits ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "nan", "1e10", "-1", "86401"])
def test_only_sane_timeouts_are_accepted(capsys: pytest.CaptureFixture[str], value: str) -> None:
    with pytest.raises(SystemExit) as done:
        main(["grade", str(EXAMPLE), "--timeout", value])
    assert done.value.code == 2
    assert "expected 0 (no limit) or a number of seconds up to 86400" in capsys.readouterr().err


@pytest.mark.parametrize("timeout", [float("inf"), 1e10, float("nan")])
def test_huge_api_timeouts_are_no_limit(timeout: float) -> None:
    registry = evigrade.get_registry()
    report = grade_file(
        evigrade.load(EXAMPLE, registry=registry), registry=registry, timeout=timeout
    )
    assert report.failures == ()
    assert all(len(result.grades) == 3 for result in report.results)


def test_a_scheme_that_times_out_is_skipped_for_the_rest_of_the_run() -> None:
    import time

    calls: list[int] = []

    def slow(assessment: Any) -> Any:
        calls.append(1)
        time.sleep(5)

    registry = plugins.build_registry(disable=("*",))
    registry.schemes["slow"] = Scheme("slow", "Slow", ("a", "b"), slow)
    registry.owners[("scheme", "slow")] = "slow-plugin"
    evidence = evigrade.load(EXAMPLE, registry=registry)
    assert len(evidence.claims) > 2
    report = grade_file(evidence, ["slow", "grade"], registry=registry, timeout=0.05)
    assert len(calls) == 1
    assert all("grade" in result.grades for result in report.results)
    messages = [failure.message for failure in report.failures]
    assert messages[0] == "SchemeTimeout: took longer than 0.05 s"
    assert messages[1] == "skipped: took longer than 0.05 s on an earlier claim"


# -- text -----------------------------------------------------------------------------------


def hostile_evidence(tmp_path: Path, text: str) -> Path:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["claims"] = data["claims"][:1]
    data["claims"][0]["text"] = text
    path = tmp_path / "hostile\x1b[31m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_control_sequences_from_files_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile_evidence(tmp_path, "LDN \x1b[2J\x1b]0;pwned\x07 works \u202eevil\r fine")
    for command in (["grade", str(path)], ["compare", str(path)]):
        with pytest.raises(SystemExit) as done:
            main(command)
        out, err = capsys.readouterr()
        assert done.value.code == 0, err
        assert not any(c in out for c in "\x1b\x07\r\u202e")
        for shown in ("\\x1b[2J", "\\x1b]0;pwned\\x07", "\\u202eevil\\x0d", "hostile\\x1b[31m"):
            assert shown in out


def test_markdown_escapes_markup_and_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile_evidence(tmp_path, "<script>alert(1)</script> *bold* [x](javascript:y) | `z`")
    with pytest.raises(SystemExit):
        main(["grade", str(path), "-f", "markdown"])
    out = capsys.readouterr().out
    assert "<script>" not in out
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[x\\](javascript:y) \\| \\`z\\`" in out
    )
    assert markdown_text("a\nb\x1b") == "a b\\\\x1b"


def test_a_claim_of_megabytes_shows_a_bounded_cell(tmp_path: Path) -> None:
    registry = evigrade.get_registry()
    path = hostile_evidence(tmp_path, "word " * 1_000_000)
    report = grade_file(evigrade.load(path, registry=registry), ["grade"], registry=registry)
    table = registry.formats["table"].render(report)
    assert "… (4,998,000 more characters)" in table.replace("\n", "").replace(" ", "") or (
        "more characters)" in table
    )
    assert len(table) < 40 * CELL_LIMIT  # the cell, not five megabytes of wrapped text
    assert terminal_text("abc", 2) == "ab… (1 more characters)"


def test_iter_lines_reports_an_oversized_record_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(MINIMAL.encode() + b"\n" + b"x" * 5000 + b"\n" + MINIMAL.encode() + b"\n")
    with path.open("rb") as handle:
        lines = list(iter_lines(handle, limit=1000))
    assert [number for number, _ in lines] == [1, 2, 3]
    registry = evigrade.get_registry()
    results = list(validate_lines(iter(lines), registry=registry, filename="c.jsonl"))
    assert [r.valid for r in results] == [True, False, True]
    assert str(results[1].problems[0]) == (
        "c.jsonl:2:1: #: record too large: expected at most 1000 bytes (EVIGRADE_MAX_INPUT_SIZE "
        "sets the limit), found 4.883 KiB"
    )
