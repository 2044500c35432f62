"""Evidence: files (minutes, photos, sign-in sheets) attached to any record.

The ledger keeps them (:meth:`Ledger.attach`, :meth:`~Ledger.detach`, :meth:`~Ledger.files`,
:meth:`~Ledger.read_file`): each file beside its record with its SHA-256, size and media type,
permitted (attaching changes the record's proof, so it needs ``update``), audited (the entry
holds the file's name, size and hash, never its bytes) and in one transaction with its audit
entry. A file larger than the ``evidence.max-bytes`` setting is refused by name. The bytes travel
with ``duty export``/``duty import``. This module keeps the names the CLI and plugins import.
"""

from __future__ import annotations

from pathlib import PurePath

from .ledger import DEFAULT_MAX_BYTES, MAX_BYTES_KEY, Ledger, media_type_of
from .store import BlobInfo

__all__ = ["DEFAULT_MAX_BYTES", "MAX_BYTES_KEY", "attach", "detach", "file_name", "get_evidence", "list_evidence",
           "max_bytes", "media_type_of"]


def max_bytes(ledger: Ledger) -> int:
    return ledger.file_size_limit()


def attach(ledger: Ledger, record_id: str, files: list[tuple[str, bytes]]) -> list[BlobInfo]:
    """Attach ``(name, bytes)`` files to a record, all or none (see :meth:`Ledger.attach`)."""
    return ledger.attach(record_id, files)


def detach(ledger: Ledger, record_id: str, name: str) -> None:
    ledger.detach(record_id, name)


def list_evidence(ledger: Ledger, record_id: str) -> list[BlobInfo]:
    return ledger.files(record_id)


def get_evidence(ledger: Ledger, record_id: str, name: str) -> tuple[BlobInfo, bytes]:
    """The file and its bytes, checked against the hash it was stored with."""
    return ledger.read_file(record_id, name)


def file_name(path: str) -> str:
    return PurePath(path).name
