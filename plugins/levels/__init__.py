"""levels: responsibility pushed down the levels (分级负责; the plan, parts 一 and 三).

"按照分级负责和谁主管谁负责的原则", "领导班子其他成员……抓好分管各办公室的意识形态工作",
"合力抓好各村（居）委及各部门人员意识形态工作责任": each year the committee signs an ideological-work
responsibility agreement (``agreement``, 责任书) with every village, community, department and
office, supervises them (``supervision``, 督查: open → rectified → verified, with the due date of
the problems found and the briefing, 通报, of the results), and every village and community Party
secretary gives a duty report covering ideological work (the assessment plugin's ``duty_report``,
read by type and field name). Registered under the ``duty_tui`` entry-point group like any
third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import rules, screens, settings, types, validation
from .report import LEVELS_REPORT

AREA = Area(types.AREA, L("分级负责", "Levels of duty"), order=35)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_commands = registers(screens.COMMANDS)
duty_register_reports = registers([LEVELS_REPORT])


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if not after or action == "delete":
        return []
    if record_type.name == "agreement":
        return validation.agreement_problems(ledger, after)
    if record_type.name == "supervision":
        return validation.supervision_problems(after)
    return []


@hookimpl
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
