"""The kits duty-tui ships for the people who extend it, in a place of their own (outside the
core, which never imports them; they import the core and, for the TUI helpers, the faces):

* :mod:`duty_tui.kit.testing` – the pytest plugin (fixtures for plugin authors and the project's
  own tests), documented and registered as ``duty_tui.testing``;
* :mod:`duty_tui.kit.contract` – the backend contract suite, documented as ``duty_tui.contract``;
* :mod:`duty_tui.kit.scaffold` – ``duty plugin new``, documented as ``duty_tui.scaffold``.

The documented names are thin modules that re-export these, so code written against them keeps
working.
"""
