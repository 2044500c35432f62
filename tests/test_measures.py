"""Measures and deciding bodies (issue 17, item 1): the measures for persons and for Party
organisations as 中国共产党问责条例 (2019) 第八条 lists them, mildest first, in its words; a decision
taken by a body (a unit) with a date and a document number, reported to the organisation
department, filed with the one above and put in each person's file; 不作为/慢作为 on the case;
the table of each measure's effects (影响期) and the rules that find an appraisal or a
pre-appointment review contradicting a measure in effect; and a store written before all this
(old measure values, a person as 决定人) that still opens, verifies, exports and imports.

The appraisal and the pre-appointment review are the assessment plugin's record types; the rules
read them by type and field name only, so these tests declare a stand-in with just those
fields rather than load the assessment plugin."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from duty_tui.exchange import export_store, import_store
from duty_tui.hookspecs import registers
from duty_tui.i18n import L
from duty_tui.ledger import Ledger
from duty_tui.rules import run_rules
from duty_tui.schema import CHOICE, DATE, INTEGER, REFERENCE, Field, RecordType, choices
from duty_tui.store import User, open_store

from duty_tui_plugins.accountability.settings import EFFECTS, no_excellent_key, no_promotion_key
from duty_tui_plugins.accountability.types import MEASURE_SOURCES, ORG_MEASURE_SOURCES

from .helpers import refusal, rule_findings

pytestmark = pytest.mark.duty_installed_plugins("sql", "tinydb", "leadership", "positions", "accountability")

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 12, 31)

# the assessment plugin's two record types as these rules read them: by name and field name
APPRAISAL = RecordType(name="appraisal", label=L("年度考核", "Annual appraisal"), area="assessment", title_field="person", fields=(
    Field("person", REFERENCE, L("被考核人", "Person"), required=True, target="person"),
    Field("year", INTEGER, L("年度", "Year"), required=True),
    Field("grade", CHOICE, L("等次", "Grade"), choices=choices(("excellent", "优秀", "excellent"), ("competent", "称职", "competent")))))
REVIEW = RecordType(name="appointment_review", label=L("干部任前考察", "Pre-appointment review"), area="assessment", title_field="person",
                    year_field="date", fields=(Field("person", REFERENCE, L("考察对象", "Person"), required=True, target="person"),
                                               Field("date", DATE, L("考察日期", "Date"), required=True)))
APPRAISALS = SimpleNamespace(duty_register_types=registers([APPRAISAL, REVIEW]))


@pytest.fixture
def town(duty_admin, duty_ledger_as):
    ledger = duty_admin
    ids = {"committee": ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id}
    ids["东风村"] = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": ids["committee"]}).id
    for name in ("刘明宇", "陈丽", "王建国"):
        ids[name] = ledger.create("person", {"name": name, "unit": ids["committee"]}).id
    ledger.create("leader", {"person": ids["刘明宇"], "role": "first_responsible", "since": "2020-01-01"})
    ledger.add_user("liumy", "leader", ids["刘明宇"])
    clerk, leader = duty_ledger_as("lina", "clerk"), duty_ledger_as("liumy", None)
    return SimpleNamespace(admin=ledger, clerk=clerk, leader=leader, ids=ids)


def decided_case(town, measures: dict[str, str], decided_on="2025-04-01", **decision) -> tuple[str, dict[str, str]]:
    """A case in the village decided by the committee; ``measures`` maps a name to its measure."""
    case = town.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": "2025-03-01",
                                      "unit": town.ids["东风村"]}).id
    town.clerk.transition(case, "investigate")
    parties = {name: town.clerk.create("case_party", {"case": case, "person": town.ids[name], "kind": "main", "decision": measure}).id
               for name, measure in measures.items()}
    town.leader.transition(case, "decide", values={"decision": next(iter(measures.values())), "decided_on": decided_on,
                                                   "deciding_body": town.ids["committee"], "decision_no": "x党〔2025〕5 号", **decision})
    return case, parties


# -- the measures in the regulation's words ----------------------------------------------------------

def test_each_measure_for_a_person_exists_mildest_first_in_the_regulations_words(duty_registry):
    for type_name in ("case", "case_party"):
        field = duty_registry.types[type_name].field("decision")
        assert [(c.value, c.label.zh) for c in field.choices] == [
            ("reminder", "谈话提醒"), ("criticism_education", "批评教育"), ("written_examination", "责令检查"),
            ("public_criticism", "通报"), ("admonition", "诫勉"), ("organisational_handling", "组织调整或者组织处理"),
            ("discipline", "纪律处分")]
    assert MEASURE_SOURCES["public_criticism"].zh == "第八条（一）通报。进行严肃批评，责令作出书面检查、切实整改，并在一定范围内通报。"
    assert MEASURE_SOURCES["admonition"].zh == "第八条（二）诫勉。以谈话或者书面方式进行诫勉。"
    assert MEASURE_SOURCES["organisational_handling"].zh == (
        "第八条（三）组织调整或者组织处理。对失职失责、危害较重，不适宜担任现职的，应当根据情况采取停职检查、调整职务、责令辞职、免职、降职等措施。")
    assert MEASURE_SOURCES["discipline"].zh == (
        "第八条（四）纪律处分。对失职失责、危害严重，应当给予纪律处分的，依照《中国共产党纪律处分条例》追究纪律责任。")
    assert "提醒谈话" in MEASURE_SOURCES["reminder"].zh and "批评教育" in MEASURE_SOURCES["criticism_education"].zh
    help_zh = duty_registry.types["case_party"].field("decision").help.zh
    assert help_zh.startswith("由轻到重。") and "诫勉：第八条（二）诫勉。以谈话或者书面方式进行诫勉；" in help_zh


def test_each_measure_for_a_party_organisation_exists_in_the_regulations_words(duty_registry):
    field = duty_registry.types["case"].field("org_measure")
    assert [(c.value, c.label.zh) for c in field.choices] == [("examination", "检查"), ("notification", "通报"), ("reorganisation", "改组")]
    assert [ORG_MEASURE_SOURCES[c.value].zh for c in field.choices] == [
        "第八条（一）检查。责令作出书面检查并切实整改。", "第八条（二）通报。责令整改，并在一定范围内通报。",
        "第八条（三）改组。对失职失责，严重违犯党的纪律、本身又不能纠正的，应当予以改组。"]


def test_the_case_marks_inaction_or_slow_action_and_may_name_an_outlet_and_a_person(duty_registry):
    case = duty_registry.types["case"]
    assert [(c.value, c.label.zh) for c in case.field("inaction").choices] == [("inaction", "不作为"), ("slow_action", "慢作为")]
    assert not case.field("inaction").required
    assert (case.field("outlet").target, case.field("outlet").label.zh) == ("outlet", "涉及阵地")
    assert (case.field("person").target, case.field("person").label.zh) == ("person", "涉及人员")


# -- the deciding body, its document, the organisation department and the personal file ---------------

def test_the_decision_is_taken_by_a_unit_with_a_date_and_a_document_number(town):
    case = town.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": "2025-03-01",
                                      "unit": town.ids["东风村"], "inaction": "慢作为"}).id
    town.clerk.transition(case, "investigate")
    town.clerk.create("case_party", {"case": case, "person": town.ids["王建国"], "kind": "main", "decision": "诫勉"})
    assert refusal(lambda: town.leader.transition(case, "decide", values={"decision": "admonition", "decided_on": "2025-04-01"})) == [
        "a decision needs the deciding body, its document number"]
    assert refusal(lambda: town.leader.transition(case, "decide", values={
        "decision": "admonition", "decided_on": "2025-04-01", "deciding_body": town.ids["刘明宇"], "decision_no": "x党〔2025〕5 号"})) == [
        f"{town.ids['刘明宇']} is not a Unit"], "a person does not decide: a body does"
    decided = town.leader.transition(case, "decide", values={"decision": "admonition", "decided_on": "2025-04-01", "org_measure": "检查",
                                                             "deciding_body": town.ids["committee"], "decision_no": "x党〔2025〕5 号"})
    assert (decided.data["deciding_body"], decided.data["decision_no"], decided.data["org_measure"], decided.data["inaction"]) == (
        town.ids["committee"], "x党〔2025〕5 号", "examination", "slow_action")
    assert town.admin.type("case").field("deciding_body").label.zh == "问责决定机关"
    assert refusal(lambda: town.clerk.update(case, {"deciding_body": town.ids["东风村"]})) == [
        "a decision is recorded by a leader through the workflow's “decide” step, not typed in"]


def test_closing_needs_the_report_to_the_organisation_department_and_the_filing_in_order(town):
    case, parties = decided_case(town, {"王建国": "admonition"})
    assert refusal(lambda: town.clerk.transition(case, "close", values={"filed_with_organization_on": "2025-04-10"})) == [
        "before it is closed, the organisation department is told of the decision: give the day it was"]
    assert refusal(lambda: town.clerk.transition(case, "close", values={"reported_to_organization_on": "2025-03-30",
                                                                        "filed_with_organization_on": "2025-04-10"})) == [
        "reported on 2025-03-30, before the decision on 2025-04-01"]
    assert town.clerk.transition(case, "close", values={"reported_to_organization_on": "2025-04-02",
                                                        "filed_with_organization_on": "2025-04-10"}).state == "closed"


def test_each_persons_measure_goes_into_their_file_after_the_decision(town):
    case = town.clerk.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": "2025-03-01"}).id
    town.clerk.transition(case, "investigate")
    party = town.clerk.create("case_party", {"case": case, "person": town.ids["王建国"], "kind": "main", "decision": "admonition"}).id
    town.leader.transition(case, "decide", values={"decision": "admonition", "decided_on": "2025-04-01",
                                                   "deciding_body": town.ids["committee"], "decision_no": "x党〔2025〕5 号"})
    assert refusal(lambda: town.clerk.update(party, {"filed_in_personal_file_on": "2025-03-31"})) == [
        "put in the file on 2025-03-31, before the decision on 2025-04-01"]
    assert town.clerk.update(party, {"filed_in_personal_file_on": "2025-04-03"}).data["filed_in_personal_file_on"] == dt.date(2025, 4, 3)
    assert refusal(lambda: town.leader.update(case, {"org_measure": "改组"})) == ["a measure for a Party organisation needs the case's unit"]


def test_a_measure_of_accountability_not_in_the_personal_file_is_warned_about_then_an_error_once_closed(town):
    case, parties = decided_case(town, {"王建国": "admonition", "陈丽": "criticism_education"})
    rule = "accountability.personal-file"
    assert rule_findings(town.admin, 2025, rule, TODAY) == [
        ("warning", "宣传栏违规内容: 王建国 was given admonition; the decision is not yet in their personal file "
                    "(Accountability Regulations (2016), Art. 9)", [case, parties["王建国"]])], "criticism is not a measure of accountability"
    town.clerk.transition(case, "close", values={"reported_to_organization_on": "2025-04-02", "filed_with_organization_on": "2025-04-10"})
    assert rule_findings(town.admin, 2025, rule, TODAY, lang="zh") == [
        ("error", "宣传栏违规内容：王建国 受到诫勉，问责决定材料尚未归入个人档案（《中国共产党问责条例》（2016）第九条）", [case, parties["王建国"]])]
    town.clerk.update(parties["王建国"], {"filed_in_personal_file_on": "2025-04-05"})
    assert rule_findings(town.admin, 2025, rule, TODAY) == []


# -- the effects (影响期) -----------------------------------------------------------------------------

def test_every_measure_has_a_row_of_effects_whose_default_quotes_its_source_or_says_none_was_found(duty_registry):
    for measure, (excellent, excellent_source, months, months_source) in EFFECTS.items():
        for key, default in ((no_excellent_key(measure), excellent), (no_promotion_key(measure), months)):
            setting = duty_registry.settings[key]
            assert setting.default == default and setting.help.zh and setting.help.en
            assert default or "未找到" in setting.help.zh or "留空" in setting.help.zh, key
    assert duty_registry.settings[no_excellent_key("admonition")].default is True
    assert "诫勉　当年不得确定为优秀等次" in duty_registry.settings[no_excellent_key("admonition")].help.zh
    assert duty_registry.settings[no_promotion_key("admonition")].default == 0, "no central figure found: left empty"
    assert "一年内不得在党内提升职务" in duty_registry.settings[no_promotion_key("discipline")].help.zh
    assert "一年内不得提拔" in duty_registry.settings[no_promotion_key("organisational_handling")].help.zh
    assert duty_registry.settings[no_excellent_key("reminder")].default is False


@pytest.mark.duty_plugin(APPRAISALS, name="appraisals-for-test")
def test_an_admonition_decided_in_the_year_and_an_excellent_appraisal_that_year_give_an_error(town):
    case, parties = decided_case(town, {"陈丽": "admonition", "王建国": "criticism_education"}, decided_on="2025-04-01")
    rule = "accountability.measure-appraisal"
    chen = town.clerk.create("appraisal", {"person": town.ids["陈丽"], "year": 2025, "grade": "excellent"}).id
    town.clerk.create("appraisal", {"person": town.ids["王建国"], "year": 2025, "grade": "excellent"})  # criticism bars nothing
    town.clerk.create("appraisal", {"person": town.ids["陈丽"], "year": 2024, "grade": "excellent"})  # the year before
    found = rule_findings(town.admin, 2025, rule, TODAY, lang="zh")
    assert [(severity, records) for severity, _, records in found] == [("error", [chen, case, parties["陈丽"]])]
    message = found[0][1]
    assert message.startswith("陈丽：2025 年受到诫勉（宣传栏违规内容，x党〔2025〕5 号，2025-04-01），当年年度考核不得确定为优秀等次，但考核为优秀。依据：")
    assert "诫勉　当年不得确定为优秀等次" in message
    assert rule_findings(town.admin, 2024, rule, TODAY) == [], "decided in 2025: the 2024 appraisal stands"
    town.admin.set_setting(no_excellent_key("admonition"), False)
    assert rule_findings(town.admin, 2025, rule, TODAY) == [], "the operator's table decides"


@pytest.mark.duty_plugin(APPRAISALS, name="appraisals-for-test")
def test_a_pre_appointment_review_while_a_measure_bars_promotion_is_an_error(town):
    case, parties = decided_case(town, {"王建国": "organisational_handling"}, decided_on="2025-04-01")
    rule = "accountability.measure-promotion"
    early = town.clerk.create("appointment_review", {"person": town.ids["王建国"], "date": "2025-10-01"}).id
    town.clerk.create("appointment_review", {"person": town.ids["王建国"], "date": "2026-04-01"})  # twelve months on
    assert [(s, r) for s, _, r in rule_findings(town.admin, 2025, rule, TODAY)] == [("error", [early, case, parties["王建国"]])]
    assert rule_findings(town.admin, 2025, rule, TODAY)[0][1].startswith(
        "王建国: reviewed for a post on 2025-10-01, yet given organisational adjustment or handling on 2025-04-01 "
        "(宣传栏违规内容，x党〔2025〕5 号): no promotion for 12 months (until 2026-04-01).")
    assert rule_findings(town.admin, 2026, rule, dt.date(2026, 12, 31)) == []


def test_without_the_assessment_types_the_effect_rules_find_nothing(town):
    decided_case(town, {"陈丽": "admonition"})
    found = run_rules(town.admin, 2025, today=TODAY, rule_ids=["accountability.measure-appraisal", "accountability.measure-promotion"])
    assert found == []


# -- a store written before issue 17 ------------------------------------------------------------------

@pytest.fixture
def old_store(tmp_path):
    """``data/accountability-v1.db.gz``: written by the accountability plugin as it was before
    issue 17 (commit 3dc84a2): a case closed with 组织处理, its persons given 通报批评 and 书面检查,
    decided by a person (决定人), filed without a report date; a second case decided with 提醒.
    ``accountability-v1-export.json.gz`` is what it exported."""
    path = tmp_path / "old.db"
    path.write_bytes(gzip.decompress((DATA / "accountability-v1.db.gz").read_bytes()))
    return path


def test_a_store_with_the_old_measures_opens_verifies_reads_in_the_new_words_and_exports_the_same(old_store, duty_registry, tmp_path):
    store = open_store(f"sqlite:///{old_store}", duty_registry)
    ledger = Ledger(store, duty_registry, User("root", "admin"))
    assert ledger.verify_audit().ok
    case = ledger.get("case-1")
    rt = ledger.type("case")
    assert (case.state, rt.field("decision").choice_label(case.data["decision"]).zh) == ("closed", "组织调整或者组织处理")
    assert rt.field("decided_by").label.zh == "签发人" and case.data["decided_by"] == "person-1" and case.data["deciding_body"] is None
    parties = {p.id: ledger.type("case_party").field("decision").choice_label(p.data["decision"]).zh for p in ledger.all("case_party")}
    assert parties == {"case_party-1": "通报", "case_party-2": "责令检查", "case_party-3": "谈话提醒"}
    expected = json.loads(gzip.decompress((DATA / "accountability-v1-export.json.gz").read_bytes()))
    out = io.StringIO()
    export_store(ledger, out)
    now = json.loads(out.getvalue())
    assert {r["id"]: r for r in now["records"]} == {r["id"]: r for r in expected["records"]}, "nothing lost, nothing rewritten"
    # the rules run on it (the 通报 never went into a file: the old version did not record it)
    found = run_rules(ledger, 2025, today=TODAY)
    assert not [f for f in found if f.severity == "failed"]
    assert [(f.rule, list(f.records)) for f in found if f.rule == "accountability.personal-file"] == [
        ("accountability.personal-file", ["case-1", "case_party-1"])]
    # and it can be worked on: the file date added, a note on the old case
    assert ledger.update("case_party-1", {"filed_in_personal_file_on": "2025-04-12"}).version == 2
    assert ledger.update("case-1", {"notes": "补录"}).data["decision"] == "organisational_handling"
    store.close()
    # its export imports into a new store
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}", duty_registry)
    import_store(fresh, duty_registry, "root", out.getvalue())
    assert Ledger(fresh, duty_registry, User("root", "admin")).get("case-1").data["decision"] == "organisational_handling"
    fresh.close()
