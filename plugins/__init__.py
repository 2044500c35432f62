"""duty-tui's built-in domain plugins, each registered under the ``duty_tui`` entry-point group
exactly as a third party's plugin would be."""
