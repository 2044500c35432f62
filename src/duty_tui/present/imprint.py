"""What a document says about where it comes from: the organisation, its language, when it was
printed (in the store's time zone) and by whom (a person's name, not an OS login). The reports
(docx, md, xlsx) take these from here, so each face writes the same. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import DutyError
from ..i18n import L
from .time import document_date, document_time

if TYPE_CHECKING:
    from ..ledger import Ledger

NO_ORG_NAME = L("未设置单位名称", "organisation name not set")
SET_ORG_NAME = L("单位名称未设置，报告将写“未设置单位名称”。请运行：duty config set org.name 中共某镇委员会",
                 "the organisation's name is not set, so reports say “organisation name not set”. "
                 "Set it: duty config set org.name 中共某镇委员会")


def org_name(ledger: "Ledger") -> str:
    """The organisation's name (setting ``org.name``), "" when nobody has set it."""
    try:
        return str(ledger.setting("org.name") or "").strip()
    except DutyError:  # a registry without the core directory's settings
        return ""


def org_label(ledger: "Ledger", lang: str) -> str:
    """The name as a document prints it: the name, else ``未设置单位名称`` (never a sample name)."""
    return org_name(ledger) or NO_ORG_NAME.render(lang)


def printer_name(ledger: "Ledger") -> str:
    """Who printed it, as a person reads it: the name of the person the user's account is linked
    to (``duty users add NAME --person ID``), else the account's name."""
    user = ledger.user
    if user.person:
        try:
            person = ledger.find(user.person)
        except DutyError:
            person = None
        if person is not None and str(person.data.get("name") or "").strip():
            return str(person.data["name"]).strip()
    return user.name


def printed_line(ledger: "Ledger", lang: str) -> str:
    """``印制于 2026年11月30日 06:30，印制人 余永福`` / ``Printed 30 November 2026, 06:30 by 余永福``:
    the time on the ledger's clock in the store's zone."""
    return L("印制于 {when}，印制人 {who}", "Printed {when} by {who}").format(
        when=document_time(ledger.now(), lang), who=printer_name(ledger)).render(lang)


def signature_date(ledger: "Ledger", lang: str) -> str:
    """The date of the 落款: today in the store's zone, ``2026年11月30日``."""
    return document_date(ledger.today(), lang)
