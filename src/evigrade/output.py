"""Writing output: every file evigrade writes goes through :func:`atomic_file`, so that a
reader sees the old file or the whole new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TextIO

__all__ = ["atomic_file", "write_atomically"]


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[TextIO]:
    """A text stream that becomes ``path`` when the block ends without an error: it writes a
    temporary file beside ``path``, renamed over it at the end (and removed on an error).
    ``OSError`` if the temporary file cannot be made."""
    import tempfile  # (with shutil, bz2, lzma ...: not for a command that writes no file)

    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".evigrade-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_atomically(path: str, data: str | bytes) -> None:
    """Write ``data`` (text in UTF-8, or bytes) to ``path`` all or nothing (see
    :func:`atomic_file`)."""
    with atomic_file(path) as stream:
        if isinstance(data, bytes):
            stream.flush()
            stream.buffer.write(data)
        else:
            stream.write(data)
