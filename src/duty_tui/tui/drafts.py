"""Drafts: a form an operator was typing and did not save, kept for the next session.

A draft is kept when the operator chooses "keep as draft" on leaving a form with changes (Esc,
Ctrl+Q, another screen), and, in login mode (``duty --login-shell``), when the link drops
(SIGHUP): every open record form with unsaved changes becomes one JSON file in the operator's
own data folder (``~/.local/share/duty-tui/drafts/``, the folder mode 0700, each file 0600): the
operator's own unfinished words are theirs, not the shared store's, and nothing half-typed is
ever written to the store. A draft names its store (by a digest of the URL) and its user; the
next session on the same store as the same user offers each draft in turn: Restore opens the form with
the draft's values, Later keeps the file for another time. A restored draft stays a draft (its
file stays) until the form is saved or the changes discarded; keeping it again rewrites it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import L

TITLE = L("恢复草稿？", "Restore a draft?")
BODY = L("{when} 未保存的{what}留作了草稿（离开时选择留作草稿，或连接中断）。",
         "The {what} you had not saved was kept as a draft at {when} (you chose to keep it, or the connection dropped).")
NEW = L("新{type}", "new {type}")
EDIT = L("{type} {id} 的修改", "changes to {type} {id}")
RESTORE = L("恢复", "Restore")
LATER = L("以后再说", "Later")
COUNT = L("（第 {n} 份，共 {of} 份）", " ({n} of {of})")


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
    """The drafts of one operator (a folder) for one store (its URL) and one user of it."""

    def __init__(self, store_url: str, folder: Path | None = None, *, user: str = "") -> None:
        # A draft names its store by a digest of the URL: a PostgreSQL URL may hold a password.
        self.store_url = hashlib.sha256(store_url.encode()).hexdigest()[:20]
        self.user = user
        self.folder = Path(folder) if folder is not None else default_folder()

    # -- keeping ---------------------------------------------------------------------------------
    def save(self, record_type: str, values: dict[str, Any], record_id: str | None = None, version: int | None = None,
             *, path: Path | None = None) -> Path:
        """Write a draft (0600, in the 0700 folder); ``path``, a restored draft's file, is
        replaced in one step rather than left beside a second copy."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        now = dt.datetime.now().astimezone()
        final = Path(path) if path is not None else self.folder / f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}.json"
        body = {"store": self.store_url, "user": self.user, "type": record_type, "record_id": record_id, "version": version,
                "values": values, "saved_at": now.isoformat(timespec="seconds")}
        target = final if path is None else final.with_name(f".{final.name}.{uuid.uuid4().hex[:6]}")
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(body, out, ensure_ascii=False, indent=1, default=str)
            out.flush()
            os.fsync(out.fileno())
        if target != final:
            os.replace(target, final)
        return final

    def keep(self, screen) -> Path:
        """One record form's values as a draft (its own file again, if it was restored from one)."""
        record = screen.record
        path = self.save(screen.rt.name, screen.raws(), record.id if record else None, record.version if record else None,
                         path=getattr(screen, "draft_file", None))
        screen.draft_file = path
        return path

    @staticmethod
    def forget(screen) -> None:
        """The form was saved or its changes discarded: its draft, if it came from one, is done."""
        path = getattr(screen, "draft_file", None)
        if path is not None:
            Path(path).unlink(missing_ok=True)
            screen.draft_file = None

    def save_open_forms(self, app) -> list[Path]:
        """Every record form on the app's screen stack that holds unsaved changes, as drafts."""
        from .screens.record_form import RecordFormScreen

        saved = []
        for screen in list(app.screen_stack):
            if isinstance(screen, RecordFormScreen) and screen.is_mounted:
                try:
                    if not screen.unsaved:
                        continue
                    saved.append(self.keep(screen))
                except Exception:  # a form half torn down: nothing we can read
                    continue
        return saved

    # -- offering --------------------------------------------------------------------------------
    def pending(self) -> list[Draft]:
        """This store's and this user's drafts, oldest first. The folder is made private again
        (0700) if it was opened up; a file someone else owns, or that others may write, is
        not read (it was not kept by this program for this operator); one others may read is
        closed (0600)."""
        if not self.folder.is_dir():
            return []
        if stat.S_IMODE(self.folder.stat().st_mode) != 0o700:
            os.chmod(self.folder, 0o700)
        out = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                info = path.stat()
                if info.st_uid != os.getuid() or info.st_mode & 0o022:
                    continue
                if stat.S_IMODE(info.st_mode) != 0o600:
                    os.chmod(path, 0o600)
                body = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if body.get("store") != self.store_url or body.get("user", "") != self.user:
                continue
            out.append(Draft(path, body["store"], body.get("type", ""), body.get("record_id"), body.get("version"),
                             dict(body.get("values") or {}), body.get("saved_at", "")))
        return out

    def offer(self, app) -> None:
        """Ask about each draft for this store, oldest first, one at a time: the next is asked
        about once the previous is put off (Later) or its restored form is closed. The title says
        how many there are ("1 of 3")."""
        drafts = [d for d in self.pending() if d.record_type in app.session.registry.types]
        self._queue = drafts
        self._ask(app, 0)

    def _ask(self, app, index: int) -> None:
        from .screens.dialogs import ConfirmScreen

        drafts = self._queue
        while index < len(drafts) and not drafts[index].path.exists():  # restored and saved meanwhile
            index += 1
        if index >= len(drafts):
            return
        draft = drafts[index]
        s, lang = app.session, app.lang
        label = s.type_label(app.session.registry.types[draft.record_type])
        what = (NEW.format(type=label) if draft.record_id is None else EDIT.format(type=label, id=draft.record_id)).render(lang)
        when = s.when(draft.saved_at)  # saved with the machine's offset, shown in the store's zone
        title = TITLE.render(lang) + (COUNT.format(n=index + 1, of=len(drafts)).render(lang) if len(drafts) > 1 else "")

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore(app, draft, then=lambda: self._ask(app, index + 1))
            else:
                self._ask(app, index + 1)

        app.push_screen(ConfirmScreen(title, BODY.format(when=when, what=what).render(lang), RESTORE.render(lang),
                                      LATER.render(lang), danger=False), answered)

    _queue: list[Draft] = []

    def restore(self, app, draft: Draft, then=None) -> None:
        """The draft's form, its values filled in; ``then`` runs once the form is closed."""
        from .screens.record_form import RecordFormScreen

        s = app.session
        rt = s.registry.types[draft.record_type]
        record = s.ledger.find(draft.record_id) if draft.record_id else None
        if draft.record_id and record is None:
            app.notify(s.t("form.gone", id=draft.record_id), severity="error")
            if then is not None:
                then()
            return

        def saved(result) -> None:
            if result is not None and draft.record_id is None:
                app.notify(s.t("form.created", id=result.id))
            if then is not None:
                then()

        form = RecordFormScreen(rt, record, draft=draft.values)
        form.draft_file = draft.path  # the file stays until the form is saved or discarded
        app.push_screen(form, saved)
