"""Writing a file a person asked for (a report, the ledgers, an export) so that it is never seen
half-written: into a temporary file beside the target, flushed to disk, then renamed over it. A
failure (a full disk, a broken writer, Ctrl+C) leaves the old file, or none, and no temporary."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def write_atomically(path: str | os.PathLike, write: Callable[[str], T], *, private: bool = False) -> T:
    """``write(tmp_path)`` fills a temporary file in the target's folder, which then replaces
    ``path``; returns what ``write`` returned. ``private`` keeps the file to its owner (0600: a
    whole store's export); otherwise it gets the mode any new file gets under the umask."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        result = write(tmp)
        if not private:  # mkstemp makes the file private; a report is an ordinary file
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
        return result
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
