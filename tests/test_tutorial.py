"""The plugin tutorial works as written, and the hook reference is in step with the code.

(a) docs/plugin-tutorial.md is run: every file it shows (the block after a
``<!-- file: PATH -->`` line) is written to a temporary directory, with a copy of ``examples/``
beside it, and every ``console`` block's ``$ `` commands are run there in order (``pip``,
``evigrade`` and ``pytest`` as ``sys.executable -m ...``). Each must succeed, and the output
the tutorial shows must be the real one: lines reading ``...`` stand for output left out, pip's
output is not compared (it depends on versions and the network), and ``evigrade plugins`` /
``evigrade schemes`` may list other installed plugins between the lines shown. A block after a
``<!-- not run: REASON -->`` line is not run (publishing). The plugin is installed into this
Python's environment, so the test uninstalls it again whatever happens; it needs pip, and PyPI
for hatchling (pip's build isolation fetches it).

(b) docs/hooks.md has every hook of evigrade.hookspecs with its signature and its docstring
verbatim, and every field of the objects the hooks register.

(c) plugins/README.md and docs/api.md link to the tutorial.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import pytest

import evigrade
from evigrade import hookspecs, plugins

from .conftest import EXAMPLES, ROOT

DOCS = ROOT / "docs"
TUTORIAL = DOCS / "plugin-tutorial.md"
HOOKS = DOCS / "hooks.md"
DISTRIBUTION = "evigrade-study-count"
FENCE = "```"
ELISION = "..."
FILE_MARK = re.compile(r"<!-- file: (?P<path>\S+) -->")
NOT_RUN_MARK = re.compile(r"<!-- not run: .+ -->")
#: The commands the tutorial may run, and how: each as a module of this Python.
MODULES = {"pip": "pip", "evigrade": "evigrade", "pytest": "pytest"}
#: evigrade commands that list what is installed: other plugins may show up between the lines.
LISTINGS = {"plugins", "schemes", "designs"}


@attrs.frozen
class Command:
    """One ``$ `` line of a console block and the output shown after it."""

    line: str
    shown: tuple[str, ...]
    run: bool = True

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.line)


@attrs.frozen
class File:
    path: str
    text: str


Step = Command | File


def _read(path: Path) -> str:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    return path.read_text(encoding="utf-8")


def parse(text: str) -> list[Step]:
    """The tutorial's files and commands, in the order they appear."""
    steps: list[Step] = []
    lines = text.splitlines()
    mark = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith(FENCE):
            if line.strip():
                mark = line.strip()
            index += 1
            continue
        language = line[len(FENCE) :].strip()
        end = lines.index(FENCE, index + 1)
        body = lines[index + 1 : end]
        file_mark = FILE_MARK.fullmatch(mark)
        if file_mark:
            steps.append(File(file_mark["path"], "\n".join(body) + "\n"))
        elif language == "console":
            steps.extend(_commands(body, run=not NOT_RUN_MARK.fullmatch(mark)))
        mark = ""
        index = end + 1
    return steps


def _commands(body: Sequence[str], *, run: bool) -> list[Command]:
    commands: list[Command] = []
    for line in body:
        if line.startswith("$ "):
            commands.append(Command(line[2:], (), run))
        else:
            assert commands, f"console block output before any command: {line!r}"
            last = commands.pop()
            commands.append(attrs.evolve(last, shown=(*last.shown, line)))
    return commands


def _argv(command: Command) -> list[str]:
    words = command.argv
    module = MODULES.get(words[0])
    assert module is not None, f"the tutorial runs {words[0]!r}, which this test cannot run"
    return [sys.executable, "-m", module, *words[1:]]


def _normalize(line: str, *, loose: bool) -> str:
    """A line as compared; ``loose`` for pytest: spacing and durations vary."""
    if loose:
        line = re.sub(r"\b\d+(\.\d+)?s\b", "N.NNs", " ".join(line.split()))
    return line.rstrip()


def _chunks(shown: Sequence[str]) -> list[list[str]]:
    """The shown output split at the ``...`` lines that stand for output left out."""
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line == ELISION:
            chunks.append([])
        else:
            chunks[-1].append(line)
    return [chunk for chunk in chunks if chunk]


def _find(actual: Sequence[str], chunk: Sequence[str], start: int) -> int | None:
    """Where ``chunk`` first appears unbroken in ``actual`` from ``start``, or None."""
    size = len(chunk)
    return next(
        (
            at
            for at in range(start, len(actual) - size + 1)
            if list(actual[at : at + size]) == list(chunk)
        ),
        None,
    )


def _contains_in_order(
    actual: Sequence[str], shown: Sequence[str], *, contiguous: bool
) -> str | None:
    """None if the shown lines appear in ``actual`` in order, each run between ``...`` lines
    unbroken when ``contiguous``; else the first shown line that does not."""
    position = 0
    if not contiguous:
        for line in (line for line in shown if line != ELISION):
            if line not in actual[position:]:
                return line
            position = actual.index(line, position) + 1
        return None
    for chunk in _chunks(shown):
        found = _find(actual, chunk, position)
        if found is None:
            matched = max(
                k for k in range(len(chunk)) if _find(actual, chunk[:k], position) is not None
            )
            return chunk[matched]
        position = found + len(chunk)
    return None


def _check_output(command: Command, stdout: str) -> None:
    words = command.argv
    if words[0] == "pip" or not command.shown:
        return
    loose = words[0] == "pytest"
    actual = [_normalize(line, loose=loose) for line in stdout.splitlines()]
    shown = [_normalize(line, loose=loose) for line in command.shown]
    listing = words[0] == "evigrade" and bool(LISTINGS & set(words))
    missing = _contains_in_order(actual, shown, contiguous=not listing)
    assert missing is None, (
        f"`{command.line}`: the tutorial shows {missing!r}, which is not in the real output "
        "(or not in that order):\n" + stdout
    )


def _environment() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in (plugins.DISABLE_ENV, "PYTEST_ADDOPTS", "PYTEST_PLUGINS")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def _run(argv: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=_environment(), capture_output=True, text=True, check=False
    )


def _installed() -> bool:
    result = _run([sys.executable, "-m", "pip", "show", "--quiet", DISTRIBUTION], ROOT)
    return result.returncode == 0


# -- (a) the tutorial runs --------------------------------------------------------------------


def test_the_tutorial_marks_its_files_and_commands() -> None:
    steps = parse(_read(TUTORIAL))
    files = {step.path for step in steps if isinstance(step, File)}
    assert files == {
        "evigrade-study-count/pyproject.toml",
        "evigrade-study-count/src/evigrade_study_count/__init__.py",
        "evigrade-study-count/tests/test_study_count.py",
    }
    lines = [step.line for step in steps if isinstance(step, Command) and step.run]
    for expected in (
        'pip install -e "./evigrade-study-count[test]"',
        "evigrade plugins",
        "evigrade schemes",
        "pytest -q evigrade-study-count",
        "pip uninstall -y evigrade-study-count",
    ):
        assert expected in lines
    assert any("--scheme study-count --format json" in line for line in lines)
    assert lines[-1] == "pip uninstall -y evigrade-study-count", "the tutorial cleans up last"
    for step in steps:
        if isinstance(step, Command) and step.run:
            _argv(step)  # every command is one the test can run


def test_the_tutorial_runs_as_written(tmp_path: Path) -> None:
    if _run([sys.executable, "-m", "pip", "--version"], ROOT).returncode != 0:
        pytest.skip("pip is not available in this Python: the tutorial installs the plugin")
    try:
        importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pass
    else:
        pytest.skip(f"{DISTRIBUTION} is already installed; this test would uninstall it")
    steps = parse(_read(TUTORIAL))
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    try:
        for step in steps:
            if isinstance(step, File):
                target = tmp_path / step.path
                assert tmp_path in target.resolve().parents, step.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(step.text, encoding="utf-8")
            elif step.run:
                result = _run(_argv(step), tmp_path)
                output = result.stdout + result.stderr
                if result.returncode != 0 and "No matching distribution found for hatchling" in (
                    output
                ):
                    pytest.skip("cannot fetch hatchling from PyPI to build the plugin")
                assert result.returncode == 0, f"`{step.line}` failed:\n{output}"
                _check_output(step, result.stdout)
                if "--disable-plugin" in step.argv:
                    assert f"{DISTRIBUTION} 0.1.0, third-party, disabled" in result.stdout
    finally:
        _run([sys.executable, "-m", "pip", "uninstall", "-y", DISTRIBUTION], tmp_path)
    assert not _installed(), f"{DISTRIBUTION} is still installed after the test"


def test_the_tutorial_code_is_ruff_clean(tmp_path: Path) -> None:
    pytest.importorskip("ruff", reason="ruff is part of the test extra")
    for step in parse(_read(TUTORIAL)):
        if isinstance(step, File) and step.path.endswith(".py"):
            target = tmp_path / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
    # With ruff's own defaults, as a newcomer's project would have them (88 columns).
    for command in (["check"], ["format", "--check"]):
        result = _run([sys.executable, "-m", "ruff", *command, "--isolated", "."], tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("shown", "actual", "contiguous", "missing"),
    [
        (["a", "b"], ["x", "a", "b"], True, None),
        (["a", "...", "c"], ["a", "b", "c"], True, None),
        (["a", "c"], ["a", "b", "c"], True, "c"),
        (["a", "c"], ["a", "b", "c"], False, None),
        (["c", "a"], ["a", "b", "c"], False, "a"),
        (["a", "z"], ["a", "b"], True, "z"),
    ],
)
def test_shown_output_is_compared_in_order(
    shown: list[str], actual: list[str], contiguous: bool, missing: str | None
) -> None:
    assert _contains_in_order(actual, shown, contiguous=contiguous) == missing


# -- (b) the hook reference -------------------------------------------------------------------


def _hooks() -> dict[str, Callable[..., None]]:
    return {
        name: getattr(hookspecs, name)
        for name in dir(hookspecs)
        if name.startswith("evigrade_") and callable(getattr(hookspecs, name))
    }


def _signature(hook: Callable[..., None]) -> str:
    """``def name(param: Annotation) -> Return``, as hookspecs.py spells the annotations."""

    def spelled(annotation: object) -> str:
        return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)

    signature = inspect.signature(hook)
    params = ", ".join(
        f"{param.name}: {spelled(param.annotation)}" for param in signature.parameters.values()
    )
    return f"def {hook.__name__}({params}) -> {spelled(signature.return_annotation)}"


def test_hooks_md_says_what_keeps_it_in_step() -> None:
    head = "\n".join(_read(HOOKS).splitlines()[:5])
    assert "hookspecs.py" in head and "tests/test_tutorial.py" in head


def test_hooks_md_has_every_hook_with_its_signature_and_docstring() -> None:
    text = _read(HOOKS)
    hooks = _hooks()
    assert len(hooks) >= 5
    for name, hook in hooks.items():
        doc = inspect.getdoc(hook)
        assert doc, f"{name} has no docstring"
        assert f"`{name}`" in text, f"docs/hooks.md does not name {name}"
        assert _signature(hook) in text, f"docs/hooks.md lacks {_signature(hook)}"
        assert doc in text, f"docs/hooks.md does not have the docstring of {name} verbatim"


@pytest.mark.parametrize(
    "cls",
    [
        evigrade.plugin.Design,
        evigrade.plugin.Assessor,
        evigrade.plugin.Scheme,
        evigrade.plugin.OutputFormat,
    ],
    ids=lambda cls: cls.__name__,
)
def test_hooks_md_lists_every_field_of_what_the_hooks_register(cls: type) -> None:
    text = _read(HOOKS)
    match = re.search(rf"^### `{cls.__name__}`\n(.*?)(?=^#)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/hooks.md has no section ### `{cls.__name__}`"
    section = match[1]
    fields = [field.name for field in attrs.fields(cls)]
    assert [name for name in fields if f"| `{name}` |" not in section] == []


# -- (c) links ---------------------------------------------------------------------------------


def _link_targets(page: Path) -> list[tuple[str, str]]:
    """The local links of a page: (target path, anchor)."""
    links = re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", _read(page))
    return [(target, anchor) for target, anchor in links if "://" not in target]


def _anchors(text: str) -> set[str]:
    """The anchors GitHub makes of a page's headings (outside code blocks)."""
    anchors = set()
    in_code = False
    for line in text.splitlines():
        if line.startswith(FENCE):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("page", [TUTORIAL, HOOKS], ids=lambda page: page.name)
def test_links_of_the_tutorial_and_the_reference_resolve(page: Path) -> None:
    for target, anchor in _link_targets(page):
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), f"{page.name} links to missing {target}"
        if anchor:
            assert anchor in _anchors(_read(path)), (
                f"{page.name} links to missing {target}#{anchor}"
            )


@pytest.mark.parametrize("page", ["plugins/README.md", "docs/api.md"])
def test_plugin_pages_link_to_the_tutorial(page: str) -> None:
    path = ROOT / page
    assert any(
        (path.parent / target).resolve() == TUTORIAL.resolve() for target, _ in _link_targets(path)
    ), f"{page} does not link to docs/plugin-tutorial.md"
