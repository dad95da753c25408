"""Output that never lands where it should not and never goes missing: devices, FIFOs, links,
modes, an output that is an input, failed and short writes, closed pipes, and signals.

Device nodes are made in the test's own folder (``mknod``, as root), never the system's: a test
of writing over ``/dev/null`` must not risk the machine's ``/dev/null``.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import evigrade
from evigrade.cli import main
from evigrade.output import atomic_file, new_file_mode, same_file, write_atomically

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "ldn-multiple-sclerosis.json"
ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod and mount need root"
)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def program(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "evigrade", *map(str, args)],
        capture_output=True,
        timeout=120,
        check=False,
    )


def device(path: Path, major: int, minor: int) -> Path:
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    return path


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".evigrade-")]


@ROOT_ONLY
def test_a_character_device_is_written_through_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    null = device(tmp_path / "null", 1, 3)  # what /dev/null is
    code, out, _err = run(capsys, "grade", EXAMPLE, "-f", "json", "-o", null)
    assert (code, out) == (0, "")
    assert stat.S_ISCHR(null.stat().st_mode), "the device was replaced by a regular file"
    assert null.read_bytes() == b""
    assert leftovers(tmp_path) == []


@ROOT_ONLY
def test_a_full_device_is_a_failed_write_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = device(tmp_path / "full", 1, 7)  # what /dev/full is: every write fails, ENOSPC
    code, _out, err = run(capsys, "grade", EXAMPLE, "-f", "json", "-o", full)
    assert code == 2
    assert err == f"evigrade: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_fifo_is_written_and_its_reader_gets_everything(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = program("grade", EXAMPLE, "-f", "json", "-o", fifo)
    reader.join(60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0])["claims"]
    assert leftovers(tmp_path) == []


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "grade", EXAMPLE, "-f", "json", "-o", "-")
    assert code == 0
    assert json.loads(out)["file"] == str(EXAMPLE)
    assert not (Path.cwd() / "-").exists()


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout on this system")
def test_dev_stdout_is_written_through_whatever_it_is(tmp_path: Path) -> None:
    piped = subprocess.run(
        [
            sys.executable,
            "-m",
            "evigrade",
            "grade",
            str(EXAMPLE),
            "-f",
            "json",
            "-o",
            "/dev/stdout",
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["claims"]
    redirected = tmp_path / "out.json"
    with redirected.open("wb") as handle:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "evigrade",
                "grade",
                str(EXAMPLE),
                "-f",
                "json",
                "-o",
                "/dev/stdout",
            ],
            stdout=handle,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0
    assert json.loads(redirected.read_text("utf-8"))["claims"]


def test_a_symlink_is_followed_and_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "target.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _, _ = run(capsys, "grade", EXAMPLE, "-f", "json", "-o", link)
    assert code == 0
    assert link.is_symlink()
    assert json.loads(target.read_text("utf-8"))["claims"]


def test_a_new_file_gets_the_umask_mode_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert new_file_mode() == 0o640
        fresh = tmp_path / "fresh.txt"
        write_atomically(str(fresh), "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o604)
    write_atomically(str(kept), "new")
    assert (kept.read_text("utf-8"), stat.S_IMODE(kept.stat().st_mode)) == ("new", 0o604)


@pytest.mark.parametrize(
    "args",
    [
        ("grade", "{in}", "-f", "json", "-o", "{out}"),
        ("compare", "{in}", "-o", "{out}"),
        ("export", "fhir", "{in}", "-o", "{out}"),
        ("report", "{in}", "-o", "{out}"),
        ("import", "fhir", "{in}", "-o", "{out}"),
    ],
    ids=lambda a: a[0],
)
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    evidence = tmp_path / "self.json"
    evidence.write_bytes(EXAMPLE.read_bytes())
    other = tmp_path / "other-name.json"
    other.symlink_to(evidence)  # another name for the same file
    for out in (evidence, other):
        argv = [a.format(**{"in": evidence, "out": out}) for a in args]
        code, _stdout, err = run(capsys, *argv)
        assert code == 2, err
        assert "is an input file" in err and "refusing to overwrite it" in err
        assert evidence.read_bytes() == EXAMPLE.read_bytes()
    assert same_file(str(other), [str(evidence)]) == str(evidence)
    assert same_file("-", [str(evidence)]) is None


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("corpus", [False, True], ids=["file", "corpus"])
def test_a_failed_write_to_standard_output_is_exit_2_in_one_line(
    tmp_path: Path, corpus: bool
) -> None:
    source = EXAMPLE
    if corpus:
        source = tmp_path / "corpus.jsonl"
        source.write_text(json.dumps(json.loads(EXAMPLE.read_text("utf-8"))) + "\n", "utf-8")
    with open("/dev/full", "wb") as full:  # opened for writing only: every write fails
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "evigrade",
                "grade",
                str(source),
                *([] if corpus else ["-f", "json"]),
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr == b"evigrade: cannot write standard output: No space left on device\n"


def test_a_corpus_written_to_a_full_disk_is_exit_2_and_no_file(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        corpus = tmp_path / "corpus.jsonl"
        line = json.dumps(json.loads(EXAMPLE.read_text("utf-8")))
        corpus.write_text((line + "\n") * 3, encoding="utf-8")  # about 1.3 MB of output
        done = program("grade", corpus, "-o", mount / "out.jsonl")
        assert done.returncode == 2
        assert done.stderr.endswith(
            f"evigrade: cannot write {mount / 'out.jsonl'}: No space left on device\n".encode()
        )
        assert b"internal error" not in done.stderr
        assert list(mount.iterdir()) == []  # neither the output nor a temporary file
        single = program("grade", EXAMPLE, "-f", "json", "-o", mount / "out.json")
        assert single.returncode == 2
        assert list(mount.iterdir()) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_closed_pipe_ends_quietly_with_status_141(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    line = json.dumps(json.loads(EXAMPLE.read_text("utf-8")))
    corpus.write_text((line + "\n") * 40, encoding="utf-8")
    for args, first in ((("grade", EXAMPLE, "-f", "json"), 0), (("grade", corpus), 10)):
        child = subprocess.Popen(
            [sys.executable, "-m", "evigrade", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdout is not None and child.stderr is not None
        child.stdout.read(first)  # like `| head -c 10` (a corpus: 18 MB, far past the pipe)
        child.stdout.close()
        assert child.wait(120) == 141
        assert child.stderr.read() == b""


def _wait_for_temporary(folder: Path, child: subprocess.Popen[bytes]) -> bool:
    """Whether the run began writing its output (a temporary file) while still running."""
    for _ in range(2400):  # a loaded machine may take long to start the program
        if leftovers(folder):
            return child.poll() is None
        if child.poll() is not None:
            return False
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"]
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_signal_removes_the_temporary_file(
    tmp_path: Path, signum: int, status: int, jobs: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    line = json.dumps(json.loads(EXAMPLE.read_text("utf-8")))
    corpus.write_text((line + "\n") * 400, encoding="utf-8")
    out = tmp_path / "out" / "graded.jsonl"
    out.parent.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "evigrade", "grade", str(corpus), "-j", jobs, "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if not _wait_for_temporary(out.parent, child):
        child.kill()
        child.wait()
        pytest.skip("the run did not write while running, so no signal was sent mid-write")
    child.send_signal(signum)
    assert child.wait(120) == status
    assert list(out.parent.iterdir()) == []
    assert child.stderr is not None
    assert b"Traceback" not in child.stderr.read()


def test_import_says_nothing_of_success_when_the_output_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.json"
    registry = evigrade.get_registry()
    document = evigrade.export("fhir", evigrade.load(EXAMPLE, registry=registry))
    bundle.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(capsys, "import", "fhir", bundle, "-o", tmp_path / "no" / "such" / "x.json")
    assert code == 2
    assert "imported" not in err
    assert err.endswith("evigrade: nothing written\n")
    code, _, err = run(capsys, "import", "fhir", bundle, "-o", tmp_path / "x.json")
    assert code == 0
    assert f"written to {tmp_path / 'x.json'}" in err


def test_dump_writes_through_atomic_file(tmp_path: Path) -> None:
    registry = evigrade.get_registry()
    evidence = evigrade.load(EXAMPLE, registry=registry)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    evigrade.dump(evidence, fifo, registry=registry)
    reader.join(60)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0])["claims"]


def test_atomic_file_leaves_the_old_file_on_an_error(tmp_path: Path) -> None:
    path = tmp_path / "kept.txt"
    path.write_text("old", encoding="utf-8")

    def fail() -> None:
        with atomic_file(str(path)) as stream:
            stream.write("new")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        fail()
    assert path.read_text("utf-8") == "old"
    assert leftovers(tmp_path) == []
