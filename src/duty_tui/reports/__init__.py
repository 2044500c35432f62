"""Reports: the annual report, a person's dossier and ledgers (台账) as spreadsheets.

No Textual here, and no python-docx or openpyxl at import time: the writers import them when a
report is written, so ``duty --help`` and the TUI start as fast as before.

The contract a plugin uses with ``duty_register_reports`` (see :mod:`.spec`): it registers a
:class:`ReportSpec` whose ``sections(ctx)`` returns :class:`Section` objects (a heading, paragraphs
and tables of plain strings). The annual report (``kind="annual"``) and the dossier
(``kind="dossier"``) take every registered spec of their kind, in ``order``, and every writer
(Markdown, Word) renders the same sections.
"""

from .spec import ReportContext, ReportSpec, Section, Table

__all__ = ["ReportContext", "ReportSpec", "Section", "Table"]
