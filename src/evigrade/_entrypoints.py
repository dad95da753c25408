"""The entry points of one group, found without importing :mod:`importlib.metadata`.

Importing importlib.metadata (it imports :mod:`email`, :mod:`zipfile`, :mod:`pathlib` ...) and
scanning every distribution with it takes longer than the rest of ``evigrade validate`` on a small
file. :func:`entry_points` reads what importlib.metadata reads, in the same order: the
``entry_points.txt`` of each ``.dist-info`` or ``.egg-info`` directory in the directories of
:data:`sys.path`, the first distribution of each name winning. Wherever importlib.metadata might
read something differently (a zip file or an egg on sys.path, a finder of distributions on
:data:`sys.meta_path`, a malformed entry point, metadata that is not plain headers), it asks
importlib.metadata instead, so the result is always importlib.metadata's.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import os
import re
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["EntryPoint", "entry_points"]

_INFO_SUFFIXES = (".dist-info", ".egg-info")
#: The errors that make importlib.metadata treat a metadata file as missing.
_SUPPRESSED = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


class EntryPoint:
    """An entry point (``name = value`` in ``group``) and its distribution's name and version."""

    __slots__ = ("_load", "distribution", "group", "name", "value", "version")

    def __init__(
        self,
        name: str,
        value: str,
        group: str,
        distribution: str | None,
        version: str | None,
        load: Callable[[], Any] | None = None,
    ) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.distribution = distribution
        self.version = version
        self._load = load

    def load(self) -> Any:
        """Import the module the value names and return the object it names in it."""
        if self._load is not None:
            return self._load()
        match = _pattern().match(self.value)
        if match is None:  # a scan refuses such values: importlib.metadata says what is wrong
            from importlib.metadata import EntryPoint as Standard

            return Standard(self.name, self.value, self.group).load()
        module = importlib.import_module(match.group("module"))
        names = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, names, module)

    def __repr__(self) -> str:
        return (
            f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r}, "
            f"distribution={self.distribution!r}, version={self.version!r})"
        )


@functools.cache
def _pattern() -> re.Pattern[str]:
    # importlib.metadata.EntryPoint.pattern
    return re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class _Unsure(Exception):
    """Something importlib.metadata may read differently: ask it instead."""


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of the installed distributions, in importlib.metadata's
    order, each with its distribution's ``Name`` and ``Version``."""
    try:
        return _scan(group)
    except _Unsure:
        return _standard(group)


def _standard(group: str) -> list[EntryPoint]:
    from importlib import metadata

    found = []
    for entry_point in metadata.entry_points(group=group):
        dist = getattr(entry_point, "dist", None)
        found.append(
            EntryPoint(
                entry_point.name,
                entry_point.value,
                entry_point.group,
                dist.metadata["Name"] if dist is not None else None,
                dist.version if dist is not None else None,
                entry_point.load,
            )
        )
    return found


def _normalize(name: str) -> str:
    # importlib.metadata.Prepared.normalize
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _scan(group: str) -> list[EntryPoint]:
    for finder in sys.meta_path:
        if finder is not importlib.machinery.PathFinder and hasattr(finder, "find_distributions"):
            raise _Unsure
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for root in list(sys.path):
        for name, path in _distributions(root):
            if name in seen:
                continue
            seen.add(name)
            pairs = [(key, value) for section, key, value in _pairs(path) if section == group]
            if pairs:
                dist_name, version = _name_and_version(path)
                found.extend(EntryPoint(k, v, group, dist_name, version) for k, v in pairs)
    return found


def _distributions(root: object) -> list[tuple[str, str]]:
    """(normalized name, metadata path) of the distributions in one sys.path directory, in the
    order importlib.metadata lists them (grouped by name, in the order names first appear)."""
    if not isinstance(root, str) or os.path.basename(root).lower().endswith(".egg"):
        raise _Unsure
    try:
        children = os.listdir(root or ".")
    except Exception:
        if os.path.isfile(root):  # perhaps a zip file, which importlib.metadata also searches
            raise _Unsure from None
        return []
    by_name: dict[str, list[str]] = {}
    for child in children:
        if not child.lower().endswith(_INFO_SUFFIXES):
            continue
        if not child.endswith(_INFO_SUFFIXES):
            raise _Unsure  # importlib.metadata would take the name from the metadata instead
        name = _normalize(child.rpartition(".")[0].partition("-")[0])
        by_name.setdefault(name, []).append(os.path.join(root, child))
    return [(name, path) for name, paths in by_name.items() for path in paths]


def _read(path: str, filename: str) -> str | None:
    try:
        with open(os.path.join(path, filename) if filename else path, encoding="utf-8") as stream:
            return stream.read()
    except _SUPPRESSED:
        return None
    except (OSError, ValueError):
        raise _Unsure from None


def _pairs(path: str) -> list[tuple[str | None, str, str]]:
    """(section, name, value) of each entry of a distribution's ``entry_points.txt``, as
    importlib.metadata.Sectioned reads them."""
    pairs: list[tuple[str | None, str, str]] = []
    section: str | None = None
    for line in map(str.strip, (_read(path, "entry_points.txt") or "").splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise _Unsure  # importlib.metadata raises (or, in later versions, skips the line)
        value = value.strip()
        if _pattern().match(value) is None:
            raise _Unsure  # later versions of importlib.metadata raise
        pairs.append((section, name.strip(), value))
    return pairs


def _name_and_version(path: str) -> tuple[str | None, str | None]:
    """The ``Name`` and ``Version`` headers of a distribution's metadata, as importlib.metadata
    reads them (the first of each) when they are on one line each."""
    text = _read(path, "METADATA") or _read(path, "PKG-INFO") or _read(path, "")
    if text is None:
        raise _Unsure
    found: dict[str, str] = {}
    folded: set[str] = set()
    last = ""
    for line in text.split("\n"):  # read with universal newlines: "\n" ends every line
        if line[:1] in (" ", "\t"):
            if not last:
                raise _Unsure
            folded.add(last)
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or any(c <= " " or c > "~" for c in name):
            if line:  # not a header: the email parser would see a defect
                raise _Unsure
            break  # the end of the headers
        last = name.lower()
        found.setdefault(last, value.lstrip(" \t"))
    if folded & {"name", "version"}:
        raise _Unsure  # importlib.metadata re-indents folded values
    return found.get("name"), found.get("version")
