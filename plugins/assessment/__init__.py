"""assessment: reporting and appraisal (the plan, part 三), and the scorecard.

Reports to the superior committee, briefings to cadres, the report to the members' congress,
the democratic life meeting, each leader's duty report, pre-appointment reviews and the annual
appraisal, each saying whether ideological work was in it. The itemised assessment (考核细则:
``assessment_item`` rows the admin keeps, ``assessment_mark`` for self and panel scores) scores
the town committee, every village, community, department and office, and every leader, each
point lost naming the finding or record it comes from (``duty score``, its screen, the report's
考核评分表), beside the appraisal a person entered.
Registered under the ``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L
from duty_tui.present.county import TownScorer

from . import rules, screens, settings, types, validation
from .report import SCORECARD

# The plan's 三 强化意识形态工作责任制考核.
AREA = Area("assessment", L("责任制考核", "Assessment"), order=40)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_screens = registers(screens.SCREENS)
duty_register_commands = registers(screens.COMMANDS)


def _town_score(ledger, year, today, findings=None):
    from .scorecard import town_score  # the scorecard loads when the county asks, not at every start

    return town_score(ledger, year, today, findings=findings)


# the scorecard's section of the annual report, and each town's score on the county's dashboard and report
duty_register_reports = registers([SCORECARD, TownScorer("assessment.town-score", L("考核得分", "Score"), _town_score)])


@hookimpl
def duty_cli_commands(cli):
    from .cli import add_commands  # click commands load when the CLI asks, not at every start

    add_commands(cli)


@hookimpl
def duty_validate(ledger, action, record_type, before, after):
    if record_type.name == "assessment_item":
        return validation.item_problems(ledger, action, before, after)
    if action == "delete" or not after:
        return []
    if record_type.name in ("duty_report", "appraisal"):
        return validation.one_per_year(ledger, record_type, after)
    if record_type.name == "assessment_mark":
        return validation.mark_problems(ledger, after)
    return []


@hookimpl
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
