"""The online-account registration (网络账号备案): one record per account a unit runs."""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import CHOICE, DATE, LONG_TEXT, REFERENCE, TEXT, Field, RecordType, choices

AREA = "positions"  # online accounts are propaganda positions (阵地): they sit beside the outlets
ACCOUNT = "online_account"

PLATFORMS = choices(
    ("wechat", "微信公众号", "WeChat official account"),
    ("weibo", "微博", "Weibo"),
    ("douyin", "抖音", "Douyin"),
    ("kuaishou", "快手", "Kuaishou"),
    ("toutiao", "今日头条", "Toutiao"),
    ("bilibili", "哔哩哔哩", "Bilibili"),
    ("website", "网站", "website"),
    ("app", "客户端", "app"),
    ("other", "其他", "other"),
)

ONLINE_ACCOUNT = RecordType(
    name=ACCOUNT,
    label=L("网络账号备案", "Online account"),
    area=AREA,
    fields=(
        Field("account_name", TEXT, L("账号名称", "Account name"), required=True, indexed=True, searchable=True, max_length=100),
        Field("platform", CHOICE, L("平台", "Platform"), required=True, choices=PLATFORMS, indexed=True, searchable=True),
        Field("address", TEXT, L("账号 ID 或网址", "Account id or address"), searchable=True, max_length=300),
        Field("unit", REFERENCE, L("主办单位", "Unit"), required=True, target="unit", indexed=True),
        Field("responsible", REFERENCE, L("负责人", "Responsible person"), required=True, target="person", indexed=True),
        Field("registered_on", DATE, L("备案日期", "Registered on"), required=True, indexed=True),
        Field("filing_no", TEXT, L("备案编号", "Filing number"), searchable=True, max_length=60),
        Field("last_review", DATE, L("最近审核", "Last review"), indexed=True,
              help=L("最近一次审核(年审)的日期", "the date of the latest (yearly) review")),
        Field("notes", LONG_TEXT, L("备注", "Notes"), searchable=True),
    ),
    title_field="account_name",
    year_field="registered_on",
    list_columns=("account_name", "platform", "unit", "last_review"),
    help=L("本镇各单位开设的网络账号及其备案、年审情况", "the online accounts the town's units run, their registration and yearly review"),
)
