"""JSON text of reports: one serializer for every report and result evigrade writes.

Where orjson is installed (it is a dependency on CPython) it writes the text, several times
faster than the standard library; elsewhere, or for data orjson refuses (an integer beyond 64
bits, a string holding an unpaired surrogate), :mod:`json` does. For the data of a report
(objects with string keys, arrays, strings, integers, booleans and null) both give the same
bytes: non-ASCII characters as they are, the same escapes for quotes, backslashes and control
characters, the same layout with two-space indentation. ``tests/test_jsontext.py`` checks it
on generated data and on the reports of generated evidence files. (A float in exponent form is
spelled ``1e16`` by orjson and ``1e+16`` by json, the same number: reports hold no floats, and
evidence files, which do, are written by :mod:`json` alone.)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

__all__ = ["compact", "indented"]


def _std_compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _std_indented(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@functools.cache
def _serializers() -> tuple[Callable[[Any], str], Callable[[Any], str]]:
    """(compact, indented), chosen once: orjson's where it can be imported."""
    try:
        import orjson
    except ImportError:  # not installed (not CPython): the standard library alone
        return _std_compact, _std_indented
    dumps, indent_2 = orjson.dumps, orjson.OPT_INDENT_2

    def fast_compact(data: Any) -> str:
        try:
            return dumps(data).decode()
        except TypeError:
            return _std_compact(data)

    def fast_indented(data: Any) -> str:
        try:
            return dumps(data, option=indent_2).decode()
        except TypeError:
            return _std_indented(data)

    return fast_compact, fast_indented


def compact(data: Any) -> str:
    """``data`` as one line of JSON without spaces (UTF-8 characters as they are)."""
    return _serializers()[0](data)


def indented(data: Any) -> str:
    """``data`` as JSON indented by two spaces, without a final newline."""
    return _serializers()[1](data)
