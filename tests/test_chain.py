"""The chain of responsibility as the regulations give it (issue 17, item 2): 《问责条例》第六条 —
the principal leader and the member *directly* in charge bear 主要领导责任, the other members who
took part 重要领导责任 — and 《纪律处分条例》第三十九条 for 直接责任, the one who did it. A case on
a village event names its organiser, the village's own secretary, the member whose divisions
hold the village and the first responsible person; the propaganda member answers for a unit
outside his divisions with 重要领导责任 and says why; a case on an outlet names its responsible
person, a case on a person names them; a term whose 任职止 was never filled is flagged in the
suggestion and in ``duty suggest``, and ``--accept`` leaves it to the operator."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from duty_tui.hookspecs import registers
from duty_tui.i18n import L
from duty_tui.schema import DATE, REFERENCE, TEXT, Field, RecordType

from duty_tui.directory import is_secretary
from duty_tui_plugins.accountability.suggest import accept, suggest, suggest_for_case

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "accountability")

DAY = dt.date(2025, 5, 1)


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    """The demo's shape: 刘明宇 first responsible since 2023, 黄志军 first responsible since 2020
    with no 任职止 (transferred, never closed); 余永福 the propaganda member for 宣传办公室; 王建国 the
    member for 东风村; 陈丽 a member for 综治中心; 赵强 东风村's 党支部书记; 孙敏 城关社区's 党委书记; 周涛
    纪委书记 of the committee; 李娜 runs the WeChat account; 马一 a 东风村 cadre."""
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    for name, kind in (("宣传办公室", "office"), ("综治中心", "department"), ("东风村", "village"), ("城关社区", "community")):
        ids[name] = ledger.create("unit", {"name": name, "kind": kind, "parent": ids["committee"]}).id
    ids["东风村一组"] = ledger.create("unit", {"name": "东风村一组", "kind": "other", "parent": ids["东风村"]}).id
    for name, unit, post in (("刘明宇", "committee", "党委书记"), ("黄志军", "committee", "原党委书记"), ("余永福", "committee", "党委委员、宣传委员"),
                             ("王建国", "committee", "党委副书记、镇长"), ("陈丽", "committee", "党委委员、组织委员"),
                             ("周涛", "committee", "党委委员、纪委书记"), ("李娜", "宣传办公室", "宣传干事"),
                             ("赵强", "东风村", "党支部书记"), ("马一", "东风村", "村委委员"), ("孙敏", "城关社区", "党委书记")):
        ids[name] = ledger.create("person", {"name": name, "unit": ids[unit], "post": post}).id
    rows = {}
    for name, role, since, divisions in (("黄志军", "first_responsible", "2020-09-01", ()), ("刘明宇", "first_responsible", "2023-01-01", ()),
                                         ("余永福", "direct_responsible", "2023-01-01", ("宣传办公室",)),
                                         ("王建国", "member", "2023-01-01", ("东风村",)), ("陈丽", "member", "2023-01-01", ("综治中心",))):
        rows[name] = ledger.create("leader", {"person": ids[name], "role": role, "since": since,
                                              "divisions": [ids[u] for u in divisions]}).id
    ids["account"] = ledger.create("outlet", {"name": "“xx镇发布”微信公众号", "kind": "new_media", "unit": ids["宣传办公室"],
                                              "responsible": ids["李娜"]}).id
    ledger.add_user("liumy", "leader", ids["刘明宇"])
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", None)
    return type("Town", (), {"admin": ledger, "clerk": clerk, "leader": leader, "ids": ids, "rows": rows})


def kinds(result):
    return [(s.name, s.kind) for s in result.items]


def by_name(result, name):
    return next(s for s in result.items if s.name == name)


def village_event(town, approver="陈丽"):
    event = town.clerk.create("event", {"title": "党的创新理论宣讲进村", "kind": "lecture", "date": DAY.isoformat(),
                                        "organizer_unit": town.ids["东风村"], "organizer": town.ids["马一"]}).id
    town.clerk.transition(event, "submit")
    town.leader.transition(event, "approve", values={"approver": town.ids[approver], "approved_on": "2025-04-20"})
    return event


def close_huang(town):
    row = town.admin.get(town.rows["黄志军"])
    town.admin.update(row.id, {"until": "2022-12-31"}, expected_version=row.version)


# -- a village event ---------------------------------------------------------------------------------

def test_a_village_event_names_its_organiser_the_village_secretary_the_member_in_charge_and_the_secretary(town):
    close_huang(town)
    event = village_event(town)
    result = suggest(town.admin, {"event": event, "occurred_on": DAY, "circumstance": "9"})
    assert kinds(result) == [("马一", "direct"), ("陈丽", "important"), ("赵强", "main"), ("王建国", "main"), ("余永福", "important"),
                             ("刘明宇", "main")]
    clauses = {s.name: s.clause().render("zh") for s in result.items}
    assert clauses == {"马一": "《纪律处分条例》第三十九条", "陈丽": "《问责条例》第六条", "赵强": "《问责条例》第六条", "王建国": "《问责条例》第六条",
                       "余永福": "《问责条例》第六条；《纪律处分条例》第三十九条", "刘明宇": "《问责条例》第六条"}
    zh = {s.name: [r.text.render("zh") for r in s.reasons] for s in result.items}
    assert zh["马一"] == ["谁组织谁负责：组织了“党的创新理论宣讲进村”（2025-05-01），是办这件事的人，负直接责任"]
    assert zh["陈丽"] == ["谁审批谁监督：于 2025-04-20 批准了“党的创新理论宣讲进村”，参与了决定"]
    assert zh["赵强"] == ["本单位党组织书记（党支部书记）：东风村党组织的主要负责人"]
    assert zh["王建国"] == ["一岗双责：东风村在其分管范围内，是直接主管的班子成员"]
    assert zh["刘明宇"] == ["第一责任人：党委书记，领导班子主要负责人"]
    assert [r.record for r in by_name(result, "赵强").reasons] == [town.ids["赵强"]]
    assert [r.record for r in by_name(result, "王建国").reasons] == [town.rows["王建国"]]
    assert [(o.name, o.clause.render("zh")) for o in result.organisations] == [("xx镇党委", "《问责条例》第六条"), ("东风村", "《问责条例》第六条")]
    assert result.notes == [] and all(not s.warnings for s in result.items)
    # the zh texts keep full-width punctuation
    assert all("," not in t and ":" not in t and "(" not in t for texts in zh.values() for t in texts)


def test_the_propaganda_member_answers_outside_his_divisions_with_important_responsibility_and_says_why(town):
    """第六条 gives 主要领导责任 to 直接主管的班子成员: a village is directly in the charge of the
    member whose divisions hold it; ideological work there is the propaganda member's by office
    (应管的工作, 第三十九条), hence 重要领导责任. In his own divisions, and for the committee's own
    work, he is the member directly in charge."""
    close_huang(town)
    village = by_name(suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": DAY}), "余永福")
    assert village.kind == "important"
    assert [r.text.render("zh") for r in village.reasons] == [
        "分管宣传思想工作，但东风村不在其分管范围内：不是直接主管的班子成员，该处的意识形态工作是其应管的工作，负重要领导责任"]
    assert village.reasons[0].record == town.rows["余永福"]
    own = by_name(suggest(town.admin, {"unit": town.ids["宣传办公室"], "occurred_on": DAY}), "余永福")
    assert (own.kind, own.clause().render("en")) == ("main", "Accountability Regulations, Art. 6")
    committee = by_name(suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": DAY}), "余永福")
    assert committee.kind == "main" and "committee's own work" in committee.reasons[0].text.render("en")


def test_the_unit_secretary_is_the_nearest_one_up_the_units_and_never_a_deputy_or_the_discipline_secretary(town):
    close_huang(town)
    group = suggest(town.admin, {"unit": town.ids["东风村一组"], "occurred_on": DAY})
    zhao = by_name(group, "赵强")
    assert zhao.kind == "main" and zhao.reasons[0].text.render("en") == (
        "secretary of the Party organisation of 东风村, which 东风村一组 belongs to (党支部书记): its principal leader")
    community = suggest(town.admin, {"unit": town.ids["城关社区"], "occurred_on": DAY})
    assert by_name(community, "孙敏").kind == "main"
    assert [n.render("en") for n in community.notes] == ["城关社区 is in no member's divisions"]
    committee = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": DAY})
    assert "周涛" not in [s.name for s in committee.items] and "王建国" not in [s.name for s in committee.items]
    assert [is_secretary(p) for p in ("党支部书记", "村党组织书记、村委会主任", "党委书记", "党委副书记、镇长", "党委委员、纪委书记",
                                      "原党委书记", "宣传干事", None)] == [True, True, True, False, False, False, False, False]


# -- an outlet, a person ----------------------------------------------------------------------------------

def test_a_case_on_an_outlet_names_its_responsible_person_then_its_units_leaders(town):
    close_huang(town)
    case = town.clerk.create("case", {"title": "公众号转载错误观点文章", "circumstance": "5", "occurred_on": DAY.isoformat(),
                                      "outlet": town.ids["account"]})
    result = suggest_for_case(town.admin, case)
    assert kinds(result) == [("李娜", "direct"), ("余永福", "main"), ("刘明宇", "main")]
    li = by_name(result, "李娜")
    assert li.reasons[0].record == town.ids["account"] and li.clause().render("zh") == "《纪律处分条例》第三十九条"
    assert li.reasons[0].text.render("zh") == "阵地责任人：负责“xx镇发布”微信公众号，把好其内容是本人职责，负直接责任"
    nobody = town.admin.create("outlet", {"name": "村广播", "kind": "bulletin", "unit": town.ids["东风村"]})
    without = suggest(town.admin, {"outlet": nobody.id, "occurred_on": DAY})
    assert [n.render("en") for n in without.notes] == [f"the outlet “村广播” ({nobody.id}) names no responsible person"]
    assert kinds(without)[:2] == [("赵强", "main"), ("王建国", "main")]


def test_a_case_on_a_person_names_them_with_direct_responsibility_then_their_units_leaders(town):
    close_huang(town)
    case = town.clerk.create("case", {"title": "村干部在微信群发表错误言论", "circumstance": "4", "occurred_on": DAY.isoformat(),
                                      "person": town.ids["马一"]})
    result = suggest_for_case(town.admin, case)
    assert kinds(result) == [("马一", "direct"), ("赵强", "main"), ("王建国", "main"), ("余永福", "important"), ("刘明宇", "main")]
    assert by_name(result, "马一").reasons[0].record == town.ids["马一"]


PUBLICATION = RecordType(
    name="publication", label=L("发布内容", "Publication"), area="positions", title_field="title",
    fields=(Field("title", TEXT, L("标题", "Title"), required=True), Field("date", DATE, L("日期", "Date")),
            Field("outlet", REFERENCE, L("阵地", "Outlet"), target="outlet"),
            Field("final_reviewer", REFERENCE, L("终审人", "Final reviewer"), target="person")))


PUBLICATION_PLUGIN = SimpleNamespace(duty_register_types=registers([PUBLICATION]))


@pytest.mark.duty_plugin(PUBLICATION_PLUGIN, name="publication-for-test")
def test_a_case_on_a_publication_names_whoever_it_records_and_its_outlets_chain(town):
    close_huang(town)
    post = town.admin.create("publication", {"title": "转载文章", "outlet": town.ids["account"], "final_reviewer": town.ids["余永福"]})
    result = suggest(town.admin, {"publication": post.id, "occurred_on": DAY})
    assert kinds(result) == [("余永福", "direct"), ("李娜", "direct"), ("刘明宇", "main")]
    assert by_name(result, "余永福").reasons[0].text.render("zh") == "“转载文章”的终审人：在其职责范围内把关这篇内容，负直接责任"


# -- terms ------------------------------------------------------------------------------------------

def test_a_former_secretary_with_no_until_is_flagged_not_silently_suggested(town):
    result = suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": DAY})
    huang = by_name(result, "黄志军")
    assert huang.kind == "main" and [w.render("zh") for w in huang.warnings] == [
        "任期重叠：黄志军自 2020-09-01 任第一责任人，任职止未填写，而刘明宇已于 2023-01-01 接任；2025-05-01 时可能已离任，请核实并补录任职止"]
    assert huang.as_json("en")["warnings"] == [
        "overlapping terms: 黄志军 has been first responsible since 2020-09-01 with no “until” entered, but 刘明宇 took over on "
        "2023-01-01; they may have left before 2025-05-01: check and enter the end of the term"]
    assert [s.name for s in result.flagged()] == ["黄志军"] and "黄志军" not in [s.name for s in result.ready()]
    assert not by_name(result, "刘明宇").warnings, "the successor is not in doubt"
    before = suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": dt.date(2022, 6, 1)})
    assert kinds(before)[-1] == ("黄志军", "main") and result.items and not before.flagged(), "before the successor came, no doubt"


def test_a_term_that_ends_after_the_successor_began_and_a_member_whose_division_passed_on_are_flagged(town):
    close_huang(town)
    row = town.admin.get(town.rows["黄志军"])
    town.admin.update(row.id, {"until": "2023-03-31"}, expected_version=row.version)
    overlap = suggest(town.admin, {"unit": town.ids["committee"], "occurred_on": dt.date(2023, 2, 1)})
    assert [w.render("en") for w in by_name(overlap, "黄志军").warnings] == [
        "overlapping terms: 黄志军 was first responsible until 2023-03-31, but 刘明宇 took over on 2023-01-01; check who was in office on 2023-02-01"]
    town.admin.create("leader", {"person": town.ids["周涛"], "role": "member", "since": "2024-06-01", "divisions": [town.ids["东风村"]]})
    village = suggest(town.admin, {"unit": town.ids["东风村"], "occurred_on": DAY})
    assert by_name(village, "王建国").warnings and not by_name(village, "周涛").warnings
    assert "陈丽" not in [s.name for s in village.items]


def test_duty_suggest_shows_the_warning_and_accept_leaves_the_flagged_for_the_operator(town, duty_cli):
    cli = duty_cli  # on the town's store
    case = town.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": DAY.isoformat(),
                                      "unit": town.ids["东风村"]}).id
    text = cli("suggest", case)
    assert text.exit_code == 0, text.stderr
    assert "⚠ check: overlapping terms: 黄志军 has been first responsible since 2020-09-01 with no “until” entered" in text.stdout
    assert f"  [{town.rows['王建国']}]  Accountability Regulations, Art. 6" in text.stdout
    assert f"  organisation {town.ids['committee']} xx镇党委: the committee's leading body bears overall leadership responsibility" in text.stdout
    body = cli("suggest", case, "--accept", "--json").json()
    assert body["left_for_review"] == [town.ids["黄志军"]]
    assert [s["name"] for s in body["suggestions"] if s["named"]] == ["赵强", "王建国", "余永福", "刘明宇"]
    huang = next(s for s in body["suggestions"] if s["name"] == "黄志军")
    assert (huang["kind"], huang["named"], len(huang["warnings"])) == ("main", False, 1)
    party = town.admin.all("case_party", case=case, person=town.ids["余永福"])[0]
    assert party.data["kind"] == "important" and party.data["reason"].endswith(
        "(Accountability Regulations, Art. 6; Disciplinary Regulations, Art. 39)")
    again = cli("suggest", case, "--accept")
    assert "not named (a warning to check first): 黄志军; once checked, name them with duty add case_party" in again.stdout
    accept(town.admin, case, suggest_for_case(town.admin, town.admin.get(case)).open())
    huang = town.admin.all("case_party", case=case, person=town.ids["黄志军"])
    assert huang and huang[0].data["reason"] == "第一责任人：党委书记，领导班子主要负责人（《问责条例》第六条）", "named once the operator chooses to"


# -- the demo -----------------------------------------------------------------------------------------

def test_the_demo_names_dongfengs_secretary_and_flags_the_former_secretary(duty_store, duty_registry):
    from duty_tui.demo import create_demo, town_ids

    today = dt.date.today()
    demo = create_demo(duty_store, duty_registry, "admin", year=today.year)
    persons, units = town_ids(demo.ledger, "person"), town_ids(demo.ledger, "unit")
    result = suggest(demo.ledger, {"unit": units["东风村"], "occurred_on": today})
    assert [(s.name, s.kind) for s in result.items if s.name in ("赵强", "王建国", "余永福", "刘明宇")] == [
        ("赵强", "main"), ("王建国", "main"), ("余永福", "important"), ("刘明宇", "main")]
    assert [s.name for s in result.flagged()] == ["黄志军"] and persons["黄志军"] == result.flagged()[0].person
    qingshan = suggest(demo.ledger, {"unit": units["青山村"], "occurred_on": today})
    assert "青山村 has no Party secretary recorded (a person of the unit whose post is a secretary's)" in [
        n.render("en") for n in qingshan.notes], "a village whose secretary is not recorded is said, not passed over"
    account = next(o for o in demo.ledger.all("outlet") if "微信公众号" in o.data["name"])
    on_account = suggest(demo.ledger, {"outlet": account.id, "occurred_on": today})
    assert on_account.items[0].name == "李娜" and on_account.items[0].kind == "direct"


def test_the_detail_lines_show_each_suggestion_with_its_clause_and_warning_and_the_organisations(town):
    from duty_tui_plugins.accountability.suggest import detail_lines

    case = town.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": DAY.isoformat(), "unit": town.ids["东风村"]})
    (label, text), (bodies_label, bodies) = detail_lines(town.admin, case)
    assert label.zh == "建议认定（未采纳）" and bodies_label.zh == "全面领导责任"
    zh = text.render("zh").splitlines()
    assert zh[0] == "赵强 · 主要领导责任 · 本单位党组织书记（党支部书记）：东风村党组织的主要负责人（《问责条例》第六条）"
    huang = next(i for i, line in enumerate(zh) if line.startswith("黄志军 · 主要领导责任"))
    assert zh[huang + 1].startswith("  ⚠ 任期重叠：黄志军自 2020-09-01 任第一责任人")
    assert bodies.render("zh").splitlines() == ["xx镇党委 · 党委领导班子在职责范围内负有全面领导责任（《问责条例》第六条）",
                                                "东风村 · 东风村党组织在职责范围内负有全面领导责任（《问责条例》第六条）"]
