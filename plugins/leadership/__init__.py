"""leadership: who answers for what (the plan, parts 一 and 二.1).

The leading group with its first responsible person (the secretary), direct responsible person
(the member for propaganda) and members with their divisions (一岗双责); the responsibility
list; the central study group's sessions; the committee's meetings; the analyses of the
ideological situation and the first responsible person's own acts (:mod:`.practice`), with
their figures in the report and in a person's duty record. Registered under the
``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import practice, rules, screens, settings, types, validation

# The plan's 二.1 加强对意识形态工作的组织领导;一 领导班子的主体责任.
AREA = Area("leadership", L("组织领导", "Leadership"), order=10)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES + practice.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES + practice.RULES)
duty_register_reports = registers(practice.REPORTS)
duty_register_screens = registers(screens.SCREENS)
duty_register_commands = registers(screens.COMMANDS)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name == "leader" and after and action != "delete":
        return validation.leader_problems(after)
    if after and action != "delete":
        return practice.problems(ledger, record_type, after)
    return []


@hookimpl
def duty_after_write(ledger, action, record):
    practice.fill_person(ledger, action, record)


@hookimpl(tryfirst=True)  # the leading group comes first: the other areas' samples refer to it
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
