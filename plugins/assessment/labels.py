"""How the scorecard names a leader's roles and the appraisal entered, for ``duty score`` and the
scorecard screen alike."""

from __future__ import annotations

from duty_tui.i18n import L, render

from .types import APPRAISAL

ROLE_LABELS = {
    "first_responsible": L("第一责任人", "first responsible"),
    "direct_responsible": L("直接责任人", "direct responsible"),
    "member": L("班子成员", "member"),
}


def roles_text(roles, lang: str) -> str:
    return render([ROLE_LABELS.get(r, L(r, r)) for r in roles], lang)


def appraisal_text(appraisal, lang: str) -> str:
    """The appraisal as a person entered it, or that none was."""
    if appraisal is None:
        return L("未录入年度考核", "no appraisal entered").render(lang)
    grade = APPRAISAL.field("grade").choice_label(appraisal.grade).render(lang) if appraisal.grade else "—"
    total = "—" if appraisal.total is None else f"{appraisal.total:g}"
    return L("年度考核 {total} 分 {grade}（{id}）", "appraisal {total} {grade} ({id})").format(
        total=total, grade=grade, id=appraisal.id).render(lang)
