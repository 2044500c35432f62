"""The one registry of keyboard actions: bindings, the key bar, the help screen and the keymap all
read it. Every binding has a stable id; a person rebinds keys by id in the configuration file::

    [keymap]
    "list.new" = "ctrl+n"
    "app.lang" = "f12"
    "leadership.structure.open" = "o"

The core's actions are listed here; a plugin's screen declares its own (``duty_tui.ui_api.Action``
on its ``ScreenSpec``), which the app registers at start-up, so help lists them and the keymap
can rebind them before the screen is first opened.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..i18n import L
from ..ui_api import Action

ACTIONS: tuple[Action, ...] = (
    # anywhere
    Action("app.help", "f1,question_mark", "help", L("帮助", "Help"), "app", key_display="F1"),
    Action("app.palette", "ctrl+p", "command_palette", L("命令", "Commands"), "app", key_display="^p"),
    Action("app.lang", "f2", "switch_language", L("English", "中文"), "app", key_display="F2"),
    Action("app.year_prev", "left_square_bracket", "year(-1)", L("上一年", "Prev year"), "app", show=False, key_display="["),
    Action("app.year_next", "right_square_bracket", "year(1)", L("下一年", "Next year"), "app", show=False, key_display="]"),
    Action("app.quit", "ctrl+q", "quit", L("退出", "Quit"), "app", priority=True, key_display="^q"),
    Action("app.jump", "ctrl+g", "jump", L("转到", "Go to"), "app", key_display="^g"),
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
    Action("list.filter_done", "escape,down", "done", L("筛选完，回到表格", "Leave the filter for the table"), "list", show=False,
           key_display="Esc"),
    Action("table.up", "up", "cursor(-1)", L("上一行", "Row up"), "list", show=False),
    Action("table.down", "down", "cursor(1)", L("下一行", "Row down"), "list", show=False),
    Action("table.page_up", "pageup", "page(-1)", L("上一页", "Page up"), "list", show=False),
    Action("table.page_down", "pagedown", "page(1)", L("下一页", "Page down"), "list", show=False),
    Action("table.first", "home", "jump(0)", L("第一行", "First row"), "list", show=False),
    Action("table.last", "end", "jump(-1)", L("最后一行", "Last row"), "list", show=False),
    Action("table.left", "left", "column(-1)", L("左一列", "Column left"), "list", show=False),
    Action("table.right", "right", "column(1)", L("右一列", "Column right"), "list", show=False),
    # record form
    # not a priority key: a priority key is run when it arrives, before keys ahead of it (an Enter
    # choosing a picker's match) reach their widget; no field binds Ctrl+S, so it comes up in turn
    Action("form.save", "ctrl+s", "save", L("保存", "Save"), "form", key_display="^s"),
    Action("form.cancel", "escape", "cancel", L("返回", "Back"), "form", key_display="Esc"),
    # on a date field (widgets/fields.py DateEditor), shown in the key bar while it has the focus:
    # Ctrl, as letters and + - are typed into the field; up/down as on a spin box, ^t as in "today"
    Action("form.today", "ctrl+t", "today", L("今天", "Today"), "form", key_display="^t"),
    Action("form.day_next", "ctrl+up", "day(1)", L("后一天", "Next day"), "form", key_display="^↑"),
    Action("form.day_prev", "ctrl+down", "day(-1)", L("前一天", "Day before"), "form", key_display="^↓"),
    Action("step.do", "ctrl+s", "save", L("办理", "Take the step"), "form", key_display="^s"),  # in turn, as form.save
    Action("picker.next", "down", "move(1)", L("下一个结果", "Next match"), "form", show=False, key_display="↓"),
    Action("picker.prev", "up", "move(-1)", L("上一个结果", "Previous match"), "form", show=False, key_display="↑"),
    Action("picker.choose", "enter", "choose", L("选定结果", "Choose the match"), "form", show=False, key_display="Enter"),
    Action("picker.close", "escape", "close", L("收起结果", "Close the matches"), "form", show=False, key_display="Esc"),
    Action("picker.undo", "ctrl+z", "undo", L("撤销移除", "Undo the removal"), "form", show=False, key_display="^z"),
    # record detail
    Action("detail.edit", "e", "edit_record", L("编辑", "Edit"), "detail"),
    Action("detail.workflow", "t", "workflow", L("流程", "Workflow"), "detail"),
    Action("detail.delete", "delete", "delete_record", L("删除", "Delete"), "detail", key_display="Del"),
    Action("detail.refresh", "r", "refresh_view", L("刷新", "Refresh"), "detail", show=False),
    Action("detail.back", "escape", "back", L("返回", "Back"), "detail", key_display="Esc"),
    # plugin screens (duty_tui.tui.plugin_screen): each adds its own actions, ids under its screen's id
    Action("screen.open", "enter", "open", L("打开", "Open"), "screen"),
    Action("screen.refresh", "r", "reload", L("刷新", "Refresh"), "screen"),
    Action("screen.back", "escape", "back", L("返回", "Back"), "screen", key_display="Esc"),
    # the county screen a county operator's duty opens on: Esc goes to the main dashboard under it
    Action("county.dashboard", "escape", "back('dashboard')", L("总览", "Dashboard"), "screen", key_display="Esc"),
    # dialogs
    Action("modal.cancel", "escape", "cancel", L("取消", "Cancel"), "modal", key_display="Esc"),
    Action("dialog.prev", "left", "app.focus_previous", L("上一个按钮", "Previous button"), "modal", show=False),
    Action("dialog.next", "right", "app.focus_next", L("下一个按钮", "Next button"), "modal", show=False),
    Action("leave.save", "s", "choose('save')", L("保存修改", "Save the changes"), "modal"),
    Action("leave.discard", "d", "choose('discard')", L("放弃修改", "Discard the changes"), "modal"),
    Action("leave.keep", "k", "choose('keep')", L("留作草稿", "Keep as a draft"), "modal"),
    Action("leave.up", "up", "app.focus_previous", L("上一个选择", "Previous choice"), "modal", show=False),
    Action("leave.down", "down", "app.focus_next", L("下一个选择", "Next choice"), "modal", show=False),
    Action("jump.next", "down", "move(1)", L("下一个", "Next match"), "modal", show=False, key_display="↓"),
    Action("jump.prev", "up", "move(-1)", L("上一个", "Previous match"), "modal", show=False, key_display="↑"),
    Action("jump.choose", "enter", "choose", L("转到所选", "Go to the match"), "modal", show=False, key_display="Enter"),
    Action("help.close", "f1,question_mark,q", "cancel", L("关闭帮助", "Close help"), "modal", show=False, key_display="F1"),
)

BY_ID: dict[str, Action] = {a.id: a for a in ACTIONS}
SCOPES = ("app", "main", "dashboard", "list", "form", "detail", "screen", "modal")
PLUGIN_ACTIONS: dict[str, Action] = {}  # registered by plugin screens (their ScreenSpec, their bindings)


def register(actions: Iterable[Action]) -> None:
    """Make plugin actions known by id (to the key bar's labels). An id the core uses, or that
    another action already holds, is refused: the keymap must name one action."""
    for a in actions:
        if not isinstance(a, Action):
            raise TypeError(f"not an Action: {a!r}")
        held = BY_ID.get(a.id) or PLUGIN_ACTIONS.get(a.id)
        if held is not None and held != a:
            raise ValueError(f"action id {a.id!r} is already taken")
        PLUGIN_ACTIONS[a.id] = a


def find(action_id: str | None) -> Action | None:
    return BY_ID.get(action_id or "") or PLUGIN_ACTIONS.get(action_id or "")


def bindings(*items: str | Action) -> list[Any]:
    """Textual ``Binding`` objects for these actions, given by core id or as ``Action`` objects
    (which are registered). Descriptions are English; the key bar and help show the label in the
    operator's language by id, and the app's keymap rebinds them by id. An ``Action`` whose id
    another action holds is left out (the app said so in a notice at start, see
    ``plugin_actions``): the screen still opens, without that key."""
    from textual.binding import Binding

    out = []
    for item in items:
        if isinstance(item, Action):
            try:
                register([item])
            except ValueError:
                continue
            a = item
        else:
            a = BY_ID[item]
        out.append(Binding(a.key, a.action, a.label.en, show=a.show, priority=a.priority, id=a.id,
                           key_display=a.key_display, tooltip=a.label.zh))
    return out


def label(binding_id: str | None, fallback: str, lang: str) -> str:
    a = find(binding_id)
    return a.label.render(lang) if a else fallback


def shown_key(app: Any, action_id: str) -> str:
    """The key of an action as the operator presses it now (after the keymap), as the key bar
    shows keys: for a hint written in a sentence."""
    from textual.binding import Binding

    a = find(action_id)
    if a is None:
        return action_id
    remapped = app.session.keymap.get(action_id)
    key = (remapped or a.key).split(",")[0].strip()
    return app.get_key_display(Binding(key, a.action, key_display=None if remapped else a.key_display))


def keymap_problems(keymap: Mapping[str, Any], known: Iterable[Action] = ()) -> list[tuple[str, L]]:
    """(action id, why) for ids in a configured keymap that name no action (of the core's or
    ``known``, the plugins' screens' actions), and for values that are not key strings."""
    ids = set(BY_ID) | {a.id for a in known}
    problems = []
    for action_id, keys in keymap.items():
        if action_id not in ids:
            problems.append((action_id, L("按键设置 [keymap]：没有操作 “{id}”（已有：{have}）", "keymap: no action {id!r} (have: {have})").format(
                id=action_id, have=", ".join(sorted(ids)))))
        elif not isinstance(keys, str) or not keys.strip():
            problems.append((action_id, L("按键设置 [keymap]：“{id}” 应为按键，如 \"ctrl+n\"",
                                          "keymap: {id!r} must be a key such as \"ctrl+n\"").format(id=action_id)))
    return problems
