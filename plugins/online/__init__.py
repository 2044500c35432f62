"""online: the online front of ideological work (网络意识形态; the 实施办法 第十条 情形（8）
“管辖范围内网络意识形态安全出现严重问题的”).

The register of online public-opinion incidents (``opinion_incident``, 网络舆情: found, graded,
handled within its level's limit, the higher levels reported to the cyberspace and propaganda
departments above and briefed to Party cadres — a ``briefing`` record named on the incident) and
the review log of the town's own new media (``publication``: each post on an own outlet with its
first, second and final review, 三审三校). Other plugins' types are read by name: ``briefing``
(assessment), ``case`` (accountability), ``outlet`` (positions), ``leader`` (leadership).
Registered under the ``duty_tui`` entry-point group like any third-party plugin.
"""

from __future__ import annotations

from duty_tui.areas import Area
from duty_tui.hookspecs import hookimpl, registers
from duty_tui.i18n import L

from . import rules, settings, types, validation
from .report import ONLINE_REPORT

AREA = Area(types.AREA, L("网络意识形态", "Online"), order=25)
duty_register_areas = registers([AREA])

duty_register_types = registers(types.TYPES)
duty_register_settings = registers(settings.SETTINGS)
duty_register_rules = registers(rules.RULES)
duty_register_reports = registers([ONLINE_REPORT])


@hookimpl
def duty_validate(ledger, action, record_type, after):
    if record_type.name == "opinion_incident" and after and action != "delete":
        return validation.incident_problems(ledger, after)
    return []


@hookimpl(trylast=True)  # after the positions, assessment and accountability demos: their outlet and cases are named
def duty_demo_records(ledger, year):
    from . import demo

    demo.add_demo_records(ledger, year)
