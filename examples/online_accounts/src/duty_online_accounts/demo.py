"""Sample accounts for ``duty demo``: one reviewed, one overdue from last year, one never reviewed
and one registered this year, run by the sample town's units."""

from __future__ import annotations

from duty_tui.demo import town_ids

from .accounts import ACCOUNT


def add_accounts(ledger, year: int) -> None:
    units, persons = town_ids(ledger, "unit"), town_ids(ledger, "person")
    any_unit, any_person = next(iter(units.values()), None), next(iter(persons.values()), None)
    if any_unit is None or any_person is None:
        return
    rows = [
        ("xx镇发布", "wechat", "宣传办公室", "李娜", f"{year - 3}-05-10", f"{year}-03-15", "网备-2019-031"),
        ("xx镇文化站", "douyin", "文化站", "吴芳", f"{year - 2}-09-01", f"{year - 1}-08-20", None),
        ("城关社区之声", "weibo", "城关社区", "孙敏", f"{year - 1}-11-11", None, None),
        ("东风村村务公开", "wechat", "东风村", "赵强", f"{year}-02-01", None, None),
    ]
    ledger.create_many(ACCOUNT, [
        {"account_name": name, "platform": platform, "unit": units.get(unit, any_unit),
         "responsible": persons.get(person, any_person), "registered_on": registered, "last_review": last, "filing_no": filing}
        for name, platform, unit, person, registered, last, filing in rows
    ])
