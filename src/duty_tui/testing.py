"""duty-tui's pytest plugin under its documented name (the ``pytest11`` entry point loads this
module); the code lives in :mod:`duty_tui.kit.testing`.

Everything public is re-exported, so pytest finds the kit's fixtures and hooks here and
``from duty_tui.testing import wait_until`` keeps working.
"""

from duty_tui.kit.testing import *  # noqa: F401,F403  (fixtures, hooks and helpers)
