"""Make the corpus of malformed export files that `duty import` must refuse (exit 2, naming the
problem, writing nothing): tests/test_import_checks.py runs every one on every backend.

    python tests/data/malformed_exports/make.py

builds a small store with the built-in plugins (a deterministic clock, so the files come out the
same each time), exports it as ``valid.json``, and writes each malformed variant of it beside it,
with ``expected.json``: for each file, the texts its refusal must hold (the path in the file and
the reason, as the English messages say them). A variant that changes a value the audit also
holds either leaves the audit alone (the data then contradicts its own audit) or changes the
audit too and seals the chain again, as a forger would, so that the check of that kind of value
is what must refuse it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from duty_tui import audit  # noqa: E402
from duty_tui.exchange import export_store  # noqa: E402
from duty_tui.ledger import Ledger  # noqa: E402
from duty_tui.registry import load_registry  # noqa: E402
from duty_tui.store import open_store  # noqa: E402

ANSI_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
ANSI_CLEAR = "\x1b[2J"


class Clock:
    """One second a call from 2026-03-01 08:00 UTC."""

    def __init__(self) -> None:
        self.t = dt.datetime(2026, 3, 1, 8, 0, 0)

    def __call__(self) -> str:
        self.t += dt.timedelta(seconds=1)
        return self.t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def build_valid() -> dict[str, Any]:
    """A small town: units (one deleted), persons (one edited), users (a clerk and a leader, each
    a person), an event taken through its workflow with an attached file, a study session with a
    number, a yes/no and a list of references, two settings; and for the plugins' checks a leader,
    a contact, two duty reports and a case with two responsible persons."""
    clock = Clock()
    registry = load_registry()
    defaults = Ledger.__init__.__kwdefaults__
    saved = defaults["clock"]
    defaults["clock"] = clock
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(f"sqlite:///{tmp}/base.db", registry)
            try:
                root = Ledger.initialise(store, registry, "root")
                root.set_setting("org.name", "中共测试镇委员会")
                root.set_setting("leadership.study-count.min", 4)
                root.create("unit", {"name": "一村", "kind": "village"})
                root.create("unit", {"name": "临时", "kind": "other"})
                root.create("person", {"name": "刘明宇", "unit": "unit-1", "post": "党委书记"})
                root.create("person", {"name": "余永福", "unit": "unit-1", "post": "宣传委员"})
                root.update("person-2", {"phone": "13800000000"}, expected_version=1)
                root.delete("unit-2")
                root.add_user("clerk1", "clerk", "person-2")
                root.add_user("lead", "leader", "person-1")
                clerk = Ledger.for_login(store, registry, "clerk1")
                lead = Ledger.for_login(store, registry, "lead")
                clerk.create("event", {"title": "理论宣讲", "kind": "seminar", "date": "2026-03-20", "organizer_unit": "unit-1",
                                       "organizer": "person-2", "audience": 120, "notes": "第一行\n第二行"})
                clerk.transition("event-1", "submitted")
                lead.transition("event-1", "approved", values={"approver": "person-1", "approved_on": "2026-03-15"})
                clerk.attach("event-1", [("签到表.txt", "刘明宇 余永福\n".encode())])
                clerk.create("study_session", {"date": "2026-03-10", "topic": "意识形态工作", "ideology": True,
                                               "presenter": "person-1", "attendees": ["person-1", "person-2"], "hours": 2.5})
                # what the plugins' own checks (duty_validate) look at: a leader's term, a contact's,
                # two duty reports of one person, a case with two responsible persons
                root.create("leader", {"person": "person-1", "role": "first_responsible", "since": "2025-01-01"})
                clerk.create("contact", {"name": "周教授", "field": "social_science", "since": "2025-06-01"})
                clerk.create("duty_report", {"person": "person-2", "year": 2024})
                clerk.create("duty_report", {"person": "person-2", "year": 2025})
                clerk.create("case", {"title": "宣讲未备案", "circumstance": "1", "occurred_on": "2026-03-05", "unit": "unit-1"})
                clerk.create("case_party", {"case": "case-1", "person": "person-1", "kind": "main"})
                clerk.create("case_party", {"case": "case-1", "person": "person-2", "kind": "important"})
                out = io.StringIO()
                export_store(root, out)
            finally:
                store.close()
    finally:
        defaults["clock"] = saved
    return json.loads(out.getvalue())


# -- helpers for the variants -------------------------------------------------------------------

def index_of(doc: dict, record_id: str) -> int:
    return next(i for i, r in enumerate(doc["records"]) if r["id"] == record_id)


def last_write(doc: dict, record_id: str) -> int:
    return max(i for i, e in enumerate(doc["audit"]) if e["record_id"] == record_id and e["after"] is not None
               and (e["action"] in ("create", "update") or e["action"].startswith("transition:")))


def rechain(doc: dict) -> dict:
    """Seal the chain again after entries were changed (what a forger would do) and set the
    header's head to it."""
    prev = audit.GENESIS
    for seq, e in enumerate(doc["audit"], start=1):
        e["seq"], e["prev"] = seq, prev
        e["hash"] = audit.entry_hash(seq, e["ts"], e["actor"], e["by"], e["action"], e["record_id"], e["before"], e["after"], prev)
        prev = e["hash"]
    doc["audit_head"] = {"seq": len(doc["audit"]), "hash": prev}
    return doc


def set_sealed(doc: dict, record_id: str, key: str, value: Any) -> dict:
    """Change a record's field (or its state or version) and the audit's last write of it alike,
    then seal the chain again: only the check of the value itself can refuse it."""
    rec = doc["records"][index_of(doc, record_id)]
    if key in ("state", "version"):
        rec[key] = value
    else:
        rec["data"][key] = value
    entry = doc["audit"][last_write(doc, record_id)]
    after = json.loads(entry["after"])
    after[key] = value
    entry["after"] = audit.canonical(after)
    return rechain(doc)


def set_actor_sealed(doc: dict, record_id: str, actor: str) -> dict:
    """The record's updated_by and the actor of the audit's last write of it alike, sealed."""
    doc["records"][index_of(doc, record_id)]["updated_by"] = actor
    doc["audit"][last_write(doc, record_id)]["actor"] = actor
    return rechain(doc)


def dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


Variant = Callable[[dict], "dict | bytes"]
VARIANTS: list[tuple[str, list[str], Variant]] = []


def variant(name: str, *expect: str):
    def register(fn: Variant) -> Variant:
        VARIANTS.append((name, list(expect), fn))
        return fn
    return register


def edit(fn: Callable[[dict], None]) -> Variant:
    def run(doc: dict) -> dict:
        fn(doc)
        return doc
    return run


# -- the file itself ------------------------------------------------------------------------------
variant("empty-file", "file: the file is empty")(lambda d: b"")
variant("invalid-json", "file: not valid JSON")(lambda d: dumps(d)[:200])
variant("not-utf8", "file: not UTF-8 text")(lambda d: dumps(d).replace("一村".encode(), "上海".encode("gbk")))
variant("top-level-array", "not a duty-tui export file")(lambda d: dumps([d]))
variant("top-level-number", "not a duty-tui export file")(lambda d: b"42")
variant("wrong-format", "not a duty-tui export file")(edit(lambda d: d.update(format="someone-else/export")))
variant("format-version-2", "format_version: unsupported version 2")(edit(lambda d: d.update(format_version=2)))
variant("deep-nesting", "file: nested too deeply")(lambda d: dumps(d)[:-2] + b',"x":' + b"[" * 5_000 + b"]" * 5_000 + b"}")
variant("deep-nesting-shallow", "records[0].data.notes", "nested more than 32 levels deep")(
    lambda d: dumps(d).replace(b'"notes": null', b'"notes": ' + b"[" * 200 + b"]" * 200, 1))
variant("huge-integer", "records[0].num", "cannot be taken (not finite, or too large)")(
    lambda d: dumps(d).replace(b'"num": 1,', b'"num": ' + b"9" * 5000 + b",", 1))
variant("huge-float", "data.hours", "cannot be taken")(lambda d: dumps(d).replace(b'"hours": 2.5', b'"hours": 1e999', 1))
variant("nan", "data.hours", "cannot be taken")(lambda d: dumps(d).replace(b'"hours": 2.5', b'"hours": NaN', 1))
variant("duplicate-key", "records[0].version: the key is given twice")(lambda d: dumps(d).replace(b'"version": 1,', b'"version": 1, "version": 7,', 1))
variant("lone-surrogate", "records[0].data.name", "lone surrogate U+D800")(lambda d: dumps(d).replace("一村".encode(), b"\\ud800", 1))
variant("records-not-a-list", "records: must be an array")(edit(lambda d: d.update(records={"unit-1": d["records"][0]})))
variant("users-missing", "users: missing")(edit(lambda d: d.pop("users")))
variant("unknown-top-level-key", "extra: an export has no such entry")(edit(lambda d: d.update(extra=1)))

# -- records --------------------------------------------------------------------------------------
variant("data-not-an-object", "records[0].data: must be an object")(edit(lambda d: d["records"][0].update(data="一村")))
variant("record-not-an-object", "records[1]: must be an object (a record)")(edit(lambda d: d["records"].__setitem__(1, "person-1")))
variant("record-missing-version", "records[0].version: missing")(edit(lambda d: d["records"][0].pop("version")))
variant("version-x", "records[0].version: must be a whole number of at least 1")(edit(lambda d: d["records"][0].update(version="x")))
variant("version-zero", "records[0].version: must be a whole number of at least 1")(lambda d: set_sealed(d, "unit-1", "version", 0))
variant("version-true", "records[0].version: must be a whole number of at least 1")(edit(lambda d: d["records"][0].update(version=True)))
variant("num-as-string", "records[0].num: must be a whole number")(edit(lambda d: d["records"][0].update(num="1")))
variant("id-not-type-num", "records[0].id: unit-9 does not match its type unit and number 1")(edit(lambda d: d["records"][0].update(id="unit-9")))
variant("duplicate-record", "records[1].id: unit-1 is given twice")(edit(lambda d: d["records"].insert(1, copy.deepcopy(d["records"][0]))))
variant("unknown-type", "records[0].type: the type \"gadget\" is not loaded")(
    edit(lambda d: d["records"][0].update(type="gadget", id="gadget-1")))
variant("integer-as-string", "data.audience: must be a JSON whole number (120), not \"120\"")(
    lambda d: set_sealed(d, "event-1", "audience", "120"))
variant("number-as-string", "data.hours: must be a JSON number (2.5), not \"2.5\"")(lambda d: set_sealed(d, "study_session-1", "hours", "2.5"))
variant("bool-as-string", "data.ideology: must be JSON true or false (true), not \"true\"")(
    lambda d: set_sealed(d, "study_session-1", "ideology", "true"))
variant("bool-as-number", "data.ideology: must be JSON true or false (true), not 1")(lambda d: set_sealed(d, "study_session-1", "ideology", 1))
variant("choice-by-label", "records[0].data.kind: a choice is kept by its value \"village\", not \"村委会\"")(
    lambda d: set_sealed(d, "unit-1", "kind", "村委会"))
variant("choice-unknown", "records[0].data.kind", "is not one of the choices")(lambda d: set_sealed(d, "unit-1", "kind", "town"))
variant("date-other-form", "data.date: must be a date written YYYY-MM-DD (\"2026-03-20\"), not \"2026/3/20\"")(
    lambda d: set_sealed(d, "event-1", "date", "2026/3/20"))
variant("date-impossible", "data.date: February 2026 has no day 30")(lambda d: set_sealed(d, "event-1", "date", "2026-02-30"))
variant("reference-missing", "records[1].data.unit: refers to unit-99, which is not in the file")(lambda d: set_sealed(d, "person-1", "unit", "unit-99"))
variant("reference-wrong-type", "records[1].data.unit: person-2 is not a Unit")(lambda d: set_sealed(d, "person-1", "unit", "person-2"))
variant("required-missing", "records[0].data.name: required")(lambda d: set_sealed(d, "unit-1", "name", None))
variant("unknown-field", "records[0].data.colour: Unit has no such field")(lambda d: set_sealed(d, "unit-1", "colour", "red"))
variant("ansi-in-text", "records[0].data.name: contains the control character U+001B")(lambda d: set_sealed(d, "unit-1", "name", ANSI_CLEAR + "一村"))
variant("rlo-in-text", "records[0].data.name", "bidirectional control U+202E")(lambda d: set_sealed(d, "unit-1", "name", "e\u202etxt.exe"))
variant("state-invalid", "state: \"approvedd\" is not a state of the workflow of Event")(lambda d: set_sealed(d, "event-1", "state", "approvedd"))
variant("state-sealed-against-the-workflow", "audit[13].after: the workflow step approve goes from submitted to approved, not from \"submitted\" to \"rejected\"")(
    lambda d: set_sealed(d, "event-1", "state", "rejected"))
variant("state-on-type-without-workflow", "records[0].state: Unit has no workflow")(lambda d: set_sealed(d, "unit-1", "state", "draft"))
variant("created-by-ansi", "records[0].created_by: must be an OS login name")(edit(lambda d: d["records"][0].update(created_by=ANSI_TITLE)))
variant("updated-by-ansi-sealed", "updated_by: must be an OS login name", ".actor: must be an OS login name")(
    lambda d: set_actor_sealed(d, "person-2", ANSI_TITLE))
variant("created-at-not-a-time", "records[0].created_at: must be a UTC time")(edit(lambda d: d["records"][0].update(created_at="yesterday")))
variant("data-contradicts-audit", "records[0].data.name: unit-1: is \"伪造\", but the audit's last write of it")(
    edit(lambda d: d["records"][0]["data"].update(name="伪造")))
variant("audit-empty", "records[0]: unit-1: no audit entry wrote it", "users[2]: root: no audit entry added this user")(
    edit(lambda d: d.update(audit=[], audit_head={"seq": 0, "hash": audit.GENESIS})))
variant("record-without-history-sealed", "unit-1: no audit entry wrote it")(
    lambda d: rechain(d.update(audit=[e for e in d["audit"] if e["record_id"] != "unit-1"]) or d))
variant("version-not-number-of-writes", "person-2: version 5, but the audit holds 2 write(s) of it")(
    lambda d: set_sealed(d, "person-2", "version", 5))
variant("deleted-record-present", "unit-2: the audit says it was deleted")(
    edit(lambda d: d["records"].insert(1, {**copy.deepcopy(d["records"][0]), "id": "unit-2", "num": 2})))
variant("record-missing", "records: study_session-1 is missing")(edit(lambda d: d["records"].pop(index_of(d, "study_session-1"))))
variant("num-out-of-range", "records[0].num: must be a whole number from 1 to")(edit(lambda d: d["records"][0].update(num=0, id="unit-0")))

# -- users ----------------------------------------------------------------------------------------
variant("user-name-ansi", "users[1].name: must be an OS login name")(edit(lambda d: d["users"][1].update(name=ANSI_TITLE)))
variant("user-duplicate-root", "users[3].name: the user root is given twice")(
    edit(lambda d: d["users"].append({**next(u for u in d["users"] if u["name"] == "root"), "role": "viewer"})))
variant("user-role-unknown", "users[0].role: must be one of viewer, clerk, leader, admin")(edit(lambda d: d["users"][0].update(role="superuser")))
variant("user-person-missing", "users[0].person: \"person-99\" is not a person in the file")(edit(lambda d: d["users"][0].update(person="person-99")))
variant("user-person-not-a-person", "users[0].person: \"unit-1\" is not a person in the file")(edit(lambda d: d["users"][0].update(person="unit-1")))
variant("users-empty", "users: no users")(edit(lambda d: d.update(users=[])))
variant("no-admin", "users: no admin")(edit(lambda d: [u.update(role="clerk") for u in d["users"]]))
variant("user-not-in-audit", "mallory: no audit entry added this user")(
    edit(lambda d: d["users"].append({"name": "mallory", "role": "admin", "person": None, "created_at": "2026-03-01T09:00:00.000Z"})))
variant("user-not-an-object", "users[0]: must be an object (a user)")(edit(lambda d: d["users"].__setitem__(0, "root")))

# -- settings and counters ------------------------------------------------------------------------
variant("setting-unknown", "settings.shell.command: there is no such setting")(edit(lambda d: d["settings"].update({"shell.command": "rm -rf /"})))
variant("setting-wrong-kind", "settings.leadership.study-count.min", "must be a whole number")(
    edit(lambda d: d["settings"].update({"leadership.study-count.min": "six"})))
variant("setting-int-as-string", "settings.leadership.study-count.min: must be a JSON whole number (4), not \"4\"")(
    edit(lambda d: d["settings"].update({"leadership.study-count.min": "4"})))
variant("setting-ansi", "settings.org.name: contains the control character U+001B")(edit(lambda d: d["settings"].update({"org.name": ANSI_CLEAR})))
variant("setting-contradicts-audit", "settings.leadership.study-count.min: is 9, but the audit's last write")(
    edit(lambda d: d["settings"].update({"leadership.study-count.min": 9})))
variant("counter-not-integer", "counters.unit: must be a whole number")(edit(lambda d: d["counters"].update(unit="x")))
variant("counter-unknown-type", "counters.gadget: there is no such record type")(edit(lambda d: d["counters"].update(gadget=3)))
variant("counter-below-records", "counters.person: 1 is below person-2 in the file")(edit(lambda d: d["counters"].update(person=1)))
variant("counter-below-audit", "counters.unit: 1 is below unit-2, which the audit created")(edit(lambda d: d["counters"].update(unit=1)))
variant("counters-not-an-object", "counters: must be an object")(edit(lambda d: d.update(counters=[1, 2])))

# -- the audit ------------------------------------------------------------------------------------
variant("audit-chain-broken", "audit[2]: entry 3: content does not match its hash")(edit(lambda d: d["audit"][2].update(actor="someone-else")))
variant("audit-actor-ansi-sealed", "audit[3].actor: must be an OS login name")(lambda d: rechain(d["audit"][3].update(actor=ANSI_TITLE) or d))
variant("audit-ts-not-a-time-sealed", "audit[3].ts: is not a time that exists")(lambda d: rechain(d["audit"][3].update(ts="2026-13-45T99:00:00.000Z") or d))
variant("audit-after-not-json-sealed", "audit[3].after: not valid JSON")(lambda d: rechain(d["audit"][3].update(after="{oops") or d))
variant("audit-unknown-action-sealed", "audit[3].action: an unknown action \"sudo\"")(lambda d: rechain(d["audit"][3].update(action="sudo") or d))
variant("audit-second-init-sealed", "audit[9].action: init can only be the first entry")(
    lambda d: rechain(d["audit"][9].update(action="init") or d))
variant("audit-entry-missing-key", "audit[1].prev: missing")(edit(lambda d: d["audit"][1].pop("prev")))
variant("audit-seq-as-string", "audit[0].seq: must be a whole number")(edit(lambda d: d["audit"][0].update(seq="1")))
variant("audit-truncated", "audit_head: the header says the audit ends at entry")(edit(lambda d: d.update(audit=d["audit"][:-2])))
variant("audit-record-id-huge-sealed", "audit[3].record_id", "is not what the action create acts on")(
    lambda d: rechain(d["audit"][3].update(record_id="unit-" + "9" * 5000) or d))
variant("exported-by-ansi", "exported_by: must be an OS login name")(edit(lambda d: d.update(exported_by=ANSI_TITLE)))

# -- attached files -------------------------------------------------------------------------------
variant("blob-altered", "blobs[0]: the file does not match its SHA-256 or size")(
    edit(lambda d: d["blobs"][0].update(data="QUxURVJFRA==")))
variant("blobs-missing", "blobs: event-1's file 签到表.txt is missing: audit[14] attached it")(edit(lambda d: d.pop("blobs")))
variant("blob-added-by-other", "blobs[0].added_by: event-1's file 签到表.txt: is \"root\", but audit[14] says \"clerk1\"")(
    edit(lambda d: d["blobs"][0].update(added_by="root")))
variant("audit-head-missing", "audit_head: missing")(edit(lambda d: d.pop("audit_head")))
variant("blob-name-a-path", "blobs[0].name: not a valid file name")(edit(lambda d: d["blobs"][0].update(name="../../etc/passwd")))
variant("blob-not-in-audit", "blobs[1]: event-1's file extra.txt: no audit entry attached it")(
    edit(lambda d: d["blobs"].append({**d["blobs"][0], "name": "extra.txt"})))

# -- what a write would refuse: the plugins' own checks (duty_validate) ---------------------------
# Each is sound in every other way (its audit sealed again alike), so that only the check a create
# or an edit makes refuses it, naming the record's place, its id and type, the field and why.
variant("plugin-event-filed-before-approval",
        "data.filed_on: event-1 (Event): filed on 2026-03-14, before its approval on 2026-03-15: it is approved first, then filed")(
    lambda d: set_sealed(d, "event-1", "filed_on", "2026-03-14"))
variant("plugin-unit-under-itself", "records[0].data.parent: unit-1 (Unit): a unit cannot sit under itself or its own sub-units")(
    lambda d: set_sealed(d, "unit-1", "parent", "unit-1"))
variant("plugin-leader-term-ends-before-it-starts", "data.until: leader-1 (", "“until” (2024-12-31) cannot be before “since” (2025-01-01)")(
    lambda d: set_sealed(d, "leader-1", "until", "2024-12-31"))
variant("plugin-contact-term-ends-before-it-starts", "data.until: contact-1 (", "“until” (2025-05-31) cannot be before “since” (2025-06-01)")(
    lambda d: set_sealed(d, "contact-1", "until", "2025-05-31"))
variant("plugin-duty-report-twice-a-year", "data.year: duty_report-1 (Duty report): person-2 already has a Duty report for 2025 (duty_report-2)",
        "data.year: duty_report-2 (Duty report): person-2 already has a Duty report for 2025 (duty_report-1)")(
    lambda d: set_sealed(d, "duty_report-1", "year", 2025))
variant("plugin-person-named-twice-on-a-case", "data.person: case_party-1 (", "person-1 is already named on this case (case_party-2)",
        "data.person: case_party-2 (", "person-1 is already named on this case (case_party-1)")(
    lambda d: set_sealed(d, "case_party-2", "person", "person-1"))
variant("plugin-dissent-yet-a-decision", "data.decision: case_party-1 (", "a dissent on record exempts: no decision for this person",
        "data.dissent_notes: case_party-1 (", "say where the dissent is recorded")(
    lambda d: set_sealed(set_sealed(d, "case_party-1", "dissent_recorded", True), "case_party-1", "decision", "reminder"))
variant("plugin-every-problem-at-once", "invalid input, nothing written: 3 problem(s)", "data.filed_on: event-1 (Event)",
        "records[0].data.parent: unit-1 (Unit)", "data.until: leader-1 (")(
    lambda d: set_sealed(set_sealed(set_sealed(d, "event-1", "filed_on", "2026-03-14"), "unit-1", "parent", "unit-1"),
                         "leader-1", "until", "2024-12-31"))


def main() -> None:
    valid = build_valid()
    for old in HERE.glob("*.json"):
        old.unlink()
    (HERE / "valid.json").write_bytes(dumps(valid))
    expected: dict[str, list[str]] = {}
    for n, (name, expect, fn) in enumerate(VARIANTS, start=1):
        made = fn(copy.deepcopy(valid))
        file = f"{n:02d}-{name}.json"
        (HERE / file).write_bytes(made if isinstance(made, bytes) else dumps(made))
        expected[file] = expect
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(VARIANTS)} malformed exports and valid.json in {HERE}")


if __name__ == "__main__":
    main()
