"""duty-tui storage backends, each a plugin registered under the ``duty_tui`` entry-point group."""
