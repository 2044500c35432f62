"""leadership: who answers for what (the plan, parts 一 and 二.1).

The leading group with its first responsible person (the secretary), direct responsible person
(the member for propaganda) and members with their divisions (一岗双责); the responsibility
list; the central study group's sessions; the committee's meetings. Registered under the
``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.hookspecs import hookimpl

from . import demo, rules, screens, settings, types, validation


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
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name == "leader" and after and action != "delete":
        return validation.leader_problems(after)
    return []


@hookimpl(tryfirst=True)  # the leading group comes first: the other areas' samples refer to it
def duty_demo_records(ledger, year):
    demo.add_demo_records(ledger, year)
