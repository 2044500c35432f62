"""The core directory: units (the committee, villages, communities, departments, offices) and
persons. Every domain plugin refers to these, so they are part of the core, registered as a
plugin like any other but never disabled."""

from __future__ import annotations

import re

from .areas import Area
from .dates import DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR, MAX_YEAR_KEY, MIN_YEAR_KEY, DateProblem, SYSTEM_ZONE, year_setting_problem, zone_named
from .errors import FieldError
from .hookspecs import hookimpl
from .i18n import L
from .schema import CHOICE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices
from .settings import Setting, non_negative

UNIT_KINDS = choices(
    ("committee", "党委", "committee"),
    ("village", "村委会", "village"),
    ("community", "居委会", "community"),
    ("department", "部门", "department"),
    ("office", "办公室", "office"),
    ("other", "其他", "other"),
)

UNIT = RecordType(
    name="unit",
    label=L("单位", "Unit"),
    count_label=L("{n} 个", "{n} unit(s)"),
    area="directory",
    fields=(
        Field("name", TEXT, L("名称", "Name"), required=True, indexed=True, searchable=True, max_length=100),
        Field("kind", CHOICE, L("类别", "Kind"), required=True, choices=UNIT_KINDS, indexed=True, searchable=True),
        Field("parent", REFERENCE, L("上级单位", "Parent unit"), target="unit", indexed=True),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    list_columns=("name", "kind", "parent"),
)

PERSON = RecordType(
    name="person",
    label=L("人员", "Person"),
    count_label=L("{n} 人", "{n} person(s)"),
    area="directory",
    fields=(
        Field("name", TEXT, L("姓名", "Name"), required=True, indexed=True, searchable=True, max_length=50),
        Field("unit", REFERENCE, L("所在单位", "Unit"), target="unit", indexed=True),
        Field("post", TEXT, L("职务", "Post"), searchable=True, max_length=100),
        Field("phone", TEXT, L("电话", "Phone"), max_length=40),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    unit_path=("unit",),
    list_columns=("name", "unit", "post"),
)


def own_unit_field(name: str = "unit") -> Field:
    """The unit a record of the committee's own work belongs to (the town committee, a village's
    Party organisation): its type names it in ``unit_path``. Empty: the top level's own. An
    account bound to a unit that leaves it empty on a new record gets its own unit there."""
    return Field(name, REFERENCE, L("所属单位", "Unit"), target="unit", indexed=True,
                 help=L("本记录属于哪个单位（镇党委、村党组织等）；不填即本级", "which unit this record belongs to (the town committee, a village's "
                        "Party organisation…); empty: this level's own"))


# A unit's own Party secretary, by the post the directory records (a data convention the chain of
# responsibility and the village secretaries' duty reports share): one part of the post (parts
# split at 、，,；/) ends in 书记 — 党支部书记, 村党组织书记, 党委书记 — and is not 副书记, 纪委书记 or 原…书记.
SECRETARY_POST = re.compile(r"书记$")
NOT_SECRETARY = ("副书记", "纪委", "纪检", "纪工委", "原", "前任")


def several_top_units(ledger) -> bool:
    """Whether the store holds two units or more that have no parent (a county's towns): one
    read of at most two units."""
    from .store import Filter

    return len(ledger.query("unit", filters=(Filter("parent", "empty"),), limit=2)) >= 2


def is_secretary(post: str | None) -> bool:
    parts = re.split(r"[、，,；;/\s]+", post or "")
    return any(SECRETARY_POST.search(p) and not any(w in p for w in NOT_SECRETARY) for p in parts)


@hookimpl
def duty_register_areas(register):
    register(Area("directory", L("名录", "Directory"), order=0, scored=False))


@hookimpl
def duty_register_types(register):
    register(UNIT)
    register(PERSON)


@hookimpl
def duty_register_settings(register):
    # no sample name here: `duty init` asks for the real one (or takes --org), `duty demo` sets its own
    register(Setting("org.name", "text", "", L("本级党组织名称（如 中共某镇委员会）", "Name of this Party organisation")))
    register(Setting("org.timezone", "text", SYSTEM_ZONE, L("时区：显示的时间与规则的“今天”按此时区（IANA 名，如 Asia/Shanghai；system 为本机时区）",
                                                         "Time zone of every time shown and of \"today\" for the rules "
                                                         "(an IANA name such as Asia/Shanghai; system: the machine's zone)"),
                     validators=(known_zone,)))
    register(Setting("org.lang", "text", DOCUMENT_LANGS[0], L("文书（报告、台账）的语言：zh 或 en", "Language of documents (reports, ledgers): zh or en"),
                     validators=(document_lang,)))
    # the years a date may have (duty_tui.dates): a year beyond is a slip or a placeholder (9999-12-31)
    register(Setting(MIN_YEAR_KEY, "integer", DEFAULT_MIN_YEAR, L("日期的最早年份（更早的日期视为录入错误）",
                                                                  "Earliest year a date may have (an earlier one is taken for a slip)"),
                     validators=(year_setting_problem,)))
    register(Setting(MAX_YEAR_KEY, "integer", DEFAULT_MAX_YEAR, L("日期的最晚年份（更晚的日期视为录入错误，如 9999-12-31）",
                                                                  "Latest year a date may have (a later one is taken for a slip, such as 9999-12-31)"),
                     validators=(year_setting_problem,)))
    # `duty due`'s lights (duty_tui.present.due): defaults of ours, not from any regulation or platform
    register(Setting("due.soon-days", "integer", 7,
                     L("提醒：到期前多少天起亮黄灯（默认 7 天，为本软件的默认值，非规定）",
                       "Reminders: days before a due date from which it shows yellow (default 7: our default, not from any rule)"),
                     validators=(non_negative,)))
    register(Setting("due.window-days", "integer", 30,
                     L("提醒：列出今后多少天内到期的事项（默认 30 天，为本软件的默认值，非规定）",
                       "Reminders: how many days ahead `duty due` lists (default 30: our default, not from any rule)"),
                     validators=(non_negative,)))


DOCUMENT_LANGS = ("zh", "en")


def known_zone(value) -> L | None:
    try:
        zone_named(value)
    except DateProblem as problem:
        return problem.reason
    return None


def document_lang(value) -> L | None:
    if str(value).strip().lower() in DOCUMENT_LANGS:
        return None
    return L("应为 zh 或 en，而不是 “{v}”", "must be zh or en, not “{v}”").format(v=value)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    """A unit cannot sit under itself, directly or through its parents."""
    if record_type.name != "unit" or not after or not after.get("parent") or action == "delete":
        return []
    own_id = after.get("id")
    seen, current = set(), after["parent"]
    while current and current not in seen:
        if current == own_id:
            return [FieldError("parent", L("上级单位不能是本单位或其下级", "a unit cannot sit under itself or its own sub-units"))]
        seen.add(current)
        parent = ledger.find(current)
        current = parent.data.get("parent") if parent is not None else None
    return []
