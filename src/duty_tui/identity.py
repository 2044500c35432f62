"""Who is acting, and what their role lets them do.

The actor is the OS login, read from the process's user id (not from environment variables a
user could set), because operators arrive over SSH as themselves. Users and roles live in the
store.
"""

from __future__ import annotations

import os
import pwd

from .i18n import L

ROLES = ("viewer", "clerk", "leader", "admin")
ROLE_LABELS = {
    "viewer": L("查阅", "viewer"),
    "clerk": L("文书", "clerk"),
    "leader": L("领导", "leader"),
    "admin": L("管理员", "admin"),
}

# What each role may do. Record actions: read, create, update, delete; a workflow transition
# names the least role it needs ("clerk" or "leader"). An admin keeps users and settings and the
# records themselves, but approvals and decisions are a leader's.
GRANTS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "clerk": frozenset({"read", "create", "update", "delete", "transition:clerk"}),
    "leader": frozenset({"read", "create", "update", "delete", "transition:clerk", "transition:leader"}),
    "admin": frozenset({"read", "create", "update", "delete", "transition:clerk", "users", "settings", "export", "import"}),
}

ACTION_LABELS = {
    "read": L("查阅记录", "read records"),
    "create": L("新建记录", "create records"),
    "update": L("修改记录", "edit records"),
    "delete": L("删除记录", "delete records"),
    "transition:clerk": L("办理流程", "move records along their workflow"),
    "transition:leader": L("审批或决定", "approve or decide"),
    "users": L("管理用户", "manage users"),
    "settings": L("修改设置", "change settings"),
    "export": L("导出整个存储", "export the whole store"),
    "import": L("导入存储", "import a store"),
}


def permits(role: str, action: str) -> bool:
    return action in GRANTS.get(role, frozenset())


def os_login() -> str:
    """The login name of the process's real user."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no passwd entry (some containers)
        return f"uid{os.getuid()}"
