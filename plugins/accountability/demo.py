"""The sample town's accountability cases for ``duty demo``: one just registered about the
positions demo's seminar that was approved the day after it took place and never filed (nobody
named yet: the chain suggests its organiser, its approver and the office's leaders), one under
investigation for 75 days (the WeChat account's wrong article, so the chain names its responsible person), one registered 130 days ago and left undecided (marked 慢作为), and one
closed — decided by the town committee (问责决定机关, with its document number, signed by the
secretary): 诫勉 for the member in charge, put in her personal file, the organisation department
told and the decision filed with the one above, with a member exempt by the dissent recorded in
the committee's minutes. Dates are counted back from today."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger

SEMINAR = "乡村振兴研讨会"



def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())

    persons, units = town_ids(ledger, "person"), town_ids(ledger, "unit")
    clerk, leader = acting(ledger, "lina"), acting(ledger, "liumy")

    seminar = next((e for e in ledger.query("event", text=SEMINAR, limit=5) if e.data["title"] == SEMINAR), None)
    values = {"title": f"“{SEMINAR}”未经事先批准、未报备案即举办", "circumstance": "10", "unit": units["党政办公室"],
              "description": "研讨会举办后次日才补办审批手续，且未报市委宣传部备案。"}
    if seminar is not None:
        values.update(event=seminar.id, occurred_on=seminar.data["date"].isoformat())
    else:
        values["occurred_on"] = day(-25)
    clerk.create("case", values)

    account = next((o for o in ledger.query("outlet", text="xx镇发布", limit=5) if "公众号" in o.data["name"]), None)
    media = clerk.create("case", {"title": "“xx镇发布”公众号转载错误观点文章", "circumstance": "5", "unit": units["宣传办公室"],
                                  "occurred_on": day.ago(-75), "description": "公众号转载一篇含错误观点的文章，约 6 小时后删除。",
                                  **({"outlet": account.id} if account is not None else {})})
    clerk.transition(media.id, "investigate")
    clerk.create("case_party", {"case": media.id, "person": persons["李娜"], "kind": "direct", "reason": "负责公众号内容编辑审核"})
    clerk.create("case_party", {"case": media.id, "person": persons["余永福"], "kind": "main", "reason": "分管宣传办公室和公众号"})

    clerk.create("case", {"title": "青山村宣传栏张贴违规宣传品", "circumstance": "10", "unit": units["青山村"], "occurred_on": day.ago(-130),
                          "description": "群众反映后村两委未及时处置。", "inaction": "slow_action"})

    rumour = clerk.create("case", {"title": "网络谣言处置不力", "circumstance": "8", "unit": units["综治中心"], "occurred_on": day(-200),
                                   "description": "涉我镇网络谣言传播两天后才组织处置。", "inaction": "slow_action"})
    clerk.transition(rumour.id, "investigate")
    chen = clerk.create("case_party", {"case": rumour.id, "person": persons["陈丽"], "kind": "main", "reason": "分管综治中心",
                                       "decision": "admonition", "measure_detail": "书面诫勉"})
    clerk.create("case_party", {"case": rumour.id, "person": persons["周涛"], "kind": "important", "dissent_recorded": True,
                                "dissent_notes": "党委会会议记录：周涛同志对延后处置的方案明确提出不同意见"})
    decided_on = day(-160)
    leader.transition(rumour.id, "decide", values={"decision": "admonition", "decided_on": decided_on, "deciding_body": units["xx镇党委"],
                                                    "decision_no": f"x党〔{decided_on[:4]}〕12 号", "decided_by": persons["刘明宇"],
                                                    "decision_notes": "对分管领导诫勉"})
    clerk.update(chen.id, {"filed_in_personal_file_on": day(-155)})
    clerk.transition(rumour.id, "close", values={"reported_to_organization_on": day(-158), "filed_with_organization_on": day(-150),
                                                 "filing_no": f"组备〔{decided_on[:4]}〕7 号"})
