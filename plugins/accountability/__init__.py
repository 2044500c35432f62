"""accountability: cases under the ten circumstances of Article 10 (the plan, part 四).

A case goes registered → investigating → decided (a leader records the decision the deciding
body took, with its document number) → closed (once the organisation department has been told and
the decision filed with the one above); its responsible persons are ``case_party`` records with
the kind of responsibility, a recorded dissent that exempts, the measure each was given (问责条例
第八条, mildest first) and the day it went into their file. The measures' effects (影响期) are a
table of settings; rules find an appraisal or a pre-appointment review that contradicts one. The chain of
responsibility (an event's organiser and approver, a unit's leaders, the secretary under
circumstance 2) suggests who answers, in the TUI and by ``duty suggest CASE-ID``.

Needs the ``event`` record type of the positions plugin (a case refers to an event); reads the
leadership plugin's ``leader`` rows when they exist. Registered under the ``duty_tui``
entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import rules, screens, settings, types, validation

# The plan's 四 强化意识形态工作责任追究.
AREA = Area("accountability", L("责任追究", "Accountability"), order=50)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_screens = registers(screens.SCREENS)
duty_register_commands = registers(screens.COMMANDS)


@hookimpl
def duty_cli_commands(cli):
    from .cli import add_commands  # click commands load when the CLI asks, not at every start

    add_commands(cli)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if not after or action == "delete":
        return []
    if record_type.name == "case":
        return validation.case_problems(ledger, action, before, after)
    if record_type.name == "case_party":
        return validation.party_problems(ledger, after)
    return []


# The demo's cases refer to the positions demo's events and follow the leadership demo's
# divisions: the core calls demo hooks in pluggy's order, so trylast makes this one run after
# the others. tests/test_accountability.py checks that the demo has what it needs.
@hookimpl(trylast=True)
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
