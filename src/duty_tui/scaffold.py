"""``duty plugin new`` under its documented name; the code lives in :mod:`duty_tui.kit.scaffold`."""

from duty_tui.kit.scaffold import *  # noqa: F401,F403
