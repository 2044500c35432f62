"""The audit log newest first, a page at a time.

The ledger's ``history()`` reads the chain from its start, which at a county's million entries
is the whole chain; until the ledger offers a page (asked for in issue 4's closing note), this
reads one page through the store *protocol* (``Reader.audit_head`` and ``Reader.audit``; no
backend's internals) after the ledger has checked the read permission.
"""

from __future__ import annotations

from ..ledger import Ledger
from ..store import AuditEntry


def audit_page(ledger: Ledger, before_seq: int | None, limit: int) -> tuple[list[AuditEntry], int]:
    """The ``limit`` entries before ``before_seq`` (or the newest), newest first, and the number
    of the newest entry in the chain."""
    ledger.require("read")
    with ledger.store.read() as r:
        head = r.audit_head()[0]
        end = head if before_seq is None else min(head, before_seq - 1)
        start = max(0, end - limit)
        entries = list(r.audit(after_seq=start, limit=end - start)) if end > start else []
    return list(reversed(entries)), head
