"""team: the ideological-work team (the plan, part 二.3).

Self-inspections and their rectification (open → rectified → verified, with due dates),
education and training, the intellectuals in social science, the economy and science the
committee keeps in touch with (each with a liaison cadre), and the activities with them.
Registered under the ``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import rules, screens, settings, types, validation

# The plan's 二.3 加强意识形态队伍的管理.
AREA = Area("team", L("队伍管理", "Team"), order=30)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_commands = registers(screens.COMMANDS)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if not after or action == "delete":
        return []
    if record_type.name == "self_inspection":
        return validation.self_inspection_problems(after)
    if record_type.name == "contact":
        return validation.contact_problems(after)
    return []


@hookimpl
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
