"""The ten circumstances of Article 10 of the central implementation measures (《党委(党组)意识形态
工作责任制实施办法》第十条), in the Chinese of the town's plan (part 四) and in English.

The plan's copy reads "…的言论旅放任不管…" in (4); the stray "旅" is a transcription slip (the
measures read "言论放任不管") and is left out here.
"""

from __future__ import annotations

from duty_tui.i18n import L
from duty_tui.schema import Choice

# number → (the plan's Chinese, an English rendering)
TEXTS = {
    1: ("对党中央或者上级党组织安排部署的重大宣传教育任务、重大思想舆论斗争组织开展不力的",
        "failed to organise and carry out a major publicity and education task or a major ideological and public-opinion "
        "struggle assigned by the Party Central Committee or a higher Party organisation"),
    2: ("在处置意识形态领域重大问题上，党委（党组）书记没有站在第一线、没有带头与错误倾向作斗争的",
        "in handling a major problem in the ideological field, the secretary of the Party committee (leading Party group) "
        "did not stand on the front line or take the lead in fighting erroneous tendencies"),
    3: ("管辖范围内发生由意识形态领域问题引发群众性事件的",
        "a mass incident arising from a problem in the ideological field occurred within its jurisdiction"),
    4: ("对所管理的党员干部公开发表违背党章、党的决定决议和政策的言论放任不管、处置不力的",
        "left unchecked, or handled ineffectively, Party members and cadres under its management publicly making statements "
        "contrary to the Party Constitution, the Party's decisions and resolutions or its policies"),
    5: ("所属新闻媒体出现严重错误导向的",
        "news media under it took a seriously wrong orientation"),
    6: ("管辖范围内公开发行的出版物和编写的教材等在意识形态方面有严重错误导向的",
        "publications issued or teaching materials compiled within its jurisdiction took a seriously wrong ideological orientation"),
    7: ("丧失对管辖范围内报刊、电台电视台、新闻网站等宣传思想文化阵地的领导权和实际控制权的",
        "lost leadership and actual control over the publicity, ideological and cultural positions within its jurisdiction, "
        "such as newspapers and periodicals, radio and television stations and news websites"),
    8: ("管辖范围内网络意识形态安全出现严重问题的",
        "a serious problem of online ideological security occurred within its jurisdiction"),
    9: ("管辖范围内举办的报告会、研讨会、讲座、讲坛论坛和高等学校、党校、行政学院、干部学院、社会主义学院课堂教学有发表否定党的领导、"
        "攻击中国特色社会主义制度言论，造成严重影响的",
        "at report meetings, seminars, lectures or forums held within its jurisdiction, or in classroom teaching at a "
        "university, Party school, administrative institute, cadre college or institute of socialism, statements denying the "
        "Party's leadership or attacking the system of socialism with Chinese characteristics were made, with serious effect"),
    10: ("其他未能切实履行工作职责，造成严重后果的",
         "otherwise failed to perform its duties effectively, with serious consequences"),
}

# number → a few words for menus and lists, (zh, en)
SHORT = {
    1: ("重大宣传教育任务、思想舆论斗争组织不力", "a major publicity task or opinion struggle poorly carried out"),
    2: ("书记没有站在第一线", "the secretary not on the front line"),
    3: ("意识形态问题引发群众性事件", "a mass incident from an ideological problem"),
    4: ("对党员干部错误言论放任不管", "cadres' wrong statements left unchecked"),
    5: ("所属新闻媒体严重错误导向", "news media seriously wrongly oriented"),
    6: ("出版物、教材严重错误导向", "publications or teaching materials seriously wrong"),
    7: ("丧失对宣传思想文化阵地的领导权", "control of publicity positions lost"),
    8: ("网络意识形态安全出现严重问题", "a serious online ideological security problem"),
    9: ("报告会、讲座、论坛等发表错误言论", "wrong statements at a meeting, lecture or forum"),
    10: ("其他未能履职造成严重后果", "other failures with serious consequences"),
}

SECRETARY_NOT_ON_FRONT_LINE = "2"
AT_AN_EVENT = "9"


def circumstance(number: int | str) -> L:
    """The full text, numbered: ``(2) 在处置…``."""
    zh, en = TEXTS[int(number)]
    return L(f"({number}) {zh}", f"({number}) {en}")


def full_text(number: int | str) -> L:
    """The full text without its number."""
    zh, en = TEXTS[int(number)]
    return L(zh, en)


def short(number: int | str) -> L:
    """``(2) 书记没有站在第一线``."""
    zh, en = SHORT[int(number)]
    return L(f"({number}) {zh}", f"({number}) {en}")


CIRCUMSTANCES = tuple(Choice(str(n), circumstance(n)) for n in TEXTS)
