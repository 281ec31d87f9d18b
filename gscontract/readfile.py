"""Read a file a user named without hanging or running out of memory: regular files only, and only so big.

``Path.read_bytes`` on a FIFO waits for a writer forever; on ``/dev/zero`` it reads until memory runs
out. A payload, tenant or configuration file is a regular file, so anything else is refused before a
byte is read. The file is opened without blocking (a FIFO with no writer opens at once) and checked on
the open descriptor, so it cannot be swapped for something else between the check and the read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO, Final

__all__ = ["MAX_FILE_BYTES", "check_regular", "open_regular", "read_regular"]

MAX_FILE_BYTES: Final = 1 << 30
"""The largest file read (1 GiB): parsed, it takes about four times that in memory. A Timeline bulk
request carries at most 80 MB."""

_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _what(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a plain file")


def check_regular(path: Path) -> None:
    """Refuse what :func:`read_regular` would refuse, by its metadata alone (nothing is opened).

    Raises:
        OSError: the path does not exist, or is not a regular file.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, f"not a regular file ({_what(mode)})")


def open_regular(path: Path, *, limit: int = MAX_FILE_BYTES) -> tuple[BinaryIO, int]:
    """The regular file at ``path`` open for reading in binary, and its size, to read in pieces.

    Raises:
        OSError: as :func:`read_regular` does.
    """
    fd, size = _open_checked(path, limit)
    return open(fd, "rb"), size


def _open_checked(path: Path, limit: int) -> tuple[int, int]:
    """A descriptor of the regular file at ``path`` and its size, refused when it is over ``limit``."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"not a regular file ({_what(info.st_mode)})")
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"file is larger than {limit:,} bytes")
    except OSError:
        os.close(fd)
        raise
    return fd, info.st_size


def read_regular(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises:
        OSError: the file cannot be opened or read, is not a regular file (a FIFO, a device, a socket, a
            folder) or holds more than ``limit`` bytes; ``strerror`` says which, in a few words.
    """
    fd, size = _open_checked(path, limit)
    with open(fd, "rb", buffering=0) as handle:
        # One read of the size the file has: no second copy of a large file while it is read.
        data = handle.read(size + 1) or b""
        if len(data) <= size:
            return data
        # The file grew while it was read, or reports no size (files of /proc): read on, in bounded steps.
        chunks = [data]
        total = len(data)
        while chunk := handle.read(1 << 20):
            total += len(chunk)
            if total > limit:
                raise OSError(errno.EFBIG, f"file is larger than {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
