"""What the list and the detail screen both do to a record: edit, delete after confirming, and
move it along its workflow. Each ends by calling ``done`` (with the record, or None after a
delete), so the caller can refresh what it shows."""

from __future__ import annotations

from typing import Callable

from ...errors import Conflict, DutyError, NotPermitted, ValidationError
from ...ledger import Record
from ...schema import RecordType

Done = Callable[[Record | None], None]


def report(app, exc: DutyError) -> None:
    """A ledger error as a notification in the operator's language."""
    app.notify(exc.render(app.lang), severity="error", timeout=8)


def allowed(app, action: str) -> bool:
    try:
        app.session.ledger.require(action)
    except NotPermitted as exc:
        report(app, exc)
        return False
    return True


def show_warnings(app, record: Record) -> None:
    for warning in record.warnings:
        app.notify(app.session.t("warning", text=app.session.r(warning)), severity="warning", timeout=8)


def new_record(app, record_type: RecordType, done: Done) -> None:
    from .record_form import RecordFormScreen

    if not allowed(app, "create"):
        return

    def saved(record: Record | None) -> None:
        if record is not None:
            app.notify(app.session.t("form.created", id=record.id))
            done(record)

    app.push_screen(RecordFormScreen(record_type), saved)


def edit_record(app, record: Record, done: Done, transition=None) -> None:
    from .record_form import RecordFormScreen

    if transition is None and not allowed(app, "update"):
        return
    s = app.session
    fresh = s.ledger.find(record.id)
    if fresh is None:
        app.notify(s.t("form.gone", id=record.id), severity="error")
        done(None)
        return

    def saved(result: Record | None) -> None:
        if result is not None:
            if transition is not None:
                app.notify(s.t("wf.done", id=result.id, action=s.r(transition.label),
                               state=s.state_label(s.registry.types[result.type], result.state)))
            elif result.version != fresh.version:
                app.notify(s.t("form.saved", id=result.id))
            show_warnings(app, result)
            done(result)

    app.push_screen(RecordFormScreen(s.registry.types[record.type], fresh, transition=transition), saved)


def referred_text(app, record: Record) -> str | None:
    """Why a record cannot be deleted, in the operator's words: the records that refer to it by
    type, title and the label of the field that names it (the ledger's reason names fields by
    their ids, in English)."""
    s = app.session
    try:
        refs = s.ledger.referrers(record.id, limit=5)
    except DutyError:
        return None
    if not refs:
        return None
    parts = []
    for rid, fname in refs:
        other = s.ledger.find(rid)
        rt = s.registry.types.get(other.type) if other is not None else None
        if other is None or rt is None:
            parts.append(rid)
            continue
        field = s.r(rt.field(fname).label) if rt.has_field(fname) else fname
        parts.append(s.t("delete.referrer", type=s.type_label(rt), title=s.title(other), field=field))
    return s.t("delete.referred", title=s.title(record), refs=s.t("delete.sep").join(parts))


def delete_record(app, record: Record, done: Done) -> None:
    from .dialogs import ConfirmScreen

    if not allowed(app, "delete"):
        return
    s = app.session
    rt = s.registry.types[record.type]

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            s.ledger.delete(record.id, expected_version=record.version)
        except Conflict as exc:
            report(app, exc)
            done(s.ledger.find(record.id))
            return
        except ValidationError as exc:
            refused = referred_text(app, record) if all(e.field == "id" for e in exc.errors) else None
            if refused:
                app.notify(refused, severity="error", timeout=10)
            else:
                report(app, exc)
            return
        except DutyError as exc:
            report(app, exc)
            return
        s.forget_titles()
        app.notify(s.t("delete.done", id=record.id))
        done(None)

    app.push_screen(ConfirmScreen(s.t("delete.title"), s.t("delete.body", type=s.type_label(rt), id=record.id, title=s.title(record)),
                                  s.t("delete.yes"), s.t("delete.no"), danger=True), answered)


def workflow(app, record: Record, done: Done) -> None:
    """Choose a step (dialogs.TransitionScreen), then take it in its short form
    (step_form.StepFormScreen): only the fields that step sets, Ctrl+S to take it."""
    from .dialogs import TransitionScreen

    s = app.session
    rt = s.registry.types[record.type]
    if rt.workflow is None:
        app.notify(s.t("wf.no_workflow", type=s.type_label(rt)), severity="warning")
        return
    fresh = s.ledger.find(record.id)
    if fresh is None:
        app.notify(s.t("form.gone", id=record.id), severity="error")
        done(None)
        return

    def chosen(result) -> None:
        if result is None:
            return
        _kind, step = result
        take_step(app, fresh, step, done)

    app.push_screen(TransitionScreen(fresh, rt), chosen)


def take_step(app, record: Record, step, done: Done) -> None:
    from .step_form import StepFormScreen

    s = app.session
    rt = s.registry.types[record.type]

    def taken(result: Record | None) -> None:
        if result is None:
            return
        app.notify(s.t("wf.done", id=result.id, action=s.r(step.label), state=s.state_label(rt, result.state)))
        show_warnings(app, result)
        done(result)

    app.push_screen(StepFormScreen(record, rt, step), taken)
