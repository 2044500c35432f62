"""The sample town's assessment ledgers for ``duty demo``: one report to the superior committee
so far this year (two are due), a report to the members' congress and a democratic life meeting
with ideological work in them, duty reports (周涛's leaves ideological work out) and last year's
appraisals, this year's only partly entered (王建国's without ideological work assessed; 陈丽's
优秀 though a case decided this year names her, which the veto bars). The leaders are found by
name, so this does not wait for the leadership plugin's demo.

And the itemised assessment table (考核细则), an **example** (示例) built from the seed's clauses,
each item marked as such: the admin adapts it to the county's own 考核细则. A few marks: the
town's and two villages' self scores and the panel's (考核组) score on the one manual item."""

from __future__ import annotations

import datetime as dt

from duty_tui.demo import acting, demo_days, town_ids
from duty_tui.ledger import Ledger

LEADERS = ("刘明宇", "余永福", "王建国", "陈丽", "周涛")
# (name, total, grade) for last year, all entered
LAST_YEAR = (("刘明宇", 93, "excellent"), ("余永福", 91, "excellent"), ("王建国", 86, "competent"), ("陈丽", 88, "competent"),
             ("周涛", 84, "competent"))

UNITS = ["committee", "village", "community", "department", "office"]
EVERYONE = UNITS + ["leader"]
# The example table (示例): (area, clause, title, standard, points, method, how, deduction, cap, veto, applies to).
# ``how``: a rule id, or (record type, condition, at least) for a count. 100 points for the town committee.
EXAMPLE = (
    ("leadership", "二、1（1）", "明确党委书记为意识形态工作第一责任人", "未明确的扣 2 分", 2, "rule", "leadership.first-responsible", 2, None, "none", ["committee"]),
    ("leadership", "二、1（1）", "明确分管宣传的领导为直接责任人", "未明确的扣 2 分", 2, "rule", "leadership.direct-responsible", 2, None, "none", ["committee"]),
    ("leadership", "一", "落实“一岗双责”：各村（居）、部门纳入班子成员分工，班子成员均有分工",
     "每发现一处未纳入分工或成员无分工扣 1 分，扣完为止", 3, "rule", "leadership.divisions", 1, None, "none", ["committee"]),
    ("leadership", "一", "本人按“一岗双责”有分工，分管范围明确", "本人无分工或与本人相关的分工问题，本项不得分", 5, "rule",
     "leadership.divisions", 5, None, "none", ["leader"]),
    ("leadership", "二、1（3）", "中心组集中学习每年不少于 6 次", "每少 1 次扣 1 分，扣完为止", 4, "count_min", ("study_session", "", 6), 1, None, "none",
     ["committee"]),
    ("leadership", "二、1（3）", "意识形态工作相关内容的学习每年不少于 1 次", "未开展的扣 2 分", 2, "count_min", ("study_session", "ideology=true", 1), 2,
     None, "none", ["committee"]),
    ("leadership", "一", "意识形态工作纳入重要议事日程，党委会每年研究不少于 2 次", "每少 1 次扣 2 分", 4, "count_min",
     ("committee_meeting", "ideology_on_agenda=true", 2), 2, None, "none", ["committee"]),
    ("leadership", "三、1", "定期分析研判意识形态领域情况，每年不少于 2 次（通常做法：每半年一次）", "每少 1 次扣 1 分", 2, "count_min",
     ("analysis", "", 2), 1, None, "none", ["committee"]),
    ("leadership", "三、1", "分析研判提出应对措施，跟进事项按期完成", "每发现一次研判无措施或一项跟进事项逾期扣 1 分，扣完为止", 2, "rule",
     "leadership.analysis-follow-up", 1, None, "none", ["committee"]),
    ("leadership", "一", "书记重要工作亲自部署、重要问题亲自过问、重大事件亲自处置，有履职纪实", "每缺一类扣 1 分", 3, "rule",
     "leadership.first-responsible-act-kinds", 1, None, "none", ["committee", "leader"]),
    ("leadership", "一", "第一责任人履职纪实每年不少于 4 次", "每少 1 次扣 1 分，扣完为止", 2, "count_min", ("first_responsible_act", "", 4), 1, None,
     "none", ["committee"]),
    ("positions", "二、2（1）", "报告会、研讨会、讲座论坛事先经本单位党组织批准", "每发现一场未经批准扣 3 分，扣完为止", 6, "rule",
     "positions.event-approved", 3, None, "none", EVERYONE),
    ("positions", "二、2（1）", "报告会、研讨会、讲座论坛报市委宣传部备案", "每发现一场未备案扣 2 分，扣完为止", 4, "rule", "positions.event-filed", 2, None,
     "none", EVERYONE),
    ("positions", "二、2（2）", "宣传思想文化阵地明确责任人", "每发现一处无责任人扣 1 分，扣完为止", 3, "rule", "positions.outlet-responsible", 1, None, "none", UNITS),
    ("positions", "二、2（2）", "宣传思想文化阵地每年审查", "每发现一处未审查扣 1 分，扣完为止", 2, "rule", "positions.outlet-review", 1, None, "none",
     UNITS + ["leader"]),
    ("positions", "二、2（1）", "不得邀请政治倾向有明显偏差的报告人：报告人事先审查，结论为可以邀请且在有效期内",
     "每发现一场活动的一名报告人未经审查、审查在后、已过有效期或不宜邀请扣 1 分，扣完为止", 3, "rule", "positions.speaker-vetted", 1, None,
     "none", EVERYONE),
    ("positions", "二、2", "各类阵地（含 LED 显示屏、村广播、微信群、农家书屋等）按类别巡查周期巡查", "每发现一处逾期未巡查扣 1 分，扣完为止", 2, "rule",
     "positions.outlet-review-interval", 1, None, "none", UNITS + ["leader"]),
    ("online", "四（8）", "网络舆情按等级在时限内处置", "每发现一起逾期处置或逾期未处置扣 1 分，扣完为止", 3, "rule", "online.incident-handled", 1, None,
     "none", UNITS),
    ("online", "三、1", "较大以上网络舆情及时报告上级网信、宣传部门", "每发现一起未报告或逾期报告扣 2 分，扣完为止", 3, "rule",
     "online.incident-reported", 2, None, "none", ["committee"]),
    ("online", "三、1", "较大以上网络舆情在党员干部中通报", "每发现一起未通报或逾期通报扣 1 分，扣完为止", 2, "rule", "online.incident-briefed", 1, None,
     "none", ["committee"]),
    ("online", "二、2", "自办媒体落实“三审三校”，先审后发", "每发现一条未经三审即发布扣 1 分，扣完为止", 2, "rule", "online.publication-reviewed", 1,
     None, "none", ["committee", "office", "department"]),
    ("team", "二、3（1）", "积极开展自查，每年不少于 1 次", "未开展的扣 3 分", 3, "count_min", ("self_inspection", "", 1), 3, None, "none",
     ["committee", "village", "community", "department"]),
    ("team", "二、3（1）", "自查发现的问题按期整改", "每发现一项逾期未整改扣 1 分，扣完为止", 3, "rule", "team.rectification-overdue", 1, None, "none", EVERYONE),
    ("team", "二、3（2）", "与知识分子建立联系制度、经常性走访", "每发现一人本年无联系活动扣 1 分，扣完为止", 2, "rule", "team.contact-activity", 1, None, "none",
     ["committee", "leader"]),
    ("levels", "一", "按照“分级负责”与各村（社区）、部门和办公室签订年度意识形态工作责任书", "每缺一个单位扣 1 分，扣完为止", 3, "rule",
     "levels.agreement", 1, None, "none", ["committee"]),
    ("levels", "一", "本单位与党委签订年度意识形态工作责任书", "未签订的本项不得分", 3, "rule", "levels.agreement", 3, None, "none",
     ["village", "community", "department", "office"]),
    ("levels", "三", "定期督查各村（社区）、部门落实意识形态工作责任制，每个单位每年不少于 1 次", "每少督查一个单位扣 1 分，扣完为止", 3, "rule",
     "levels.supervision-count", 1, None, "none", ["committee"]),
    ("levels", "三", "督查发现的问题按期整改", "每发现一项逾期未整改扣 2 分", 2, "rule", "levels.rectification-overdue", 2, None, "none", UNITS),
    ("levels", "三、1", "督查结果及时通报", "每发现一次逾期未通报扣 1 分", 1, "rule", "levels.briefing", 1, None, "none", ["committee"]),
    ("levels", "三、3", "村（社区）党组织书记述职包含意识形态工作", "每发现一人未述职或未述意识形态工作扣 1 分", 1, "rule",
     "levels.secretary-reports", 1, None, "none", ["committee", "village", "community"]),
    ("assessment", "三、1", "定期向上级汇报意识形态工作，每年不少于 2 次", "每少 1 次扣 2 分，扣完为止", 3, "count_min",
     ("superior_report", "includes_ideology=true", 2), 2, None, "none", ["committee"]),
    ("assessment", "三、2", "向党员大会报告工作包含意识形态工作", "未包含的扣 2 分", 2, "rule", "assessment.congress-report", 2, None, "none",
     ["committee"]),
    ("assessment", "三、3", "民主生活会把意识形态工作作为重要内容", "未包含的扣 2 分", 2, "rule", "assessment.life-meeting", 2, None, "none",
     ["committee"]),
    ("assessment", "三、3", "述职报告把意识形态工作作为重要内容", "班子成员述职未述意识形态工作或未述职的，该成员本项不得分；党委每人次扣 2 分，扣完为止",
     4, "rule", "assessment.duty-reports", 2, None, "none", ["committee"]),
    ("assessment", "三、3", "本人述职报告把意识形态工作作为重要内容", "未述意识形态工作或未述职的，本项不得分", 10, "rule", "assessment.duty-reports", 10,
     None, "none", ["leader"]),
    ("assessment", "三、4", "年度考核把意识形态工作作为重要内容", "每发现一人未考核或未考核意识形态工作扣 1 分，扣完为止", 2, "rule", "assessment.appraisal", 1, None,
     "none", ["committee"]),
    ("assessment", "三", "考核组综合评价（查阅台账、个别谈话、实地查看）", "考核组按实际情况评分", 8, "manual", None, None, None, "none", UNITS),
    ("accountability", "四", "问责案件及时调查处理", "每发现一件久拖未决扣 1 分，扣完为止", 3, "rule", "accountability.case-stale", 1, None, "none", UNITS),
    ("accountability", "四", "问责案件认定责任人并作出处理决定", "每发现一件缺责任人或处理决定扣 1 分，扣完为止", 2, "rule", "accountability.case-responsible", 1,
     None, "none", ["committee"]),
    ("accountability", "四", "一票否决：发生《实施办法》第十条所列情形并被问责", "本年度有问责决定的，不得评为优秀", 0, "count_each",
     ("case", "state=decided|closed", None), None, None, "bar_excellent", EVERYONE),
    ("accountability", "四（8）", "一票否决：管辖范围内网络意识形态安全出现严重问题并被问责", "阵地管理方面得零分", 0, "count_each",
     ("case", "circumstance=8; state=decided|closed", None), None, None, "zero_area", UNITS),
)


def example_items(registry) -> list[dict]:
    """The example table's records, leaving out an item whose rule or record type is not installed."""
    out = []
    for n, (area, clause, title, standard, points, method, how, deduction, cap, veto, applies) in enumerate(EXAMPLE, 1):
        values = {"order": n, "area": area, "clause": clause, "title": title, "standard": f"{standard}（示例）", "points": points,
                  "method": method, "veto": veto, "applies_to": applies, "example": True}
        if area not in registry.areas():
            continue
        if method == "rule":
            if how not in registry.rules:
                continue
            values["rule"] = how
        elif method in ("count_min", "count_each"):
            kind, match, least = how
            if kind not in registry.types:
                continue
            values.update(count_type=kind, count_match=match or None, count_min=least)
        if veto == "zero_area":
            # 情形（8）, the online front: its own area where the online plugin is installed, else the positions
            online = "online" in registry.areas()
            values["veto_area"] = "online" if online else "positions"
            if online:
                values["standard"] = values["standard"].replace("阵地管理方面得零分", "网络意识形态方面得零分")
        values.update(deduction=deduction, cap=cap)
        out.append({k: v for k, v in values.items() if v is not None})
    return out


def add_example_table(ledger: Ledger) -> list[str]:
    """Write the example table through the ledger (an admin's write, audited); the ids written."""
    with ledger.transaction():
        return [ledger.create("assessment_item", values).id for values in example_items(ledger.registry)]



def add_demo_records(ledger: Ledger, year: int, today: dt.date | None = None) -> None:
    day = demo_days(year, today or ledger.today())

    persons = town_ids(ledger, "person")
    clerk = acting(ledger, "lina")
    group = [persons[n] for n in LEADERS]

    clerk.create("superior_report", {"date": f"{year - 1}-07-05", "title": f"{year - 1}年上半年意识形态工作情况汇报", "reported_to": "市委"})
    clerk.create("superior_report", {"date": f"{year - 1}-12-28", "title": f"{year - 1}年意识形态工作责任制落实情况报告", "reported_to": "市委"})
    clerk.create("superior_report", {"date": day(-45), "title": f"{year}年意识形态工作情况汇报", "reported_to": "市委",
                                     "summary": "上半年意识形态形势分析、阵地管理情况、下一步打算"})
    clerk.create("briefing", {"date": day(-35), "topic": "网络谣言典型案例通报", "audience": "全镇党员干部",
                              "content": "近期网络上涉我镇不实信息的处置情况"})
    clerk.create("congress_report", {"date": day(-100), "title": "镇党委向党员大会报告工作", "includes_ideology": True})
    clerk.create("life_meeting", {"date": day(-80), "title": f"{year - 1}年度领导班子民主生活会", "includes_ideology": True,
                                  "attendees": group})
    for name in ("刘明宇", "余永福", "王建国"):
        clerk.create("duty_report", {"person": persons[name], "year": year, "date": day(-5), "includes_ideology": True})
    clerk.create("duty_report", {"person": persons["周涛"], "year": year, "date": day(-5), "includes_ideology": False,
                                 "summary": "纪检监察工作述职(未涉及意识形态工作)"})
    # last year's duty reports and appraisals, given in January: by today, early in January
    reported, appraised = (min(dt.date(year, 1, d), day.today).isoformat() for d in (15, 20))
    for name in LEADERS:
        clerk.create("duty_report", {"person": persons[name], "year": year - 1, "date": reported, "includes_ideology": True})
    for name, total, grade in LAST_YEAR:
        clerk.create("appraisal", {"person": persons[name], "year": year - 1, "total": total, "grade": grade, "ideology_assessed": True,
                                   "ideology_score": 17, "appraised_on": appraised})
    clerk.create("appraisal", {"person": persons["刘明宇"], "year": year, "ideology_assessed": True, "ideology_score": 18, "total": 92,
                               "grade": "excellent", "appraised_on": day(-1),
                               "indicators": "政治建设 19/20\n意识形态工作 18/20\n党风廉政 18/20"})
    clerk.create("appraisal", {"person": persons["王建国"], "year": year, "total": 88, "grade": "competent", "appraised_on": day(-1),
                               "notes": "考核表未列意识形态工作"})
    clerk.create("appraisal", {"person": persons["陈丽"], "year": year, "ideology_assessed": True, "ideology_score": 17, "total": 91,
                               "grade": "excellent", "appraised_on": day(-1)})
    add_example_table(ledger)  # the admin's (the demo runs as the OS login, an admin)
    units = town_ids(ledger, "unit")
    items = {r.data["title"]: r.id for r in ledger.all("assessment_item")}
    panel = items.get("考核组综合评价（查阅台账、个别谈话、实地查看）")
    if panel:
        for unit, own, given, notes in (("xx镇党委", 7, 6, "意识形态工作台账分散，部分活动缺少签到表和照片"),
                                        ("东风村", 8, 7, "村文化室宗教宣传品清理后未建立巡查记录"),
                                        ("红星村", 7, None, "")):
            values = {"item": panel, "year": year, "unit": units[unit], "self_score": own, "superior_score": given, "notes": notes or None}
            clerk.create("assessment_mark", {k: v for k, v in values.items() if v is not None})
    study = items.get("中心组集中学习每年不少于 6 次")
    if study:
        clerk.create("assessment_mark", {"item": study, "year": year, "unit": units["xx镇党委"], "self_score": 4,
                                         "notes": "自评：按计划开展中心组学习"})
    clerk.create("appointment_review", {"person": persons["钱进"], "date": day(-25), "post": "镇党委委员(拟)", "ideology_assessed": True,
                                        "conclusion": "政治立场坚定，能认真落实村级意识形态工作责任制"})
