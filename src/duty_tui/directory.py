"""The core directory: units (the committee, villages, communities, departments, offices) and
persons. Every domain plugin refers to these, so they are part of the core, registered as a
plugin like any other but never disabled."""

from __future__ import annotations

from .areas import Area
from .errors import FieldError
from .hookspecs import hookimpl
from .i18n import L
from .schema import CHOICE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices
from .settings import Setting

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
    area="directory",
    fields=(
        Field("name", TEXT, L("姓名", "Name"), required=True, indexed=True, searchable=True, max_length=50),
        Field("unit", REFERENCE, L("所在单位", "Unit"), target="unit", indexed=True),
        Field("post", TEXT, L("职务", "Post"), searchable=True, max_length=100),
        Field("phone", TEXT, L("电话", "Phone"), max_length=40),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    list_columns=("name", "unit", "post"),
)


@hookimpl
def duty_register_areas(register):
    register(Area("directory", L("名录", "Directory"), order=0, scored=False))


@hookimpl
def duty_register_types(register):
    register(UNIT)
    register(PERSON)


@hookimpl
def duty_register_settings(register):
    register(Setting("org.name", "text", "xx镇党委", L("本级党组织名称", "Name of this Party organisation")))


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
