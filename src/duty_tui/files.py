"""Writing a file a person asked for (a report, the ledgers, an export) so that it is never seen
half-written: into a temporary file beside the target, flushed to disk, then renamed over it. A
failure (a full disk, a broken writer, Ctrl+C) leaves the old file, or none, and no temporary."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable, TypeVar

from .errors import FieldError, ValidationError
from .i18n import L

T = TypeVar("T")


def write_atomically(path: str | os.PathLike, write: Callable[[str], T], *, private: bool = False) -> T:
    """``write(tmp_path)`` fills a temporary file in the target's folder, which then replaces
    ``path``; returns what ``write`` returned. ``private`` keeps the file to its owner (0600: a
    whole store's export); otherwise it gets the mode any new file gets under the umask (the
    kernel applies it: the process's umask is never touched, so threads may write too). A folder
    that does not exist or cannot be written is bad input naming the path, not a traceback."""
    target = Path(path)
    if target.is_dir():
        raise ValidationError([FieldError(str(path), L("这是一个文件夹:请给出文件名,例如 {example}", "this is a folder: give a file name, such as {example}").format(
            example=str(target / "duty-output")))])
    folder = target.parent if str(target.parent) else Path(".")
    tmp = str(folder / f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    except OSError as exc:
        raise ValidationError([FieldError(str(path), L("无法在 {folder} 中写入文件:{why}", "cannot write a file in {folder}: {why}").format(
            folder=str(folder), why=exc.strerror or type(exc).__name__))]) from None
    os.close(fd)
    try:
        result = write(tmp)
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
        return result
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
