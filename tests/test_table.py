"""The terminal table and ``evigrade compare``: fitted to 80, 100 and 200 columns, never cutting
a word, an id or a reason; stacked and never wrapped when written to a file or a pipe; the
steps shown at ``--detail moves`` and ``full``.

The seed examples are rendered under GRADE (the default) and under every scheme: the three
built-in ones and the SORT, NHMRC and ACC/AHA plugins of ``plugins/``, registered explicitly.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

import evigrade
from evigrade.builtin.formats import step_text
from evigrade.cli import main
from evigrade.compare import WALKOVER_NOTE, render_compare_table
from evigrade.kinds import OutputFormat, Registry, RenderOptions
from evigrade.model import Grade, RationaleStep
from evigrade.plugins import build_registry
from evigrade.terminal import ClaimBlock, SchemeLine, claims_text, terminal_width
from evigrade.text import printable

from .conftest import EXAMPLES, ROOT

SEEDS = sorted(EXAMPLES.glob("*.json"))
WIDTHS = (80, 100, 200)
PLUGINS = ("evigrade_sort", "evigrade_nhmrc", "evigrade_aha_loe")


def _registry() -> Registry:
    modules = [importlib.import_module(name) for name in PLUGINS]
    return build_registry(disable=("*",), plugins=modules)


REGISTRY = _registry()
SIX = ("grade", "cebm-2011", "pyramid", "sort", "nhmrc", "aha-loe")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@functools.cache
def _report(seed: Path, schemes: tuple[str, ...] | None) -> evigrade.Report:
    names = REGISTRY.select_schemes(schemes)
    return evigrade.grade_file(seed, names, registry=REGISTRY)


def _words(text: str) -> set[str]:
    return set(text.split())


def _shown_words(text: str) -> set[str]:
    """The words of laid-out text, each also without the punctuation the layout puts around
    a name or a direction (``grade:``, ``supports)``)."""
    words = _words(text)
    return words | {word.strip("():") for word in words}


def _whole(name: str, text: str) -> bool:
    """``name`` (an id) appears in ``text`` unbroken, not as part of a longer id."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text) is not None


def _shown(report: evigrade.Report, detail: str = "moves") -> Iterator[tuple[str, RationaleStep]]:
    options = RenderOptions(detail="full" if detail == "full" else "moves")
    for result in report.results:
        for name in report.schemes:
            for step in options.steps(result.grades[name]):
                yield name, step


def test_the_plugins_add_the_other_three_schemes() -> None:
    assert set(REGISTRY.schemes) == set(SIX)
    assert REGISTRY.failures == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("schemes", [None, ("all",)], ids=["grade", "all"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_the_table_fits_the_width_and_cuts_nothing(
    seed: Path, schemes: tuple[str, ...] | None, width: int
) -> None:
    report = _report(seed, schemes)
    text = evigrade.render(report, "table", registry=REGISTRY, width=width)
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert too_wide == []
    assert all(line == line.rstrip() for line in lines)
    words = _words(text)
    for result in report.results:
        assert result.claim.id in lines, f"{result.claim.id} is not on a line of its own"
        assert _words(result.claim.text) <= words
        for grade in result.grades.values():
            assert _words(grade.label) <= words
    for _, step in _shown(report):
        missing = _words(step.reason) - words
        assert not missing, f"cut or missing words of {step.reason!r}: {sorted(missing)}"
        for study in step.studies:
            assert _whole(study, text), study
    # One row (or head line) per claim and scheme: no scheme is dropped.
    header = [line for line in lines if line.split()[:1] in (["Scheme"], ["Grade"])]
    rows = [line for line in lines if re.match(r"  \S", line) and line not in header]
    assert len(rows) == len(report.results) * len(report.schemes)
    if len(report.schemes) > 1:
        for name in report.schemes:
            named = [line for line in rows if re.match(rf"  {re.escape(name)}(:| |$)", line)]
            assert len(named) == len(report.results), name


def test_several_schemes_stack_at_80_columns_and_align_when_there_is_room() -> None:
    seed = EXAMPLES / "ldn-multiple-sclerosis.json"
    narrow = evigrade.render(_report(seed, ("all",)), registry=REGISTRY, width=80)
    assert "Reasons" not in narrow.splitlines()[3]  # no header: each scheme stacked
    assert "\n  grade: Very low (direction: supports)\n    - start Very low: " in narrow
    wide = evigrade.render(_report(seed, ("all",)), registry=REGISTRY, width=200)
    header = next(line for line in wide.splitlines() if line.startswith("  Scheme"))
    assert header.split() == ["Scheme", "Grade", "Direction", "Reasons"]
    one = evigrade.render(_report(seed, None), registry=REGISTRY, width=80)
    assert "  Grade        Direction  Reasons" in one.splitlines()  # no column for one scheme
    assert "  Very low     supports   - start Very low: uncontrolled studies (single-arm" in one


@pytest.mark.parametrize("schemes", [(), ("--scheme", "all")], ids=["grade", "all"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_piped_or_redirected_the_table_has_every_reason_whole_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed: Path, schemes: tuple[str, ...]
) -> None:
    code, piped, _ = run(capsys, "grade", seed, *schemes)
    assert code == 0
    saved = tmp_path / "report.txt"
    assert run(capsys, "grade", seed, *schemes, "-o", saved)[:2] == (0, "")
    assert saved.read_text(encoding="utf-8") == piped
    assert run(capsys, "grade", seed, *schemes, "--width", "0")[1] == piped
    lines = piped.splitlines()
    registry = evigrade.get_registry()
    report = evigrade.grade_file(seed, registry.select_schemes(schemes[1:]), registry=registry)
    for result in report.results:
        assert result.claim.id in lines and printable(result.claim.text) in lines
        for name in report.schemes:
            grade = result.grades[name]
            assert f"  {name}: {grade.label} (direction: {grade.direction})" in lines
    for _, step in _shown(report):
        assert f"    - {step_text(step)}" in lines
        assert step.reason in piped


def test_the_width_is_the_terminal_s_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    assert terminal_width(io.StringIO()) is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "93")
    assert terminal_width(Terminal()) == 93


def test_cli_width_lays_the_table_out_for_that_many_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = EXAMPLES / "ketamine-multiple-sclerosis.json"
    _, out, _ = run(capsys, "grade", seed, "--width", "80")
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert ["Grade", "Direction", "Reasons"] in [line.split() for line in out.splitlines()]
    code, _, err = run(capsys, "grade", seed, "--width", "-3")
    assert code == 2 and "--width" in err


# -- the detail option ------------------------------------------------------------------------


def test_moves_leaves_out_neutral_domains_and_full_shows_every_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = EXAMPLES / "ldn-multiple-sclerosis.json"
    _, moves, _ = run(capsys, "grade", seed)
    _, full, _ = run(capsys, "grade", seed, "--detail", "full")
    neutral = "Inconsistency (not serious): 1 study: consistency cannot be judged"
    assert neutral not in moves and neutral in full
    assert "Large effect (none): " not in moves and "Large effect (none): " in full
    assert "Imprecision -1 (serious): no confidence interval; 40 participants" in moves
    report = evigrade.grade_file(seed, ["grade"])
    for result in report.results:
        for step in result.grades["grade"].rationale:
            assert f"    - {step_text(step)}" in full.splitlines()
    _, json_moves, _ = run(capsys, "grade", seed, "-f", "json", "--detail", "moves")
    _, json_full, _ = run(capsys, "grade", seed, "-f", "json", "--detail", "full")
    assert json_moves == json_full  # JSON always has every step
    assert "1 study: consistency cannot be judged" in json_moves


def test_moves_keeps_what_moved_the_grade_and_the_notes_that_matter() -> None:
    report = evigrade.grade_file(EXAMPLES / "ketamine-multiple-sclerosis.json", ["grade"])
    options = RenderOptions()
    kinds = {
        step.kind for result in report.results for step in options.steps(result.grades["grade"])
    }
    assert "check" not in kinds  # every rule check of these files rated neutral
    for result in report.results:
        grade = result.grades["grade"]
        shown = options.steps(grade)
        moved = [step for step in grade.rationale if step.change]
        assert [step for step in shown if step.change] == moved
        assert [s.kind for s in shown if s.kind == "start"] == ["start"]
        for note in grade.pending:
            assert any(note.study in step.studies and "pending" in step.reason for step in shown)
        for note in grade.excluded:
            assert any(note.study in step.studies for step in shown), note
    fatigue = next(r for r in report.results if r.claim.id == "ketamine-relieves-depression-in-ms")
    reasons = [step.reason for step in options.steps(fatigue.grades["grade"])]
    assert any(reason.startswith("also rated: randomized trials") for reason in reasons)


def _grade(*steps: RationaleStep) -> Grade:
    return Grade("grade", "Low", 2, "supports", steps)


def test_render_options_steps() -> None:
    start = RationaleStep("start", "start High: randomized trials", ("a",))
    neutral = RationaleStep(
        "check", "none recorded", ("a",), source="rule", domain="risk_of_bias", rating="not-serious"
    )
    reviewer = attrs.evolve(neutral, source="reviewer", reason="judged by hand")
    serious_unmoved = attrs.evolve(neutral, rating="serious", reason="floor reached")
    down = RationaleStep(
        "down", "small", ("a",), source="rule", domain="imprecision", rating="serious", change=-1
    )
    note_b = RationaleStep("note", "not counted: reports nothing on this claim", ("b",))
    note_c = attrs.evolve(note_b, studies=("c",))
    grade = _grade(start, neutral, reviewer, serious_unmoved, down, note_b, note_c)
    assert RenderOptions().steps(grade) == (
        start,
        reviewer,
        serious_unmoved,
        down,
        attrs.evolve(note_b, studies=("b", "c")),
    )
    assert RenderOptions(detail="full").steps(grade) == grade.rationale
    with pytest.raises(ValueError, match="detail"):
        RenderOptions(detail="some")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="width must be"):
        RenderOptions(width=0)


def test_markdown_follows_the_detail() -> None:
    report = evigrade.grade_file(EXAMPLES / "ldn-multiple-sclerosis.json", ["grade"])
    moves = evigrade.render(report, "markdown")
    full = evigrade.render(report, "markdown", detail="full")
    assert "domains judged neutral (not serious, none, absent) are left out" in moves
    assert "Inconsistency (not-serious)" not in moves and "Inconsistency (not-serious)" in full
    assert "Imprecision (serious) **-1**" in moves


# -- third-party formats ----------------------------------------------------------------------


def test_a_format_with_a_one_argument_render_still_works(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[RenderOptions] = []

    def ids(report: evigrade.Report) -> str:
        return "".join(f"{result.claim.id}\n" for result in report.results)

    def widths(report: evigrade.Report, options: RenderOptions) -> str:
        seen.append(options)
        return f"{options.detail} {options.width}\n"

    class Plugin:
        @evigrade.plugin.hookimpl
        def evigrade_register_formats(self, register: object) -> None:
            register(OutputFormat("ids", ids))  # type: ignore[operator]
            register(OutputFormat("widths", widths, takes_options=True))  # type: ignore[operator]

    registry = build_registry(plugins=[Plugin()])
    report = evigrade.grade_file(SEEDS[0], registry=registry)
    assert (
        evigrade.render(report, "ids", registry=registry).splitlines()[0]
        == "ketamine-reduces-ms-fatigue"
    )
    assert evigrade.render(report, "widths", registry=registry, width=90) == "moves 90\n"
    monkeypatch.setattr("evigrade.cli.common.get_registry", lambda **_: registry)
    code, out, _ = run(
        capsys, "grade", SEEDS[0], "-f", "widths", "--detail", "full", "--width", "120"
    )
    assert (code, out) == (0, "full 120\n")
    code, out, _ = run(capsys, "grade", SEEDS[0], "-f", "widths")
    assert (code, out) == (0, "moves None\n")  # not a terminal
    assert seen[-1] == RenderOptions()


# -- compare ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [*WIDTHS, None])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_compare_never_drops_a_scheme_and_shows_each_direction(
    seed: Path, width: int | None
) -> None:
    report = _report(seed, ("all",))
    text = render_compare_table(report, REGISTRY, width)
    lines = text.splitlines()
    if width is not None:
        assert max(cell_len(line) for line in lines) <= width
    words = _shown_words(text)
    ranks = re.findall(r"\((\d+)/(\d+)\)", text)
    assert len(ranks) == len(report.results) * len(SIX)
    for result in report.results:
        assert result.claim.id in words
        assert _words(result.claim.text) <= words
        for name, grade in result.grades.items():
            top = len(REGISTRY.schemes[name].labels) - 1
            assert _words(grade.label) | {f"({grade.rank}/{top})", grade.direction} <= words
    assert _words(WALKOVER_NOTE) <= words


def test_compare_is_side_by_side_when_it_fits_and_listed_under_each_claim_otherwise() -> None:
    report = _report(EXAMPLES / "ldn-mast-cell-activation.json", ("all",))
    wide = render_compare_table(report, REGISTRY, 200).splitlines()
    assert wide[2].split() == ["Claim", *report.schemes]
    assert wide[4].split()[0] == "ldn-may-benefit-mcas"
    assert wide[5].split()[-6:] == ["supports"] * 6  # the direction under each grade
    narrow = render_compare_table(report, REGISTRY, 80).splitlines()
    assert narrow[2].split() == ["Scheme", "Grade", "Direction"]
    start = narrow.index("ldn-may-benefit-mcas")
    assert [line.split()[0] for line in narrow[start + 3 : start + 9]] == list(report.schemes)
    piped = render_compare_table(report, REGISTRY)
    assert (
        "\n  pyramid: Cohort or non-randomized controlled study (6/8) (direction: supports)\n"
        in piped
    )


def test_compare_cli_shows_every_scheme_with_its_direction(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = EXAMPLES / "ldn-multiple-sclerosis.json"
    code, out, _ = run(capsys, "compare", seed, "--width", "80")
    assert code == 0
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    start = out.splitlines().index("ldn-improves-quality-of-life")
    rows = out.splitlines()[start + 2 : start + 5]
    assert [row.split() for row in rows] == [
        ["grade", "Low", "(2/4)", "mixed"],
        ["cebm-2011", "Level", "3", "(3/5)", "mixed"],
        ["pyramid", "Randomized", "controlled", "trial", "(7/8)", "mixed"],
    ]
    _, document, _ = run(capsys, "compare", seed, "-f", "json")
    assert [s["name"] for s in json.loads(document)["schemes"]] == ["grade", "cebm-2011", "pyramid"]


# -- the layout itself ------------------------------------------------------------------------


def test_control_characters_from_a_file_are_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads((EXAMPLES / "ketamine-multiple-sclerosis.json").read_text("utf-8"))
    data["claims"][0]["text"] = "Red \x1b[31malert\x1b[0m\nand a second line\tend"
    path = tmp_path / "controls.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for width in ("0", "80"):
        code, out, _ = run(capsys, "grade", path, "--width", width)
        assert code == 0
        assert "\x1b" not in out and "\t" not in out
        assert "Red \\x1b[31malert\\x1b[0m and a second line end" in out
    assert printable("a\u2028b\x7fc\x85d") == "a b\\x7fc d"


#: A word: letters, digits, punctuation and symbols of any script, beginning and ending with
#: a letter or digit (so that it is told apart from the layout's own punctuation).
ALNUM = st.characters(codec="utf-8", categories=("L", "Nd"))
WORD = ALNUM | st.tuples(
    ALNUM,
    st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), max_size=22),
    ALNUM,
).map("".join)
TEXT = st.lists(WORD, min_size=1, max_size=30).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(min_value=60, max_value=220),
    claims=st.lists(
        st.tuples(
            WORD,
            TEXT,
            st.lists(st.tuples(WORD, TEXT, st.lists(TEXT, max_size=4)), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_every_word_of_any_text_is_laid_out_whole(
    width: int, claims: list[tuple[str, str, list[tuple[str, str, list[str]]]]]
) -> None:
    blocks = [
        ClaimBlock(
            claim_id,
            text,
            tuple(
                SchemeLine(scheme, label, "supports", tuple(steps))
                for scheme, label, steps in lines
            ),
        )
        for claim_id, text, lines in claims
    ]
    # One scheme throughout has no column of its own: the title names it, as the table's does.
    schemes = {scheme for _, _, lines in claims for scheme, _, _ in lines}
    title = "graded under " + " ".join(sorted(schemes))
    for layout in (width, None):
        out = claims_text(title, blocks, layout)
        lines = out.splitlines()
        if layout is not None:
            assert max(cell_len(line) for line in lines) <= layout
        words = _shown_words(out)
        for claim_id, text, scheme_lines in claims:
            assert claim_id in lines
            assert _words(text) <= words
            for scheme, label, steps in scheme_lines:
                assert _words(" ".join([scheme, label, *steps])) <= words


# -- the docs show the real output ------------------------------------------------------------


def _block_after(text: str, marker: str) -> list[str]:
    """The lines of the first fenced block after ``marker``, up to a line ``...``."""
    rest = text[text.index(marker) :].split("```", 2)[1]
    lines = rest.split("\n")[1:]
    return lines[: lines.index("...")] if "..." in lines else lines[:-1]


@pytest.mark.parametrize(
    ("page", "marker"),
    [
        ("README.md", "In a terminal 80 columns wide it"),
        ("docs/getting-started.md", "The first two claims, in a terminal 80 columns wide:"),
    ],
)
def test_the_first_command_s_output_in_the_docs_is_the_real_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, page: str, marker: str
) -> None:
    monkeypatch.chdir(ROOT)
    shown = _block_after((ROOT / page).read_text(encoding="utf-8"), marker)
    _, out, _ = run(capsys, "grade", "examples/ldn-multiple-sclerosis.json", "--width", "80")
    assert len(shown) > 20
    assert out.splitlines()[: len(shown)] == shown


def _console(text: str, heading: str) -> list[tuple[str, list[str]]]:
    """The ``$ `` commands of the console blocks of a section (up to the next heading), each
    with the lines shown after it (up to a line ``...``)."""
    section = text[text.index(heading) + len(heading) :]
    section = section[: section.index("\n#")] if "\n#" in section else section
    commands: list[tuple[str, list[str]]] = []
    for block in section.split("```console\n")[1:]:
        for line in block.split("\n```", 1)[0].split("\n"):
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands:
                commands[-1][1].append(line)
    return [
        (command, shown[: shown.index("...")] if "..." in shown else shown)
        for command, shown in commands
    ]


@pytest.mark.parametrize("heading", ["### table\n", "## compare\n"])
def test_the_table_and_compare_examples_of_cli_md_are_the_real_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, heading: str
) -> None:
    monkeypatch.chdir(ROOT)
    saved: dict[str, str] = {}
    commands = _console((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), heading)
    assert len(commands) >= 2
    for command, shown in commands:
        words = shlex.split(command)
        if words[0] == "head":
            out = "".join(saved[words[2]].splitlines(keepends=True)[: int(words[1].lstrip("-"))])
        else:
            assert words[0] == "evigrade"
            target = words[words.index(">") + 1] if ">" in words else None
            args = words[1 : words.index(">")] if target else words[1:]
            code, out, _ = run(capsys, *args)
            assert code == 0, command
            if target:
                saved[target] = out
                out = ""
        assert out.splitlines()[: len(shown)] == shown, command


def test_the_format_that_takes_options_in_hooks_md_works() -> None:
    text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    code = text[text.index("A format that takes options:") :].split("```python\n", 1)[1]
    namespace: dict[str, object] = {}
    exec(code.split("```", 1)[0], namespace)  # the example as a plugin module's body
    plugin = type("Plugin", (), {})()
    plugin.evigrade_register_formats = namespace["evigrade_register_formats"]  # type: ignore[attr-defined]
    registry = build_registry(disable=("*",), plugins=[plugin])
    report = evigrade.grade_file(
        EXAMPLES / "ketamine-multiple-sclerosis.json", ["grade"], registry=registry
    )
    moves = evigrade.render(report, "moves", registry=registry).splitlines()
    full = evigrade.render(report, "moves", registry=registry, detail="full").splitlines()
    start = "start High: randomized trials (randomized controlled trial)"
    assert moves[0] == f"ketamine-reduces-ms-fatigue\tgrade\tstart\t{start}"
    assert len(full) > len(moves) and set(moves) <= set(full)


def test_no_scheme_can_take_the_name_that_selects_every_scheme() -> None:
    with pytest.raises(ValueError, match="cannot be called 'all'"):
        evigrade.plugin.Scheme("all", "Everything", ("none",), lambda assessment: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="unknown scheme 'nope'; available: grade"):
        REGISTRY.select_schemes(["grade", "nope"])
    with pytest.raises(TypeError, match="sequence of scheme names"):
        REGISTRY.select_schemes("grade")
    assert REGISTRY.select_schemes(["sort", "grade", "sort"]) == ("sort", "grade")
    assert REGISTRY.select_schemes(()) == REGISTRY.select_schemes() == ("grade",)


@pytest.mark.parametrize("token", [40, 50, 60, 70])
def test_a_long_id_moves_whole_to_a_line_of_its_own_rather_than_being_cut(token: int) -> None:
    claim_id = "a-claim-" + "x" * (token - 8)
    study = "a-study-" + "y" * (token - 8)
    step = f"not counted: cited, but reports nothing on this claim [{study}]"
    blocks = [
        ClaimBlock(claim_id, "Some claim text", (SchemeLine("grade", "Low", "none", (step,)),))
    ]
    out = claims_text("graded under grade", blocks, 80)
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert claim_id in lines
    assert any(f"[{study}]" in line for line in lines)
    # Only a word longer than the whole line is folded: the one case where nothing else fits.
    narrow = claims_text("t", blocks, 30).splitlines()
    assert max(cell_len(line) for line in narrow) <= 30
    assert "".join(line.strip() for line in narrow).count(claim_id) == 1


def test_a_scheme_that_fails_is_shown_failed_in_its_row() -> None:
    def broken(assessment: object) -> Grade:
        raise ZeroDivisionError("oops")

    class Plugin:
        @evigrade.plugin.hookimpl
        def evigrade_register_schemes(self, register: object) -> None:
            scheme = evigrade.plugin.Scheme("broken", "Broken", ("none", "some"), broken)
            register(scheme)  # type: ignore[operator]

    registry = build_registry(disable=("*",), plugins=[Plugin()])
    seed = EXAMPLES / "ketamine-multiple-sclerosis.json"
    report = evigrade.grade_file(seed, ["grade", "broken"], registry=registry)
    assert report.failures
    for width in (80, 200, None):
        text = evigrade.render(report, registry=registry, width=width)
        lines = text.splitlines()
        failed = [line for line in lines if "(failed)" in line]
        assert len(failed) == len(report.results)
        assert all(line.split()[0] in ("broken", "broken:") for line in failed)
