"""The cases screen shows a decision as the body took it: the deciding body, the document number
and the day, each responsible person's measure beside their kind, and the mark of 慢作为."""

from __future__ import annotations

import pytest

import duty_tui_plugins.accountability
import duty_tui_plugins.leadership
import duty_tui_plugins.positions
from duty_tui.testing import open_plugin_screen, screen_text, wait_until

pytestmark = [pytest.mark.duty_plugin(duty_tui_plugins.leadership), pytest.mark.duty_plugin(duty_tui_plugins.positions),
              pytest.mark.duty_plugin(duty_tui_plugins.accountability)]


async def test_a_decided_case_shows_its_body_number_measures_and_slow_action(duty_admin, duty_ledger_as, duty_app):
    ledger = duty_admin
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    chen = ledger.create("person", {"name": "陈丽", "unit": committee}).id
    ledger.add_user("liumy", "leader", ledger.create("person", {"name": "刘明宇", "unit": committee}).id)
    case = ledger.create("case", {"title": "网络谣言处置不力", "circumstance": "8", "occurred_on": "2026-02-01", "unit": committee,
                                  "inaction": "slow_action"}).id
    ledger.transition(case, "investigate")
    ledger.create("case_party", {"case": case, "person": chen, "kind": "main", "decision": "admonition"})
    duty_ledger_as("liumy", None).transition(case, "decide", values={
        "decision": "admonition", "decided_on": "2026-03-01", "deciding_body": committee, "decision_no": "x党〔2026〕12 号"})
    async with duty_app(ledger=ledger, lang="zh") as pilot:
        await open_plugin_screen(pilot, "accountability.cases")
        await wait_until(pilot, lambda: "网络谣言处置不力" in screen_text(pilot.app), "the case listed")
        text = screen_text(pilot.app)
        assert "已认定：陈丽 主要 诫勉" in text
        assert "决定：xx镇党委 x党〔2026〕12 号 2026-03-01  慢作为" in text


async def test_a_cases_detail_gives_each_measure_in_the_regulations_words_its_effect_and_its_file_date(duty_admin, duty_ledger_as, duty_app):
    from duty_tui.tui.screens.record_detail import RecordDetailScreen

    ledger = duty_admin
    committee = ledger.create("unit", {"name": "xx镇党委", "kind": "committee"}).id
    village = ledger.create("unit", {"name": "东风村", "kind": "village", "parent": committee}).id
    chen = ledger.create("person", {"name": "陈丽", "unit": committee}).id
    ledger.add_user("liumy", "leader", ledger.create("person", {"name": "刘明宇", "unit": committee}).id)
    case = ledger.create("case", {"title": "宣传栏违规内容", "circumstance": "10", "occurred_on": "2026-02-01", "unit": village}).id
    ledger.transition(case, "investigate")
    party = ledger.create("case_party", {"case": case, "person": chen, "kind": "main", "decision": "admonition"}).id
    duty_ledger_as("liumy", None).transition(case, "decide", values={
        "decision": "admonition", "decided_on": "2026-03-01", "deciding_body": committee, "decision_no": "x党〔2026〕12 号",
        "org_measure": "examination"})
    ledger.update(party, {"filed_in_personal_file_on": "2026-03-05"})
    async with duty_app(ledger=ledger, lang="zh", size=(120, 70)) as pilot:
        pilot.app.open_record(case)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecordDetailScreen) and "问责方式及依据" in screen_text(pilot.app),
                         "the measures in the case's detail")
        flat = "".join(screen_text(pilot.app).split())  # the detail wraps long lines
        assert "东风村党组织：检查——第八条（一）检查。责令作出书面检查并切实整改。" in flat
        assert "陈丽：诫勉——第八条（二）诫勉。以谈话或者书面方式进行诫勉。（影响期：当年不得评为优秀）（2026-03-05归入个人档案）" in flat
