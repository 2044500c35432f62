"""The backend contract suite under its documented name; the code lives in
:mod:`duty_tui.kit.contract`. A backend's tests take it with::

    from duty_tui.contract import *  # noqa: F401,F403  (the contract's tests and fixtures)
"""

from duty_tui.kit.contract import *  # noqa: F401,F403
from duty_tui.kit.contract import __all__  # noqa: F401  (the same tests and fixtures, no more)
