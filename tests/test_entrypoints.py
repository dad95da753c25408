"""evigrade.entrypoints reads the entry points importlib.metadata reads, in its order, with the
same distribution names and versions, and asks importlib.metadata wherever it might differ."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.metadata
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evigrade import entrypoints

GROUP = "evigrade"


def _standard(group: str) -> list[tuple[str, str, str | None, str | None]]:
    importlib.invalidate_caches()  # importlib.metadata keeps each directory's listing
    found = []
    for entry_point in importlib.metadata.entry_points(group=group):
        dist = entry_point.dist
        assert dist is not None
        found.append((entry_point.name, entry_point.value, dist.metadata["Name"], dist.version))
    return found


def _ours(group: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.name, e.value, e.distribution, e.version) for e in entrypoints.entry_points(group)]


def _dist(
    site: Path,
    folder: str,
    entry_points: str | None,
    metadata: str = "Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
    name: str | None = None,
) -> Path:
    info = site / folder
    info.mkdir(parents=True)
    dist_name = name or folder.partition("-")[0]
    (info / "METADATA").write_text(metadata.format(name=dist_name), encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")
    return info


@pytest.fixture(autouse=True)
def _standard_finders(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard finder of distributions alone, as in a fresh interpreter. A library an
    earlier test imported may have put its own in (importlib_metadata, the backport, does, and
    takes the standard one's method away), and evigrade then asks importlib.metadata, as it
    should; these tests compare the two readers in the standard state."""
    path_finder = importlib.machinery.PathFinder
    standard = [
        finder
        for finder in sys.meta_path
        if finder is path_finder or not getattr(finder, "find_distributions", None)
    ]
    monkeypatch.setattr(sys, "meta_path", standard)
    if getattr(path_finder, "find_distributions", None) is None:

        def find_distributions(*args: Any, **kwargs: Any) -> Any:
            return importlib.metadata.MetadataPathFinder.find_distributions(*args, **kwargs)

        monkeypatch.setattr(
            path_finder, "find_distributions", staticmethod(find_distributions), raising=False
        )


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """sys.path of two directories, ``first`` and ``second``, and nothing else."""
    dirs = [tmp_path / "first", tmp_path / "second"]
    for folder in dirs:
        folder.mkdir()
    monkeypatch.setattr(sys, "path", [str(folder) for folder in dirs])
    yield sys.path
    importlib.invalidate_caches()


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each time importlib.metadata is asked instead of the directories read."""
    asked: list[str] = []
    standard = entrypoints._standard

    def ask(group: str) -> list[entrypoints.EntryPoint]:
        asked.append(group)
        return standard(group)

    monkeypatch.setattr(entrypoints, "_standard", ask)
    return asked


@pytest.mark.parametrize("group", ["evigrade", "console_scripts", "pytest11", "nothing-at-all"])
def test_the_installed_entry_points_are_those_importlib_metadata_reads(
    group: str, scanned: list[str]
) -> None:
    assert _ours(group) == _standard(group)
    assert scanned == []  # read from the directories, importlib.metadata not asked


def test_order_the_first_distribution_of_a_name_and_every_kind_of_line(
    path: list[str], scanned: list[str]
) -> None:
    first, second = (Path(folder) for folder in path)
    text = (
        "# a comment\n"
        "stray = before any section\n"
        "[console_scripts]\n"
        "tool = alpha.cli:main\n"
        "\n"
        "[evigrade]\n"
        "  zeta   =   alpha.plugin : hooks.inner [extra1, extra2]  \n"
        "alpha = alpha\n"
        "[evigrade.other]\n"
        "ignored = alpha.other\n"
    )
    _dist(first, "Alpha_Pkg-2.0.dist-info", text, name="Alpha.Pkg")
    _dist(first, "beta-1.0.egg-info", "[evigrade]\nbeta = beta:plugin\n")
    _dist(first, "gamma-1.0.dist-info", None)  # no entry points at all
    _dist(first, "delta-1.0.dist-info", "[evigrade]\n")
    # the same distribution again further down the path (alpha-pkg normalizes alike): ignored
    _dist(second, "alpha.pkg-1.0.dist-info", "[evigrade]\nshadowed = old\n", name="alpha.pkg")
    _dist(second, "epsilon-3-py3.dist-info", "[evigrade]\nbeta = epsilon\n")  # a second "beta"
    (second / "not-a-dist.txt").write_text("", encoding="utf-8")
    found = _ours(GROUP)
    assert found == _standard(GROUP)
    assert scanned == []
    assert ("zeta", "alpha.plugin : hooks.inner [extra1, extra2]", "Alpha.Pkg", "1.0") in found
    assert {name for name, *_ in found} == {"zeta", "alpha", "beta"}
    assert [name for name, *_ in found].count("beta") == 2
    assert _ours("console_scripts") == _standard("console_scripts")


def test_name_and_version_are_the_first_headers_as_the_email_parser_reads_them(
    path: list[str], scanned: list[str]
) -> None:
    first = Path(path[0])
    metadata = (
        "Metadata-Version: 2.1\n"
        "Summary: one line\n"
        "  and its continuation\n"
        "name:\t{name}\n"
        "Version:   1.0 \n"
        "Name: later\n"
        "\n"
        "Version: in the body\n"
    )
    _dist(first, "one-1.0.dist-info", "[evigrade]\none = one\n", metadata, name="One")
    pkg = first / "two-2.0.egg-info"
    pkg.mkdir()
    (pkg / "PKG-INFO").write_text("Name: two\nVersion: 2.0\n", encoding="utf-8")
    (pkg / "entry_points.txt").write_text("[evigrade]\ntwo = two\n", encoding="utf-8")
    found = _ours(GROUP)
    assert found == _standard(GROUP)  # in the order the directory lists them
    assert sorted(found) == [("one", "one", "One", "1.0 "), ("two", "two", "two", "2.0")]
    assert scanned == []


@pytest.mark.parametrize(
    "metadata",
    [
        "Name: folded\n  name\nVersion: 1.0\n",  # a folded name: joined by the email parser
        "From someone\nName: {name}\nVersion: 1.0\n",
        "Version: 1.0\n",  # no name
        "\ufeffName: {name}\nVersion: 1.0\n",  # a byte-order mark before the first header
    ],
    ids=["folded", "from", "no-name", "bom"],
)
def test_headers_read_otherwise_are_left_to_importlib_metadata(
    path: list[str], scanned: list[str], metadata: str
) -> None:
    _dist(Path(path[0]), "odd-1.0.dist-info", "[evigrade]\nodd = odd\n", metadata)
    assert _ours(GROUP) == _standard(GROUP)
    assert scanned == [GROUP]


def test_a_suffix_in_capitals_is_left_to_importlib_metadata(
    path: list[str], scanned: list[str]
) -> None:
    _dist(Path(path[0]), "Shout-1.0.DIST-INFO", "[evigrade]\nshout = shout\n")
    assert _ours(GROUP) == _standard(GROUP)
    assert scanned == [GROUP]


def test_a_zip_file_on_the_path_is_left_to_importlib_metadata(
    path: list[str], scanned: list[str], tmp_path: Path
) -> None:
    site = tmp_path / "site.zip"
    with zipfile.ZipFile(site, "w") as zipped:
        zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
        zipped.writestr("zipped-1.0.dist-info/entry_points.txt", "[evigrade]\nzipped = z\n")
    path.append(str(site))
    path.append(str(tmp_path / "missing"))  # a directory that is not there: nothing in it
    assert _ours(GROUP) == _standard(GROUP) == [("zipped", "z", "zipped", "1.0")]
    assert scanned == [GROUP]


def test_a_finder_of_distributions_is_left_to_importlib_metadata(
    path: list[str], scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Finder:
        @staticmethod
        def find_spec(*args: object) -> None:
            return None

        @staticmethod
        def find_distributions(*args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder, *sys.meta_path])
    _dist(Path(path[0]), "plain-1.0.dist-info", "[evigrade]\nplain = plain\n")
    assert _ours(GROUP) == _standard(GROUP)
    assert scanned == [GROUP]


def test_without_the_standard_finder_importlib_metadata_is_asked(
    path: list[str], scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _dist(Path(path[0]), "plain-1.0.dist-info", "[evigrade]\nplain = plain\n")
    monkeypatch.delattr(importlib.machinery.PathFinder, "find_distributions")
    assert _ours(GROUP) == _standard(GROUP) == []  # nothing finds distributions any more
    assert scanned == [GROUP]


def test_a_line_importlib_metadata_cannot_read_raises_as_it_does(path: list[str]) -> None:
    _dist(Path(path[0]), "bad-1.0.dist-info", "[console_scripts]\nno equals sign\n")
    with pytest.raises(TypeError):
        importlib.metadata.entry_points(group=GROUP)
    with pytest.raises(TypeError):
        entrypoints.entry_points(GROUP)


def test_loading_imports_the_module_and_follows_the_attribute_path(
    path: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Path(path[0])
    (first / "loaded_plugin.py").write_text(
        "class hooks:\n    class inner:\n        pass\n", encoding="utf-8"
    )
    monkeypatch.delitem(sys.modules, "loaded_plugin", raising=False)
    text = (
        "[evigrade]\n"
        "module = loaded_plugin\n"
        "nested = loaded_plugin : hooks.inner [extra]\n"
        "bad = not a:valid value\n"
    )
    _dist(first, "loaded-1.0.dist-info", text)
    ours = {e.name: e for e in entrypoints.entry_points(GROUP)}
    standard = {e.name: e for e in importlib.metadata.entry_points(group=GROUP)}
    try:
        assert ours["module"].load() is standard["module"].load() is sys.modules["loaded_plugin"]
        assert ours["nested"].load() is standard["nested"].load()
        assert ours["nested"].load().__qualname__ == "hooks.inner"
        with pytest.raises(AttributeError) as expected:
            standard["bad"].load()
        with pytest.raises(AttributeError) as raised:
            ours["bad"].load()
        assert str(raised.value) == str(expected.value)
    finally:
        sys.modules.pop("loaded_plugin", None)
    assert "loaded-1.0" not in repr(ours["module"])
    assert repr(ours["module"]) == (
        "EntryPoint(name='module', value='loaded_plugin', group='evigrade', "
        "distribution='loaded', version='1.0')"
    )


@pytest.mark.parametrize(
    "name", ["Foo_Bar", "foo__bar", "zope.interface", "a-b", "X", "a_-.b", "_x_", "foo___"]
)
def test_names_are_normalized_as_importlib_metadata_normalizes_them(name: str) -> None:
    assert entrypoints._normalize(name) == importlib.metadata.Prepared.normalize(name)


@pytest.mark.parametrize(
    "value",
    [
        "plugin",
        "pkg.mod",
        "pkg.mod:attr",
        "pkg.mod:obj.attr",
        "pkg.mod : obj.attr [extra1, extra2]",
        "pkg.mod:attr [x]",
        "mod [x]",
        "módulo:atributo",
        "1st.mod:2nd",
        "mod:",
        ":attr",
        "a b",
        "mod:attr:more",
        "pkg-mod:attr",
        "",
    ],
)
def test_a_value_names_what_importlib_metadata_s_pattern_reads(value: str) -> None:
    match = importlib.metadata.EntryPoint.pattern.match(value)
    expected = (match.group("module"), match.group("attr") or "") if match else None
    assert entrypoints._module_and_attribute(value) == expected
