"""positions: the fronts of ideological work (the plan, part 二.2).

Report meetings, seminars, lectures and forums approved by the committee and filed with the
municipal propaganda department before they are held, their speakers from a register of vetted
speakers (不得邀请政治倾向有明显偏差的报告人: approval is refused while one is not vetted); the outlets
(press, radio and television, news websites, new media, bulletin boards, LED screens, village
loudspeakers, WeChat groups, short-video accounts, civilisation practice stations, cultural halls,
village libraries) with their responsible persons and reviews, each kind at its own interval.
Its figures in the report's 二、主要做法和成效 (speakers, outlets by kind) are its own ``ReportSpec``.
Registered under the ``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import report, rules, screens, settings, types, validation

# The plan's 二.2 加强对意识形态阵地的管理.
AREA = Area("positions", L("阵地管理", "Positions"), order=20)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_screens = registers(screens.SCREENS)
duty_register_commands = registers(screens.COMMANDS)
duty_register_reports = registers(report.REPORTS)


@hookimpl
def duty_cli_commands(cli):
    from .cli import add_commands  # click commands load when the CLI asks, not at every start

    add_commands(cli)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name == "event" and after and action != "delete":
        return validation.event_problems(ledger, action, before, after)
    if record_type.name == "speaker" and after and action != "delete":
        return validation.speaker_problems_of(after)
    return []


@hookimpl
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
