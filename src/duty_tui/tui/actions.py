"""The one registry of keyboard actions: bindings, the key bar, the help screen and the keymap all
read it. Every binding has a stable id; a person rebinds keys by id in the configuration file::

    [keymap]
    "list.new" = "ctrl+n"
    "app.lang" = "f12"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..i18n import L


@dataclass(frozen=True)
class Action:
    id: str
    key: str
    action: str
    label: L
    scope: str
    show: bool = True
    priority: bool = False
    key_display: str | None = None


ACTIONS: tuple[Action, ...] = (
    # anywhere
    Action("app.help", "f1,question_mark", "help", L("帮助", "Help"), "app", key_display="F1"),
    Action("app.palette", "ctrl+p", "command_palette", L("命令", "Commands"), "app", key_display="^p"),
    Action("app.lang", "f2", "switch_language", L("English", "中文"), "app", key_display="F2"),
    Action("app.year_prev", "left_square_bracket", "year(-1)", L("上一年", "Prev year"), "app", show=False, key_display="["),
    Action("app.year_next", "right_square_bracket", "year(1)", L("下一年", "Next year"), "app", show=False, key_display="]"),
    Action("app.quit", "ctrl+q", "quit", L("退出", "Quit"), "app", priority=True, key_display="^q"),
    # main screen
    Action("main.nav", "escape", "focus_nav", L("导航", "Navigate"), "main", show=False, key_display="Esc"),
    Action("main.dashboard", "f5", "show_view('dashboard')", L("总览", "Dashboard"), "main", show=False, key_display="F5"),
    Action("main.findings", "f6", "show_view('findings')", L("检查结果", "Findings"), "main", show=False, key_display="F6"),
    Action("main.audit", "f7", "show_view('audit')", L("审计日志", "Audit log"), "main", show=False, key_display="F7"),
    # dashboard and the findings/audit views
    Action("dashboard.refresh", "r", "refresh_view", L("刷新", "Refresh"), "dashboard"),
    # record list
    Action("list.filter", "slash", "filter", L("筛选", "Filter"), "list", key_display="/"),
    Action("list.new", "n", "new_record", L("新建", "New"), "list"),
    Action("list.open", "enter", "open_record", L("打开", "Open"), "list"),
    Action("list.edit", "e", "edit_record", L("编辑", "Edit"), "list"),
    Action("list.delete", "delete", "delete_record", L("删除", "Delete"), "list", key_display="Del"),
    Action("list.workflow", "t", "workflow", L("流程", "Workflow"), "list"),
    Action("list.sort", "s", "sort", L("排序", "Sort"), "list"),
    Action("list.year", "y", "toggle_year", L("年份", "Year"), "list"),
    Action("list.refresh", "r", "refresh_view", L("刷新", "Refresh"), "list", show=False),
    # record form
    Action("form.save", "ctrl+s", "save", L("保存", "Save"), "form", priority=True, key_display="^s"),
    Action("form.cancel", "escape", "cancel", L("返回", "Back"), "form", key_display="Esc"),
    # record detail
    Action("detail.edit", "e", "edit_record", L("编辑", "Edit"), "detail"),
    Action("detail.workflow", "t", "workflow", L("流程", "Workflow"), "detail"),
    Action("detail.delete", "delete", "delete_record", L("删除", "Delete"), "detail", key_display="Del"),
    Action("detail.refresh", "r", "refresh_view", L("刷新", "Refresh"), "detail", show=False),
    Action("detail.back", "escape", "back", L("返回", "Back"), "detail", key_display="Esc"),
    # dialogs
    Action("modal.cancel", "escape", "cancel", L("取消", "Cancel"), "modal", key_display="Esc"),
)

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}
SCOPES = ("app", "main", "dashboard", "list", "form", "detail", "modal")


def bindings(*ids: str) -> list[Any]:
    """Textual ``Binding`` objects for these action ids (English descriptions; the key bar and
    help screen show the label in the operator's language by id)."""
    from textual.binding import Binding

    out = []
    for action_id in ids:
        a = BY_ID[action_id]
        out.append(Binding(a.key, a.action, a.label.en, show=a.show, priority=a.priority, id=a.id,
                           key_display=a.key_display, tooltip=a.label.zh))
    return out


def label(binding_id: str | None, fallback: str, lang: str) -> str:
    a = BY_ID.get(binding_id or "")
    return a.label.render(lang) if a else fallback


def keymap_problems(keymap: Mapping[str, Any]) -> list[str]:
    """Ids in a configured keymap that name no action, and values that are not key strings."""
    problems = []
    for action_id, keys in keymap.items():
        if action_id not in BY_ID:
            problems.append(f"keymap: no action {action_id!r} (have: {', '.join(sorted(BY_ID))})")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(f"keymap: {action_id!r} must be a key such as \"ctrl+n\"")
    return problems
