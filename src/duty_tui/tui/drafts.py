"""Drafts: the form an operator was typing when the link dropped, kept for the next session.

In login mode (``duty --login-shell``) a SIGHUP saves every open record form that holds
unsaved changes as one JSON file in the operator's own data folder
(``~/.local/share/duty-tui/drafts/``, the folder mode 0700, each file 0600): the operator's own
unfinished words are theirs, not the shared store's, and nothing half-typed is ever written to
the store. The next session on the same store offers each draft: Restore opens the form with the
draft's values (the file is then removed; the form is an ordinary unsaved form again), Later
keeps the file for another time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import L

TITLE = L("恢复草稿?", "Restore a draft?")
BODY = L("{when} 连接中断时,您正在填写的{what}已保存为草稿。", "When the connection dropped at {when}, the {what} you were typing was kept as a draft.")
NEW = L("新{type}", "new {type}")
EDIT = L("{type} {id} 的修改", "changes to {type} {id}")
RESTORE = L("恢复", "Restore")
LATER = L("以后再说", "Later")


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("duty-tui")) / "drafts"


@dataclass
class Draft:
    path: Path
    store: str
    record_type: str
    record_id: str | None
    version: int | None
    values: dict[str, Any]
    saved_at: str


class Drafts:
    """The drafts of one operator (a folder) for one store (its URL)."""

    def __init__(self, store_url: str, folder: Path | None = None) -> None:
        # A draft names its store by a digest of the URL: a PostgreSQL URL may hold a password.
        self.store_url = hashlib.sha256(store_url.encode()).hexdigest()[:20]
        self.folder = Path(folder) if folder is not None else default_folder()

    # -- keeping ---------------------------------------------------------------------------------
    def save(self, record_type: str, values: dict[str, Any], record_id: str | None = None, version: int | None = None) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        now = dt.datetime.now().astimezone()
        path = self.folder / f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.json"
        body = {"store": self.store_url, "type": record_type, "record_id": record_id, "version": version,
                "values": values, "saved_at": now.isoformat(timespec="seconds")}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(body, out, ensure_ascii=False, indent=1, default=str)
            out.flush()
            os.fsync(out.fileno())
        return path

    def save_open_forms(self, app) -> list[Path]:
        """Every record form on the app's screen stack that holds unsaved changes, as drafts."""
        from .screens.record_form import RecordFormScreen

        saved = []
        for screen in list(app.screen_stack):
            if isinstance(screen, RecordFormScreen) and screen.is_mounted:
                try:
                    if not screen.dirty:
                        continue
                    values = screen.raws()
                except Exception:  # a form half torn down: nothing we can read
                    continue
                record = screen.record
                saved.append(self.save(screen.rt.name, values, record.id if record else None, record.version if record else None))
        return saved

    # -- offering --------------------------------------------------------------------------------
    def pending(self) -> list[Draft]:
        out = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                body = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if body.get("store") != self.store_url:
                continue
            out.append(Draft(path, body["store"], body.get("type", ""), body.get("record_id"), body.get("version"),
                             dict(body.get("values") or {}), body.get("saved_at", "")))
        return out

    def offer(self, app) -> None:
        """Ask about the oldest draft for this store (then the next, one at a time)."""
        from .screens.dialogs import ConfirmScreen

        drafts = [d for d in self.pending() if d.record_type in app.session.registry.types]
        if not drafts:
            return
        draft = drafts[0]
        s, lang = app.session, app.lang
        label = s.type_label(app.session.registry.types[draft.record_type])
        what = (NEW.format(type=label) if draft.record_id is None else EDIT.format(type=label, id=draft.record_id)).render(lang)
        when = draft.saved_at.replace("T", " ")[:16]

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore(app, draft)

        app.push_screen(ConfirmScreen(TITLE.render(lang), BODY.format(when=when, what=what).render(lang), RESTORE.render(lang),
                                      LATER.render(lang), danger=False), answered)

    def restore(self, app, draft: Draft) -> None:
        from .screens.record_form import RecordFormScreen

        s = app.session
        rt = s.registry.types[draft.record_type]
        record = s.ledger.find(draft.record_id) if draft.record_id else None
        if draft.record_id and record is None:
            app.notify(s.t("form.gone", id=draft.record_id), severity="error")
            return

        def saved(result) -> None:
            if result is not None and draft.record_id is None:
                app.notify(s.t("form.created", id=result.id))

        app.push_screen(RecordFormScreen(rt, record, draft=draft.values), saved)
        draft.path.unlink(missing_ok=True)
