"""Writing output: every file evigrade writes goes through :func:`atomic_file`, so that a
reader sees the old file or the whole new one, never a half-written one, and so that output
never lands where it should not.

- ``-`` is standard output.
- A path that names something other than a regular file (a character device such as
  ``/dev/null``, a FIFO), or an open file (``/dev/stdout``, ``/dev/fd/N``), is opened and
  written in place: it is never replaced by a regular file.
- A symbolic link is followed: the file it points to is replaced, the link stays.
- A regular file is written to a temporary file beside it, renamed over it at the end. An
  existing file keeps its permission bits (and, where the process may, its owner); a new one
  gets those the umask leaves of ``0o666``, as any other program's would.
- Every write error (a full disk, a closed pipe) is raised as :class:`OSError`; the temporary
  file is removed then, on any other error, and by :func:`remove_temporaries` (which the
  command line calls when it is sent SIGTERM or SIGINT).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

__all__ = [
    "STDOUT",
    "atomic_file",
    "new_file_mode",
    "remove_temporaries",
    "same_file",
    "write_atomically",
]

#: The output name that means standard output.
STDOUT = "-"

#: Temporary files being written now, removed by :func:`remove_temporaries`.
_TEMPORARIES: set[str] = set()


def new_file_mode() -> int:
    """The permission bits a new file gets here: ``0o666`` less the process's umask."""
    mask = os.umask(0o022)  # reading the umask means setting it: set it straight back
    os.umask(mask)
    return 0o666 & ~mask


def remove_temporaries() -> None:
    """Remove the temporary files of every :func:`atomic_file` still open (on a signal)."""
    for temporary in list(_TEMPORARIES):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        _TEMPORARIES.discard(temporary)


def same_file(output: str, inputs: Iterable[str]) -> str | None:
    """The first of ``inputs`` that ``output`` would overwrite (the same regular file, through
    links or another name), else None."""
    if output == STDOUT:
        return None
    try:
        target = os.stat(output)
    except OSError:
        return None
    if not stat.S_ISREG(target.st_mode):
        return None
    for name in inputs:
        if name == STDOUT:
            continue
        try:
            info = os.stat(name)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            return name
    return None


def _descriptor(path: str) -> bool:
    """A name of an open file (``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``): written
    through, whatever it is open on, never replaced."""
    name = os.path.abspath(path)
    if name.startswith(("/dev/fd/", "/proc/self/fd/")):
        return True
    return name.startswith(("/dev/", "/proc/")) and os.path.islink(name)


@contextlib.contextmanager
def atomic_file(path: str) -> Iterator[TextIO]:
    """A text stream (UTF-8) whose contents become ``path`` when the block ends without an
    error (see the module's notes for ``-``, devices, FIFOs and links). ``OSError`` if the
    output cannot be made or written; then a regular file is left as it was."""
    if path == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        info: os.stat_result | None = os.stat(path)  # through links, /dev/stdout's included
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", path)
    if info is not None and (not stat.S_ISREG(info.st_mode) or _descriptor(path)):
        with open(path, "w", encoding="utf-8") as stream:  # a device, a FIFO, an open file
            yield stream
        return
    import tempfile  # (with shutil, bz2, lzma ...: not for a command that writes no file)

    target = os.path.realpath(path) if os.path.islink(path) else path
    directory = os.path.dirname(os.path.abspath(target))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".evigrade-", suffix=".tmp")
    _TEMPORARIES.add(temporary)
    try:
        if info is not None:
            os.fchmod(handle, stat.S_IMODE(info.st_mode))
            if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(handle, info.st_uid, info.st_gid)
        else:
            os.fchmod(handle, new_file_mode())
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    finally:
        _TEMPORARIES.discard(temporary)


def write_atomically(path: str, data: str | bytes) -> None:
    """Write ``data`` (text in UTF-8, or bytes) to ``path`` all or nothing (see
    :func:`atomic_file`)."""
    with atomic_file(path) as stream:
        if isinstance(data, bytes):
            stream.flush()
            stream.buffer.write(data)
        else:
            stream.write(data)
