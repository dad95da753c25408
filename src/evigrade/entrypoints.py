"""The entry points of one group, read without importing :mod:`importlib.metadata`.

Importing importlib.metadata (it brings :mod:`email`, :mod:`zipfile`, :mod:`pathlib`,
:mod:`csv` ...), reading every distribution's entry points with it and parsing two of their
metadata files with the email parser cost more than the rest of ``evigrade validate`` of a
small file. :func:`entry_points` reads what importlib.metadata reads, in its order: the
``entry_points.txt`` of every ``*.dist-info`` and ``*.egg-info`` in the directories of
:data:`sys.path`, the first distribution of each (normalized) name winning, and the ``Name`` and
``Version`` headers of the metadata of those that have entry points in the group. Nothing is
cached: every call reads the directories again, so a distribution installed or removed since is
seen as importlib.metadata sees it.

Wherever importlib.metadata might read something differently (a zip file or an egg on
:data:`sys.path`, another finder of distributions on :data:`sys.meta_path`, a name whose case
hides its suffix, a line or a header this reader does not take as importlib.metadata does, a
file that cannot be decoded), the whole question is put to importlib.metadata instead, which
then answers, or raises, as it always did.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

__all__ = ["EntryPoint", "entry_points"]

_SUFFIXES = (".dist-info", ".egg-info")
#: The errors importlib.metadata takes as "this distribution has no such file".
_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)
#: The characters of a header name, as the email parser (``email.feedparser.headerRE``) has them.
_HEADER_NAME = frozenset(map(chr, [*range(0o41, 0o72), *range(0o73, 0o177)]))


class EntryPoint:
    """An entry point ``name = value`` of ``group``, with the ``Name`` and ``Version`` of the
    distribution that declares it (``None`` where it has none)."""

    __slots__ = ("_standard", "distribution", "group", "name", "value", "version")

    def __init__(
        self,
        name: str,
        value: str,
        group: str,
        distribution: str | None = None,
        version: str | None = None,
        standard: Any = None,
    ) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.distribution = distribution
        self.version = version
        self._standard = standard

    def load(self) -> Any:
        """The object the value names: ``module`` or ``module:attribute.path`` (a trailing
        ``[extras]`` aside), imported, exactly as importlib.metadata loads it."""
        if self._standard is None:
            parts = _module_and_attribute(self.value)
            if parts is not None:
                import importlib

                module, attribute = parts
                found: Any = importlib.import_module(module)
                for name in filter(None, attribute.split(".")):
                    found = getattr(found, name)
                return found
            from importlib.metadata import EntryPoint as Standard

            self._standard = Standard(self.name, self.value, self.group)  # says what is wrong
        return self._standard.load()

    def __repr__(self) -> str:
        return (
            f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r}, "
            f"distribution={self.distribution!r}, version={self.version!r})"
        )


def _is_dotted_name(text: str) -> bool:
    """``[\\w.]+`` of a regular expression: word characters and dots, at least one."""
    return bool(text) and all(char.isalnum() or char in "._" for char in text)


def _module_and_attribute(value: str) -> tuple[str, str] | None:
    """The module and the attribute path (``""`` for none) an entry point's value names, as
    importlib.metadata's pattern (the packaging specification's syntax) reads them; None when
    the value does not match it."""
    module, colon, attribute = value.partition(":")
    if _is_dotted_name(module) and (not colon or _is_dotted_name(attribute)):
        return module, attribute  # the usual value, read without compiling the pattern
    # importlib.metadata.EntryPoint.pattern: spaces around the colon, extras in brackets
    pattern = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"
    match = re.match(pattern, value)
    if match is None:
        return None
    return match.group("module"), match.group("attr") or ""


class _Unsure(Exception):
    """Something importlib.metadata may read differently from this module: ask it."""


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of the installed distributions, in importlib.metadata's
    order (that of ``importlib.metadata.entry_points(group=group)``)."""
    try:
        return _scan(group)
    except _Unsure:
        return _standard(group)


def _standard(group: str) -> list[EntryPoint]:
    from importlib import metadata

    found = []
    for entry_point in metadata.entry_points(group=group):
        dist = entry_point.dist
        meta = dist.metadata if dist is not None else None
        found.append(
            EntryPoint(
                entry_point.name,
                entry_point.value,
                entry_point.group,
                meta["Name"] if meta is not None else None,
                meta["Version"] if meta is not None else None,
                entry_point,
            )
        )
    return found


def _scan(group: str) -> list[EntryPoint]:
    import importlib.machinery

    standard = importlib.machinery.PathFinder
    if not getattr(standard, "find_distributions", None):
        raise _Unsure  # taken away (importlib_metadata, the backport, does so)
    for finder in sys.meta_path:
        if finder is not standard and getattr(finder, "find_distributions", None):
            raise _Unsure
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for root in list(sys.path):
        for name, path in _distributions(root):
            if name in seen:
                continue
            seen.add(name)
            pairs = _group_pairs(path, group)
            if pairs:
                distribution, version = _name_and_version(path)
                found.extend(EntryPoint(k, v, group, distribution, version) for k, v in pairs)
    return found


def _normalize(name: str) -> str:
    """importlib.metadata's normalized name: PEP 503, with underscores for dashes."""
    if "." not in name and "-" not in name and "__" not in name:
        return name.lower()  # what the substitution below gives, without it
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _distributions(root: object) -> list[tuple[str, str]]:
    """(normalized name, metadata path) of each distribution in one directory of sys.path, in
    importlib.metadata's order: grouped by name, the names in the order they are first listed."""
    if not isinstance(root, str) or os.path.basename(root).lower().endswith(".egg"):
        raise _Unsure
    try:
        children = os.listdir(root or ".")
    except Exception:
        if os.path.isfile(root):  # a zip file, perhaps, which importlib.metadata reads
            raise _Unsure from None
        return []  # missing or unreadable: importlib.metadata finds nothing there either
    by_name: dict[str, list[str]] = {}
    for child in children:
        if not child.endswith(_SUFFIXES):
            if child[-10:].lower().endswith(_SUFFIXES):
                raise _Unsure  # importlib.metadata takes this one's name from its metadata
            continue
        name = _normalize(child.rpartition(".")[0].partition("-")[0])
        by_name.setdefault(name, []).append(os.path.join(root, child))
    return [(name, path) for name, paths in by_name.items() for path in paths]


def _read(path: str) -> str | None:
    """A metadata file's text, or None where importlib.metadata takes it as missing."""
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except _MISSING:
        return None
    except (OSError, ValueError):  # importlib.metadata raises: let it
        raise _Unsure from None


def _group_pairs(path: str, group: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` entries of ``group`` in a distribution's ``entry_points.txt``, read
    as importlib.metadata's ``Sectioned`` reads it (every section, as a bad line anywhere in
    the file makes importlib.metadata raise)."""
    text = _read(os.path.join(path, "entry_points.txt"))
    if not text:
        return []
    pairs: list[tuple[str, str]] = []
    section: str | None = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section is None:
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise _Unsure  # importlib.metadata raises
        if section == group:
            pairs.append((name.strip(), value.strip()))
    return pairs


def _name_and_version(path: str) -> tuple[str, str]:
    """The ``Name`` and ``Version`` headers of a distribution's metadata, the first of each, as
    the email parser reads them where they are plain one-line headers."""
    text = (
        _read(os.path.join(path, "METADATA"))
        or _read(os.path.join(path, "PKG-INFO"))
        or _read(path)  # an old egg-info file
    )
    if text is None:
        raise _Unsure
    found: dict[str, str] = {}
    last = ""
    for line in text.split("\n"):  # read with universal newlines: "\n" ends every line
        if not line:
            break  # the blank line that ends the headers
        if line[0] in " \t":  # the rest of the header above
            if last in ("name", "version"):
                raise _Unsure  # the email parser joins the lines
            continue
        if line.startswith("From "):
            raise _Unsure  # the email parser has a rule of its own for these
        key, colon, value = line.partition(":")
        if not colon or not _HEADER_NAME.issuperset(key):
            break  # not a header: the email parser takes the rest as the body
        if key:  # (the email parser ignores a header without a name)
            last = key.lower()
            found.setdefault(last, value.lstrip(" \t"))
    if "name" not in found or "version" not in found:
        raise _Unsure  # what a missing header gives depends on the Python version
    return found["name"], found["version"]
