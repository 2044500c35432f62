"""One duty report and one appraisal per person and year: a second would leave the rules and the
scorecard to guess which one counts."""

from __future__ import annotations

from duty_tui.errors import FieldError
from duty_tui.i18n import L


def one_per_year(ledger, record_type, after) -> list[FieldError]:
    person, year = after.get("person"), after.get("year")
    if not person or not year:
        return []
    others = [r.id for r in ledger.all(record_type.name, person=person, year=year) if r.id != after.get("id")]
    if others:
        return [FieldError("year", L("{person} 的 {year}年度{type}已录入（{other}）", "{person} already has a {type} for {year} ({other})").format(
            person=person, year=year, type=record_type.label, other=others[0]))]
    return []


def item_problems(ledger, action, before, after) -> list[FieldError]:
    """The itemised table is the admin's: a clerk or a leader may read it, not change it; and an
    item says how it is measured in full (a rule that exists, a record type that exists, a cap no
    larger than its points)."""
    if getattr(getattr(ledger, "user", None), "role", "admin") != "admin":
        return [FieldError("title", L("考核细则只有管理员可以修改", "only an admin may change the assessment items"))]
    if not after or action == "delete":
        return []
    errors = []
    town = after.get("unit")
    if town:  # a town's own table: a village's would be read by nobody
        unit = ledger.find(town)
        if unit is not None and unit.data.get("parent"):
            errors.append(FieldError("unit", L("须为镇（顶层单位）：{name} 有上级单位", "must be a town (a top unit): {name} has a unit above it").format(
                name=unit.data.get("name") or town)))
    method = after.get("method")
    registry = ledger.registry
    if method == "rule":
        rule = after.get("rule")
        if not rule:
            errors.append(FieldError("rule", L("按规则扣分时必填", "required for a rule")))
        elif rule not in registry.rules:
            errors.append(FieldError("rule", L("没有规则 {rule}", "no rule {rule}").format(rule=rule)))
    if method in ("count_min", "count_each"):
        kind = after.get("count_type")
        if not kind:
            errors.append(FieldError("count_type", L("按数量时必填", "required for a count")))
        elif kind not in registry.types:
            errors.append(FieldError("count_type", L("没有记录类型 {type}", "no record type {type}").format(type=kind)))
        else:
            from .table import parse_match  # noqa: PLC0415
            try:
                parse_match(registry.types[kind], after.get("count_match") or "")
            except ValueError as e:
                errors.append(FieldError("count_match", L(str(e), str(e))))
    if method == "count_min" and after.get("count_min") is None:
        errors.append(FieldError("count_min", L("按数量（不少于）时必填", "required for a count (at least)")))
    if method != "manual" and after.get("veto", "none") == "none" and not after.get("deduction"):
        errors.append(FieldError("deduction", L("应写明每次扣几分", "say how many points each instance costs")))
    points, cap = after.get("points"), after.get("cap")
    if points is not None and cap is not None and cap > points:
        errors.append(FieldError("cap", L("扣分上限不能超过分值 {points}", "the cap cannot exceed the points, {points}").format(points=f"{points:g}")))
    if after.get("veto") == "zero_area" and after.get("veto_area") and after["veto_area"] not in registry.areas():
        errors.append(FieldError("veto_area", L("没有方面 {area}", "no area {area}").format(area=after["veto_area"])))
    if after.get("area") and after["area"] not in registry.areas():
        errors.append(FieldError("area", L("没有方面 {area}", "no area {area}").format(area=after["area"])))
    return errors


def mark_problems(ledger, after) -> list[FieldError]:
    """A mark is of one unit or one person, on one item and year, with scores within the item's points."""
    if not after:
        return []
    errors = []
    if bool(after.get("unit")) == bool(after.get("person")):
        errors.append(FieldError("unit", L("被考核单位和被考核人应填且只填一个", "give either the unit or the person, not both")))
    item = ledger.find(after["item"]) if after.get("item") else None
    if item is not None:
        points = item.data.get("points") or 0
        for name in ("self_score", "superior_score"):
            if after.get(name) is not None and after[name] > points:
                errors.append(FieldError(name, L("不能超过本项分值 {points}", "cannot exceed the item's points, {points}").format(points=f"{points:g}")))
    if not errors and after.get("item") and after.get("year"):
        subject = {"unit": after["unit"]} if after.get("unit") else {"person": after["person"]}
        others = [r.id for r in ledger.all("assessment_mark", item=after["item"], year=after["year"], **subject) if r.id != after.get("id")]
        if others:
            errors.append(FieldError("item", L("该项本年度已评分（{other}）", "this item already has a mark for the year ({other})").format(other=others[0])))
    return errors
