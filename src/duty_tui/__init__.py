"""duty-tui: a Party committee's ideological-work responsibility system, kept as ledgers."""

__version__ = "0.1.0"
