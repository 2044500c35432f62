"""assessment: reporting and appraisal (the plan, part 三), and the scorecard.

Reports to the superior committee, briefings to cadres, the report to the members' congress,
the democratic life meeting, each leader's duty report, pre-appointment reviews and the annual
appraisal, each saying whether ideological work was in it. The scorecard (``duty score`` and
its screen) turns every area's rules into 0–100 points, weighs them into a total and gives each
leader the same for the findings that concern them, beside the appraisal a person entered.
Registered under the ``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl

from . import demo, rules, screens, settings, types, validation
from .cli import add_commands


@hookimpl
def duty_register_types(register):
    for record_type in types.TYPES:
        register(record_type)


@hookimpl
def duty_register_settings(register):
    for setting in settings.SETTINGS:
        register(setting)


@hookimpl
def duty_register_rules(register):
    for rule in rules.RULES:
        register(rule)


@hookimpl
def duty_register_screens(register):
    for screen in screens.SCREENS:
        register(screen)


@hookimpl
def duty_register_commands(register):
    for command in screens.COMMANDS:
        register(command)


@hookimpl
def duty_cli_commands(cli):
    add_commands(cli)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name in ("duty_report", "appraisal") and after and action != "delete":
        return validation.one_per_year(ledger, record_type, after)
    return []


@hookimpl
def duty_demo_records(ledger, year):
    demo.add_demo_records(ledger, year)
